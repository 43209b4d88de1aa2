# SPDX-License-Identifier: EUPL-1.2
"""The network pages of a dossier: the list of maps, a map (interactive map, its table of actors
and ties as text alternative, measures and audit checks), a comparison of two versions, and
the exports. Views parse input, call a service or selector, and render."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kansenaudit.network.checks import RULE_BY_CODE, RULES
from kansenaudit.network.compare import compare_maps
from kansenaudit.web.core.downloads import download
from kansenaudit.web.core.service_views import run_service
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DossierAccess
from kansenaudit.web.network import exports, selectors, services
from kansenaudit.web.network.forms import (
    CopyForm,
    EvidenceForm,
    ImportForm,
    MapCreateForm,
    MemberForm,
    TieForm,
)
from kansenaudit.web.network.models import MapActor, NetworkMap, Tie
from kansenaudit.web.policy.models import Actor, Measure

MAX_LAYOUT_BYTES = 2 * 1024 * 1024
TABLE_ROWS = 300  # rows of the page's tables; the downloads hold all


def _base(access: DossierAccess) -> dict[str, object]:
    return {"dossier": access.dossier, "access": access, "active": "network"}


def _map_or_404(access: DossierAccess, map_id: int) -> NetworkMap:
    item = selectors.map_in_dossier(access.dossier, map_id)
    if item is None:
        raise Http404("map")
    return item


def _map_url(item: NetworkMap) -> str:
    return reverse("network:map", args=[item.dossier_id, item.pk])


def _form_errors(request: HttpRequest, form: object) -> None:
    for field, errors in form.errors.items():  # type: ignore[attr-defined]
        label = form.fields[field].label if field in form.fields else ""  # type: ignore[attr-defined]
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _measures(access: DossierAccess) -> list[tuple[int, str]]:
    return [
        (m.pk, f"{m.name} ({m.owner.name})" if m.owner else m.name)
        for m in Measure.objects.filter(dossier=access.dossier).select_related("owner")
    ]


def _citations(request: HttpRequest, access: DossierAccess) -> list[tuple[int, str]]:
    from kansenaudit.web.evidence.selectors import citations_visible_to

    return [
        (c.pk, f"{c.document.title[:50]}, p. {c.page_number}: {c.quote[:60]}")
        for c in citations_visible_to(request.user, access.dossier)[:500]
    ]


# --- the list of maps ------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def maps(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    context = _base(access)
    context.update(
        {
            "maps": selectors.maps_for_dossier(access.dossier),
            "may_edit": access.allows(Capability.EDIT),
            "create_form": MapCreateForm(measures=_measures(access)),
            "rules": RULES,
        }
    )
    return render(request, "network/maps.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def map_create(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    back = reverse("network:maps", args=[access.dossier.pk])
    form = MapCreateForm(request.POST, measures=_measures(access))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    data = form.cleaned_data
    measure = None
    if data["maatregel"]:
        measure = Measure.objects.filter(dossier=access.dossier, pk=data["maatregel"]).first()
    created: list[NetworkMap] = []

    def call() -> None:
        created.append(
            services.map_create(
                dossier=access.dossier,
                measure=measure,
                version=data["versie"],
                as_of=data["peildatum"],
                description=data["omschrijving"],
                actor=request.user,
            )
        )

    response = run_service(request, call, success=_("The map was made."), redirect_to=back)
    return redirect(_map_url(created[0])) if created else response


# --- one map ---------------------------------------------------------------------------------


def _kind_labels() -> dict[str, str]:
    return {k: str(label) for k, label in Tie.Kind.choices}


@require_GET
@dossier_view(Capability.VIEW)
def map_detail(request: HttpRequest, map_id: int, *, access: DossierAccess) -> HttpResponse:
    item = _map_or_404(access, map_id)
    records = selectors.tie_records(item)
    data = selectors.network_data(item, records)
    rows = selectors.tie_rows(item, limit=TABLE_ROWS)
    from kansenaudit.network.checks import run_checks
    from kansenaudit.network.metrics import compute_metrics

    metrics = compute_metrics(data)
    findings = run_checks(data)
    labels = {n.key: n.label for n in data.nodes}
    records_by_key = {
        f"t{r['id']}": {
            "pk": r["id"],
            "source": labels.get(str(r["source_id"]), ""),
            "target": labels.get(str(r["target_id"]), ""),
            "evidence_count": len(r["evidence"]),
            "in_table": False,
        }
        for r in records
    }
    for row in rows:
        records_by_key[f"t{row.tie.pk}"]["in_table"] = True
    members = list(selectors.members_of(item))
    may_edit = access.allows(Capability.EDIT)
    context = _base(access)
    actor_choices = [(a.pk, a.name) for a in Actor.objects.filter(dossier=access.dossier)]
    years = sorted(
        {
            y
            for t in data.ties
            for y in (t.start.year if t.start else None, t.end.year if t.end else None)
            if y
        }
    )
    context.update(
        {
            "map": item,
            "members": members,
            "members_shown": members[:TABLE_ROWS],
            "table_rows": TABLE_ROWS,
            "rows": rows,
            "tie_count": len(records),
            "metrics": metrics,
            "per_actor": [{"m": a, "label": labels.get(a.key, a.key)} for a in metrics.per_actor],
            "findings": [
                {
                    "finding": f,
                    "stable_id": selectors.finding_id(item, f),
                    "title": RULE_BY_CODE[f.rule].title,
                    "ties": [records_by_key[k] for k in f.ties if k in records_by_key],
                }
                for f in findings
            ],
            "rules": RULES,
            "kinds": Tie.Kind.choices,
            "years": years,
            "versions": NetworkMap.objects.filter(
                dossier=access.dossier, measure_id=item.measure_id
            ).exclude(pk=item.pk),
            "formats": [
                ("svg", "SVG"),
                ("png", "PNG"),
                ("gexf", "GEXF 1.3"),
                ("graphml", "GraphML"),
                ("kumu", "Kumu JSON"),
                ("csv", "CSV"),
                ("xlsx", "XLSX"),
            ],
            "may_edit": may_edit,
        }
    )
    if may_edit:
        not_on = [(a.pk, a.name) for a in selectors.actors_not_on(item)]
        context.update(
            {
                "member_form": MemberForm(
                    prefix="actor", actors=not_on + [(m.actor_id, m.actor.name) for m in members]
                ),
                "tie_form": TieForm(
                    prefix="relatie",
                    actors=actor_choices,
                    budgets=[
                        (b.pk, f"{b.measure.name} {b.year}: € {b.amount}")
                        for b in selectors.budget_choices(item)
                    ],
                    citations=_citations(request, access),
                ),
                "evidence_form": EvidenceForm(
                    prefix="bewijs",
                    ties=[
                        (
                            r.tie.pk,
                            f"{r.tie.source.name} → {r.tie.target.name} "
                            f"({_kind_labels()[r.tie.kind]})",
                        )
                        for r in rows
                        if not r.inherited
                    ],
                    citations=_citations(request, access),
                ),
                "copy_form": CopyForm(prefix="versie"),
                "import_form": ImportForm(prefix="import"),
            }
        )
    return render(request, "network/map.html", context)


@require_GET
@dossier_view(Capability.VIEW)
def map_data(request: HttpRequest, map_id: int, *, access: DossierAccess) -> HttpResponse:
    item = _map_or_404(access, map_id)
    texts = {
        "kinds": _kind_labels(),
        "noEvidence": _("No evidence: this tie rests on no citation yet."),
        "evidence": _("Evidence"),
        "inherited": _("taken from the organisation map"),
        "saved": _("Layout saved."),
        "notSaved": _("The layout was not saved."),
    }
    payload = selectors.map_json(item, request.user, texts)
    response = JsonResponse(payload)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@dossier_view(Capability.EDIT)
def map_copy(request: HttpRequest, map_id: int, *, access: DossierAccess) -> HttpResponse:
    item = _map_or_404(access, map_id)
    form = CopyForm(request.POST, prefix="versie")
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_map_url(item))
    created: list[NetworkMap] = []

    def call() -> None:
        created.append(
            services.map_copy(
                network_map=item,
                version=form.cleaned_data["versie"],
                as_of=form.cleaned_data["peildatum"],
                actor=request.user,
            )
        )

    response = run_service(
        request, call, success=_("A new version was made."), redirect_to=_map_url(item)
    )
    return redirect(_map_url(created[0])) if created else response


@require_GET
@dossier_view(Capability.VIEW)
def compare(request: HttpRequest, map_id: int, *, access: DossierAccess) -> HttpResponse:
    item = _map_or_404(access, map_id)
    others = NetworkMap.objects.filter(dossier=access.dossier, measure_id=item.measure_id).exclude(
        pk=item.pk
    )
    other = None
    other_id = request.GET.get("met", "")
    if other_id.isdigit():
        other = others.filter(pk=int(other_id)).first()
    if other is None:
        other = others.order_by("-as_of", "-created_at").first()
    context = _base(access)
    context.update({"map": item, "other": other, "others": others})
    if other is not None:
        old, new = selectors.network_data(other), selectors.network_data(item)
        result = compare_maps(old, new)
        names = {n.key: n.label for n in (*old.nodes, *new.nodes)}
        kinds = _kind_labels()

        def tie_text(key: tuple[str, str, str]) -> str:
            source, target = names.get(key[0], key[0]), names.get(key[1], key[1])
            return f"{source} → {target} ({kinds.get(key[2], key[2])})"

        context.update(
            {
                "result": result,
                "actors_added": [names.get(k, k) for k in result.actors_added],
                "actors_removed": [names.get(k, k) for k in result.actors_removed],
                "ties_added": [tie_text(k) for k in result.ties_added],
                "ties_removed": [tie_text(k) for k in result.ties_removed],
                "ties_changed": [tie_text(k) for k in result.ties_changed],
            }
        )
    return render(request, "network/compare.html", context)


@require_GET
@dossier_view(Capability.VIEW)
def export(request: HttpRequest, map_id: int, fmt: str, *, access: DossierAccess) -> HttpResponse:
    item = _map_or_404(access, map_id)
    if fmt not in exports.FORMATS:
        raise Http404("format")
    result = exports.export_map(item, fmt)
    return download(result.content, file_name=result.file_name, content_type=result.content_type)


# --- changes ---------------------------------------------------------------------------------


@require_POST
@dossier_view(Capability.EDIT)
def member_set(request: HttpRequest, map_id: int, *, access: DossierAccess) -> HttpResponse:
    item = _map_or_404(access, map_id)
    actors = [(a.pk, a.name) for a in Actor.objects.filter(dossier=access.dossier)]
    form = MemberForm(request.POST, prefix="actor", actors=actors)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_map_url(item))
    register_actor = Actor.objects.get(dossier=access.dossier, pk=form.cleaned_data["actor"])
    return run_service(
        request,
        lambda: services.member_set(
            network_map=item,
            register_actor=register_actor,
            influence=form.cleaned_data["invloed"],
            stance=form.cleaned_data["houding"],
            executes=form.cleaned_data["uitvoerder"],
            actor=request.user,
        ),
        success=_("The actor is on the map."),
        redirect_to=_map_url(item) + "#actoren",
    )


@require_POST
@dossier_view(Capability.EDIT)
def member_remove(
    request: HttpRequest, map_id: int, member_id: int, *, access: DossierAccess
) -> HttpResponse:
    item = _map_or_404(access, map_id)
    member = MapActor.objects.filter(network_map=item, pk=member_id).select_related("actor").first()
    if member is None:
        raise Http404("member")
    return run_service(
        request,
        lambda: services.member_remove(member=member, actor=request.user),
        success=_("The actor was taken off the map."),
        redirect_to=_map_url(item) + "#actoren",
    )


@require_POST
@dossier_view(Capability.EDIT)
def layout_save(request: HttpRequest, map_id: int, *, access: DossierAccess) -> HttpResponse:
    """Positions from the interactive map (JSON ``{"positions": {actor id: [x, y]}}``)."""
    item = _map_or_404(access, map_id)
    if len(request.body) > MAX_LAYOUT_BYTES:
        return JsonResponse({"error": _("The layout is too large.")}, status=400)
    try:
        positions = json.loads(request.body or b"{}").get("positions", {})
        if not isinstance(positions, dict):
            raise ValueError
    except (ValueError, AttributeError):
        if request.content_type != "application/json":
            return redirect(_map_url(item))
        return JsonResponse({"error": _("The layout is not valid JSON.")}, status=400)
    try:
        count = services.layout_save(network_map=item, positions=positions, actor=request.user)
    except services.NetworkError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    if request.content_type != "application/json":
        messages.success(request, _("Layout saved."))
        return redirect(_map_url(item))
    return JsonResponse({"saved": count})
