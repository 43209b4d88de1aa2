# SPDX-License-Identifier: EUPL-1.2
"""Stacking of disadvantages per area with three methods side by side and a sensitivity
check of the classes.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from kansenaudit.data.catalogue import (
    CatalogueIndicator,
)
from kansenaudit.staat.model import (
    CITY_LEVELS,
    LEVEL_ORDER,
    StaatParameters,
)
from kansenaudit.stats import stacking

STACKING_MIN_POPULATION = 1000


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
