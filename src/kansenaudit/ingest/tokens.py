# SPDX-License-Identifier: EUPL-1.2
"""Dutch text as PostgreSQL's ``dutch`` text-search configuration sees it, without a database.

The search index on SQLite stores each page as the lexemes PostgreSQL would make of it: the
same tokens (a Python imitation of PostgreSQL's default text-search parser, including its
compound words, hosts, e-mail addresses, numbers and paths), the same stop words and the same
Snowball stemmer ("dutch_porter", the original Dutch algorithm that PostgreSQL ships). That is
what makes the two engines return the same pages for the same query
(docs/methods/search.md, ADR 0010). No Django: the web app's search
(``kansenaudit.web.evidence.search``) and its migrations call these functions.

>>> text_positions("Gelijke kansen voor alle kinderen")
['gelijk', 'kans', None, 'all', 'kinder']
>>> fts_body("Kansen voor kinderen in 2024")
'kans \\ue000 kinder \\ue000 2024'
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer

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

# --- Text analysis: PostgreSQL's `dutch` configuration, imitated ------------------------------

# Compounds written with "/" or "." (havo/vwo-advies, havo.vwo) are read as if hyphenated, so
# that the whole and each part are indexed, as PostgreSQL's parser does for hyphenated words:
# "havo", "vwo", "advies" and "vwo-advies" all find "havo/vwo-advies". One character for one,
# so offsets into the text stay valid. The same pattern, character for character, is the
# PostgreSQL generated column's ``regexp_replace`` (evidence migration 0010): both engines
# read the same text. Letters are spelled out as ranges, which both regex engines read alike.
COMPOUND_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"
COMPOUND_SEPARATOR_PATTERN = f"(?<=[{COMPOUND_LETTER}])[/.](?=[{COMPOUND_LETTER}])"
_COMPOUND_SEPARATOR_RE = re.compile(COMPOUND_SEPARATOR_PATTERN)


def as_compounds(text: str) -> str:
    """The text with "/" and "." between two letters read as hyphens.

    >>> as_compounds("havo/vwo-advies, www.voorbeeldstad.nl en 12.000")
    'havo-vwo-advies, www-voorbeeldstad-nl en 12.000'
    """
    if "/" in text or "." in text:
        return _COMPOUND_SEPARATOR_RE.sub("-", text)
    return text


class _Stemmer(threading.local):
    def __init__(self) -> None:
        # Snowball 3 renamed the original Dutch stemmer, the one PostgreSQL uses, "dutch_porter"
        # and made "dutch" a new algorithm (gelijke → lijke); only the old one gives PG's stems.
        names = snowballstemmer.algorithms()
        self.stemmer = snowballstemmer.stemmer(
            "dutch_porter" if "dutch_porter" in names else "dutch"
        )


_stemmer = _Stemmer()


def lower(token: str) -> str:
    """Lower case as PostgreSQL's towlower: one character stays one character."""
    low = token.lower()
    if len(low) != len(token):  # 'İ' → 'i̇' in Python, 'i' in PostgreSQL (towlower)
        low = "".join(c.lower() if len(c.lower()) == 1 else c.lower()[0] for c in token)
    return low


@lru_cache(maxsize=262_144)
def word_lexeme(token: str) -> str | None:
    """A word of letters: None for a stop word, otherwise its Snowball stem (dutch_stem)."""
    low = lower(token)
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
        return [word_lexeme(token)]
    if all(c.isalpha() or c in _DIGITS for c in token):
        return [lower(token)]
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
        whole = lower(text) if any(c in _DIGITS for c in text) else word_lexeme(text)
        out: list[str | None] = [whole]
        for part in parts:
            out.extend(_alnum_positions(part))
        return out
    if kind == "url":
        host, path = match.group("url"), match.group("path")
        return [lower(host + path), lower(host), lower(path)]
    if kind == "int" and previous_kind == "hword" and match.start() == previous_end:
        return [text[1:]]  # "ab-cd-2": PostgreSQL reads the 2 unsigned after a compound
    if kind == "proto":
        return []
    return [lower(text)]


def typed_tokens(chunk: str) -> Iterator[tuple[str, int, int, list[str | None]]]:
    """(kind, start, end, lexemes) of each token in a run of text without whitespace."""
    previous_end, previous_kind = -1, ""
    for match in _TOKEN_RE.finditer(as_compounds(chunk)):
        kind = match.lastgroup or ""
        if kind == "path":
            kind = "url"
        positions = _token_positions(kind, match, previous_end, previous_kind)
        previous_end, previous_kind = match.end(), kind
        if positions:
            yield kind, match.start(), match.end(), positions


def chunk_tokens(chunk: str) -> Iterator[tuple[int, int, list[str | None]]]:
    """(start, end, lexemes) of each token in a run of text without whitespace."""
    for _kind, start, end, positions in typed_tokens(chunk):
        yield start, end, positions


@lru_cache(maxsize=131_072)
def chunk_positions(chunk: str) -> Positions:
    """The lexemes of one run of text without whitespace (cached: pages repeat their words)."""
    if chunk.isalpha():  # the common case: a plain word between spaces
        return (word_lexeme(chunk),)
    out: list[str | None] = []
    for _start, _end, positions in chunk_tokens(chunk):
        out.extend(positions)
    return tuple(out)


def without_markup(text: str) -> str:
    """The text with tags and entities blanked out, as PostgreSQL's parser skips them.

    >>> without_markup("a <b>vet</b> &amp; c")
    'a    vet           c'
    """
    if "<" in text or "&" in text:  # same length, so offsets stay valid
        return _MARKUP_RE.sub(lambda m: " " * len(m.group()), text)
    return text


def text_positions(text: str) -> list[str | None]:
    """The lexemes of a text, one per position, as ``to_tsvector('dutch', text)`` has them."""
    out: list[str | None] = []
    for chunk in without_markup(text).split():
        out.extend(chunk_positions(chunk))
    return out


CHUNK_RE = re.compile(r"\S+")


_FTS_UNSAFE_RE = re.compile(rf"[^\w{re.escape(FTS_TOKENCHARS)}]|_")


def fts_token(lexeme: str | None) -> str:
    # FTS5's unicode61 tokenizer must see each lexeme as exactly one token.
    if lexeme is None:
        return STOP_MARK
    return _FTS_UNSAFE_RE.sub("", lexeme) or STOP_MARK


def fts_body(text: str) -> str:
    """The FTS5 ``body`` of a page: its lexemes in order, stop words as a placeholder."""
    return " ".join(fts_token(lexeme) for lexeme in text_positions(text))


def trimmed_positions(text: str) -> Positions:
    """The lexemes of a query operand without leading and trailing stop words.

    A compound that opens the operand counts by its parts: its whole is left off, so
    "vwo-advies" is the phrase "vwo advies" and is found inside "havo/vwo-advies" too, whose
    whole is another lexeme. Inside a phrase a compound keeps its whole, which holds a position
    in the text before its parts.

    >>> trimmed_positions("het vwo-advies"), trimmed_positions("kansen havo/vwo")
    (('vwo', 'advies'), ('kans', 'havo-vwo', 'havo', 'vwo'))
    """
    positions: list[str | None] = []
    for chunk in without_markup(text).split():
        if chunk.isalpha():
            positions.append(word_lexeme(chunk))
            continue
        for kind, _start, _end, lexemes in typed_tokens(chunk):
            if kind == "hword" and not any(positions):
                lexemes = [None, *lexemes[1:]]
            positions.extend(lexemes)
    while positions and positions[0] is None:  # PostgreSQL drops leading/trailing stop words
        positions.pop(0)
    while positions and positions[-1] is None:
        positions.pop()
    return tuple(positions)


def stem(word: str) -> str:
    """The Snowball stem of a lower-case word, stop word or not.

    >>> stem("gemeenten"), stem("kansen"), stem("kans")
    ('gemeent', 'kans', 'kan')
    """
    return _stemmer.stemmer.stemWord(word)
