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

from kansenaudit.stats.inequality import theil_between_share_rows

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
    rng = np.random.default_rng(seed)
    shuffled = np.argsort(rng.random((n_perm, x.size)), axis=1)
    perm_codes = codes[shuffled]  # labels shuffled, values and weights stay with their area
    shares = theil_between_share_rows(
        np.broadcast_to(x, (n_perm, x.size)), np.broadcast_to(w, (n_perm, x.size)), perm_codes
    )
    p_value = (1 + int(np.sum(shares >= observed - 1e-12))) / (n_perm + 1)
    return PermutationResult(
        observed=observed,
        mean=float(shares.mean()),
        p95=float(np.quantile(shares, 0.95)),
        p_value=p_value,
        n_perm=int(n_perm),
    )
