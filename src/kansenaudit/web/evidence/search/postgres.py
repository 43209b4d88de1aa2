# SPDX-License-Identifier: EUPL-1.2
"""The PostgreSQL engine: the generated ``tsvector`` column, a RUM index (GIN without RUM).

``evidence_page.search_vector = to_tsvector('dutch', text)`` (migrations 0002 and 0010, the
latter reading "/" and "." between letters as hyphens) follows the pages by itself, so indexing
is the database's work. Every operand of a query reaches PostgreSQL as a bound parameter: its
lexemes, as the SQLite engine has them, as a ``tsquery`` phrase. With the
RUM index (``search_index_pg``) the best pages come straight from the index and the capped count
runs on a second connection meanwhile; without it every match is ranked with ``ts_rank_cd``.
Measurements: docs/benchmarks.md.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, transaction

from kansenaudit.ingest.search_query import Operand, ParsedQuery
from kansenaudit.web.evidence.models import Page
from kansenaudit.web.evidence.search.base import Ranking, RankQuery, SearchBackend
from kansenaudit.web.evidence.search_index_pg import (
    ensure_rum_index,
    has_rum_index,
    use_gin_index,
)

logger = logging.getLogger(__name__)

PG_CONFIG = "dutch"
# The stored, generated column ``to_tsvector('dutch', text)`` of migration 0002 (GIN-indexed).
# Ranking reads every matching page's vector; recomputing it from the text instead (an
# expression index) made a query matching 48,000 pages take 5 s instead of 0.1 s.
PG_VECTOR = "p.search_vector"


def _tsquery_lexeme(lexeme: str) -> str:
    """A lexeme quoted for tsquery input, taken literally (no parsing, no stemming)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_phrase(positions: Sequence[str | None]) -> str:
    """The lexemes of an operand as a tsquery phrase; a stop word (None) widens the distance.

    >>> tsquery_phrase(("kans", None, "havo", "vwo"))
    "'kans' <2> 'havo' <-> 'vwo'"
    """
    out, gap = "", 1
    for lexeme in positions:
        if lexeme is None:
            gap += 1
            continue
        if out:
            out += " <-> " if gap == 1 else f" <{gap}> "
        out += _tsquery_lexeme(lexeme)
        gap = 1
    return out


def _pg_operand(op: Operand, params: list) -> str:
    # The operand's lexemes as the SQLite engine has them (kansenaudit.ingest.tokens, the same
    # as PostgreSQL's for the same text): a compound in the query counts by its parts, which
    # phraseto_tsquery cannot say (it adds the whole).
    parts = []
    if op.positions:
        parts.append("%s::tsquery")
        params.append(tsquery_phrase(op.positions))
    if op.variants:
        parts.append("%s::tsquery")
        params.append(" | ".join(_tsquery_lexeme(lex) for lex in op.variants))
    if op.prefix:
        parts.append("%s::tsquery")
        params.append(_tsquery_lexeme(op.prefix) + ":*")
    return parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"


def pg_tsquery(parsed: ParsedQuery) -> tuple[str, list]:
    """A tsquery expression built from bound parameters only."""
    params: list = []
    groups = [
        "(" + " || ".join(_pg_operand(op, params) for op in group) + ")" for group in parsed.groups
    ]
    expression = "(" + " && ".join(groups) + ")"
    if parsed.excluded:
        excluded = " || ".join(_pg_operand(op, params) for op in parsed.excluded)
        expression = f"({expression} && !!({excluded}))"
    return expression, params


# PostgreSQL counts the matches on a second connection while this one ranks them: each runs in
# its own server process, so on two cores the count (10–40 ms for a broad query) no longer adds
# to the ranking. Only outside a caller's transaction: another connection would not see what
# that transaction has not committed (it then counts in line, as before).
COUNT_THREADS = 2  # searches at the same moment in one server process whose counts overlap
_count_pool: ThreadPoolExecutor | None = None
_count_pool_pid: int | None = None
_count_pool_lock = threading.Lock()


def _count_executor() -> ThreadPoolExecutor:
    """One counting thread per server process, made after the server forked its workers."""
    global _count_pool, _count_pool_pid
    with _count_pool_lock:
        if _count_pool is None or _count_pool_pid != os.getpid():
            _count_pool = ThreadPoolExecutor(
                max_workers=COUNT_THREADS, thread_name_prefix="kansenaudit-count"
            )
            _count_pool_pid = os.getpid()
        return _count_pool


def close_count_connections() -> None:
    """Close the counting threads' database connections (before a test database is dropped)."""
    from django.db import connections

    with _count_pool_lock:
        pool = _count_pool
    if pool is None:
        return
    barrier = threading.Barrier(COUNT_THREADS)

    def close() -> None:
        barrier.wait(timeout=10)  # so that each thread runs one of these
        connections.close_all()

    for future in [pool.submit(close) for _ in range(COUNT_THREADS)]:
        future.result()


def _rum_count_sql(tsquery: str, doc_sql: str) -> str:
    return (
        "SELECT count(*) FROM (SELECT 1 FROM evidence_page p "  # noqa: S608
        f"WHERE {PG_VECTOR} @@ {tsquery} AND p.document_id IN ({doc_sql}) LIMIT %s) AS c"
    )


def _rum_count_elsewhere(sql: str, params: list) -> int:
    """The capped count, on this thread's own connection and in its own transaction."""
    from django.db import connections

    db = connections[DEFAULT_DB_ALIAS]
    db.close_if_unusable_or_obsolete()
    with transaction.atomic(using=DEFAULT_DB_ALIAS), db.cursor() as cursor:
        cursor.execute(
            "SET LOCAL jit = off; SET LOCAL enable_seqscan = off; "
            "SET LOCAL enable_indexscan = off; SET LOCAL enable_nestloop = off"
        )
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _ranked_postgresql(query: RankQuery) -> tuple[list[tuple[int, float]], int]:
    with connection.cursor() as cursor:
        # Compiling these short queries to machine code costs more than it saves (~90 ms).
        cursor.execute("SET LOCAL jit = off")
        # Ranking sorts every match: 77,000 of them overflow the default 4 MB to disk.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        if has_rum_index(connection):
            # The planner cannot see that a sequential scan reads every page's vector from
            # TOAST: it would choose one for common words (300 ms instead of 20 ms).
            cursor.execute("SET LOCAL enable_seqscan = off")
            ranked = _ranked_rum(cursor, query)
        else:
            ranked = _ranked_gin(cursor, query)
        # Only after success: a failed query aborts the transaction, whose rollback to the
        # savepoint undoes the settings anyway, and a RESET there would hide the real error.
        cursor.execute(
            "RESET jit; RESET work_mem; RESET enable_seqscan; RESET enable_sort; "
            "RESET enable_bitmapscan"
        )
        return ranked


def _ranked_rum(cursor: object, query: RankQuery) -> tuple[list[tuple[int, float]], int]:
    """Best pages first straight from the RUM index; the count stops at ``query.count_cap``.

    ``<=>`` is RUM's distance, the inverse of its rank (a cover-density rank like ts_rank_cd,
    without length normalisation): smaller is better. No tie-breaker in the ORDER BY: any
    second key makes PostgreSQL rank every match again. Equal scores come in index order,
    which is the same for the same data, so paging stays consistent.
    """
    parsed, documents, limit, offset = query.parsed, query.documents, query.limit, query.offset
    doc_sql, doc_params = documents.query.sql_with_params()
    tsquery, query_params = pg_tsquery(parsed)
    params = [*query_params, *doc_params]
    # The count: a bitmap over the RUM index, which checks phrases from the stored positions.
    # Not an index scan, nor a loop over the dossier's documents that tests each page: both
    # read the vectors from TOAST page by page, which the planner does not see (300 ms for
    # 10,000 pages instead of 20 ms).
    count_sql, count_params = _rum_count_sql(tsquery, doc_sql), [*params, query.count_cap + 1]
    counting: Future | None = None
    if query.count_in_parallel:
        counting = _count_executor().submit(_rum_count_elsewhere, count_sql, count_params)
    else:
        cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_nestloop = off")
        try:
            cursor.execute(count_sql, count_params)
            total = cursor.fetchone()[0]
        finally:
            cursor.execute("RESET enable_indexscan; RESET enable_nestloop")
        if total <= offset:
            return [], total
    # Always the ordered index scan, also where the planner would sort a few matches itself: a
    # sort breaks ties one way for LIMIT 2 and another for LIMIT 100, so pages would overlap.
    cursor.execute("SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off")
    cursor.execute(
        f"SELECT p.id, {PG_VECTOR} <=> search.q FROM evidence_page p, "  # noqa: S608
        f"(SELECT {tsquery} AS q) AS search "
        f"WHERE {PG_VECTOR} @@ search.q AND p.document_id IN ({doc_sql}) "
        f"ORDER BY {PG_VECTOR} <=> search.q LIMIT %s OFFSET %s",
        [*params, limit, offset],
    )
    ranked = []
    for pk, distance in cursor.fetchall():
        # RUM gives Infinity for a page whose rank is 0 (only excluded words, say).
        rank = 1.0 / distance if distance and distance != float("inf") else 0.0
        ranked.append((pk, rank))
    if counting is not None:
        try:
            total = counting.result()
        except DatabaseError:  # the second connection failed: count here after all
            logger.warning("counting on a second connection failed", exc_info=True)
            cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_nestloop = off")
            cursor.execute(count_sql, count_params)
            total = cursor.fetchone()[0]
    return ranked, total


def _ranked_gin(cursor: object, query: RankQuery) -> tuple[list[tuple[int, float]], int]:
    """Without RUM: rank every matching page with ts_rank_cd (time grows with the matches)."""
    parsed, documents, limit, offset = query.parsed, query.documents, query.limit, query.offset
    doc_sql, doc_params = documents.query.sql_with_params()
    tsquery, query_params = pg_tsquery(parsed)
    # Rank inside a materialised CTE so that only (id, score) travels on to the count and the
    # sort: carrying the 3 KB vectors through a window function spilled them to disk (2× slower).
    # Normalisation 1 divides by 1 + log(length), so long pages do not win by size alone.
    matches = (  # constants and Django's SQL for the documents; every value is a parameter
        "WITH m AS MATERIALIZED (SELECT p.id, "  # noqa: S608
        f"ts_rank_cd({PG_VECTOR}, search.q, 1) AS score "
        f"FROM evidence_page p, (SELECT {tsquery} AS q) AS search "
        f"WHERE {PG_VECTOR} @@ search.q AND p.document_id IN ({doc_sql})) "
    )
    params = [*query_params, *doc_params]
    ranked = matches + "SELECT id, score, count(*) OVER () FROM m "  # noqa: S608
    cursor.execute(ranked + "ORDER BY score DESC, id LIMIT %s OFFSET %s", [*params, limit, offset])
    rows = cursor.fetchall()
    if rows:
        return [(pk, float(score)) for pk, score, _ in rows], rows[0][2]
    if offset == 0:
        return [], 0
    cursor.execute(matches + "SELECT count(*) FROM m", params)  # noqa: S608
    return [], cursor.fetchone()[0]


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def index_pages(self, pages: Sequence[Page]) -> None:
        """Nothing to do: the generated vector column and its index follow the pages."""

    def unindex_document(self, document_id: int) -> None:
        """Nothing to do: deleting the pages deletes their vectors."""

    def reindex_all(self) -> int:
        return Page.objects.count()

    def rebuild_index(self, *, prefer_gin: bool = False) -> dict:
        """The RUM index where the server has the extension (or GIN if asked for or missing)."""
        if prefer_gin or not ensure_rum_index(connection):
            use_gin_index(connection)  # also where neither index survived a restore
        index = "rum" if has_rum_index(connection) else "gin"
        return {"engine": "postgresql", "index": index, "pages": Page.objects.count()}

    def ranked(self, query: RankQuery) -> Ranking:
        ranked, total = _ranked_postgresql(query)
        return Ranking(ranked, total)

    def matching_pages(self, parsed: ParsedQuery, dossier_id: int) -> tuple[str, list]:
        # The caller keeps the pages to the dossier's documents.
        tsquery, params = pg_tsquery(parsed)
        return f"{PG_VECTOR} @@ {tsquery}", params


BACKEND = PostgresBackend()
