# SPDX-License-Identifier: EUPL-1.2
"""What a search returns: hits, a result, and the occurrences of a term."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SearchHit:
    """One page that matches, with its snippet."""

    document_id: int
    document_title: str
    page_number: int
    snippet_html: str  # the page text escaped, with the matched words in <mark>
    rank: float  # higher is better; only comparable within one result on one engine
    doc_type: str
    issuer: str
    date: date | None


@dataclass(frozen=True)
class SearchResult:
    """One page of hits of a search, and how many pages match in all."""

    total: int  # matching pages, at most the count cap (search.COUNT_CAP)
    hits: list[SearchHit]
    more: bool = False  # True if more than ``total`` pages match (the count stopped at the cap)


@dataclass(frozen=True)
class TermOccurrence:
    """One occurrence of a term in a page, with its context (keyword in context)."""

    term: str
    document_id: int
    page_number: int
    start: int  # code-point offsets into the page text: text[start:end] == match
    end: int
    context_before: str
    match: str
    context_after: str
