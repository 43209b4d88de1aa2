# SPDX-License-Identifier: EUPL-1.2
"""A comparison point for a between-group share: what random grouping would give.

The share of inequality that lies between stadsdelen is never 0 in data: even if gebieden were
assigned to stadsdelen at random, the stadsdeel means would differ by chance and the between
share would be positive. :func:`between_share_permutation` gives that reference: the
distribution of the between share when the stadsdeel labels are shuffled among the areas
(keeping every stadsdeel's number of areas), so the observed share can be read against it
(docs/methods/bootstrap.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import xlogy

from kansenaudit.stats.inequality import theil_between_share_rows, theil_rows

__all__ = ["PermutationResult", "between_share_permutation"]


@dataclass(frozen=True)
class PermutationResult:
    """Observed between share, its permutation distribution's mean and 95th percentile, and
    the permutation p-value (share of shuffles at least as large, counting the observed)."""

    observed: float
    mean: float
    p95: float
    p_value: float
    n_perm: int


def between_share_permutation(
    values: ArrayLike,
    weights: ArrayLike | None,
    groups: ArrayLike,
    *,
    n_perm: int = 999,
    seed: int = 0,
) -> PermutationResult:
    """Theil's between-group share under random assignment of areas to groups.

    Examples
    --------
    >>> x = [10.0, 11.0, 12.0, 30.0, 31.0, 32.0]
    >>> r = between_share_permutation(x, None, ["a", "a", "a", "b", "b", "b"], n_perm=199)
    >>> round(r.observed, 3), r.p_value < 0.1, r.mean < r.observed
    (0.992, True, True)
    """
    x = np.asarray(values, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    _, codes = np.unique(np.asarray(groups), return_inverse=True)
    observed = float(theil_between_share_rows(x[None, :], w[None, :], codes[None, :])[0])
    perm_codes = codes[_shuffles(seed, n_perm, x.size)]  # values and weights stay with their area
    shares = _between_shares(x, w, perm_codes)
    p_value = (1 + int(np.sum(shares >= observed - 1e-12))) / (n_perm + 1)
    return PermutationResult(
        observed=observed,
        mean=float(shares.mean()),
        p95=float(np.quantile(shares, 0.95)),
        p_value=p_value,
        n_perm=int(n_perm),
    )


# The same seed, count and number of areas give the same shuffles: every indicator-year of a
# level shuffles the same areas, so the shuffles are drawn once and reused (read-only).
_SHUFFLES: dict[tuple[int, int, int], np.ndarray] = {}


def _shuffles(seed: int, n_perm: int, n: int) -> np.ndarray:
    key = (int(seed), int(n_perm), int(n))
    order = _SHUFFLES.get(key)
    if order is None:
        rng = np.random.default_rng(seed)
        order = np.argsort(rng.random((n_perm, n)), axis=1)
        order.flags.writeable = False
        if len(_SHUFFLES) >= 64:
            _SHUFFLES.pop(next(iter(_SHUFFLES)))
        _SHUFFLES[key] = order
    return order


def _between_shares(x: np.ndarray, w: np.ndarray, perm_codes: np.ndarray) -> np.ndarray:
    """Between-group share of Theil T for every row of group labels.

    The values and weights are the same in every row (only the labels move), so the total
    Theil and the city mean are computed once; the rows differ only in their group sums. Same
    formula as :func:`~kansenaudit.stats.inequality.theil_between_share_rows`.
    """
    total = float(theil_rows(x[None, :], w[None, :])[0])
    rows = perm_codes.shape[0]
    k = int(perm_codes.max()) + 1
    flat = (np.arange(rows)[:, None] * k + perm_codes).ravel()
    pop = np.bincount(flat, weights=np.tile(w, rows), minlength=rows * k).reshape(rows, k)
    mass = np.bincount(flat, weights=np.tile(w * x, rows), minlength=rows * k).reshape(rows, k)
    total_pop = float(w.sum())
    mu = float((w * x).sum()) / total_pop
    mu_g = np.divide(mass, pop, out=np.zeros_like(mass), where=pop > 0)
    r = mu_g / mu if mu > 0 else np.zeros_like(mu_g)
    between = np.sum((pop / total_pop) * xlogy(r, r), axis=1)
    return between / total if total > 0 else np.zeros(rows)
