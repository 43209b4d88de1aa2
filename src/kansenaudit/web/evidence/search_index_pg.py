# SPDX-License-Identifier: EUPL-1.2
"""Which full-text index the PostgreSQL pages have: RUM where the server has it, GIN otherwise.

Both index the stored column ``search_vector`` (migration 0002). GIN finds the matching pages,
but ranking them means reading every matching page's vector: at 100,000 pages a common word
took 300–800 ms. RUM (postgrespro/rum) keeps the word positions in the index, so it returns the
best pages first and checks phrases without touching the table. With the RUM index in place
the GIN index is dropped: the planner would otherwise pick GIN for a phrase and re-read every
candidate page to check word order (200 ms where RUM takes 17 ms). See docs/methods/search.md.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

RUM_INDEX = "evidence_page_search_rum"
GIN_INDEX = "evidence_page_search_vector"


def rum_extension_available(connection: BaseDatabaseWrapper) -> bool:
    """True if the server has the RUM extension installed or installable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        return cursor.fetchone() is not None


def has_rum_index(connection: BaseDatabaseWrapper) -> bool:
    """True if the pages have the RUM index (a catalogue lookup; well under a millisecond)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [RUM_INDEX])
        return bool(cursor.fetchone()[0])


def ensure_rum_index(connection: BaseDatabaseWrapper) -> bool:
    """Create the RUM index if the server allows it; True if the pages have it afterwards.

    Creating the extension needs a superuser (or a database owner where it is trusted); a server
    without the package or the right keeps the GIN index and says so in the log.
    """
    if connection.vendor != "postgresql":
        return False
    if has_rum_index(connection):
        return True
    if not rum_extension_available(connection):
        logger.info("PostgreSQL has no RUM extension: search ranks through the GIN index")
        return False
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
            cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
            # Narrow rows: the vector and the text live out of line (TOAST), so a row in the
            # table is ~100 bytes. RUM never reads the vectors from the table, but counting and
            # filtering by document visit the rows: 50 to a block instead of 2.
            cursor.execute("ALTER TABLE evidence_page SET (toast_tuple_target = 128)")
            cursor.execute(
                "ALTER TABLE evidence_page ALTER COLUMN search_vector SET STORAGE EXTERNAL"
            )
            cursor.execute("SELECT EXISTS (SELECT 1 FROM evidence_page)")
            if cursor.fetchone()[0]:
                # Pages already stored take the new layout when rewritten (the vector is
                # recomputed), and CLUSTER packs the narrow rows together again.
                cursor.execute("UPDATE evidence_page SET text = text")
                cursor.execute("CLUSTER evidence_page USING evidence_page_pkey")
            cursor.execute(
                f"CREATE INDEX {RUM_INDEX} ON evidence_page "
                "USING rum (search_vector rum_tsvector_ops)"
            )
    except DatabaseError as error:
        logger.warning("could not create the RUM search index (%s): GIN stays in use", error)
        return False
    return True


def use_gin_index(connection: BaseDatabaseWrapper) -> None:
    """Go back to the GIN index (to leave the RUM extension, or to compare the two)."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON evidence_page USING gin (search_vector)"
        )
