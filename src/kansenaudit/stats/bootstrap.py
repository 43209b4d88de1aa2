# SPDX-License-Identifier: EUPL-1.2
"""Bootstrap confidence intervals for statistics computed over areas.

The resampling unit is the observation, usually an area: each bootstrap sample draws n areas
with replacement from the n observed ones, and every drawn area keeps its own value, weight and
group label. The statistic is recomputed on each sample, and the spread of those replicates
gives the interval (Efron & Tibshirani 1993). Plain-language explanation for auditors:
``docs/methods/bootstrap.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr, ndtri

__all__ = ["Interval", "bootstrap_interval"]

Method = Literal["percentile", "basic", "bca"]
_METHODS = ("percentile", "basic", "bca")

# At most this many resampled indices are held in memory at once (32 MB of int64); below it all
# bootstrap samples are drawn in one call.
_MAX_DRAWN = 1 << 22


@dataclass(frozen=True)
class Interval:
    """A bootstrap confidence interval.

    Attributes
    ----------
    estimate : the statistic on the observed data
    low, high : the interval's bounds
    level : the confidence level, e.g. 0.95
    n_boot : number of bootstrap samples
    method : ``"percentile"``, ``"basic"`` or ``"bca"``
    standard_error : standard deviation of the bootstrap replicates
    """

    estimate: float
    low: float
    high: float
    level: float
    n_boot: int
    method: str
    standard_error: float


def _as_float(result: Any, component: str | None) -> float:
    if component is not None:
        if not hasattr(result, component):
            raise ValueError(
                f"the statistic's result ({type(result).__name__}) has no component {component!r}"
            )
        result = getattr(result, component)
    if np.ndim(result) != 0 or not isinstance(result, (int, float, np.number)):
        hint = ""
        if hasattr(result, "between") and hasattr(result, "within"):
            hint = "; pass component='total', 'between', 'within' or 'between_share'"
        raise TypeError(f"the statistic must return one number, got {type(result).__name__}{hint}")
    return float(result)


def bootstrap_interval(
    statistic: Callable[..., Any],
    values: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    groups: ArrayLike | None = None,
    component: str | None = None,
    strata: ArrayLike | None = None,
    n_boot: int = 999,
    level: float = 0.95,
    seed: int | np.random.Generator = 0,
    method: Method = "percentile",
) -> Interval:
    r"""Bootstrap confidence interval for ``statistic(values, weights)``.

    Parameters
    ----------
    statistic : called as ``statistic(values, weights)``, or as
        ``statistic(values, weights, groups=groups)`` when ``groups`` is given; ``weights`` is
        passed as ``None`` when there are none. It returns a number, or an object (such as a
        :class:`~kansenaudit.stats.inequality.Decomposition`) of which ``component`` is used.
        Examples: :func:`~kansenaudit.stats.inequality.gini`,
        :func:`~kansenaudit.stats.inequality.theil`.
    values : one value per observation (area)
    weights : one weight per observation (e.g. residents), or ``None``
    groups : one group label per observation (e.g. stadsdeel), resampled with it
    component : attribute of the statistic's result to bootstrap, e.g. ``"between"``,
        ``"within"``, ``"total"`` or ``"between_share"`` of a decomposition
    strata : one stratum label per observation (e.g. stadsdeel): each sample then draws, within
        every stratum, as many observations as it has, so the strata keep their sizes (a
        stratified bootstrap; use it for a between-stadsdeel share, whose groups are fixed)
    n_boot : number of bootstrap samples B (at least 2; 999 or more for a published interval)
    level : confidence level, between 0 and 1
    seed : seed of numpy's random generator, or a ``numpy.random.Generator`` (then its state
        advances); the same seed and data give the same interval
    method : ``"percentile"``, ``"basic"`` or ``"bca"`` (bias-corrected and accelerated; also
        recomputes the statistic n times for the jackknife)

    Returns
    -------
    Interval
        The estimate on the observed data, the bounds, and the replicates' standard deviation.

    Notes
    -----
    Each of the B samples draws n indices uniformly with replacement; a drawn observation keeps
    its own weight and group label (areas are resampled, not persons). With
    :math:`\hat\theta^*_{(q)}` the q-quantile of the replicates and :math:`a = 1 - \text{level}`:

    - percentile: :math:`[\hat\theta^*_{(a/2)}, \hat\theta^*_{(1-a/2)}]`;
    - basic: :math:`[2\hat\theta - \hat\theta^*_{(1-a/2)}, 2\hat\theta -
      \hat\theta^*_{(a/2)}]`;
    - BCa: the percentile interval at levels
      :math:`\Phi\bigl(z_0 + (z_0 + z_q) / (1 - \hat a (z_0 + z_q))\bigr)`, with bias
      correction :math:`z_0 = \Phi^{-1}(\#\{\hat\theta^* < \hat\theta\} / B)` (ties count half)
      and acceleration :math:`\hat a = \sum d_i^3 / \bigl(6 (\sum d_i^2)^{3/2}\bigr)`, where
      :math:`d_i = \bar\theta_{(\cdot)} - \hat\theta_{(i)}` are jackknife deviations.

    Quantiles use numpy's default linear interpolation.

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall,
    ch. 13 (percentile), 14 (BCa).
    Davison, A. C., & Hinkley, D. V. (1997). *Bootstrap Methods and their Application*.
    Cambridge University Press, ch. 5 (basic interval).

    Examples
    --------
    >>> from kansenaudit.stats.inequality import gini, theil
    >>> income = [27100, 29300, 31500, 34300, 36900, 41400, 44100, 59500]
    >>> residents = [24419, 27260, 26833, 36116, 64793, 43476, 43023, 54534]
    >>> iv = bootstrap_interval(gini, income, residents, n_boot=199, seed=1)
    >>> iv.low <= iv.estimate <= iv.high, iv.level, iv.method
    (True, 0.95, 'percentile')
    >>> parent = ["T", "T", "N", "E", "K", "A", "A", "K"]
    >>> between = bootstrap_interval(
    ...     theil, income, residents, groups=parent, component="between", n_boot=99
    ... )
    >>> 0 <= between.low <= between.high
    True
    """
    x = np.asarray(values)
    if x.ndim != 1:
        raise ValueError(f"bootstrap: values must be one-dimensional, got shape {x.shape}")
    n = x.size
    if n < 2:
        raise ValueError("bootstrap: needs at least 2 observations to resample")
    w = None if weights is None else np.asarray(weights)
    g = None if groups is None else np.asarray(groups)
    st = None if strata is None else np.asarray(strata)
    for name, arr in (("weights", w), ("groups", g), ("strata", st)):
        if arr is not None and (arr.ndim != 1 or arr.size != n):
            raise ValueError(f"bootstrap: {n} values but {name} of shape {arr.shape}")
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 2:
        raise ValueError(f"bootstrap: n_boot must be a whole number ≥ 2, got {n_boot!r}")
    if not 0 < level < 1:
        raise ValueError(f"bootstrap: level must lie strictly between 0 and 1, got {level!r}")
    if method not in _METHODS:
        raise ValueError(f"bootstrap: method must be one of {_METHODS}, got {method!r}")

    def evaluate(index: NDArray[np.intp] | None) -> float:
        if index is None:
            result = statistic(x, w) if g is None else statistic(x, w, groups=g)
        else:
            xs = x[index]
            ws = None if w is None else w[index]
            result = statistic(xs, ws) if g is None else statistic(xs, ws, groups=g[index])
        return _as_float(result, component)

    estimate = evaluate(None)
    batch = _batch_statistic(statistic, component, g)
    codes = None if g is None else np.unique(g, return_inverse=True)[1]

    def evaluate_rows(index: NDArray[np.intp]) -> NDArray[np.float64]:
        """The statistic on every row of indices: one vectorised call where one exists."""
        if batch is None:
            return np.array([evaluate(row) for row in index], dtype=float)
        # Same draws, same numbers as the loop, one call per block: the state-of-opportunity
        # run bootstraps thousands of indicator × level × year cells.
        ws = None if w is None else w[index]
        return batch(x[index], ws) if codes is None else batch(x[index], ws, codes[index])

    replicates = np.empty(int(n_boot))
    block = max(1, min(int(n_boot), _MAX_DRAWN // n))
    reusable = isinstance(seed, (int, np.integer)) and block == int(n_boot)
    rng = None
    for start in range(0, int(n_boot), block):
        stop = min(start + block, int(n_boot))
        if reusable:
            drawn = _cached_draw(int(seed), stop - start, n, st)
        else:
            if rng is None:
                rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
            drawn = _draw(rng, stop - start, n, st)
        replicates[start:stop] = evaluate_rows(drawn)
    if not np.isfinite(replicates).all():
        bad = int((~np.isfinite(replicates)).sum())
        raise ValueError(f"bootstrap: the statistic was not finite on {bad} of the samples")

    alpha = 1.0 - float(level)
    if method == "bca":
        quantiles = _bca_levels(replicates, estimate, alpha, n, evaluate_rows)
    else:
        quantiles = np.array([alpha / 2, 1 - alpha / 2])
    q_low, q_high = (float(q) for q in np.quantile(replicates, quantiles))
    if method == "basic":
        low, high = 2 * estimate - q_high, 2 * estimate - q_low
    else:
        low, high = q_low, q_high
    return Interval(
        estimate=estimate,
        low=low,
        high=high,
        level=float(level),
        n_boot=int(n_boot),
        method=method,
        standard_error=float(replicates.std(ddof=1)),
    )


def _leave_one_out(n: int) -> NDArray[np.intp]:
    """The jackknife samples as rows of indices: row i holds every index but i, in order.

    >>> _leave_one_out(3).tolist()
    [[1, 2], [0, 2], [0, 1]]
    """
    positions = np.arange(n - 1)
    return positions[None, :] + (positions[None, :] >= np.arange(n)[:, None])


# Bootstrap samples drawn from an integer seed, kept for the next call with the same seed, size
# and strata: the run bootstraps the Gini and the Theil of the same areas with the same seed, so
# the second call reuses the first one's draws instead of drawing them again. The numbers are
# the same either way (same seed, same draws); only the drawing is saved. Bounded, and the
# arrays are read-only so no caller can change another's samples.
_DRAWS: dict[tuple, NDArray[np.intp]] = {}
_MAX_CACHED_DRAWS = 64


def _cached_draw(seed: int, rows: int, n: int, strata: NDArray | None) -> NDArray[np.intp]:
    key = (seed, rows, n, None if strata is None else tuple(strata.tolist()))
    drawn = _DRAWS.get(key)
    if drawn is None:
        drawn = _draw(np.random.default_rng(seed), rows, n, strata)
        drawn.flags.writeable = False
        if len(_DRAWS) >= _MAX_CACHED_DRAWS:
            _DRAWS.pop(next(iter(_DRAWS)))
        _DRAWS[key] = drawn
    return drawn


def _draw(rng: np.random.Generator, rows: int, n: int, strata: NDArray | None) -> NDArray[np.intp]:
    """``rows`` bootstrap samples of ``n`` indices, drawn within strata when given."""
    if strata is None:
        return rng.integers(0, n, size=(rows, n))
    drawn = np.empty((rows, n), dtype=np.intp)
    labels = np.unique(strata)
    for label in labels:
        members = np.flatnonzero(strata == label)
        picks = rng.integers(0, members.size, size=(rows, members.size))
        drawn[:, members] = members[picks]
    return drawn


def _batch_statistic(
    statistic: Callable[..., Any], component: str | None, groups: NDArray | None
) -> Callable[..., NDArray[np.float64]] | None:
    """A row-wise version of ``statistic`` where one exists (Gini, Theil T, between share)."""
    from kansenaudit.stats import dispersion, inequality

    if groups is None and component is None:
        return {
            inequality.gini: inequality.gini_rows,
            inequality.theil: inequality.theil_rows,
            dispersion.weighted_sd: dispersion.weighted_sd_rows,
        }.get(statistic)
    if groups is not None and statistic is inequality.theil and component == "between_share":
        return inequality.theil_between_share_rows
    return None


def _bca_levels(
    replicates: NDArray[np.float64],
    estimate: float,
    alpha: float,
    n: int,
    evaluate_rows: Callable[[NDArray[np.intp]], NDArray[np.float64]],
) -> NDArray[np.float64]:
    """Quantile levels of the BCa interval (Efron & Tibshirani 1993, ch. 14)."""
    b = replicates.size
    share_below = (
        np.count_nonzero(replicates < estimate) + np.count_nonzero(replicates <= estimate)
    ) / (2 * b)
    # Why the clip: if the estimate lies outside every replicate, z0 would be infinite; clipping
    # to half a replicate keeps the interval at the outermost replicate instead.
    share_below = min(max(share_below, 0.5 / b), 1 - 0.5 / b)
    z0 = float(ndtri(share_below))
    jackknife = evaluate_rows(_leave_one_out(n))
    deviation = jackknife.mean() - jackknife
    spread = float(np.sum(deviation**2))
    acceleration = float(np.sum(deviation**3)) / (6 * spread**1.5) if spread > 0 else 0.0
    z = ndtri(np.array([alpha / 2, 1 - alpha / 2]))
    denominator = 1 - acceleration * (z0 + z)
    if (denominator <= 0).any():
        raise ValueError(
            "bootstrap: the BCa acceleration is too large for this level; use "
            "method='percentile' or a lower level"
        )
    return ndtr(z0 + (z0 + z) / denominator)
