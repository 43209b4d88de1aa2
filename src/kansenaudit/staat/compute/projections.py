# SPDX-License-Identifier: EUPL-1.2
"""Projections of the city value as continuation of trend, and distance to targets."""

from __future__ import annotations

import numpy as np
import polars as pl

from kansenaudit.data.catalogue import (
    CatalogueIndicator,
)
from kansenaudit.staat.compute._common import _kind, _np
from kansenaudit.staat.model import (
    CITY_LEVELS,
    StaatParameters,
)
from kansenaudit.stats.projection import (
    MIN_PROJECTION_POINTS,
    distance_to_target,
    project_linear,
)
from kansenaudit.stats.trends import (
    linear_trend,
)


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
        current, slope, current_year = slopes[key]
        ind = catalogue[key]
        dist = distance_to_target(
            current,
            current_year,
            target_value,
            target_year,
            slope=slope,
            polarity=ind.polarity or 1,
        )
        targets.append(
            {
                "indicator": key,
                "current_value": current,
                "current_year": current_year,
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
