"""Dutch full-text search over a dossier's evidence: one interface, two engines.

PostgreSQL searches the generated column ``search_vector = to_tsvector('dutch', text)`` through
a GIN index (migration 0002), so the index follows the pages by itself. SQLite searches an FTS5
table, ``evidence_page_fts``, whose ``body`` is the page text as the lexemes PostgreSQL would
make of it: the same tokens (a Python imitation of PostgreSQL's default text-search parser), the
same stop words and the same Snowball stemmer ("dutch_porter", the original Dutch algorithm that
PostgreSQL ships). That is what makes the two engines return the same pages for the same query.
Query syntax, ranking, snippets and the known differences: docs/methods/search.md.

Nothing a user types can make these functions raise: the query is parsed here into words,
phrases and prefixes, every operand reaches the database as a bound parameter (PostgreSQL) or as
a quoted FTS5 string made of sanitised lexemes (SQLite), and odd input yields an empty result.
A failing database is never an empty result: every search reads in one read transaction that
takes no write lock, and a database error raises ``SearchFailed`` (see ``search_reads``).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import islice

import snowballstemmer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils.html import escape

from kansenaudit.web.evidence.models import Document, Page
from kansenaudit.web.evidence.search_index_pg import (
    ensure_rum_index,
    has_rum_index,
    use_gin_index,
)
from kansenaudit.web.evidence.search_reads import SearchFailed as SearchFailed  # for callers
from kansenaudit.web.evidence.search_reads import reading

logger = logging.getLogger(__name__)

FTS_TABLE = "evidence_page_fts"
PG_CONFIG = "dutch"
# The stored, generated column ``to_tsvector('dutch', text)`` of migration 0002 (GIN-indexed).
# Ranking reads every matching page's vector; recomputing it from the text instead (an
# expression index) made a query matching 48,000 pages take 5 s instead of 0.1 s.
PG_VECTOR = "p.search_vector"

MAX_QUERY_CHARS = 1000  # longer input is cut off: nobody types more, and it bounds the work
MAX_OPERANDS = 24
MIN_PREFIX = 3  # `ka*` would expand to thousands of index terms
MAX_PREFIX = 100
MAX_LIMIT = 200
# Matches are counted up to here; beyond it the page says "more than 1,000". Counting every
# match of a common word costs more than finding the best 20, and nobody pages that far.
COUNT_CAP = 1000
# PostgreSQL: count on a second connection while ranking (see _count_pool).
PARALLEL_COUNT = True
SNIPPET_CHARS = 200
CONTEXT_CHARS = 60  # keyword in context: characters either side
MAX_TERM_WORDS = 8
MAX_TERM_WORD_CHARS = 60
TERM_SCAN_PAGES = 2000  # above this many pages the index preselects pages for term matching

# PostgreSQL's Dutch stop words (share/tsearch_data/dutch.stop). They are not indexed but keep
# their position, so "kansen voor iedereen" still requires exactly one word in between.
STOP_WORDS = frozenset(
    """
    de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om
    hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar
    naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al
    waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd
    altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest
    andere
    """.split()  # noqa: SIM905 (the list as PostgreSQL ships it)
)

# A stop word's position in the FTS5 body. A private-use character: the tokenizer below treats
# it as a separator, so no real lexeme can ever equal it.
STOP_MARK = "\ue000"
# Characters FTS5 must keep inside a token (numbers like 12.000, e-mail, hosts, paths).
FTS_TOKENCHARS = "-./@+"
# bm25 weights per column (page_id, dossier_id, body): only the body counts for the rank.
FTS_RANK = f"bm25({FTS_TABLE}, 0.0, 0.0, 1.0)"
# A page's row id in the FTS5 index is dossier id × 2³² + page id, so that a dossier's pages are
# one range of row ids: FTS5 keeps a search inside the dossier by that range, which it applies
# while it walks the index, instead of matching a dossier term on every page (13–25 % of the
# time of a broad search; docs/benchmarks.md). Page ids stay below 2³².
FTS_ROWID_SPAN = 2**32


def fts_rowid_range(dossier_id: int) -> tuple[int, int]:
    """The first and last FTS5 row id a page of ``dossier_id`` can have."""
    first = int(dossier_id) * FTS_ROWID_SPAN
    return first, first + FTS_ROWID_SPAN - 1


def fts_rowid(dossier_id: int, page_id: int) -> int:
    """The FTS5 row id of page ``page_id`` of dossier ``dossier_id``."""
    if not 0 < int(page_id) < FTS_ROWID_SPAN:
        raise ValueError(f"page id {page_id} does not fit the search index")
    return fts_rowid_range(dossier_id)[0] + int(page_id)


# --- Results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
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
    total: int  # matching pages, at most COUNT_CAP
    hits: list[SearchHit]
    more: bool = False  # True if more than ``total`` pages match (the count stopped at the cap)


@dataclass(frozen=True)
class TermOccurrence:
    term: str
    document_id: int
    page_number: int
    start: int  # code-point offsets into the page text: text[start:end] == match
    end: int
    context_before: str
    match: str
    context_after: str


# --- Text analysis: PostgreSQL's `dutch` configuration, imitated ------------------------------


class _Stemmer(threading.local):
    def __init__(self) -> None:
        # Snowball 3 renamed the original Dutch stemmer, the one PostgreSQL uses, "dutch_porter"
        # and made "dutch" a new algorithm (gelijke → lijke); only the old one gives PG's stems.
        names = snowballstemmer.algorithms()
        self.stemmer = snowballstemmer.stemmer(
            "dutch_porter" if "dutch_porter" in names else "dutch"
        )


_stemmer = _Stemmer()


def _lower(token: str) -> str:
    low = token.lower()
    if len(low) != len(token):  # 'İ' → 'i̇' in Python, 'i' in PostgreSQL (towlower)
        low = "".join(c.lower() if len(c.lower()) == 1 else c.lower()[0] for c in token)
    return low


@lru_cache(maxsize=262_144)
def _word_lexeme(token: str) -> str | None:
    """A word of letters: None for a stop word, otherwise its Snowball stem (dutch_stem)."""
    low = _lower(token)
    if low in STOP_WORDS:
        return None
    return _stemmer.stemmer.stemWord(low)


_MAX_TOKEN_BYTES = 2047  # PostgreSQL skips longer words ("word is too long to be indexed")
_HOST = (
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
    r"(?![A-Za-z0-9]|\.[A-Za-z0-9])"
)
_SEGMENT = r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*"  # of a path
_PART = r"[0-9]*[^\W\d_][^\W_]*"  # of a hyphenated word: needs a letter
# One alternative per token type of PostgreSQL's default parser, in the order it prefers them.
# Applied to runs without whitespace; whatever matches nothing is a separator (PG: blank).
_TOKEN_RE = re.compile(
    rf"""
    (?P<proto>[A-Za-z][A-Za-z0-9+.\-]*://)
  | (?P<email>[A-Za-z0-9_.+\-]+@{_HOST})
  | (?P<url>{_HOST})(?P<path>/[\x21-\x7e]+)
  | (?P<host>{_HOST})
  | (?P<num>[+-]?[0-9]+(?:\.[0-9]+)+(?:[eE][+-]?[0-9]+)?)
  | (?P<file>/[./]*{_SEGMENT}(?:(?:\.|/[./]*){_SEGMENT})*|[A-Za-z0-9_]+(?:(?:\.|/[./]*){_SEGMENT})+)
  | (?P<hword>{_PART}(?:-{_PART})+)
  | (?P<int>[+-][0-9]+)
  | (?P<word>[^\W_]+)
    """,
    re.VERBOSE,
)
# Markup and entities are skipped by PostgreSQL's parser (tag and entity are not indexed).
# The content of <script> and <style> goes with them, to the end of the text if unclosed.
_MARKUP_RE = re.compile(
    r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)"
    r"|</?[A-Za-z][^<>]*>|&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);",
    re.IGNORECASE | re.DOTALL,
)
_DIGITS = frozenset("0123456789")

Positions = tuple[str | None, ...]  # one entry per token position; None for a stop word


def _alnum_positions(token: str) -> list[str | None]:
    """A run of letters and digits: word (stemmed), number or numword (lower-cased only)."""
    if token.isalpha():
        return [_word_lexeme(token)]
    if all(c.isalpha() or c in _DIGITS for c in token):
        return [_lower(token)]
    # Other "alphanumerics" (², ½, Arabic digits) are blanks to PostgreSQL: split on them.
    out: list[str | None] = []
    run = ""
    for ch in token + " ":
        if ch.isalpha() or ch in _DIGITS:
            run += ch
        elif run:
            out.extend(_alnum_positions(run))
            run = ""
    return out


def _token_positions(
    kind: str, match: re.Match, previous_end: int, previous_kind: str
) -> list[str | None]:
    text = match.group()
    if len(text.encode("utf-8")) >= _MAX_TOKEN_BYTES:
        return []
    if kind == "word":
        return _alnum_positions(text)
    if kind == "hword":
        parts = text.split("-")
        # A compound with digits (numhword) goes to the simple dictionary: no stemming.
        whole = _lower(text) if any(c in _DIGITS for c in text) else _word_lexeme(text)
        out: list[str | None] = [whole]
        for part in parts:
            out.extend(_alnum_positions(part))
        return out
    if kind == "url":
        host, path = match.group("url"), match.group("path")
        return [_lower(host + path), _lower(host), _lower(path)]
    if kind == "int" and previous_kind == "hword" and match.start() == previous_end:
        return [text[1:]]  # "ab-cd-2": PostgreSQL reads the 2 unsigned after a compound
    if kind == "proto":
        return []
    return [_lower(text)]


def _chunk_tokens(chunk: str) -> Iterator[tuple[int, int, list[str | None]]]:
    previous_end, previous_kind = -1, ""
    for match in _TOKEN_RE.finditer(chunk):
        kind = match.lastgroup or ""
        if kind == "path":
            kind = "url"
        positions = _token_positions(kind, match, previous_end, previous_kind)
        previous_end, previous_kind = match.end(), kind
        if positions:
            yield match.start(), match.end(), positions


@lru_cache(maxsize=131_072)
def _chunk_positions(chunk: str) -> Positions:
    if chunk.isalpha():  # the common case: a plain word between spaces
        return (_word_lexeme(chunk),)
    out: list[str | None] = []
    for _start, _end, positions in _chunk_tokens(chunk):
        out.extend(positions)
    return tuple(out)


def _without_markup(text: str) -> str:
    if "<" in text or "&" in text:  # same length, so offsets stay valid
        return _MARKUP_RE.sub(lambda m: " " * len(m.group()), text)
    return text


def text_positions(text: str) -> list[str | None]:
    """The lexemes of a text, one per position, as ``to_tsvector('dutch', text)`` has them."""
    out: list[str | None] = []
    for chunk in _without_markup(text).split():
        out.extend(_chunk_positions(chunk))
    return out


_CHUNK_RE = re.compile(r"\S+")


_FTS_UNSAFE_RE = re.compile(rf"[^\w{re.escape(FTS_TOKENCHARS)}]|_")


def _fts_token(lexeme: str | None) -> str:
    # FTS5's unicode61 tokenizer must see each lexeme as exactly one token.
    if lexeme is None:
        return STOP_MARK
    return _FTS_UNSAFE_RE.sub("", lexeme) or STOP_MARK


def fts_body(text: str) -> str:
    """The FTS5 ``body`` of a page: its lexemes in order, stop words as a placeholder."""
    return " ".join(_fts_token(lexeme) for lexeme in text_positions(text))


# --- Keeping the index in sync -----------------------------------------------------------------


def index_pages(pages: Iterable[Page]) -> None:
    """Add (or replace) pages in the search index, inside the caller's transaction.

    On PostgreSQL the generated vector column and its index follow the pages: nothing to do.
    """
    if connection.vendor != "sqlite":
        return
    pages = [page for page in pages if page.pk is not None]
    if not pages:
        return
    dossier_of = dict(
        Document.objects.filter(pk__in={page.document_id for page in pages}).values_list(
            "pk", "dossier_id"
        )
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(pages), 500):
            chunk = pages[start : start + 500]
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


def unindex_document(document_id: int) -> None:
    """Remove a document's pages from the index; call it before deleting or replacing them."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid IN "  # noqa: S608
            f"(SELECT d.dossier_id * {FTS_ROWID_SPAN} + p.id FROM evidence_page p "
            "JOIN evidence_document d ON d.id = p.document_id WHERE p.document_id = %s)",
            [document_id],
        )


def reindex_all() -> int:
    """Rebuild the SQLite index from the pages (after a restore, say); returns the page count."""
    if connection.vendor != "sqlite":
        return Page.objects.count()
    count = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        batch: list[Page] = []
        for page in Page.objects.only("id", "document_id", "text").iterator(chunk_size=1000):
            batch.append(page)
            if len(batch) == 1000:
                index_pages(batch)
                count += len(batch)
                batch = []
        index_pages(batch)
        count += len(batch)
    return count


def rebuild_index(*, prefer_gin: bool = False) -> dict:
    """Rebuild the search index: SQLite's FTS5 table from the pages; on PostgreSQL the RUM
    index where the server has the extension (or GIN if asked for or unavailable).

    Returns ``{engine, index, pages}``.
    """
    if connection.vendor != "postgresql":
        return {"engine": connection.vendor, "index": "fts5", "pages": reindex_all()}
    if prefer_gin or not ensure_rum_index(connection):
        use_gin_index(connection)  # also where neither index survived a restore
    index = "rum" if has_rum_index(connection) else "gin"
    return {"engine": "postgresql", "index": index, "pages": Page.objects.count()}


# --- Query parsing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Operand:
    text: str  # as typed, without quotes or operators; what PostgreSQL parses itself
    positions: Positions  # our lexemes of `text`, stop words inside kept as None
    prefix: str = ""  # `kans*`: the lower-cased, accent-folded prefix
    variants: tuple[str, ...] = ()  # lexemes of other inflections of a single word


@dataclass(frozen=True)
class ParsedQuery:
    groups: tuple[tuple[_Operand, ...], ...]  # all groups must match; any operand in a group
    excluded: tuple[_Operand, ...]  # none of these may match

    @property
    def empty(self) -> bool:
        return not self.groups

    def lexemes(self) -> set[str]:
        return {
            lex
            for group in self.groups
            for op in group
            for lex in (*op.positions, *op.variants)
            if lex
        }

    def prefixes(self) -> tuple[str, ...]:
        return tuple(op.prefix for group in self.groups for op in group if op.prefix)


_QUERY_TOKEN_RE = re.compile(r'(?P<neg>-*)"(?P<phrase>[^"]*)(?:"|$)|(?P<word>[^\s"]+)')
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "″": '"'})
_OR_WORDS = frozenset({"OR", "OF"})
_NOT_WORDS = frozenset({"NOT", "NIET"})
_AND_WORDS = frozenset({"AND", "EN"})
# The Snowball Dutch prelude folds these accents before stemming; a prefix must be folded alike.
_PREFIX_FOLD = str.maketrans("äëïöüáéíóú", "aeiouaeiou")


def _clean(text: object) -> str:
    text = "" if text is None else str(text)
    # NUL and lone surrogates cannot be sent to PostgreSQL (or encoded for SQLite at all).
    text = text.replace("\x00", " ").encode("utf-8", "ignore").decode("utf-8")
    return text[:MAX_QUERY_CHARS]


def _trimmed_positions(text: str) -> Positions:
    positions = text_positions(text)
    while positions and positions[0] is None:  # PostgreSQL drops leading/trailing stop words
        positions.pop(0)
    while positions and positions[-1] is None:
        positions.pop()
    return tuple(positions)


_EDGE_PUNCTUATION_RE = re.compile(r"^[\W_]+|[\W_]+$")


def _operand(raw: str, *, phrase: bool) -> _Operand | None:
    prefix = ""
    if not phrase and raw.endswith("*"):
        stem = raw.rstrip("*")
        if MIN_PREFIX <= len(stem) <= MAX_PREFIX and stem.isalnum() and "_" not in stem:
            prefix = _lower(stem).translate(_PREFIX_FOLD)
        raw = stem
    positions = _trimmed_positions(raw)
    if not positions and not prefix:
        return None  # only stop words or punctuation: nothing to look for
    variants: tuple[str, ...] = ()
    core = _EDGE_PUNCTUATION_RE.sub("", raw)  # "kansen," or "(kansen" is still one word
    if not phrase and not prefix and len(positions) == 1 and core.isalpha():
        variants = _variants(core, positions[0] or "")
    return _Operand(raw, positions, prefix, variants)


def parse_query(query: object) -> ParsedQuery:
    """Parse the search box (syntax in docs/methods/search.md); never raises."""
    text = _clean(query).translate(_QUOTES)
    groups: list[list[_Operand]] = []
    excluded: list[_Operand] = []
    pending_or = pending_not = False
    last_positive = False
    count = 0
    for match in _QUERY_TOKEN_RE.finditer(text):
        if count >= MAX_OPERANDS:
            break
        negated = pending_not
        if match.group("phrase") is not None:
            negated = negated or bool(match.group("neg"))
            operand = _operand(match.group("phrase"), phrase=True)
        else:
            word = match.group("word")
            if word in _OR_WORDS:
                pending_or = True
                continue
            if word in _NOT_WORDS:
                pending_not = True
                continue
            if word in _AND_WORDS:
                continue
            if word.startswith("-"):
                negated = True
                word = word.lstrip("-")
            operand = _operand(word.lstrip("+"), phrase=False)
        pending_not = False
        if operand is None:
            continue
        count += 1
        if negated:
            excluded.append(operand)
            last_positive = pending_or = False
            continue
        if pending_or and last_positive:
            groups[-1].append(operand)
        else:
            groups.append([operand])
        last_positive, pending_or = True, False
    return ParsedQuery(tuple(tuple(g) for g in groups), tuple(excluded))


def _stem(word: str) -> str:
    return _stemmer.stemmer.stemWord(word)


def _plurals(root: str) -> set[str]:
    if root.endswith("e"):
        return {root + "n", root + "s"}  # gemeente → gemeenten, gemeentes
    if root[-1:] in _VOWELS:
        return {root + "s"}  # thema → themas
    out = {root + "en"}
    if root.endswith(("el", "em", "er", "je")):
        out.add(root + "s")  # ouder → ouders
    short = 3 <= len(root) <= 4  # in a short word the vowel before one consonant is short
    if short and _is_consonant(root[-1]) and root[-2] in _VOWELS and _is_consonant(root[-3]):
        out.add(root + root[-1] + "en")  # les → lessen
    return out


@lru_cache(maxsize=4096)
def _variants(word: str, stem: str) -> tuple[str, ...]:
    """Lexemes of the singular and plural of a single search word, besides its own stem.

    The Snowball stemmer leaves some pairs apart: kans → kan but kansen → kans, les/lessen,
    gemeente/gemeentes. Searching for either finds both. Deliberately no s/z or f/v
    alternation: it would also join onderwijs and onderwijzen.
    """
    low = _lower(word)
    roots = _roots(low, devoice=False)
    s_plural = (
        len(low) > 4
        and low.endswith("s")
        and (low[-2] in _VOWELS or low[:-1].endswith(("el", "em", "er")))
    )
    if s_plural:
        roots.add(low[:-1])  # gemeentes → gemeente, themas → thema
    forms = set(roots)
    for root in roots:
        if not (root == low and (low.endswith("en") or s_plural)):
            forms |= _plurals(root)
    forms.add(stem)  # the stem of the stem: kansen → kans → kan
    lexemes = {_stem(form) for form in forms if len(form) >= 2} - {stem}
    return tuple(sorted(lexemes))[:8]


# --- Engines -----------------------------------------------------------------------------------


def _fts_operand(op: _Operand) -> str:
    parts = []
    if op.positions:
        parts.append('"' + " ".join(_fts_token(lex) for lex in op.positions) + '"')
    parts.extend(f'"{_fts_token(lex)}"' for lex in op.variants)
    if op.prefix:
        parts.append(f'"{_fts_token(op.prefix)}"*')
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def fts_match(parsed: ParsedQuery) -> str:
    """The FTS5 MATCH expression: every operand a quoted string of sanitised lexemes, looked
    for in the body of the pages (the dossier is a range of row ids, see FTS_ROWID_SPAN)."""
    groups = ["(" + " OR ".join(_fts_operand(op) for op in group) + ")" for group in parsed.groups]
    expression = "(" + " AND ".join(groups) + ")"
    if parsed.excluded:
        expression += " NOT (" + " OR ".join(_fts_operand(op) for op in parsed.excluded) + ")"
    return f"body : ({expression})"


def _tsquery_lexeme(lexeme: str) -> str:
    """A lexeme quoted for tsquery input, taken literally (no parsing, no stemming)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _pg_operand(op: _Operand, params: list) -> str:
    # PostgreSQL parses and stems each operand itself, with the configuration of the index.
    parts = []
    if op.positions:
        parts.append(f"phraseto_tsquery('{PG_CONFIG}', %s)")
        params.append(op.text)
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


def _dossier_id(dossier: object) -> int:
    return int(getattr(dossier, "pk", dossier))


def _year(value: object) -> int | None:
    try:
        year = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return year if 1 <= year <= 9998 else None


def _year_spans(years: Iterable[int]) -> list[tuple[int, int]]:
    """Years as [start, stop) spans, so the filter is a date range the index can use."""
    if isinstance(years, int):
        years = [years]
    if isinstance(years, range) and years.step == 1:
        values = [max(1, years.start), min(9999, years.stop - 1)]
        return [(values[0], values[1] + 1)] if values[0] <= values[1] else []
    clean = sorted({y for y in map(_year, years) if y is not None})
    spans: list[tuple[int, int]] = []
    for year in clean:
        if spans and spans[-1][1] == year:
            spans[-1] = (spans[-1][0], year + 1)
        else:
            spans.append((year, year + 1))
    return spans


def _documents(
    dossier_id: int,
    doc_types: Iterable[str] | None,
    issuers: Iterable[str] | None,
    years: Iterable[int] | None,
    statuses: Iterable[str] | None,
) -> QuerySet:
    documents = Document.objects.filter(dossier_id=dossier_id)
    if doc_types:
        documents = documents.filter(doc_type__in=list(doc_types))
    if issuers:
        documents = documents.filter(issuer__in=list(issuers))
    if statuses:
        documents = documents.filter(status__in=list(statuses))
    if years:
        in_years = Q(pk__in=[])
        for start, stop in _year_spans(years):
            in_years |= Q(date__gte=date(start, 1, 1), date__lt=date(min(stop, 9999), 1, 1))
        documents = documents.filter(in_years)
    return documents.order_by().values("pk")


def _ranked_sqlite(
    parsed: ParsedQuery,
    dossier_id: int,
    documents: QuerySet | None,
    limit: int,
    offset: int,
) -> tuple[list[tuple[int, float]], int]:
    first, last = fts_rowid_range(dossier_id)
    where = f"{FTS_TABLE} MATCH %s AND rowid BETWEEN %s AND %s"
    params: list = [fts_match(parsed), first, last]
    if documents is not None:
        doc_sql, doc_params = documents.query.sql_with_params()
        # As an expression, not a bare rowid, so FTS5 does not take the IN list as row ids to
        # look up one by one.
        where += (
            f" AND rowid - {first} IN (SELECT id FROM evidence_page "  # noqa: S608
            f"WHERE document_id IN ({doc_sql}))"
        )
        params += doc_params
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {where} LIMIT %s)",  # noqa: S608
            [*params, COUNT_CAP + 1],
        )
        total = cursor.fetchone()[0]
        if total <= offset:
            return [], total
        cursor.execute(
            f"SELECT rowid - {first}, {FTS_RANK} AS score FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {where} ORDER BY score, rowid LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return [(pk, -score) for pk, score in cursor.fetchall()], total


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


def _ranked_postgresql(
    parsed: ParsedQuery,
    documents: QuerySet,
    limit: int,
    offset: int,
    count_in_parallel: bool = False,
) -> tuple[list[tuple[int, float]], int]:
    with connection.cursor() as cursor:
        # Compiling these short queries to machine code costs more than it saves (~90 ms).
        cursor.execute("SET LOCAL jit = off")
        # Ranking sorts every match: 77,000 of them overflow the default 4 MB to disk.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        if has_rum_index(connection):
            # The planner cannot see that a sequential scan reads every page's vector from
            # TOAST: it would choose one for common words (300 ms instead of 20 ms).
            cursor.execute("SET LOCAL enable_seqscan = off")
            ranked = _ranked_rum(cursor, parsed, documents, limit, offset, count_in_parallel)
        else:
            ranked = _ranked_gin(cursor, parsed, documents, limit, offset)
        # Only after success: a failed query aborts the transaction, whose rollback to the
        # savepoint undoes the settings anyway, and a RESET there would hide the real error.
        cursor.execute(
            "RESET jit; RESET work_mem; RESET enable_seqscan; RESET enable_sort; "
            "RESET enable_bitmapscan"
        )
        return ranked


def _ranked_rum(
    cursor: object,
    parsed: ParsedQuery,
    documents: QuerySet,
    limit: int,
    offset: int,
    count_in_parallel: bool = False,
) -> tuple[list[tuple[int, float]], int]:
    """Best pages first straight from the RUM index; the count stops at ``COUNT_CAP``.

    ``<=>`` is RUM's distance, the inverse of its rank (a cover-density rank like ts_rank_cd,
    without length normalisation): smaller is better. No tie-breaker in the ORDER BY: any
    second key makes PostgreSQL rank every match again. Equal scores come in index order,
    which is the same for the same data, so paging stays consistent.
    """
    doc_sql, doc_params = documents.query.sql_with_params()
    tsquery, query_params = pg_tsquery(parsed)
    params = [*query_params, *doc_params]
    # The count: a bitmap over the RUM index, which checks phrases from the stored positions.
    # Not an index scan, nor a loop over the dossier's documents that tests each page: both
    # read the vectors from TOAST page by page, which the planner does not see (300 ms for
    # 10,000 pages instead of 20 ms).
    count_sql, count_params = _rum_count_sql(tsquery, doc_sql), [*params, COUNT_CAP + 1]
    counting: Future | None = None
    if count_in_parallel:
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


def _ranked_gin(
    cursor: object, parsed: ParsedQuery, documents: QuerySet, limit: int, offset: int
) -> tuple[list[tuple[int, float]], int]:
    """Without RUM: rank every matching page with ts_rank_cd (time grows with the matches)."""
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
    dossier_id = _dossier_id(dossier)
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    documents = _documents(dossier_id, doc_types, issuers, years, statuses)
    filtered = any((doc_types, issuers, years, statuses))
    # Outside a caller's transaction another connection sees the same pages (see _count_pool).
    count_in_parallel = PARALLEL_COUNT and not connection.in_atomic_block
    # Count, ranking and pages in one read snapshot, without the write lock (search_reads).
    with reading("search"):
        if connection.vendor == "postgresql":
            ranked, total = _ranked_postgresql(parsed, documents, limit, offset, count_in_parallel)
        elif connection.vendor == "sqlite":
            ranked, total = _ranked_sqlite(
                parsed, dossier_id, documents if filtered else None, limit, offset
            )
        else:
            raise NotImplementedError(f"search on {connection.vendor}")
        pages = {
            page.pk: page
            for page in Page.objects.filter(
                pk__in=[pk for pk, _ in ranked], document__dossier_id=dossier_id
            ).select_related("document")
        }
    lexemes, prefixes = parsed.lexemes(), parsed.prefixes()
    verdicts: dict[str, bool] = {}
    hits = []
    for pk, rank in ranked:
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
    return SearchResult(min(total, COUNT_CAP), hits, more=total > COUNT_CAP)


# --- Snippets ----------------------------------------------------------------------------------

_SPACE_RE = re.compile(r"\s+")


# Snowball folds these accents before stemming (its prelude); a stem's vowel may be any of them.
_FOLDED = {"a": "[aäá]", "e": "[eëé]", "i": "[iïí]", "o": "[oöó]", "u": "[uüú]"}


@lru_cache(maxsize=512)
def _candidates_re(lexemes: frozenset[str], prefixes: tuple[str, ...]) -> re.Pattern | None:
    """A loose pattern found in every chunk of text that can match, or None.

    The Dutch stemmer changes only the last two letters of what it keeps (a suffix off, a
    doubled vowel or consonant made single) and folds accents, so a matching word contains its
    lexeme without the last two letters. The pattern also finds other words ("kan" in
    "kanaal"): a candidate is only a place to look, the lexemes decide.
    """
    cores = []
    for lexeme in (*lexemes, *prefixes):
        core = lexeme[:-2] if len(lexeme) > 4 else lexeme[:2]
        if len(core) < 2:
            return None  # would match nearly everywhere: no gain over reading every word
        cores.append("".join(_FOLDED.get(ch, re.escape(ch)) for ch in core))
    if not cores:
        return None
    return re.compile("|".join(sorted(set(cores))), re.IGNORECASE)


def _first_match(
    clean: str, matching: Callable[[str], bool], candidates: re.Pattern | None
) -> int | None:
    """The offset of the first chunk of ``clean`` that matches, or None."""
    if candidates is None:  # every word in turn, on the split words (no match objects)
        first = next((i for i, word in enumerate(clean.split()) if matching(word)), None)
        if first is None:
            return None
        return next(islice(_CHUNK_RE.finditer(clean), first, None)).start()
    checked = -1  # end of the last chunk looked at
    for candidate in candidates.finditer(clean):
        start = candidate.start()
        if start < checked:
            continue  # the same chunk again
        while start > 0 and not clean[start - 1].isspace():
            start -= 1
        chunk = _CHUNK_RE.match(clean, start)
        checked = chunk.end()
        if matching(chunk.group()):
            return start
    return None


def _matches(
    text: str,
    lexemes: set[str],
    prefixes: tuple[str, ...],
    size: int = SNIPPET_CHARS,
    verdicts: dict[str, bool] | None = None,
) -> list[tuple[int, int]]:
    """Offsets of the matched words, from the first match to ``size`` characters after it.

    ``verdicts`` remembers per chunk of text whether it matches; share it between the pages of
    one result (they repeat most of their words) to look each word up once.
    """

    def hit(positions: Sequence[str | None]) -> bool:
        if not lexemes.isdisjoint(positions):
            return True
        return bool(prefixes) and any(lex and lex.startswith(prefixes) for lex in positions)

    if verdicts is None:
        verdicts = {}

    def matching(word: str) -> bool:
        verdict = verdicts.get(word)
        if verdict is None:  # the cached lexemes of the chunk say whether to look closer
            verdict = verdicts[word] = hit(_chunk_positions(word))
        return verdict

    clean = _without_markup(text)
    first = _first_match(clean, matching, _candidates_re(frozenset(lexemes), prefixes))
    if first is None:
        return []
    marked: list[tuple[int, int]] = []
    for chunk in _CHUNK_RE.finditer(clean, first):
        base = chunk.start()
        if marked and base > marked[0][0] + size:
            break  # beyond the snippet
        word = chunk.group()
        if not matching(word):
            continue
        for start, end, positions in _chunk_tokens(word):
            if not hit(positions):
                continue
            if marked and base + start <= marked[-1][1]:  # a compound and its part: one mark
                marked[-1] = (marked[-1][0], max(base + end, marked[-1][1]))
            else:
                marked.append((base + start, base + end))
    return marked


def _escaped(text: str) -> str:
    return escape(_SPACE_RE.sub(" ", text))


def snippet(
    text: str,
    lexemes: set[str],
    prefixes: tuple[str, ...] = (),
    size: int = SNIPPET_CHARS,
    verdicts: dict[str, bool] | None = None,
) -> str:
    """About ``size`` characters around the first match: escaped text, matches in <mark>."""
    marks = _matches(text, lexemes, prefixes, size, verdicts)
    first = marks[0][0] if marks else 0
    start = max(0, first - size // 3)
    end = min(len(text), start + size)
    if start > 0:  # do not cut a word in two
        space = _SPACE_RE.search(text, start, first)
        start = space.end() if space else start
    if end < len(text):
        spaces = list(_SPACE_RE.finditer(text, max(first, start), end))
        end = spaces[-1].start() if spaces and spaces[-1].start() > first else end
    out = ["…" if start > 0 else ""]
    cursor = start
    for mark_start, mark_end in marks:
        if mark_end <= start or mark_start >= end:
            continue
        mark_start, mark_end = max(mark_start, start), min(mark_end, end)
        out.append(_escaped(text[cursor:mark_start]))
        out.append(f"<mark>{_escaped(text[mark_start:mark_end])}</mark>")
        cursor = mark_end
    out.append(_escaped(text[cursor:end]))
    out.append("…" if end < len(text) else "")
    return "".join(out).strip()


# --- Terms: keyword in context and usage -------------------------------------------------------

_VOWELS = "aeiou"
_SUFFIXES = (
    "",
    "e",
    "en",
    "s",
    "'s",
    "’s",
    "n",
    "er",
    "ere",
    "st",
    "ste",
    "t",
    "d",
    "de",
    "den",
    "te",
    "ten",
)


def _is_consonant(ch: str) -> bool:
    return ch.isalpha() and ch not in _VOWELS


def _roots(word: str, *, devoice: bool = True) -> set[str]:
    roots = {word}
    if word.endswith("heid"):
        roots.add(word[:-4] + "hed")  # gelijkheid → gelijkheden
    for ending in ("en", "e", "'s", "’s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            root = word[: -len(ending)]
            roots.add(root)
            if len(root) >= 2 and root[-1] == root[-2] and _is_consonant(root[-1]):
                roots.add(root[:-1])  # katten → kat
            if (
                len(root) >= 3
                and _is_consonant(root[-1])
                and root[-2] in _VOWELS
                and _is_consonant(root[-3])
                and ending in ("en", "e")
            ):
                roots.add(root[:-1] + root[-2] + root[-1])  # investeren → investeer
            if devoice and root.endswith("v"):
                roots.add(root[:-1] + "f")  # leven → leef
            if devoice and root.endswith("z"):
                roots.add(root[:-1] + "s")  # huizen → huis
    return roots


def word_forms(word: str) -> set[str]:
    """Simple Dutch inflections of a word (plural, -e, -er/-st, verb endings); lower-case."""
    word = _lower(word)
    forms = set()
    for root in _roots(word):
        for suffix in _SUFFIXES:
            forms.add(root + suffix)
            if not suffix or suffix[0] not in _VOWELS:
                continue
            last = root[-1:]
            if len(root) >= 3 and _is_consonant(last) and root[-2] in _VOWELS:
                if root[-3] == root[-2]:
                    forms.add(root[:-2] + last + suffix)  # groot → grote
                elif _is_consonant(root[-3]) and last not in "wxy":
                    forms.add(root + last + suffix)  # kat → katten
            if last == "f":
                forms.add(root[:-1] + "v" + suffix)
            if last == "s" and len(root) >= 2 and root[-2] in _VOWELS:
                forms.add(root[:-1] + "z" + suffix)
    return {f for f in forms if f}


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
class _Term:
    term: str
    pattern: re.Pattern
    words: tuple[tuple[str, ...], ...]  # per word of the term: its forms (for preselection)


def _term(term: str) -> _Term | None:
    words = [w for w in re.split(r"\s+", term.strip()) if w]
    words = [w for w in (_EDGE_PUNCTUATION_RE.sub("", w) for w in words) if w]
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
    return _Term(term, re.compile(pattern, re.IGNORECASE), tuple(forms))


def _narrowed(term: _Term) -> ParsedQuery | None:
    """An index query for pages that may hold the term (any form of every word), or None."""
    groups = []
    for forms in term.words:
        seen: dict[Positions, _Operand] = {}
        for form in forms:
            operand = _operand(form, phrase=True)
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
    if connection.vendor == "postgresql":
        tsquery, params = pg_tsquery(narrowed)
        where = f"{PG_VECTOR} @@ {tsquery}"
    else:
        first, last = fts_rowid_range(dossier_id)
        where = (
            f"p.id IN (SELECT rowid - {first} FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s AND rowid BETWEEN %s AND %s)"
        )
        params = [fts_match(narrowed), first, last]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.document_id, p.number, p.text FROM evidence_page p "  # noqa: S608
            f"WHERE {where} AND p.document_id IN ({doc_sql}) ORDER BY p.document_id, p.number",
            [*params, *doc_params],
        )
        while rows := cursor.fetchmany(500):
            yield from rows


def term_occurrences(dossier: object, terms: Sequence[str]) -> list[TermOccurrence]:
    """Every occurrence of the terms in the dossier's pages (keyword in context).

    Case-insensitive, whole words, simple inflections (achterstand/achterstanden, gelijke/
    gelijk); a hyphen in a term is optional in the text. Offsets are code points into the page
    text, so an occurrence can become a citation as it is. In the order of ``terms``, then by
    document and page. In a dossier of more than ``TERM_SCAN_PAGES`` pages the search index
    picks the pages to read (those with some form of every word of the term). Raises
    SearchFailed when the database cannot answer.
    """
    dossier_id = _dossier_id(dossier)
    compiled = []
    for term in dict.fromkeys(t for t in terms if isinstance(t, str)):
        parsed = _term(_clean(term))
        if parsed is not None:
            compiled.append((term, parsed))
    if not compiled:
        return []
    with reading("term occurrences"):
        return _occurrences(dossier_id, compiled)


def _occurrences(dossier_id: int, compiled: list[tuple[str, _Term]]) -> list[TermOccurrence]:
    big = Page.objects.filter(document__dossier_id=dossier_id).count() > TERM_SCAN_PAGES
    found: list[TermOccurrence] = []
    for term, parsed in compiled:
        for document_id, number, text in _term_pages(
            dossier_id, _narrowed(parsed) if big else None
        ):
            for match in parsed.pattern.finditer(text):
                start, end = match.span()
                found.append(
                    TermOccurrence(
                        term=term,
                        document_id=document_id,
                        page_number=number,
                        start=start,
                        end=end,
                        context_before=text[max(0, start - CONTEXT_CHARS) : start],
                        match=match.group(),
                        context_after=text[end : end + CONTEXT_CHARS],
                    )
                )
    return found


def term_usage(dossier: object, terms: Sequence[str]) -> list[dict]:
    """Occurrences per term, document year and issuer: ``{term, year, issuer, count,
    documents}`` with ``documents`` the number of distinct documents; year None if undated.
    Raises SearchFailed when the database cannot answer."""
    with reading("term usage"):  # the occurrences and their documents from one snapshot
        occurrences = term_occurrences(dossier, terms)
        documents = {
            pk: (when.year if when else None, issuer)
            for pk, when, issuer in Document.objects.filter(
                pk__in={o.document_id for o in occurrences}
            ).values_list("pk", "date", "issuer")
        }
    counts: dict[tuple[str, int | None, str], list] = defaultdict(lambda: [0, set()])
    for occurrence in occurrences:
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
