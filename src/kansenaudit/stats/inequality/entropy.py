# SPDX-License-Identifier: EUPL-1.2
"""The generalised entropy family GE(α), with Theil T (GE(1)) and the mean log deviation
(Theil L, GE(0)), and their exact split between and within groups (Shorrocks 1980).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import overload

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import xlogy

from kansenaudit.stats.inequality._common import (
    FloatArray,
    _as_values,
    _as_weights,
    _require_positive,
    _weighted_mean,
)
from kansenaudit.stats.inequality._groups import _as_groups


@dataclass(frozen=True)
class GroupContribution:
    """One group (e.g. one stadsdeel) in a :class:`Decomposition`.

    Attributes
    ----------
    label : the group's label as given in ``groups`` (e.g. ``"A"`` for stadsdeel Centrum)
    n : number of observations (areas) in the group
    population_share : the group's share of the total weight, v_g = W_g / W
    mean : the weighted mean value within the group, μ_g
    value_share : the group's share of the weighted total, s_g = v_g μ_g / μ (for income: its
        income share)
    index : inequality among the group's own observations, by the same measure
    within_contribution : the group's part of the within component, v_g^(1−α) s_g^α · index
    """

    label: Hashable
    n: int
    population_share: float
    mean: float
    value_share: float
    index: float
    within_contribution: float


@dataclass(frozen=True)
class Decomposition:
    """A generalised-entropy index split into between-group and within-group inequality.

    ``total == between + within`` up to floating-point rounding (about 1e-15); all three are
    computed separately so that the identity is a check, not an assumption.

    Attributes
    ----------
    measure : ``"theil"`` (GE(1)), ``"mld"`` (GE(0)) or ``"ge(α)"`` for another α
    alpha : the GE parameter α
    total : the index over all observations
    between : the index when every observation is replaced by its group mean
    within : the weighted sum of the groups' own indices
    groups : one :class:`GroupContribution` per group, sorted by label
    """

    measure: str
    alpha: float
    total: float
    between: float
    within: float
    groups: tuple[GroupContribution, ...]

    @property
    def between_share(self) -> float:
        """Share of total inequality that lies between the groups (0 when total is 0)."""
        return self.between / self.total if self.total > 0 else 0.0


def _check_alpha(alpha: float, name: str) -> float:
    a = float(alpha)
    if not np.isfinite(a):
        raise ValueError(f"{name}: alpha must be a finite number, got {alpha!r}")
    return a


def _measure_name(alpha: float) -> str:
    if alpha == 1:
        return "theil"
    if alpha == 0:
        return "mld"
    return f"ge({alpha:g})"


def _phi(r: FloatArray, alpha: float) -> FloatArray:
    """The GE kernel φ_α(r) with r = x/μ, so that GE(α) = Σ p_i φ_α(r_i)."""
    if alpha == 1:
        if r.min() > 0:
            return r * np.log(r)
        return xlogy(r, r)  # r ln r with the limit 0 · ln 0 = 0 (slower, so only when needed)
    if alpha == 0:
        return -np.log(r)
    return (np.power(r, alpha) - 1.0) / (alpha * (alpha - 1.0))


def _prepare_ge(
    values: ArrayLike, alpha: float, weights: ArrayLike | None, name: str
) -> tuple[FloatArray, FloatArray | None, float, float]:
    x = _as_values(values, name)
    w = _as_weights(weights, x.size, name)
    if alpha <= 0:
        why = "a log is taken" if alpha == 0 else "a negative power is taken"
        _require_positive(x, name, why)
    total_weight = float(x.size) if w is None else float(w.sum())
    mean = _weighted_mean(x, w, total_weight)
    if mean == 0:
        raise ValueError(f"{name}: all values are zero, so the index is undefined")
    return x, w, total_weight, mean


def _ge_total(
    x: FloatArray, w: FloatArray | None, total_weight: float, mean: float, a: float
) -> float:
    return max(0.0, _weighted_mean(_phi(x / mean, a), w, total_weight))


def _ge_decompose(
    x: FloatArray,
    w: FloatArray | None,
    total_weight: float,
    mean: float,
    alpha: float,
    groups: ArrayLike,
    name: str,
) -> Decomposition:
    labels, inverse = _as_groups(groups, x.size, name)
    k = len(labels)
    counts = np.bincount(inverse, minlength=k)
    group_weight = counts.astype(np.float64) if w is None else np.bincount(inverse, w, k)
    wx = x if w is None else w * x
    group_mean = np.bincount(inverse, wx, k) / group_weight
    pop_share = group_weight / total_weight
    value_share = pop_share * group_mean / mean

    # Inequality inside each group: every value relative to its own group's mean. A group whose
    # values are all zero (possible only for α > 0) has no inequality inside it.
    obs_mean = group_mean[inverse]
    r = np.divide(x, obs_mean, out=np.zeros_like(x), where=obs_mean > 0)
    terms = _phi(r, alpha)
    if w is not None:
        terms *= w
    index = np.bincount(inverse, terms, k) / group_weight
    index = np.where(group_mean > 0, np.maximum(index, 0.0), 0.0)

    # Shorrocks (1980): within = Σ_g v_g^(1−α) s_g^α GE_g; between = GE of the group means.
    if alpha == 1:
        within_weight = value_share
    elif alpha == 0:
        within_weight = pop_share
    else:
        within_weight = np.power(pop_share, 1.0 - alpha) * np.power(value_share, alpha)
    contribution = within_weight * index
    between = max(0.0, float((pop_share * _phi(group_mean / mean, alpha)).sum()))
    total = _ge_total(x, w, total_weight, mean, alpha)
    details = tuple(
        GroupContribution(
            label=labels[g],
            n=int(counts[g]),
            population_share=float(pop_share[g]),
            mean=float(group_mean[g]),
            value_share=float(value_share[g]),
            index=float(index[g]),
            within_contribution=float(contribution[g]),
        )
        for g in range(k)
    )
    return Decomposition(
        measure=_measure_name(alpha),
        alpha=alpha,
        total=total,
        between=between,
        within=float(contribution.sum()),
        groups=details,
    )


@overload
def generalized_entropy(
    values: ArrayLike, alpha: float, weights: ArrayLike | None = None, groups: None = None
) -> float: ...
@overload
def generalized_entropy(
    values: ArrayLike, alpha: float, weights: ArrayLike | None, groups: ArrayLike
) -> Decomposition: ...
@overload
def generalized_entropy(
    values: ArrayLike, alpha: float, weights: ArrayLike | None = None, *, groups: ArrayLike
) -> Decomposition: ...


def generalized_entropy(
    values: ArrayLike,
    alpha: float,
    weights: ArrayLike | None = None,
    groups: ArrayLike | None = None,
) -> float | Decomposition:
    r"""Generalised entropy index GE(α), optionally decomposed by ``groups``.

    Parameters
    ----------
    values : one non-negative value per area; strictly positive when α ≤ 0
    alpha : sensitivity parameter: small α stresses the bottom of the distribution, large α the
        top. α = 0 is the mean log deviation, α = 1 Theil's T, α = 2 half the squared
        coefficient of variation
    weights : one positive weight per area (e.g. residents); ``None`` counts every area once
    groups : one label per area (e.g. the stadsdeel code); when given, a
        :class:`Decomposition` is returned instead of a float

    Returns
    -------
    float or Decomposition
        GE(α) ≥ 0, with 0 for perfect equality; or its decomposition.

    Notes
    -----
    With population shares :math:`p_i = w_i / W` and :math:`r_i = x_i / \mu`,

    .. math::
        GE(\alpha) = \frac{1}{\alpha(\alpha - 1)} \sum_i p_i \left(r_i^\alpha - 1\right),
        \quad GE(1) = \sum_i p_i r_i \ln r_i, \quad GE(0) = -\sum_i p_i \ln r_i.

    For groups g with population shares :math:`v_g`, means :math:`\mu_g` and value shares
    :math:`s_g = v_g \mu_g / \mu`, the index splits exactly (Shorrocks 1980) into

    .. math::
        GE(\alpha) = \underbrace{\sum_g v_g^{1-\alpha} s_g^{\alpha} GE_g(\alpha)}_{within}
        + \underbrace{\sum_g v_g \varphi_\alpha(\mu_g / \mu)}_{between},

    where :math:`\varphi_\alpha` is the term inside the sum above and :math:`GE_g` the index
    within group g. For α = 1 the within weights are the value shares :math:`s_g`, for α = 0
    the population shares :math:`v_g`.

    References
    ----------
    Cowell, F. A. (2011). *Measuring Inequality* (3rd ed.). Oxford University Press.
    Shorrocks, A. F. (1980). The class of additively decomposable inequality measures.
    *Econometrica*, 48(3), 613–625.

    Examples
    --------
    >>> round(generalized_entropy([1, 3], 2), 4)  # half the squared coefficient of variation
    0.125
    >>> d = generalized_entropy([1, 2, 3, 4], 2, groups=["a", "a", "b", "b"])
    >>> round(d.between, 4), round(d.within, 4), round(d.total, 4)
    (0.08, 0.02, 0.1)
    """
    name = "generalized_entropy"
    a = _check_alpha(alpha, name)
    x, w, total_weight, mean = _prepare_ge(values, a, weights, name)
    if groups is None:
        return _ge_total(x, w, total_weight, mean, a)
    return _ge_decompose(x, w, total_weight, mean, a, groups, name)


@overload
def theil(values: ArrayLike, weights: ArrayLike | None = None, groups: None = None) -> float: ...
@overload
def theil(values: ArrayLike, weights: ArrayLike | None, groups: ArrayLike) -> Decomposition: ...
@overload
def theil(
    values: ArrayLike, weights: ArrayLike | None = None, *, groups: ArrayLike
) -> Decomposition: ...


def theil(
    values: ArrayLike, weights: ArrayLike | None = None, groups: ArrayLike | None = None
) -> float | Decomposition:
    r"""Theil's T index (GE(1)), optionally decomposed into between and within ``groups``.

    Parameters
    ----------
    values : one non-negative value per area; zeros are allowed (0 · ln 0 counts as 0)
    weights : one positive weight per area (e.g. residents); ``None`` counts every area once
    groups : one label per area (e.g. the stadsdeel code); when given, a
        :class:`Decomposition` is returned

    Returns
    -------
    float or Decomposition
        T ≥ 0 (0 for perfect equality, at most ln W for weights / ln n without), or its
        decomposition.

    Notes
    -----
    With population shares :math:`p_i = w_i / W` and weighted mean :math:`\mu`,

    .. math:: T = \sum_i p_i \frac{x_i}{\mu} \ln \frac{x_i}{\mu},

    using the limit :math:`0 \ln 0 = 0` for zero values. Decomposed over groups g with value
    shares :math:`s_g` (Shorrocks 1980):
    :math:`T = \sum_g s_g T_g + \sum_g s_g \ln(\mu_g / \mu)` (within + between).

    References
    ----------
    Theil, H. (1967). *Economics and Information Theory*. North-Holland.
    Cowell, F. A. (2011). *Measuring Inequality* (3rd ed.). Oxford University Press.
    Shorrocks, A. F. (1980). The class of additively decomposable inequality measures.
    *Econometrica*, 48(3), 613–625.

    Examples
    --------
    >>> theil([5, 5, 5])
    0.0
    >>> round(theil([1, 3]), 4)  # (0.5 ln 0.5 + 1.5 ln 1.5) / 2
    0.1308
    >>> d = theil([1, 3, 2, 6], weights=[1, 1, 2, 2], groups=["A", "A", "B", "B"])
    >>> round(d.total, 4) == round(d.between + d.within, 4)
    True
    >>> [g.label for g in d.groups]
    ['A', 'B']
    """
    name = "theil"
    x, w, total_weight, mean = _prepare_ge(values, 1.0, weights, name)
    if groups is None:
        return _ge_total(x, w, total_weight, mean, 1.0)
    return _ge_decompose(x, w, total_weight, mean, 1.0, groups, name)


@overload
def mean_log_deviation(
    values: ArrayLike, weights: ArrayLike | None = None, groups: None = None
) -> float: ...
@overload
def mean_log_deviation(
    values: ArrayLike, weights: ArrayLike | None, groups: ArrayLike
) -> Decomposition: ...
@overload
def mean_log_deviation(
    values: ArrayLike, weights: ArrayLike | None = None, *, groups: ArrayLike
) -> Decomposition: ...


def mean_log_deviation(
    values: ArrayLike, weights: ArrayLike | None = None, groups: ArrayLike | None = None
) -> float | Decomposition:
    r"""Mean log deviation (Theil's L, GE(0)), optionally decomposed by ``groups``.

    Parameters
    ----------
    values : one strictly positive value per area (a log is taken)
    weights : one positive weight per area (e.g. residents); ``None`` counts every area once
    groups : one label per area (e.g. the stadsdeel code); when given, a
        :class:`Decomposition` is returned

    Returns
    -------
    float or Decomposition
        L ≥ 0 (0 for perfect equality), or its decomposition.

    Notes
    -----
    With population shares :math:`p_i = w_i / W` and weighted mean :math:`\mu`,

    .. math:: L = \sum_i p_i \ln \frac{\mu}{x_i}.

    Decomposed over groups g with population shares :math:`v_g` (Shorrocks 1980):
    :math:`L = \sum_g v_g L_g + \sum_g v_g \ln(\mu / \mu_g)` (within + between). Its within
    weights are population shares, so unlike Theil's T the split does not depend on how rich a
    group is; this is why it is often preferred for decomposition.

    References
    ----------
    Cowell, F. A. (2011). *Measuring Inequality* (3rd ed.). Oxford University Press.
    Shorrocks, A. F. (1980). The class of additively decomposable inequality measures.
    *Econometrica*, 48(3), 613–625.

    Examples
    --------
    >>> round(mean_log_deviation([1, 3]), 4)  # (ln(2/1) + ln(2/3)) / 2
    0.1438
    >>> d = mean_log_deviation([1, 3, 2, 6], groups=["A", "A", "B", "B"])
    >>> round(d.within, 4), round(d.groups[0].population_share, 2)
    (0.1438, 0.5)
    """
    name = "mean_log_deviation"
    x, w, total_weight, mean = _prepare_ge(values, 0.0, weights, name)
    if groups is None:
        return _ge_total(x, w, total_weight, mean, 0.0)
    return _ge_decompose(x, w, total_weight, mean, 0.0, groups, name)
