# SPDX-License-Identifier: EUPL-1.2
"""Projections as continuation of the trend, and distance to a policy target.

A projection here extends the straight line fitted to the observed years. It is **not** a
forecast of what policy will achieve: it answers "where do we end up if the past trend simply
continues?", with a prediction interval for the spread of single future years.
See ``docs/methods/projections.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from kansenaudit.stats.gaps import ArrayOrFloat, as_array, check_share, finish, safe_divide
from kansenaudit.stats.trends import ols_fit

__all__ = [
    "MIN_PROJECTION_POINTS",
    "PROJECTION_LABEL",
    "Projection",
    "TargetDistance",
    "distance_to_target",
    "project_linear",
]

#: Fewest observed years a projection is made from (fewer: no projection). With 3 or 4 points
#: a straight line fits almost anything and its prediction interval is too wide to read.
MIN_PROJECTION_POINTS = 5

PROJECTION_LABEL = "voortzetting van de trend (geen prognose van beleidseffect)"

ON_TRACK = "op koers"
OFF_TRACK = "niet op koers"
REACHED = "doel bereikt"
UNKNOWN = "onbekend: geen trend"
PAST = "doeljaar verstreken"


@dataclass(frozen=True, eq=False)
class Projection:
    """Projected values for future ``years`` per series, shape (..., len(years)).

    ``fit``, ``lower`` and ``upper`` are the unclipped straight-line values and prediction
    bounds. For shares the ``display_*`` properties clip them to 0–100 for charts and tables;
    ``clipped`` marks where that changed a value (say so next to the chart).
    """

    years: np.ndarray
    fit: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float
    n_points: np.ndarray | int
    kind: str
    label: str = PROJECTION_LABEL

    def _display(self, x: np.ndarray) -> np.ndarray:
        return np.clip(x, 0.0, 100.0) if self.kind == "share" else x

    @property
    def display_fit(self) -> np.ndarray:
        """``fit`` clipped to 0–100 for shares (unchanged for means)."""
        return self._display(self.fit)

    @property
    def display_lower(self) -> np.ndarray:
        """``lower`` clipped to 0–100 for shares."""
        return self._display(self.lower)

    @property
    def display_upper(self) -> np.ndarray:
        """``upper`` clipped to 0–100 for shares."""
        return self._display(self.upper)

    @property
    def clipped(self) -> np.ndarray:
        """True where a displayed fit or bound differs from the unclipped value."""
        if self.kind != "share":
            return np.zeros(self.fit.shape, dtype=bool)
        out = np.zeros(self.fit.shape, dtype=bool)
        for x in (self.fit, self.lower, self.upper):
            out |= np.isfinite(x) & ((x < 0.0) | (x > 100.0))
        return out


@dataclass(frozen=True, eq=False)
class TargetDistance:
    """How far a value is from its target and whether the current pace gets there in time.

    ``status`` is ``"doel bereikt"``, ``"op koers"``, ``"niet op koers"``,
    ``"onbekend: geen trend"`` (no slope given) or ``"doeljaar verstreken"``.
    ``on_track`` is True for the first two only, so False also covers "unknown": read
    ``status``.
    """

    gap_to_target: ArrayOrFloat
    years_left: ArrayOrFloat
    required_change_per_year: ArrayOrFloat
    current_slope: ArrayOrFloat
    pace_ratio: ArrayOrFloat
    projected_at_target_year: ArrayOrFloat
    on_track: np.ndarray | bool
    status: np.ndarray | str
    method: str


def project_linear(
    years: ArrayLike,
    values: ArrayLike,
    horizon: int | ArrayLike,
    *,
    level: float = 0.95,
    kind: Literal["share", "mean"] = "share",
) -> Projection:
    """Extend the OLS trend line per series with prediction intervals.

    Parameters
    ----------
    years : array_like, shape (T,)
        Observed years.
    values : array_like, shape (..., T)
        Series (NaN = missing year); any leading shape, as in
        :func:`kansenaudit.stats.trends.linear_trend`.
    horizon : int or array_like
        Number of years after the last observed year (``3`` → last+1 … last+3), or the future
        years themselves.
    level : float
        Level of the prediction interval.
    kind : {"share", "mean"}
        For shares (percent) the observed values must lie in 0–100 and the display values are
        clipped to 0–100.

    Returns
    -------
    Projection
        ``fit``, ``lower``, ``upper`` of shape (..., H); NaN for series with < 3 points.

    Notes
    -----
    With the series' OLS line ŷ(x) = ȳ + b(x − x̄), residual SD s (n − 2 df) and
    Sxx = Σ(xᵢ − x̄)², the prediction interval for a single future year x₀ is

    .. math:: \\hat y(x_0) \\pm t_{n-2,\\,(1+level)/2}\\; s\\sqrt{1 + 1/n + (x_0-\\bar x)^2/S_{xx}}

    It covers the spread of one future year's value around the line *if the line still holds*;
    it does not cover a change of course, new policy, boundary changes or definition breaks.
    Unclipped values are kept because clipping would hide that the line leaves the possible
    range.

    References
    ----------
    Draper, N. R., Smith, H. (1998). *Applied Regression Analysis*, 3rd ed., §1.4 (Wiley).
    Hyndman, R. J., Athanasopoulos, G. (2021). *Forecasting: Principles and Practice*, 3rd ed.,
    §7.6 (OTexts).

    Examples
    --------
    >>> p = project_linear([2019, 2020, 2021, 2022], [10.0, 12.0, 13.0, 15.0], 2)
    >>> p.years
    array([2023., 2024.])
    >>> np.round(p.fit, 2), np.round(p.lower, 2)
    (array([16.5, 18.1]), array([14.35, 15.48]))
    >>> p.label
    'voortzetting van de trend (geen prognose van beleidseffect)'
    """
    x = np.asarray(years, dtype=float)
    if kind not in ("share", "mean"):
        raise ValueError(f"kind must be 'share' or 'mean', got {kind!r}")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")
    if kind == "share":
        check_share(np.asarray(values, dtype=float), "values")
    if np.ndim(horizon) == 0:
        h = int(horizon)  # type: ignore[arg-type]
        if h < 1:
            raise ValueError("horizon must be at least 1 year")
        future = np.nanmax(x) + np.arange(1, h + 1, dtype=float)
    else:
        future = np.asarray(horizon, dtype=float).ravel()
    fit = ols_fit(x, values)
    lead = fit["n"].shape
    flat = {k: np.ravel(v) for k, v in fit.items()}
    valid = flat["valid"]
    n = flat["n"].astype(float)
    df = np.where(valid, n - 2.0, 1.0)
    s = np.sqrt(safe_divide(flat["rss"], df, valid))
    # Few distinct df values (at most T − 2): invert the t distribution once per value.
    df_values, df_index = np.unique(df, return_inverse=True)
    tq = np.where(valid, special.stdtrit(df_values, 0.5 + level / 2.0)[df_index], np.nan)
    inv_n = safe_divide(1.0, n, valid)
    sxx = np.where(valid, flat["sxx"], 1.0)
    rows, h = valid.size, future.size
    centre = np.empty((rows, h))
    half = np.empty((rows, h))
    step = max(1, (1 << 20) // max(1, h))
    for start in range(0, rows, step):  # blocks of rows bound the temporaries
        sl = slice(start, min(rows, start + step))
        dx = future[None, :] - flat["xbar"][sl, None]
        c = flat["ybar"][sl, None] + flat["slope"][sl, None] * dx
        centre[sl] = np.where(valid[sl, None], c, np.nan)
        se = s[sl, None] * np.sqrt(1.0 + inv_n[sl, None] + dx * dx / sxx[sl, None])
        half[sl] = tq[sl, None] * se
    shape = (*lead, h)
    n_points = fit["n"]
    return Projection(
        years=future,
        fit=centre.reshape(shape),
        lower=(centre - half).reshape(shape),
        upper=np.add(centre, half, out=half).reshape(shape),
        level=level,
        n_points=int(n_points) if np.ndim(n_points) == 0 else n_points,
        kind=kind,
    )


def distance_to_target(
    current_value: ArrayLike,
    current_year: ArrayLike,
    target_value: ArrayLike,
    target_year: ArrayLike,
    *,
    slope: ArrayLike | None = None,
    polarity: ArrayLike = 1,
) -> TargetDistance:
    """Gap to a target, the yearly change needed, and whether the current pace suffices.

    Parameters
    ----------
    current_value, current_year : array_like
        Latest observed value and its year.
    target_value, target_year : array_like
        The policy target and the year it should be met.
    slope : array_like, optional
        Current trend per year (e.g. ``linear_trend(...).slope``). Without it the status is
        ``"onbekend: geen trend"``.
    polarity : array_like
        +1 if higher is better (target is a minimum), −1 if higher is worse (target is a
        maximum).

    Returns
    -------
    TargetDistance

    Notes
    -----
    gap_to_target = target − current; years_left = target_year − current_year;
    required_change_per_year = gap_to_target / years_left (NaN when years_left ≤ 0);
    projected_at_target_year = current + slope · years_left (continuation of the trend from the
    latest value); pace_ratio = slope / required_change_per_year (1 = exactly the pace needed).
    The target is *reached* when polarity·(current − target) ≥ 0 and *on track* when
    polarity·(projected − target) ≥ 0. No uncertainty is attached: combine with
    :func:`project_linear` for an interval.

    References
    ----------
    Eurostat (2023). *Sustainable development in the European Union — Monitoring report*,
    methodological annex ("assessment of progress towards quantitative targets").

    Examples
    --------
    >>> d = distance_to_target(30.0, 2024, 20.0, 2030, slope=-1.0, polarity=-1)
    >>> round(d.required_change_per_year, 3), d.projected_at_target_year, d.status
    (-1.667, 24.0, 'niet op koers')
    >>> round(d.pace_ratio, 2)
    0.6
    """
    arrays = np.broadcast_arrays(
        as_array(current_value),
        as_array(current_year),
        as_array(target_value),
        as_array(target_year),
        as_array(slope),
        as_array(polarity),
    )
    value, year, target, t_year, b, pol = arrays
    if np.any(np.isfinite(pol) & (np.abs(pol) != 1)):
        raise ValueError("polarity must be +1 (higher is better) or -1 (higher is worse)")
    gap = target - value
    years_left = t_year - year
    ahead = np.isfinite(years_left) & (years_left > 0)
    required = safe_divide(gap, years_left, ahead)
    projected = np.where(ahead, value + b * np.where(ahead, years_left, 0.0), np.nan)
    pace = safe_divide(b, required, np.isfinite(b) & ahead)
    reached = np.isfinite(gap) & (pol * (value - target) >= 0)
    on_pace = np.isfinite(projected) & (pol * (projected - target) >= 0)

    status = np.full(gap.shape, OFF_TRACK, dtype=object)
    status[on_pace] = ON_TRACK
    status[~np.isfinite(b) & ~reached] = UNKNOWN
    status[~ahead & ~reached] = PAST
    status[reached] = REACHED
    on_track = reached | on_pace
    return TargetDistance(
        gap_to_target=finish(gap),
        years_left=finish(years_left),
        required_change_per_year=finish(required),
        current_slope=finish(b),
        pace_ratio=finish(pace),
        projected_at_target_year=finish(projected),
        on_track=bool(on_track) if on_track.ndim == 0 else on_track,
        status=str(status[()]) if status.ndim == 0 else status,
        method="lineaire voortzetting vanaf de laatste waarde; geen onzekerheid",
    )
