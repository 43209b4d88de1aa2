# SPDX-License-Identifier: EUPL-1.2
"""Compute the state of opportunity: every number of the report, as tables.

One function, :func:`compute_state`, runs the statistics engine (:mod:`kansenaudit.stats`) over
the inputs of a city or the demo and returns a :class:`~kansenaudit.staat.model.StaatResult`.
The web section, the CLI (``kansenaudit staat``) and analysts in a notebook all call this same
function, so a number means the same wherever it appears.

Order of work, and why:

1. *Disclosure first*: every value gets its suppression reason before anything is derived
   from it, so a withheld value never leaks through a gap, a ranking or a map.
2. *Gaps* of each area (and each group) to the city, with intervals where n is known.
3. *Inequality* between areas per indicator, level and year: population-weighted Gini,
   Theil T, mean log deviation and Atkinson, bootstrap intervals, and the split between and
   within stadsdelen.
4. *Change since the baseline* (2019) per area with a test, Benjamini–Hochberg across areas,
   and whether the gap to the city narrowed or widened; *trends* per area.
5. *Projections* of the city value as continuation of trend, and distance to targets.
6. *Stacking* of disadvantages per area with three methods side by side and a sensitivity
   check of the classes.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import polars as pl

from kansenaudit.data.catalogue import (
    WEIGHT_INDICATORS,
    CatalogueIndicator,
    by_key,
    measurement_scale,
)
from kansenaudit.reporting.formatting import format_number
from kansenaudit.staat.model import (
    CITY_LEVELS,
    LEVEL_ORDER,
    StaatInputs,
    StaatParameters,
    StaatResult,
)
from kansenaudit.staat.secondary import SECONDARY, apply_secondary
from kansenaudit.stats import dispersion, inequality, stacking
from kansenaudit.stats.bootstrap import Interval, bootstrap_interval
from kansenaudit.stats.disclosure import suppression_reasons
from kansenaudit.stats.gaps import gap
from kansenaudit.stats.multiple_testing import benjamini_hochberg
from kansenaudit.stats.permutation import PermutationResult, between_share_permutation
from kansenaudit.stats.projection import (
    MIN_PROJECTION_POINTS,
    distance_to_target,
    project_linear,
)
from kansenaudit.stats.trends import (
    NARROWED,
    NO_CHANGE,
    WIDENED,
    change_since_baseline,
    gap_change,
    linear_trend,
)

STEPS = (
    "openbaarheid",
    "verschillen",
    "ongelijkheid",
    "veranderingen",
    "trends",
    "projecties",
    "stapeling",
)

Progress = Callable[[str], None]
STACKING_MIN_POPULATION = 1000


def _kind(indicator: CatalogueIndicator) -> str:
    return "share" if indicator.kind == "share" else "mean"


def _np(series: pl.Series) -> np.ndarray:
    return series.cast(pl.Float64).fill_null(np.nan).to_numpy()


def _catalogue_frame(catalogue: tuple[CatalogueIndicator, ...]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator": [c.key for c in catalogue],
            "unit": [c.unit for c in catalogue],
            "kind": [c.kind for c in catalogue],
            "polarity": [c.polarity for c in catalogue],
            "min_n": [c.min_n for c in catalogue],
            "min_population": [c.min_population for c in catalogue],
            "min_dwellings": [c.min_dwellings for c in catalogue],
            "weight_indicator": [c.weight for c in catalogue],
        },
        schema_overrides={
            "polarity": pl.Int8,
            "min_n": pl.Int64,
            "min_population": pl.Int64,
            "min_dwellings": pl.Int64,
        },
    )


def _weights_frame(values: pl.DataFrame) -> pl.DataFrame:
    """Residents, households and dwellings per area and year (the population weights)."""
    return (
        values.filter(
            pl.col("indicator").is_in(list(WEIGHT_INDICATORS))
            & (pl.col("group") == "totaal")
            & pl.col("value").is_not_null()
        )
        .select(
            pl.col("indicator").alias("weight_indicator"),
            "area_code",
            "period",
            pl.col("value").alias("weight"),
        )
        .unique(["weight_indicator", "area_code", "period"], keep="first")
    )


def _with_weights(frame: pl.DataFrame, weights: pl.DataFrame) -> pl.DataFrame:
    """Attach the weight of the same year, else the nearest year of the same area.

    Weights of other years are a documented approximation (flag ``gewicht-ander-jaar``);
    population changes slowly relative to the differences between areas.
    """
    exact = frame.join(weights, on=["weight_indicator", "area_code", "period"], how="left")
    if weights.is_empty():
        return exact.with_columns(pl.lit(False).alias("weight_other_year"))
    # Only rows without a weight of their own year need the (slower) nearest-year search.
    nearest = (
        exact.filter(pl.col("weight").is_null())
        .select("weight_indicator", "area_code", "period")
        .unique()
        .join(
            weights.rename({"period": "weight_period", "weight": "nearest_weight"}),
            on=["weight_indicator", "area_code"],
            how="inner",
        )
        .with_columns((pl.col("weight_period") - pl.col("period")).abs().alias("distance"))
        .sort("distance", "weight_period")
        .unique(["weight_indicator", "area_code", "period"], keep="first")
        .select("weight_indicator", "area_code", "period", "nearest_weight")
    )
    return (
        exact.join(nearest, on=["weight_indicator", "area_code", "period"], how="left")
        .with_columns(
            (pl.col("weight").is_null() & pl.col("nearest_weight").is_not_null()).alias(
                "weight_other_year"
            ),
            pl.coalesce("weight", "nearest_weight").alias("weight"),
        )
        .drop("nearest_weight")
    )


def prepare_values(inputs: StaatInputs) -> pl.DataFrame:
    """Observed values of catalogue indicators with weights and their suppression reason."""
    cat = _catalogue_frame(inputs.catalogue)
    frame = inputs.values.filter(~pl.col("is_prognosis")).join(cat, on="indicator", how="inner")
    weights = _weights_frame(inputs.values)
    frame = _with_weights(frame, weights)
    population = (
        weights.filter(pl.col("weight_indicator") == "inwoners")
        .select("area_code", "period", pl.col("weight").alias("population"))
        .unique(["area_code", "period"])
    )
    dwellings = (
        weights.filter(pl.col("weight_indicator") == "woningen")
        .select("area_code", "period", pl.col("weight").alias("dwellings"))
        .unique(["area_code", "period"])
    )
    frame = frame.join(population, on=["area_code", "period"], how="left").join(
        dwellings, on=["area_code", "period"], how="left"
    )
    reasons = suppression_reasons(
        _np(frame["value"]),
        _np(frame["n"]),
        _np(frame["numerator"]),
        _np(frame["denominator"]),
        min_n=_np(frame["min_n"]),
        population=_np(frame["population"]),
        min_population=_np(frame["min_population"]),
        dwellings=_np(frame["dwellings"]),
        min_dwellings=_np(frame["min_dwellings"]),
    )
    names = pl.DataFrame(
        {
            "area_code": list(inputs.areas),
            "area_name": [area.name for area in inputs.areas.values()],
        },
        schema={"area_code": pl.Utf8, "area_name": pl.Utf8},
    )
    frame = (
        frame.with_columns(pl.Series("suppressed", reasons.tolist(), dtype=pl.Utf8))
        .join(names, on="area_code", how="left")
        .with_columns(pl.coalesce("area_name", "area_code").alias("area_name"))
    )
    # Secondary suppression: no withheld value may follow from published totals and siblings.
    frame = apply_secondary(frame, inputs.areas)
    # A missing value is no secret; only withheld values are blanked.
    return frame.with_columns(
        pl.when(pl.col("suppressed").is_null()).then(pl.col("value")).alias("shown_value")
    ).sort("indicator", "area_level", "area_code", "group", "period")


def _city(values: pl.DataFrame) -> pl.DataFrame:
    return values.filter(pl.col("area_level").is_in(CITY_LEVELS)).select(
        "indicator",
        "group",
        "period",
        pl.col("shown_value").alias("city_value"),
        pl.col("n").alias("city_n"),
    )


def compute_gaps(
    values: pl.DataFrame, catalogue: dict[str, CatalogueIndicator], level: float
) -> pl.DataFrame:
    """Each area's difference and ratio to the city (same group, same year)."""
    frame = values.filter(
        ~pl.col("area_level").is_in(CITY_LEVELS)
        & pl.col("shown_value").is_not_null()
        & (pl.col("kind") != "count")
    ).join(_city(values), on=["indicator", "group", "period"], how="inner")
    frame = frame.filter(pl.col("city_value").is_not_null())
    parts = []
    for (key,), part in frame.group_by(["indicator"], maintain_order=True):
        ind = catalogue[key]
        result = gap(
            _np(part["shown_value"]),
            _np(part["city_value"]),
            n=_np(part["n"]),
            reference_n=_np(part["city_n"]),
            kind=_kind(ind),
            level=level,
            reference_includes_area=True,
        )
        parts.append(
            part.select(
                "indicator",
                "area_code",
                "area_name",
                "area_level",
                "group",
                "period",
                pl.col("shown_value").alias("value"),
                "city_value",
                "n",
            ).with_columns(
                pl.Series("difference", np.atleast_1d(result.difference)),
                pl.Series("difference_low", np.atleast_1d(result.difference_low)),
                pl.Series("difference_high", np.atleast_1d(result.difference_high)),
                pl.Series("ratio", np.atleast_1d(result.ratio)),
                pl.Series("ratio_low", np.atleast_1d(result.ratio_low)),
                pl.Series("ratio_high", np.atleast_1d(result.ratio_high)),
                *_reference_columns(result, _np(part["n"]), _np(part["city_n"])),
                pl.lit(result.method).alias("method"),
            )
        )
    return _concat(parts)


def _reference_columns(result: object, n: np.ndarray, reference_n: np.ndarray) -> list[pl.Series]:
    """What each gap is measured against: the rest of the city, or the city where n is unknown.

    The city contains the area (and the total contains the group), so the area is compared with
    the rest of the city (city minus area) wherever both n are known; where they are not, only
    the city itself is available, and the row says so.
    """
    reference = np.broadcast_to(
        np.asarray(result.reference_value, dtype=float),  # type: ignore[attr-defined]
        n.shape,
    )
    known = np.isfinite(n) & (n > 0) & np.isfinite(reference_n) & (reference_n > 0)
    return [
        pl.Series("reference_value", reference.copy()),
        pl.Series(
            "reference",
            np.where(known, "rest van de stad", "stad (n onbekend)").tolist(),
            dtype=pl.Utf8,
        ),
    ]


def compute_group_gaps(
    values: pl.DataFrame, catalogue: dict[str, CatalogueIndicator], level: float
) -> pl.DataFrame:
    """Gaps of each population group to the whole city (the group is part of the total)."""
    city = values.filter(pl.col("area_level").is_in(CITY_LEVELS) & (pl.col("kind") != "count"))
    groups = city.filter((pl.col("group") != "totaal") & pl.col("shown_value").is_not_null())
    total = city.filter(pl.col("group") == "totaal").select(
        "indicator",
        "period",
        pl.col("shown_value").alias("total_value"),
        pl.col("n").alias("total_n"),
    )
    frame = groups.join(total, on=["indicator", "period"], how="inner").filter(
        pl.col("total_value").is_not_null()
    )
    parts = []
    for (key,), part in frame.group_by(["indicator"], maintain_order=True):
        ind = catalogue[key]
        n = _np(part["n"])
        result = gap(
            _np(part["shown_value"]),
            _np(part["total_value"]),
            n=n,
            reference_n=_np(part["total_n"]),
            kind=_kind(ind),
            level=level,
            reference_includes_area=True,
        )
        parts.append(
            part.select(
                "indicator",
                "group",
                "period",
                pl.col("shown_value").alias("value"),
                "total_value",
                "n",
            ).with_columns(
                # The group is compared with the rest of the city where n is known.
                *_reference_columns(result, n, _np(part["total_n"])),
                pl.Series("difference", np.atleast_1d(result.difference)),
                pl.Series("difference_low", np.atleast_1d(result.difference_low)),
                pl.Series("difference_high", np.atleast_1d(result.difference_high)),
                pl.Series("ratio", np.atleast_1d(result.ratio)),
                pl.lit(result.method).alias("method"),
            )
        )
    return _concat(parts)


def _ancestor_at(inputs: StaatInputs, code: str, level: str) -> str | None:
    seen = 0
    area = inputs.areas.get(code)
    while area is not None and seen < 10:
        if area.level == level:
            return area.code
        area = inputs.areas.get(area.parent_code) if area.parent_code else None
        seen += 1
    return None


NOT_INTERVAL = (
    "Gini, Theil, MLD en Atkinson niet berekend: een score op een intervalschaal heeft geen "
    "betekenisvol nulpunt, dus verhoudingen tussen gebieden zeggen niets; in plaats daarvan "
    "standaardafwijking, interkwartielafstand en P90−P10."
)


def _side(values: np.ndarray, polarity: int) -> tuple[np.ndarray, str]:
    """The side of a share on which inequality is measured: the unfavourable one.

    Gini and Theil of a share differ from those of its complement (unemployment 8 % vs
    employment 92 %), so the side must be chosen and stated. The engine measures the
    disadvantage side: the share itself when a higher share is unfavourable, 100 − share when
    a higher share is favourable, and the share as published for neutral (context) indicators.
    """
    if polarity > 0:
        return 100.0 - values, "100 − aandeel (nadelige kant)"
    if polarity < 0:
        return values, "aandeel (nadelige kant)"
    return values, "aandeel zoals gepubliceerd (neutrale indicator)"


def _weights_for(part: pl.DataFrame) -> tuple[np.ndarray | None, str]:
    """Weights: the value's own base where published for every area, else the population.

    A share of pupils is weighted by its pupils (the denominator), a mean by its n; where the
    source gives no base, by the catalogue's population (children for indicators about
    children and pupils, households, dwellings or residents).
    """
    base = _np(part["denominator"])
    base = np.where(np.isfinite(base), base, _np(part["n"]))
    if np.all(np.isfinite(base) & (base > 0)):
        return base, "eigen basis (noemer of n)"
    w = _np(part["weight"])
    if np.all(np.isfinite(w) & (w > 0)):
        return w, str(part["weight_indicator"][0])
    return None, "ongewogen"


def compute_inequality(
    values: pl.DataFrame,
    inputs: StaatInputs,
    parameters: StaatParameters,
    warnings: list[str],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Inequality between areas per indicator × level × year, and its decomposition.

    Shares are measured on their unfavourable side (:func:`_side`); interval-scale scores get
    the standard deviation, the interquartile range and the P90 − P10 gap instead of ratio
    measures; a cell where nothing can be computed keeps a row saying why (``not_computed``).
    """
    catalogue = by_key(inputs.catalogue)
    frame = values.filter(
        ~pl.col("area_level").is_in(CITY_LEVELS)
        & (pl.col("group") == "totaal")
        & (pl.col("kind") != "count")
        & pl.col("shown_value").is_not_null()
    )
    rows: list[dict] = []
    decomposition_rows: list[dict] = []
    ancestors: dict[str, str | None] = {}
    for (key, level, period), part in frame.group_by(
        ["indicator", "area_level", "period"], maintain_order=True
    ):
        ind = catalogue[key]
        scale = measurement_scale(ind)
        x = _np(part["shown_value"])
        side = ""
        if scale == "share":
            x, side = _side(x, ind.polarity)
        wv, basis = _weights_for(part)
        row: dict = {
            "indicator": key,
            "area_level": level,
            "period": int(period),
            "areas": int(x.size),
            "scale": scale,
            "side": side,
            "weighted": wv is not None,
            "weight_basis": basis,
            "weight_other_year": bool(part["weight_other_year"].fill_null(False).any())
            and basis not in ("eigen basis (noemer of n)", "ongewogen"),
            "not_computed": None,
        }
        for name in ("gini", "theil"):
            row[name] = row[f"{name}_low"] = row[f"{name}_high"] = None
        row["mld"] = row["atkinson"] = None
        for name in ("sd", "sd_low", "sd_high", "iqr", "p90_p10"):
            row[name] = None
        seed = parameters.seed
        if x.size < 3:
            row["not_computed"] = "minder dan 3 gebieden met een getoonde waarde"
            rows.append(row)
            continue
        parents = None
        if level != "stadsdeel":
            found = [
                ancestors.setdefault(code, _ancestor_at(inputs, code, "stadsdeel"))
                for code in part["area_code"]
            ]
            if all(p is not None for p in found) and len(set(found)) >= 2:
                parents = np.array(found)
        if scale == "interval":
            row["not_computed"] = NOT_INTERVAL
            _interval_measures(row, x, wv, parameters)
            rows.append(row)
            if parents is not None:
                decomposition_rows.append(_variance_decomposition(row, x, wv, parents))
            continue
        if np.any(x < 0):
            row["not_computed"] = "negatieve waarden: ratiomaten niet gedefinieerd"
            rows.append(row)
            continue
        if not np.any(x > 0):
            row["not_computed"] = "alle waarden 0: ongelijkheid niet gedefinieerd"
            rows.append(row)
            continue
        for name, fn in (("gini", inequality.gini), ("theil", inequality.theil)):
            if parameters.n_boot == 0:  # point estimates only (documented for very large runs)
                row[name], row[f"{name}_low"], row[f"{name}_high"] = fn(x, wv), None, None
                continue
            try:
                interval = _interval(fn, x, wv, parameters)
            except ValueError:
                # a resample of only zeros has no Gini or Theil: no interval, say so
                row[name], row[f"{name}_low"], row[f"{name}_high"] = fn(x, wv), None, None
                row["not_computed"] = "geen interval: een deel van de trekkingen is geheel 0"
                continue
            row[name] = interval.estimate
            row[f"{name}_low"] = interval.low
            row[f"{name}_high"] = interval.high
        positive = bool(np.all(x > 0))
        row["mld"] = inequality.mean_log_deviation(x, wv) if positive else None
        row["atkinson"] = (
            inequality.atkinson(x, parameters.atkinson_epsilon, wv) if positive else None
        )
        rows.append(row)
        if parents is None or not positive:
            continue
        result = inequality.decompose_by_level(x, wv, parents, measure="theil")
        low = high = None
        chance: PermutationResult | None = None
        if parameters.n_boot:
            # Resampled within stadsdelen (each keeps its number of areas), and compared with
            # the share random assignment of areas to stadsdelen would give.
            options = {
                "groups": parents,
                "strata": parents,
                "component": "between_share",
                "n_boot": parameters.n_boot,
                "level": parameters.level,
                "seed": seed,
            }
            try:
                share = bootstrap_interval(
                    inequality.theil, x, wv, method=parameters.bootstrap_method, **options
                )
            except ValueError:
                share = bootstrap_interval(inequality.theil, x, wv, **options)
            low, high = share.low, share.high
            chance = between_share_permutation(x, wv, parents, n_perm=parameters.n_boot, seed=seed)
        decomposition_rows.append(
            {
                "indicator": key,
                "area_level": level,
                "by": "stadsdeel",
                "measure": "theil",
                "period": int(period),
                "total": result.total,
                "between": result.between,
                "within": result.within,
                "between_share": result.between_share,
                "between_share_low": low,
                "between_share_high": high,
                "chance_share_mean": chance.mean if chance else None,
                "chance_share_p95": chance.p95 if chance else None,
                "chance_p_value": chance.p_value if chance else None,
            }
        )
    if not any(r["not_computed"] is None or r["scale"] == "interval" for r in rows):
        warnings.append("Geen ongelijkheidsmaten: te weinig gebieden met getoonde waarden.")
    inequality_table = pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame()
    if not inequality_table.is_empty():
        inequality_table = inequality_table.sort("indicator", "area_level", "period")
    decomposition = (
        pl.DataFrame(decomposition_rows, infer_schema_length=None).sort(
            "indicator", "area_level", "period"
        )
        if decomposition_rows
        else pl.DataFrame()
    )
    return inequality_table, decomposition


def _interval(
    fn: Callable[..., float], x: np.ndarray, w: np.ndarray | None, parameters: StaatParameters
) -> Interval:
    """The run's bootstrap interval: BCa by default, percentile where BCa is not defined."""
    method = parameters.bootstrap_method
    try:
        return bootstrap_interval(
            fn,
            x,
            w,
            n_boot=parameters.n_boot,
            level=parameters.level,
            seed=parameters.seed,
            method=method,  # type: ignore[arg-type]
        )
    except ValueError:
        if method == "percentile":
            raise
        # BCa needs a finite acceleration; with a few extreme areas it may not have one.
        return bootstrap_interval(
            fn, x, w, n_boot=parameters.n_boot, level=parameters.level, seed=parameters.seed
        )


def _interval_measures(
    row: dict, x: np.ndarray, w: np.ndarray | None, parameters: StaatParameters
) -> None:
    """Standard deviation (with a bootstrap interval), IQR and P90 − P10 of interval scores."""
    row["sd"] = dispersion.weighted_sd(x, w)
    row["iqr"] = dispersion.quantile_gap(x, w, low=0.25, high=0.75)
    row["p90_p10"] = dispersion.quantile_gap(x, w, low=0.10, high=0.90)
    if parameters.n_boot:
        interval = _interval(dispersion.weighted_sd, x, w, parameters)
        row["sd_low"], row["sd_high"] = interval.low, interval.high


def _variance_decomposition(
    row: dict, x: np.ndarray, w: np.ndarray | None, parents: np.ndarray
) -> dict:
    """The share of the (weighted) variance between areas that lies between stadsdelen."""
    share = dispersion.between_variance_share(x, w, groups=parents)
    mean = float(np.average(x, weights=w))
    total = float(np.average((x - mean) ** 2, weights=w))
    return {
        "indicator": row["indicator"],
        "area_level": row["area_level"],
        "by": "stadsdeel",
        "measure": "variantie",
        "period": row["period"],
        "total": total,
        "between": total * share if np.isfinite(share) else None,
        "within": total * (1 - share) if np.isfinite(share) else None,
        "between_share": share if np.isfinite(share) else None,
        "between_share_low": None,
        "between_share_high": None,
        "chance_share_mean": None,
        "chance_share_p95": None,
        "chance_p_value": None,
    }


def _baseline(periods: list[int], baseline_year: int) -> tuple[int | None, int | None, str]:
    """Which years to compare: the baseline (or the nearest earlier year) and the latest."""
    if not periods:
        return None, None, "geen waarnemingen"
    latest = max(periods)
    before = [p for p in periods if p <= baseline_year]
    if before and latest > baseline_year:
        base = max(before)
        note = "" if base == baseline_year else f"basisjaar {baseline_year} ontbreekt; {base}"
        return base, latest, note
    # No observation after the baseline in this release: compare over the last five years
    # for context, and say so; never pretend it is a change since the baseline.
    window = [p for p in periods if p >= latest - 5 and p < latest]
    if not window:
        return None, None, "te weinig jaren"
    return min(window), latest, f"geen waarnemingen na {baseline_year}: {min(window)}–{latest}"


def compute_changes(
    values: pl.DataFrame,
    catalogue: dict[str, CatalogueIndicator],
    parameters: StaatParameters,
    warnings: list[str],
) -> pl.DataFrame:
    """Change since the baseline per area with a test, BH control and the change in gap."""
    shown = values.filter(pl.col("shown_value").is_not_null() & (pl.col("kind") != "count"))
    parts = []
    for (key,), part in shown.group_by(["indicator"], maintain_order=True):
        ind = catalogue[key]
        periods = sorted(set(part["period"].to_list()))
        base, latest, note = _baseline(periods, parameters.baseline_year)
        if base is None or latest is None:
            continue
        if note:
            warnings.append(f"{ind.name}: {note}")
        keys = ["area_code", "area_name", "area_level", "group"]
        then = part.filter(pl.col("period") == base).select(
            *keys, pl.col("shown_value").alias("base_value"), pl.col("n").alias("base_n")
        )
        now = part.filter(pl.col("period") == latest).select(
            *keys, pl.col("shown_value").alias("value"), pl.col("n").alias("now_n")
        )
        joined = then.join(now, on=keys, how="inner")
        if joined.is_empty():
            continue
        kind = _kind(ind)
        change = change_since_baseline(
            _np(joined["base_value"]),
            _np(joined["value"]),
            base_n=_np(joined["base_n"]),
            n=_np(joined["now_n"]),
            kind=kind,
            level=parameters.level,
        )
        joined = joined.with_columns(
            pl.lit(key).alias("indicator"),
            pl.lit(base).alias("base_year"),
            pl.lit(latest).alias("year"),
            pl.Series("change", np.atleast_1d(change.difference)),
            pl.Series("change_low", np.atleast_1d(change.low)),
            pl.Series("change_high", np.atleast_1d(change.high)),
            pl.Series("p_value", np.atleast_1d(change.p_value)),
            pl.lit(change.method).alias("method"),
            pl.lit(note).alias("note"),
        )
        # Benjamini–Hochberg comes later, once over the whole report (apply_report_fdr).
        gap_class = np.full(joined.height, None, dtype=object)
        gap_now = np.full(joined.height, np.nan)
        gap_base = np.full(joined.height, np.nan)
        gap_p = np.full(joined.height, np.nan)
        city = joined.filter(pl.col("area_level").is_in(CITY_LEVELS))
        for (level, group), _ in joined.group_by(["area_level", "group"]):
            mask = ((joined["area_level"] == level) & (joined["group"] == group)).to_numpy()
            ref = city.filter(pl.col("group") == group).head(1)
            if level in CITY_LEVELS or ref.is_empty():
                continue
            sub = joined.filter(mask)
            result = gap_change(
                _np(sub["base_value"]),
                float(ref["base_value"][0] if ref["base_value"][0] is not None else np.nan),
                _np(sub["value"]),
                float(ref["value"][0] if ref["value"][0] is not None else np.nan),
                area_base_n=_np(sub["base_n"]),
                reference_base_n=_np(ref["base_n"]).repeat(sub.height),
                area_now_n=_np(sub["now_n"]),
                reference_now_n=_np(ref["now_n"]).repeat(sub.height),
                kind=kind,
                polarity=ind.polarity or 1,
                level=parameters.level,
                alpha=parameters.alpha,
                reference_includes_area=True,
                control_fdr=False,
            )
            gap_class[mask] = np.atleast_1d(result.classification)
            gap_now[mask] = np.atleast_1d(result.gap_now)
            gap_base[mask] = np.atleast_1d(result.gap_base)
            gap_p[mask] = np.atleast_1d(result.p_value)
        parts.append(
            joined.with_columns(
                pl.Series("p_adjusted", np.full(joined.height, np.nan)),
                pl.Series("significant", np.zeros(joined.height, dtype=bool)),
                pl.Series("gap_p_value", gap_p),
                pl.Series("gap_base", gap_base),
                pl.Series("gap_now", gap_now),
                pl.Series("gap_change", gap_class.tolist(), dtype=pl.Utf8),
            )
        )
    return _concat(parts)


REPORT_FAMILY = (
    "alle toetsen die de rapportage screent: verandering sinds het basisjaar (per indicator, "
    "niveau, groep en gebied), verandering van de kloof met de rest van de stad, en de trend "
    "per reeks"
)


def apply_report_fdr(
    changes: pl.DataFrame, trends: pl.DataFrame, alpha: float
) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """Benjamini–Hochberg once over every test the report screens (not per indicator).

    The family is :data:`REPORT_FAMILY`. Returns both tables with ``p_adjusted`` and
    ``significant`` (and, for changes, ``gap_p_adjusted`` and the gap's classification) set,
    and the size of the family.
    """
    pieces = []
    if not changes.is_empty():
        pieces += [_np(changes["p_value"]), _np(changes["gap_p_value"])]
    if not trends.is_empty():
        pieces.append(_np(trends["p_value"]))
    if not pieces:
        return changes, trends, 0
    p = np.concatenate(pieces)
    finite = np.isfinite(p)
    adjusted = np.full(p.size, np.nan)
    if finite.any():
        adjusted[finite] = benjamini_hochberg(p[finite], alpha)[1]
    significant = np.isfinite(adjusted) & (adjusted <= alpha)
    at = 0
    if not changes.is_empty():
        h = changes.height
        adj, sig = adjusted[at : at + h], significant[at : at + h]
        gap_adj, gap_sig = adjusted[at + h : at + 2 * h], significant[at + h : at + 2 * h]
        at += 2 * h
        size_base = np.abs(_np(changes["gap_base"]))
        size_now = np.abs(_np(changes["gap_now"]))
        label = np.array(changes["gap_change"].to_list(), dtype=object)
        tested = np.isfinite(gap_adj)
        label[tested] = NO_CHANGE
        label[tested & gap_sig & (size_now < size_base)] = NARROWED
        label[tested & gap_sig & (size_now > size_base)] = WIDENED
        changes = changes.with_columns(
            pl.Series("p_adjusted", adj),
            pl.Series("significant", sig),
            pl.Series("gap_p_adjusted", gap_adj),
            pl.Series("gap_change", label.tolist(), dtype=pl.Utf8),
        )
    if not trends.is_empty():
        h = trends.height
        trends = trends.with_columns(
            pl.Series("p_adjusted", adjusted[at : at + h]),
            pl.Series("significant", significant[at : at + h]),
        )
    return changes, trends, int(finite.sum())


def compute_trends(values: pl.DataFrame, parameters: StaatParameters) -> pl.DataFrame:
    """OLS trend per area series, per indicator over the years from the baseline on.

    Where an indicator has too few years after the baseline (an older release), its last six
    observed years are used instead; ``window`` says which years.
    """
    shown = values.filter(pl.col("shown_value").is_not_null() & (pl.col("kind") != "count"))
    if shown.is_empty():
        return pl.DataFrame()
    keys = ["indicator", "area_code", "area_level", "group"]
    parts = []
    for (_key,), part in shown.group_by(["indicator"], maintain_order=True):
        wide = part.pivot(on="period", index=keys, values="shown_value", aggregate_function="first")
        years = sorted(int(c) for c in wide.columns if c not in keys)
        matrix = wide.select([str(y) for y in years]).to_numpy().astype(float)
        first = min(parameters.baseline_year, max(years) - 5)
        since = np.array(years) >= first
        window = np.where(since[None, :], matrix, np.nan)
        result = linear_trend(np.array(years, dtype=float), window)
        used = np.array(years)[since]
        parts.append(
            wide.select(keys).with_columns(
                pl.Series("slope_per_year", np.atleast_1d(result.slope)),
                pl.Series("slope_se", np.atleast_1d(result.stderr)),
                pl.Series("p_value", np.atleast_1d(result.p_value)),
                pl.Series("years_used", np.atleast_1d(result.n_points).astype(np.int64)),
                pl.lit(f"{used.min()}–{used.max()}" if used.size else "").alias("window"),
            )
        )
    return _concat(parts)


def compute_projections(
    values: pl.DataFrame,
    catalogue: dict[str, CatalogueIndicator],
    parameters: StaatParameters,
    projection_notes: list[dict] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """City value projected as continuation of trend, and distance to any targets.

    Only from at least :data:`MIN_PROJECTION_POINTS` observed years, and no further ahead than
    the observed span; what is not projected (or projected less far) is said in ``notes``.
    """
    notes = projection_notes if projection_notes is not None else []
    city = values.filter(
        pl.col("area_level").is_in(CITY_LEVELS)
        & (pl.col("group") == "totaal")
        & pl.col("shown_value").is_not_null()
        & (pl.col("kind") != "count")
    )
    rows = []
    slopes: dict[str, tuple[float, float, int]] = {}
    for (key,), part in city.group_by(["indicator"], maintain_order=True):
        part = part.sort("period")
        years = part["period"].to_numpy().astype(float)[-10:]
        series = _np(part["shown_value"])[-10:]
        if years.size < MIN_PROJECTION_POINTS:
            notes.append(
                {
                    "indicator": key,
                    "note": f"geen projectie: {years.size} waarnemingen, minimaal "
                    f"{MIN_PROJECTION_POINTS} nodig",
                }
            )
            continue
        last = int(years[-1])
        if last >= parameters.horizon_year:
            continue
        # No further ahead than the series reaches back (horizon ≤ observed span).
        span = int(years[-1] - years[0])
        end = min(parameters.horizon_year, last + span)
        if end < parameters.horizon_year:
            notes.append(
                {
                    "indicator": key,
                    "note": f"projectie tot {end} in plaats van {parameters.horizon_year}: niet "
                    f"verder vooruit dan de reeks terug gaat ({span} jaar)",
                }
            )
        future = np.arange(last + 1, end + 1)
        ind = catalogue[key]
        proj = project_linear(years, series, future, level=parameters.level, kind=_kind(ind))
        trend = linear_trend(years, series)
        slopes[key] = (float(series[-1]), float(np.atleast_1d(trend.slope)[0]), last)
        clipped = np.atleast_1d(proj.clipped)
        for i, year in enumerate(future):
            rows.append(
                {
                    "indicator": key,
                    "year": int(year),
                    "fit": float(np.atleast_1d(proj.display_fit)[i]),
                    "lower": float(np.atleast_1d(proj.display_lower)[i]),
                    "upper": float(np.atleast_1d(proj.display_upper)[i]),
                    "level": proj.level,
                    "years_used": int(years.size),
                    "clipped": bool(clipped[i]),
                    "label": proj.label,
                }
            )
    targets = []
    for key, target_value, target_year in parameters.targets:
        if key not in slopes:
            continue
        current, slope, year = slopes[key]
        ind = catalogue[key]
        dist = distance_to_target(
            current, year, target_value, target_year, slope=slope, polarity=ind.polarity or 1
        )
        targets.append(
            {
                "indicator": key,
                "current_value": current,
                "current_year": year,
                "target_value": target_value,
                "target_year": target_year,
                "gap_to_target": float(dist.gap_to_target),
                "required_change_per_year": float(dist.required_change_per_year),
                "current_slope": float(dist.current_slope),
                "projected_at_target_year": float(dist.projected_at_target_year),
                "status": str(dist.status),
            }
        )
    return (pl.DataFrame(rows) if rows else pl.DataFrame()), (
        pl.DataFrame(targets) if targets else pl.DataFrame()
    )


def _stacking_level(values: pl.DataFrame) -> str | None:
    """The level where most outcome indicators cover most areas (ties: the finer level)."""
    candidates = values.filter(~pl.col("area_level").is_in(CITY_LEVELS))
    if candidates.is_empty():
        return None
    latest = candidates.group_by("area_level", "indicator").agg(pl.col("period").max())
    coverage = (
        candidates.join(latest, on=["area_level", "indicator", "period"], how="inner")
        .group_by("area_level", "indicator")
        .agg(pl.col("area_code").n_unique().alias("covered"))
    )
    areas = candidates.group_by("area_level").agg(pl.col("area_code").n_unique().alias("areas"))
    scored = (
        coverage.join(areas, on="area_level")
        .filter(pl.col("areas") >= 5)
        .group_by("area_level")
        .agg((pl.col("covered") >= pl.col("areas") * 2 / 3).sum().alias("indicators"))
    )
    if scored.is_empty():
        return None
    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    best = max(scored.iter_rows(), key=lambda row: (row[1], rank.get(row[0], -1)))
    return str(best[0])


def compute_stacking(
    values: pl.DataFrame,
    catalogue: dict[str, CatalogueIndicator],
    parameters: StaatParameters,
    warnings: list[str],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Stacking of disadvantages per area: three methods and the stability of the classes."""
    outcomes = [
        key
        for key, ind in catalogue.items()
        if ind.polarity != 0 and ind.kind != "count" and ind.domain != "bevolking"
    ]
    frame = values.filter(
        pl.col("indicator").is_in(outcomes)
        & (pl.col("group") == "totaal")
        & pl.col("shown_value").is_not_null()
    )
    level = _stacking_level(frame)
    if level is None:
        return pl.DataFrame(), pl.DataFrame()
    frame = frame.filter(pl.col("area_level") == level)
    latest = frame.group_by("indicator").agg(pl.col("period").max().alias("latest"))
    frame = frame.join(latest, on="indicator").filter(pl.col("period") == pl.col("latest"))
    wide = frame.pivot(
        on="indicator", index="area_code", values="shown_value", aggregate_function="first"
    ).sort("area_code")
    areas = wide["area_code"].to_list()
    keys = [k for k in outcomes if k in wide.columns]
    # Indicators missing for more than a third of the areas would dominate by absence.
    keys = [k for k in keys if wide[k].null_count() <= len(areas) / 3]
    if len(keys) < 3 or len(areas) < 5:
        warnings.append("Stapeling niet berekend: te weinig indicatoren of gebieden.")
        return pl.DataFrame(), pl.DataFrame()
    matrix = wide.select(keys).to_numpy().astype(float)
    polarity = np.array([catalogue[k].polarity for k in keys], dtype=float)
    population = (
        values.filter((pl.col("indicator") == "inwoners") & (pl.col("area_level") == level))
        .sort("period")
        .group_by("area_code")
        .agg(pl.col("value").last())
    )
    pop = dict(zip(population["area_code"], population["value"], strict=True))
    # Areas with very few residents (port, parks) carry too small a base to rank: leave out.
    small = [a for a in areas if pop.get(a) is not None and pop[a] < STACKING_MIN_POPULATION]
    if small:
        keep = [i for i, a in enumerate(areas) if a not in small]
        matrix = matrix[keep]
        areas = [areas[i] for i in keep]
        warnings.append(
            f"Stapeling zonder {len(small)} gebied(en) met minder dan "
            f"{STACKING_MIN_POPULATION} inwoners: {', '.join(small)}."
        )
    pop_arr = np.array([pop.get(a) or np.nan for a in areas], dtype=float)
    count = stacking.count_beyond_threshold(
        matrix, polarity, threshold=parameters.stacking_threshold
    )
    zscore = stacking.zscore_composite(matrix, polarity, None, population=pop_arr)
    imd = stacking.imd_composite(matrix, polarity, None)
    sens = stacking.sensitivity(
        matrix,
        polarity,
        None,
        method="zscore",
        n_random=200,
        seed=parameters.seed,
        population=pop_arr,
        indicator_names=keys,
    )
    names = values.filter(pl.col("area_level") == level).select("area_code", "area_name").unique()
    table = pl.DataFrame(
        {
            "area_code": areas,
            "area_level": [level] * len(areas),
            "count_unfavourable": count.count.astype(np.int64),
            "indicators_available": count.n_available.astype(np.int64),
            "zscore_score": zscore.score,
            "zscore_rank": zscore.rank.astype(np.int64),
            "zscore_class": stacking.classify(zscore.score).astype(np.int64),
            "imd_score": imd.score,
            "imd_rank": imd.rank.astype(np.int64),
            "imd_class": stacking.classify(imd.score).astype(np.int64),
            "class_min": sens.min_class.astype(np.int64),
            "class_max": sens.max_class.astype(np.int64),
            "share_changed": sens.share_changed,
        }
    ).join(names, on="area_code", how="left")
    table = table.with_columns(
        pl.lit(", ".join(keys)).alias("indicators"),
        pl.lit(count.method).alias("count_method"),
    )
    alternatives = pl.DataFrame(
        {
            "alternative": list(sens.alternative_labels),
            "areas_changing_class": [
                int(np.sum((row != sens.base_class) & (row > 0))) for row in sens.classes
            ],
        }
    )
    return table.sort("zscore_rank"), alternatives


def _concat(parts: list[pl.DataFrame]) -> pl.DataFrame:
    parts = [p for p in parts if not p.is_empty()]
    return pl.concat(parts, how="diagonal_relaxed") if parts else pl.DataFrame()


def compute_state(
    inputs: StaatInputs,
    parameters: StaatParameters | None = None,
    *,
    progress: Progress | None = None,
) -> StaatResult:
    """Run every step on ``inputs`` and return all numbers as tables.

    Examples
    --------
    >>> from kansenaudit.staat.inputs_demo import inputs_from_demo
    >>> result = compute_state(inputs_from_demo(), StaatParameters(n_boot=49))
    >>> result.inequality.filter(pl.col("area_level") == "buurt").height > 0
    True
    """
    parameters = parameters or StaatParameters()
    catalogue = by_key(inputs.catalogue)
    warnings: list[str] = []
    timings: dict[str, float] = {}

    def step(label: str, fn: Callable[[], object]) -> object:
        if progress:
            progress(label)
        start = time.perf_counter()
        out = fn()
        timings[label] = time.perf_counter() - start
        return out

    values = step("openbaarheid", lambda: prepare_values(inputs))
    gaps = step("verschillen", lambda: compute_gaps(values, catalogue, parameters.level))
    group_gaps = compute_group_gaps(values, catalogue, parameters.level)
    ineq, decomp = step(
        "ongelijkheid", lambda: compute_inequality(values, inputs, parameters, warnings)
    )
    changes = step(
        "veranderingen", lambda: compute_changes(values, catalogue, parameters, warnings)
    )
    trends = step("trends", lambda: compute_trends(values, parameters))
    changes, trends, family = apply_report_fdr(changes, trends, parameters.alpha)
    if family:
        warnings.append(
            f"Meervoudig toetsen: Benjamini–Hochberg (α = {format_number(parameters.alpha)}) over "
            f"{format_number(family)} toetsen samen, namelijk {REPORT_FAMILY}."
        )
    projection_notes: list[dict] = []
    projections, targets = step(
        "projecties",
        lambda: compute_projections(values, catalogue, parameters, projection_notes),
    )
    for item in projection_notes:
        name = catalogue[item["indicator"]].name
        warnings.append(f"{name}: {item['note']}.")
    stack, sensitivity = step(
        "stapeling", lambda: compute_stacking(values, catalogue, parameters, warnings)
    )
    suppressed = values.filter(
        pl.col("suppressed").is_not_null() & ~pl.col("suppressed").is_in(["missing", SECONDARY])
    ).height
    if suppressed:
        warnings.append(
            f"{format_number(suppressed)} waarden niet getoond wegens te kleine aantallen."
        )
    secondary = values.filter(pl.col("suppressed") == SECONDARY).height
    if secondary:
        warnings.append(
            f"{format_number(secondary)} waarden niet getoond om terugrekenen door aftrekken "
            "te voorkomen."
        )
    withheld = pl.col("suppressed").is_not_null() & (pl.col("suppressed") != "missing")
    shown = values.select(
        "indicator",
        "area_code",
        "area_name",
        "area_level",
        "group",
        "period",
        pl.col("shown_value").alias("value"),
        "n",
        # The counts behind a withheld share would give the share away: blank them too.
        pl.when(withheld).then(None).otherwise(pl.col("numerator")).alias("numerator"),
        pl.when(withheld).then(None).otherwise(pl.col("denominator")).alias("denominator"),
        "suppressed",
        "unit",
        "source",
        "release",
        "source_file",
        "row",
        "flags",
    )
    return StaatResult(
        inputs=inputs,
        parameters=parameters,
        values=shown,
        gaps=gaps,
        inequality=ineq,
        decomposition=decomp,
        changes=changes,
        trends=trends,
        projections=projections,
        targets=targets,
        stacking=stack,
        stacking_sensitivity=sensitivity,
        group_gaps=group_gaps,
        warnings=warnings,
        timings=timings,
    )
