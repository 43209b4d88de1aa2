# SPDX-License-Identifier: EUPL-1.2
"""Simple Dutch inflections, for following a term through its forms and for search words.

Two uses, both without a database: :func:`word_forms` gives the written forms of a term
(achterstand → achterstanden; gelijk → gelijke), which the keyword-in-context finds in the page
text; :func:`variants` gives the Snowball lexemes of a search word's singular and plural, which
the stemmer leaves apart (kans → kan but kansen → kans).

>>> {"katten", "kat"} <= word_forms("kat"), {"groot", "grote"} <= word_forms("groot")
(True, True)
>>> variants("kansen", "kans")
('kan',)
"""

from __future__ import annotations

from functools import lru_cache

from kansenaudit.ingest.tokens import lower, stem

VOWELS = "aeiou"
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


def is_consonant(ch: str) -> bool:
    """A letter other than a, e, i, o, u."""
    return ch.isalpha() and ch not in VOWELS


def word_roots(word: str, *, devoice: bool = True) -> set[str]:
    """The word and what it may be an inflection of (katten → kat, huizen → huis)."""
    roots = {word}
    if word.endswith("heid"):
        roots.add(word[:-4] + "hed")  # gelijkheid → gelijkheden
    for ending in ("en", "e", "'s", "’s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            root = word[: -len(ending)]
            roots.add(root)
            if len(root) >= 2 and root[-1] == root[-2] and is_consonant(root[-1]):
                roots.add(root[:-1])  # katten → kat
            if (
                len(root) >= 3
                and is_consonant(root[-1])
                and root[-2] in VOWELS
                and is_consonant(root[-3])
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
    word = lower(word)
    forms = set()
    for root in word_roots(word):
        for suffix in _SUFFIXES:
            forms.add(root + suffix)
            if not suffix or suffix[0] not in VOWELS:
                continue
            last = root[-1:]
            if len(root) >= 3 and is_consonant(last) and root[-2] in VOWELS:
                if root[-3] == root[-2]:
                    forms.add(root[:-2] + last + suffix)  # groot → grote
                elif is_consonant(root[-3]) and last not in "wxy":
                    forms.add(root + last + suffix)  # kat → katten
            if last == "f":
                forms.add(root[:-1] + "v" + suffix)
            if last == "s" and len(root) >= 2 and root[-2] in VOWELS:
                forms.add(root[:-1] + "z" + suffix)
    return {f for f in forms if f}


def plurals(root: str) -> set[str]:
    """The plural forms of a Dutch noun, by its ending (gemeente → gemeenten, gemeentes)."""
    if root.endswith("e"):
        return {root + "n", root + "s"}  # gemeente → gemeenten, gemeentes
    if root[-1:] in VOWELS:
        return {root + "s"}  # thema → themas
    out = {root + "en"}
    if root.endswith(("el", "em", "er", "je")):
        out.add(root + "s")  # ouder → ouders
    short = 3 <= len(root) <= 4  # in a short word the vowel before one consonant is short
    if short and is_consonant(root[-1]) and root[-2] in VOWELS and is_consonant(root[-3]):
        out.add(root + root[-1] + "en")  # les → lessen
    return out


@lru_cache(maxsize=4096)
def variants(word: str, own_stem: str) -> tuple[str, ...]:
    """Lexemes of the singular and plural of a single search word, besides ``own_stem``.

    The Snowball stemmer leaves some pairs apart: kans → kan but kansen → kans, les/lessen,
    gemeente/gemeentes. Searching for either finds both. Deliberately no s/z or f/v
    alternation: it would also join onderwijs and onderwijzen.
    """
    low = lower(word)
    roots = word_roots(low, devoice=False)
    s_plural = (
        len(low) > 4
        and low.endswith("s")
        and (low[-2] in VOWELS or low[:-1].endswith(("el", "em", "er")))
    )
    if s_plural:
        roots.add(low[:-1])  # gemeentes → gemeente, themas → thema
    forms = set(roots)
    for root in roots:
        if not (root == low and (low.endswith("en") or s_plural)):
            forms |= plurals(root)
    forms.add(own_stem)  # the stem of the stem: kansen → kans → kan
    lexemes = {stem(form) for form in forms if len(form) >= 2} - {own_stem}
    return tuple(sorted(lexemes))[:8]
