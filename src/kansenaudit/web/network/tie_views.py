# SPDX-License-Identifier: EUPL-1.2
"""The network pages that change ties: add, edit and remove a tie, add evidence to one, and
import ties from an edge list or a graph file. Views parse input, call a service and redirect."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kansenaudit.web.core.service_views import run_service
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DossierAccess
from kansenaudit.web.network import selectors, services
from kansenaudit.web.network.forms import EvidenceForm, ImportForm, TieForm
from kansenaudit.web.network.views import _base, _form_errors, _map_or_404, _map_url
from kansenaudit.web.policy.models import Actor


@require_POST
@dossier_view(Capability.EDIT)
def tie_add(request: HttpRequest, map_id: int, *, access: DossierAccess) -> HttpResponse:
    from kansenaudit.web.evidence.selectors import citations_visible_to
    from kansenaudit.web.policy.models import MeasureBudget

    item = _map_or_404(access, map_id)
    actors = [(a.pk, a.name) for a in Actor.objects.filter(dossier=access.dossier)]
    budgets = [(b.pk, str(b)) for b in selectors.budget_choices(item)]
    citations = [(c.pk, str(c.pk)) for c in citations_visible_to(request.user, access.dossier)]
    form = TieForm(
        request.POST, prefix="relatie", actors=actors, budgets=budgets, citations=citations
    )
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_map_url(item) + "#relaties")
    data = form.cleaned_data
    dossier_actors = Actor.objects.filter(dossier=access.dossier)
    citation = (
        citations_visible_to(request.user, access.dossier).filter(pk=data["citaat"]).first()
        if data["citaat"]
        else None
    )
    budget = (
        MeasureBudget.objects.filter(pk=data["begrotingsregel"]).first()
        if data["begrotingsregel"]
        else None
    )
    return run_service(
        request,
        lambda: services.tie_add(
            network_map=item,
            source=dossier_actors.get(pk=data["van"]),
            target=dossier_actors.get(pk=data["naar"]),
            kind=data["soort"],
            start=data["begin"],
            end=data["einde"],
            strength=data["sterkte"],
            amount=data["bedrag"],
            year=data["jaar"],
            budget=budget,
            note=data["notitie"],
            citations=[citation] if citation else [],
            actor=request.user,
        ),
        success=_("The tie was added."),
        redirect_to=_map_url(item) + "#relaties",
    )


@require_POST
@dossier_view(Capability.EDIT)
def tie_remove(
    request: HttpRequest, map_id: int, tie_id: int, *, access: DossierAccess
) -> HttpResponse:
    item = _map_or_404(access, map_id)
    tie = selectors.tie_in_map(item, tie_id)
    if tie is None:
        raise Http404("tie")
    return run_service(
        request,
        lambda: services.tie_remove(tie=tie, actor=request.user),
        success=_("The tie was removed."),
        redirect_to=_map_url(item) + "#relaties",
    )


@require_POST
@dossier_view(Capability.EDIT)
def evidence_add(request: HttpRequest, map_id: int, *, access: DossierAccess) -> HttpResponse:
    from kansenaudit.web.evidence.selectors import citations_visible_to

    item = _map_or_404(access, map_id)
    visible = citations_visible_to(request.user, access.dossier)
    form = EvidenceForm(
        request.POST,
        prefix="bewijs",
        ties=[(pk, str(pk)) for pk in item.ties.values_list("pk", flat=True)],
        citations=[(c.pk, str(c.pk)) for c in visible],
    )
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_map_url(item) + "#bewijs")
    tie = item.ties.get(pk=form.cleaned_data["relatie"])
    citation = visible.get(pk=form.cleaned_data["citaat"])
    return run_service(
        request,
        lambda: services.tie_evidence_add(
            tie=tie, citation=citation, note=form.cleaned_data["notitie"], actor=request.user
        ),
        success=_("The evidence was added to the tie."),
        redirect_to=_map_url(item) + f"#relatie-{tie.pk}",
        failed_to=_map_url(item) + "#bewijs",
    )


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def tie_edit(
    request: HttpRequest, map_id: int, tie_id: int, *, access: DossierAccess
) -> HttpResponse:
    """The edit form of one tie of this map (a tie taken from the organisation map is edited
    there)."""
    from kansenaudit.web.policy.models import MeasureBudget

    item = _map_or_404(access, map_id)
    tie = selectors.tie_in_map(item, tie_id)
    if tie is None:
        raise Http404("tie")
    actors = [(a.pk, a.name) for a in Actor.objects.filter(dossier=access.dossier)]
    budgets = [(b.pk, str(b)) for b in selectors.budget_choices(item)]
    form = TieForm(
        request.POST or None,
        initial=TieForm.initial_of(tie),
        actors=actors,
        budgets=budgets,
        citations=None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dossier_actors = Actor.objects.filter(dossier=access.dossier)
        budget = (
            MeasureBudget.objects.filter(pk=data["begrotingsregel"]).first()
            if data["begrotingsregel"]
            else None
        )
        try:
            services.tie_update(
                tie=tie,
                source=dossier_actors.get(pk=data["van"]),
                target=dossier_actors.get(pk=data["naar"]),
                kind=data["soort"],
                start=data["begin"],
                end=data["einde"],
                strength=data["sterkte"],
                amount=data["bedrag"],
                year=data["jaar"],
                budget=budget,
                note=data["notitie"],
                actor=request.user,
            )
        except services.NetworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The tie was saved."))
            return redirect(_map_url(item) + f"#relatie-{tie.pk}")
    context = _base(access)
    context.update({"map": item, "tie": tie, "form": form})
    status = 400 if request.method == "POST" else 200
    return render(request, "network/tie_edit.html", context, status=status)


@require_POST
@dossier_view(Capability.EDIT)
def ties_import(request: HttpRequest, map_id: int, *, access: DossierAccess) -> HttpResponse:
    item = _map_or_404(access, map_id)
    form = ImportForm(request.POST, request.FILES, prefix="import")
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_map_url(item) + "#importeren")
    upload = form.cleaned_data["bestand"]
    return run_service(
        request,
        lambda: services.ties_import(
            network_map=item, content=upload.read(), file_name=upload.name, actor=request.user
        ),
        success=_("The edge list was imported."),
        redirect_to=_map_url(item) + "#relaties",
        failed_to=_map_url(item) + "#importeren",
    )
