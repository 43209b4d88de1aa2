# SPDX-License-Identifier: EUPL-1.2
"""The chain pages of a dossier: the chain as table and diagram with its exports, conclusions
and recommendations with the college's reaction and the nawoord, and the follow-up register
across dossiers. Views parse input, call the services or selectors, and render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kansenaudit.findings_logic.diagram import render_chain_svg
from kansenaudit.reporting.tables import Table
from kansenaudit.web.core.downloads import csv_response, xlsx_response
from kansenaudit.web.core.service_views import run_service
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DossierAccess
from kansenaudit.web.evidence.models import Document
from kansenaudit.web.findings import exports, selectors, services, wederhoor
from kansenaudit.web.findings.forms import (
    ConclusionForm,
    FollowUpForm,
    NawoordForm,
    ReactionForm,
    RecommendationForm,
)
from kansenaudit.web.findings.models import Finding, Nawoord
from kansenaudit.web.findings.views import (
    _base,
    _errors,
    _logged_export,
    _norm_table,
    _notice,
    _sub_questions,
)

DIAGRAM_MAX_NODES = 120
KIND_NAMES = {
    "norm": "Norms",
    "finding": "Findings",
    "conclusion": "Conclusions",
    "recommendation": "Recommendations",
}


# --- the chain -----------------------------------------------------------------------------


def _chain_href(dossier_id: int) -> object:
    base = reverse("findings:chain", args=[dossier_id])
    return lambda node: f"{base}?focus={node[0]}:{node[1]}#diagram"


@require_GET
@dossier_view(Capability.VIEW)
def chain(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    data = selectors.chain(access.dossier, request.GET.get("focus", ""))
    nodes = list(data.shown) if data.shown is not None else list(data.labels)
    svg = ""
    if len(nodes) <= DIAGRAM_MAX_NODES:
        svg = render_chain_svg(
            nodes,
            data.graph,
            data.labels,
            title=_("The chain from norm to recommendation"),
            column_titles={k: _(v) for k, v in KIND_NAMES.items()},
            href=_chain_href(access.dossier.pk),
            focus=data.focus,
        )
    context = _base(access, "chain")
    context.update(
        {
            "chain": data,
            "rows": [
                {
                    **row,
                    "finding_label": data.labels[row["finding"]],
                    "finding_text": data.texts[row["finding"]],
                    "norm_labels": [(n[1], data.labels[n]) for n in row["norms"]],
                    "conclusion_labels": [(n[1], data.labels[n]) for n in row["conclusions"]],
                    "recommendation_labels": [
                        (n[1], data.labels[n]) for n in row["recommendations"]
                    ],
                }
                for row in data.rows
            ],
            "svg": mark_safe(svg),
            "focus_label": data.labels.get(data.focus) if data.focus else "",
            "diagram_max": DIAGRAM_MAX_NODES,
        }
    )
    return render(request, "findings/chain.html", context)


def _trace_tables(access: DossierAccess) -> list[Table]:
    return [exports.trace_table(access.dossier), _norm_table(access)]


@require_GET
@dossier_view(Capability.VIEW)
def trace_csv(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    _logged_export(request, access, "keten (CSV)")
    return csv_response(_trace_tables(access)[0], file_name="keten.csv", notice=_notice(access))


@require_GET
@dossier_view(Capability.VIEW)
def trace_xlsx(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    _logged_export(request, access, "keten (XLSX)")
    return xlsx_response(_trace_tables(access), file_name="keten.xlsx", notice=_notice(access))


# --- conclusions, recommendations, college reaction, nawoord ----------------------------------


def _letters(access: DossierAccess) -> object:
    return Document.objects.filter(dossier=access.dossier).order_by("title")


@require_GET
@dossier_view(Capability.VIEW)
def conclusions(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    may_edit = access.allows(Capability.EDIT)
    all_conclusions = selectors.conclusions(access.dossier)
    recs = list(selectors.recommendations(access.dossier))
    nawoord = Nawoord.objects.filter(dossier=access.dossier).first()
    context = _base(access, "conclusions")
    context.update(
        {
            "conclusions": all_conclusions,
            "recommendations": recs,
            "nawoord": nawoord,
            "may_edit": may_edit,
        }
    )
    if may_edit:
        findings_qs = Finding.objects.filter(dossier=access.dossier).order_by("code")
        letters = _letters(access)
        for rec in recs:
            # Own ids per recommendation, so the forms on one page never share an id.
            rec.reaction_form = ReactionForm(documents=letters, auto_id=f"r{rec.pk}-%s")
            rec.follow_up_form = FollowUpForm(auto_id=f"o{rec.pk}-%s")
        context.update(
            {
                "conclusion_form": ConclusionForm(
                    sub_questions=_sub_questions(access),
                    findings=findings_qs,
                    conclusions=all_conclusions,
                ),
                "recommendation_form": RecommendationForm(conclusions=all_conclusions),
                "nawoord_form": NawoordForm(initial={"text": nawoord.text if nawoord else ""}),
            }
        )
    return render(request, "findings/conclusions.html", context)


def _back(access: DossierAccess, anchor: str = "") -> str:
    return reverse("findings:conclusions", args=[access.dossier.pk]) + anchor


@require_POST
@dossier_view(Capability.EDIT)
def conclusion_add(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    all_conclusions = selectors.conclusions(access.dossier)
    form = ConclusionForm(
        request.POST,
        sub_questions=_sub_questions(access),
        findings=Finding.objects.filter(dossier=access.dossier),
        conclusions=all_conclusions,
    )
    if not form.is_valid():
        _errors(request, form)
        return redirect(_back(access))
    data = form.cleaned_data
    return run_service(
        request,
        lambda: services.conclusion_create(
            dossier=access.dossier,
            actor=request.user,
            code=data["code"],
            text=data["text"],
            sub_question=data["sub_question"],
            findings=list(data["findings"]),
            builds_on=list(data["builds_on"]),
        ),
        success=_("The conclusion has been added."),
        redirect_to=_back(access),
    )


@require_POST
@dossier_view(Capability.EDIT)
def conclusion_link(
    request: HttpRequest, *, access: DossierAccess, conclusion_id: int
) -> HttpResponse:
    conclusion = selectors.conclusion_in_dossier(access.dossier, conclusion_id)
    if conclusion is None:
        raise Http404("conclusion")

    def ids(name: str) -> list[int]:
        return [int(x) for x in request.POST.getlist(name) if x.isdigit()]

    base = selectors.conclusions(access.dossier).filter(pk__in=ids("builds_on"))
    found = Finding.objects.filter(dossier=access.dossier, pk__in=ids("findings"))
    return run_service(
        request,
        lambda: services.conclusion_link(
            conclusion=conclusion, actor=request.user, findings=list(found), builds_on=list(base)
        ),
        success=_("The conclusion has been linked."),
        redirect_to=_back(access, f"#conclusie-{conclusion.pk}"),
    )


@require_POST
@dossier_view(Capability.EDIT)
def recommendation_add(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    form = RecommendationForm(request.POST, conclusions=selectors.conclusions(access.dossier))
    if not form.is_valid():
        _errors(request, form)
        return redirect(_back(access))
    data = form.cleaned_data
    return run_service(
        request,
        lambda: services.recommendation_create(
            dossier=access.dossier,
            actor=request.user,
            code=data["code"],
            text=data["text"],
            addressee=data["addressee"],
            conclusions=list(data["conclusions"]),
            smart=form.smart(),
        ),
        success=_("The recommendation has been added."),
        redirect_to=_back(access),
    )


def _rec_or_404(access: DossierAccess, rec_id: int) -> object:
    rec = selectors.recommendation_in_dossier(access.dossier, rec_id)
    if rec is None:
        raise Http404("recommendation")
    return rec


@require_POST
@dossier_view(Capability.EDIT)
def reaction(request: HttpRequest, *, access: DossierAccess, rec_id: int) -> HttpResponse:
    rec = _rec_or_404(access, rec_id)
    form = ReactionForm(request.POST, documents=_letters(access))
    if not form.is_valid():
        _errors(request, form)
        return redirect(_back(access, f"#aanbeveling-{rec.pk}"))
    return run_service(
        request,
        lambda: wederhoor.reaction_set(recommendation=rec, actor=request.user, **form.cleaned_data),
        success=_("The college's reaction has been registered."),
        redirect_to=_back(access, f"#aanbeveling-{rec.pk}"),
    )


@require_POST
@dossier_view(Capability.EDIT)
def nawoord(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    form = NawoordForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect(_back(access, "#nawoord"))
    return run_service(
        request,
        lambda: wederhoor.nawoord_set(
            dossier=access.dossier, text=form.cleaned_data["text"], actor=request.user
        ),
        success=_("The nawoord has been saved."),
        redirect_to=_back(access, "#nawoord"),
    )


@require_POST
@dossier_view(Capability.EDIT)
def follow_up_add(request: HttpRequest, *, access: DossierAccess, rec_id: int) -> HttpResponse:
    rec = _rec_or_404(access, rec_id)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect(_back(access, f"#aanbeveling-{rec.pk}"))
    return run_service(
        request,
        lambda: wederhoor.follow_up_add(
            recommendation=rec, actor=request.user, **form.cleaned_data
        ),
        success=_("The follow-up measurement has been recorded."),
        redirect_to=_back(access, f"#aanbeveling-{rec.pk}"),
    )


# --- the follow-up register across dossiers --------------------------------------------------


@login_required
@require_GET
def follow_up(request: HttpRequest) -> HttpResponse:
    recs = selectors.follow_up_register(request.user)
    # The exports are per dossier: each download is logged with the dossier it shows.
    dossiers = list({r.dossier_id: r.dossier for r in recs}.values())
    return render(
        request, "findings/follow_up.html", {"recommendations": recs, "dossiers": dossiers}
    )


def _follow_table(request: HttpRequest, access: DossierAccess) -> Table:
    _logged_export(request, access, "opvolgingsregister")
    return exports.follow_table(selectors.follow_up_of_dossier(access.dossier))


@require_GET
@dossier_view(Capability.VIEW)
def follow_up_csv(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    table = _follow_table(request, access)
    return csv_response(table, file_name="opvolging.csv", notice=_notice(access))


@require_GET
@dossier_view(Capability.VIEW)
def follow_up_xlsx(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    table = _follow_table(request, access)
    return xlsx_response([table], file_name="opvolging.xlsx", notice=_notice(access))
