"""One process of the concurrency test in ``test_search_failures.py``: an import that keeps its
transaction open, or a reader that searches. Run as a script::

    python search_concurrency_child.py writer|reader

with ``DATABASE_URL``, ``DJANGO_SETTINGS_MODULE`` and ``KANSENAUDIT_DATA_DIR`` in the
environment. The test orders the two through their pipes: a command is a line on stdin, every
answer one JSON line on stdout. Nothing here sleeps or times anything.
"""

from __future__ import annotations

import json
import sys

TERM = "gelijke kansen"
IMPORTED_PAGES = 3


def _say(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _never_wait_for_locks() -> None:
    """Make every wait for a lock fail at once instead of after the busy timeout.

    A search that needs a lock the import holds then fails in this process straight away: the
    test sees an error, not a slow run, and needs no clock.
    """
    from django.db import connections

    settings = connections["default"].settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        settings["OPTIONS"]["timeout"] = 0
    else:
        settings["OPTIONS"]["options"] = "-c lock_timeout=1"  # milliseconds


def _store(dossier: object, name: str, pages: list[str]) -> object:
    from kansenaudit.ingest.extract import extract
    from kansenaudit.web.evidence import services

    data = "\f".join(pages).encode()
    extracted = extract(data, name, ocr=False)
    document, _ = services.document_store(
        dossier=dossier, extracted=extracted, data=data, actor=None
    )
    return document


def writer() -> None:
    """A dossier with a committed document, then an import in progress: its pages are written
    and its transaction stays open until the test says "commit"."""
    from django.db import transaction

    from kansenaudit.web.dossiers.services import dossier_create

    dossier = dossier_create(title="Gelijktijdig", municipality_code="GM0363")
    committed = _store(
        dossier, "nota.txt", [f"Het college wil {TERM}.", f"Pagina twee: {TERM} in de wijk."]
    )
    _say({"state": "stored", "dossier": dossier.pk, "document": committed.pk})
    pages = [f"Ingelezen pagina {n}: {TERM} voor ieder kind." for n in range(1, IMPORTED_PAGES + 1)]
    with transaction.atomic():  # BEGIN IMMEDIATE on SQLite: the write lock, held until commit
        imported = _store(dossier, "import.txt", pages)
        _say({"state": "holding", "document": imported.pk})
        sys.stdin.readline()  # "commit"
    _say({"state": "committed"})
    # Stay connected until the test is done: the last connection to close a SQLite database
    # checkpoints it under an exclusive lock, which the reader's next search must not meet.
    sys.stdin.read()


def reader() -> None:
    """For each line ``search DOSSIER_ID`` on stdin search that dossier, each time on a new
    connection as a web request has."""
    from django.db import connections

    from kansenaudit.web.evidence import search

    _never_wait_for_locks()
    for line in sys.stdin:
        dossier_id = int(line.split()[1])
        connections.close_all()
        try:
            result = search.search(dossier_id, TERM, limit=50)
            usage = search.term_usage(dossier_id, [TERM])
        except Exception as exc:  # reported to the test, which fails on it
            _say({"error": f"{type(exc).__name__}: {exc}; cause: {exc.__cause__!r}"})
            continue
        _say(
            {
                "total": result.total,
                "pages": sorted([hit.document_id, hit.page_number] for hit in result.hits),
                "occurrences": sum(row["count"] for row in usage),
            }
        )


def main() -> None:
    from kansenaudit.cli.runtime import setup_django

    setup_django()
    {"writer": writer, "reader": reader}[sys.argv[1]]()


if __name__ == "__main__":
    main()
