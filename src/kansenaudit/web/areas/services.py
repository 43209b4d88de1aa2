# SPDX-License-Identifier: EUPL-1.2
"""Loading an area division into the registry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from django.db import transaction

from kansenaudit.web.areas.models import LEVEL_ORDER, Area
from kansenaudit.web.core.services import audit_record


class AreaRecord(Protocol):
    code: str
    name: str
    level: str
    parent_code: str | None
    geometry: dict | None


@transaction.atomic
def areas_load_division(
    *,
    municipality_code: str,
    division: str,
    records: Iterable[AreaRecord],
    source: str,
    crs: str = "EPSG:28992",
    is_demo: bool = False,
    actor_label: str | None = None,
) -> dict[str, Area]:
    """Create or update the areas of ``division``; parents before children. Returns code → Area.

    Raises ValueError naming the area when a parent code is unknown or a level is invalid.
    """
    ordered = sorted(records, key=lambda r: (LEVEL_ORDER.index(r.level), r.code))
    by_code: dict[str, Area] = {a.code: a for a in Area.objects.filter(division=division)}
    created = updated = 0
    for record in ordered:
        if record.level not in LEVEL_ORDER:
            raise ValueError(f"area {record.code}: unknown level {record.level!r}")
        parent = None
        if record.parent_code:
            parent = by_code.get(record.parent_code)
            if parent is None:
                raise ValueError(f"area {record.code}: parent {record.parent_code} unknown")
        fields = {
            "municipality_code": municipality_code,
            "name": record.name,
            "level": record.level,
            "parent": parent,
            "geometry": record.geometry,
            "crs": crs,
            "source": source,
            "is_demo": is_demo,
        }
        area, was_created = Area.objects.update_or_create(
            division=division, code=record.code, defaults=fields
        )
        created += was_created
        updated += not was_created
        by_code[record.code] = area
    audit_record(
        actor=None,
        actor_label=actor_label,
        action="areas.load",
        summary=f"Gebiedsindeling {division}: {created} nieuw, {updated} bijgewerkt",
        after={"division": division, "created": created, "updated": updated, "source": source},
    )
    return by_code
