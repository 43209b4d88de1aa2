# SPDX-License-Identifier: EUPL-1.2
"""Score pseudonymisation against hand-labelled transcripts: recall and precision per kind.

A labelled transcript marks each identifying detail as ``[[kind:text]]`` and each piece of
research context that must stay as ``{{text}}`` (see ``tests/data/fieldwork/labelled``).
:func:`read_labelled` strips the marks and returns the clean text with the labelled spans;
:func:`score` compares a :class:`~kansenaudit.fieldwork.pseudonymise.PseudonymisedText` with
them:

* a labelled detail is **found** when every letter and digit of it lies inside replacements
  (a partly replaced name still leaks, so it counts as missed). Recall of a kind = found /
  labelled. It does not matter which kind the replacement had: what counts is that the detail
  is gone. ``kind_agrees`` counts the found details whose replacement has the labelled kind.
* a replacement is **correct** when it overlaps a labelled detail. Precision of a kind =
  correct replacements of that kind / all replacements of that kind.
* a context term is **kept** when no replacement overlaps it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kansenaudit.fieldwork.pseudonymise import KINDS, PseudonymisedText

__all__ = ["LabelledSpan", "LabelledText", "Score", "read_labelled", "score"]

_MARK = re.compile(r"\[\[(?P<kind>[a-z_]+):(?P<text>[^\]]+)\]\]|\{\{(?P<context>[^}]+)\}\}")


@dataclass(frozen=True)
class LabelledSpan:
    start: int
    end: int
    kind: str  # a KIND, or "context"


@dataclass(frozen=True)
class LabelledText:
    name: str
    text: str
    spans: tuple[LabelledSpan, ...]


def read_labelled(raw: str, name: str = "") -> LabelledText:
    """Strip the marks from ``raw``; the spans are offsets into the clean text.

    Line ends become ``"\\n"`` and trailing line ends are dropped, so that the clean text is
    already canonical (what :func:`~kansenaudit.fieldwork.transcripts.parse_transcript` returns).
    """
    raw = raw.replace("\r\n", "\n").rstrip("\n")
    parts: list[str] = []
    spans: list[LabelledSpan] = []
    position = 0
    length = 0
    for match in _MARK.finditer(raw):
        before = raw[position : match.start()]
        parts.append(before)
        length += len(before)
        if match.group("context"):
            value, kind = match.group("context"), "context"
        else:
            value, kind = match.group("text"), match.group("kind")
            if kind not in KINDS:
                raise ValueError(f"{name}: unknown kind {kind!r}")
        spans.append(LabelledSpan(length, length + len(value), kind))
        parts.append(value)
        length += len(value)
        position = match.end()
    parts.append(raw[position:])
    return LabelledText(name, "".join(parts), tuple(spans))


@dataclass
class Score:
    """Counts per kind, summed over transcripts."""

    labelled: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    kind_agrees: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, int] = field(default_factory=dict)
    correct: dict[str, int] = field(default_factory=dict)
    context: int = 0
    context_kept: int = 0
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # file, kind, text
    spurious: list[tuple[str, str, str]] = field(default_factory=list)

    def recall(self, kind: str | None = None) -> float:
        kinds = [kind] if kind else list(self.labelled)
        total = sum(self.labelled.get(k, 0) for k in kinds)
        return sum(self.found.get(k, 0) for k in kinds) / total if total else float("nan")

    def precision(self, kind: str | None = None) -> float:
        kinds = [kind] if kind else list(self.replaced)
        total = sum(self.replaced.get(k, 0) for k in kinds)
        return sum(self.correct.get(k, 0) for k in kinds) / total if total else float("nan")

    def context_kept_share(self) -> float:
        return self.context_kept / self.context if self.context else float("nan")


def _bump(counter: dict[str, int], key: str, by: int = 1) -> None:
    counter[key] = counter.get(key, 0) + by


def score(
    items: Iterable[tuple[LabelledText, PseudonymisedText]], into: Score | None = None
) -> Score:
    """Add the comparison of each labelled text with its pseudonymisation to a :class:`Score`."""
    result = into or Score()
    for labelled, done in items:
        text = labelled.text
        covered = [False] * len(text)
        kind_at: list[str | None] = [None] * len(text)
        for item in done.replacements:
            for i in range(item.start, item.end):
                covered[i] = True
                kind_at[i] = item.kind
        details = [s for s in labelled.spans if s.kind != "context"]
        for span in labelled.spans:
            value = text[span.start : span.end]
            if span.kind == "context":
                result.context += 1
                if not any(covered[span.start : span.end]):
                    result.context_kept += 1
                else:
                    result.spurious.append((labelled.name, "context", value))
                continue
            _bump(result.labelled, span.kind)
            needed = [i for i in range(span.start, span.end) if text[i].isalnum()]
            if all(covered[i] for i in needed):
                _bump(result.found, span.kind)
                if any(kind_at[i] == span.kind for i in needed):
                    _bump(result.kind_agrees, span.kind)
            else:
                result.missed.append((labelled.name, span.kind, value))
        for item in done.replacements:
            _bump(result.replaced, item.kind)
            if any(s.start < item.end and item.start < s.end for s in details):
                _bump(result.correct, item.kind)
            else:
                result.spurious.append((labelled.name, item.kind, item.original))
    return result
