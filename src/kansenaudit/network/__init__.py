"""Network maps without Django: the graph, its metrics, audit checks and exchange formats."""
