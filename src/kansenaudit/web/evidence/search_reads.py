# SPDX-License-Identifier: EUPL-1.2
"""How the search reads the database: one read transaction that never takes the write lock,
and a failure that is never mistaken for "nothing found".

A search that ran in a transaction of the SQLite connection's default ``IMMEDIATE`` mode took
the write lock, only to read: while an import wrote, it waited for the busy timeout, failed, and
the failure was shown as "0 pages found" — an auditor could conclude that a term is absent.
:func:`reading` runs the search in ``core.db.read_transaction`` instead (a ``DEFERRED``
transaction on SQLite): the count, the ranking and the pages of one search come from the same
snapshot, and the search never waits for a writer.

Any database error inside becomes :class:`SearchFailed`, logged here with its traceback. The
views show its message and the CLI prints it and exits non-zero. See docs/methods/search.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection
from django.utils.translation import gettext

from kansenaudit.web.core.db import read_transaction

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
        with read_transaction():
            yield
    except DatabaseError as exc:
        logger.exception("%s failed on %s", what, connection.vendor)
        raise SearchFailed from exc
