# SPDX-License-Identifier: EUPL-1.2
"""Bring an imported project's source texts to the canonical form, moving the offsets along.

Another tool's source may have ``\\r\\n`` line ends, decomposed accents, trailing spaces or
control characters. The app stores transcripts as canonical text
(:func:`kansenaudit.ingest.canonical.canonicalise`), so :func:`canonical_project` canonicalises
every source and maps each selection's offsets onto the new text. Canonicalisation only removes
characters or joins them (``\\r\\n`` → ``\\n``, ``e`` + combining accent → ``é``), so every old
position has a well-defined new one: a position inside a joined or removed stretch moves to its
start. A selection that becomes empty is dropped and reported.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from kansenaudit.fieldwork.refi.model import ImportIssue, QdaProject, QdaSelection, QdaSource
from kansenaudit.ingest.canonical import canonicalise

__all__ = ["canonical_project", "canonical_with_map"]

_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x85\u2028\u2029]")
_REMOVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ud800-\udfff]")


def canonical_with_map(text: str) -> tuple[str, list[int]]:
    """The canonical text and, for each position 0…len(text) of ``text``, its new position.

    Raises ``ValueError`` in the rare case the step-by-step result differs from
    :func:`canonicalise` (e.g. Hangul composition across characters).
    """
    # Each step: a list of (piece of output, original start, original end).
    pieces: list[tuple[str, int, int]] = []
    position = 0
    for match in _LINE_BREAKS.finditer(text):
        before = text[position : match.start()]
        pieces.extend((char, i, i + 1) for i, char in enumerate(before, position))
        pieces.append(("\n", match.start(), match.end()))
        position = match.end()
    pieces.extend((char, i, i + 1) for i, char in enumerate(text[position:], position))
    pieces = [(c, a, b) for c, a, b in pieces if c == "\n" or not _REMOVE.match(c)]
    # NFC per cluster: a character with its following combining marks.
    clusters: list[tuple[str, int, int]] = []
    for char, start, end in pieces:
        if clusters and unicodedata.combining(char) and clusters[-1][0] != "\n":
            previous, p_start, _ = clusters[-1]
            clusters[-1] = (previous + char, p_start, end)
        else:
            clusters.append((char, start, end))
    clusters = [(unicodedata.normalize("NFC", c), a, b) for c, a, b in clusters]
    # Trailing whitespace on each line, then blank lines at the start and the end.
    kept: list[tuple[str, int, int]] = []
    line: list[tuple[str, int, int]] = []
    for cluster in [*clusters, ("\n", len(text), len(text))]:
        if cluster[0] == "\n":
            while line and line[-1][0].isspace():
                line.pop()
            kept.extend(line)
            kept.append(cluster)
            line = []
        else:
            line.append(cluster)
    kept.pop()  # the sentinel
    # Blank lines at the start and the end go (each "\n" is one cluster, so characters and
    # clusters count alike here); the first line's indentation stays.
    joined = "".join(c for c, _, _ in kept)
    first_text = joined.lstrip("\n")
    lead = len(joined) - len(first_text)
    trail = len(first_text) - len(first_text.rstrip("\n"))
    out_clusters = kept[lead : len(kept) - trail] if trail else kept[lead:]
    result = "".join(c for c, _, _ in out_clusters)
    if result != canonicalise(text):
        raise ValueError("the text cannot be mapped onto its canonical form")
    mapping = [0] * (len(text) + 1)
    offset = 0
    index = 0
    for char, start, end in out_clusters:
        while index <= start:
            mapping[index] = offset
            index += 1
        while index < end:
            mapping[index] = offset  # inside a joined or removed stretch: its start
            index += 1
        offset += len(char)
    while index <= len(text):
        mapping[index] = offset
        index += 1
    return result, mapping


def canonical_project(project: QdaProject) -> tuple[QdaProject, list[ImportIssue]]:
    """A copy of ``project`` with canonical source texts and selections moved along."""
    issues: list[ImportIssue] = []
    sources: list[QdaSource] = []
    maps: dict[str, list[int]] = {}
    for source in project.sources:
        text, mapping = canonical_with_map(source.text)
        sources.append(QdaSource(source.guid, source.name, text))
        maps[source.guid] = mapping
    selections: list[QdaSelection] = []
    dropped = 0
    for selection in project.selections:
        mapping = maps[selection.source_guid]
        start, end = mapping[selection.start], mapping[selection.end]
        if selection.end > selection.start and end <= start:
            dropped += 1
            continue
        selections.append(dataclasses.replace(selection, start=start, end=end))
    if dropped:
        issues.append(
            ImportIssue(
                "PlainTextSelection",
                f"{dropped} selection(s) held only characters the canonical text leaves out",
            )
        )
    return dataclasses.replace(project, sources=sources, selections=selections), issues
