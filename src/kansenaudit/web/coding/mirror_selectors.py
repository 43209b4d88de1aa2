# SPDX-License-Identifier: EUPL-1.2
"""Reads of the mirror of practice against policy theory (§4.2.5): which measures it covers,
its rows with what a viewer may see of the verdicts, the coded segments a row can rest on, a
summary per measure, and the export tables.

Blindness: while a row waits for its second verdict, an assessor sees only their own and
nobody else sees any (:func:`visible_assessments`); the summary and the exports show only the
consensus. The segments offered come from :func:`.analysis.hits`, so the blind part of the
double-coding sample is never among them and withdrawn words are marked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from kansenaudit.reporting.tables import Table
from kansenaudit.web.coding import analysis
from kansenaudit.web.coding.models import Code, MirrorAssessment, MirrorRow

VERDICTS = list(MirrorRow.Verdict)
# The exports are Dutch whatever the interface language, as the other coding exports.
VERDICT_NL = {
    MirrorRow.Verdict.SUPPORTED: "ondersteund",
    MirrorRow.Verdict.PARTLY: "deels ondersteund",
    MirrorRow.Verdict.CONTRADICTED: "tegengesproken",
    MirrorRow.Verdict.COUNTER: "averechts",
    MirrorRow.Verdict.NOT_ADDRESSED: "niet aan bod",
}
STATUS_NL = {
    MirrorRow.Status.OPEN: "open",
    MirrorRow.Status.ASSESSING: "in beoordeling",
    MirrorRow.Status.CONSENSUS: "consensus",
    MirrorRow.Status.SIGNED_OFF: "afgetekend",
}
ELEMENT_NL = {MirrorRow.Element.STEP: "stap", MirrorRow.Element.LINK: "aangenomen schakel"}


def selected_measure_ids(dossier: Any) -> list[int]:
    """The measures of the practice study (fieldwork's selection), in its order."""
    from kansenaudit.web.fieldwork.models import SelectedMeasure

    return list(
        SelectedMeasure.objects.filter(selection__dossier=dossier)
        .order_by("order", "pk")
        .values_list("measure_id", flat=True)
    )


def mirror_measures(dossier: Any) -> list[Any]:
    """The measures the mirror covers: the selected ones, then any other measure that already
    has rows; without a selection every measure with a policy theory."""
    from kansenaudit.web.policy.models import Measure

    chosen = selected_measure_ids(dossier)
    with_rows = set(MirrorRow.objects.filter(dossier=dossier).values_list("measure_id", flat=True))
    if not chosen:
        with_theory = set(
            Measure.objects.filter(dossier=dossier, theory_steps__isnull=False).values_list(
                "pk", flat=True
            )
        )
        ids = with_theory | with_rows
        return list(Measure.objects.filter(pk__in=ids).order_by("name"))
    by_id = {m.pk: m for m in Measure.objects.filter(pk__in=set(chosen) | with_rows)}
    ordered = [by_id[i] for i in chosen if i in by_id]
    ordered += sorted((m for i, m in by_id.items() if i not in chosen), key=lambda m: m.name)
    return ordered


def measure_in_dossier(dossier: Any, measure_id: int) -> Any:
    from kansenaudit.web.policy.models import Measure

    return Measure.objects.filter(dossier=dossier, pk=measure_id).first()


def rows_of(measure: Any) -> list[MirrorRow]:
    return list(
        MirrorRow.objects.filter(measure=measure)
        .select_related("consensus_by", "signed_off_by", "dossier")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=MirrorAssessment.objects.select_related("assessor").prefetch_related(
                    "segments"
                ),
            ),
            "segments",
            "citations__document",
        )
        .order_by("order", "pk")
    )


def row_in_dossier(dossier: Any, row_id: int) -> MirrorRow | None:
    return (
        MirrorRow.objects.filter(dossier=dossier, pk=row_id)
        .select_related("measure", "dossier", "consensus_by", "signed_off_by")
        .first()
    )


def visible_assessments(row: MirrorRow, viewer: Any) -> list[MirrorAssessment]:
    """Both verdicts once both are in; before that only the viewer's own."""
    items = list(row.assessments.all())
    if len(items) >= 2:
        return items
    uid = getattr(viewer, "pk", None)
    return [a for a in items if uid is not None and a.assessor_id == uid]


def is_blind(row: MirrorRow) -> bool:
    return len(row.assessments.all()) < 2


def row_code(row: MirrorRow) -> Code | None:
    """The deductive code of the row's element (coding → deductive codes), merges followed."""
    key = f"theorystep:{row.step_id}" if row.step_id else f"theorylink:{row.link_id}"
    if row.step_id is None and row.link_id is None:
        return None
    code = Code.objects.filter(dossier_id=row.dossier_id, source_key=key).first()
    while code is not None and code.merged_into_id is not None:
        code = code.merged_into
    return code


def candidate_hits(row: MirrorRow, *, limit: int = 300) -> list[analysis.Hit]:
    """The coded segments a verdict on ``row`` can rest on: first those coded with the row's
    deductive code, then the other segments of the measure's sessions; withdrawn ones left out."""
    code = row_code(row)
    first = analysis.hits(row.dossier, analysis.Filters(code=code.pk)) if code else []
    rest = analysis.hits(row.dossier, analysis.Filters(measure=row.measure_id))
    seen: set[int] = set()
    found = []
    for h in [*first, *rest]:
        if h.withdrawn or h.segment.pk in seen:
            continue
        seen.add(h.segment.pk)
        found.append(h)
    return found[:limit]


@dataclass
class RowView:
    row: MirrorRow
    assessments: list[MirrorAssessment]
    blind: bool
    suggested: int = 0
    segments: list[analysis.Hit] = field(default_factory=list)


def mirror_view(measure: Any, viewer: Any) -> list[RowView]:
    """The rows of ``measure`` with what ``viewer`` may see, and the segments each row offers
    from its deductive code."""
    rows = rows_of(measure)
    counts = _code_counts(measure.dossier, rows)
    return [
        RowView(
            row=r,
            assessments=visible_assessments(r, viewer),
            blind=is_blind(r),
            suggested=counts.get(r.pk, 0),
        )
        for r in rows
    ]


def _code_counts(dossier: Any, rows: list[MirrorRow]) -> dict[int, int]:
    """Per row the number of analysable segments with its deductive code (one query a row would
    be too many on a long theory: count once over the dossier's hits)."""
    keys = {
        (f"theorystep:{r.step_id}" if r.step_id else f"theorylink:{r.link_id}"): r.pk
        for r in rows
        if not r.removed
    }
    if not keys:
        return {}
    codes = {
        c.source_key: c for c in Code.objects.filter(dossier=dossier, source_key__in=list(keys))
    }
    wanted: dict[int, int] = {}
    for key, code in codes.items():
        while code.merged_into_id is not None:
            code = code.merged_into
        wanted[code.pk] = keys[key]
    counts: Counter[int] = Counter()
    for h in analysis.hits(dossier):
        for c in h.segment.codes.all():
            if c.pk in wanted and not h.withdrawn:
                counts[wanted[c.pk]] += 1
    return dict(counts)


@dataclass
class MeasureSummary:
    measure: Any
    selected: bool
    rows: int
    verdicts: list[int]
    open: int
    signed_off: int


def summary(dossier: Any) -> list[MeasureSummary]:
    """Per measure of the mirror: the consensus verdicts counted, rows still open, signed off."""
    chosen = set(selected_measure_ids(dossier))
    by_measure: dict[int, list[MirrorRow]] = {}
    for r in MirrorRow.objects.filter(dossier=dossier):
        by_measure.setdefault(r.measure_id, []).append(r)
    result = []
    for m in mirror_measures(dossier):
        rows = by_measure.get(m.pk, [])
        tally = Counter(r.verdict for r in rows if r.consensus_at is not None)
        result.append(
            MeasureSummary(
                measure=m,
                selected=m.pk in chosen,
                rows=len(rows),
                verdicts=[tally.get(v.value, 0) for v in VERDICTS],
                open=sum(1 for r in rows if r.consensus_at is None),
                signed_off=sum(1 for r in rows if r.status == MirrorRow.Status.SIGNED_OFF),
            )
        )
    return result


# --- exports ----------------------------------------------------------------------------------

MIRROR_COLUMNS = [
    "maatregel",
    "rij",
    "soort",
    "element van de beleidstheorie",
    "bevinding",
    "onderbouwing",
    "status",
    "segmenten",
    "citaten",
    "beoordeling 1",
    "beoordeling 2",
    "consensus door",
    "afgetekend door",
]


def _who(user: Any) -> str:
    return user.get_username() if user is not None else ""


def mirror_table(dossier: Any, measures: list[Any] | None = None) -> Table:
    """The rows of the mirror, one line each; the assessors' verdicts only once both are in."""
    rows = []
    for m in measures if measures is not None else mirror_measures(dossier):
        for r in rows_of(m):
            both = list(r.assessments.all()) if not is_blind(r) else []
            verdicts = [
                f"{VERDICT_NL.get(a.verdict, a.verdict)} ({_who(a.assessor)})" for a in both
            ]
            verdicts += [""] * (2 - len(verdicts))
            rows.append(
                [
                    m.name,
                    r.pk,
                    ELEMENT_NL.get(r.element, r.element),
                    r.label,
                    VERDICT_NL.get(r.verdict, r.verdict),
                    r.rationale,
                    STATUS_NL.get(r.status, r.status),
                    ", ".join(str(s.pk) for s in r.segments.all()),
                    ", ".join(str(c.pk) for c in r.citations.all()),
                    *verdicts,
                    _who(r.consensus_by),
                    _who(r.signed_off_by),
                ]
            )
    return Table("spiegel", MIRROR_COLUMNS, rows)


def summary_table(dossier: Any) -> Table:
    return Table(
        "spiegel-per-maatregel",
        [
            "maatregel",
            "geselecteerd",
            "rijen",
            *[VERDICT_NL[v] for v in VERDICTS],
            "open",
            "afgetekend",
        ],
        [
            [
                s.measure.name,
                "ja" if s.selected else "nee",
                s.rows,
                *s.verdicts,
                s.open,
                s.signed_off,
            ]
            for s in summary(dossier)
        ],
    )
