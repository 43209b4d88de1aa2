# SPDX-License-Identifier: EUPL-1.2
"""Maps and their versions, the actors on a map and a map's saved layout."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.network.graph import STANCES
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.network.models import MapActor, NetworkMap, TieEvidence
from kansenaudit.web.network.services._common import (
    MAX_INFLUENCE,
    NetworkError,
    _demo,
    _map_snapshot,
    _user,
)
from kansenaudit.web.policy.models import Actor, Measure

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
