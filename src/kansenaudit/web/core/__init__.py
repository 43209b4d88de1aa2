"""Cross-cutting pieces: the append-only audit log, health, errors and the page layout."""
