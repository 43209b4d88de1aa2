# SPDX-License-Identifier: EUPL-1.2
"""Loading indicator definitions and values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from django.db import transaction

from kansenaudit.web.areas.models import Area
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.core.tasks import enqueue_on_commit
from kansenaudit.web.indicators.models import Indicator, IndicatorValue
from kansenaudit.web.indicators.tasks import precompute_statistics


class IndicatorRecord(Protocol):
    key: str
    name: str
    domain: str
    unit: str
    polarity: int
    definition: str
    min_n: int


class ValueRecord(Protocol):
    indicator: str
    area_code: str
    group: str
    period: int
    value: float | None
    n: int | None
    numerator: int | None
    denominator: int | None


@transaction.atomic
def indicators_upsert(
    *,
    records: Iterable[IndicatorRecord],
    source: str,
    is_demo: bool = False,
    actor_label: str | None = None,
) -> dict[str, Indicator]:
    """Create or update indicator definitions; returns key → Indicator."""
    result = {}
    created = 0
    for r in records:
        indicator, was_created = Indicator.objects.update_or_create(
            key=r.key,
            defaults={
                "name": r.name,
                "domain": r.domain,
                "unit": r.unit,
                "polarity": r.polarity,
                "definition": r.definition,
                "min_n": r.min_n,
                "source": source,
                "is_demo": is_demo,
            },
        )
        created += was_created
        result[r.key] = indicator
    audit_record(
        actor=None,
        actor_label=actor_label,
        action="indicators.define",
        summary=f"{len(result)} indicatordefinities vastgelegd ({created} nieuw) uit {source}",
        after={"keys": sorted(result), "source": source},
    )
    return result


@transaction.atomic
def indicator_values_replace(
    *,
    division: str,
    records: Iterable[ValueRecord],
    indicators: Mapping[str, Indicator],
    source: str,
    release: str,
    actor_label: str | None = None,
    batch_size: int = 2000,
) -> int:
    """Replace all values of ``release`` for these indicators in ``division``; returns the count.

    Runs in one transaction: an error (unknown area or indicator) leaves the old values intact.
    """
    areas = dict(Area.objects.filter(division=division).values_list("code", "id"))
    rows = []
    for r in records:
        if r.indicator not in indicators:
            raise ValueError(f"value for unknown indicator {r.indicator!r}")
        if r.area_code not in areas:
            raise ValueError(f"value for unknown area {r.area_code!r} in division {division}")
        rows.append(
            IndicatorValue(
                indicator=indicators[r.indicator],
                area_id=areas[r.area_code],
                group=r.group,
                period=r.period,
                value=r.value,
                n=r.n,
                numerator=r.numerator,
                denominator=r.denominator,
                source=source,
                release=release,
            )
        )
    IndicatorValue.objects.filter(
        release=release, area__division=division, indicator__in=list(indicators.values())
    ).delete()
    IndicatorValue.objects.bulk_create(rows, batch_size=batch_size)
    # The statistics section is computed ahead, in the worker, not on the first visit.
    for code in sorted(
        set(
            Area.objects.filter(division=division)
            .values_list("municipality_code", flat=True)
            .distinct()
        )
    ):
        enqueue_on_commit(precompute_statistics, code)
    audit_record(
        actor=None,
        actor_label=actor_label,
        action="indicators.load",
        summary=f"{len(rows)} indicatorwaarden geladen ({source}, {release})",
        after={"division": division, "release": release, "count": len(rows)},
    )
    return len(rows)
