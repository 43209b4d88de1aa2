# SPDX-License-Identifier: EUPL-1.2
"""Reading areas (public reference data: not tied to a dossier)."""

from __future__ import annotations

from django.db.models import QuerySet

from kansenaudit.web.areas.models import Area


def divisions() -> list[str]:
    return list(Area.objects.values_list("division", flat=True).distinct().order_by("division"))


def areas_at_level(*, division: str, level: str) -> QuerySet[Area]:
    return Area.objects.filter(division=division, level=level).order_by("code")


def division_is_demo(*, division: str) -> bool:
    return Area.objects.filter(division=division, is_demo=True).exists()
