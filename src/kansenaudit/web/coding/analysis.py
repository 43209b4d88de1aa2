# SPDX-License-Identifier: EUPL-1.2
"""Retrieval and analysis of the coded segments: all segments of a code with filters
(stakeholder group, measure, session, coder), the code × stakeholder-group matrix, code
co-occurrence, and the export tables.

Everything here reads :func:`.selectors.analysable_segments`: the blind part of the
double-coding sample is never in it, and a segment touching the words of a participant who
withdrew consent is listed as withdrawn, without its text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from kansenaudit.reporting.tables import Table
from kansenaudit.web.coding import selectors
from kansenaudit.web.coding.models import Segment
from kansenaudit.web.fieldwork.models import Participant, Turn

WITHDRAWN = "[ingetrokken: toestemming van deelnemer ingetrokken]"


@dataclass
class Filters:
    code: int | None = None
    group: str = ""
    measure: int | None = None
    session: int | None = None
    coder: int | None = None
    kind: str = ""  # "codering", "consensus" or "" (both)


@dataclass
class Hit:
    segment: Segment
    source: str
    session: str
    speaker: str
    participant: str
    group: str
    codes: list[str]
    coder: str
    text: str
    withdrawn: bool
    turn_numbers: list[int] = field(default_factory=list)


def _turns_by_transcript(dossier: Any) -> dict[int, list[Turn]]:
    result: dict[int, list[Turn]] = {}
    for t in (
        Turn.objects.filter(transcript__dossier=dossier)
        .select_related("participant")
        .order_by("transcript_id", "start")
    ):
        result.setdefault(t.transcript_id, []).append(t)
    return result


def _turns_of(segment: Segment, turns: dict[int, list[Turn]]) -> list[Turn]:
    if segment.transcript_id is None:
        return []
    return [
        t
        for t in turns.get(segment.transcript_id, [])
        if t.start < segment.end and segment.start < t.end
    ]


def _measures_by_session(dossier: Any) -> dict[int, set[int]]:
    from kansenaudit.web.fieldwork.models import Session

    result: dict[int, set[int]] = {}
    for sid, mid in Session.measures.through.objects.filter(session__dossier=dossier).values_list(
        "session_id", "measure_id"
    ):
        result.setdefault(sid, set()).add(mid)
    return result


def hits(dossier: Any, filters: Filters | None = None) -> list[Hit]:
    """The segments matching ``filters`` (a code includes its sub-codes)."""
    filters = filters or Filters()
    items = selectors.analysable_segments(dossier)
    if filters.code is not None:
        code = selectors.code_in_dossier(dossier, filters.code)
        ids = selectors.descendants(code) if code else {-1}
        items = items.filter(codes__in=ids).distinct()
    if filters.coder is not None:
        items = items.filter(coder_id=filters.coder)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.session is not None:
        items = items.filter(transcript__session_id=filters.session)
    turns = _turns_by_transcript(dossier)
    withdrawn = selectors.withdrawn_by_transcript(dossier)
    measures = _measures_by_session(dossier) if filters.measure is not None else {}
    groups = dict(Participant.Group.choices)
    result = []
    for s in items.order_by("transcript_id", "document_id", "page_number", "start", "pk"):
        if filters.measure is not None and (
            s.transcript is None
            or filters.measure not in measures.get(s.transcript.session_id, set())
        ):
            continue
        touched = _turns_of(s, turns)
        people = [t.participant for t in touched if t.participant is not None]
        if filters.group and not any(p.stakeholder_group == filters.group for p in people):
            continue
        gone = selectors.segment_withdrawn(s, withdrawn)
        if s.transcript is not None:
            source, session, text = (
                s.transcript.title,
                s.transcript.session.title,
                s.transcript.text,
            )
        else:
            source = f"{s.document.title} p. {s.page_number}"
            session, text = "", _page_text(s)
        result.append(
            Hit(
                segment=s,
                source=source,
                session=session,
                speaker=", ".join(dict.fromkeys(t.speaker for t in touched)),
                participant=", ".join(dict.fromkeys(p.pseudonym for p in people)),
                group=", ".join(
                    dict.fromkeys(str(groups.get(p.stakeholder_group, "")) for p in people)
                ),
                codes=[c.name for c in s.codes.all()],
                coder=s.coder.get_username() if s.coder else s.coder_label,
                text=WITHDRAWN if gone else text[s.start : s.end],
                withdrawn=gone,
                turn_numbers=[t.number for t in touched],
            )
        )
    return result


def _page_text(segment: Segment) -> str:
    from kansenaudit.web.evidence.models import Page

    page = Page.objects.filter(document_id=segment.document_id, number=segment.page_number).first()
    return page.text if page else ""


@dataclass
class Matrix:
    groups: list[tuple[str, str]]
    rows: list[tuple[str, list[int], int]]


def group_matrix(dossier: Any) -> Matrix:
    """Code × stakeholder group: the number of segments of each code that touch a turn of a
    participant of each group (withdrawn segments not counted)."""
    groups = selectors.participant_groups()
    counts: Counter[tuple[int, str]] = Counter()
    turns = _turns_by_transcript(dossier)
    withdrawn = selectors.withdrawn_by_transcript(dossier)
    for s in selectors.analysable_segments(dossier).filter(transcript__isnull=False):
        if selectors.segment_withdrawn(s, withdrawn):
            continue
        present = {
            t.participant.stakeholder_group
            for t in _turns_of(s, turns)
            if t.participant is not None
        }
        for c in s.codes.all():
            for g in present:
                counts[(c.pk, g)] += 1
    rows = []
    for row in selectors.codebook_tree(dossier):
        cells = [counts[(row.code.pk, g)] for g, _label in groups]
        rows.append((row.path, cells, sum(cells)))
    return Matrix(groups=groups, rows=rows)


def co_occurrence(dossier: Any) -> list[tuple[str, str, int]]:
    """Pairs of codes applied to the same speaker turn (or the same document segment), most
    frequent first; a turn counts once per pair whoever coded it."""
    turns = _turns_by_transcript(dossier)
    withdrawn = selectors.withdrawn_by_transcript(dossier)
    per_unit: dict[tuple[Any, ...], set[int]] = {}
    names: dict[int, str] = {}
    for s in selectors.analysable_segments(dossier):
        if selectors.segment_withdrawn(s, withdrawn):
            continue
        codes = list(s.codes.all())
        names.update((c.pk, c.name) for c in codes)
        units: Iterable[tuple[Any, ...]] = (
            [("turn", t.pk) for t in _turns_of(s, turns)]
            if s.transcript_id is not None
            else [("segment", s.pk)]
        )
        for unit in units or [("segment", s.pk)]:
            per_unit.setdefault(unit, set()).update(c.pk for c in codes)
    pairs: Counter[tuple[int, int]] = Counter()
    for codes in per_unit.values():
        for a, b in combinations(sorted(codes), 2):
            pairs[(a, b)] += 1
    return sorted(
        ((names[a], names[b], n) for (a, b), n in pairs.items()),
        key=lambda r: (-r[2], r[0].lower(), r[1].lower()),
    )


SEGMENT_COLUMNS = [
    "segment",
    "bron",
    "sessie",
    "beurten",
    "spreker",
    "deelnemer",
    "stakeholdergroep",
    "codes",
    "codeur",
    "soort",
    "begin",
    "eind",
    "ingetrokken",
    "tekst",
]


def segment_table(hits_: list[Hit]) -> Table:
    rows = [
        [
            h.segment.pk,
            h.source,
            h.session,
            ", ".join(str(n) for n in h.turn_numbers),
            h.speaker,
            h.participant,
            h.group,
            "; ".join(h.codes),
            h.coder,
            h.segment.kind,
            h.segment.start,
            h.segment.end,
            "ja" if h.withdrawn else "nee",
            h.text,
        ]
        for h in hits_
    ]
    return Table("segmenten", SEGMENT_COLUMNS, rows)


def matrix_table(matrix: Matrix) -> Table:
    return Table(
        "codes-x-groepen",
        ["code", *[label for _g, label in matrix.groups], "totaal"],
        [[path, *cells, total] for path, cells, total in matrix.rows],
    )


def co_occurrence_table(pairs: list[tuple[str, str, int]]) -> Table:
    return Table("samen-voorkomen", ["code a", "code b", "beurten"], [list(p) for p in pairs])
