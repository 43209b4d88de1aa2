# SPDX-License-Identifier: EUPL-1.2
"""The Atkinson index with inequality aversion ε."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from kansenaudit.stats.inequality._common import (
    _as_values,
    _as_weights,
    _require_positive,
    _weighted_mean,
)


def atkinson(values: ArrayLike, epsilon: float, weights: ArrayLike | None = None) -> float:
    r"""Atkinson index with inequality aversion ``epsilon``, weighted by ``weights``.

    Parameters
    ----------
    values : one non-negative value per area; strictly positive when ε ≥ 1
    epsilon : inequality aversion ε ≥ 0: 0 means indifference to inequality (index 0); the
        larger ε, the more weight goes to the bottom of the distribution. Common choices are
        0.5, 1 and 2
    weights : one positive weight per area (e.g. residents); ``None`` counts every area once

    Returns
    -------
    float
        A in [0, 1): the share of the mean that could be given up, with equal shares, without
        lowering social welfare.

    Notes
    -----
    With population shares :math:`p_i = w_i / W` and weighted mean :math:`\mu`, the *equally
    distributed equivalent* is

    .. math::
        \xi_\varepsilon = \Bigl(\sum_i p_i x_i^{1-\varepsilon}\Bigr)^{1/(1-\varepsilon)}
        \ (\varepsilon \ne 1), \qquad \xi_1 = \exp\Bigl(\sum_i p_i \ln x_i\Bigr),

    (a weighted power mean; for ε = 1 the geometric mean) and :math:`A_\varepsilon = 1 -
    \xi_\varepsilon / \mu`. It is linked to GE by :math:`A_1 = 1 - e^{-GE(0)}`. For ε > 1 the
    power mean is evaluated on the log scale, so very small values cannot overflow.

    References
    ----------
    Atkinson, A. B. (1970). On the measurement of inequality. *Journal of Economic Theory*,
    2(3), 244–263.
    Cowell, F. A. (2011). *Measuring Inequality* (3rd ed.). Oxford University Press.

    Examples
    --------
    >>> round(atkinson([10, 20, 30, 40, 50], 0.5), 5)
    0.06315
    >>> round(atkinson([1, 4], 1), 4)  # 1 - geometric mean 2 / mean 2.5
    0.2
    >>> atkinson([1, 4], 0)
    0.0
    """
    name = "atkinson"
    eps = float(epsilon)
    if not np.isfinite(eps) or eps < 0:
        raise ValueError(f"{name}: epsilon must be a finite number ≥ 0, got {epsilon!r}")
    x = _as_values(values, name)
    w = _as_weights(weights, x.size, name)
    if eps >= 1:
        _require_positive(x, name, "a log or negative power is taken when epsilon ≥ 1")
    total_weight = float(x.size) if w is None else float(w.sum())
    mean = _weighted_mean(x, w, total_weight)
    if mean == 0:
        raise ValueError(f"{name}: all values are zero, so the index is undefined")
    if eps == 0:
        return 0.0
    r = x / mean
    if eps == 1:
        ratio = float(np.exp(_weighted_mean(np.log(r), w, total_weight)))
    elif eps < 1:
        ratio = _weighted_mean(np.power(r, 1.0 - eps), w, total_weight) ** (1.0 / (1.0 - eps))
    else:
        # Why the log scale: r**(1 − ε) overflows for tiny r when ε is large.
        exponent = (1.0 - eps) * np.log(r)
        top = float(exponent.max())
        log_mean = top + np.log(_weighted_mean(np.exp(exponent - top), w, total_weight))
        ratio = float(np.exp(log_mean / (1.0 - eps)))
    return min(1.0, max(0.0, 1.0 - ratio))
