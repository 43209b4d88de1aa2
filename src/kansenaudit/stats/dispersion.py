# SPDX-License-Identifier: EUPL-1.2
"""Spread between areas for scores on an interval scale (no meaningful zero).

Gini, Theil, MLD and Atkinson compare values as *ratios*: they are only meaningful when zero
means "none of it" (income in euro, a share of persons). A test score, a report mark, an index
(Amsterdam 2014 = 100) or the SES-WOA score (0 = the national mean, negative values common) has
an arbitrary zero: adding a constant changes every ratio measure but not the differences between
areas. For those indicators the engine uses measures that do not depend on where zero lies:

- the weighted standard deviation between areas;
- the weighted interquartile range (P75 − P25) and the P90 − P10 gap (differences, not ratios);
- the share of the variance between areas that lies *between* stadsdelen (a one-way analysis of
  variance on area values, weighted).

See docs/methods/inequality.md.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "between_variance_share",
    "quantile_gap",
    "weighted_quantile",
    "weighted_sd",
    "weighted_sd_rows",
]


def _prepare(values: ArrayLike, weights: ArrayLike | None) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(values, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    if x.ndim != 1 or w.shape != x.shape:
        raise ValueError("values and weights must be one-dimensional and of the same length")
    if x.size == 0 or not np.all(np.isfinite(x)):
        raise ValueError("values must be finite and not empty")
    if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError("weights must be finite, non-negative and not all zero")
    return x, w


def weighted_sd(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """Weighted standard deviation of area values (population form: the areas are all areas).

    Examples
    --------
    >>> round(weighted_sd([1.0, 3.0]), 6)
    1.0
    >>> round(weighted_sd([1.0, 3.0], [3, 1]), 4)
    0.866
    """
    x, w = _prepare(values, weights)
    mean = float(np.sum(w * x) / np.sum(w))
    return float(np.sqrt(np.sum(w * (x - mean) ** 2) / np.sum(w)))


def weighted_sd_rows(values: ArrayLike, weights: ArrayLike | None = None) -> np.ndarray:
    """:func:`weighted_sd` of every row of a (replicates × areas) array, for the bootstrap.

    >>> x = np.array([[1.0, 3.0], [2.0, 2.0]])
    >>> weighted_sd_rows(x, np.array([[3.0, 1.0], [1.0, 1.0]])).round(4).tolist()
    [0.866, 0.0]
    """
    x = np.asarray(values, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    total = w.sum(axis=1, keepdims=True)
    mean = np.sum(w * x, axis=1, keepdims=True) / total
    return np.sqrt(np.sum(w * (x - mean) ** 2, axis=1) / total[:, 0])


def weighted_quantile(values: ArrayLike, q: float, weights: ArrayLike | None = None) -> float:
    """The ``q``-quantile of area values, each counted with its weight (residents).

    Uses the midpoint rule: each area covers the part of the cumulative weight it holds, and
    its value stands at the middle of that part; between midpoints the quantile is interpolated
    linearly. Unweighted, this is numpy's ``method="hazen"``.

    Examples
    --------
    >>> weighted_quantile([1.0, 2.0, 3.0, 4.0], 0.5)
    2.5
    >>> bool(np.isclose(weighted_quantile([1.0, 2.0, 3.0, 4.0], 0.9),
    ...                 np.quantile([1.0, 2.0, 3.0, 4.0], 0.9, method="hazen")))
    True
    """
    x, w = _prepare(values, weights)
    if not 0 <= q <= 1:
        raise ValueError("q must lie between 0 and 1")
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    keep = ws > 0
    xs, ws = xs[keep], ws[keep]
    mid = (np.cumsum(ws) - ws / 2) / ws.sum()
    return float(np.interp(q, mid, xs))


def quantile_gap(
    values: ArrayLike, weights: ArrayLike | None = None, *, low: float, high: float
) -> float:
    """``P(high) − P(low)``: e.g. ``low=0.25, high=0.75`` is the interquartile range.

    Examples
    --------
    >>> quantile_gap([1.0, 2.0, 3.0, 4.0], low=0.25, high=0.75)
    2.0
    """
    return weighted_quantile(values, high, weights) - weighted_quantile(values, low, weights)


def between_variance_share(
    values: ArrayLike, weights: ArrayLike | None = None, *, groups: ArrayLike
) -> float:
    """Share of the weighted variance between areas that lies between their groups (stadsdelen).

    ``Σ_g W_g (m_g − m)² / Σ_i w_i (x_i − m)²`` with ``m`` the weighted mean, ``m_g`` and
    ``W_g`` the weighted mean and total weight of group ``g``. Unlike Theil's between share it
    does not change when a constant is added to every value. NaN when all values are equal.

    Examples
    --------
    >>> between_variance_share([1.0, 1.0, 3.0, 3.0], groups=["a", "a", "b", "b"])
    1.0
    >>> between_variance_share([1.0, 3.0, 1.0, 3.0], groups=["a", "a", "b", "b"])
    0.0
    """
    x, w = _prepare(values, weights)
    g = np.asarray(groups)
    if g.shape != x.shape:
        raise ValueError("groups must have one label per value")
    mean = np.sum(w * x) / np.sum(w)
    total = float(np.sum(w * (x - mean) ** 2))
    if total <= 0:
        return float("nan")
    _, codes = np.unique(g, return_inverse=True)
    group_w = np.bincount(codes, weights=w)
    group_m = np.bincount(codes, weights=w * x) / np.where(group_w > 0, group_w, 1)
    between = float(np.sum(group_w * (group_m - mean) ** 2))
    return between / total
