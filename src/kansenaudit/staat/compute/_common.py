# SPDX-License-Identifier: EUPL-1.2
"""Helpers the steps of :mod:`kansenaudit.staat.compute` share."""

from __future__ import annotations

from typing import Literal

import numpy as np
import polars as pl

from kansenaudit.data.catalogue import (
    CatalogueIndicator,
)


def _kind(indicator: CatalogueIndicator) -> Literal["share", "mean"]:
    return "share" if indicator.kind == "share" else "mean"


def _np(series: pl.Series) -> np.ndarray:
    return series.cast(pl.Float64).fill_null(np.nan).to_numpy()


def _concat(parts: list[pl.DataFrame]) -> pl.DataFrame:
    parts = [p for p in parts if not p.is_empty()]
    return pl.concat(parts, how="diagonal_relaxed") if parts else pl.DataFrame()
