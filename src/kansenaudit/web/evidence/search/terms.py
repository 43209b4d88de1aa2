# SPDX-License-Identifier: EUPL-1.2
"""Terms through a dossier: every occurrence with its context (keyword in context), and usage.

A term is found in the page text itself, not in the index: case-insensitive, whole words, in
simple Dutch inflections (:func:`kansenaudit.ingest.inflection.word_forms`), a hyphen optional.
Offsets are code points into the page text, so an occurrence can become a citation as it is.
In a large dossier the engine's index first picks the pages that hold some form of every word.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import connection

from kansenaudit.ingest.inflection import word_forms
from kansenaudit.ingest.search_query import (
    EDGE_PUNCTUATION_RE,
    Operand,
    ParsedQuery,
    clean,
    parse_operand,
)
from kansenaudit.ingest.tokens import Positions
from kansenaudit.web.evidence.models import Document, Page
from kansenaudit.web.evidence.search.base import backend
from kansenaudit.web.evidence.search.results import TermOccurrence

CONTEXT_CHARS = 60  # keyword in context: characters either side
MAX_TERM_WORDS = 8
MAX_TERM_WORD_CHARS = 60


def _trie_pattern(words: Iterable[str]) -> str:
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [
            ("-?" if ch == "-" else re.escape(ch)) + build(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            body = f"(?:{body})?"
        return body

    return build(trie)


@dataclass(frozen=True)
class Term:
    term: str
    pattern: re.Pattern
    words: tuple[tuple[str, ...], ...]  # per word of the term: its forms (for preselection)


def compile_term(term: str) -> Term | None:
    """A term as a pattern of its forms; None if it is no term anyone follows."""
    term = clean(term)
    words = [w for w in re.split(r"\s+", term.strip()) if w]
    words = [w for w in (EDGE_PUNCTUATION_RE.sub("", w) for w in words) if w]
    if not words or len(words) > MAX_TERM_WORDS or max(map(len, words)) > MAX_TERM_WORD_CHARS:
        return None  # not a term anyone follows; it would only make a huge pattern
    forms = []
    parts = []
    for word in words:
        word_set = word_forms(word)
        if "-" in word:  # "kansen-gelijkheid" also as "kansengelijkheid" (the regex: -?)
            word_set |= {f.replace("-", "") for f in word_set}
        forms.append(tuple(sorted(word_set)))
        parts.append(_trie_pattern(word_set))
    pattern = r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"
    return Term(term, re.compile(pattern, re.IGNORECASE), tuple(forms))


def _narrowed(term: Term) -> ParsedQuery | None:
    """An index query for pages that may hold the term (any form of every word), or None."""
    groups = []
    for forms in term.words:
        seen: dict[Positions, Operand] = {}
        for form in forms:
            operand = parse_operand(form, phrase=True)
            if operand is not None and operand.positions not in seen:
                seen[operand.positions] = operand
        if seen:  # a word that is only stop words cannot narrow the pages down
            groups.append(tuple(seen.values()))
    return ParsedQuery(tuple(groups), ()) if groups else None


def _term_pages(dossier_id: int, narrowed: ParsedQuery | None) -> Iterator[tuple[int, int, str]]:
    """(document id, page number, text) of the dossier's pages, or of those the index names."""
    if narrowed is None:
        pages = Page.objects.filter(document__dossier_id=dossier_id).order_by(
            "document_id", "number"
        )
        yield from pages.values_list("document_id", "number", "text").iterator(chunk_size=500)
        return
    documents = Document.objects.filter(dossier_id=dossier_id).order_by().values("pk")
    doc_sql, doc_params = documents.query.sql_with_params()
    where, params = backend().matching_pages(narrowed, dossier_id)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.document_id, p.number, p.text FROM evidence_page p "  # noqa: S608
            f"WHERE {where} AND p.document_id IN ({doc_sql}) ORDER BY p.document_id, p.number",
            [*params, *doc_params],
        )
        while rows := cursor.fetchmany(500):
            yield from rows


def occurrences(
    dossier_id: int, compiled: list[tuple[str, Term]], *, narrow: bool
) -> list[TermOccurrence]:
    """The occurrences of the compiled terms, in their order, then by document and page;
    ``narrow``: let the index pick the pages to read."""
    found: list[TermOccurrence] = []
    if not narrow:
        # Every page is read: read them once for all terms, not once per term.
        per_term: list[list[TermOccurrence]] = [[] for _ in compiled]
        for document_id, number, text in _term_pages(dossier_id, None):
            for (term, parsed), into in zip(compiled, per_term, strict=True):
                into.extend(_found_on_page(term, parsed, document_id, number, text))
        return [occurrence for into in per_term for occurrence in into]
    for term, parsed in compiled:
        for document_id, number, text in _term_pages(dossier_id, _narrowed(parsed)):
            found.extend(_found_on_page(term, parsed, document_id, number, text))
    return found


def _found_on_page(
    term: str, parsed: Term, document_id: int, number: int, text: str
) -> Iterator[TermOccurrence]:
    for match in parsed.pattern.finditer(text):
        start, end = match.span()
        yield TermOccurrence(
            term=term,
            document_id=document_id,
            page_number=number,
            start=start,
            end=end,
            context_before=text[max(0, start - CONTEXT_CHARS) : start],
            match=match.group(),
            context_after=text[end : end + CONTEXT_CHARS],
        )


def usage(
    found: Iterable[TermOccurrence],
    documents: dict[int, tuple[int | None, str]],
    terms: Sequence[str],
) -> list[dict]:
    """Occurrences counted per term, year and issuer (``documents``: id → (year, issuer))."""
    counts: dict[tuple[str, int | None, str], list] = defaultdict(lambda: [0, set()])
    for occurrence in found:
        year, issuer = documents.get(occurrence.document_id, (None, ""))
        cell = counts[(occurrence.term, year, issuer)]
        cell[0] += 1
        cell[1].add(occurrence.document_id)
    order = {term: i for i, term in enumerate(dict.fromkeys(terms))}
    return [
        {"term": term, "year": year, "issuer": issuer, "count": n, "documents": len(docs)}
        for (term, year, issuer), (n, docs) in sorted(
            counts.items(), key=lambda item: (order.get(item[0][0], 0), item[0][1] or 0, item[0][2])
        )
    ]
