"""How the search reads the database: one read transaction that never takes the write lock,
and a failure that is never mistaken for "nothing found".

The SQLite connections begin their transactions ``IMMEDIATE`` (settings ``_database()``): two
writers then queue for the write lock instead of one failing halfway with "database is locked".
A search that ran in such a transaction took the write lock too, only to read: while an import
wrote, it waited for the busy timeout (5 s), failed, and the failure was shown as "0 pages
found" — an auditor could conclude that a term is absent. :func:`reading` begins a ``DEFERRED``
transaction instead. In WAL mode it reads the last committed state and never waits for a
writer. It is still one transaction, so the count, the ranking and the pages of one search come
from the same snapshot. PostgreSQL readers never wait for writers; there the transaction scopes
the search's ``SET LOCAL`` settings. Inside a caller's transaction it is a savepoint, so a failed
query does not poison the caller's transaction.

Any database error inside becomes :class:`SearchFailed`, logged here with its traceback. The
views show its message and the CLI prints it and exits non-zero. See docs/methods/search.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext

logger = logging.getLogger(__name__)


class SearchFailed(Exception):
    """The database could not answer a search, so nobody may read its result as "none found".

    The message is for the user (through gettext); the cause was logged where it was caught.
    """

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "The search failed. Please try again; if it still fails, tell the administrator."
            )
        )


@contextmanager
def reading(what: str) -> Iterator[None]:
    """Run the block in one read transaction; a database error in it raises SearchFailed.

    ``what`` names the search in the log ("search", "term occurrences"); never the query
    itself, which may be confidential.
    """
    try:
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # Connecting sets the mode from the settings, so connect before overriding it.
            connection.ensure_connection()
            mode = connection.transaction_mode
            connection.transaction_mode = "DEFERRED"
            try:
                with transaction.atomic():
                    connection.transaction_mode = mode  # writes after this stay IMMEDIATE
                    yield
            finally:
                connection.transaction_mode = mode
        else:
            with transaction.atomic():
                yield
    except DatabaseError as exc:
        logger.exception("%s failed on %s", what, connection.vendor)
        raise SearchFailed from exc
