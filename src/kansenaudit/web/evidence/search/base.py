# SPDX-License-Identifier: EUPL-1.2
"""What a search engine does, and the engine of the current database.

One interface, two engines (ADR 0010), in the shape of Wagtail's database search backends: the
public functions in :mod:`kansenaudit.web.evidence.search` parse the query, read in one
transaction and build the hits; the engine chosen by ``connection.vendor`` keeps its index and
ranks the pages. Each engine lives in its own module (``sqlite.py``, ``postgres.py``) and runs
the same tests (tests/web/test_evidence_search.py runs on both databases).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from kansenaudit.ingest.search_query import ParsedQuery
from kansenaudit.web.evidence.models import Page


@dataclass(frozen=True)
class RankQuery:
    """What to rank: a parsed query in one dossier's documents, one page of the result."""

    parsed: ParsedQuery
    dossier_id: int
    documents: QuerySet  # the documents that pass the filters, a ``values("pk")`` subquery
    filtered: bool  # False when ``documents`` is the whole dossier
    limit: int
    offset: int
    count_cap: int  # count the matches up to ``count_cap + 1``
    count_in_parallel: bool  # outside a caller's transaction: may count on another connection


@dataclass(frozen=True)
class Ranking:
    """One page of ranked matches: (page id, rank) best first, and the count up to the cap."""

    pages: list[tuple[int, float]]
    total: int  # matching pages, counted up to ``count_cap + 1``


class SearchBackend(ABC):
    """The engine behind the search: its index, its ranking and its page filter."""

    vendor: str

    @abstractmethod
    def index_pages(self, pages: Sequence[Page]) -> None:
        """Add (or replace) saved pages in the index, inside the caller's transaction."""

    @abstractmethod
    def unindex_document(self, document_id: int) -> None:
        """Remove a document's pages from the index before they are deleted or replaced."""

    @abstractmethod
    def reindex_all(self) -> int:
        """Index every page again (after a restore, say); returns the page count."""

    @abstractmethod
    def rebuild_index(self, *, prefer_gin: bool = False) -> dict:
        """Rebuild the index; returns ``{engine, index, pages}``."""

    @abstractmethod
    def ranked(self, query: RankQuery) -> Ranking:
        """The matching pages, best first, from ``query.offset``, and their capped count.
        Called inside the search's read transaction."""

    @abstractmethod
    def matching_pages(self, parsed: ParsedQuery, dossier_id: int) -> tuple[str, list]:
        """An SQL condition on ``evidence_page p`` that keeps the dossier's pages matching
        ``parsed``, with its parameters (for the keyword in context of a large dossier)."""


def backend() -> SearchBackend:
    """The engine of the default database connection."""
    # Imported here: each engine module imports this one for the interface.
    if connection.vendor == "postgresql":
        from kansenaudit.web.evidence.search import postgres

        return postgres.BACKEND
    if connection.vendor == "sqlite":
        from kansenaudit.web.evidence.search import sqlite

        return sqlite.BACKEND
    raise NotImplementedError(f"search on {connection.vendor}")
