# SPDX-License-Identifier: EUPL-1.2
"""The findings pages of a dossier: dashboard with quality checks, normenkader, findings with
evidence, review and sign-off. The chain, conclusions, recommendations and follow-up are in
:mod:`.views_chain`, the wederhoor pages in :mod:`.views_wederhoor`.

Views parse input, call the services or selectors, and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kansenaudit.findings_logic.text import markdown_html
from kansenaudit.reporting.tables import Table
from kansenaudit.web.core.downloads import csv_response, xlsx_response
from kansenaudit.web.core.service_views import run_service
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.models import SubQuestion
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DEMO_NOTICE, DossierAccess
from kansenaudit.web.findings import exports, selectors, services
from kansenaudit.web.findings.forms import (
    EvidenceForm,
    FindingForm,
    NormEditForm,
    NormForm,
    NoteForm,
)
from kansenaudit.web.findings.models import EvidenceRef, Finding, ReviewNote


def _base(access: DossierAccess, sub: str) -> dict[str, object]:
    return {"dossier": access.dossier, "access": access, "sub": sub}


def _notice(access: DossierAccess) -> str | None:
    return DEMO_NOTICE if access.dossier.is_demo else None


def _errors(request: HttpRequest, form: object) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _finding_or_404(access: DossierAccess, finding_id: int) -> Finding:
    finding = selectors.finding_in_dossier(access.dossier, finding_id)
    if finding is None:
        raise Http404("finding")
    return finding


def _finding_url(finding: Finding) -> str:
    return reverse("findings:finding", args=[finding.dossier_id, finding.pk])


def _sub_questions(access: DossierAccess) -> object:
    return SubQuestion.objects.filter(dossier=access.dossier)


def _logged_export(request: HttpRequest, access: DossierAccess, what: str) -> None:
    audit_record(actor=request.user, action="findings.export", dossier=access.dossier, summary=what)


# --- dashboard -------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def dashboard(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    all_findings = list(selectors.findings(access.dossier))
    counts: dict[str, int] = {}
    for f in all_findings:
        counts[f.status] = counts.get(f.status, 0) + 1
    context = _base(access, "dashboard")
    context.update(
        {
            "checks": selectors.checks(access.dossier),
            "findings": all_findings,
            "status_counts": [
                (label, counts.get(value, 0)) for value, label in Finding.Status.choices
            ],
            "may_edit": access.allows(Capability.EDIT),
        }
    )
    return render(request, "findings/dashboard.html", context)


# --- the normenkader ---------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def norms(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    context = _base(access, "norms")
    context.update(
        {
            "norms": selectors.norms(access.dossier),
            "form": NormForm(sub_questions=_sub_questions(access))
            if access.allows(Capability.EDIT)
            else None,
        }
    )
    return render(request, "findings/norms.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def norm_add(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    back = reverse("findings:norms", args=[access.dossier.pk])
    form = NormForm(request.POST, sub_questions=_sub_questions(access))
    if not form.is_valid():
        _errors(request, form)
        return redirect(back)
    return run_service(
        request,
        lambda: services.norm_create(
            dossier=access.dossier, actor=request.user, **form.cleaned_data
        ),
        success=_("The norm has been added."),
        redirect_to=back,
    )


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def norm_edit(request: HttpRequest, *, access: DossierAccess, norm_id: int) -> HttpResponse:
    norm = selectors.norm_in_dossier(access.dossier, norm_id)
    if norm is None:
        raise Http404("norm")
    initial = {k: getattr(norm, k) for k in ("title", "criteria", "source_kind", "source")}
    form = NormEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.norm_change(norm=norm, actor=request.user, **form.cleaned_data)
        except services.FindingsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The norm has been saved."))
            return redirect(
                reverse("findings:norms", args=[access.dossier.pk]) + f"#norm-{norm.pk}"
            )
    context = _base(access, "norms")
    context.update({"form": form, "norm": norm})
    return render(request, "findings/norm_form.html", context, status=400 if form.errors else 200)


@require_POST
@dossier_view(Capability.EDIT)
def norms_seed(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    return run_service(
        request,
        lambda: services.norms_seed(dossier=access.dossier, actor=request.user),
        success=_("The norms of the assessment frameworks have been added."),
        redirect_to=reverse("findings:norms", args=[access.dossier.pk]),
    )


def _norm_table(access: DossierAccess) -> Table:
    return exports.norm_table(access.dossier)


@require_GET
@dossier_view(Capability.VIEW)
def norms_csv(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    _logged_export(request, access, "normenkader (CSV)")
    return csv_response(_norm_table(access), file_name="normenkader.csv", notice=_notice(access))


@require_GET
@dossier_view(Capability.VIEW)
def norms_xlsx(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    _logged_export(request, access, "normenkader (XLSX)")
    return xlsx_response(
        [_norm_table(access)], file_name="normenkader.xlsx", notice=_notice(access)
    )


# --- findings ------------------------------------------------------------------------------


def _finding_form(access: DossierAccess, *args: object, **kwargs: object) -> FindingForm:
    return FindingForm(
        *args,
        sub_questions=_sub_questions(access),
        norms=selectors.norms(access.dossier).order_by("code"),
        **kwargs,
    )


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def finding_add(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    form = _finding_form(access, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            finding = services.finding_create(
                dossier=access.dossier,
                actor=request.user,
                code=data["code"],
                sub_question=data["sub_question"],
                title=data["title"],
                text=data["text"],
                verdict=data["verdict"],
                norms=list(data["norms"]),
            )
        except services.FindingsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The finding has been drafted."))
            return redirect(_finding_url(finding))
    context = _base(access, "dashboard")
    context.update({"form": form, "finding": None})
    return render(
        request, "findings/finding_form.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def finding_edit(request: HttpRequest, *, access: DossierAccess, finding_id: int) -> HttpResponse:
    finding = _finding_or_404(access, finding_id)
    initial = {
        "code": finding.code,
        "sub_question": finding.sub_question_id,
        "title": finding.title,
        "text": finding.text,
        "verdict": finding.verdict,
        "norms": list(finding.norms.values_list("pk", flat=True)),
    }
    form = _finding_form(access, request.POST or None, initial=initial)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.finding_change(
                finding=finding,
                actor=request.user,
                sub_question=data["sub_question"],
                title=data["title"],
                text=data["text"],
                verdict=data["verdict"],
                norms=list(data["norms"]),
            )
        except services.FindingsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The finding has been saved."))
            return redirect(_finding_url(finding))
    context = _base(access, "dashboard")
    context.update({"form": form, "finding": finding})
    return render(
        request, "findings/finding_form.html", context, status=400 if form.errors else 200
    )


@require_GET
@dossier_view(Capability.VIEW)
def finding(request: HttpRequest, *, access: DossierAccess, finding_id: int) -> HttpResponse:
    item = _finding_or_404(access, finding_id)
    states = selectors.finding_states(item)
    notes = list(item.notes.select_related("author", "resolved_by"))
    threads = [(n, [r for r in notes if r.parent_id == n.pk]) for n in notes if n.parent_id is None]
    current = services.content_of(item)
    signed = item.signed_content or {}
    changed_fields = (
        [k for k in current if signed.get(k) != current.get(k)]
        if signed and item.status != Finding.Status.SIGNED_OFF
        else []
    )
    context = _base(access, "dashboard")
    context.update(
        {
            "finding": item,
            "html": mark_safe(markdown_html(item.text)),
            "states": states,
            "threads": threads,
            "events": item.events.all(),
            "changed_fields": changed_fields,
            "signed": signed,
            "current": current,
            "conclusions": item.conclusions.all(),
            "evidence_form": EvidenceForm(),
            "note_form": NoteForm(),
            "may_edit": access.allows(Capability.EDIT),
            "may_comment": access.allows(Capability.COMMENT),
            "may_sign": access.allows(Capability.SIGN_OFF),
        }
    )
    return render(request, "findings/finding.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def evidence_add(request: HttpRequest, *, access: DossierAccess, finding_id: int) -> HttpResponse:
    item = _finding_or_404(access, finding_id)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect(_finding_url(item))
    return run_service(
        request,
        lambda: services.evidence_add(finding=item, actor=request.user, **form.cleaned_data),
        success=_("The evidence has been attached."),
        redirect_to=_finding_url(item),
    )


@require_POST
@dossier_view(Capability.EDIT)
def evidence_remove(
    request: HttpRequest, *, access: DossierAccess, finding_id: int, ref_id: int
) -> HttpResponse:
    item = _finding_or_404(access, finding_id)
    ref = EvidenceRef.objects.filter(finding=item, pk=ref_id).first()
    if ref is None:
        raise Http404("reference")
    return run_service(
        request,
        lambda: services.evidence_remove(ref=ref, actor=request.user),
        success=_("The evidence has been removed from the finding."),
        redirect_to=_finding_url(item),
    )


@require_POST
@dossier_view(Capability.EDIT)
def review_request(request: HttpRequest, *, access: DossierAccess, finding_id: int) -> HttpResponse:
    item = _finding_or_404(access, finding_id)
    return run_service(
        request,
        lambda: services.review_request(finding=item, actor=request.user),
        success=_("The finding has been offered for review."),
        redirect_to=_finding_url(item),
    )


@require_POST
@dossier_view(Capability.COMMENT)
def note_add(request: HttpRequest, *, access: DossierAccess, finding_id: int) -> HttpResponse:
    item = _finding_or_404(access, finding_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect(_finding_url(item))
    parent_id = form.cleaned_data.get("parent")
    parent = ReviewNote.objects.filter(finding=item, pk=parent_id).first() if parent_id else None
    if parent_id and parent is None:
        raise Http404("note")
    return run_service(
        request,
        lambda: services.note_add(
            finding=item, text=form.cleaned_data["text"], parent=parent, actor=request.user
        ),
        success=_("The review note has been added."),
        redirect_to=_finding_url(item) + "#review",
    )


@require_POST
@dossier_view(Capability.COMMENT)
def note_resolve(
    request: HttpRequest, *, access: DossierAccess, finding_id: int, note_id: int
) -> HttpResponse:
    item = _finding_or_404(access, finding_id)
    note = ReviewNote.objects.filter(finding=item, pk=note_id).first()
    if note is None:
        raise Http404("note")
    return run_service(
        request,
        lambda: services.note_resolve(note=note, actor=request.user),
        success=_("The review note has been resolved."),
        redirect_to=_finding_url(item) + "#review",
    )


@require_POST
@dossier_view(Capability.SIGN_OFF)
def sign_off(request: HttpRequest, *, access: DossierAccess, finding_id: int) -> HttpResponse:
    item = _finding_or_404(access, finding_id)
    return run_service(
        request,
        lambda: services.sign_off(finding=item, actor=request.user),
        success=_("The finding has been signed off."),
        redirect_to=_finding_url(item),
    )
