# SPDX-License-Identifier: EUPL-1.2
"""The mirror of practice against policy theory (§4.2.5): the measures with a summary of what
the fieldwork found, a measure's matrix (each step and assumed link of its policy theory
against the verdict), a row with the two blind verdicts, the consensus and the sign-off, and
the exports. Views parse, call :mod:`.mirror_services` or :mod:`.mirror_selectors`, and render.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kansenaudit.web.coding import mirror_selectors as selectors
from kansenaudit.web.coding import mirror_services as services
from kansenaudit.web.coding.forms import MirrorForm
from kansenaudit.web.coding.models import MirrorRow, Segment
from kansenaudit.web.coding.views import base, form_errors
from kansenaudit.web.core.downloads import csv_response, xlsx_response
from kansenaudit.web.core.service_views import run_service
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DEMO_NOTICE, DossierAccess

MAX_CITATIONS = 300


@require_GET
@dossier_view(Capability.VIEW)
def mirror(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """The measures of the mirror with the consensus verdicts counted."""
    dossier = access.dossier
    context = base(access, "mirror")
    context.update(
        {
            "summaries": selectors.summary(dossier),
            "verdicts": selectors.VERDICTS,
            "selected": bool(selectors.selected_measure_ids(dossier)),
            "is_demo": dossier.is_demo,
        }
    )
    return render(request, "coding/mirror.html", context)


def _measure_or_404(access: DossierAccess, measure_id: int) -> Any:
    measure = selectors.measure_in_dossier(access.dossier, measure_id)
    if measure is None:
        raise Http404("measure")
    return measure


@require_GET
@dossier_view(Capability.VIEW)
def mirror_measure(request: HttpRequest, *, access: DossierAccess, measure_id: int) -> HttpResponse:
    """One measure's matrix: its policy theory against what the fieldwork found."""
    measure = _measure_or_404(access, measure_id)
    context = base(access, "mirror")
    context.update(
        {
            "measure": measure,
            "rows": selectors.mirror_view(measure, request.user),
            "is_demo": access.dossier.is_demo,
        }
    )
    return render(request, "coding/mirror_measure.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def mirror_start(request: HttpRequest, *, access: DossierAccess, measure_id: int) -> HttpResponse:
    measure = _measure_or_404(access, measure_id)
    return run_service(
        request,
        lambda: services.mirror_start(dossier=access.dossier, measure=measure, actor=request.user),
        success=_("The rows of the policy theory are in the mirror."),
        redirect_to=reverse("coding:mirror_measure", args=[access.dossier.pk, measure.pk]),
    )


def _row_or_404(access: DossierAccess, row_id: int) -> MirrorRow:
    row = selectors.row_in_dossier(access.dossier, row_id)
    if row is None:
        raise Http404("row")
    return row


def _segment_choices(row: MirrorRow) -> list[tuple[int, str]]:
    choices = []
    for h in selectors.candidate_hits(row):
        who = f" · {h.participant} ({h.group})" if h.participant else ""
        text = h.text if len(h.text) <= 160 else h.text[:157] + "…"
        choices.append((h.segment.pk, f"{h.source}{who}: “{text}”"))
    return choices


def _citation_choices(access: DossierAccess, viewer: Any) -> list[tuple[int, str]]:
    from kansenaudit.web.evidence.selectors import citations_visible_to

    items = citations_visible_to(viewer, access.dossier).order_by("document__title", "pk")
    return [
        (c.pk, f"{c.document.title}, p. {c.page_number}: “{c.quote[:120]}”")
        for c in items[:MAX_CITATIONS]
    ]


@require_GET
@dossier_view(Capability.VIEW)
def mirror_row(request: HttpRequest, *, access: DossierAccess, row_id: int) -> HttpResponse:
    """A row: the element, the candidate segments, the verdicts the viewer may see and the
    forms for an own verdict, the consensus and the sign-off."""
    row = _row_or_404(access, row_id)
    assessments = list(row.assessments.select_related("assessor").prefetch_related("segments"))
    row_assessments = selectors.visible_assessments(row, request.user)
    mine = next((a for a in assessments if a.assessor_id == request.user.pk), None)
    both = len(assessments) >= 2
    may_edit = access.allows(Capability.EDIT)
    segments = _segment_choices(row)
    context = base(access, "mirror")
    context.update(
        {
            "row": row,
            "measure": row.measure,
            "assessments": row_assessments,
            "both": both,
            "count": len(assessments),
            "mine": mine,
            "evidence_segments": list(row.segments.all()),
            "evidence_citations": list(row.citations.select_related("document")),
            "may_sign_off": access.allows(Capability.SIGN_OFF)
            and row.consensus_at is not None
            and row.status != MirrorRow.Status.SIGNED_OFF,
            "is_demo": access.dossier.is_demo,
        }
    )
    if may_edit and row.consensus_at is None and (mine is not None or not both):
        initial = (
            {
                "verdict": mine.verdict,
                "rationale": mine.rationale,
                "segments": [s.pk for s in mine.segments.all()],
            }
            if mine
            else None
        )
        context["assess_form"] = MirrorForm(segments=segments, initial=initial, prefix="eigen")
    if may_edit and both:
        initial = (
            {
                "verdict": row.verdict,
                "rationale": row.rationale,
                "segments": [s.pk for s in row.segments.all()],
                "citations": [c.pk for c in row.citations.all()],
            }
            if row.consensus_at
            else None
        )
        context["consensus_form"] = MirrorForm(
            segments=segments,
            citations=_citation_choices(access, request.user),
            initial=initial,
            prefix="consensus",
        )
    return render(request, "coding/mirror_row.html", context)


def _segments(access: DossierAccess, ids: list[int]) -> list[Segment]:
    return list(Segment.objects.filter(dossier=access.dossier, pk__in=ids))


@require_POST
@dossier_view(Capability.EDIT)
def mirror_assess(request: HttpRequest, *, access: DossierAccess, row_id: int) -> HttpResponse:
    row = _row_or_404(access, row_id)
    back = reverse("coding:mirror_row", args=[access.dossier.pk, row.pk])
    form = MirrorForm(request.POST, segments=_segment_choices(row), prefix="eigen")
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    data = form.cleaned_data
    return run_service(
        request,
        lambda: services.mirror_assess(
            row=row,
            actor=request.user,
            verdict=data["verdict"],
            rationale=data["rationale"],
            segments=_segments(access, data["segments"]),
        ),
        success=_("Your verdict is saved."),
        redirect_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def mirror_consensus(request: HttpRequest, *, access: DossierAccess, row_id: int) -> HttpResponse:
    from kansenaudit.web.evidence.models import Citation

    row = _row_or_404(access, row_id)
    back = reverse("coding:mirror_row", args=[access.dossier.pk, row.pk])
    form = MirrorForm(
        request.POST,
        segments=_segment_choices(row),
        citations=_citation_choices(access, request.user),
        prefix="consensus",
    )
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    data = form.cleaned_data
    citations = list(Citation.objects.filter(dossier=access.dossier, pk__in=data["citations"]))
    return run_service(
        request,
        lambda: services.mirror_consensus(
            row=row,
            actor=request.user,
            verdict=data["verdict"],
            rationale=data["rationale"],
            segments=_segments(access, data["segments"]),
            citations=citations,
        ),
        success=_("Consensus recorded."),
        redirect_to=back,
    )


@require_POST
@dossier_view(Capability.SIGN_OFF)
def mirror_sign_off(request: HttpRequest, *, access: DossierAccess, row_id: int) -> HttpResponse:
    row = _row_or_404(access, row_id)
    return run_service(
        request,
        lambda: services.mirror_sign_off(row=row, actor=request.user),
        success=_("Signed off."),
        redirect_to=reverse("coding:mirror_row", args=[access.dossier.pk, row.pk]),
    )


# --- exports ----------------------------------------------------------------------------------


def _export_measures(request: HttpRequest, access: DossierAccess) -> list[Any] | None:
    raw = request.GET.get("maatregel", "")
    if not raw.isdigit():
        return None
    return [_measure_or_404(access, int(raw))]


def _log(request: HttpRequest, access: DossierAccess, name: str, rows: int) -> None:
    audit_record(
        actor=request.user,
        action="coding.exported",
        dossier=access.dossier,
        summary=f"Export spiegel van de praktijk: {name}",
        after={"file": name, "rows": rows},
    )


@require_GET
@dossier_view(Capability.VIEW)
def mirror_csv(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    table = selectors.mirror_table(access.dossier, _export_measures(request, access))
    rows = list(table.rows)
    name = f"spiegel-{access.dossier.pk}.csv"
    _log(request, access, name, len(rows))
    notice = DEMO_NOTICE if access.dossier.is_demo else None
    return csv_response(
        selectors.Table(table.name, table.columns, rows), file_name=name, notice=notice
    )


@require_GET
@dossier_view(Capability.VIEW)
def mirror_xlsx(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    table = selectors.mirror_table(access.dossier, _export_measures(request, access))
    rows = list(table.rows)
    name = f"spiegel-{access.dossier.pk}.xlsx"
    _log(request, access, name, len(rows))
    notice = DEMO_NOTICE if access.dossier.is_demo else None
    tables = [
        selectors.summary_table(access.dossier),
        selectors.Table(table.name, table.columns, rows),
    ]
    return xlsx_response(tables, file_name=name, notice=notice)
