# SPDX-License-Identifier: EUPL-1.2
"""Inequality between areas per indicator, level and year, and its split between and
within stadsdelen.

Population-weighted Gini, Theil T, mean log deviation and Atkinson with bootstrap intervals;
dispersion measures for scores on an interval scale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl

from kansenaudit.data.catalogue import (
    by_key,
    measurement_scale,
)
from kansenaudit.staat.compute._common import _np
from kansenaudit.staat.model import (
    CITY_LEVELS,
    StaatInputs,
    StaatParameters,
)
from kansenaudit.stats import dispersion, inequality
from kansenaudit.stats.bootstrap import Interval, bootstrap_interval
from kansenaudit.stats.permutation import PermutationResult, between_share_permutation


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
            options: dict[str, Any] = {
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
