# SPDX-License-Identifier: EUPL-1.2
"""Reads of the coding: the codebook tree, the segments a viewer may see, and the text of a
transcript or document page cut into runs for the coding page.

Two rules hold in every read here, and every page, export and command goes through them:

* **blindness** — while a transcript of the double-coding sample waits for a coder to finish,
  each coder sees only their own segments of it, and nobody else sees any
  (:func:`visible_segments`); exports and analysis leave such transcripts out entirely
  (:func:`analysable_segments`);
* **withdrawal** — the words of a participant who withdrew consent are never shown: their
  turns are replaced by a notice, and segments that touch them are marked withdrawn and carry
  no text (:func:`withdrawn_spans`, :func:`segment_withdrawn`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kansenaudit.web.coding.models import (
    Code,
    CodeEvent,
    DoubleCoding,
    Memo,
    RefiImportJob,
    Segment,
)
from kansenaudit.web.dossiers.models import Membership
from kansenaudit.web.dossiers.roles import Capability, role_allows
from kansenaudit.web.fieldwork.models import Participant, Transcript, Turn

Span = tuple[int, int]

WORD_EXTRA = "-_'’"


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch in WORD_EXTRA


def snap_to_words(text: str, start: int, end: int) -> Span:
    """Widen ``[start, end)`` to whole words and trim white space at both ends."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, end
    while start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start]):
        start -= 1
    while end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end]):
        end += 1
    return start, end


# --- the codebook -------------------------------------------------------------------------------


@dataclass
class CodeRow:
    code: Code
    depth: int
    segments: int = 0
    path: str = ""


def active_codes(dossier: Any) -> QuerySet[Code]:
    return Code.objects.filter(dossier=dossier, merged_into__isnull=True)


def codebook_tree(dossier: Any) -> list[CodeRow]:
    """The active codes in tree order (parents before their children), with segment counts."""
    blind = blind_transcript_ids(dossier)
    counted = (
        Count("segments", filter=~Q(segments__transcript_id__in=blind))
        if blind
        else Count("segments")
    )
    codes = list(active_codes(dossier).annotate(n=counted).order_by("name", "pk"))
    by_parent: dict[int | None, list[Code]] = {}
    ids = {c.pk for c in codes}
    for c in codes:
        by_parent.setdefault(c.parent_id if c.parent_id in ids else None, []).append(c)
    rows: list[CodeRow] = []

    def walk(parent: int | None, depth: int, path: str) -> None:
        for c in by_parent.get(parent, []):
            label = f"{path} › {c.name}" if path else c.name
            rows.append(CodeRow(code=c, depth=depth, segments=getattr(c, "n", 0), path=label))
            walk(c.pk, depth + 1, label)

    walk(None, 0, "")
    return rows


def code_in_dossier(dossier: Any, code_id: int) -> Code | None:
    return Code.objects.filter(dossier=dossier, pk=code_id).select_related("parent").first()


def code_history(code: Code) -> list[CodeEvent]:
    return list(CodeEvent.objects.filter(code=code).order_by("occurred_at", "pk"))


def descendants(code: Code) -> set[int]:
    """The ids of ``code`` and all its active sub-codes."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in active_codes(code.dossier).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = {code.pk}, [code.pk]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


# --- who may code ---------------------------------------------------------------------------------


def coder_choices(dossier: Any) -> list[Any]:
    """The members who may code (EDIT)."""
    return [
        m.user
        for m in Membership.objects.filter(dossier=dossier).select_related("user")
        if role_allows(m.role, Capability.EDIT)
    ]


# --- sources --------------------------------------------------------------------------------------


def transcripts(dossier: Any) -> QuerySet[Transcript]:
    return Transcript.objects.filter(dossier=dossier).select_related("session")


def transcript_in_dossier(dossier: Any, transcript_id: int) -> Transcript | None:
    return transcripts(dossier).filter(pk=transcript_id).first()


def sample_for(transcript: Transcript) -> DoubleCoding | None:
    return DoubleCoding.objects.filter(transcript=transcript).first()


def samples(dossier: Any) -> list[DoubleCoding]:
    return list(
        DoubleCoding.objects.filter(dossier=dossier).select_related(
            "transcript", "coder_1", "coder_2", "consensus_by"
        )
    )


def blind_transcript_ids(dossier: Any) -> set[int]:
    return set(
        DoubleCoding.objects.filter(dossier=dossier)
        .filter(Q(done_1_at__isnull=True) | Q(done_2_at__isnull=True))
        .values_list("transcript_id", flat=True)
    )


def turns_of(transcript: Transcript) -> list[Turn]:
    return list(
        Turn.objects.filter(transcript=transcript).select_related("participant").order_by("number")
    )


def units_of(transcript: Transcript) -> list[Turn]:
    """The units of coding: the speaker turns, or for a transcript without turns (an imported
    source) the whole text as one unsaved turn numbered 1."""
    turns = turns_of(transcript)
    if turns:
        return turns
    return [Turn(transcript=transcript, number=1, speaker="", start=0, end=len(transcript.text))]


def withdrawn_spans(transcript: Transcript, turns: Sequence[Turn] | None = None) -> list[Span]:
    """The spans of the turns of participants who withdrew consent, in order."""
    turns = turns_of(transcript) if turns is None else turns
    return sorted(
        (t.start, t.end)
        for t in turns
        if t.participant is not None and t.participant.withdrawn_at is not None
    )


def overlaps(spans: Sequence[Span], start: int, end: int) -> bool:
    """Whether ``[start, end)`` shares a character with one of ``spans`` (sorted, disjoint)."""
    j = bisect.bisect_left(spans, (end, -1))  # the first span starting at or after ``end``
    return j > 0 and spans[j - 1][1] > start


def withdrawn_by_transcript(dossier: Any) -> dict[int, list[Span]]:
    """Per transcript of ``dossier`` the withdrawn spans (transcripts without any left out)."""
    result: dict[int, list[Span]] = {}
    for tid, s, e in Turn.objects.filter(
        transcript__dossier=dossier, participant__withdrawn_at__isnull=False
    ).values_list("transcript_id", "start", "end"):
        result.setdefault(tid, []).append((s, e))
    return {k: sorted(v) for k, v in result.items()}


def segment_withdrawn(segment: Segment, spans: dict[int, list[Span]]) -> bool:
    if segment.transcript_id is None:
        return False
    return overlaps(spans.get(segment.transcript_id, []), segment.start, segment.end)


# --- segments a viewer sees ---------------------------------------------------------------------


def _with_codes(items: QuerySet[Segment]) -> QuerySet[Segment]:
    return items.select_related("coder").prefetch_related(
        Prefetch("codes", queryset=Code.objects.order_by("name"))
    )


def visible_segments(
    *,
    viewer: Any,
    transcript: Transcript | None = None,
    document: Any = None,
    page_number: int | None = None,
) -> list[Segment]:
    """The segments of one source that ``viewer`` may see (see the module docstring)."""
    if transcript is not None:
        items = Segment.objects.filter(transcript=transcript)
        sample = sample_for(transcript)
        if sample is not None and sample.blind:
            uid = getattr(viewer, "pk", None)
            items = items.filter(coder_id=uid) if uid is not None else items.none()
    else:
        items = Segment.objects.filter(document=document, page_number=page_number)
    return list(_with_codes(items).order_by("start", "end", "pk"))


def analysable_segments(dossier: Any) -> QuerySet[Segment]:
    """Every segment of ``dossier`` outside the blind part of the sample, for analysis and
    exports (withdrawn ones are still in: callers mark them and drop their text)."""
    return _with_codes(
        Segment.objects.filter(dossier=dossier).exclude(
            transcript_id__in=blind_transcript_ids(dossier)
        )
    ).select_related("transcript__session", "document")


def memos_for(
    *,
    viewer: Any,
    segments: Iterable[Segment] = (),
    code: Code | None = None,
    transcript: Any = None,
) -> list[Memo]:
    q = Q()
    ids = [s.pk for s in segments]
    if ids:
        q |= Q(segment_id__in=ids)
    if code is not None:
        q |= Q(code=code)
    if transcript is not None:
        q |= Q(transcript=transcript)
    if not q:
        return []
    return list(Memo.objects.filter(q).select_related("author").order_by("created_at", "pk"))


# --- the text as runs, for the coding page ------------------------------------------------------


@dataclass
class TurnView:
    number: int
    speaker: str
    start: int
    end: int
    withdrawn: bool
    group: str = ""
    html: SafeString = field(default_factory=lambda: mark_safe(""))


def _runs_html(text: str, start: int, end: int, segments: Sequence[Segment]) -> SafeString:
    """``text[start:end]`` as spans carrying their offset (``data-s``), coded parts as marks."""
    points = {start, end}
    inside = [s for s in segments if s.start < end and start < s.end]
    for s in inside:
        points.add(max(start, s.start))
        points.add(min(end, s.end))
    cuts = sorted(points)
    parts = []
    for a, b in pairwise(cuts):
        if a >= b:
            continue
        covering = [s for s in inside if s.start <= a and s.end >= b]
        chunk = escape(text[a:b])
        if covering:
            ids = " ".join(str(s.pk) for s in covering)
            colour = getattr(covering[-1], "colour_hint", "#999999")
            parts.append(
                f'<mark class="ka-coded" data-s="{a}" data-segments="{ids}" '
                f'data-colour="{escape(colour)}">{chunk}</mark>'
            )
        else:
            parts.append(f'<span data-s="{a}">{chunk}</span>')
    return mark_safe("".join(parts))


def transcript_view(
    transcript: Transcript, segments: Sequence[Segment], turns: list[Turn] | None = None
) -> list[TurnView]:
    """The transcript's turns with their text as runs; a withdrawn turn has no text at all.

    A transcript without turns is shown as one block."""
    text = transcript.text
    turns = turns_of(transcript) if turns is None else turns
    for s in segments:
        codes = list(s.codes.all())
        s.colour_hint = codes[0].colour if codes else "#999999"  # type: ignore[attr-defined]
    ordered = sorted(segments, key=lambda s: s.start)
    views = []
    if not turns:
        return [TurnView(0, "", 0, len(text), False, "", _runs_html(text, 0, len(text), ordered))]
    # The segments of each turn, found by bisection (a long transcript has hundreds of turns
    # and a thousand segments: comparing every pair takes too long).
    starts = [t.start for t in turns]
    per_turn: list[list[Segment]] = [[] for _t in turns]
    for s in ordered:
        i = max(0, bisect.bisect_right(starts, s.start) - 1)
        while i < len(turns) and turns[i].start < s.end:
            if turns[i].end > s.start:
                per_turn[i].append(s)
            i += 1
    for t, mine in zip(turns, per_turn, strict=True):
        withdrawn = t.participant is not None and t.participant.withdrawn_at is not None
        group = t.participant.get_stakeholder_group_display() if t.participant else ""
        html = mark_safe("") if withdrawn else _runs_html(text, t.start, t.end, mine)
        views.append(TurnView(t.number, t.speaker, t.start, t.end, withdrawn, str(group), html))
    return views


def page_view(text: str, segments: Sequence[Segment]) -> SafeString:
    for s in segments:
        codes = list(s.codes.all())
        s.colour_hint = codes[0].colour if codes else "#999999"  # type: ignore[attr-defined]
    return _runs_html(text, 0, len(text), sorted(segments, key=lambda s: s.start))


def participant_groups() -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in Participant.Group.choices]


def refi_jobs(dossier: Any, limit: int = 5) -> list[Any]:
    """The dossier's latest REFI-QDA imports (newest first) with their state and report."""
    return list(RefiImportJob.objects.filter(dossier=dossier).defer("payload")[:limit])
