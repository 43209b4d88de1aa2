# SPDX-License-Identifier: EUPL-1.2
"""Database helpers shared by the apps: a read transaction that never takes the write lock.

The SQLite connections begin their transactions ``IMMEDIATE`` (settings ``_database()``): two
writers then queue for the write lock instead of one failing halfway with "database is locked".
A long read in such a transaction holds the write lock too, only to read, and every writer
waits for it (the busy timeout) or fails: a search during an import, ``audit verify`` over the
whole log. :func:`read_transaction` begins a ``DEFERRED`` transaction instead. In WAL mode it
reads the last committed state and never waits for a writer, nor makes one wait. It is still one
transaction, so everything read in it comes from the same snapshot. PostgreSQL readers never
wait for writers; there it is an ordinary transaction (which scopes ``SET LOCAL`` settings).
Inside a caller's transaction it is a savepoint, so a failed query does not poison the caller's
transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def read_transaction() -> Iterator[None]:
    """Run the block in one transaction that reads without taking SQLite's write lock.

    A write inside the block still works: SQLite upgrades the transaction when it writes (and
    may then wait for another writer, as any write does).
    """
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # Connecting sets the mode from the settings, so connect before overriding it.
        connection.ensure_connection()
        mode = connection.transaction_mode
        connection.transaction_mode = "DEFERRED"
        try:
            with transaction.atomic():
                connection.transaction_mode = mode  # transactions after this stay IMMEDIATE
                yield
        finally:
            connection.transaction_mode = mode
    else:
        with transaction.atomic():
            yield
