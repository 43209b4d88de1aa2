# SPDX-License-Identifier: EUPL-1.2
"""Dutch full-text search over a dossier's evidence: one interface, two engines.

PostgreSQL searches the generated column ``search_vector = to_tsvector('dutch', text)`` through
a RUM index (GIN where RUM is missing), so the index follows the pages by itself. SQLite
searches an FTS5 table, ``evidence_page_fts``, whose ``body`` is the page text as the lexemes
PostgreSQL would make of it (:mod:`kansenaudit.ingest.tokens`). That is what makes the two
engines return the same pages for the same query. Query syntax, ranking, snippets and the known
differences: docs/methods/search.md.

The package, in the shape of Wagtail's database search backends:

* this module: the public interface (what the views, services, CLI and tests call);
* ``base``: the engine interface and the engine of ``connection.vendor``;
* ``sqlite``, ``postgres``: one module per engine;
* ``filters``, ``snippets``, ``terms``, ``results``: what both engines share;
* the tokeniser, the Dutch inflections and the query parser need no database and live in
  :mod:`kansenaudit.ingest` (``tokens``, ``inflection``, ``search_query``).

Nothing a user types can make these functions raise: the query is parsed into words, phrases
and prefixes, every operand reaches the database as a bound parameter (PostgreSQL) or as a
quoted FTS5 string made of sanitised lexemes (SQLite), and odd input yields an empty result.
A failing database is never an empty result: every search reads in one read transaction that
takes no write lock, and a database error raises ``SearchFailed`` (see ``search_reads``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

from kansenaudit.ingest.inflection import word_forms
from kansenaudit.ingest.search_query import (
    MAX_OPERANDS,
    MAX_PREFIX,
    MAX_QUERY_CHARS,
    MIN_PREFIX,
    ParsedQuery,
    fts_match,
    parse_query,
    query_problems,
    searched_for,
)
from kansenaudit.ingest.tokens import STOP_WORDS, fts_body, text_positions
from kansenaudit.web.evidence.models import Document, Page
from kansenaudit.web.evidence.search import terms as _terms
from kansenaudit.web.evidence.search.base import Ranking, RankQuery, SearchBackend, backend
from kansenaudit.web.evidence.search.filters import documents_filtered, dossier_id_of
from kansenaudit.web.evidence.search.postgres import (
    PG_CONFIG,
    PG_VECTOR,
    close_count_connections,
    pg_tsquery,
)
from kansenaudit.web.evidence.search.results import SearchHit, SearchResult, TermOccurrence
from kansenaudit.web.evidence.search.snippets import SNIPPET_CHARS, match_spans, snippet
from kansenaudit.web.evidence.search.sqlite import (
    FTS_ROWID_SPAN,
    FTS_TABLE,
    fts_rowid,
    fts_rowid_range,
)
from kansenaudit.web.evidence.search.terms import CONTEXT_CHARS
from kansenaudit.web.evidence.search_index_pg import has_rum_index
from kansenaudit.web.evidence.search_reads import SearchFailed, reading

__all__ = [
    "CONTEXT_CHARS",
    "COUNT_CAP",
    "FTS_ROWID_SPAN",
    "FTS_TABLE",
    "MAX_LIMIT",
    "MAX_OPERANDS",
    "MAX_PREFIX",
    "MAX_QUERY_CHARS",
    "MIN_PREFIX",
    "PARALLEL_COUNT",
    "PG_CONFIG",
    "PG_VECTOR",
    "SNIPPET_CHARS",
    "STOP_WORDS",
    "TERM_SCAN_PAGES",
    "ParsedQuery",
    "RankQuery",
    "Ranking",
    "SearchBackend",
    "SearchFailed",
    "SearchHit",
    "SearchResult",
    "TermOccurrence",
    "backend",
    "close_count_connections",
    "fts_body",
    "fts_match",
    "fts_rowid",
    "fts_rowid_range",
    "has_rum_index",
    "index_pages",
    "match_spans",
    "page_matches",
    "parse_query",
    "pg_tsquery",
    "query_problems",
    "rebuild_index",
    "reindex_all",
    "search",
    "searched_for",
    "snippet",
    "term_occurrences",
    "term_usage",
    "term_usage_and_occurrences",
    "text_positions",
    "unindex_document",
    "word_forms",
]

MAX_LIMIT = 200
# Matches are counted up to here; beyond it the page says "more than 1,000". Counting every
# match of a common word costs more than finding the best 20, and nobody pages that far.
COUNT_CAP = 1000
# PostgreSQL: count on a second connection while ranking (see postgres._count_executor).
PARALLEL_COUNT = True
TERM_SCAN_PAGES = 2000  # above this many pages the index preselects pages for term matching


# --- Keeping the index in sync -----------------------------------------------------------------


def index_pages(pages: Iterable[Page]) -> None:
    """Add (or replace) pages in the search index, inside the caller's transaction.

    On PostgreSQL the generated vector column and its index follow the pages: nothing to do.
    """
    backend().index_pages(list(pages))


def unindex_document(document_id: int) -> None:
    """Remove a document's pages from the index; call it before deleting or replacing them."""
    backend().unindex_document(document_id)


def reindex_all() -> int:
    """Rebuild the SQLite index from the pages (after a restore, say); returns the page count."""
    return backend().reindex_all()


def rebuild_index(*, prefer_gin: bool = False) -> dict:
    """Rebuild the search index: SQLite's FTS5 table from the pages; on PostgreSQL the RUM
    index where the server has the extension (or GIN if asked for or unavailable).

    Returns ``{engine, index, pages}``.
    """
    return backend().rebuild_index(prefer_gin=prefer_gin)


# --- Reading -----------------------------------------------------------------------------------


def search(
    dossier: object,
    query: str,
    *,
    doc_types: Iterable[str] | None = None,
    issuers: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
    statuses: Iterable[str] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Search the pages of one dossier; best first. Empty filters mean "any".

    Raises SearchFailed when the database cannot answer (never an empty result instead).
    """
    parsed = parse_query(query)
    if parsed.empty:
        return SearchResult(0, [])
    dossier_id = dossier_id_of(dossier)
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    documents = documents_filtered(dossier_id, doc_types, issuers, years, statuses)
    engine = backend()
    # Outside a caller's transaction another connection sees the same pages (postgres.py).
    count_in_parallel = PARALLEL_COUNT and not connection.in_atomic_block
    # Count, ranking and pages in one read snapshot, without the write lock (search_reads).
    with reading("search"):
        ranking = engine.ranked(
            RankQuery(
                parsed=parsed,
                dossier_id=dossier_id,
                documents=documents,
                filtered=any((doc_types, issuers, years, statuses)),
                limit=limit,
                offset=offset,
                count_cap=COUNT_CAP,
                count_in_parallel=count_in_parallel,
            )
        )
        pages = {
            page.pk: page
            for page in Page.objects.filter(
                pk__in=[pk for pk, _ in ranking.pages], document__dossier_id=dossier_id
            ).select_related("document")
        }
    lexemes, prefixes = parsed.lexemes(), parsed.prefixes()
    verdicts: dict[str, bool] = {}
    hits = []
    for pk, rank in ranking.pages:
        page = pages.get(pk)
        if page is None:
            continue
        document = page.document
        hits.append(
            SearchHit(
                document_id=document.pk,
                document_title=document.title,
                page_number=page.number,
                snippet_html=snippet(page.text, lexemes, prefixes, verdicts=verdicts),
                rank=rank,
                doc_type=document.doc_type,
                issuer=document.issuer,
                date=document.date,
            )
        )
    return SearchResult(min(ranking.total, COUNT_CAP), hits, more=ranking.total > COUNT_CAP)


def page_matches(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of every word of ``text`` the query matches, as the snippets mark them."""
    parsed = parse_query(query)
    if parsed.empty:
        return []
    return match_spans(text, parsed.lexemes(), parsed.prefixes())


def term_occurrences(dossier: object, terms: Sequence[str]) -> list[TermOccurrence]:
    """Every occurrence of the terms in the dossier's pages (keyword in context).

    Case-insensitive, whole words, simple inflections (achterstand/achterstanden, gelijke/
    gelijk); a hyphen in a term is optional in the text. Offsets are code points into the page
    text, so an occurrence can become a citation as it is. In the order of ``terms``, then by
    document and page. In a dossier of more than ``TERM_SCAN_PAGES`` pages the search index
    picks the pages to read (those with some form of every word of the term). Raises
    SearchFailed when the database cannot answer.
    """
    dossier_id = dossier_id_of(dossier)
    compiled = []
    for term in dict.fromkeys(t for t in terms if isinstance(t, str)):
        parsed = _terms.compile_term(term)
        if parsed is not None:
            compiled.append((term, parsed))
    if not compiled:
        return []
    with reading("term occurrences"):
        pages = Page.objects.filter(document__dossier_id=dossier_id).count()
        return _terms.occurrences(dossier_id, compiled, narrow=pages > TERM_SCAN_PAGES)


def term_usage(dossier: object, terms: Sequence[str]) -> list[dict]:
    """Occurrences per term, document year and issuer: ``{term, year, issuer, count,
    documents}`` with ``documents`` the number of distinct documents; year None if undated.
    Raises SearchFailed when the database cannot answer."""
    return term_usage_and_occurrences(dossier, terms)[0]


def term_usage_and_occurrences(
    dossier: object, terms: Sequence[str]
) -> tuple[list[dict], list[TermOccurrence]]:
    """:func:`term_usage` and the :func:`term_occurrences` it counts, from one reading of the
    pages: a page that shows both need not read every page of the dossier twice."""
    with reading("term usage"):  # the occurrences and their documents from one snapshot
        occurrences = term_occurrences(dossier, terms)
        documents = {
            pk: (when.year if when else None, issuer)
            for pk, when, issuer in Document.objects.filter(
                pk__in={o.document_id for o in occurrences}
            ).values_list("pk", "date", "issuer")
        }
    return _terms.usage(occurrences, documents, terms), occurrences
