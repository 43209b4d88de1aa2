# SPDX-License-Identifier: EUPL-1.2
"""Disclosure first: the observed values with their weights and suppression reasons.

Every value gets its suppression reason before anything is derived from it, so a withheld
value never leaks through a gap, a ranking or a map.
"""

from __future__ import annotations

import polars as pl

from kansenaudit.data.catalogue import (
    WEIGHT_INDICATORS,
    CatalogueIndicator,
)
from kansenaudit.staat.compute._common import _np
from kansenaudit.staat.model import (
    StaatInputs,
)
from kansenaudit.staat.secondary import apply_secondary
from kansenaudit.stats.disclosure import suppression_reasons


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
