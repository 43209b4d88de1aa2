# SPDX-License-Identifier: EUPL-1.2
"""Inequality between areas, weighted by population, with exact between/within decomposition.

Each area (a gebied, wijk or buurt) is one observation: its value is an area figure such as the
mean disposable household income, and its weight is the number of people it stands for. With
weights every resident of an area counts once, so a large area counts more than a small one; with
whole-number weights the result is exactly that of the data with each area's value repeated
weight times. The measures follow Cowell (2011), *Measuring Inequality*, 3rd ed., Oxford UP:

- :func:`gini`, the Gini coefficient (half the relative mean absolute difference);
- :func:`generalized_entropy`, the family GE(α), with :func:`theil` (Theil T, GE(1)) and
  :func:`mean_log_deviation` (Theil L, GE(0)) as its two members that decompose cleanly;
- :func:`atkinson`, the Atkinson index with inequality aversion ε;
- :func:`decompose_by_level`, GE inequality split into between and within higher-level areas
  (Shorrocks 1980), e.g. between and within stadsdelen.

Everything is vectorised numpy: no Python loop runs over the values. Plain-language explanations
for auditors are in ``docs/methods/inequality.md`` and ``docs/methods/decomposition.md``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Literal, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import xlogy

__all__ = [
    "Decomposition",
    "GroupContribution",
    "atkinson",
    "decompose_by_level",
    "generalized_entropy",
    "gini",
    "gini_rows",
    "mean_log_deviation",
    "theil",
    "theil_between_share_rows",
    "theil_rows",
]

FloatArray = NDArray[np.float64]

# From this many values on, pairs are ordered through packed sort keys (see _sorted_pairs); below
# it numpy's argsort is simpler and just as fast.
_PACKED_SORT_MIN = 1 << 15


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


# --------------------------------------------------------------------------------------------
# validation


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


def _factorize(g: np.ndarray) -> tuple[np.ndarray, NDArray[np.intp]]:
    """``np.unique(g, return_inverse=True)`` (sorted labels), faster for the usual labels.

    Sorting a million text labels to find a handful of groups dominated a decomposition, so:
    small non-negative integer codes are counted (linear time); text labels are mapped to a
    64-bit number computed from their characters and placed through a small table of those
    numbers (:func:`_factorize_text`), and every label is checked against the text of its
    group, so a clash of numbers falls back to the sort.
    The labels and the numbering are exactly those of ``np.unique``.

    >>> labels, inverse = _factorize(np.array(["Zuid", "Noord", "Zuid", "Oost"]))
    >>> labels.tolist(), inverse.tolist()
    (['Noord', 'Oost', 'Zuid'], [2, 0, 2, 1])
    >>> labels, inverse = _factorize(np.array([7, 3, 7]))
    >>> labels.tolist(), inverse.tolist()
    ([3, 7], [1, 0, 1])
    """
    if g.dtype == object and g.size and all(isinstance(item, str) for item in g.tolist()):
        g = g.astype(str)
    if g.dtype.kind in "iu" and g.size:
        low, high = int(g.min()), int(g.max())
        if low >= 0 and high < max(1024, 4 * g.size):
            present = np.bincount(g, minlength=high + 1) > 0
            labels = np.flatnonzero(present).astype(g.dtype)
            lookup = np.cumsum(present) - 1
            return labels, lookup[g].astype(np.intp)
    if g.dtype.kind == "U" and g.size and g.dtype.itemsize:
        found = _factorize_text(g)
        if found is not None:
            return found
    labels, inverse = np.unique(g, return_inverse=True)
    return labels, inverse.reshape(-1)


def _factorize_text(g: np.ndarray) -> tuple[np.ndarray, NDArray[np.intp]] | None:
    """Sorted labels and numbering of text labels without sorting the texts; None if unsure.

    Each label's characters (two code points at a time, as 64-bit words) are hashed into one
    64-bit number. The distinct numbers are looked for in the first labels, and a small table
    indexed by the number modulo a prime places every label; when a label's number is not in
    the table, or two texts share a number (every label is compared with its group's text),
    the caller falls back to sorting.
    """
    g = np.ascontiguousarray(g)
    n = g.size
    width = g.dtype.itemsize // 4
    chars = g.view(np.uint32).reshape(n, width)
    if width % 2:
        padded = np.zeros((n, width + 1), dtype=np.uint32)
        padded[:, :width] = chars
        chars = padded
    words = chars.view(np.uint64)
    key = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in range(words.shape[1]):
            key *= np.uint64(0x9E3779B97F4A7C15)  # an odd multiplier mixes the words
            key ^= words[:, column]
    numbers = np.unique(key[: min(n, 4096)])
    if numbers.size > 256:
        return None
    for modulus in (257, 521, 1031, 2053, 4099, 8209, 16411):
        slots = numbers % np.uint64(modulus)
        if np.unique(slots).size == numbers.size:
            break
    else:
        return None
    table = np.zeros(modulus, dtype=np.intp)
    table[slots] = np.arange(numbers.size)
    inverse = table[key % np.uint64(modulus)]
    if not np.array_equal(numbers[inverse], key):  # a label the first ones did not have
        return None
    first = np.empty(numbers.size, dtype=np.intp)
    first[inverse[::-1]] = np.arange(n - 1, -1, -1)  # the first label of every number
    if not np.array_equal(words[first][inverse], words):  # two texts sharing a number
        return None
    representatives = g[first]
    order = np.argsort(representatives, kind="stable")
    rank = np.empty(order.size, dtype=np.intp)
    rank[order] = np.arange(order.size)
    return representatives[order], rank[inverse]


def _as_groups(groups: ArrayLike, n: int, name: str) -> tuple[list[Hashable], NDArray[np.intp]]:
    g = np.asarray(groups)
    if g.ndim != 1:
        raise ValueError(f"{name}: groups must be one-dimensional, got shape {g.shape}")
    if g.size != n:
        raise ValueError(f"{name}: {n} values but {g.size} group labels; lengths must match")
    if g.dtype.kind == "f" and np.isnan(g).any():
        raise ValueError(f"{name}: group labels contain NaN (an area without a parent area?)")
    try:
        labels, inverse = _factorize(g)
    except TypeError as exc:
        raise ValueError(
            f"{name}: group labels must be all strings or all numbers, without missing values"
        ) from exc
    label_list = labels.tolist()
    if any(label is None for label in label_list):
        raise ValueError(f"{name}: group labels contain None (an area without a parent area?)")
    return label_list, inverse.reshape(-1).astype(np.intp, copy=False)


def _check_alpha(alpha: float, name: str) -> float:
    a = float(alpha)
    if not np.isfinite(a):
        raise ValueError(f"{name}: alpha must be a finite number, got {alpha!r}")
    return a


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


def _measure_name(alpha: float) -> str:
    if alpha == 1:
        return "theil"
    if alpha == 0:
        return "mld"
    return f"ge({alpha:g})"


# --------------------------------------------------------------------------------------------
# Gini


def _sorted_values(x: FloatArray) -> FloatArray:
    """``x`` sorted ascending."""
    if x.size < _PACKED_SORT_MIN:
        return np.sort(x)
    # Why: numpy sorts 64-bit unsigned integers markedly faster than floats, and for
    # non-negative floats the IEEE-754 bit pattern orders exactly like the value. Only -0.0
    # (sign bit set) would land at the end; the check catches it and falls back.
    xs = np.sort(x.view(np.uint64)).view(np.float64)
    if (xs[1:] < xs[:-1]).any():
        xs = np.sort(x)
    return xs


def _sorted_pairs(x: FloatArray, w: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``x`` sorted ascending and ``w`` in the same order (ties in any order: Gini ignores it)."""
    n = x.size
    if n < _PACKED_SORT_MIN:
        order = np.argsort(x)
        return x[order], w[order]
    # Why: numpy's argsort is about twice as slow as its vectorised sort of plain 64-bit keys.
    # For non-negative floats the IEEE-754 bit pattern read as an unsigned integer orders exactly
    # like the value, so we overwrite its lowest bits with the position, sort those keys and read
    # the positions back. Values that differ only in the overwritten bits (relative difference
    # below about n · 2⁻⁵²) may come out in position order; the check below finds them and a
    # stable sort of the almost-sorted result (timsort: close to linear) settles them exactly.
    # The same check catches -0.0, whose sign bit sorts it last.
    shift = np.uint64(int(n - 1).bit_length())
    keys = x.view(np.uint64) >> shift
    keys <<= shift
    keys |= np.arange(n, dtype=np.uint64)
    keys.sort()
    keys &= (np.uint64(1) << shift) - np.uint64(1)
    order = keys.view(np.int64).astype(np.intp, copy=False)
    xs = x[order]
    if (xs[1:] < xs[:-1]).any():
        fix = np.argsort(xs, kind="stable")
        order = order[fix]
        xs = xs[fix]
    return xs, w[order]


def gini(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    r"""Gini coefficient of ``values``, each counted with its ``weights`` (e.g. population).

    Parameters
    ----------
    values : one non-negative value per area (e.g. mean household income)
    weights : one positive weight per area (e.g. number of residents); ``None`` counts every
        area once

    Returns
    -------
    float
        The Gini coefficient: 0 when all areas have the same value, and below 1 (at most
        1 − 1/n for n unweighted areas).

    Notes
    -----
    With weights :math:`w_i`, total weight :math:`W = \sum_i w_i` and weighted mean
    :math:`\mu = \sum_i w_i x_i / W`,

    .. math:: G = \frac{\sum_i \sum_j w_i w_j \lvert x_i - x_j \rvert}{2 W^2 \mu}.

    It is computed in O(n log n): sort by value, let :math:`C_i` be the cumulative weight up to
    and including observation i; then the double sum equals
    :math:`2 \sum_i w_i x_i (2 C_i - w_i - W)`. Without weights this is the usual rank form
    :math:`\sum_i (2i - n - 1) x_{(i)} / (n^2 \mu)`. There is no small-sample factor
    n/(n − 1): with whole-number weights the result equals the Gini of the data in which each
    value is repeated :math:`w_i` times (Cowell 2011).

    References
    ----------
    Cowell, F. A. (2011). *Measuring Inequality* (3rd ed.). Oxford University Press.

    Examples
    --------
    >>> gini([1, 2, 3, 4])
    0.25

    Weight 3 for the value 10 is the same as the value 10 three times:

    >>> gini([10, 20], weights=[3, 1]) == gini([10, 10, 10, 20])
    True
    >>> gini([10, 20], weights=[3, 1])
    0.15
    """
    x = _as_values(values, "gini")
    w = _as_weights(weights, x.size, "gini")
    if w is None:
        xs = _sorted_values(x)
        n = xs.size
        total = float(xs.sum())
        if total == 0:
            raise ValueError("gini: all values are zero, so the Gini coefficient is undefined")
        terms = np.arange(1 - n, n, 2, dtype=np.float64)  # 2i − n − 1 for i = 1 … n
        terms *= xs
        return max(0.0, float(terms.sum()) / (n * total))
    xs, ws = _sorted_pairs(x, w)
    cumulative = np.cumsum(ws)
    total_weight = float(cumulative[-1])
    # In place from here on (xs is our own copy), to spare 8 MB temporaries per million values.
    weighted = xs
    weighted *= ws
    total = float(weighted.sum())
    if total == 0:
        raise ValueError("gini: all values are zero, so the Gini coefficient is undefined")
    # (W_<i) − (W_>i) = 2 C_i − w_i − W, times w_i x_i
    cumulative *= 2.0
    cumulative -= ws
    cumulative -= total_weight
    cumulative *= weighted
    return max(0.0, float(cumulative.sum()) / (total_weight * total))


# --------------------------------------------------------------------------------------------
# Generalised entropy


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


# --------------------------------------------------------------------------------------------
# Atkinson


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


# --------------------------------------------------------------------------------------------
# Decomposition by area level


def decompose_by_level(
    values: ArrayLike,
    weights: ArrayLike | None,
    parent_codes: ArrayLike,
    measure: Literal["theil", "mld"] = "theil",
) -> Decomposition:
    r"""Split inequality between areas into between and within their parent areas.

    For example: 22 gebieden, each with its mean income and population, and the stadsdeel each
    lies in. *Between* is the inequality that remains when every gebied gets its stadsdeel's
    (population-weighted) mean; *within* is the weighted sum of the inequality among the
    gebieden of each stadsdeel. The two add up to the inequality among all gebieden.

    Parameters
    ----------
    values : one value per area (e.g. per gebied)
    weights : one positive weight per area (residents), or ``None`` to count areas equally
    parent_codes : the code of each area's parent (e.g. stadsdeel ``"A"`` … ``"T"``)
    measure : ``"theil"`` (Theil's T, within weighted by value shares) or ``"mld"`` (mean log
        deviation, within weighted by population shares; needs positive values)

    Returns
    -------
    Decomposition
        ``total``, ``between``, ``within``, ``between_share`` and one
        :class:`GroupContribution` per parent area.

    Notes
    -----
    Theil T: :math:`T = \sum_g s_g \ln(\mu_g/\mu) + \sum_g s_g T_g`; MLD:
    :math:`L = \sum_g v_g \ln(\mu/\mu_g) + \sum_g v_g L_g`, with :math:`v_g` a parent's
    population share and :math:`s_g` its value share. Only these GE measures decompose exactly
    (Shorrocks 1980); the Gini does not. The result measures inequality *between areas*, not
    between persons: inequality inside the smallest areas is not in the data, so the total
    understates person-level inequality.

    References
    ----------
    Shorrocks, A. F. (1980). The class of additively decomposable inequality measures.
    *Econometrica*, 48(3), 613–625.
    Cowell, F. A. (2011). *Measuring Inequality* (3rd ed.). Oxford University Press.

    Examples
    --------
    >>> d = decompose_by_level([30, 40, 50, 50], [100, 100, 200, 200], ["A", "A", "B", "B"])
    >>> abs(d.between + d.within - d.total) < 1e-12
    True
    >>> [(g.label, round(g.population_share, 2)) for g in d.groups]
    [('A', 0.33), ('B', 0.67)]
    """
    if measure == "theil":
        return theil(values, weights, groups=parent_codes)
    if measure == "mld":
        return mean_log_deviation(values, weights, groups=parent_codes)
    raise ValueError(f"decompose_by_level: measure must be 'theil' or 'mld', got {measure!r}")


# --------------------------------------------------------------------------------------------
# batch versions: one statistic per row, for bootstrap replicates


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
