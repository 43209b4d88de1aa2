# SPDX-License-Identifier: EUPL-1.2
"""Writes of the network app: maps and versions, actors on a map, ties and their evidence,
saved layouts and edge-list imports. Every write checks its input, refuses with a
:class:`NetworkError` (nothing stored) and records an audit event last.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.network.edgelist import EdgeListError, read_edge_list
from kansenaudit.network.graph import STANCES, TIE_KINDS
from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.network.models import MapActor, NetworkMap, Tie, TieEvidence
from kansenaudit.web.policy.models import Actor, Measure, MeasureBudget

MAX_INFLUENCE = 10
MAX_AMOUNT = Decimal("999999999999.99")


class NetworkError(ServiceError):
    """A change to a network map that is refused; ``str(exc)`` is the sentence to show."""


def _user(actor: object | None) -> Any:
    return (
        actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
    )


def _demo(dossier: Any) -> bool:
    return bool(getattr(dossier, "is_demo", False))


def _map_snapshot(item: NetworkMap) -> dict[str, Any]:
    return {
        "measure": item.measure_id,
        "version": item.version,
        "as_of": item.as_of.isoformat() if item.as_of else None,
        "description": item.description,
    }


def _tie_snapshot(tie: Tie) -> dict[str, Any]:
    return {
        "map": tie.network_map_id,
        "source": tie.source_id,
        "target": tie.target_id,
        "kind": tie.kind,
        "start": tie.start.isoformat() if tie.start else None,
        "end": tie.end.isoformat() if tie.end else None,
        "strength": tie.strength,
        "amount": str(tie.amount) if tie.amount is not None else None,
        "year": tie.year,
        "budget": tie.budget_id,
        "note": tie.note,
    }


# --- maps -------------------------------------------------------------------------------------


def _clean_version(version: str) -> str:
    version = (version or "").strip()
    if not version:
        raise NetworkError(_("A map needs a version, for example the year it describes."))
    if len(version) > 40:
        raise NetworkError(_("The version may be at most 40 characters."))
    return version


def _version_free(dossier: Any, measure: Measure | None, version: str) -> None:
    taken = NetworkMap.objects.filter(dossier=dossier, measure=measure, version=version)
    if taken.exists():
        raise NetworkError(_("This map already has a version “%(version)s”."), {"version": version})


def map_create(
    *,
    dossier: Any,
    version: str,
    measure: Measure | None = None,
    as_of: dt.date | None = None,
    description: str = "",
    with_actors: bool = True,
    actor: object | None,
    actor_label: str | None = None,
) -> NetworkMap:
    """A new map: the organisation map (``measure`` None) or a measure's map.

    With ``with_actors`` the organisation map starts with every actor of the register and a
    measure map with the measure's owner and target groups.
    """
    version = _clean_version(version)
    if measure is not None and measure.dossier_id != dossier.pk:
        raise NetworkError(_("The measure belongs to another dossier."))
    _version_free(dossier, measure, version)
    with transaction.atomic():
        item = NetworkMap.objects.create(
            dossier=dossier,
            measure=measure,
            version=version,
            as_of=as_of,
            description=description.strip(),
            is_demo=_demo(dossier),
            created_by=_user(actor),
        )
        if with_actors:
            if measure is None:
                actors = list(Actor.objects.filter(dossier=dossier))
            else:
                actors = list(measure.target_groups.all())
                if measure.owner is not None:
                    actors.insert(0, measure.owner)
            MapActor.objects.bulk_create(
                [MapActor(network_map=item, actor=a) for a in dict.fromkeys(actors)]
            )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="network.map_create",
            dossier=dossier,
            target=item,
            summary=f"Netwerkkaart aangemaakt: {item}",
            after=_map_snapshot(item),
        )
    return item


def map_copy(
    *,
    network_map: NetworkMap,
    version: str,
    as_of: dt.date | None = None,
    actor: object | None,
    actor_label: str | None = None,
) -> NetworkMap:
    """A new version of ``network_map`` with the same actors, ties and evidence."""
    version = _clean_version(version)
    dossier = network_map.dossier
    _version_free(dossier, network_map.measure, version)
    with transaction.atomic():
        item = NetworkMap.objects.create(
            dossier=dossier,
            measure=network_map.measure,
            version=version,
            as_of=as_of,
            description=network_map.description,
            is_demo=network_map.is_demo,
            created_by=_user(actor),
        )
        MapActor.objects.bulk_create(
            [
                MapActor(
                    network_map=item,
                    actor_id=m.actor_id,
                    influence=m.influence,
                    stance=m.stance,
                    executes=m.executes,
                    x=m.x,
                    y=m.y,
                )
                for m in network_map.members.all()
            ]
        )
        for tie in network_map.ties.prefetch_related("evidence"):
            evidence = list(tie.evidence.all())
            tie.pk = None
            tie.network_map = item
            tie.created_by = _user(actor)  # type: ignore[assignment]
            tie.save()
            TieEvidence.objects.bulk_create(
                [TieEvidence(tie=tie, citation_id=e.citation_id, note=e.note) for e in evidence]
            )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="network.map_copy",
            dossier=dossier,
            target=item,
            summary=f"Nieuwe versie van netwerkkaart {network_map} als {item.version}",
            before={"from": network_map.pk},
            after=_map_snapshot(item),
        )
    return item


# --- actors on a map --------------------------------------------------------------------------


def _register_actor(network_map: NetworkMap, actor_id: Any) -> Actor:
    found = Actor.objects.filter(pk=actor_id, dossier_id=network_map.dossier_id).first()
    if found is None:
        raise NetworkError(_("That actor is not in this dossier's register."))
    return found


def member_set(
    *,
    network_map: NetworkMap,
    register_actor: Actor,
    influence: int | None = None,
    stance: str = "unknown",
    executes: bool = False,
    actor: object | None,
    actor_label: str | None = None,
) -> MapActor:
    """Put an actor of the register on the map, or change its Net-Map attributes."""
    register_actor = _register_actor(network_map, register_actor.pk)
    if influence is not None and not 0 <= influence <= MAX_INFLUENCE:
        raise NetworkError(_("Influence is a whole number from 0 to 10."))
    if stance not in STANCES:
        raise NetworkError(_("Unknown stance: %(stance)s."), {"stance": stance})
    with transaction.atomic():
        member, created = MapActor.objects.get_or_create(
            network_map=network_map, actor=register_actor
        )
        before = {
            "influence": member.influence,
            "stance": member.stance,
            "executes": member.executes,
        }
        member.influence, member.stance, member.executes = influence, stance, executes
        member.save()
        after = {"influence": influence, "stance": stance, "executes": executes}
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="network.member_set",
            dossier=network_map.dossier,
            target=member,
            summary=f"{register_actor.name} op netwerkkaart {network_map}",
            before=None if created else before,
            after=after,
        )
    return member


def member_remove(
    *, member: MapActor, actor: object | None, actor_label: str | None = None
) -> None:
    """Take an actor off the map; refused while the map still has ties of the actor."""
    network_map = member.network_map
    used = network_map.ties.filter(
        models.Q(source_id=member.actor_id) | models.Q(target_id=member.actor_id)
    ).count()
    if used:
        raise NetworkError(
            _("%(actor)s still has %(count)s tie(s) on this map; remove those first."),
            {"actor": member.actor.name, "count": used},
        )
    with transaction.atomic():
        pk = member.pk
        member.delete()
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="network.member_remove",
            dossier=network_map.dossier,
            target=None,
            target_pk=pk,
            summary=f"{member.actor.name} van netwerkkaart {network_map} gehaald",
        )


def layout_save(
    *,
    network_map: NetworkMap,
    positions: dict[str, Any],
    actor: object | None,
    actor_label: str | None = None,
) -> int:
    """Store positions (actor id → [x, y]) of actors on the map; returns how many changed."""
    members = {str(m.actor_id): m for m in network_map.members.all()}
    changed = []
    for key, value in positions.items():
        member = members.get(str(key))
        if member is None:
            raise NetworkError(_("The layout names an actor that is not on this map."))
        try:
            x, y = (float(v) for v in value)
        except (TypeError, ValueError):
            raise NetworkError(_("A position must be two numbers.")) from None
        if not (-1e6 < x < 1e6 and -1e6 < y < 1e6):
            raise NetworkError(_("A position must be two numbers."))
        member.x, member.y = round(x, 1), round(y, 1)
        changed.append(member)
    with transaction.atomic():
        MapActor.objects.bulk_update(changed, ["x", "y"])
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="network.layout_save",
            dossier=network_map.dossier,
            target=network_map,
            summary=f"Indeling van netwerkkaart {network_map} bewaard ({len(changed)} actoren)",
        )
    return len(changed)


# --- ties -------------------------------------------------------------------------------------


def _check_tie(
    network_map: NetworkMap,
    *,
    source: Actor,
    target: Actor,
    kind: str,
    start: dt.date | None,
    end: dt.date | None,
    strength: int | None,
    amount: Decimal | None,
    year: int | None,
    budget: MeasureBudget | None,
) -> None:
    for item in (source, target):
        if item.dossier_id != network_map.dossier_id:
            raise NetworkError(_("%(actor)s is an actor of another dossier."), {"actor": item.name})
    if source.pk == target.pk:
        raise NetworkError(_("A tie must run between two different actors."))
    if kind not in TIE_KINDS:
        raise NetworkError(_("Unknown type of tie: %(kind)s."), {"kind": kind})
    if start and end and end < start:
        raise NetworkError(_("The period ends before it starts."))
    if strength is not None and not 1 <= strength <= 5:
        raise NetworkError(_("Strength is a whole number from 1 to 5."))
    if amount is not None:
        if kind != "money":
            raise NetworkError(_("Only a money tie has an amount."))
        if amount < 0:
            raise NetworkError(_("An amount cannot be negative."))
        if amount > MAX_AMOUNT:
            raise NetworkError(_("The amount is too large."))
    if year is not None and not 1900 <= year <= 2100:
        raise NetworkError(_("The year must lie between 1900 and 2100."))
    if budget is not None:
        if kind != "money":
            raise NetworkError(_("Only a money tie refers to a budget line."))
        if budget.measure.dossier_id != network_map.dossier_id or (
            network_map.measure_id and budget.measure_id != network_map.measure_id
        ):
            raise NetworkError(_("The budget line belongs to another measure."))
        if year is not None and budget.year != year:
            raise NetworkError(_("The budget line is of another year than the tie."))


def tie_add(
    *,
    network_map: NetworkMap,
    source: Actor,
    target: Actor,
    kind: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    strength: int | None = None,
    amount: Decimal | None = None,
    year: int | None = None,
    budget: MeasureBudget | None = None,
    note: str = "",
    citations: list[Any] = (),  # type: ignore[assignment]
    actor: object | None,
    actor_label: str | None = None,
) -> Tie:
    """Add a tie; its actors are put on the map when they are not on it yet."""
    _check_tie(
        network_map,
        source=source,
        target=target,
        kind=kind,
        start=start,
        end=end,
        strength=strength,
        amount=amount,
        year=year,
        budget=budget,
    )
    if budget is not None and year is None:
        year = budget.year
    for citation in citations:
        _check_citation(network_map, citation)
    with transaction.atomic():
        for item in (source, target):
            MapActor.objects.get_or_create(network_map=network_map, actor=item)
        tie = Tie.objects.create(
            network_map=network_map,
            source=source,
            target=target,
            kind=kind,
            start=start,
            end=end,
            strength=strength,
            amount=amount,
            year=year,
            budget=budget,
            note=note.strip(),
            created_by=_user(actor),
        )
        TieEvidence.objects.bulk_create(
            [
                TieEvidence(tie=tie, citation=c, created_by=_user(actor))
                for c in dict.fromkeys(citations)
            ]
        )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="network.tie_add",
            dossier=network_map.dossier,
            target=tie,
            summary=f"Relatie toegevoegd op {network_map}: {source.name} → {target.name} ({kind})",
            after={**_tie_snapshot(tie), "evidence": [c.pk for c in citations]},
        )
    return tie


def tie_remove(*, tie: Tie, actor: object | None, actor_label: str | None = None) -> None:
    network_map = tie.network_map
    before = {
        **_tie_snapshot(tie),
        "evidence": list(tie.evidence.values_list("citation_id", flat=True)),
    }
    with transaction.atomic():
        pk = tie.pk
        tie.delete()
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="network.tie_remove",
            dossier=network_map.dossier,
            target=None,
            target_pk=pk,
            summary=f"Relatie verwijderd van {network_map}",
            before=before,
        )


def _check_citation(network_map: NetworkMap, citation: Any) -> None:
    from kansenaudit.web.evidence.selectors import citation_is_held

    if citation.dossier_id != network_map.dossier_id:
        raise NetworkError(_("The citation belongs to another dossier."))
    if citation_is_held(citation):
        raise NetworkError(
            _("This citation is held for a blind assessment and cannot be used yet.")
        )


def tie_evidence_add(
    *,
    tie: Tie,
    citation: Any,
    note: str = "",
    actor: object | None,
    actor_label: str | None = None,
) -> TieEvidence:
    """Let a citation of the evidence store support a tie."""
    _check_citation(tie.network_map, citation)
    if TieEvidence.objects.filter(tie=tie, citation=citation).exists():
        raise NetworkError(_("This citation already supports the tie."))
    with transaction.atomic():
        item = TieEvidence.objects.create(
            tie=tie, citation=citation, note=note.strip()[:500], created_by=_user(actor)
        )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="network.tie_evidence_add",
            dossier=tie.network_map.dossier,
            target=item,
            summary=f"Bewijs bij relatie {tie}: {citation}",
            after={"tie": tie.pk, "citation": citation.pk, "note": item.note},
        )
    return item


# --- import -----------------------------------------------------------------------------------


def ties_import(
    *,
    network_map: NetworkMap,
    content: bytes,
    file_name: str,
    actor: object | None,
    actor_label: str | None = None,
) -> int:
    """Import an edge list (CSV or XLSX): all rows or none. Returns the number of ties added.

    Actors are found by name in the dossier's register (case does not matter); unknown names
    are listed, never created.
    """
    try:
        rows = read_edge_list(content, file_name)
    except EdgeListError as exc:
        raise NetworkError(
            _("Nothing was imported: %(problems)s"), {"problems": " ".join(exc.problems)}
        ) from exc
    register = {
        a.name.casefold(): a for a in Actor.objects.filter(dossier_id=network_map.dossier_id)
    }
    unknown: dict[str, list[int]] = {}
    for row in rows:
        for name in (row.source, row.target):
            if name.casefold() not in register:
                unknown.setdefault(name, []).append(row.row)
    if unknown:
        listed = "; ".join(
            f"{name} (rij {', '.join(map(str, numbers[:5]))})" for name, numbers in unknown.items()
        )
        raise NetworkError(
            _(
                "Nothing was imported: these actors are not in the dossier's register: "
                "%(names)s. Add them to the register first."
            ),
            {"names": listed},
        )
    with transaction.atomic():
        on_map = set(network_map.members.values_list("actor_id", flat=True))
        new_members = []
        ties = []
        for row in rows:
            source, target = register[row.source.casefold()], register[row.target.casefold()]
            for item in (source, target):
                if item.pk not in on_map:
                    on_map.add(item.pk)
                    new_members.append(MapActor(network_map=network_map, actor=item))
            ties.append(
                Tie(
                    network_map=network_map,
                    source=source,
                    target=target,
                    kind=row.kind,
                    start=row.start,
                    end=row.end,
                    strength=row.strength,
                    amount=row.amount,
                    year=row.year,
                    note=row.note,
                    created_by=_user(actor),
                )
            )
        try:
            MapActor.objects.bulk_create(new_members)
            Tie.objects.bulk_create(ties, batch_size=500)
        except IntegrityError as exc:  # the checks above mirror the constraints
            raise NetworkError(_("Nothing was imported: %(error)s"), {"error": str(exc)}) from exc
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="network.ties_import",
            dossier=network_map.dossier,
            target=network_map,
            summary=f"{len(ties)} relaties ingelezen op {network_map} uit {file_name}",
            after={"ties": len(ties), "actors_added": len(new_members), "file": file_name},
        )
    return len(ties)
