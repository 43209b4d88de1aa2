# SPDX-License-Identifier: EUPL-1.2
"""The search box parsed into words, phrases and prefixes, and the FTS5 query made of them.

No database: what a user types becomes a :class:`ParsedQuery` of operands, each with the
lexemes of :mod:`kansenaudit.ingest.tokens`; the web app's SQLite engine matches them with
:func:`fts_match` and its PostgreSQL engine builds a ``tsquery`` of bound parameters. Nothing
a user types can make these functions raise: odd input yields an empty query. The syntax is in
docs/methods/search.md.

>>> parsed = parse_query('"gelijke kansen" OR onderwijs -sport')
>>> [[op.text for op in group] for group in parsed.groups], [op.text for op in parsed.excluded]
([['gelijke kansen', 'onderwijs']], ['sport'])
>>> sorted(parsed.lexemes())
['gelijk', 'kans', 'onderwijs']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kansenaudit.ingest.inflection import variants
from kansenaudit.ingest.tokens import Positions, fts_token, lower, trimmed_positions

MAX_QUERY_CHARS = 1000  # longer input is cut off: nobody types more, and it bounds the work
MAX_OPERANDS = 24
MIN_PREFIX = 3  # `ka*` would expand to thousands of index terms
MAX_PREFIX = 100


@dataclass(frozen=True)
class Operand:
    text: str  # as typed, without quotes or operators; what PostgreSQL parses itself
    positions: Positions  # our lexemes of `text`, stop words inside kept as None
    prefix: str = ""  # `kans*`: the lower-cased, accent-folded prefix
    variants: tuple[str, ...] = ()  # lexemes of other inflections of a single word


@dataclass(frozen=True)
class ParsedQuery:
    groups: tuple[tuple[Operand, ...], ...]  # all groups must match; any operand in a group
    excluded: tuple[Operand, ...]  # none of these may match

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


def clean(text: object) -> str:
    """What a user typed as text that both databases accept, at most MAX_QUERY_CHARS long."""
    text = "" if text is None else str(text)
    # NUL and lone surrogates cannot be sent to PostgreSQL (or encoded for SQLite at all).
    text = text.replace("\x00", " ").encode("utf-8", "ignore").decode("utf-8")
    return text[:MAX_QUERY_CHARS]


EDGE_PUNCTUATION_RE = re.compile(r"^[\W_]+|[\W_]+$")


def parse_operand(raw: str, *, phrase: bool) -> Operand | None:
    """One word, prefix or phrase of a query as lexemes; None if nothing is left to find."""
    prefix = ""
    if not phrase and raw.endswith("*"):
        stem = raw.rstrip("*")
        if MIN_PREFIX <= len(stem) <= MAX_PREFIX and stem.isalnum() and "_" not in stem:
            prefix = lower(stem).translate(_PREFIX_FOLD)
        raw = stem
    positions = trimmed_positions(raw)
    if not positions and not prefix:
        return None  # only stop words or punctuation: nothing to look for
    others: tuple[str, ...] = ()
    core = EDGE_PUNCTUATION_RE.sub("", raw)  # "kansen," or "(kansen" is still one word
    if not phrase and not prefix and len(positions) == 1 and core.isalpha():
        others = variants(core, positions[0] or "")
    return Operand(raw, positions, prefix, others)


def parse_query(query: object) -> ParsedQuery:
    """Parse the search box (syntax in docs/methods/search.md); never raises."""
    text = clean(query).translate(_QUOTES)
    groups: list[list[Operand]] = []
    excluded: list[Operand] = []
    pending_or = pending_not = False
    last_positive = False
    count = 0
    for match in _QUERY_TOKEN_RE.finditer(text):
        if count >= MAX_OPERANDS:
            break
        negated = pending_not
        if match.group("phrase") is not None:
            negated = negated or bool(match.group("neg"))
            operand = parse_operand(match.group("phrase"), phrase=True)
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
            operand = parse_operand(word.lstrip("+"), phrase=False)
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


# --- FTS5 ------------------------------------------------------------------------------------


def _fts_operand(op: Operand) -> str:
    parts = []
    if op.positions:
        parts.append('"' + " ".join(fts_token(lex) for lex in op.positions) + '"')
    parts.extend(f'"{fts_token(lex)}"' for lex in op.variants)
    if op.prefix:
        parts.append(f'"{fts_token(op.prefix)}"*')
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def fts_match(parsed: ParsedQuery) -> str:
    """The FTS5 MATCH expression: every operand a quoted string of sanitised lexemes, looked
    for in the body of the pages (the engine keeps the search inside the dossier).

    >>> fts_match(parse_query('kinderen -"voor school"'))
    'body : ((("kinder")) NOT ("schol"))'
    """
    groups = ["(" + " OR ".join(_fts_operand(op) for op in group) + ")" for group in parsed.groups]
    expression = "(" + " AND ".join(groups) + ")"
    if parsed.excluded:
        expression += " NOT (" + " OR ".join(_fts_operand(op) for op in parsed.excluded) + ")"
    return f"body : ({expression})"


# --- What was wrong with a query, and what was searched instead ----------------------------------

_OPERATOR_WORDS = _OR_WORDS | _NOT_WORDS | _AND_WORDS
_UNSUPPORTED_RE = re.compile(r"\b(?:NEAR|ADJ)\b\s*\(?|[()]")


def query_problems(query: object) -> tuple[str, ...]:
    """What in a query the parser had to read otherwise than typed, as codes (first seen first).

    ``unclosed_quote``: a quotation mark without its partner (the rest was read as a phrase);
    ``dangling_operator``: OR, AND or NOT with nothing on one side (ignored);
    ``unsupported``: brackets or NEAR(…) (not part of the syntax: read as plain words);
    ``short_prefix``: ``ka*`` shorter than MIN_PREFIX letters (the * was ignored);
    ``too_long``: more than MAX_QUERY_CHARS characters or MAX_OPERANDS words (cut off);
    ``nothing_left``: only stop words, punctuation or excluded words (nothing to look for).

    >>> query_problems('"unclosed'), query_problems("NEAR(a b)"), query_problems("a AND")
    (('unclosed_quote',), ('unsupported',), ('dangling_operator',))
    >>> query_problems('"gelijke kansen" OR onderwijs -sport kans*')
    ()
    """
    raw = "" if query is None else str(query)
    text = clean(raw).translate(_QUOTES)
    found: list[str] = []
    if len(raw) > MAX_QUERY_CHARS:
        found.append("too_long")
    if text.count('"') % 2:
        found.append("unclosed_quote")
    tokens = list(_QUERY_TOKEN_RE.finditer(text))
    words = [m.group("word") for m in tokens]
    operand_words = [w for w in words if w is not None and w not in _OPERATOR_WORDS]
    for index, match in enumerate(tokens):
        word = match.group("word")
        if word not in _OPERATOR_WORDS:
            continue
        before = tokens[index - 1].group("word") if index else ""
        after = tokens[index + 1].group("word") if index + 1 < len(tokens) else ""
        alone_before = word not in _NOT_WORDS and (not index or before in _OPERATOR_WORDS)
        alone_after = index + 1 >= len(tokens) or after in _OR_WORDS | _AND_WORDS
        if alone_before or alone_after:
            found.append("dangling_operator")
            break
    if _UNSUPPORTED_RE.search(text):
        found.append("unsupported")
    for word in operand_words:
        stem = word.lstrip("-+").rstrip("*")
        if word.endswith("*") and (len(stem) < MIN_PREFIX or not stem.isalnum()):
            found.append("short_prefix")
            break
    if len(tokens) - sum(1 for w in words if w in _OPERATOR_WORDS) > MAX_OPERANDS:
        found.append("too_long")
    parsed = parse_query(raw)
    if parsed.empty and text.strip():
        found.append("nothing_left")
    return tuple(dict.fromkeys(found))


def _operand_text(op: Operand) -> str:
    if op.prefix:
        return op.prefix + "*"
    words = op.text.split()
    return f'"{" ".join(words)}"' if len(words) > 1 else op.text.strip("()")


def searched_for(parsed: ParsedQuery) -> str:
    """The query as it was read, in the search box's own syntax.

    >>> searched_for(parse_query('"unclosed phrase'))
    '"unclosed phrase"'
    >>> searched_for(parse_query("NEAR(a b) OR c AND -d"))
    'NEAR(a b OR c -d'
    """
    parts = [" OR ".join(_operand_text(op) for op in group) for group in parsed.groups]
    parts += ["-" + _operand_text(op) for op in parsed.excluded]
    return " ".join(parts)
