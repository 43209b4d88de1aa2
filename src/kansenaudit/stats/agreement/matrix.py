# SPDX-License-Identifier: EUPL-1.2
r"""Krippendorff's alpha of a reliability matrix, with a bootstrap interval.

Two auditors score the same measures on, say, the effectladder (0–5). Before their scores are
used, the audit should show that the scale is applied consistently: Krippendorff's alpha
measures how far the assessors agree beyond what chance would give, for any number of
assessors, with missing scores, and for nominal, ordinal, interval and ratio data.

This module follows the coincidence-matrix formulation of Krippendorff (2011). The input is a
*reliability matrix*: one row per assessor (coder), one column per unit (a measure, a
document), and ``None`` or NaN where an assessor did not score a unit. Plain-language
explanation for auditors: ``docs/methods/agreement.md``.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")

BOOTSTRAP_METHOD = "bootstrap-units-percentile"

# At most this many numbers are held per block of bootstrap samples (32 MB of float64), so that
# many units or many categories cannot exhaust memory; blocks are processed one after another.
_MAX_BLOCK = 1 << 22


class AlphaUndefinedWarning(UserWarning):
    """Alpha cannot be computed from these data; the function returned NaN and says why."""


@dataclass(frozen=True)
class AlphaResult:
    """Krippendorff's alpha with a bootstrap confidence interval.

    Attributes
    ----------
    alpha : alpha on the observed data (NaN when undefined)
    low, high : bounds of the percentile bootstrap interval (NaN when undefined)
    n_units : number of units scored by at least two coders, the only ones that count
    n_pairable : number of pairable values n.., the scores in those units
    level : level of measurement (``"nominal"``, ``"ordinal"``, ``"interval"``, ``"ratio"``)
    method : how the interval was computed, ``"bootstrap-units-percentile"``
    level_ci : confidence level of the interval, e.g. 0.95
    n_boot : number of bootstrap samples drawn
    n_boot_valid : samples in which alpha was defined (a sample in which every value is the
        same has no expected disagreement and is left out of the interval)
    """

    alpha: float
    low: float
    high: float
    n_units: int
    n_pairable: int
    level: str
    method: str
    level_ci: float = 0.95
    n_boot: int = 0
    n_boot_valid: int = 0


@dataclass(frozen=True)
class _Prepared:
    """Value-by-unit counts of the pairable units and the numbers the metric needs."""

    counts: NDArray[np.float64]  # units × categories, only units with at least 2 values
    values: NDArray[np.float64] | None  # numeric value of each category (interval, ratio)
    level: str
    n_units: int
    n_pairable: int


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _prepare(data: Any, level: str, categories: Sequence[Any] | None) -> _Prepared:
    if level not in LEVELS:
        raise ValueError(f"alpha: level must be one of {', '.join(LEVELS)}; got {level!r}")
    try:
        matrix = np.array(data, dtype=object)
    except ValueError as exc:  # ragged rows
        raise ValueError(f"alpha: data must be a coders × units matrix ({exc})") from exc
    if matrix.ndim != 2:
        raise ValueError(
            f"alpha: data must be a coders × units matrix (2 dimensions), got shape {matrix.shape}"
        )
    n_coders, n_units = matrix.shape

    present = [(u, matrix[c, u]) for u in range(n_units) for c in range(n_coders)]
    present = [(u, value) for u, value in present if not _is_missing(value)]

    if categories is not None:
        cats = list(categories)
        if len(set(cats)) != len(cats):
            raise ValueError("alpha: categories contains duplicates")
        if any(_is_missing(cat) for cat in cats):
            raise ValueError("alpha: categories may not contain None or NaN")
        index = {cat: i for i, cat in enumerate(cats)}
        unknown = sorted({repr(v) for _, v in present if v not in index})
        if unknown:
            raise ValueError(f"alpha: values not among the categories: {', '.join(unknown[:10])}")
    else:
        seen = list(dict.fromkeys(value for _, value in present))
        try:
            cats = sorted(seen)
        except TypeError as exc:
            if level != "nominal":
                raise ValueError(
                    "alpha: values of different types cannot be ordered; pass `categories`"
                ) from exc
            cats = seen  # nominal: order does not matter
        if level == "ordinal" and not all(_is_number(cat) for cat in cats):
            # Text labels sort alphabetically ("deels" < "voldoet" < "voldoet niet"), which is
            # almost never the intended order; make the caller say it.
            raise ValueError(
                "alpha: ordinal data with text values need `categories` in their order, "
                "e.g. categories=['voldoet niet', 'deels', 'voldoet']"
            )
        index = {cat: i for i, cat in enumerate(cats)}

    values = None
    if level in ("interval", "ratio"):
        if not all(_is_number(cat) for cat in cats):
            raise ValueError(f"alpha: {level} data must be numbers")
        values = np.array([float(cat) for cat in cats], dtype=float)
        if not np.all(np.isfinite(values)):
            raise ValueError(f"alpha: {level} data must be finite numbers")
        if level == "ratio" and np.any(values < 0):
            raise ValueError("alpha: ratio data must be ≥ 0 (the ratio metric assumes a true zero)")

    counts = np.zeros((n_units, len(cats)), dtype=float)
    if present:
        units = np.fromiter((u for u, _ in present), dtype=np.intp, count=len(present))
        codes = np.fromiter((index[v] for _, v in present), dtype=np.intp, count=len(present))
        np.add.at(counts, (units, codes), 1.0)
    pairable = counts.sum(axis=1) >= 2
    counts = counts[pairable]
    return _Prepared(
        counts=counts,
        values=values,
        level=level,
        n_units=int(pairable.sum()),
        n_pairable=int(counts.sum()),
    )


def _ratio_metric(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """δ²(c, k) = ((c − k) / (c + k))² for all pairs of category values."""
    diff = values[:, None] - values[None, :]
    total = values[:, None] + values[None, :]
    # Two zeros are identical values: distance 0, not 0/0.
    safe = np.where(total == 0, 1.0, total)
    return np.where(total == 0, 0.0, (diff / safe) ** 2)


def _alpha_batch(prep: _Prepared, weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """Alpha for each row of ``weights`` (how often each pairable unit is in the sample).

    With ``weights`` all ones this is alpha of the data; with bootstrap multiplicities it is
    alpha of the resampled data. Returns NaN where the sample holds a single category.

    The sums Σ o_ck δ²_ck and Σ n_c n_k δ²_ck are expanded algebraically per level, so that
    neither a units × categories × categories array nor (except for ratio data) a
    categories × categories matrix is built: continuous data can have thousands of categories.
    """
    counts = prep.counts  # units × categories
    m = counts.sum(axis=1)
    inv = 1.0 / (m - 1)
    n = weights @ counts  # samples × categories: n_c, how often each value is pairable
    n_total = n.sum(axis=1)
    if prep.level == "nominal":
        # A unit's disagreeing ordered pairs: m_u² − Σ_c n_uc²; by chance: n..² − Σ_c n_c².
        observed = weights @ ((m**2 - (counts**2).sum(axis=1)) * inv)
        expected = n_total**2 - (n**2).sum(axis=1)
    elif prep.level == "interval":
        # Σ_ck a_c a_k (v_c − v_k)² = 2 (Σ a) (Σ a v²) − 2 (Σ a v)². Distances do not change
        # when all values shift, so centre them first to avoid cancellation with large values.
        v = prep.values
        assert v is not None  # noqa: S101 - _prepare guarantees values for interval data
        v = v - (counts.sum(axis=0) @ v) / counts.sum()
        s1, s2 = counts @ v, counts @ v**2
        observed = weights @ ((2 * m * s2 - 2 * s1**2) * inv)
        expected = 2 * n_total * (n @ v**2) - 2 * (n @ v) ** 2
    elif prep.level == "ratio":
        v = prep.values
        assert v is not None  # noqa: S101 - _prepare guarantees values for ratio data
        delta = _ratio_metric(v)
        observed = weights @ (((counts @ delta) * counts).sum(axis=1) * inv)
        expected = ((n @ delta) * n).sum(axis=1)
    else:
        # Ordinal distance: δ_ck = Σ_{g=c..k} n_g − (n_c + n_k)/2 = M_k − M_c, with the
        # mid-rank M_j = Σ_{g≤j} n_g − n_j/2, which depends on the sample's frequencies.
        # Σ_ck o_ck (M_c − M_k)² = 2 Σ_c n_c M_c² − 2 Σ_ck o_ck M_c M_k, and with
        # o_ck = Σ_u w_u (n_uc n_uk − [c=k] n_uc) / (m_u − 1) the last sum is
        # Σ_u w_u ((Σ_c n_uc M_c)² − Σ_c n_uc M_c²) / (m_u − 1).
        mid = np.cumsum(n, axis=1) - n / 2  # samples × categories
        mid_sq = (n * mid**2).sum(axis=1)
        unit_mid = mid @ counts.T  # samples × units
        unit_mid_sq = (mid**2) @ counts.T
        cross = ((weights * inv) * (unit_mid**2 - unit_mid_sq)).sum(axis=1)
        observed = 2 * mid_sq - 2 * cross
        expected = 2 * n_total * mid_sq - 2 * (n * mid).sum(axis=1) ** 2
    # Any two different values have a positive distance, so expected disagreement is zero
    # exactly when a sample holds a single category; decide that by counting, not by rounding.
    defined = np.count_nonzero(n > 0, axis=1) >= 2
    safe = np.where(defined, expected, 1.0)
    alpha = 1.0 - (n_total - 1) * observed / safe
    return np.where(defined, alpha, np.nan)


def _undefined_reason(prep: _Prepared) -> str | None:
    if prep.n_units == 0:
        return (
            "Krippendorff's alpha is undefined: no unit was scored by at least two coders, so "
            "there are no pairable values to compare"
        )
    if np.count_nonzero(prep.counts.sum(axis=0)) < 2:
        return (
            "Krippendorff's alpha is undefined: all pairable values are the same category, so "
            "there is no variation to tell agreement from chance (expected disagreement is 0)"
        )
    return None


def krippendorff_alpha(
    data: Any, level: Level = "nominal", *, categories: Sequence[Any] | None = None
) -> float:
    r"""Krippendorff's alpha for a coders × units reliability matrix.

    Parameters
    ----------
    data : array_like, coders × units
        One row per coder (assessor), one column per unit; ``None`` or NaN where a coder gave
        no value. Values may be numbers or, for nominal and ordinal data, text labels.
    level : ``"nominal"``, ``"ordinal"``, ``"interval"`` or ``"ratio"``
        Level of measurement; it decides how much two different values disagree.
    categories : sequence, optional
        All possible values. Required for ordinal text labels (their order is the order of
        ``categories``); otherwise it only checks that no other values occur. Categories that
        nobody used do not change alpha.

    Returns
    -------
    float
        Alpha: 1 is perfect agreement, 0 is agreement at chance level, below 0 is systematic
        disagreement. NaN, with an :class:`AlphaUndefinedWarning` saying why, when no unit has
        two values or when all pairable values are the same category.

    Notes
    -----
    Only units with at least two values (m_u ≥ 2) count. The coincidence matrix counts, over
    those units, every ordered pair of values from different coders, each weighted by
    1 / (m_u − 1):

    .. math::

        o_{ck} = \sum_u \frac{\#\{(i, j), i \ne j: v_{iu} = c, v_{ju} = k\}}{m_u - 1},
        \qquad n_c = \sum_k o_{ck}, \qquad n_{\cdot\cdot} = \sum_c n_c

    and

    .. math::

        \alpha = 1 - \frac{D_o}{D_e}
               = 1 - (n_{\cdot\cdot} - 1)
                 \frac{\sum_{c,k} o_{ck}\, \delta^2_{ck}}{\sum_{c,k} n_c n_k\, \delta^2_{ck}}

    with the difference function δ² of the level of measurement:

    - nominal: δ²_ck = 0 if c = k, else 1;
    - ordinal: :math:`\delta^2_{ck} = \bigl(\sum_{g=c}^{k} n_g - (n_c + n_k)/2\bigr)^2`, the
      number of values ranked between c and k, so the distance depends on how often the
      categories were used, not on their numeric codes;
    - interval: δ²_ck = (c − k)²;
    - ratio: δ²_ck = ((c − k) / (c + k))².

    References
    ----------
    Krippendorff, K. (2011). *Computing Krippendorff's Alpha-Reliability*. Annenberg School
    for Communication, University of Pennsylvania. https://repository.upenn.edu/asc_papers/43
    Krippendorff, K. (2019). *Content Analysis: An Introduction to Its Methodology*, 4th ed.,
    ch. 12. Sage.

    Examples
    --------
    Krippendorff's (2011) example: four coders, twelve units, values 1–5, missing values.

    >>> data = [
    ...     [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    ...     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    ...     [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    ...     [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ... ]
    >>> [round(krippendorff_alpha(data, level), 3) for level in LEVELS]
    [0.743, 0.815, 0.849, 0.797]

    Text labels on an ordinal scale need their order:

    >>> scores = [["voldoet", "deels", "voldoet niet"], ["voldoet", "voldoet", "voldoet niet"]]
    >>> order = ["voldoet niet", "deels", "voldoet"]
    >>> round(krippendorff_alpha(scores, "ordinal", categories=order), 3)
    0.778
    """
    prep = _prepare(data, level, categories)
    reason = _undefined_reason(prep)
    if reason is not None:
        warnings.warn(reason, AlphaUndefinedWarning, stacklevel=2)
        return math.nan
    return float(_alpha_batch(prep, np.ones((1, prep.n_units)))[0])


def _draw_replicates(prep: _Prepared, n_boot: int, rng: np.random.Generator) -> NDArray[np.float64]:
    """Alpha on ``n_boot`` samples of the pairable units drawn with replacement."""
    n_units = prep.n_units
    k = prep.counts.shape[1]
    # Per sample: the weights, two samples × units products (ordinal) and n_c.
    per_sample = 3 * n_units + 2 * k
    block = max(1, min(n_boot, _MAX_BLOCK // max(per_sample, 1)))
    out = np.empty(n_boot)
    uniform = np.full(n_units, 1.0 / n_units)
    for start in range(0, n_boot, block):
        size = min(block, n_boot - start)
        # How often each unit is drawn in each sample: equivalent to drawing n_units unit
        # indices with replacement, and cheaper to aggregate.
        weights = rng.multinomial(n_units, uniform, size=size).astype(float)
        out[start : start + size] = _alpha_batch(prep, weights)
    return out


def alpha_bootstrap(
    data: Any,
    level: Level = "nominal",
    *,
    n_boot: int = 1000,
    seed: int | np.random.Generator = 0,
    level_ci: float = 0.95,
    categories: Sequence[Any] | None = None,
) -> AlphaResult:
    r"""Krippendorff's alpha with a percentile bootstrap interval over units.

    Parameters
    ----------
    data, level, categories : as for :func:`krippendorff_alpha`
    n_boot : number of bootstrap samples B (at least 2; 1000 or more for a published interval)
    seed : seed of numpy's random generator, or a ``numpy.random.Generator`` (then its state
        advances); the same seed and data give the same interval
    level_ci : confidence level of the interval, strictly between 0 and 1

    Returns
    -------
    AlphaResult
        Alpha, the interval, the numbers of units and pairable values, and the method.

    Notes
    -----
    **Which bootstrap.** Each sample draws the n_units pairable units (units scored by at least
    two coders) with replacement, each keeping all its coders' values, and recomputes alpha
    completely: the coincidence matrix, the category frequencies, the ordinal distances and the
    expected disagreement. The interval is the (a/2, 1 − a/2) quantiles of the B replicates,
    a = 1 − level_ci (percentile method, linear interpolation). Samples in which every value is
    the same category (expected disagreement 0, alpha undefined) are left out and counted in
    ``n_boot - n_boot_valid``.

    This is *not* the bootstrap of Hayes & Krippendorff (2007), implemented in their KALPHA
    macro, which keeps the expected disagreement fixed at its observed value and resamples the
    disagreements of pairs of values within units. Resampling whole units treats the units as
    the sample from a population of units, the usual nonparametric (cluster) bootstrap also used
    by Zapf et al. (2016); it accounts for the uncertainty in D_e too and gives somewhat wider
    intervals when units are few. Neither accounts for the choice of coders.

    References
    ----------
    Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard reliability
    measure for coding data. *Communication Methods and Measures* 1(1), 77–89.
    Zapf, A., Castell, S., Morawietz, L., & Karch, A. (2016). Measuring inter-rater reliability
    for nominal data – which coefficients and confidence intervals are appropriate? *BMC
    Medical Research Methodology* 16, 93.
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*, ch. 13.

    Examples
    --------
    >>> data = [
    ...     [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    ...     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    ...     [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    ...     [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ... ]
    >>> result = alpha_bootstrap(data, "ordinal", n_boot=500, seed=1)
    >>> round(result.alpha, 3), result.n_units, result.n_pairable
    (0.815, 11, 40)
    >>> result.low < result.alpha < result.high <= 1
    True
    """
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 2:
        raise ValueError(f"alpha: n_boot must be a whole number ≥ 2, got {n_boot!r}")
    if not 0 < level_ci < 1:
        raise ValueError(f"alpha: level_ci must lie strictly between 0 and 1, got {level_ci!r}")
    prep = _prepare(data, level, categories)
    common = {
        "n_units": prep.n_units,
        "n_pairable": prep.n_pairable,
        "level": level,
        "method": BOOTSTRAP_METHOD,
        "level_ci": float(level_ci),
        "n_boot": int(n_boot),
    }
    reason = _undefined_reason(prep)
    if reason is not None:
        warnings.warn(reason, AlphaUndefinedWarning, stacklevel=2)
        return AlphaResult(alpha=math.nan, low=math.nan, high=math.nan, n_boot_valid=0, **common)
    alpha = float(_alpha_batch(prep, np.ones((1, prep.n_units)))[0])
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    replicates = _draw_replicates(prep, int(n_boot), rng)
    valid = replicates[np.isfinite(replicates)]
    if valid.size == 0:
        low = high = math.nan
    else:
        tail = (1 - level_ci) / 2
        low, high = (float(q) for q in np.quantile(valid, [tail, 1 - tail]))
    return AlphaResult(alpha=alpha, low=low, high=high, n_boot_valid=int(valid.size), **common)
