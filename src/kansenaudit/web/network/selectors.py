# SPDX-License-Identifier: EUPL-1.2
"""Reads of the network app: maps, their data as :class:`NetworkData`, evidence, comparisons.

The graph logic (metrics, checks, layouts, files) is in :mod:`kansenaudit.network`; these
functions turn database rows into its plain data and back into what the pages and the CLI show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, QuerySet

from kansenaudit.network.checks import CheckFinding, run_checks
from kansenaudit.network.graph import GoalData, MeasureData, NetworkData, NodeData, TieData
from kansenaudit.network.metrics import MapMetrics, compute_metrics
from kansenaudit.web.network.models import MapActor, NetworkMap, Tie, TieEvidence
from kansenaudit.web.policy.models import Actor, Goal, Measure


def maps_for_dossier(dossier: Any) -> QuerySet[NetworkMap]:
    return (
        NetworkMap.objects.filter(dossier=dossier)
        .select_related("measure")
        .annotate(n_members=Count("members", distinct=True), n_ties=Count("ties", distinct=True))
        .order_by("measure__name", "as_of", "version", "id")
    )


def map_in_dossier(dossier: Any, map_id: int) -> NetworkMap | None:
    return NetworkMap.objects.filter(dossier=dossier, pk=map_id).select_related("measure").first()


def pick_map(
    dossier: Any, *, measure_id: int | None = None, version: str | None = None
) -> NetworkMap | None:
    """The map the CLI means: the organisation map (or the measure's), newest version unless
    ``version`` names one."""
    maps = NetworkMap.objects.filter(dossier=dossier).select_related("measure")
    maps = maps.filter(measure_id=measure_id) if measure_id else maps.filter(measure__isnull=True)
    if version:
        maps = maps.filter(version=version)
    return maps.order_by("-as_of", "-created_at", "-id").first()


def organisation_map_for(network_map: NetworkMap) -> NetworkMap | None:
    """The organisation map a measure map takes its ties from: the one with the same version
    label, else the newest."""
    if network_map.is_organisation_map:
        return None
    maps = NetworkMap.objects.filter(dossier_id=network_map.dossier_id, measure__isnull=True)
    return (
        maps.filter(version=network_map.version).first()
        or maps.order_by("-as_of", "-created_at", "-id").first()
    )


def members_of(network_map: NetworkMap) -> QuerySet[MapActor]:
    return network_map.members.select_related("actor").order_by("actor__kind", "actor__name")


def actors_not_on(network_map: NetworkMap) -> QuerySet[Actor]:
    on_map = network_map.members.values("actor_id")
    return Actor.objects.filter(dossier_id=network_map.dossier_id).exclude(pk__in=on_map)


def _ties(network_map: NetworkMap) -> QuerySet[Tie]:
    return (
        Tie.objects.filter(network_map=network_map)
        .select_related("source", "target", "budget")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=TieEvidence.objects.select_related("citation__document").order_by(
                    "created_at", "id"
                ),
            )
        )
        .order_by("kind", "source__name", "target__name", "id")
    )


@dataclass(frozen=True)
class TieRow:
    """A tie as the pages show it: own or taken from the organisation map."""

    tie: Tie
    inherited: bool

    @property
    def evidence(self) -> list[TieEvidence]:
        return list(self.tie.evidence.all())


def tie_rows(network_map: NetworkMap, limit: int | None = None) -> list[TieRow]:
    """The map's own ties and, on a measure map, the organisation map's ties between its
    actors (inherited), as model rows for the pages' tables (the first ``limit``)."""
    own = _ties(network_map)
    rows = [TieRow(t, False) for t in (own[:limit] if limit else own)]
    source = organisation_map_for(network_map)
    if source is not None and (limit is None or len(rows) < limit):
        on_map = set(network_map.members.values_list("actor_id", flat=True))
        inherited = _ties(source).filter(source_id__in=on_map, target_id__in=on_map)
        rows += [TieRow(t, True) for t in (inherited[: limit - len(rows)] if limit else inherited)]
    return rows


TIE_FIELDS = (
    "id",
    "source_id",
    "target_id",
    "kind",
    "start",
    "end",
    "strength",
    "amount",
    "year",
    "note",
)
EVIDENCE_FIELDS = {
    "tie_id": "tie_id",
    "citation_id": "citation_id",
    "document_id": "citation__document_id",
    "document": "citation__document__title",
    "page": "citation__page_number",
    "quote": "citation__quote",
}


def tie_records(network_map: NetworkMap) -> list[dict[str, Any]]:
    """The same ties as :func:`tie_rows` as plain dicts with their evidence: the fast path
    for the analysis, the exports and the interactive map (no model instances)."""
    order = ("kind", "source__name", "target__name", "id")
    records = list(Tie.objects.filter(network_map=network_map).order_by(*order).values(*TIE_FIELDS))
    for record in records:
        record["inherited"] = False
    maps = [network_map.pk]
    source = organisation_map_for(network_map)
    if source is not None:
        on_map = set(network_map.members.values_list("actor_id", flat=True))
        inherited = list(
            Tie.objects.filter(network_map=source, source_id__in=on_map, target_id__in=on_map)
            .order_by(*order)
            .values(*TIE_FIELDS)
        )
        for record in inherited:
            record["inherited"] = True
        records += inherited
        maps.append(source.pk)
    evidence: dict[int, list[dict[str, Any]]] = {}
    for item in (
        TieEvidence.objects.filter(tie__network_map_id__in=maps)
        .order_by("created_at", "id")
        .values("tie_id", "citation_id", **{k: F(v) for k, v in EVIDENCE_FIELDS.items() if k != v})
    ):
        evidence.setdefault(item["tie_id"], []).append(dict(item))
    for record in records:
        record["evidence"] = evidence.get(record["id"], [])
    return records


def tie_in_map(network_map: NetworkMap, tie_id: int) -> Tie | None:
    return Tie.objects.filter(network_map=network_map, pk=tie_id).first()


def _evidence_label(item: TieEvidence) -> str:
    return f"{item.citation.document.title}, p. {item.citation.page_number}"


def network_data(
    network_map: NetworkMap, records: list[dict[str, Any]] | None = None
) -> NetworkData:
    """The map as plain data for :mod:`kansenaudit.network` (node keys are actor ids, tie keys
    ``t<id>``), with the register's measures and goals in scope for the audit checks."""
    members = list(members_of(network_map))
    nodes = [
        NodeData(
            key=str(m.actor_id),
            label=m.actor.name,
            kind=m.actor.kind,
            influence=m.influence,
            stance=m.stance,
            executes=m.executes,
            x=m.x,
            y=m.y,
        )
        for m in members
    ]
    ties = [
        TieData(
            key=f"t{r['id']}",
            source=str(r["source_id"]),
            target=str(r["target_id"]),
            kind=r["kind"],
            start=r["start"],
            end=r["end"],
            strength=r["strength"],
            amount=r["amount"],
            year=r["year"],
            note=r["note"],
            evidence=tuple(f"{e['document']}, p. {e['page']}" for e in r["evidence"]),
            inherited=r["inherited"],
        )
        for r in (tie_records(network_map) if records is None else records)
    ]
    if network_map.measure_id:
        measure_qs = Measure.objects.filter(pk=network_map.measure_id)
    else:
        measure_qs = Measure.objects.filter(dossier_id=network_map.dossier_id)
    measures = list(measure_qs.prefetch_related("goals"))
    goal_ids = {g.pk for m in measures for g in m.goals.all()}
    goals = Goal.objects.filter(pk__in=goal_ids).order_by("order", "code", "title", "id")
    owner = network_map.measure.owner_id if network_map.measure_id else None  # type: ignore[union-attr]
    return NetworkData(
        name=str(network_map),
        nodes=nodes,
        ties=ties,
        measures=[
            MeasureData(
                key=f"m{m.pk}",
                name=m.name,
                owner=str(m.owner_id) if m.owner_id else None,
                goals=tuple(f"g{g.pk}" for g in m.goals.all()),
            )
            for m in measures
        ],
        goals=[GoalData(key=f"g{g.pk}", title=str(g)) for g in goals],
        owner=str(owner) if owner else None,
        meta={"map": network_map.pk, "version": network_map.version},
    )


def finding_id(network_map: NetworkMap, finding: CheckFinding) -> str:
    """The stable id the findings app cites: ``net-<map id>-<rule>:<keys>``."""
    return f"net-{network_map.pk}-{finding.id}"


@dataclass(frozen=True)
class Analysis:
    data: NetworkData
    metrics: MapMetrics
    findings: list[CheckFinding]


def analysis(network_map: NetworkMap) -> Analysis:
    data = network_data(network_map)
    return Analysis(data, compute_metrics(data), run_checks(data))


def tie_ids(keys: tuple[str, ...] | list[str]) -> list[int]:
    return [int(k[1:]) for k in keys if k.startswith("t") and k[1:].isdigit()]


def budget_choices(network_map: NetworkMap) -> QuerySet:
    """The budget lines a money tie on this map may refer to (of the map's measure, or of any
    measure of the dossier on the organisation map)."""
    from kansenaudit.web.policy.models import MeasureBudget

    budgets = MeasureBudget.objects.filter(measure__dossier_id=network_map.dossier_id)
    if network_map.measure_id:
        budgets = budgets.filter(measure_id=network_map.measure_id)
    return budgets.select_related("measure").order_by("measure__name", "year")


def map_json(network_map: NetworkMap, viewer: Any, texts: dict[str, str]) -> dict[str, Any]:
    """What the interactive map draws: nodes with positions, ties with their evidence."""
    from django.urls import reverse

    from kansenaudit.network.layout import positions

    records = tie_records(network_map)
    data = network_data(network_map, records)
    coords = positions(data)
    by_id = {f"t{r['id']}": r for r in records}
    document_url = reverse("evidence:document", args=[network_map.dossier_id, 0])[:-2]
    return {
        "nodes": [
            {
                "id": n.key,
                "label": n.label,
                "kind": n.kind,
                "influence": n.influence,
                "stance": n.stance,
                "x": coords[n.key][0],
                "y": coords[n.key][1],
            }
            for n in data.nodes
        ],
        "ties": [
            {
                "id": t.key,
                "source": t.source,
                "target": t.target,
                "kind": t.kind,
                "start": t.start.year if t.start else None,
                "end": t.end.year if t.end else None,
                "inherited": t.inherited,
                "evidence": [
                    {
                        "document": e["document"],
                        "page": e["page"],
                        "quote": e["quote"][:300],
                        "url": f"{document_url}{e['document_id']}/?pagina={e['page']}"
                        f"&citaat={e['citation_id']}#citaat-{e['citation_id']}",
                    }
                    for e in by_id[t.key]["evidence"]
                ],
                "note": t.note,
            }
            for t in data.ties
        ],
        "texts": texts,
    }


def measure_in_dossier(dossier: Any, measure_id: int | None) -> Measure | None:
    return Measure.objects.filter(dossier=dossier, pk=measure_id).first() if measure_id else None
