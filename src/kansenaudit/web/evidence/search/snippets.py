# SPDX-License-Identifier: EUPL-1.2
"""Search snippets: about 200 characters around the first match, escaped, matches in ``<mark>``.

The only stored text a page renders as HTML (ARCHITECTURE invariant 14): :func:`snippet`
escapes the page text itself and adds nothing but ``<mark>``. A word matches when one of its
lexemes (:mod:`kansenaudit.ingest.tokens`) is a lexeme or prefix of the query, so the marks are
the words the index found, in every inflection the stemmer joins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import islice

from django.utils.html import escape

from kansenaudit.ingest.tokens import CHUNK_RE, chunk_positions, chunk_tokens, without_markup

SNIPPET_CHARS = 200

_SPACE_RE = re.compile(r"\s+")


# Snowball folds these accents before stemming (its prelude); a stem's vowel may be any of them.
_FOLDED = {"a": "[aäá]", "e": "[eëé]", "i": "[iïí]", "o": "[oöó]", "u": "[uüú]"}
_FOLDED["-"] = "[-/.]"  # a compound's "/" and "." are read as hyphens (tokens.as_compounds)


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
        return next(islice(CHUNK_RE.finditer(clean), first, None)).start()
    checked = -1  # end of the last chunk looked at
    for candidate in candidates.finditer(clean):
        start = candidate.start()
        if start < checked:
            continue  # the same chunk again
        while start > 0 and not clean[start - 1].isspace():
            start -= 1
        chunk = CHUNK_RE.match(clean, start)
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
            verdict = verdicts[word] = hit(chunk_positions(word))
        return verdict

    clean = without_markup(text)
    first = _first_match(clean, matching, _candidates_re(frozenset(lexemes), prefixes))
    if first is None:
        return []
    marked: list[tuple[int, int]] = []
    for chunk in CHUNK_RE.finditer(clean, first):
        base = chunk.start()
        if marked and base > marked[0][0] + size:
            break  # beyond the snippet
        word = chunk.group()
        if not matching(word):
            continue
        for start, end, positions in chunk_tokens(word):
            if not hit(positions):
                continue
            if marked and base + start <= marked[-1][1]:  # a compound and its part: one mark
                marked[-1] = (marked[-1][0], max(base + end, marked[-1][1]))
            else:
                marked.append((base + start, base + end))
    return marked


def match_spans(
    text: str, lexemes: set[str], prefixes: tuple[str, ...] = ()
) -> list[tuple[int, int]]:
    """Offsets of every matched word of the text (to mark the search terms on a page)."""
    return _matches(text, lexemes, prefixes, size=len(text) + 1)


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
