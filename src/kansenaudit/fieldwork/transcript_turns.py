# SPDX-License-Identifier: EUPL-1.2
"""Speaker turns in plain text: a label (``Naam:``, ``I1:``, ``R:``, a time stamp) at a line
start begins a turn; without labels every paragraph becomes a turn without a speaker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kansenaudit.fieldwork.transcript_model import ParsedTurn

# --- speaker turns ----------------------------------------------------------------------------

# The label: a name of at most four words starting with a capital, or a code such as I, R2, INT.
# Optional timestamp before ([00:12:03] or 00:12:03) or after, in parentheses; optional Markdown
# bold around the label; a colon; then the speech (possibly empty: speech on the next lines).
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
SPEAKER_NAME = r"[^\W\d_][\w.'’\-]*(?:[ ][\w.'’\-]+){0,3}"
_LABEL = re.compile(
    rf"^(?:\[?{_TIME}\]?\s+)?(?P<bold>\*\*|__)?(?P<name>{SPEAKER_NAME})"
    rf"(?:\s*[\[(]{_TIME}[\])])?\s*(?:(?P=bold):|:(?P=bold)?)(?:[ \t]+|$)",
)
NOT_SPEAKERS = {
    "let op",
    "noot",
    "note",
    "datum",
    "date",
    "plaats",
    "locatie",
    "duur",
    "tijd",
    "onderwerp",
    "project",
    "bron",
    "opmerking",
    "transcript",
    "transcriptie",
    "bijvoorbeeld",
    "bv",
    "dus",
    "maar",
    "en",
    "want",
    "http",
    "https",
}


@dataclass
class _Turn:
    speaker: str
    start: int
    end: int
    lines: list[tuple[int, int]] = field(default_factory=list)


def _line_spans(text: str) -> Iterator[tuple[int, int]]:
    position = 0
    for line in text.split("\n"):
        yield position, position + len(line)
        position += len(line) + 1


def _label_at(line: str) -> tuple[str, int] | None:
    match = _LABEL.match(line)
    if match is None:
        return None
    name = match.group("name").strip()
    if name.lower().rstrip(".") in NOT_SPEAKERS:
        return None
    first = name[0]
    is_code = bool(re.fullmatch(r"[A-Z]{1,4}\d{0,2}", name))
    if not (first.isupper() or is_code):
        return None
    return name, match.end()


_PARTICLES = {"van", "de", "der", "den", "el", "al", "ter", "ten", "von", "da", "di", "du", "'t"}


def _looks_like_name(name: str) -> bool:
    """Every word capitalised (or a particle, or a number): "Jan de Vries", "Interviewer 2"."""
    return all(
        word[0].isupper() or word.isdigit() or word.lower() in _PARTICLES for word in name.split()
    )


def find_turns(text: str, forced: set[str]) -> list[ParsedTurn]:
    candidates: list[tuple[int, int, str, int]] = []  # line start, line end, speaker, speech start
    lines = list(_line_spans(text))
    for start, end in lines:
        found = _label_at(text[start:end])
        if found is not None:
            candidates.append((start, end, found[0], start + found[1]))
    counts: dict[str, int] = {}
    for _, _, name, _ in candidates:
        counts[name] = counts.get(name, 0) + 1
    believed = {name for name, count in counts.items() if count >= 2} | (forced & set(counts))
    if not believed and len(counts) >= 2:
        nonblank = sum(1 for start, end in lines if text[start:end].strip())
        if len(candidates) * 2 >= nonblank:
            believed = set(counts)
    if not believed:
        return []
    # Once the transcript has turns, a label used only once after the first turn is a speaker
    # too ("Bram: Hoi" in a short interview); before it, such a line is a header field.
    first_turn = min(start for start, _, name, _ in candidates if name in believed)
    believed |= {
        name for start, _, name, _ in candidates if start > first_turn and _looks_like_name(name)
    }
    label_lines = {
        start: (name, speech) for start, _, name, speech in candidates if name in believed
    }
    turns: list[ParsedTurn] = []
    current: _Turn | None = None
    for start, end in lines:
        if start in label_lines:
            if current is not None:
                turns.append(_close(text, current))
            name, speech = label_lines[start]
            current = _Turn(name, speech, speech, [(speech, end)])
        elif current is not None:
            current.lines.append((start, end))
    if current is not None:
        turns.append(_close(text, current))
    return turns


def _close(text: str, turn: _Turn) -> ParsedTurn:
    nonblank = [(start, end) for start, end in turn.lines if text[start:end].strip()]
    if not nonblank:
        return ParsedTurn(turn.speaker, turn.start, turn.start)
    first_start = nonblank[0][0]
    # Leading spaces of the first speech line are not part of the turn.
    while first_start < nonblank[0][1] and text[first_start] in " \t":
        first_start += 1
    return ParsedTurn(turn.speaker, first_start, nonblank[-1][1])


def paragraph_turns(text: str) -> list[ParsedTurn]:
    separator = re.compile(r"\n[ \t]*\n") if re.search(r"\n[ \t]*\n", text) else re.compile("\n")
    turns = []
    position = 0
    for match in [*separator.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            turns.append(ParsedTurn("", position + lead, position + len(chunk.rstrip())))
        if match:
            position = match.end()
    return turns
