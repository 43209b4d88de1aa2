# SPDX-License-Identifier: EUPL-1.2
"""Network maps without Django: the graph, its metrics, audit checks and exchange formats."""
