# SPDX-License-Identifier: EUPL-1.2
"""Change between the baseline and a later year per area, and screening many changes at
once with Benjamini–Hochberg.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike

from kansenaudit.stats.gaps import (
    NO_N,
    NO_SD,
    ArrayOrFloat,
    as_array,
    check_share,
    finish,
    safe_divide,
    z_critical,
)
from kansenaudit.stats.multiple_testing import benjamini_hochberg
from kansenaudit.stats.trends._common import Kind, _two_sided_p


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
