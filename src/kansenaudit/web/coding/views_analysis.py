# SPDX-License-Identifier: EUPL-1.2
"""The analysis pages of the coding: agreement (Krippendorff's alpha), retrieval of segments
with filters, the code × stakeholder-group matrix and co-occurrence, and their exports.

Every export goes through :mod:`kansenaudit.web.core.downloads` and is recorded in the audit
log (it holds pseudonymised words of participants)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kansenaudit.web.coding import analysis, selectors
from kansenaudit.web.coding.agreement import dossier_agreement
from kansenaudit.web.coding.forms import FilterForm, UploadForm
from kansenaudit.web.coding.views import base, form_errors
from kansenaudit.web.core.downloads import csv_response, download, xlsx_response
from kansenaudit.web.core.errors import ServiceError
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
    unitised = request.GET.get("tekens") == "1"
    result = dossier_agreement(access.dossier, n_boot=N_BOOT_PAGE, with_unitised=unitised)
    context = base(access, "agreement")
    context.update({"result": result, "unitised": unitised, "is_demo": access.dossier.is_demo})
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


# --- REFI-QDA -----------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def export_qdpx(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    from kansenaudit.web.coding import refi

    data = refi.export_qdpx(access.dossier, actor=request.user)
    return download(
        data,
        file_name=f"codering-{access.dossier.pk}.qdpx",
        content_type="application/zip",
    )


@require_GET
@dossier_view(Capability.VIEW)
def export_qdc(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    from kansenaudit.web.coding import refi

    try:
        data = refi.export_qdc(access.dossier, actor=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("coding:codebook", args=[access.dossier.pk]))
    return download(
        data, file_name=f"codeboek-{access.dossier.pk}.qdc", content_type="application/xml"
    )


MAX_UPLOAD = 200 * 1024 * 1024


@require_POST
@dossier_view(Capability.EDIT)
def import_refi(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """Stage the uploaded file and queue its import; the overview shows the job's state."""
    from kansenaudit.web.coding.refi_uploads import refi_import_queue

    back = reverse("coding:overview", args=[access.dossier.pk]) + "#refi"
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    upload = form.cleaned_data["file"]
    name = upload.name or "upload"
    if upload.size > MAX_UPLOAD:
        messages.error(request, _("The file is larger than 200 MB."))
        return redirect(back)
    try:
        job = refi_import_queue(
            dossier=access.dossier, actor=request.user, data=upload.read(), file_name=name
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    job.refresh_from_db()  # a worker in this process (tests, the demo) may have run it already
    if job.state in (job.State.QUEUED, job.State.RUNNING):
        messages.info(
            request,
            _("%(file)s is being imported; its state is shown below.") % {"file": job.file_name},
        )
    return redirect(back)
