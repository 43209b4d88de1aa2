# SPDX-License-Identifier: EUPL-1.2
"""Whether the gap between an area and the rest of the city narrowed or widened since the
baseline.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

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
from kansenaudit.stats.trends._common import Kind, _two_sided_p

NARROWED = "kleiner"
WIDENED = "groter"
NO_CHANGE = "geen significante verandering"
NOT_TESTED = "geen toets: n onbekend"
NO_DATA = "geen gegevens"


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
