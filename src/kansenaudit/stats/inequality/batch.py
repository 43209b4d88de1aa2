# SPDX-License-Identifier: EUPL-1.2
"""Batch versions: one statistic per row, for bootstrap replicates."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import xlogy

from kansenaudit.stats.inequality._common import (
    FloatArray,
)


def gini_rows(values: ArrayLike, weights: ArrayLike | None = None) -> FloatArray:
    r"""Weighted Gini of every row of a (replicates × observations) array at once.

    Same definition as :func:`gini` (the Lorenz-curve form
    :math:`G = 1 - \sum_i p_i (L_{i-1} + L_i)` over values sorted ascending, with population
    shares :math:`p_i` and cumulative value shares :math:`L_i`), evaluated row by row with one
    sort, so a bootstrap of a few hundred replicates costs about as much as one call per row
    of a compiled loop. Used by :func:`kansenaudit.stats.bootstrap.bootstrap_interval`.

    Reference: Cowell, F. A. (2011). *Measuring Inequality*, 3rd ed., §2.3 (the Lorenz curve).

    Examples
    --------
    A row whose values are all zero has no Gini (:func:`gini` raises for it); its entry is
    NaN, so a bootstrap that draws such a sample fails loudly instead of reporting 1.

    >>> from kansenaudit.stats.inequality import gini
    >>> x = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 2.0, 2.0]])
    >>> np.round(gini_rows(x), 6).tolist() == [round(gini(x[0]), 6), 0.0]
    True
    >>> gini_rows(np.zeros((1, 3))).tolist()
    [nan]
    """
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError("gini_rows: values must be two-dimensional (replicates × observations)")
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=np.float64)
    order = np.argsort(x, axis=1, kind="stable")
    xs = np.take_along_axis(x, order, axis=1)
    ws = np.take_along_axis(w, order, axis=1)
    p = ws / ws.sum(axis=1, keepdims=True)
    mass = np.cumsum(ws * xs, axis=1)
    total = mass[:, -1:]
    lorenz = np.divide(mass, total, out=np.zeros_like(mass), where=total > 0)
    previous = np.concatenate([np.zeros((x.shape[0], 1)), lorenz[:, :-1]], axis=1)
    result = 1.0 - np.sum(p * (previous + lorenz), axis=1)
    return np.where(total[:, 0] > 0, result, np.nan)


def theil_rows(values: ArrayLike, weights: ArrayLike | None = None) -> FloatArray:
    r"""Weighted Theil T of every row: :math:`T = \sum_i p_i (x_i/\mu) \ln(x_i/\mu)`.

    Zero values contribute 0 (the limit of :math:`r \ln r`). Reference: Theil, H. (1967).
    *Economics and Information Theory*; Cowell (2011) §3.2.

    Examples
    --------
    >>> from kansenaudit.stats.inequality import theil
    >>> x = np.array([[1.0, 2.0, 3.0, 4.0]])
    >>> bool(np.isclose(theil_rows(x)[0], theil(x[0])))
    True
    """
    x = np.asarray(values, dtype=np.float64)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=np.float64)
    p = w / w.sum(axis=1, keepdims=True)
    mu = np.sum(p * x, axis=1, keepdims=True)
    r = np.divide(x, mu, out=np.zeros_like(x), where=mu > 0)
    # All-zero rows have no Theil (theil() raises): NaN, as in gini_rows.
    return np.where(mu[:, 0] > 0, np.sum(p * xlogy(r, r), axis=1), np.nan)


def theil_between_share_rows(
    values: ArrayLike, weights: ArrayLike | None, groups: ArrayLike
) -> FloatArray:
    r"""Share of Theil T that lies between groups, for every row.

    Between-group Theil: :math:`T_B = \sum_g P_g (\mu_g/\mu) \ln(\mu_g/\mu)` with population
    shares :math:`P_g` and group means :math:`\mu_g` (Shorrocks 1980); the share is
    :math:`T_B / T` (0 when :math:`T = 0`). ``groups`` holds integer group numbers per cell.

    Examples
    --------
    >>> x = np.array([[1.0, 1.0, 3.0, 3.0]])
    >>> theil_between_share_rows(x, None, np.array([[0, 0, 1, 1]])).tolist()
    [1.0]
    """
    x = np.asarray(values, dtype=np.float64)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=np.float64)
    g = np.asarray(groups, dtype=np.intp)
    rows, _ = x.shape
    k = int(g.max()) + 1
    flat = (np.arange(rows)[:, None] * k + g).ravel()
    pop = np.bincount(flat, weights=w.ravel(), minlength=rows * k).reshape(rows, k)
    mass = np.bincount(flat, weights=(w * x).ravel(), minlength=rows * k).reshape(rows, k)
    total_pop = pop.sum(axis=1, keepdims=True)
    mu = mass.sum(axis=1, keepdims=True) / total_pop
    mu_g = np.divide(mass, pop, out=np.zeros_like(mass), where=pop > 0)
    r = np.divide(mu_g, mu, out=np.zeros_like(mu_g), where=mu > 0)
    between = np.sum((pop / total_pop) * xlogy(r, r), axis=1)
    total = theil_rows(x, w)
    return np.divide(between, total, out=np.zeros_like(total), where=total > 0)
