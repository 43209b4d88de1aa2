# SPDX-License-Identifier: EUPL-1.2
"""Readability of Dutch text: the Flesch–Douma reading ease, as a help for a B1 summary.

Flesch–Douma (Douma 1960) adapts Flesch's reading ease to Dutch::

    RE = 206.835 − 0.93 × (words / sentences) − 77 × (syllables / words)

Higher is easier: above about 60 reads as plain language for most adults, 30–60 as fairly
difficult, below 30 as difficult (academic). It counts only word and sentence length, so it is a
help for the writer, not a verdict: short words in a confusing order still score well. Syllables
are counted as groups of vowels, with the Dutch diphthongs and long vowels (``ij``, ``ei``,
``au``, ``ou``, ``ui``, ``oe``, ``eu``, ``ie``, ``aa`` …) as one — an approximation that is right
for most words and off by one for some loanwords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:[-'][A-Za-zÀ-ÿ]+)*")
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n")
# Longest first, so "ieu" (nieuw) is one group before "ie" is tried.
VOWEL_GROUP = re.compile(
    r"ieu|eeu|aai|ooi|oei|ij|ei|au|ou|ui|oe|eu|ie|aa|ee|oo|uu|[aeiouyàáâäèéêëìíîïòóôöùúûü]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int
    reading_ease: float | None  # None when there is no word

    @property
    def level(self) -> str:
        """A rough band in Dutch: "eenvoudig", "redelijk moeilijk" or "moeilijk"."""
        if self.reading_ease is None:
            return "geen tekst"
        if self.reading_ease >= 60:
            return "eenvoudig"
        if self.reading_ease >= 30:
            return "redelijk moeilijk"
        return "moeilijk"


def syllables(word: str) -> int:
    """The number of syllables of a Dutch word (at least one).

    >>> [syllables(w) for w in ("kans", "gelijkheid", "gemeente", "nieuw", "aanbeveling")]
    [1, 3, 3, 1, 4]
    """
    return max(1, len(VOWEL_GROUP.findall(word)))


def flesch_douma(text: str) -> Readability:
    """The reading ease of ``text`` (plain text or Markdown; markup is ignored).

    >>> r = flesch_douma("De gemeente wil gelijke kansen. Elk kind moet mee kunnen doen.")
    >>> (r.words, r.sentences, r.level)
    (11, 2, 'eenvoudig')
    """
    plain = re.sub(r"\{\{[^}]*\}\}|[#*_>`|]", " ", text)
    words = WORD.findall(plain)
    if not words:
        return Readability(0, 0, 0, None)
    sentences = max(1, len([s for s in SENTENCE_END.split(plain) if WORD.search(s)]))
    count = sum(syllables(w) for w in words)
    ease = 206.835 - 0.93 * (len(words) / sentences) - 77 * (count / len(words))
    return Readability(len(words), sentences, count, round(ease, 1))
