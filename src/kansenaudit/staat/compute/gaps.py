# SPDX-License-Identifier: EUPL-1.2
"""Gaps of each area (and each group) to the city, with intervals where n is known."""

from __future__ import annotations

import numpy as np
import polars as pl

from kansenaudit.data.catalogue import (
    CatalogueIndicator,
)
from kansenaudit.staat.compute._common import _concat, _kind, _np
from kansenaudit.staat.model import (
    CITY_LEVELS,
)
from kansenaudit.stats.gaps import GapResult, gap


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


def _reference_columns(
    result: GapResult, n: np.ndarray, reference_n: np.ndarray
) -> list[pl.Series]:
    """What each gap is measured against: the rest of the city, or the city where n is unknown.

    The city contains the area (and the total contains the group), so the area is compared with
    the rest of the city (city minus area) wherever both n are known; where they are not, only
    the city itself is available, and the row says so.
    """
    reference = np.broadcast_to(
        np.asarray(result.reference_value, dtype=np.float64),
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
