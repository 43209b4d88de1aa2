"""The analysis pages of the coding: agreement (Krippendorff's alpha), retrieval of segments
with filters, the code × stakeholder-group matrix and co-occurrence, and their exports.

Every export goes through :mod:`kansenaudit.web.core.downloads` and is recorded in the audit
log (it holds pseudonymised words of participants)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kansenaudit.web.coding import analysis, selectors
from kansenaudit.web.coding.agreement import dossier_agreement
from kansenaudit.web.coding.forms import FilterForm
from kansenaudit.web.coding.views import base
from kansenaudit.web.core.downloads import csv_response, xlsx_response
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DEMO_NOTICE, DossierAccess

N_BOOT_PAGE = 1000


def _notice(access: DossierAccess) -> str | None:
    return DEMO_NOTICE if access.dossier.is_demo else None


@require_GET
@dossier_view(Capability.VIEW)
def agreement(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    result = dossier_agreement(access.dossier, n_boot=N_BOOT_PAGE)
    context = base(access, "agreement")
    context.update({"result": result, "is_demo": access.dossier.is_demo})
    return render(request, "coding/agreement.html", context)


def _filter_form(request: HttpRequest, dossier: Any) -> tuple[FilterForm, analysis.Filters]:
    from kansenaudit.web.fieldwork.models import Session
    from kansenaudit.web.policy.models import Measure

    choices = {
        "code": [(r.code.pk, r.path) for r in selectors.codebook_tree(dossier)],
        "group": selectors.participant_groups(),
        "measure": [
            (m.pk, m.name) for m in Measure.objects.filter(dossier=dossier).order_by("name")
        ],
        "session": [(s.pk, s.title) for s in Session.objects.filter(dossier=dossier)],
        "coder": [(u.pk, u.get_username()) for u in selectors.coder_choices(dossier)],
    }
    form = FilterForm(request.GET or None, choices=choices)
    filters = analysis.Filters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = analysis.Filters(
            code=data["code"],
            group=data["group"] or "",
            measure=data["measure"],
            session=data["session"],
            coder=data["coder"],
        )
    return form, filters


@require_GET
@dossier_view(Capability.VIEW)
def retrieve(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    form, filters = _filter_form(request, access.dossier)
    hits = analysis.hits(access.dossier, filters)
    context = base(access, "retrieve")
    context.update(
        {
            "form": form,
            "hits": hits,
            "query": request.GET.urlencode(),
            "is_demo": access.dossier.is_demo,
        }
    )
    return render(request, "coding/retrieve.html", context)


@require_GET
@dossier_view(Capability.VIEW)
def analysis_page(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    context = base(access, "analysis")
    context.update(
        {
            "matrix": analysis.group_matrix(access.dossier),
            "pairs": analysis.co_occurrence(access.dossier)[:200],
            "is_demo": access.dossier.is_demo,
        }
    )
    return render(request, "coding/analysis.html", context)


def _log_export(request: HttpRequest, access: DossierAccess, what: str, rows: int) -> None:
    audit_record(
        actor=request.user,
        action="coding.exported",
        dossier=access.dossier,
        summary=f"Export codering: {what}",
        after={"file": what, "rows": rows},
    )


@require_GET
@dossier_view(Capability.VIEW)
def segments_csv(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    _form, filters = _filter_form(request, access.dossier)
    hits = analysis.hits(access.dossier, filters)
    name = f"segmenten-{access.dossier.pk}.csv"
    _log_export(request, access, name, len(hits))
    return csv_response(analysis.segment_table(hits), file_name=name, notice=_notice(access))


@require_GET
@dossier_view(Capability.VIEW)
def analysis_xlsx(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    _form, filters = _filter_form(request, access.dossier)
    hits = analysis.hits(access.dossier, filters)
    tables = [
        analysis.segment_table(hits),
        analysis.matrix_table(analysis.group_matrix(access.dossier)),
        analysis.co_occurrence_table(analysis.co_occurrence(access.dossier)),
    ]
    name = f"codering-{access.dossier.pk}.xlsx"
    _log_export(request, access, name, len(hits))
    return xlsx_response(tables, file_name=name, notice=_notice(access))
