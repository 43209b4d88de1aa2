# SPDX-License-Identifier: EUPL-1.2
"""Stacking of disadvantages (*stapeling*): several methods side by side, and their robustness.

Input is a matrix areas × indicators (NaN = missing) and a polarity per indicator: +1 when a
higher value is better (e.g. share with a starting qualification), −1 when higher is worse (e.g.
share of low-income households). All scores point the same way: **higher = more disadvantaged**.

- :func:`count_beyond_threshold` counts unfavourable positions (CBS Monitor Brede Welvaart style);
- :func:`zscore_composite` averages direction-aligned z-scores (Child Opportunity Index style);
- :func:`imd_composite` ranks, transforms exponentially and weights (English IoD style);
- :func:`classify` turns scores into quantile classes; :func:`sensitivity` shows which areas
  change class under other reasonable weights.

See ``docs/methods/stacking.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "CompositeResult",
    "CountResult",
    "SensitivityResult",
    "classify",
    "count_beyond_threshold",
    "exponential_transform",
    "imd_composite",
    "sensitivity",
    "zscore_composite",
]

WORST_FRACTIONS = {"worst_decile": 0.1, "worst_quintile": 0.2, "worst_quartile": 0.25}
_IMD_CONSTANT = 1.0 - np.exp(-100.0 / 23.0)


@dataclass(frozen=True, eq=False)
class CountResult:
    """Number of indicators on which each area is in an unfavourable position.

    ``flags`` (areas × indicators) marks those positions; ``share`` = count / n_available.
    """

    count: np.ndarray
    n_available: np.ndarray
    share: np.ndarray
    flags: np.ndarray
    method: str


@dataclass(frozen=True, eq=False)
class CompositeResult:
    """A composite disadvantage score per area (higher = more disadvantaged).

    ``rank`` is 1 for the most disadvantaged area (0 where the score is missing);
    ``components`` are the per-indicator values that were averaged (aligned z-scores or
    exponentially transformed ranks).
    """

    score: np.ndarray
    rank: np.ndarray
    components: np.ndarray
    n_available: np.ndarray
    method: str


@dataclass(frozen=True, eq=False)
class SensitivityResult:
    """How stable each area's class is under alternative weights.

    ``classes`` has one row per alternative (labels in ``alternative_labels``); class 0 means
    no score. ``share_changed`` is the share of alternatives (with a class) in which the area's
    class differs from ``base_class``; ``changed_areas`` are the indices of areas that change in
    at least one alternative.
    """

    base_class: np.ndarray
    min_class: np.ndarray
    max_class: np.ndarray
    share_changed: np.ndarray
    changed_areas: np.ndarray
    classes: np.ndarray
    alternative_labels: tuple[str, ...]
    method: str


# --- input checks and shared steps -------------------------------------------------------------


def _rankdata(a: np.ndarray, **kwargs: object) -> np.ndarray:
    """scipy.stats.rankdata, imported on first use: scipy.stats takes ~0.5 s to import."""
    from scipy.stats import rankdata

    return rankdata(a, **kwargs)  # type: ignore[arg-type]


def _aligned(matrix: ArrayLike, polarity: ArrayLike) -> np.ndarray:
    """Values turned so that higher = worse, i.e. −polarity · x."""
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2:
        raise ValueError("matrix must be two-dimensional: areas × indicators")
    pol = np.asarray(polarity, dtype=float).ravel()
    if pol.size != x.shape[1]:
        raise ValueError(f"need one polarity per indicator ({x.shape[1]}), got {pol.size}")
    if not np.all(np.abs(pol) == 1):
        raise ValueError("polarity must be +1 (higher is better) or -1 (higher is worse)")
    return x * -pol


def _weights(weights: ArrayLike | None, k: int) -> np.ndarray:
    """Non-negative weights summing to 1 (equal when None)."""
    if weights is None:
        return np.full(k, 1.0 / k)
    w = np.asarray(weights, dtype=float).ravel()
    if w.size != k:
        raise ValueError(f"need one weight per indicator ({k}), got {w.size}")
    if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError("weights must be finite, non-negative and not all zero")
    return w / w.sum()


def _available_mean(components: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean over non-missing indicators; ``weights`` (k,) or (K, k) → (areas,[K]).

    Weights are renormalised per area over the indicators it has: Σ wⱼcᵢⱼ / Σ wⱼ (j available).
    """
    avail = np.isfinite(components)
    num = np.where(avail, components, 0.0) @ weights.T
    den = avail.astype(float) @ weights.T
    ok = den > 0
    return np.where(ok, num / np.where(ok, den, 1.0), np.nan)


def _rank_most_first(score: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score (most disadvantaged); ties share the best rank; 0 = missing."""
    r = _rankdata(-score, method="min", nan_policy="omit")
    return np.where(np.isfinite(r), r, 0).astype(np.int64)


# --- methods -------------------------------------------------------------------------------------


def count_beyond_threshold(
    matrix: ArrayLike,
    polarity: ArrayLike,
    *,
    threshold: Literal["worst_decile", "worst_quintile", "worst_quartile"] | float = (
        "worst_quintile"
    ),
) -> CountResult:
    """Count the indicators on which an area is among the worst.

    Parameters
    ----------
    matrix : array_like, shape (areas, indicators)
        Indicator values; NaN = missing.
    polarity : array_like, shape (indicators,)
        +1 higher is better, −1 higher is worse.
    threshold : str or float
        ``"worst_quintile"`` (default), ``"worst_decile"`` or ``"worst_quartile"``: the area is
        among the worst 20 % / 10 % / 25 % of areas with a value on that indicator. A number
        z: the area lies at least z standard deviations from the mean in the unfavourable
        direction.

    Returns
    -------
    CountResult

    Notes
    -----
    Worst fraction f: with m areas having a value and wᵢ the number of areas *strictly* worse
    than area i, area i is flagged when wᵢ + 1 ≤ f·m. Ties are all flagged or all not, so
    slightly more than f·m areas can be flagged when several share the threshold value.
    Z threshold: flagged when −polarity·(x − mean)/sd ≥ z (sd with divisor m). Areas with
    missing indicators have fewer chances to be flagged: compare ``count`` with
    ``n_available`` or use ``share``.

    This follows the CBS Monitor Brede Welvaart, which counts *persons* with 3 or more of
    9 unfavourable outcomes; here the unit is an area and the outcomes are area averages, so a
    high count shows stacking within an area, not that the same residents are affected.

    References
    ----------
    CBS (2024). *Monitor Brede Welvaart & de Sustainable Development Goals 2024*, theme
    "Kansen(on)gelijkheid", stacking of unfavourable outcomes. Centraal Bureau voor de
    Statistiek, Den Haag.

    Examples
    --------
    >>> first = np.arange(1.0, 11.0)  # higher is better
    >>> second = np.array([9, 8, 7, 6, np.nan, 5, 4, 3, 2, 1])  # higher is worse
    >>> r = count_beyond_threshold(np.column_stack([first, second]), [+1, -1])
    >>> r.count, r.n_available
    (array([2, 1, 0, 0, 0, 0, 0, 0, 0, 0]), array([2, 2, 2, 2, 1, 2, 2, 2, 2, 2]))
    """
    a = _aligned(matrix, polarity)
    avail = np.isfinite(a)
    m = avail.sum(axis=0)
    if isinstance(threshold, str):
        if threshold not in WORST_FRACTIONS:
            raise ValueError(f"threshold must be one of {sorted(WORST_FRACTIONS)} or a number")
        frac = WORST_FRACTIONS[threshold]
        at_most = _rankdata(a, method="max", axis=0, nan_policy="omit")
        worse = m[None, :] - np.where(avail, at_most, 0.0)
        # The tiny tolerance keeps e.g. 0.1 · 30 = 3.0000000000000004 from excluding rank 3.
        flags = avail & (worse + 1 <= frac * m[None, :] + 1e-9)
        method = f"aantal indicatoren bij de slechtste {frac:.0%} van de gebieden"
    else:
        z = _aligned_z(a, None)
        flags = np.isfinite(z) & (z >= float(threshold))
        method = f"aantal indicatoren ≥ {float(threshold):g} sd ongunstiger dan het gemiddelde"
    count = flags.sum(axis=1)
    n_avail = avail.sum(axis=1)
    share = np.where(n_avail > 0, count / np.maximum(n_avail, 1), np.nan)
    return CountResult(count=count, n_available=n_avail, share=share, flags=flags, method=method)


def _aligned_z(aligned: np.ndarray, population: ArrayLike | None) -> np.ndarray:
    """Column z-scores of aligned values, optionally population-weighted; NaN if no spread."""
    avail = np.isfinite(aligned)
    if population is None:
        pop = np.ones(aligned.shape[0])
    else:
        pop = np.asarray(population, dtype=float).ravel()
        if pop.size != aligned.shape[0]:
            raise ValueError("population needs one value per area")
        pop = np.where(np.isfinite(pop) & (pop > 0), pop, 0.0)
    w = np.where(avail, pop[:, None], 0.0)
    filled = np.where(avail, aligned, 0.0)
    sw = w.sum(axis=0)
    sw_safe = np.where(sw > 0, sw, 1.0)
    mean = (w * filled).sum(axis=0) / sw_safe
    dev = np.where(avail, filled - mean, 0.0)
    sd = np.sqrt((w * dev * dev).sum(axis=0) / sw_safe)
    # A constant indicator has no spread and says nothing about stacking: leave it out.
    ok = (sw > 0) & (sd > 1e-12 * np.maximum(np.abs(mean), 1.0))
    return np.where(avail & ok, dev / np.where(ok, sd, 1.0), np.nan)


def zscore_composite(
    matrix: ArrayLike,
    polarity: ArrayLike,
    weights: ArrayLike | None = None,
    population: ArrayLike | None = None,
) -> CompositeResult:
    """Weighted mean of direction-aligned z-scores over the available indicators.

    Parameters
    ----------
    matrix : array_like, shape (areas, indicators)
        Indicator values; NaN = missing.
    polarity : array_like, shape (indicators,)
        +1 higher is better, −1 higher is worse.
    weights : array_like, optional
        Relative weight per indicator (equal when None).
    population : array_like, optional
        Residents per area; when given, each indicator's mean and sd are population-weighted
        so the z-score compares with the average *resident* rather than the average area.

    Returns
    -------
    CompositeResult
        ``components`` holds the aligned z-scores.

    Notes
    -----
    zᵢⱼ = −polarityⱼ · (xᵢⱼ − x̄ⱼ)/sⱼ, with x̄ⱼ and sⱼ (divisor Σ weights, i.e. the areas are the
    whole population, not a sample) over areas with a value. Score
    Sᵢ = Σⱼ wⱼzᵢⱼ / Σⱼ wⱼ over j available for area i (weights renormalised over what is
    present). An indicator without spread is left out. Z-scores let an extreme value on one
    indicator compensate good values elsewhere; skewed indicators weigh more through their
    tails.

    References
    ----------
    Noelke, C., McArdle, N., Baek, M., et al. (2020). *Child Opportunity Index 2.0 Technical
    Documentation*. diversitydatakids.org, Brandeis University.
    OECD / JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User
    Guide*, §5 (normalisation) and §6 (weighting). OECD Publishing, Paris.

    Examples
    --------
    >>> r = zscore_composite([[1, 9], [2, 8], [3, 7]], [+1, -1])
    >>> np.round(r.score, 3), r.rank
    (array([ 1.225,  0.   , -1.225]), array([1, 2, 3]))
    """
    a = _aligned(matrix, polarity)
    w = _weights(weights, a.shape[1])
    z = _aligned_z(a, population)
    score = _available_mean(z, w)
    method = "gewogen gemiddelde van z-scores (hoger = meer achterstand)"
    if population is not None:
        method += "; gemiddelde en sd gewogen naar inwoners"
    return CompositeResult(
        score=score,
        rank=_rank_most_first(score),
        components=z,
        n_available=np.isfinite(z).sum(axis=1),
        method=method,
    )


def exponential_transform(r: ArrayLike) -> np.ndarray | float:
    """The English IoD exponential transform of a scaled rank R ∈ (0, 1] to X ∈ (0, 100].

    Notes
    -----
    X = −23 · ln(1 − R · (1 − e^{−100/23})). R → 0 gives 0, R = 1 gives 100; the curve is flat
    for most areas and steep for the most deprived tenth, so a low rank on one domain is only
    partly offset by good ranks elsewhere.

    References
    ----------
    MHCLG (2019). *The English Indices of Deprivation 2019: Technical Report*, §3.6
    ("Combining the domains"). Ministry of Housing, Communities & Local Government, London.

    Examples
    --------
    >>> exponential_transform(1.0), exponential_transform(0.0)
    (100.0, 0.0)
    >>> round(exponential_transform(0.5), 2)
    15.65
    """
    arr = np.asarray(r, dtype=float)
    if np.any(np.isfinite(arr) & ((arr < 0.0) | (arr > 1.0))):
        raise ValueError("scaled ranks must lie between 0 and 1")
    x = -23.0 * np.log1p(-arr * _IMD_CONSTANT)
    x = np.where(arr == 1.0, 100.0, x)  # exact endpoint despite rounding in the constant
    return float(x) if x.ndim == 0 else x


def imd_composite(
    matrix: ArrayLike, polarity: ArrayLike, weights: ArrayLike | None = None
) -> CompositeResult:
    """English Indices of Deprivation style composite: rank, transform, weight, rank again.

    Parameters
    ----------
    matrix : array_like, shape (areas, indicators)
        Indicator (or domain) values; NaN = missing.
    polarity : array_like, shape (indicators,)
        +1 higher is better, −1 higher is worse.
    weights : array_like, optional
        Relative weight per indicator (equal when None). **These are our weights, not the
        IoD's** (the IoD 2019 weights its seven domains 22.5/22.5/13.5/13.5/9.3/9.3/9.3 %).

    Returns
    -------
    CompositeResult
        ``components`` holds the transformed ranks X (0–100); ``score`` their weighted mean;
        ``rank`` 1 = most disadvantaged.

    Notes
    -----
    For each indicator j, with mⱼ areas having a value: rank the areas from least (1) to most
    disadvantaged (mⱼ), ties get the average rank; Rᵢⱼ = rankᵢⱼ/mⱼ ∈ (0, 1];
    Xᵢⱼ = −23·ln(1 − Rᵢⱼ(1 − e^{−100/23})) (:func:`exponential_transform`); score
    Sᵢ = Σⱼ wⱼXᵢⱼ / Σⱼ wⱼ over available j. The IoD combines *domains* (each built from several
    indicators by shrinkage and factor analysis) and has no missing values; here each column is
    treated as a domain and missing values renormalise the weights. Only ranks matter, so the
    size of a difference between areas is lost.

    References
    ----------
    MHCLG (2019). *The English Indices of Deprivation 2019: Technical Report*, §3.6.
    Noble, M., Wright, G., Smith, G., Dibben, C. (2006). Measuring multiple deprivation at the
    small-area level. *Environment and Planning A* 38, 169–185.

    Examples
    --------
    >>> r = imd_composite([[1, 9], [2, 8], [3, 7], [4, 6]], [+1, -1])
    >>> np.round(r.score, 2), r.rank
    (array([100.  ,  31.01,  15.65,   6.52]), array([1, 2, 3, 4]))
    """
    a = _aligned(matrix, polarity)
    w = _weights(weights, a.shape[1])
    avail = np.isfinite(a)
    m = avail.sum(axis=0)
    ranks = _rankdata(a, method="average", axis=0, nan_policy="omit")
    scaled = np.where(avail, ranks / np.maximum(m, 1)[None, :], np.nan)
    x = exponential_transform(scaled)
    score = _available_mean(np.asarray(x), w)
    return CompositeResult(
        score=score,
        rank=_rank_most_first(score),
        components=np.asarray(x),
        n_available=avail.sum(axis=1),
        method="rangschikking, exponentiële transformatie (IoD-stijl), eigen gewichten",
    )


def classify(scores: ArrayLike, n_classes: int = 5) -> np.ndarray:
    """Quantile classes: 1 = least disadvantaged … ``n_classes`` = most; 0 = no score.

    Parameters
    ----------
    scores : array_like, shape (areas,) or (alternatives, areas)
        Higher = more disadvantaged; each row is classified on its own. NaN → class 0.
    n_classes : int
        Number of classes (5 = quintiles).

    Returns
    -------
    ndarray of int

    Notes
    -----
    With m scored areas and rᵢ the rank of area i from low to high, ties getting the *lowest*
    rank of their group (competition ranking): classᵢ = ⌊n_classes·(rᵢ − 1)/m⌋ + 1. Tied areas
    always share a class (the lower one, so a tie never pushes an area into a worse class), and
    the result does not depend on the order of the areas. Classes are relative: the worst
    quintile always holds about a fifth of the areas, whatever the absolute level.

    References
    ----------
    Hyndman, R. J., Fan, Y. (1996). Sample quantiles in statistical packages. *The American
    Statistician* 50, 361–365.

    Examples
    --------
    >>> classify([0.1, 0.5, 0.5, 0.9, np.nan, 2.0], n_classes=3)
    array([1, 1, 1, 2, 0, 3])
    """
    s = np.asarray(scores, dtype=float)
    if n_classes < 1:
        raise ValueError("n_classes must be at least 1")
    if s.ndim not in (1, 2):
        raise ValueError("scores must be one- or two-dimensional")
    avail = np.isfinite(s)
    m = avail.sum(axis=-1, keepdims=True)
    ranks = _rankdata(s, method="min", axis=-1, nan_policy="omit")
    ranks = np.where(avail, ranks, 1.0)
    cls = np.floor(n_classes * (ranks - 1.0) / np.maximum(m, 1)).astype(np.int64) + 1
    return np.where(avail, cls, 0)


def sensitivity(
    matrix: ArrayLike,
    polarity: ArrayLike,
    weights: ArrayLike | None,
    *,
    method: Literal["zscore", "imd"],
    alternatives: Mapping[str, ArrayLike] | None = None,
    n_random: int = 200,
    seed: int = 0,
    n_classes: int = 5,
    population: ArrayLike | None = None,
    indicator_names: Sequence[str] | None = None,
) -> SensitivityResult:
    """Recompute classes under alternative weights and report which areas change class.

    Parameters
    ----------
    matrix, polarity, weights : as in :func:`zscore_composite` / :func:`imd_composite`
        ``weights`` are the base weights (equal when None).
    method : {"zscore", "imd"}
        Which composite to test.
    alternatives : mapping of label → weights, optional
        Use exactly these weight vectors. When None (default): equal weights, each indicator
        left out in turn, and ``n_random`` random weight vectors.
    n_random : int
        Number of random weight vectors from a flat Dirichlet(1, …, 1), i.e. uniform over all
        weightings summing to 1. Only used when ``alternatives`` is None.
    seed : int
        Seed of the random generator, so reruns give the same result.
    n_classes : int
        Number of quantile classes.
    population : array_like, optional
        Passed to the z-score method.
    indicator_names : sequence of str, optional
        Names for the leave-one-out labels.

    Returns
    -------
    SensitivityResult

    Notes
    -----
    The per-indicator components (z-scores or transformed ranks) do not depend on the weights,
    so all alternatives are one matrix product: S = C·Wᵀ / (A·Wᵀ) with C the components (0 where
    missing), A the availability mask and W one weight vector per row. An area whose class
    changes under many plausible weightings should not be reported as firmly in that class.

    References
    ----------
    Saisana, M., Saltelli, A., Tarantola, S. (2005). Uncertainty and sensitivity analysis
    techniques as tools for the quality assessment of composite indicators. *Journal of the
    Royal Statistical Society A* 168, 307–323.
    OECD / JRC (2008). *Handbook on Constructing Composite Indicators*, §7.

    Examples
    --------
    >>> m = [[1, 1, 9], [2, 2, 2], [3, 3, 3], [4, 4, 4], [5, 5, 5], [6, 6, 6]]
    >>> r = sensitivity(m, [1, 1, 1], None, method="zscore", n_random=20, n_classes=2)
    >>> r.base_class, r.changed_areas, len(r.alternative_labels)
    (array([2, 2, 2, 1, 1, 1]), array([0, 3]), 24)
    >>> r.alternative_labels[:2], np.round(r.share_changed[[0, 3]], 2)
    (('gelijke gewichten', 'zonder 0'), array([0.25, 0.25]))
    """
    a = _aligned(matrix, polarity)
    k = a.shape[1]
    base_w = _weights(weights, k)
    if method == "zscore":
        comp = _aligned_z(a, population)
    elif method == "imd":
        comp = np.asarray(imd_composite(matrix, polarity).components)
    else:
        raise ValueError("method must be 'zscore' or 'imd'")
    names = list(indicator_names) if indicator_names is not None else [str(j) for j in range(k)]
    if len(names) != k:
        raise ValueError("indicator_names needs one name per indicator")

    labels: list[str] = []
    rows: list[np.ndarray] = []
    if alternatives is None:
        labels.append("gelijke gewichten")
        rows.append(np.full(k, 1.0 / k))
        if k > 1:
            for j in range(k):  # k indicators, not areas: a short loop
                w = base_w.copy()
                w[j] = 0.0
                if w.sum() > 0:
                    labels.append(f"zonder {names[j]}")
                    rows.append(w / w.sum())
        if n_random > 0:
            rng = np.random.default_rng(seed)
            rows.extend(rng.dirichlet(np.ones(k), size=n_random))
            labels.extend(f"willekeurig {i + 1}" for i in range(n_random))
    else:
        for label, w in alternatives.items():
            labels.append(str(label))
            rows.append(_weights(w, k))
    if not rows:
        raise ValueError("no alternative weights to compare with")

    base_class = classify(_available_mean(comp, base_w), n_classes)
    classes = classify(_available_mean(comp, np.vstack(rows)).T, n_classes)
    valid = (classes > 0) & (base_class > 0)[None, :]
    changed = valid & (classes != base_class[None, :])
    n_valid = valid.sum(axis=0)
    share = np.where(n_valid > 0, changed.sum(axis=0) / np.maximum(n_valid, 1), np.nan)
    big = n_classes + 1
    lowest = np.where(valid, classes, big).min(axis=0)
    highest = np.where(valid, classes, 0).max(axis=0)
    has_base = base_class > 0
    min_class = np.where(has_base, np.minimum(lowest, base_class), 0)
    max_class = np.where(has_base, np.maximum(highest, base_class), 0)
    return SensitivityResult(
        base_class=base_class,
        min_class=min_class,
        max_class=max_class,
        share_changed=share,
        changed_areas=np.flatnonzero(changed.any(axis=0)),
        classes=classes,
        alternative_labels=tuple(labels),
        method=f"{method}-samenstelling, {len(rows)} alternatieve wegingen, {n_classes} klassen",
    )
