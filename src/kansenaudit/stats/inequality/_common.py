# SPDX-License-Identifier: EUPL-1.2
"""Checks and helpers every measure shares: values, weights, weighted mean."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def _as_values(values: ArrayLike, name: str) -> FloatArray:
    try:
        x = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: values must be numbers ({exc})") from exc
    if x.ndim != 1:
        raise ValueError(f"{name}: values must be one-dimensional, got shape {x.shape}")
    if x.size == 0:
        raise ValueError(f"{name}: no values given; inequality needs at least one value")
    if not np.isfinite(x).all():
        n_nan = int(np.isnan(x).sum())
        n_inf = int(np.isinf(x).sum())
        raise ValueError(
            f"{name}: values contain {n_nan} missing (NaN) and {n_inf} infinite entries; "
            "remove those areas (or impute them) before computing inequality"
        )
    low = float(x.min())
    if low < 0:
        raise ValueError(
            f"{name}: values must be non-negative; found {int((x < 0).sum())} negative "
            f"value(s), the smallest {low:g}"
        )
    return x


def _as_weights(weights: ArrayLike | None, n: int, name: str) -> FloatArray | None:
    if weights is None:
        return None
    try:
        w = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: weights must be numbers ({exc})") from exc
    if w.ndim != 1:
        raise ValueError(f"{name}: weights must be one-dimensional, got shape {w.shape}")
    if w.size != n:
        raise ValueError(f"{name}: {n} values but {w.size} weights; lengths must match")
    if not np.isfinite(w).all():
        raise ValueError(f"{name}: weights contain missing (NaN) or infinite entries")
    if float(w.min()) <= 0:
        raise ValueError(
            f"{name}: weights must be positive; found {int((w <= 0).sum())} zero or negative "
            "weight(s). Leave out areas without population rather than weighting them by 0"
        )
    return w


def _require_positive(x: FloatArray, name: str, why: str) -> None:
    zeros = int((x == 0).sum())
    if zeros:
        raise ValueError(
            f"{name}: values must be strictly positive ({why}); found {zeros} zero value(s)"
        )


def _weighted_mean(a: FloatArray, w: FloatArray | None, total_weight: float) -> float:
    # np.sum's pairwise summation rather than np.dot: more accurate on long arrays, and free of
    # the multithreaded BLAS that stalls when other processes share the cores.
    return float(a.mean()) if w is None else float(np.multiply(w, a).sum() / total_weight)
