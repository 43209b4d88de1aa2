# SPDX-License-Identifier: EUPL-1.2
"""Control of false discoveries when many areas are tested at once.

Testing 500 buurten at the 5 % level flags about 25 of them by chance alone. The
Benjamini–Hochberg procedure keeps the expected share of false findings among the flagged areas
(the false discovery rate) at ``alpha``. See ``docs/methods/trends.md``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["benjamini_hochberg"]


def benjamini_hochberg(pvalues: ArrayLike, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Benjamini–Hochberg step-up procedure: which tests are significant at FDR ``alpha``.

    Parameters
    ----------
    pvalues : array_like
        p-values of any shape; NaN means "not tested" and is ignored.
    alpha : float
        False discovery rate to control, default 0.05.

    Returns
    -------
    rejected : ndarray of bool
        True where the null hypothesis is rejected (False for NaN input).
    adjusted : ndarray of float
        BH-adjusted p-values ("q-values"), NaN where the input was NaN.

    Notes
    -----
    Sort the m non-missing p-values p₍₁₎ ≤ … ≤ p₍ₘ₎. The adjusted value of the i-th is

    .. math:: \\tilde p_{(i)} = \\min_{j \\ge i} \\min\\left(1, \\frac{m}{j} p_{(j)}\\right)

    and a test is rejected when its adjusted value is ≤ alpha, which equals rejecting
    H₍₁₎ … H₍ₖ₎ for the largest k with p₍ₖ₎ ≤ k·alpha/m. Missing p-values do not count in m.
    The procedure is valid for independent tests and for positively dependent ones (neighbouring
    areas usually are); it is not a correction for testing many *indicators* per area unless
    all are passed in one call.

    References
    ----------
    Benjamini, Y., Hochberg, Y. (1995). Controlling the false discovery rate: a practical and
    powerful approach to multiple testing. *Journal of the Royal Statistical Society B* 57,
    289–300.
    Benjamini, Y., Yekutieli, D. (2001). The control of the false discovery rate in multiple
    testing under dependency. *Annals of Statistics* 29, 1165–1188.

    Examples
    --------
    >>> rejected, adjusted = benjamini_hochberg([0.01, 0.04, 0.03, np.nan, 0.20])
    >>> rejected
    array([ True, False, False, False, False])
    >>> np.round(adjusted, 3)
    array([0.04 , 0.053, 0.053,   nan, 0.2  ])
    """
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha!r}")
    p = np.asarray(pvalues, dtype=float)
    flat = p.ravel()
    valid = np.isfinite(flat)
    if np.any((flat[valid] < 0.0) | (flat[valid] > 1.0)):
        raise ValueError("p-values must lie between 0 and 1")
    tested = flat[valid]
    m = tested.size
    adjusted = np.full(flat.shape, np.nan)
    if m:
        order = np.argsort(tested, kind="stable")
        scaled = tested[order] * m / np.arange(1, m + 1)
        # Running minimum from the largest p-value down makes the adjustment monotone.
        monotone = np.minimum.accumulate(scaled[::-1])[::-1]
        back = np.empty(m)
        back[order] = np.minimum(monotone, 1.0)
        adjusted[valid] = back
    rejected = np.zeros(flat.shape, dtype=bool)
    rejected[valid] = adjusted[valid] <= alpha
    return rejected.reshape(p.shape), adjusted.reshape(p.shape)
