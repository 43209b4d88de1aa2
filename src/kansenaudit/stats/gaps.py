# SPDX-License-Identifier: EUPL-1.2
"""Gaps between an area and a reference (usually the city), with confidence intervals.

A *gap* is the difference (in percentage points for shares) and the ratio between the value of an
area and that of a reference. Intervals express sampling uncertainty only; they need the number
of units ``n`` behind each value and are left out (NaN) where it is unknown.

Shares are in **percent (0–100)**, as in the BBGA and our tidy tables. Internally they are turned
into proportions; differences come back in percentage points.

See ``docs/methods/gaps.md`` for the worked example and the caveats.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

__all__ = ["GapResult", "gap", "proportion_interval", "welch_t_critical"]

ArrayOrFloat = np.ndarray | float
Kind = Literal["share", "mean"]

NO_N = "geen interval: n onbekend"
NO_SD = "geen interval: sd onbekend"


@dataclass(frozen=True, eq=False)
class GapResult:
    """Gap between area and reference; floats for scalar input, arrays otherwise.

    ``difference`` is area − reference (percentage points for shares), ``ratio`` area / reference.
    ``reference_value`` is the reference actually compared with: the city itself, or the rest of
    the city when ``reference_includes_area=True`` and n is known. Interval bounds are NaN where
    no interval can be computed; ``method`` says how the intervals were made.
    """

    difference: ArrayOrFloat
    ratio: ArrayOrFloat
    difference_low: ArrayOrFloat
    difference_high: ArrayOrFloat
    ratio_low: ArrayOrFloat
    ratio_high: ArrayOrFloat
    reference_value: ArrayOrFloat
    level: float
    method: str


# --- helpers shared with trends.py and projection.py -------------------------------------------


def z_critical(level: float) -> float:
    """Two-sided standard normal quantile for a confidence level, e.g. 1.96 for 0.95.

    Examples
    --------
    >>> round(z_critical(0.95), 4)
    1.96
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")
    return float(special.ndtri(0.5 + level / 2.0))


def as_array(x: ArrayLike | None) -> np.ndarray:
    """Float array, with ``None`` meaning unknown (NaN)."""
    if x is None:
        return np.asarray(np.nan)
    return np.asarray(x, dtype=float)


def finish(x: np.ndarray) -> ArrayOrFloat:
    """Return a Python float for 0-d results, so scalar calls give scalars back."""
    return float(x) if np.ndim(x) == 0 else x


def check_share(x: np.ndarray, name: str) -> None:
    """Raise when a share lies outside 0–100 (NaN is allowed)."""
    bad = np.isfinite(x) & ((x < 0.0) | (x > 100.0))
    if np.any(bad):
        raise ValueError(
            f"{name}: shares must be in percent (0–100); found values outside that range"
        )


def wilson_bounds(p: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score bounds for proportions (0–1); NaN where n is missing or not positive."""
    valid = np.isfinite(p) & np.isfinite(n) & (n > 0)
    # Safe stand-ins avoid divide-by-zero warnings; invalid cells are overwritten with NaN.
    ns = np.where(valid, n, 1.0)
    ps = np.where(valid, p, 0.5)
    z2n = z * z / ns
    centre = (ps + z2n / 2.0) / (1.0 + z2n)
    half = z / (1.0 + z2n) * np.sqrt(ps * (1.0 - ps) / ns + z2n / (4.0 * ns))
    low = np.where(valid, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(valid, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def safe_divide(num: np.ndarray | float, den: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """``num / den`` where ``valid`` (and den != 0), NaN elsewhere, without warnings."""
    ok = valid & (den != 0) & np.isfinite(den)
    return np.where(ok, num / np.where(ok, den, 1.0), np.nan)


# --- public API --------------------------------------------------------------------------------


def proportion_interval(
    p_percent: ArrayLike, n: ArrayLike, level: float = 0.95
) -> tuple[ArrayOrFloat, ArrayOrFloat]:
    """Wilson score interval for a share given in percent.

    Parameters
    ----------
    p_percent : array_like
        Observed share(s) in percent, 0–100.
    n : array_like
        Number of units the share rests on (NaN or ≤ 0: no interval).
    level : float
        Confidence level, default 0.95.

    Returns
    -------
    (low, high) : floats or arrays, in percent.

    Notes
    -----
    With p = share/100 and z the two-sided normal quantile,

    .. math:: \\frac{p + z^2/2n}{1 + z^2/n} \\pm \\frac{z}{1 + z^2/n}
              \\sqrt{\\frac{p(1-p)}{n} + \\frac{z^2}{4n^2}}

    Unlike the Wald interval it stays within 0–100 and behaves well near 0 % and 100 %.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    *Journal of the American Statistical Association* 22(158), 209–212.

    Examples
    --------
    >>> low, high = proportion_interval(20.0, 100)
    >>> round(low, 2), round(high, 2)
    (13.34, 28.88)
    >>> np.round(proportion_interval([20.0, 50.0], [100, None])[1], 2)
    array([28.88,   nan])
    """
    z = z_critical(level)
    p = as_array(p_percent)
    check_share(p, "p_percent")
    nn = as_array(n)
    low, high = wilson_bounds(p / 100.0, nn, z)
    return finish(low * 100.0), finish(high * 100.0)


def gap(
    value: ArrayLike,
    reference: ArrayLike,
    *,
    n: ArrayLike | None = None,
    reference_n: ArrayLike | None = None,
    kind: Kind = "share",
    sd: ArrayLike | None = None,
    reference_sd: ArrayLike | None = None,
    level: float = 0.95,
    reference_includes_area: bool = False,
) -> GapResult:
    """Difference and ratio between an area and a reference, with confidence intervals.

    Parameters
    ----------
    value : array_like
        The area's value(s); shares in percent (0–100) when ``kind="share"``.
    reference : array_like
        The reference value(s), e.g. the city; broadcast against ``value``.
    n, reference_n : array_like, optional
        Units behind area and reference value (persons, pupils, households). Unknown (``None``
        or NaN) means no interval for that element.
    kind : {"share", "mean"}
        Shares in percent or means.
    sd, reference_sd : array_like, optional
        Standard deviations of the unit values, needed for intervals when ``kind="mean"``.
    level : float
        Confidence level of the intervals.
    reference_includes_area : bool
        The reference contains the area (area vs. the city it lies in). When True and both n are
        known, the area is compared with the rest of the city instead (see Notes). Where n is
        unknown the reference itself is used and no interval is given.

    Returns
    -------
    GapResult

    Notes
    -----
    **Shares.** With p₁ = value/100, p₂ = reference/100:
    difference = 100·(p₁ − p₂) percentage points, ratio = p₁/p₂ (NaN when p₂ = 0).

    - Difference interval: Newcombe's *hybrid score* method (his method 10), built from the
      Wilson intervals (l₁, u₁) and (l₂, u₂):
      L = d − √((p₁ − l₁)² + (u₂ − p₂)²), U = d + √((u₁ − p₁)² + (p₂ − l₂)²).
    - Ratio interval: log method (Katz): ln(p₁/p₂) ± z·√((1−p₁)/(n₁p₁) + (1−p₂)/(n₂p₂)),
      exponentiated; NaN when either share is 0.

    **Means** (sd and n known): Welch's unequal-variance t-interval,
    d ± t_ν·√(s₁²/n₁ + s₂²/n₂) with Welch–Satterthwaite degrees of freedom ν; ratio interval
    on the log scale by the delta method, var(ln m) ≈ s²/(n·m²), only when both means are positive.

    **Area inside reference.** Both intervals assume two *independent* groups. An area compared
    with the city that contains it is part of that city, so the groups overlap and the usual
    interval overstates independence (and understates the gap). With
    ``reference_includes_area=True`` the reference becomes the complement (city minus area):
    share (N·P − n·p)/(N − n) with N − n units; mean (N·M − n·m)/(N − n) and the complement's sd
    from the sums of squares. Small negative complements caused by rounding are clipped to 0.

    Intervals reflect sampling error only, not measurement error, definitions or boundary
    changes. For full-population registers read them as the uncertainty of the underlying rate.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. *Statistics in Medicine* 17, 873–890.
    Katz, D., Baptista, J., Azen, S. P., Pike, M. C. (1978). Obtaining confidence intervals for
    the risk ratio in cohort studies. *Biometrics* 34, 469–474.
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika* 34, 28–35.
    Hedges, L. V., Gurevitch, J., Curtis, P. S. (1999). The meta-analysis of response ratios in
    experimental ecology. *Ecology* 80, 1150–1156.

    Examples
    --------
    >>> r = gap(30.0, 20.0, n=200, reference_n=10_000)
    >>> round(r.difference, 1), round(r.ratio, 2)
    (10.0, 1.5)
    >>> round(r.difference_low, 2), round(r.difference_high, 2)
    (4.02, 16.72)
    >>> gap(30.0, 20.0).method
    'geen interval: n onbekend'
    >>> r = gap(30.0, 20.2, n=200, reference_n=10_000, reference_includes_area=True)
    >>> round(r.reference_value, 2)
    20.0
    """
    z = z_critical(level)
    if kind not in ("share", "mean"):
        raise ValueError(f"kind must be 'share' or 'mean', got {kind!r}")
    v, ref, n1, n2 = np.broadcast_arrays(
        as_array(value), as_array(reference), as_array(n), as_array(reference_n)
    )
    has_n = np.isfinite(n1) & np.isfinite(n2) & (n1 > 0) & (n2 > 0)

    if kind == "share":
        check_share(v, "value")
        check_share(ref, "reference")
        p1 = v / 100.0
        p2 = ref / 100.0
        if reference_includes_area:
            rest_n = n2 - n1
            ok = has_n & (rest_n > 0)
            rest = safe_divide(p2 * n2 - p1 * n1, rest_n, ok)
            p2 = np.where(ok, np.clip(rest, 0.0, 1.0), p2)
            n2 = np.where(ok, rest_n, np.nan)
            has_n = ok
        out = _share_gap(p1, p2, np.where(has_n, n1, np.nan), np.where(has_n, n2, np.nan), z)
        reference_used = p2 * 100.0
        method = "aandeel; verschil in procentpunten, interval Newcombe (hybride score, Wilson); "
        method += "verhouding met log-interval (Katz)"
        missing = n is None or reference_n is None
    else:
        s1, s2 = (np.broadcast_to(as_array(s), v.shape) for s in (sd, reference_sd))
        m2 = ref
        if reference_includes_area:
            m2, s2, n2, ok = complement_mean(v, s1, n1, ref, s2, n2, has_n)
            m2 = np.where(ok, m2, ref)
            has_n = ok
        has_sd = np.isfinite(s1) & np.isfinite(s2) & (s1 >= 0) & (s2 >= 0)
        out = _mean_gap(v, m2, n1, n2, s1, s2, has_n & has_sd, z)
        reference_used = m2
        method = "gemiddelde; verschil met Welch-t-interval (Welch–Satterthwaite); "
        method += "verhouding met log-interval (deltamethode)"
        missing = n is None or reference_n is None
        if not missing and (sd is None or reference_sd is None):
            method = NO_SD
    if missing:
        method = NO_N
    elif not np.all(has_n):
        method += "; geen interval waar n onbekend"
    if reference_includes_area and not missing:
        method += "; referentie = stad zonder het gebied (complement)"
    return GapResult(
        difference=finish(out[0]),
        ratio=finish(out[1]),
        difference_low=finish(out[2]),
        difference_high=finish(out[3]),
        ratio_low=finish(out[4]),
        ratio_high=finish(out[5]),
        reference_value=finish(np.asarray(reference_used, dtype=float)),
        level=level,
        method=method,
    )


def _share_gap(
    p1: np.ndarray, p2: np.ndarray, n1: np.ndarray, n2: np.ndarray, z: float
) -> tuple[np.ndarray, ...]:
    """Difference (pp), ratio and their intervals for proportions p1, p2 (0–1)."""
    diff = p1 - p2
    finite = np.isfinite(p1) & np.isfinite(p2)
    ratio = safe_divide(p1, p2, finite & (p2 > 0))
    l1, u1 = wilson_bounds(p1, n1, z)
    l2, u2 = wilson_bounds(p2, n2, z)
    d_low = diff - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    d_high = diff + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    # Katz: var ln(RR) = (1-p1)/(n1 p1) + (1-p2)/(n2 p2); undefined when a share is 0.
    ok = finite & (p1 > 0) & (p2 > 0) & np.isfinite(n1) & np.isfinite(n2)
    var = safe_divide(1.0 - p1, n1 * p1, ok) + safe_divide(1.0 - p2, n2 * p2, ok)
    log_ratio = np.log(np.where(ok, ratio, 1.0))
    half = z * np.sqrt(np.where(ok, var, 0.0))
    r_low = np.where(ok, np.exp(log_ratio - half), np.nan)
    r_high = np.where(ok, np.exp(log_ratio + half), np.nan)
    return diff * 100.0, ratio, d_low * 100.0, d_high * 100.0, r_low, r_high


def _mean_gap(
    m1: np.ndarray,
    m2: np.ndarray,
    n1: np.ndarray,
    n2: np.ndarray,
    s1: np.ndarray,
    s2: np.ndarray,
    valid: np.ndarray,
    z: float,
) -> tuple[np.ndarray, ...]:
    """Difference, ratio and Welch / delta-method intervals for means.

    The difference interval is Welch's t-interval: the t quantile with Welch–Satterthwaite
    degrees of freedom (:func:`welch_t_critical`), not the normal quantile ``z``.
    """
    diff = m1 - m2
    finite = np.isfinite(m1) & np.isfinite(m2)
    ratio = safe_divide(m1, m2, finite)
    var_diff = safe_divide(s1**2, n1, valid) + safe_divide(s2**2, n2, valid)
    t = welch_t_critical(s1, n1, s2, n2, level=2 * special.ndtr(z) - 1)
    half = np.where(valid & np.isfinite(t), t, z) * np.sqrt(np.where(valid, var_diff, 0.0))
    d_low = np.where(valid & finite, diff - half, np.nan)
    d_high = np.where(valid & finite, diff + half, np.nan)
    pos = valid & finite & (m1 > 0) & (m2 > 0)
    var_log = safe_divide(s1**2, n1 * m1**2, pos) + safe_divide(s2**2, n2 * m2**2, pos)
    log_ratio = np.log(np.where(pos, ratio, 1.0))
    half_log = z * np.sqrt(np.where(pos, var_log, 0.0))
    r_low = np.where(pos, np.exp(log_ratio - half_log), np.nan)
    r_high = np.where(pos, np.exp(log_ratio + half_log), np.nan)
    return diff, ratio, d_low, d_high, r_low, r_high


def welch_t_critical(
    s1: ArrayLike, n1: ArrayLike, s2: ArrayLike, n2: ArrayLike, *, level: float = 0.95
) -> np.ndarray:
    """Two-sided t quantile with Welch–Satterthwaite degrees of freedom.

    ν = (v₁ + v₂)² / (v₁²/(n₁ − 1) + v₂²/(n₂ − 1)) with vᵢ = sᵢ²/nᵢ (Welch 1947). NaN where
    ν cannot be computed (n ≤ 1 or both variances 0).

    Examples
    --------
    >>> round(float(welch_t_critical(2.0, 10, 2.0, 10)), 3)  # ν = 18
    2.101
    >>> round(float(welch_t_critical(2.0, 10**6, 2.0, 10**6)), 3)  # large n: the z quantile
    1.96
    """
    a1, b1, a2, b2 = (np.asarray(v, dtype=float) for v in (s1, n1, s2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        v1, v2 = a1**2 / b1, a2**2 / b2
        df = (v1 + v2) ** 2 / (v1**2 / (b1 - 1) + v2**2 / (b2 - 1))
    ok = np.isfinite(df) & (df > 0)
    return np.where(ok, special.stdtrit(np.where(ok, df, 1.0), 0.5 + level / 2), np.nan)


def complement_mean(
    m: np.ndarray,
    s: np.ndarray,
    n: np.ndarray,
    city_m: np.ndarray,
    city_s: np.ndarray,
    city_n: np.ndarray,
    has_n: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean, sd and n of the city without the area, from the two groups' summaries.

    Uses total sum of squares: (N−1)S² + N·M² = [(n−1)s² + n·m²] + [(k−1)s_c² + k·m_c²],
    with k = N − n.
    """
    k = city_n - n
    ok = has_n & (k > 0)
    m_c = safe_divide(city_n * city_m - n * m, k, ok)
    ss = (city_n - 1) * city_s**2 + city_n * city_m**2 - (n - 1) * s**2 - n * m**2
    var_c = safe_divide(ss - k * m_c**2, k - 1, ok & (k > 1))
    s_c = np.sqrt(np.clip(np.where(np.isfinite(var_c), var_c, 0.0), 0.0, None))
    s_c = np.where(np.isfinite(var_c), s_c, np.nan)
    return m_c, s_c, np.where(ok, k, np.nan), ok
