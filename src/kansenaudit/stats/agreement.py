# SPDX-License-Identifier: EUPL-1.2
r"""Agreement between assessors: Krippendorff's alpha, with a bootstrap interval.

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
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "LEVELS",
    "OVERALL",
    "AlphaResult",
    "AlphaUndefinedWarning",
    "CodedSpan",
    "alpha_bootstrap",
    "alpha_by_code",
    "krippendorff_alpha",
    "unitised_alpha",
]

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


# --- qualitative coding: alpha per code on units, and unitised alpha on characters ------------

OVERALL = "__overall__"
"""Key of the overall result in :func:`alpha_by_code` and :func:`unitised_alpha`."""

UNITISED_METHOD = "bootstrap-documents-percentile"


def _percentile_interval(
    replicates: NDArray[np.float64], level_ci: float
) -> tuple[float, float, int]:
    valid = replicates[np.isfinite(replicates)]
    if valid.size == 0:
        return math.nan, math.nan, 0
    tail = (1 - level_ci) / 2
    low, high = (float(q) for q in np.quantile(valid, [tail, 1 - tail]))
    return low, high, int(valid.size)


def _check_boot(n_boot: int, level_ci: float) -> None:
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ValueError(f"alpha: n_boot must be a whole number ≥ 0, got {n_boot!r}")
    if n_boot == 1:
        raise ValueError("alpha: n_boot must be 0 (no interval) or at least 2")
    if not 0 < level_ci < 1:
        raise ValueError(f"alpha: level_ci must lie strictly between 0 and 1, got {level_ci!r}")


def _binary_alpha(
    disagreement: NDArray[np.float64], ones: NDArray[np.float64], n: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Nominal alpha of present/absent data from its sums (any matching shapes).

    ``disagreement`` = Σ_u 2·n1_u·n0_u/(m_u − 1), ``ones`` = Σ_u n1_u, ``n`` = Σ_u m_u over the
    pairable units: alpha = 1 − (n − 1)·disagreement / (2·N1·N0). NaN when N1 or N0 is 0.
    """
    zeros = n - ones
    expected = 2.0 * ones * zeros
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1.0 - (n - 1.0) * disagreement / expected
    return np.where(expected > 0, alpha, np.nan)


def alpha_by_code(
    units: Mapping[Hashable, Mapping[Hashable, Collection[str]]],
    *,
    codes: Sequence[str] | None = None,
    n_boot: int = 1000,
    seed: int | np.random.Generator = 0,
    level_ci: float = 0.95,
) -> dict[str, AlphaResult]:
    r"""Nominal alpha per code (present / absent per unit) and overall, with bootstrap intervals.

    Parameters
    ----------
    units : mapping unit → (mapping coder → codes)
        One entry per unit of coding (a speaker turn, keyed by anything hashable, e.g.
        ``(transcript_id, turn_index)``). For each coder who *coded the unit* the collection of
        codes they applied to it, empty when they applied none. A coder who did not code the
        unit (it was not in their sample) is simply absent: that is a missing value, not an
        "absent" code. Only units with at least two coders count (the pairable units).
    codes : sequence of str, optional
        The codes to report; default every code applied anywhere, sorted. A code in ``codes``
        that nobody applied gets NaN (alpha is undefined when a value never varies).
    n_boot : int
        Bootstrap samples (0 for no interval; otherwise at least 2). One set of resampled
        units is shared by all codes, so the intervals of different codes are comparable.
    seed, level_ci : as for :func:`alpha_bootstrap`.

    Returns
    -------
    dict
        Code → :class:`AlphaResult`, plus :data:`OVERALL` → alpha over all (unit, code)
        decisions pooled: every code on every unit is one present/absent value.

    Notes
    -----
    For code *k* each pairable unit *u* with *m_u* coders of whom *n1_u* applied *k* gives a
    binary reliability column; nominal alpha (Krippendorff 2011) reduces to

    .. math:: \alpha_k = 1 - (n - 1)\,\frac{\sum_u 2 n1_u (m_u - n1_u) / (m_u - 1)}{2 N_1 (n - N_1)}

    with *n* = Σ m_u and *N_1* = Σ n1_u, identical to :func:`krippendorff_alpha` on that
    matrix (tested against the ``krippendorff`` package). The interval resamples units with
    replacement (as :func:`alpha_bootstrap`), computed for all codes at once by matrix products.

    Examples
    --------
    >>> units = {
    ...     1: {"ann": {"trust"}, "bob": {"trust"}},
    ...     2: {"ann": {"cost"}, "bob": set()},
    ...     3: {"ann": set(), "bob": set()},
    ...     4: {"ann": {"trust", "cost"}, "bob": {"trust", "cost"}},
    ... }
    >>> result = alpha_by_code(units, n_boot=0)
    >>> round(result["trust"].alpha, 3), round(result["cost"].alpha, 3)
    (1.0, 0.533)
    """
    _check_boot(n_boot, level_ci)
    pairable = [coders for coders in units.values() if len(coders) >= 2]
    if codes is None:
        found: set[str] = set()
        for coders in units.values():
            for applied in coders.values():
                found.update(applied)
        code_list = sorted(found)
    else:
        code_list = list(dict.fromkeys(codes))
    index = {code: i for i, code in enumerate(code_list)}
    n_units, n_codes = len(pairable), len(code_list)
    m = np.zeros(n_units)
    ones = np.zeros((n_units, n_codes))
    for u, coders in enumerate(pairable):
        m[u] = len(coders)
        for applied in coders.values():
            for code in set(applied):
                if code in index:
                    ones[u, index[code]] += 1
    with np.errstate(divide="ignore", invalid="ignore"):
        disagreement = np.where(
            m[:, None] > 1, 2.0 * ones * (m[:, None] - ones) / (m[:, None] - 1.0), 0.0
        )
    # Columns: the per-code sums, then the pooled ones.
    dis_total = disagreement.sum(axis=1, keepdims=True)
    ones_total = ones.sum(axis=1, keepdims=True)

    def alphas(
        dis: NDArray[np.float64], one: NDArray[np.float64], n: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        per_code = _binary_alpha(dis[..., :n_codes], one[..., :n_codes], n[..., None])
        overall = _binary_alpha(dis[..., n_codes:], one[..., n_codes:], n[..., None] * n_codes)
        return np.concatenate([per_code, overall], axis=-1)

    stacked_dis = np.concatenate([disagreement, dis_total], axis=1)
    stacked_ones = np.concatenate([ones, ones_total], axis=1)
    point = alphas(stacked_dis.sum(axis=0), stacked_ones.sum(axis=0), np.asarray(m.sum()))
    keys = [*code_list, OVERALL]
    intervals = [(math.nan, math.nan, 0)] * len(keys)
    if n_boot and n_units:
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        replicates = np.empty((int(n_boot), len(keys)))
        block = max(1, min(int(n_boot), _MAX_BLOCK // max(n_units, 1)))
        for start in range(0, int(n_boot), block):
            size = min(block, int(n_boot) - start)
            draws = rng.integers(0, n_units, size=(size, n_units))
            flat = draws + (np.arange(size) * n_units)[:, None]
            weights = np.bincount(flat.ravel(), minlength=size * n_units).reshape(size, n_units)
            weights = weights.astype(float)
            replicates[start : start + size] = alphas(
                weights @ stacked_dis, weights @ stacked_ones, weights @ m
            )
        intervals = [_percentile_interval(replicates[:, i], level_ci) for i in range(len(keys))]
    out: dict[str, AlphaResult] = {}
    for i, key in enumerate(keys):
        low, high, valid = intervals[i]
        n_values = int(m.sum()) * (n_codes if key == OVERALL else 1)
        out[key] = AlphaResult(
            alpha=float(point[i]),
            low=low,
            high=high,
            n_units=n_units * (n_codes if key == OVERALL else 1),
            n_pairable=n_values,
            level="nominal",
            method=BOOTSTRAP_METHOD,
            level_ci=float(level_ci),
            n_boot=int(n_boot),
            n_boot_valid=valid,
        )
    return out


@dataclass(frozen=True)
class CodedSpan:
    """One coder's code on ``text[start:end]`` of a document (a transcript)."""

    document: Hashable
    coder: Hashable
    code: str
    start: int
    end: int


def _segments(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int, bool]]:
    """A coder's segmentation of [0, length): (begin, length, coded) with gaps between.

    Overlapping or touching spans of the same code by the same coder are merged first (one
    coder cannot mark the same stretch twice).
    """
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[tuple[int, int, bool]] = []
    position = 0
    for start, end in merged:
        if start > position:
            out.append((position, start - position, False))
        out.append((start, end - start, True))
        position = end
    if position < length:
        out.append((position, length - position, False))
    return out


def _observed(a: list[tuple[int, int, bool]], b: list[tuple[int, int, bool]]) -> float:
    """Σ δ² over the overlapping segment pairs of two coders (Krippendorff 1995)."""
    total = 0.0
    i = j = 0
    while i < len(a) and j < len(b):
        b1, l1, c1 = a[i]
        b2, l2, c2 = b[j]
        diff = b1 - b2
        if c1 and c2 and -l1 < diff < l2:
            total += diff * diff + (diff + l1 - l2) ** 2
        elif c1 and not c2 and 0 <= diff <= l2 - l1:
            total += l1 * l1
        elif c2 and not c1 and 0 <= -diff <= l1 - l2:
            total += l2 * l2
        if b1 + l1 <= b2 + l2:
            i += 1
        if b2 + l2 <= b1 + l1:
            j += 1
    return total


def unitised_alpha(
    spans: Iterable[CodedSpan],
    lengths: Mapping[Hashable, int],
    *,
    coders: Sequence[Hashable] | None = None,
    codes: Sequence[str] | None = None,
    n_boot: int = 1000,
    seed: int | np.random.Generator = 0,
    level_ci: float = 0.95,
) -> dict[str, AlphaResult]:
    r"""Krippendorff's unitised alpha (:math:`{}_u\alpha`) per code and overall, on characters.

    Parameters
    ----------
    spans : iterable of :class:`CodedSpan`
        Every coded passage of every coder in the double-coded documents. Offsets are
        character offsets into each document's text.
    lengths : mapping document → int
        The length in characters of each document (its continuum). Spans of documents not in
        ``lengths`` raise ``ValueError``.
    coders : the coders, default every coder in ``spans``. Every coder is taken to have coded
        every document: a coder without spans in a document marked nothing there.
    codes : the codes to report, default every code in ``spans``, sorted.
    n_boot : bootstrap samples over documents (0 for no interval).
    seed, level_ci : as for :func:`alpha_bootstrap`.

    Returns
    -------
    dict
        Code → :class:`AlphaResult` (``n_units`` = documents, ``n_pairable`` = coders ×
        characters), plus :data:`OVERALL`: 1 − mean D_o / mean D_e over the codes.

    Notes
    -----
    Krippendorff (1995; 2004, §12.4). For each code every coder's marks divide each document
    into coded segments and gaps; documents are laid end to end as one continuum of length
    *L* (a gap never runs from one document into the next). With *m* coders

    .. math::

        D_o = \frac{2}{m(m-1)L^2}\sum_{i<j}\sum_{g,h}\delta^2_{igjh}, \qquad
        D_e = \frac{2}{L}\,\frac{\sum_{u}\Big[\tfrac{N_c-1}{3}(2l_u^3-3l_u^2+l_u)
              + l_u^2\sum_{\text{gaps } x \ge l_u}(x-l_u+1)\Big]}
              {mL(mL-1)-\sum_u l_u(l_u-1)}

    where δ² is the squared difference of begin and end of two overlapping coded segments,
    the squared length of a coded segment lying wholly inside the other coder's gap, and 0
    otherwise; *u* runs over all coded segments (lengths *l_u*, *N_c* of them) and the gaps
    over all coders' gaps. α = 1 − D_o / D_e; NaN when nobody coded the code. The interval
    resamples whole documents with replacement.
    """
    _check_boot(n_boot, level_ci)
    documents = list(lengths)
    doc_index = {doc: i for i, doc in enumerate(documents)}
    by_key: dict[tuple[str, Hashable, int], list[tuple[int, int]]] = {}
    seen_coders: list[Hashable] = []
    found_codes: set[str] = set()
    for span in spans:
        if span.document not in doc_index:
            raise ValueError(f"alpha: span in unknown document {span.document!r}")
        if not 0 <= span.start <= span.end <= lengths[span.document]:
            raise ValueError(
                f"alpha: span {span.start}–{span.end} outside document {span.document!r}"
            )
        by_key.setdefault((span.code, span.coder, doc_index[span.document]), []).append(
            (span.start, span.end)
        )
        if span.coder not in seen_coders:
            seen_coders.append(span.coder)
        found_codes.add(span.code)
    coder_list = list(coders) if coders is not None else seen_coders
    code_list = list(dict.fromkeys(codes)) if codes is not None else sorted(found_codes)
    m = len(coder_list)
    n_docs = len(documents)
    doc_lengths = np.array([float(lengths[d]) for d in documents])
    # Per code: per-document observed sums, per-document coded lengths and gap lengths.
    obs = np.zeros((len(code_list), n_docs))
    coded_lengths: list[list[NDArray[np.float64]]] = []
    gap_lengths: list[list[NDArray[np.float64]]] = []
    for k, code in enumerate(code_list):
        coded_k: list[NDArray[np.float64]] = []
        gaps_k: list[NDArray[np.float64]] = []
        for d, doc in enumerate(documents):
            segmentations = [
                _segments(by_key.get((code, coder, d), []), int(lengths[doc]))
                for coder in coder_list
            ]
            for i in range(m):
                for j in range(i + 1, m):
                    obs[k, d] += _observed(segmentations[i], segmentations[j])
            coded_k.append(
                np.array([s[1] for seg in segmentations for s in seg if s[2]], dtype=float)
            )
            gaps_k.append(
                np.array([s[1] for seg in segmentations for s in seg if not s[2]], dtype=float)
            )
        coded_lengths.append(coded_k)
        gap_lengths.append(gaps_k)

    # K[k][d, e]: the cross term Σ_u l_u² Σ_{gaps x ≥ l_u} (x − l_u + 1) between the coded
    # segments u of document d and the gaps x of document e, plus per-document sums, so that a
    # bootstrap sample (document weights w) needs no recomputation: Σ_de w_d K[d, e] w_e.
    per_code: list[dict[str, NDArray[np.float64]]] = []
    for k in range(len(code_list)):
        coded_k, gaps_k = coded_lengths[k], gap_lengths[k]
        matrix = np.zeros((n_docs, n_docs))
        if any(c.size for c in coded_k):
            all_coded = np.concatenate(coded_k)
            owner = np.repeat(np.arange(n_docs), [c.size for c in coded_k])
            squared = all_coded**2
            for e in range(n_docs):
                gaps = gaps_k[e]
                if gaps.size == 0:
                    continue
                order = np.sort(gaps)
                suffix = np.concatenate([np.cumsum(order[::-1])[::-1], [0.0]])
                first = np.searchsorted(order, all_coded, side="left")
                count = order.size - first
                contribution = squared * (suffix[first] - (all_coded - 1.0) * count)
                matrix[:, e] = np.bincount(owner, weights=contribution, minlength=n_docs)
        per_code.append(
            {
                "K": matrix,
                "count": np.array([c.size for c in coded_k], dtype=float),
                "cubic": np.array([np.sum((2 * c**3 - 3 * c**2 + c) / 3.0) for c in coded_k]),
                "square": np.array([np.sum(c * (c - 1.0)) for c in coded_k]),
            }
        )

    def estimate(weights: NDArray[np.float64]) -> NDArray[np.float64]:
        """Alpha per code and overall for documents weighted by ``weights`` (B × docs)."""
        total_length = weights @ doc_lengths
        results = np.full((weights.shape[0], len(code_list) + 1), np.nan)
        do_all = np.zeros(weights.shape[0])
        de_all = np.zeros(weights.shape[0])
        if m < 2:
            return results
        for k, parts in enumerate(per_code):
            n_c = weights @ parts["count"]
            cross_sum = np.einsum("bd,de,be->b", weights, parts["K"], weights)
            numerator = _unitised_numerator(weights, parts, n_c) + cross_sum
            with np.errstate(divide="ignore", invalid="ignore"):
                d_o = 2.0 * (weights @ obs[k]) / (m * (m - 1) * total_length**2)
                denominator = (
                    m * total_length * (m * total_length - 1.0) - weights @ parts["square"]
                )
                d_e = (2.0 / total_length) * numerator / denominator
                results[:, k] = np.where(d_e > 0, 1.0 - d_o / d_e, np.nan)
            do_all += np.nan_to_num(d_o)
            de_all += np.nan_to_num(d_e)
        with np.errstate(divide="ignore", invalid="ignore"):
            results[:, -1] = np.where(de_all > 0, 1.0 - do_all / de_all, np.nan)
        return results

    point = estimate(np.ones((1, n_docs)))[0]
    keys = [*code_list, OVERALL]
    intervals = [(math.nan, math.nan, 0)] * len(keys)
    if n_boot and n_docs:
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        weights = rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=int(n_boot)).astype(
            float
        )
        replicates = estimate(weights)
        intervals = [_percentile_interval(replicates[:, i], level_ci) for i in range(len(keys))]
    out: dict[str, AlphaResult] = {}
    total = int(doc_lengths.sum()) * m
    for i, key in enumerate(keys):
        low, high, valid = intervals[i]
        out[key] = AlphaResult(
            alpha=float(point[i]),
            low=low,
            high=high,
            n_units=n_docs,
            n_pairable=total,
            level="unitised",
            method=UNITISED_METHOD,
            level_ci=float(level_ci),
            n_boot=int(n_boot),
            n_boot_valid=valid,
        )
    return out


def _unitised_numerator(
    weights: NDArray[np.float64], parts: dict[str, NDArray[np.float64]], n_c: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Σ_u (N_c − 1)/3 · (2l³ − 3l² + l) for weighted documents."""
    return (n_c - 1.0) * (weights @ parts["cubic"])
