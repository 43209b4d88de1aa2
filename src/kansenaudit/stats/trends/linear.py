# SPDX-License-Identifier: EUPL-1.2
"""Linear (OLS) trends per series, vectorised over many series at once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from kansenaudit.stats.gaps import (
    ArrayOrFloat,
    finish,
    safe_divide,
)

# Rows per block in the OLS kernels: about a million cells keeps temporaries near 8 MB each.
_BLOCK_CELLS = 1 << 20


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
    result: dict[str, np.ndarray] = {k: v.reshape(lead) for k, v in out.items()}
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
