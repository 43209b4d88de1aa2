# SPDX-License-Identifier: EUPL-1.2
"""Reading indicator values, with disclosure control applied before anything is shown."""

from __future__ import annotations

import functools
import math
import pickle
import time
import zlib
from dataclasses import dataclass

import polars as pl
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet

from kansenaudit.data.catalogue import DOMAINS, CatalogueIndicator, SourceVariable, by_key
from kansenaudit.data.tidy import tidy_frame
from kansenaudit.staat.compute import (
    compute_gaps,
    compute_inequality,
    compute_projections,
    compute_stacking,
    prepare_values,
)
from kansenaudit.staat.model import (
    CITY_LEVELS,
    LEVEL_ORDER,
    AreaInfo,
    StaatInputs,
    StaatParameters,
)
from kansenaudit.staat.secondary import SECONDARY, table_relations
from kansenaudit.stats.disclosure import suppression_reason
from kansenaudit.stats.secondary import secondary_suppression
from kansenaudit.web.areas.models import Area
from kansenaudit.web.dossiers.selectors import DEMO_NOTICE
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
    """Area code → the value as it may be shown at one level.

    Disclosure control runs on the whole table of the indicator and year (every level and
    group of the division), not on the level alone: the primary rules per value, then secondary
    suppression, so that a withheld buurt cannot be worked out from its wijk and the buurten
    that are shown (docs/methods/disclosure.md).
    """
    rows = list(
        IndicatorValue.objects.filter(
            indicator=indicator, area__division=division, period=period
        ).select_related("area", "area__parent")
    )
    reasons: list[str | None] = [
        suppression_reason(
            value=v.value,
            n=v.n,
            numerator=v.numerator,
            denominator=v.denominator,
            min_n=indicator.min_n,
        )
        for v in rows
    ]
    cells = [(v.area.code, v.group) for v in rows]
    parents = {v.area.code: (v.area.parent.code if v.area.parent else None) for v in rows}
    relations = table_relations(cells, parents)
    withheld = [r is not None and r != "missing" for r in reasons]
    if relations and any(withheld):
        weights = [float(v.denominator if v.denominator is not None else v.n or 0) for v in rows]
        extra = secondary_suppression(
            relations,
            withheld,
            missing=[r == "missing" for r in reasons],
            weight=weights,
        )
        reasons = [SECONDARY if e else r for r, e in zip(reasons, extra.tolist(), strict=True)]
    shown = {}
    for v, reason in zip(rows, reasons, strict=True):
        if v.area.level != level or v.group != group:
            continue
        shown[v.area.code] = ShownValue(
            v.area.code, v.area.name, None if reason else v.value, v.n, reason
        )
    return shown


# --- Statistics of a municipality (the state of opportunity, deelvraag 1) -------------------
#
# The numbers come from the statistics engine (kansenaudit.staat.compute), run on the values
# in the database; this module only builds the engine's inputs, keeps the result in memory and
# cuts out what one page shows. Nothing is recomputed here: a number on the page is a number of
# the engine.

WEB_PARAMETERS = StaatParameters(n_boot=199)
# The demo loads its residents count as ``population``; the engine weights by ``inwoners``.
KEY_RENAMES = {"population": "inwoners"}
STACKING_METHODS = ("zscore", "imd", "telling")
TOTAL = TOTAL_GROUP


@dataclass(frozen=True)
class StatisticsResult:
    """The engine's tables for one municipality, computed once per version of its data."""

    municipality_code: str
    division: str
    inputs: StaatInputs
    catalogue: dict[str, CatalogueIndicator]
    values: pl.DataFrame  # prepare_values(): with ``suppressed`` and ``shown_value``
    gaps: pl.DataFrame
    inequality: pl.DataFrame
    decomposition: pl.DataFrame
    projections: pl.DataFrame
    stacking: pl.DataFrame
    sensitivity: pl.DataFrame
    warnings: tuple[str, ...]
    seconds: float

    @property
    def is_demo(self) -> bool:
        return self.inputs.is_demo


def _data_version(municipality_code: str) -> tuple[str, int, int] | None:
    """(division, last value id, number of values) of the municipality's best-filled division."""
    row = (
        IndicatorValue.objects.filter(area__municipality_code=municipality_code)
        .values("area__division")
        .annotate(count=Count("id"), last=Max("id"))
        .order_by("-count", "area__division")
        .first()
    )
    if row is None:
        return None
    return row["area__division"], row["last"], row["count"]


def _catalogue_item(indicator: Indicator) -> CatalogueIndicator:
    kind = "share" if indicator.unit == "%" else "count" if indicator.unit == "aantal" else "mean"
    return CatalogueIndicator(
        key=KEY_RENAMES.get(indicator.key, indicator.key),
        name=indicator.name,
        domain=indicator.domain,
        definition=indicator.definition,
        unit=indicator.unit,
        polarity=int(indicator.polarity),
        kind=kind,
        sources=(SourceVariable("demo" if indicator.is_demo else "database", indicator.key),),
        min_n=indicator.min_n,
    )


def statistics_inputs(municipality_code: str, division: str | None = None) -> StaatInputs:
    """The engine's inputs from the database: areas, indicators and values of a municipality.

    ``division`` defaults to the municipality's division with the most values. When a value
    exists in several releases, the one loaded last counts. ``row`` holds the id of the
    ``IndicatorValue`` a number came from, so it can be traced back.
    """
    if division is None:
        version = _data_version(municipality_code)
        division = version[0] if version else ""
    areas = Area.objects.filter(municipality_code=municipality_code, division=division)
    area_info = {
        code: AreaInfo(code=code, name=name, level=level, parent_code=parent, geometry=geometry)
        for code, name, level, parent, geometry in areas.values_list(
            "code", "name", "level", "parent__code", "geometry"
        )
    }
    indicators = Indicator.objects.filter(values__area__in=areas).distinct()
    catalogue = tuple(_catalogue_item(i) for i in indicators)
    rows = list(
        IndicatorValue.objects.filter(area__in=areas)
        .order_by("id")
        .values_list(
            "id",
            "indicator__key",
            "area__code",
            "area__level",
            "group",
            "period",
            "value",
            "n",
            "numerator",
            "denominator",
            "source",
            "release",
            "is_prognosis",
            "flags",
        )
    )
    columns = list(zip(*rows, strict=True)) if rows else [()] * 14
    table = tidy_frame(
        {
            "indicator": [KEY_RENAMES.get(k, k) for k in columns[1]],
            "area_code": list(columns[2]),
            "area_level": list(columns[3]),
            "group": list(columns[4]),
            "period": list(columns[5]),
            "value": list(columns[6]),
            "n": list(columns[7]),
            "numerator": list(columns[8]),
            "denominator": list(columns[9]),
            "source": list(columns[10]),
            "release": list(columns[11]),
            "source_file": ["database"] * len(rows),
            "row": list(columns[0]),
            "is_prognosis": list(columns[12]),
            "flags": [[str(f) for f in (flags or [])] for flags in columns[13]],
        }
    ).unique(["indicator", "area_code", "group", "period", "is_prognosis"], keep="last")
    table = table.sort("indicator", "area_code", "group", "period")
    observed = table.filter(~pl.col("is_prognosis"))
    is_demo = areas.filter(is_demo=True).exists()
    return StaatInputs(
        city_code=municipality_code,
        city_name=next((a.name for a in area_info.values() if a.level in CITY_LEVELS), ""),
        catalogue=catalogue,
        values=table,
        prognoses=table.filter(pl.col("is_prognosis")),
        areas=area_info,
        is_demo=is_demo,
        label=DEMO_NOTICE if is_demo else "",
        present_year=int(observed["period"].max()) if observed.height else None,
        notes=[DEMO_NOTICE] if is_demo else [],
    )


CACHE_PREFIX = "indicators-statistics"


def _cache_key(municipality_code: str, division: str, last_id: int, count: int) -> str:
    """Per version of the data and of the code (a pickled result of older code is not used)."""
    from kansenaudit.staat.report import code_version

    generation = cache.get(f"{CACHE_PREFIX}:generation", 0)
    return (
        f"{CACHE_PREFIX}:{generation}:{code_version()}:"
        f"{municipality_code}:{division}:{last_id}:{count}"
    )


@functools.lru_cache(maxsize=4)
def _computed(municipality_code: str, division: str, last_id: int, count: int) -> StatisticsResult:
    """The engine's result: from this process's memory, else the shared cache, else computed.

    The shared cache (Django's database cache) is filled ahead by the task
    :func:`kansenaudit.web.indicators.tasks.precompute_statistics` when values are loaded, so
    a fresh web process reads the result (milliseconds) instead of running the engine (seconds).
    """
    key = _cache_key(municipality_code, division, last_id, count)
    cached = cache.get(key)
    if isinstance(cached, bytes):
        # Our own pickle, written below under a key that names the code version.
        result = pickle.loads(zlib.decompress(cached))  # noqa: S301
        if isinstance(result, StatisticsResult):
            return result
    result = _compute(municipality_code, division)
    # Compressed: the tables pickle to ~17 MB for the demo, ~2 MB compressed.
    cache.set(key, zlib.compress(pickle.dumps(result), 1), timeout=None)
    return result


def statistics_precompute(*, municipality_code: str) -> str | None:
    """Fill the shared cache for the municipality's current data; returns the key or None."""
    version = _data_version(municipality_code)
    if version is None:
        return None
    _computed(municipality_code, *version)
    return _cache_key(municipality_code, *version)


def _compute(municipality_code: str, division: str) -> StatisticsResult:
    """Run the engine over the municipality's values in the database."""
    start = time.perf_counter()
    inputs = statistics_inputs(municipality_code, division)
    parameters = WEB_PARAMETERS
    catalogue = by_key(inputs.catalogue)
    warnings: list[str] = []
    values = prepare_values(inputs)
    gaps = compute_gaps(values, catalogue, parameters.level)
    inequality_table, decomposition = compute_inequality(values, inputs, parameters, warnings)
    projections, _targets = compute_projections(values, catalogue, parameters)
    stacking_table, sensitivity = compute_stacking(values, catalogue, parameters, warnings)
    return StatisticsResult(
        municipality_code=municipality_code,
        division=division,
        inputs=inputs,
        catalogue=catalogue,
        values=values,
        gaps=gaps,
        inequality=inequality_table,
        decomposition=decomposition,
        projections=projections,
        stacking=stacking_table,
        sensitivity=sensitivity,
        warnings=tuple(warnings),
        seconds=time.perf_counter() - start,
    )


def statistics_result(*, municipality_code: str) -> StatisticsResult | None:
    """The engine's result for a municipality, or None when it has no values."""
    version = _data_version(municipality_code)
    if version is None:
        return None
    return _computed(municipality_code, *version)


def statistics_cache_clear() -> None:
    """Forget every computed result, in this process and in the shared cache (e.g. after areas
    were renamed: names are part of the result, but not of the data version)."""
    _computed.cache_clear()
    key = f"{CACHE_PREFIX}:generation"
    cache.set(key, int(cache.get(key, 0)) + 1, timeout=None)


# --- What one page shows ----------------------------------------------------------------------


@dataclass(frozen=True)
class StatisticsOptions:
    """The choices the data allow: indicators by domain, years, levels, groups."""

    indicators: list[tuple[str, list[CatalogueIndicator]]]  # (domain label, indicators)
    default_indicator: str
    years: list[int]
    levels: list[str]
    default_level: str
    groups: list[str]


@dataclass(frozen=True)
class StatisticsChoice:
    indicator: str
    year: int
    level: str
    group: str = TOTAL
    method: str = "zscore"


def statistics_options(result: StatisticsResult) -> StatisticsOptions:
    values = result.values
    present = set(values["indicator"].unique().to_list())
    order = list(DOMAINS)
    items = sorted(
        (c for c in result.catalogue.values() if c.key in present),
        key=lambda c: (order.index(c.domain) if c.domain in order else len(order), c.name),
    )
    grouped: dict[str, list[CatalogueIndicator]] = {}
    for item in items:
        grouped.setdefault(DOMAINS.get(item.domain, item.domain), []).append(item)
    default = next((c.key for c in items if c.kind != "count"), items[0].key if items else "")
    levels = [
        level
        for level in LEVEL_ORDER
        if level not in CITY_LEVELS and level in set(values["area_level"].unique().to_list())
    ]
    groups = sorted(values["group"].unique().to_list(), key=lambda g: (g != TOTAL, g))
    return StatisticsOptions(
        indicators=list(grouped.items()),
        default_indicator=default,
        years=sorted(int(y) for y in values["period"].unique().to_list()),
        levels=levels,
        default_level="wijk" if "wijk" in levels else (levels[-1] if levels else ""),
        groups=groups,
    )


def indicator_years(result: StatisticsResult, key: str) -> list[int]:
    """Years in which ``key`` has at least one value (shown or withheld)."""
    frame = result.values.filter((pl.col("indicator") == key) & pl.col("value").is_not_null())
    return sorted(int(y) for y in frame["period"].unique().to_list())


def _finite(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def area_values(result: StatisticsResult, choice: StatisticsChoice) -> list[dict]:
    """Every area of the level with its shown value (None when withheld), n and interval.

    The interval is the engine's interval of the difference to the city added to the city
    value; it is absent when the engine has none (n or standard deviation unknown). For a
    withheld value neither the value nor its n is returned, only the reason.
    """
    frame = result.values.filter(
        (pl.col("indicator") == choice.indicator)
        & (pl.col("period") == choice.year)
        & (pl.col("area_level") == choice.level)
        & (pl.col("group") == choice.group)
    )
    gaps = result.gaps
    if not gaps.is_empty():
        gaps = gaps.filter(
            (pl.col("indicator") == choice.indicator)
            & (pl.col("period") == choice.year)
            & (pl.col("area_level") == choice.level)
            & (pl.col("group") == choice.group)
        ).select("area_code", "city_value", "difference_low", "difference_high")
        frame = frame.join(gaps, on="area_code", how="left")
    by_code = {row["area_code"]: row for row in frame.iter_rows(named=True)}
    rows = []
    for area in sorted(result.inputs.areas.values(), key=lambda a: a.code):
        if area.level != choice.level:
            continue
        row = by_code.get(area.code)
        reason = "missing" if row is None else row["suppressed"]
        shown = None if reason else _finite(row["shown_value"])
        low = high = None
        if shown is not None and row.get("city_value") is not None:
            city = float(row["city_value"])
            d_low, d_high = _finite(row.get("difference_low")), _finite(row.get("difference_high"))
            if d_low is not None and d_high is not None:
                low, high = city + d_low, city + d_high
        rows.append(
            {
                "code": area.code,
                "name": area.name,
                "geometry": area.geometry,
                "value": shown,
                "n": None if reason or row is None else _finite(row["n"]),
                "low": low,
                "high": high,
                "reason": reason,
            }
        )
    return rows


def city_value(result: StatisticsResult, choice: StatisticsChoice) -> float | None:
    frame = result.values.filter(
        (pl.col("indicator") == choice.indicator)
        & (pl.col("period") == choice.year)
        & pl.col("area_level").is_in(CITY_LEVELS)
        & (pl.col("group") == choice.group)
    )
    return _finite(frame["shown_value"][0]) if frame.height else None


def levels_with_group(result: StatisticsResult, key: str, group: str) -> list[str]:
    frame = result.values.filter(
        (pl.col("indicator") == key)
        & (pl.col("group") == group)
        & ~pl.col("area_level").is_in(CITY_LEVELS)
    )
    present = set(frame["area_level"].unique().to_list())
    return [level for level in LEVEL_ORDER if level in present]


def city_trend(result: StatisticsResult, choice: StatisticsChoice) -> list[dict]:
    """The city's observed values since the first year, then the projection (total only)."""
    frame = result.values.filter(
        (pl.col("indicator") == choice.indicator)
        & pl.col("area_level").is_in(CITY_LEVELS)
        & (pl.col("group") == choice.group)
    ).sort("period")
    rows = [
        {"year": int(r["period"]), "value": _finite(r["shown_value"]), "projected": False}
        for r in frame.iter_rows(named=True)
    ]
    rows = [r for r in rows if r["value"] is not None]
    if choice.group == TOTAL and not result.projections.is_empty():
        projection = result.projections.filter(pl.col("indicator") == choice.indicator).sort("year")
        rows += [
            {
                "year": int(r["year"]),
                "value": _finite(r["fit"]),
                "low": _finite(r["lower"]),
                "high": _finite(r["upper"]),
                "projected": True,
                "clipped": bool(r["clipped"]),
                "level": float(r["level"]),
                "label": r["label"],
            }
            for r in projection.iter_rows(named=True)
        ]
    return rows


def inequality_over_time(result: StatisticsResult, key: str, level: str) -> list[dict]:
    """Gini and Theil (with bootstrap intervals) per year, and the share between stadsdelen."""
    if result.inequality.is_empty():
        return []
    frame = result.inequality.filter(
        (pl.col("indicator") == key)
        & (pl.col("area_level") == level)
        & pl.col("gini").is_not_null()
    ).sort("period")
    between: dict[int, dict] = {}
    if not result.decomposition.is_empty():
        part = result.decomposition.filter(
            (pl.col("indicator") == key)
            & (pl.col("area_level") == level)
            & (pl.col("measure") == "theil")
        )
        between = {int(r["period"]): r for r in part.iter_rows(named=True)}
    rows = []
    for r in frame.iter_rows(named=True):
        b = between.get(int(r["period"]), {})
        rows.append(
            {
                "year": int(r["period"]),
                "areas": int(r["areas"]),
                "weighted": bool(r["weighted"]),
                "gini": _finite(r["gini"]),
                "gini_low": _finite(r["gini_low"]),
                "gini_high": _finite(r["gini_high"]),
                "theil": _finite(r["theil"]),
                "theil_low": _finite(r["theil_low"]),
                "theil_high": _finite(r["theil_high"]),
                "mld": _finite(r.get("mld")),
                "atkinson": _finite(r.get("atkinson")),
                "between_share": _finite(b.get("between_share")),
                "between_low": _finite(b.get("between_share_low")),
                "between_high": _finite(b.get("between_share_high")),
            }
        )
    return rows


def inequality_not_computed(result: StatisticsResult, key: str, level: str) -> str:
    """Why the engine computed no Gini or Theil for this indicator and level (latest year)."""
    if result.inequality.is_empty():
        return ""
    frame = result.inequality.filter(
        (pl.col("indicator") == key)
        & (pl.col("area_level") == level)
        & pl.col("not_computed").is_not_null()
    ).sort("period")
    return str(frame["not_computed"][-1]) if frame.height else ""


def stacking_rows(result: StatisticsResult, method: str) -> list[dict]:
    """Areas by disadvantage for one method, most disadvantaged first, with the class range."""
    if result.stacking.is_empty():
        return []
    table = result.stacking
    if method == "telling":
        table = table.sort(["count_unfavourable", "zscore_rank"], descending=[True, False])
        scores = table["count_unfavourable"].to_list()
        classes = [None] * table.height
        ranks = list(range(1, table.height + 1))
    else:
        prefix = "imd" if method == "imd" else "zscore"
        table = table.sort(f"{prefix}_rank")
        scores = table[f"{prefix}_score"].to_list()
        classes = table[f"{prefix}_class"].to_list()
        ranks = table[f"{prefix}_rank"].to_list()
    rows = []
    for i, r in enumerate(table.iter_rows(named=True)):
        area = result.inputs.areas.get(r["area_code"])
        rows.append(
            {
                "rank": int(ranks[i]),
                "code": r["area_code"],
                "name": r["area_name"] or r["area_code"],
                "geometry": area.geometry if area else None,
                "score": _finite(scores[i]),
                "class": int(classes[i]) if classes[i] else None,
                "count": int(r["count_unfavourable"]),
                "available": int(r["indicators_available"]),
                "class_min": int(r["class_min"]),
                "class_max": int(r["class_max"]),
                "share_changed": _finite(r["share_changed"]),
            }
        )
    return rows


def stacking_facts(result: StatisticsResult) -> dict:
    """Level, indicators and threshold rule of the stacking, and the alternatives tried."""
    if result.stacking.is_empty():
        return {}
    first = result.stacking.row(0, named=True)
    keys = [k.strip() for k in (first["indicators"] or "").split(",") if k.strip()]
    alternatives = (
        [
            {"alternative": r["alternative"], "changed": int(r["areas_changing_class"])}
            for r in result.sensitivity.iter_rows(named=True)
        ]
        if not result.sensitivity.is_empty()
        else []
    )
    return {
        "level": first["area_level"],
        "indicators": [result.catalogue[k].name if k in result.catalogue else k for k in keys],
        "count_method": first["count_method"],
        "alternatives": alternatives,
        "areas": result.stacking.height,
    }
