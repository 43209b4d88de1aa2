"""Reading indicator values, with disclosure control applied before anything is shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from kansenaudit.stats.disclosure import suppression_reason
from kansenaudit.web.indicators.models import TOTAL_GROUP, Indicator, IndicatorValue


@dataclass(frozen=True)
class ShownValue:
    area_code: str
    area_name: str
    value: float | None  # None when missing or suppressed
    n: int | None
    suppressed: str | None  # the reason, when suppressed


def indicators_with_values(*, division: str) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(values__area__division=division)
        .distinct()
        .order_by("domain", "name")
    )


def periods_for(*, indicator: Indicator, division: str) -> list[int]:
    return sorted(
        set(
            IndicatorValue.objects.filter(
                indicator=indicator, area__division=division, value__isnull=False
            ).values_list("period", flat=True)
        )
    )


def values_for_map(
    *, indicator: Indicator, division: str, level: str, period: int, group: str = TOTAL_GROUP
) -> dict[str, ShownValue]:
    """Area code → the value as it may be shown (suppressed below the indicator's minimum n)."""
    rows = IndicatorValue.objects.filter(
        indicator=indicator,
        area__division=division,
        area__level=level,
        period=period,
        group=group,
    ).select_related("area")
    shown = {}
    for v in rows:
        reason = suppression_reason(
            value=v.value,
            n=v.n,
            numerator=v.numerator,
            denominator=v.denominator,
            min_n=indicator.min_n,
        )
        shown[v.area.code] = ShownValue(
            v.area.code, v.area.name, None if reason else v.value, v.n, reason
        )
    return shown
