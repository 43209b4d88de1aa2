# SPDX-License-Identifier: EUPL-1.2
"""The judgements pages of a dossier: the matrix per framework, a judgement with its blind
assessments, consensus, sign-off and history, the agreement statistic, the framework editor
and the exports.

Views parse input, call the services (which check the rules, write and log) or the selectors
(which apply blindness), and render. Nothing here decides what an assessor may see.
"""

from __future__ import annotations

import json
import math

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kansenaudit.reporting.svgchart import render_interval_chart
from kansenaudit.reporting.tables import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from kansenaudit.web.core.downloads import download
from kansenaudit.web.core.service_views import run_service
from kansenaudit.web.core.templatetags.ka_format import interface_lang
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DossierAccess
from kansenaudit.web.judgements import exports, selectors, services, stored_frameworks
from kansenaudit.web.judgements.forms import AssessorFields, FrameworkForm, ScoreForm, StartForm
from kansenaudit.web.judgements.models import Judgement
from kansenaudit.web.judgements.services import NOT_APPLICABLE, JudgementError
from kansenaudit.web.judgements.subjects import SUBJECT_KINDS


def _base(access: DossierAccess, active: str) -> dict[str, object]:
    return {"dossier": access.dossier, "access": access, "active": active}


def _info_or_404(access: DossierAccess, key: str) -> selectors.FrameworkInfo:
    info = selectors.framework_info(access.dossier, key)
    if info is None:
        raise Http404("framework")
    return info


def _selected(
    request: HttpRequest, infos: list[selectors.FrameworkInfo]
) -> selectors.FrameworkInfo:
    key = request.GET.get("kader") or request.POST.get("kader") or ""
    return next((i for i in infos if i.key == key), infos[0])


def _judgement_or_404(access: DossierAccess, judgement_id: int) -> Judgement:
    judgement = selectors.judgement_in_dossier(access.dossier, judgement_id)
    if judgement is None:
        raise Http404("judgement")
    return judgement


def _detail_url(judgement: Judgement) -> str:
    return reverse("judgements:detail", args=[judgement.dossier_id, judgement.pk])


def _form_errors(request: HttpRequest, form: object) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --- the matrix ------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def overview(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """Per framework: subjects × criteria with status and consensus, and the agreement."""
    infos = selectors.dossier_frameworks(access.dossier)
    info = _selected(request, infos)
    context = _base(access, "judgements")
    subjects = selectors.subject_choices(access.dossier, info)
    # The matrix and the agreement read the same judgements: once.
    judgements = list(selectors.judgements_for_dossier(access.dossier, info.key))
    context.update(
        {
            "frameworks": infos,
            "info": info,
            "matrix": selectors.framework_matrix(access.dossier, info, judgements),
            "agreement": selectors.agreement(
                access.dossier, info.key, info=info, judgements=judgements
            ),
            "may_edit": access.allows(Capability.EDIT),
            "start_form": StartForm(
                framework=info.framework,
                subjects=subjects,
                assessors=selectors.assessor_choices(access.dossier),
            )
            if subjects
            else None,
            "statuses": Judgement.Status.choices,
            "awaiting": selectors.awaiting_assessment(access.dossier, request.user),
        }
    )
    return render(request, "judgements/overview.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def start(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    infos = selectors.dossier_frameworks(access.dossier)
    info = _selected(request, infos)
    back = reverse("judgements:overview", args=[access.dossier.pk]) + f"?kader={info.key}"
    form = StartForm(
        request.POST,
        framework=info.framework,
        subjects=selectors.subject_choices(access.dossier, info),
        assessors=selectors.assessor_choices(access.dossier),
    )
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    kind = SUBJECT_KINDS[info.subject_kind]
    subject = kind.queryset(access.dossier).filter(pk=form.cleaned_data["onderwerp"]).first()
    if subject is None:
        raise Http404("subject")
    try:
        created, skipped = services.judgements_start(
            dossier=access.dossier,
            framework_key=info.key,
            subject=subject,
            criteria=form.cleaned_data["criteria"],
            mode=form.cleaned_data["werkwijze"],
            actor=request.user,
            assessors=selectors.assessors_by_id(access.dossier, form.assessor_ids()),
        )
    except JudgementError as exc:
        messages.error(request, _("Not started: %(reason)s") % {"reason": exc})
        return redirect(back)
    if created:
        messages.success(
            request,
            ngettext("%(count)s judgement started.", "%(count)s judgements started.", len(created))
            % {"count": len(created)},
        )
    if skipped:
        messages.error(
            request,
            _("Already being judged: %(codes)s") % {"codes": ", ".join(skipped)},
        )
    return redirect(back)


# --- one judgement ---------------------------------------------------------------------------


def _score_initial(score: object, not_applicable: bool) -> str | None:
    if not_applicable:
        return NOT_APPLICABLE
    return None if score is None else str(score)


@require_GET
@dossier_view(Capability.VIEW)
def detail(request: HttpRequest, *, access: DossierAccess, judgement_id: int) -> HttpResponse:
    judgement = _judgement_or_404(access, judgement_id)
    framework = selectors.framework_for_judgement(judgement)
    user = request.user
    views = selectors.visible_assessments(judgement, user, framework)
    mine = next((v for v in views if v.mine), None)
    blind = selectors.is_blind(judgement)
    may_edit = access.allows(Capability.EDIT)
    citations = selectors.assessment_citations(user, access.dossier) if may_edit else []
    assess_refusal = services.assessment_refusal(judgement, user) if may_edit and not mine else None
    assess_form = None
    if may_edit and (mine is not None or assess_refusal is None):
        initial = (
            {
                "score": _score_initial(mine.score, mine.not_applicable),
                "motivering": mine.rationale,
            }
            if mine
            else {}
        )
        assess_form = ScoreForm(
            framework=framework, citations=citations, initial=initial, prefix="eigen"
        )
    consensus_form = None
    if may_edit and not blind:
        if judgement.has_consensus:
            initial = {
                "score": _score_initial(
                    judgement.consensus_score, judgement.consensus_not_applicable
                ),
                "motivering": judgement.consensus_rationale,
            }
        elif judgement.mode == Judgement.Mode.SINGLE and views:
            # A single assessment is the consensus proposal.
            initial = {
                "score": _score_initial(views[0].score, views[0].not_applicable),
                "motivering": views[0].rationale,
            }
        else:
            initial = {}
        consensus_form = ScoreForm(
            framework=framework, citations=citations, initial=initial, prefix="consensus"
        )
    assign_form = None
    if may_edit and len(views) < judgement.required_assessments:
        assign_form = AssessorFields(
            assessors=selectors.assessor_choices(access.dossier),
            initial={
                "beoordelaar_1": judgement.assigned_1_id,
                "beoordelaar_2": judgement.assigned_2_id,
            },
            prefix="toewijzen",
        )
        if judgement.mode == Judgement.Mode.SINGLE:
            del assign_form.fields["beoordelaar_2"]
    evidence = {
        v.slot: selectors.evidence_for(v.assessment) for v in views if v.assessment is not None
    }
    try:
        criterion = framework.criterion(judgement.criterion_code)
    except KeyError:
        criterion = None
    context = _base(access, "judgements")
    context.update(
        {
            "judgement": judgement,
            "framework": framework,
            "criterion": criterion,
            "subject_kind": selectors.framework_info(access.dossier, judgement.framework_key),
            "assessments": [(v, evidence.get(v.slot, [])) for v in views],
            "mine": mine,
            "blind": blind,
            "documents_url": reverse("evidence:documents", args=[access.dossier.pk]),
            "waiting": judgement.required_assessments - len(views),
            "assess_form": assess_form,
            "assign_form": assign_form,
            "assess_refusal": assess_refusal,
            "consensus_form": consensus_form,
            "consensus_label": stored_frameworks.score_label(
                framework, judgement.consensus_score, judgement.consensus_not_applicable
            )
            if judgement.has_consensus
            else "",
            "consensus_evidence": selectors.evidence_for(judgement),
            "may_sign_off": access.allows(Capability.SIGN_OFF),
            "sign_off_refusal": services.sign_off_refusal(judgement, user),
            "history": selectors.judgement_history(judgement, user),
            "changes": selectors.changes_since_sign_off(judgement, user),
        }
    )
    return render(request, "judgements/detail.html", context)


def _score_post(
    request: HttpRequest, access: DossierAccess, judgement_id: int, prefix: str
) -> tuple[Judgement, dict | None]:
    judgement = _judgement_or_404(access, judgement_id)
    framework = selectors.framework_for_judgement(judgement)
    choices = selectors.assessment_citations(request.user, access.dossier)
    form = ScoreForm(request.POST, framework=framework, citations=choices, prefix=prefix)
    if not form.is_valid():
        _form_errors(request, form)
        return judgement, None
    data = form.cleaned_data
    score, not_applicable = services.score_from_text(framework, data["score"])
    cited = selectors.citations_chosen(request.user, access.dossier, data["citaten"])
    return judgement, {
        "score": score,
        "not_applicable": not_applicable,
        "rationale": data["motivering"],
        "citations": cited,
    }


@require_POST
@dossier_view(Capability.EDIT)
def assess(request: HttpRequest, *, access: DossierAccess, judgement_id: int) -> HttpResponse:
    """Submit or change the user's own assessment."""
    judgement, data = _score_post(request, access, judgement_id, "eigen")
    back = _detail_url(judgement) + "#mijn-beoordeling"
    if data is None:
        return redirect(back)
    return run_service(
        request,
        lambda: services.assessment_save(judgement=judgement, actor=request.user, **data),
        success=lambda saved: (
            _("Assessment changed.") if saved.changed else _("Assessment submitted.")
        ),
        refused=_("Not saved: %(reason)s"),
        redirect_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def consensus(request: HttpRequest, *, access: DossierAccess, judgement_id: int) -> HttpResponse:
    judgement, data = _score_post(request, access, judgement_id, "consensus")
    back = _detail_url(judgement) + "#consensus"
    if data is None:
        return redirect(back)
    return run_service(
        request,
        lambda: services.consensus_record(judgement=judgement, actor=request.user, **data),
        success=_("Consensus recorded."),
        refused=_("Not saved: %(reason)s"),
        redirect_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def assign(request: HttpRequest, *, access: DossierAccess, judgement_id: int) -> HttpResponse:
    """Name or clear the assessors of the places still open."""
    judgement = _judgement_or_404(access, judgement_id)
    form = AssessorFields(
        request.POST, assessors=selectors.assessor_choices(access.dossier), prefix="toewijzen"
    )
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_detail_url(judgement) + "#beoordelaars")
    ids = form.assessor_ids()[: judgement.required_assessments]
    return run_service(
        request,
        lambda: services.assessors_assign(
            judgement=judgement,
            assessors=selectors.assessors_by_id(access.dossier, ids),
            actor=request.user,
        ),
        success=_("Assessors saved."),
        refused=_("Not saved: %(reason)s"),
        redirect_to=_detail_url(judgement) + "#beoordelaars",
    )


@require_POST
@dossier_view(Capability.EDIT)
def evidence_remove(
    request: HttpRequest, *, access: DossierAccess, judgement_id: int, link_id: int
) -> HttpResponse:
    """Detach a citation from the user's own assessment or from the consensus."""
    judgement = _judgement_or_404(access, judgement_id)
    link = selectors.evidence_link(access.dossier, link_id)
    if link is None:
        raise Http404("evidence link")
    return run_service(
        request,
        lambda: services.evidence_remove(judgement=judgement, link=link, actor=request.user),
        success=_("Evidence removed; the citation stays in the evidence store."),
        refused=_("Not removed: %(reason)s"),
        redirect_to=_detail_url(judgement),
    )


@require_POST
@dossier_view(Capability.SIGN_OFF)
def sign_off(request: HttpRequest, *, access: DossierAccess, judgement_id: int) -> HttpResponse:
    judgement = _judgement_or_404(access, judgement_id)
    return run_service(
        request,
        lambda: services.sign_off(judgement=judgement, actor=request.user),
        success=_("Judgement signed off."),
        refused=_("Not signed off: %(reason)s"),
        redirect_to=_detail_url(judgement) + "#aftekenen",
    )


# --- agreement -----------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def agreement(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    infos = selectors.dossier_frameworks(access.dossier)
    info = _selected(request, infos)
    result = selectors.agreement(access.dossier, info.key, info=info)
    context = _base(access, "judgements")
    context.update(
        {
            "frameworks": infos,
            "info": info,
            "result": result,
            # Our own renderer; every label in it is a number or escaped.
            "chart": mark_safe(
                render_interval_chart(
                    result.alpha,
                    result.low,
                    result.high,
                    label=_("Alpha with its interval (95 per cent) on the scale from -1 to 1"),
                    lang=interface_lang(),
                )
            ),
            "cross": (
                selectors.agreement_cross_table(result, info.framework) if result.n_double else None
            ),
            "weak": result.alpha is not None and result.alpha < 0.667,
            "tentative": result.alpha is not None and 0.667 <= result.alpha < 0.8,
            "finite": result.alpha is not None and not math.isnan(result.alpha),
        }
    )
    return render(request, "judgements/agreement.html", context)


# --- frameworks ----------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def frameworks(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    context = _base(access, "judgements")
    context["frameworks"] = selectors.dossier_frameworks(access.dossier)
    return render(request, "judgements/frameworks.html", context)


def _framework_context(
    access: DossierAccess, info: selectors.FrameworkInfo, form: FrameworkForm | None
) -> dict[str, object]:
    from kansenaudit.policy.frameworks import to_dict

    context = _base(access, "judgements")
    text = json.dumps(to_dict(info.framework), ensure_ascii=False, indent=2)
    if form is None and access.allows(Capability.EDIT):
        form = FrameworkForm(initial={"json": text})
    context.update(
        {
            "info": info,
            "framework": info.framework,
            "json_text": text,
            "versions": list(selectors.framework_versions(access.dossier, info.key)),
            "form": form,
        }
    )
    return context


@require_GET
@dossier_view(Capability.VIEW)
def framework(request: HttpRequest, *, access: DossierAccess, key: str) -> HttpResponse:
    info = _info_or_404(access, key)
    return render(request, "judgements/framework.html", _framework_context(access, info, None))


@require_GET
@dossier_view(Capability.VIEW)
def framework_json(request: HttpRequest, *, access: DossierAccess, key: str) -> HttpResponse:
    from kansenaudit.policy.frameworks import to_dict

    info = _info_or_404(access, key)
    return download(
        json.dumps(to_dict(info.framework), ensure_ascii=False, indent=2),
        file_name=f"kader-{info.key}-v{info.version}.json",
        content_type="application/json; charset=utf-8",
    )


@require_POST
@dossier_view(Capability.EDIT)
def framework_edit(request: HttpRequest, *, access: DossierAccess, key: str) -> HttpResponse:
    """Save an edited framework as a new version; every problem is listed on the page."""
    info = _info_or_404(access, key)
    form = FrameworkForm(request.POST)
    if form.is_valid():
        try:
            data = services.parse_framework_json(form.cleaned_data["json"])
            if isinstance(data, dict) and data.get("key") != info.key:
                raise JudgementError(
                    _("The key cannot change here (%(key)s); import a new framework instead.")
                    % {"key": info.key}
                )
            record, created = services.framework_save(
                dossier=access.dossier,
                data=data,
                actor=request.user,
                note=form.cleaned_data["notitie"],
            )
        except JudgementError as exc:
            for problem in exc.problems:
                form.add_error("json", problem)
        else:
            if created:
                messages.success(
                    request, _("Saved as version %(version)s.") % {"version": record.version}
                )
            else:
                messages.success(request, _("Nothing changed."))
            return redirect("judgements:framework", access.dossier.pk, info.key)
    info = _info_or_404(access, key)
    context = _framework_context(access, info, form)
    return render(request, "judgements/framework.html", context, status=400)


# --- exports ---------------------------------------------------------------------------------


def _demo(access: DossierAccess) -> bool:
    return bool(access.dossier.is_demo)


@require_GET
@dossier_view(Capability.VIEW)
def export_csv(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    rows = selectors.export_rows(access.dossier, request.user)
    text = exports.csv_text(selectors.EXPORT_COLUMNS, rows, demo=_demo(access))
    return download(
        text, file_name=f"oordelen-{access.dossier.pk}.csv", content_type=CSV_CONTENT_TYPE
    )


@require_GET
@dossier_view(Capability.VIEW)
def history_csv(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    rows = selectors.history_rows(access.dossier, request.user)
    text = exports.csv_text(selectors.HISTORY_COLUMNS, rows, demo=_demo(access))
    return download(
        text,
        file_name=f"oordelen-historie-{access.dossier.pk}.csv",
        content_type=CSV_CONTENT_TYPE,
    )


@require_GET
@dossier_view(Capability.VIEW)
def export_xlsx(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    data = exports.xlsx_bytes(exports.tables(access.dossier, request.user), demo=_demo(access))
    return download(
        data, file_name=f"oordelen-{access.dossier.pk}.xlsx", content_type=XLSX_CONTENT_TYPE
    )
