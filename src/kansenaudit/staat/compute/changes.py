# SPDX-License-Identifier: EUPL-1.2
"""Change since the baseline per area, the gap's change, trends per area, and the
report-wide Benjamini–Hochberg correction over all of them.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from kansenaudit.data.catalogue import (
    CatalogueIndicator,
)
from kansenaudit.staat.compute._common import _concat, _kind, _np
from kansenaudit.staat.model import (
    CITY_LEVELS,
    StaatParameters,
)
from kansenaudit.stats.multiple_testing import benjamini_hochberg
from kansenaudit.stats.trends import (
    NARROWED,
    NO_CHANGE,
    WIDENED,
    change_since_baseline,
    gap_change,
    linear_trend,
)


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
