# SPDX-License-Identifier: EUPL-1.2
"""Trends since the 2019 baseline: change between two years, linear trends, change in gaps.

Everything is vectorised: pass one value per area (or a 2-D array series × years) and get arrays
back; scalar input gives floats. Shares are in percent (0–100); changes in percentage points.
See ``docs/methods/trends.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from kansenaudit.stats.gaps import (
    NO_N,
    NO_SD,
    ArrayOrFloat,
    as_array,
    check_share,
    complement_mean,
    finish,
    safe_divide,
    z_critical,
)
from kansenaudit.stats.multiple_testing import benjamini_hochberg

__all__ = [
    "ChangeResult",
    "GapChangeResult",
    "ScreenResult",
    "TrendResult",
    "change_since_baseline",
    "gap_change",
    "linear_trend",
    "screen_changes",
]

Kind = Literal["share", "mean"]

NARROWED = "kleiner"
WIDENED = "groter"
NO_CHANGE = "geen significante verandering"
NOT_TESTED = "geen toets: n onbekend"
NO_DATA = "geen gegevens"

# Rows per block in the OLS kernels: about a million cells keeps temporaries near 8 MB each.
_BLOCK_CELLS = 1 << 20


@dataclass(frozen=True, eq=False)
class ChangeResult:
    """Change from a baseline year to a later year (later − base)."""

    difference: ArrayOrFloat
    low: ArrayOrFloat
    high: ArrayOrFloat
    z: ArrayOrFloat
    p_value: ArrayOrFloat
    level: float
    method: str


@dataclass(frozen=True, eq=False)
class TrendResult:
    """OLS trend per series: slope per year, its standard error, t, two-sided p, points used."""

    slope: ArrayOrFloat
    intercept: ArrayOrFloat
    stderr: ArrayOrFloat
    t: ArrayOrFloat
    p_value: ArrayOrFloat
    n_points: np.ndarray | int
    method: str


@dataclass(frozen=True, eq=False)
class GapChangeResult:
    """Did the gap between area and reference narrow or widen between base and now?

    ``change`` = gap_now − gap_base; ``classification`` is one of ``"kleiner"``, ``"groter"``,
    ``"geen significante verandering"``, ``"geen toets: n onbekend"``, ``"geen gegevens"``.
    ``behind_base`` / ``behind_now`` say whether the area was worse off than the reference
    (given the polarity); ``crossed`` whether it moved from behind to ahead or back.
    """

    gap_base: ArrayOrFloat
    gap_now: ArrayOrFloat
    change: ArrayOrFloat
    change_low: ArrayOrFloat
    change_high: ArrayOrFloat
    z: ArrayOrFloat
    p_value: ArrayOrFloat
    p_adjusted: ArrayOrFloat
    classification: np.ndarray | str
    behind_base: np.ndarray | bool
    behind_now: np.ndarray | bool
    crossed: np.ndarray | bool
    level: float
    method: str


@dataclass(frozen=True, eq=False)
class ScreenResult:
    """Changes that stay significant after Benjamini–Hochberg control of the FDR."""

    rejected: np.ndarray
    p_adjusted: np.ndarray
    n_tested: int
    n_significant: int
    significant_index: np.ndarray
    method: str


class _HasPValue(Protocol):
    p_value: ArrayOrFloat


def _two_sided_p(z: np.ndarray) -> np.ndarray:
    """2·Φ(−|z|), NaN-preserving."""
    return 2.0 * special.ndtr(-np.abs(z))


def change_since_baseline(
    base_value: ArrayLike,
    value: ArrayLike,
    *,
    base_n: ArrayLike | None = None,
    n: ArrayLike | None = None,
    kind: Kind = "share",
    base_sd: ArrayLike | None = None,
    sd: ArrayLike | None = None,
    level: float = 0.95,
) -> ChangeResult:
    """Change since the baseline with a confidence interval and a two-sided test.

    Parameters
    ----------
    base_value, value : array_like
        Value in the baseline year (e.g. 2019) and in the later year; shares in percent.
    base_n, n : array_like, optional
        Units behind each value. Unknown (``None``/NaN): no interval and p is NaN.
    kind : {"share", "mean"}
        Shares in percent, or means (then ``base_sd`` and ``sd`` are needed for a test).
    base_sd, sd : array_like, optional
        Standard deviations of the unit values, for means.
    level : float
        Confidence level of the interval.

    Returns
    -------
    ChangeResult
        difference = value − base_value (percentage points for shares).

    Notes
    -----
    **Shares** (p₁ base, p₂ now, as proportions). The interval uses the *unpooled* standard
    error √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂) (Wald), because under the alternative the two shares
    differ. The test of "no change" uses the *pooled* share p̄ = (n₁p₁ + n₂p₂)/(n₁ + n₂):
    z = (p₂ − p₁)/√(p̄(1−p̄)(1/n₁ + 1/n₂)), the standard two-proportion z-test. The two can
    disagree at the margin (an interval just touching 0 with p just below 0.05).

    **Means**: a z-test with the unpooled (Welch) standard error,
    z = (m₂ − m₁)/√(s₁²/n₁ + s₂²/n₂), same SE for the interval.

    Both assume independent samples in the two years. For registers covering everyone, much of
    the population is the same in both years, so the test is conservative; for surveys with
    panel members it is not exact either.

    References
    ----------
    Agresti, A. (2013). *Categorical Data Analysis*, 3rd ed., §3.1 (Wiley).
    Fleiss, J. L., Levin, B., Paik, M. C. (2003). *Statistical Methods for Rates and
    Proportions*, 3rd ed., ch. 3 (Wiley).

    Examples
    --------
    >>> r = change_since_baseline(20.0, 25.0, base_n=1000, n=1000)
    >>> round(r.difference, 1), round(r.z, 3), round(r.p_value, 4)
    (5.0, 2.677, 0.0074)
    >>> round(r.low, 2), round(r.high, 2)
    (1.35, 8.65)
    >>> change_since_baseline(20.0, 25.0).method
    'geen interval: n onbekend'
    """
    zc = z_critical(level)
    if kind not in ("share", "mean"):
        raise ValueError(f"kind must be 'share' or 'mean', got {kind!r}")
    v1, v2, n1, n2 = np.broadcast_arrays(
        as_array(base_value), as_array(value), as_array(base_n), as_array(n)
    )
    has_n = np.isfinite(n1) & np.isfinite(n2) & (n1 > 0) & (n2 > 0)
    has_n &= np.isfinite(v1) & np.isfinite(v2)
    if kind == "share":
        check_share(v1, "base_value")
        check_share(v2, "value")
        p1, p2 = v1 / 100.0, v2 / 100.0
        diff = p2 - p1
        se = np.sqrt(safe_divide(p1 * (1 - p1), n1, has_n) + safe_divide(p2 * (1 - p2), n2, has_n))
        pooled = safe_divide(n1 * p1 + n2 * p2, n1 + n2, has_n)
        se0 = np.sqrt(
            pooled * (1 - pooled) * (safe_divide(1.0, n1, has_n) + safe_divide(1.0, n2, has_n))
        )
        z = safe_divide(diff, se0, has_n & (se0 > 0))
        scale = 100.0
        method = "aandeel; interval met ongepoolde SE (Wald), toets met gepoolde SE (z-toets)"
    else:
        s1, s2 = (np.broadcast_to(as_array(s), v1.shape) for s in (base_sd, sd))
        ok = has_n & np.isfinite(s1) & np.isfinite(s2)
        diff = v2 - v1
        se = np.sqrt(safe_divide(s1**2, n1, ok) + safe_divide(s2**2, n2, ok))
        z = safe_divide(diff, se, ok & (se > 0))
        has_n = ok
        scale = 1.0
        method = "gemiddelde; z-benadering met ongepoolde standaardfout (Welch-SE)"
        if base_n is not None and n is not None and (base_sd is None or sd is None):
            method = NO_SD
    half = np.where(has_n, zc * se, np.nan)
    if base_n is None or n is None:
        method = NO_N
    elif not np.all(has_n):
        method += "; geen toets waar n onbekend"
    return ChangeResult(
        difference=finish(diff * scale),
        low=finish((diff - half) * scale),
        high=finish((diff + half) * scale),
        z=finish(z),
        p_value=finish(_two_sided_p(z)),
        level=level,
        method=method,
    )


# --- linear trend --------------------------------------------------------------------------------


def _prepare_series(
    years: ArrayLike, values: ArrayLike, weights: ArrayLike | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, tuple[int, ...]]:
    """Flatten values (..., T) to (S, T); check years and weights."""
    x = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    if x.ndim != 1:
        raise ValueError("years must be one-dimensional (one year per column)")
    if not np.all(np.isfinite(x)):
        raise ValueError("years must all be known (no NaN)")
    if y.ndim == 0 or y.shape[-1] != x.size:
        raise ValueError(f"values must have {x.size} columns (one per year), got {y.shape}")
    lead = y.shape[:-1]
    y2 = y.reshape(-1, x.size)
    w2 = None
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        if w.shape == x.shape:
            w2 = w[None, :]
        elif w.shape == y.shape:
            w2 = w.reshape(-1, x.size)
        else:
            raise ValueError("weights must have the shape of years or of values")
    return x, y2, w2, lead


def ols_fit(
    years: ArrayLike, values: ArrayLike, weights: ArrayLike | None = None
) -> dict[str, np.ndarray]:
    """Per-series (weighted) least-squares summaries, computed in blocks of rows.

    Returns a dict of arrays with the leading shape of ``values``: ``n`` (points used), ``xbar``,
    ``ybar`` (weighted means), ``sxx``, ``slope``, ``rss`` (weighted residual sum of squares) and
    ``valid`` (at least 3 points and spread in the years). Shared by :func:`linear_trend` and
    :mod:`kansenaudit.stats.projection`.

    Examples
    --------
    >>> fit = ols_fit([2019, 2020, 2021], [[1.0, 2.0, 3.0]])
    >>> float(fit["slope"][0]), int(fit["n"][0])
    (1.0, 3)
    """
    x, y, w, lead = _prepare_series(years, values, weights)
    rows = y.shape[0]
    keys = ("n", "xbar", "ybar", "sxx", "slope", "rss")
    out = {k: np.empty(rows) for k in keys}
    # Centre the years once: sums of squares of e.g. 2010–2024 lose precision otherwise.
    xc = x - x.mean() if x.size else x
    step = max(1, _BLOCK_CELLS // max(1, x.size))
    # A loop over blocks of rows (not over series) bounds memory for millions of series.
    for start in range(0, rows, step):
        stop = min(rows, start + step)
        wb = None if w is None else (w if w.shape[0] == 1 else w[start:stop])
        for key, arr in zip(keys, _fit_block(xc, y[start:stop], wb), strict=True):
            out[key][start:stop] = arr
    out["xbar"] += x.mean() if x.size else 0.0
    n = out.pop("n").astype(np.int64)
    result = {k: v.reshape(lead) for k, v in out.items()}
    result["n"] = n.reshape(lead)
    result["valid"] = (result["n"] >= 3) & (result["sxx"] > 0)
    return result


def _fit_block(xc: np.ndarray, y: np.ndarray, w: np.ndarray | None) -> tuple[np.ndarray, ...]:
    """Least-squares sums for one block of rows, with missing cells masked to weight 0.

    Uses Sxx = Σw·xc² − (Σw·xc)²/Σw (centred years, exact enough) and Sxy = Σw·xc·(y − ȳ),
    RSS = Σw(y − ȳ)² − Sxy²/Sxx; a few passes over the block instead of explicit residuals.
    """
    # einsum rather than `@` or .sum(axis=1): with only ~15 columns it is several times faster.
    mask = np.isfinite(y)
    maskf = mask.astype(float)
    if w is None:
        wb = maskf
    else:
        mask &= np.isfinite(w) & (w > 0)
        maskf = mask.astype(float)
        wb = np.where(mask, w, 0.0)
    n = np.count_nonzero(mask, axis=1)
    sw = np.einsum("ij->i", wb)
    has = sw > 0
    sw_safe = np.where(has, sw, 1.0)
    sx = np.einsum("ij,j->i", wb, xc)
    sxx_raw = np.einsum("ij,j->i", wb, xc * xc)
    xbar = sx / sw_safe
    sxx = sxx_raw - sx * xbar
    sxx = np.where(sxx > 1e-12 * sxx_raw, sxx, 0.0)
    yz = np.where(mask, y, 0.0)
    ybar = np.einsum("ij,ij->i", wb, yz) / sw_safe
    dy = (yz - ybar[:, None]) * maskf
    wdy = dy if w is None else wb * dy
    sxy = np.einsum("ij,j->i", wdy, xc)
    syy = np.einsum("ij,ij->i", wdy, dy)
    ok = sxx > 0
    slope = np.where(ok, sxy / np.where(ok, sxx, 1.0), np.nan)
    rss = syy - np.where(ok, slope * sxy, 0.0)
    # Cancellation leaves ±1e-16·Syy where the line fits exactly; call that an exact fit.
    rss = np.where(rss > 1e-13 * syy, rss, 0.0)
    return n, xbar, np.where(has, ybar, np.nan), sxx, slope, rss


def linear_trend(
    years: ArrayLike, values: ArrayLike, weights: ArrayLike | None = None
) -> TrendResult:
    """Ordinary (or weighted) least-squares trend per series, vectorised over many series.

    Parameters
    ----------
    years : array_like, shape (T,)
        The years (columns), e.g. ``range(2010, 2025)``.
    values : array_like, shape (..., T)
        One row per series (area × indicator); NaN = missing year. Any leading shape.
    weights : array_like, optional
        Weights per point, shape (T,) or like ``values``, e.g. n per year (weighted least squares
        with weights known up to a constant). Points with weight ≤ 0 or NaN are dropped.

    Returns
    -------
    TrendResult
        Arrays with the leading shape of ``values`` (floats for one series). Series with fewer
        than 3 points get NaN.

    Notes
    -----
    Per series, over its k non-missing points with weights wᵢ (1 for OLS):
    x̄ = Σwᵢxᵢ/Σwᵢ, Sxx = Σwᵢ(xᵢ − x̄)², slope b = Σwᵢ(xᵢ − x̄)(yᵢ − ȳ)/Sxx,
    s² = Σwᵢ(yᵢ − a − bxᵢ)²/(k − 2), SE(b) = √(s²/Sxx), t = b/SE(b),
    p = 2·P(T_{k−2} > |t|). A perfect fit gives t = ±∞ and p = 0; a constant series gives
    slope 0 and t, p NaN. Computed with masked matrix operations in blocks of rows, so 1.7
    million series take seconds.

    A slope p-value treats the yearly values as independent around a straight line;
    autocorrelation (common with overlapping cohorts) makes it too small.

    References
    ----------
    Draper, N. R., Smith, H. (1998). *Applied Regression Analysis*, 3rd ed., ch. 1 and 9
    (Wiley).

    Examples
    --------
    >>> years = [2019, 2020, 2021, 2022, 2023]
    >>> values = [[10.0, 11.0, 13.0, 12.0, 14.0], [1.0, np.nan, np.nan, np.nan, 3.0]]
    >>> r = linear_trend(years, values)
    >>> np.round(r.slope, 3), r.n_points
    (array([0.9, nan]), array([5, 2]))
    >>> round(float(r.p_value[0]), 4)
    0.0374
    """
    fit = ols_fit(years, values, weights)
    valid = fit["valid"]
    n = fit["n"]
    df = n - 2
    slope = np.where(valid, fit["slope"], np.nan)
    s2 = safe_divide(fit["rss"], df.astype(float), valid)
    se = np.sqrt(safe_divide(s2, fit["sxx"], valid))
    pos = valid & (se > 0)
    t = safe_divide(slope, se, pos)
    # A perfect straight line: infinite t (p = 0) unless the line is flat.
    perfect = valid & (se == 0) & (slope != 0)
    t = np.where(perfect, np.copysign(np.inf, slope), t)
    dff = np.where(valid, df, 1).astype(float)
    p = np.where(np.isfinite(t) | perfect, 2.0 * special.stdtr(dff, -np.abs(t)), np.nan)
    intercept = fit["ybar"] - np.where(valid, slope, 0.0) * fit["xbar"]
    method = "kleinste kwadraten (OLS)" if weights is None else "gewogen kleinste kwadraten (WLS)"
    method += "; t-verdeling met n − 2 vrijheidsgraden; reeksen met < 3 punten: NaN"
    return TrendResult(
        slope=finish(slope),
        intercept=finish(np.where(valid, intercept, np.nan)),
        stderr=finish(se),
        t=finish(t),
        p_value=finish(p),
        n_points=int(n) if np.ndim(n) == 0 else n,
        method=method,
    )


# --- change in gaps ------------------------------------------------------------------------------


def gap_change(
    area_base: ArrayLike,
    reference_base: ArrayLike,
    area_now: ArrayLike,
    reference_now: ArrayLike,
    *,
    area_base_n: ArrayLike | None = None,
    reference_base_n: ArrayLike | None = None,
    area_now_n: ArrayLike | None = None,
    reference_now_n: ArrayLike | None = None,
    kind: Kind = "share",
    area_base_sd: ArrayLike | None = None,
    reference_base_sd: ArrayLike | None = None,
    area_now_sd: ArrayLike | None = None,
    reference_now_sd: ArrayLike | None = None,
    polarity: ArrayLike = 1,
    reference_includes_area: bool = False,
    level: float = 0.95,
    alpha: float = 0.05,
    control_fdr: bool = True,
) -> GapChangeResult:
    """Difference in gaps: did the gap between area and reference narrow or widen?

    Parameters
    ----------
    area_base, reference_base, area_now, reference_now : array_like
        Values of the area and the reference in the baseline year and now (shares in percent).
    area_base_n, reference_base_n, area_now_n, reference_now_n : array_like, optional
        Units behind each of the four values. Without them no test is done.
    kind : {"share", "mean"}
        Shares in percent, or means (then the four ``*_sd`` are needed for a test).
    area_base_sd, reference_base_sd, area_now_sd, reference_now_sd : array_like, optional
        Standard deviations of the unit values, for means.
    polarity : array_like
        +1 if higher is better, −1 if higher is worse; only used for ``behind_*``.
    reference_includes_area : bool
        Compare with the city minus the area (as in :func:`gaps.gap`) where n is known.
    level : float
        Confidence level of the interval of the change.
    alpha : float
        Significance level (false discovery rate when ``control_fdr``).
    control_fdr : bool
        Classify with Benjamini–Hochberg-adjusted p-values over all areas in the call (default),
        since a map of many areas otherwise shows chance changes.

    Returns
    -------
    GapChangeResult

    Notes
    -----
    gap = area − reference; change = gap_now − gap_base (a difference in differences). With
    independent groups, Var(change) is the sum of the four variances (p(1−p)/n per share,
    s²/n per mean; Wald), the interval is change ± z·SE and the test z = change/SE.

    *Narrowed* ("kleiner") means |gap_now| < |gap_base| and the change is significant;
    *widened* ("groter") means |gap_now| > |gap_base| and significant. The definition is about
    the size of the gap whatever its sign, so it does not say whether the area caught up or the
    reference fell back: read it together with ``behind_*`` and the two gaps. If the sign
    flips (``crossed``), "groter" can mean the area overtook the reference by more than it used
    to lag.

    References
    ----------
    Angrist, J. D., Pischke, J.-S. (2009). *Mostly Harmless Econometrics*, §5.2
    (differences-in-differences), Princeton University Press.
    Benjamini, Y., Hochberg, Y. (1995). *JRSS B* 57, 289–300.

    Examples
    --------
    >>> r = gap_change(30.0, 20.0, 24.0, 20.0, area_base_n=2000, reference_base_n=50_000,
    ...                area_now_n=2000, reference_now_n=50_000, polarity=-1)
    >>> r.gap_base, r.gap_now, round(r.change, 1), r.classification
    (10.0, 4.0, -6.0, 'kleiner')
    >>> r.behind_now
    True
    >>> gap_change(30.0, 20.0, 24.0, 20.0).classification
    'geen toets: n onbekend'
    """
    zc = z_critical(level)
    if kind not in ("share", "mean"):
        raise ValueError(f"kind must be 'share' or 'mean', got {kind!r}")
    arrays = np.broadcast_arrays(
        *(as_array(a) for a in (area_base, reference_base, area_now, reference_now)),
        *(as_array(a) for a in (area_base_n, reference_base_n, area_now_n, reference_now_n)),
        *(as_array(a) for a in (area_base_sd, reference_base_sd, area_now_sd, reference_now_sd)),
        as_array(polarity),
    )
    ab, rb, an, rn, n_ab, n_rb, n_an, n_rn, s_ab, s_rb, s_an, s_rn, pol = arrays
    if np.any(np.isfinite(pol) & (np.abs(pol) != 1)):
        raise ValueError("polarity must be +1 (higher is better) or -1 (higher is worse)")
    if kind == "share":
        for arr, name in ((ab, "area_base"), (rb, "reference_base")):
            check_share(arr, name)
        for arr, name in ((an, "area_now"), (rn, "reference_now")):
            check_share(arr, name)

    rb, n_rb, s_rb = _rest_of_city(ab, n_ab, s_ab, rb, n_rb, s_rb, kind, reference_includes_area)
    rn, n_rn, s_rn = _rest_of_city(an, n_an, s_an, rn, n_rn, s_rn, kind, reference_includes_area)
    gap_base = ab - rb
    gap_now = an - rn
    change = gap_now - gap_base
    var = sum(
        _var(v, nn, s, kind)
        for v, nn, s in ((ab, n_ab, s_ab), (rb, n_rb, s_rb), (an, n_an, s_an), (rn, n_rn, s_rn))
    )
    finite = np.isfinite(change)
    tested = finite & np.isfinite(var)
    se = np.sqrt(np.where(tested, var, 0.0))
    z = safe_divide(change, se, tested & (se > 0))
    p = _two_sided_p(z)
    half = np.where(tested, zc * se, np.nan)
    p_adj = benjamini_hochberg(p, alpha)[1] if control_fdr else p
    significant = np.isfinite(p_adj) & (p_adj <= alpha)

    size_base, size_now = np.abs(gap_base), np.abs(gap_now)
    label = np.full(change.shape, NO_CHANGE, dtype=object)
    label[significant & (size_now < size_base)] = NARROWED
    label[significant & (size_now > size_base)] = WIDENED
    label[finite & ~tested] = NOT_TESTED
    label[~finite] = NO_DATA
    behind_base = finite & (pol * gap_base < 0)
    behind_now = finite & (pol * gap_now < 0)
    crossed = finite & (np.sign(gap_base) * np.sign(gap_now) < 0)

    scale = (
        "procentpunten; Wald-variantie"
        if kind == "share"
        else "ongepoolde standaardfout (Welch-SE), normale benadering"
    )
    method = f"verschil in verschillen ({scale}); kleiner/groter = |kloof nu| </> |kloof basis|"
    method += "; BH-correctie over alle gebieden" if control_fdr else "; zonder correctie"
    if not np.any(tested):
        method = NO_N if kind == "share" or area_base_n is None else NO_SD
    if reference_includes_area:
        method += "; referentie = stad zonder het gebied waar n bekend"
    return GapChangeResult(
        gap_base=finish(gap_base),
        gap_now=finish(gap_now),
        change=finish(change),
        change_low=finish(change - half),
        change_high=finish(change + half),
        z=finish(z),
        p_value=finish(p),
        p_adjusted=finish(p_adj),
        classification=str(label[()]) if label.ndim == 0 else label,
        behind_base=bool(behind_base) if behind_base.ndim == 0 else behind_base,
        behind_now=bool(behind_now) if behind_now.ndim == 0 else behind_now,
        crossed=bool(crossed) if crossed.ndim == 0 else crossed,
        level=level,
        method=method,
    )


def _var(value: np.ndarray, n: np.ndarray, sd: np.ndarray, kind: str) -> np.ndarray:
    """Sampling variance of one value (pp² for shares); NaN when n (or sd) is unknown."""
    ok = np.isfinite(value) & np.isfinite(n) & (n > 0)
    if kind == "share":
        p = value / 100.0
        return safe_divide(1e4 * p * (1.0 - p), n, ok)
    return safe_divide(sd**2, n, ok & np.isfinite(sd))


def _rest_of_city(
    area: np.ndarray,
    area_n: np.ndarray,
    area_sd: np.ndarray,
    city: np.ndarray,
    city_n: np.ndarray,
    city_sd: np.ndarray,
    kind: str,
    enabled: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reference value, n and sd: the city, or the city without the area where n is known."""
    if not enabled:
        return city, city_n, city_sd
    has_n = np.isfinite(area_n) & np.isfinite(city_n) & (area_n > 0)
    if kind == "share":
        rest_n = city_n - area_n
        ok = has_n & (rest_n > 0)
        rest = np.clip(safe_divide(city * city_n - area * area_n, rest_n, ok), 0.0, 100.0)
        return np.where(ok, rest, city), np.where(ok, rest_n, np.nan), city_sd
    m_c, s_c, k, ok = complement_mean(area, area_sd, area_n, city, city_sd, city_n, has_n)
    return np.where(ok, m_c, city), k, s_c


def screen_changes(pvalues: ArrayLike | _HasPValue, *, alpha: float = 0.05) -> ScreenResult:
    """Which of many changes are significant after Benjamini–Hochberg control.

    Parameters
    ----------
    pvalues : array_like or result object
        p-values per area (NaN = not tested), or a :class:`ChangeResult` /
        :class:`GapChangeResult` whose ``p_value`` is used.
    alpha : float
        False discovery rate.

    Returns
    -------
    ScreenResult
        ``rejected`` (bool per area), ``p_adjusted``, ``n_tested`` (non-NaN p-values),
        ``n_significant`` and ``significant_index`` (positions of the significant areas in
        the flattened input).

    Notes
    -----
    See :func:`kansenaudit.stats.multiple_testing.benjamini_hochberg`. Among the areas flagged,
    on average at most a fraction ``alpha`` are false alarms; it does not say which ones.

    References
    ----------
    Benjamini, Y., Hochberg, Y. (1995). *JRSS B* 57, 289–300.

    Examples
    --------
    >>> s = screen_changes([0.001, 0.2, np.nan, 0.04, 0.012])
    >>> s.n_tested, s.n_significant, s.significant_index
    (4, 2, array([0, 4]))
    """
    p = getattr(pvalues, "p_value", pvalues)
    arr = np.atleast_1d(np.asarray(p, dtype=float))
    rejected, adjusted = benjamini_hochberg(arr, alpha)
    return ScreenResult(
        rejected=rejected,
        p_adjusted=adjusted,
        n_tested=int(np.isfinite(arr).sum()),
        n_significant=int(rejected.sum()),
        significant_index=np.flatnonzero(rejected),
        method=f"Benjamini–Hochberg, false discovery rate {alpha:g}",
    )
