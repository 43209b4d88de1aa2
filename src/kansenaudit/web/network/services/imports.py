# SPDX-License-Identifier: EUPL-1.2
"""Imports onto a map: edge lists (CSV, XLSX) and graph files (GEXF, GraphML), all or nothing."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.network.edgelist import EdgeListError
from kansenaudit.network.graphfile import read_ties
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.network.models import MapActor, NetworkMap, Tie
from kansenaudit.web.network.services._common import (
    NetworkError,
    _user,
)
from kansenaudit.web.policy.models import Actor

# --- import -----------------------------------------------------------------------------------


def ties_import(
    *,
    network_map: NetworkMap,
    content: bytes,
    file_name: str,
    actor: object | None,
    actor_label: str | None = None,
) -> int:
    """Import an edge list (CSV or XLSX) or a graph file (GEXF or GraphML): all ties or none.
    Returns the number of ties added.

    Actors are found by name in the dossier's register (case does not matter); unknown names
    are listed, never created.
    """
    try:
        rows = read_ties(content, file_name)
    except EdgeListError as exc:
        raise NetworkError(
            _("Nothing was imported: %(problems)s"), {"problems": " ".join(exc.problems)}
        ) from exc
    register = {
        a.name.casefold(): a for a in Actor.objects.filter(dossier_id=network_map.dossier_id)
    }
    unknown: dict[str, list[str]] = {}
    for row in rows:
        for name in (row.source, row.target):
            if name.casefold() not in register:
                unknown.setdefault(name, []).append(row.place)
    if unknown:
        listed = "; ".join(f"{name} ({', '.join(places[:5])})" for name, places in unknown.items())
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
