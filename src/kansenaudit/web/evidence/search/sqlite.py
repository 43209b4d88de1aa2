# SPDX-License-Identifier: EUPL-1.2
"""The SQLite engine: an FTS5 table of the lexemes PostgreSQL would make of each page.

``evidence_page_fts`` (migrations 0002 and 0006) holds one row per page: its ``body`` is the
page text as :func:`kansenaudit.ingest.tokens.fts_body` makes it (the same tokens, stop words
and Snowball stems as PostgreSQL's ``dutch`` configuration), so both engines find the same
pages for the same query. The services keep it in step with the pages inside their transaction
(:meth:`SQLiteBackend.index_pages`, :meth:`SQLiteBackend.unindex_document`); a trigger removes
the rows of deleted pages. Ranking is FTS5's bm25.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, transaction

from kansenaudit.ingest.search_query import ParsedQuery, fts_match
from kansenaudit.ingest.tokens import fts_body
from kansenaudit.web.evidence.models import Document, Page
from kansenaudit.web.evidence.search.base import Ranking, RankQuery, SearchBackend

FTS_TABLE = "evidence_page_fts"
# bm25 weights per column (page_id, dossier_id, body): only the body counts for the rank.
FTS_RANK = f"bm25({FTS_TABLE}, 0.0, 0.0, 1.0)"
# A page's row id in the FTS5 index is dossier id × 2³² + page id, so that a dossier's pages are
# one range of row ids: FTS5 keeps a search inside the dossier by that range, which it applies
# while it walks the index, instead of matching a dossier term on every page (13–25 % of the
# time of a broad search; docs/benchmarks.md). Page ids stay below 2³².
FTS_ROWID_SPAN = 2**32
BATCH = 500  # pages per statement when indexing


def fts_rowid_range(dossier_id: int) -> tuple[int, int]:
    """The first and last FTS5 row id a page of ``dossier_id`` can have."""
    first = int(dossier_id) * FTS_ROWID_SPAN
    return first, first + FTS_ROWID_SPAN - 1


def fts_rowid(dossier_id: int, page_id: int) -> int:
    """The FTS5 row id of page ``page_id`` of dossier ``dossier_id``."""
    if not 0 < int(page_id) < FTS_ROWID_SPAN:
        raise ValueError(f"page id {page_id} does not fit the search index")
    return fts_rowid_range(dossier_id)[0] + int(page_id)


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    def index_pages(self, pages: Sequence[Page]) -> None:
        pages = [page for page in pages if page.pk is not None]
        if not pages:
            return
        dossier_of = dict(
            Document.objects.filter(pk__in={page.document_id for page in pages}).values_list(
                "pk", "dossier_id"
            )
        )
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, len(pages), BATCH):
                chunk = pages[start : start + BATCH]
                rowids = [fts_rowid(dossier_of[page.document_id], page.pk) for page in chunk]
                marks = ",".join(["%s"] * len(rowids))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", rowids)  # noqa: S608
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE} (rowid, page_id, dossier_id, body) "  # noqa: S608
                    "VALUES (%s, %s, %s, %s)",
                    [
                        (rowid, page.pk, dossier_of[page.document_id], fts_body(page.text))
                        for rowid, page in zip(rowids, chunk, strict=True)
                    ],
                )

    def unindex_document(self, document_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN "  # noqa: S608
                f"(SELECT d.dossier_id * {FTS_ROWID_SPAN} + p.id FROM evidence_page p "
                "JOIN evidence_document d ON d.id = p.document_id WHERE p.document_id = %s)",
                [document_id],
            )

    def reindex_all(self) -> int:
        count = 0
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
            batch: list[Page] = []
            for page in Page.objects.only("id", "document_id", "text").iterator(chunk_size=1000):
                batch.append(page)
                if len(batch) == 1000:
                    self.index_pages(batch)
                    count += len(batch)
                    batch = []
            self.index_pages(batch)
            count += len(batch)
        return count

    def rebuild_index(self, *, prefer_gin: bool = False) -> dict:
        return {"engine": connection.vendor, "index": "fts5", "pages": self.reindex_all()}

    def ranked(self, query: RankQuery) -> Ranking:
        first, last = fts_rowid_range(query.dossier_id)
        where = f"{FTS_TABLE} MATCH %s AND rowid BETWEEN %s AND %s"
        params: list = [fts_match(query.parsed), first, last]
        if query.filtered:  # the row-id range already is the whole dossier
            doc_sql, doc_params = query.documents.query.sql_with_params()
            # As an expression, not a bare rowid, so FTS5 does not take the IN list as row ids
            # to look up one by one.
            where += (
                f" AND rowid - {first} IN (SELECT id FROM evidence_page "  # noqa: S608
                f"WHERE document_id IN ({doc_sql}))"
            )
            params += doc_params
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {where} LIMIT %s)",  # noqa: S608
                [*params, query.count_cap + 1],
            )
            total = cursor.fetchone()[0]
            if total <= query.offset:
                return Ranking([], total)
            cursor.execute(
                f"SELECT rowid - {first}, {FTS_RANK} AS score FROM {FTS_TABLE} "  # noqa: S608
                f"WHERE {where} ORDER BY score, rowid LIMIT %s OFFSET %s",
                [*params, query.limit, query.offset],
            )
            return Ranking([(pk, -score) for pk, score in cursor.fetchall()], total)

    def matching_pages(self, parsed: ParsedQuery, dossier_id: int) -> tuple[str, list]:
        first, last = fts_rowid_range(dossier_id)
        where = (
            f"p.id IN (SELECT rowid - {first} FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s AND rowid BETWEEN %s AND %s)"
        )
        return where, [fts_match(parsed), first, last]


BACKEND = SQLiteBackend()
