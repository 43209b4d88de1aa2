# SPDX-License-Identifier: EUPL-1.2
r"""Agreement of qualitative coding on units: nominal alpha per code (present / absent on each
unit, a speaker turn) and overall, with one bootstrap over units for all codes.

The same statistic as :func:`.matrix.krippendorff_alpha` on binary columns, computed from sums
so that fifty codes over thousands of turns and a thousand bootstrap samples take matrix
products, not loops. The unitised variant on characters is in :mod:`.unitised`.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from kansenaudit.stats.agreement.matrix import _MAX_BLOCK, BOOTSTRAP_METHOD, AlphaResult

OVERALL = "__overall__"
"""Key of the overall result in :func:`alpha_by_code` and :func:`unitised_alpha`."""


def _percentile_interval(
    replicates: NDArray[np.float64], level_ci: float
) -> tuple[float, float, int]:
    valid = replicates[np.isfinite(replicates)]
    if valid.size == 0:
        return math.nan, math.nan, 0
    tail = (1 - level_ci) / 2
    low, high = (float(q) for q in np.quantile(valid, [tail, 1 - tail]))
    return low, high, int(valid.size)


def _check_boot(n_boot: int, level_ci: float) -> None:
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ValueError(f"alpha: n_boot must be a whole number ≥ 0, got {n_boot!r}")
    if n_boot == 1:
        raise ValueError("alpha: n_boot must be 0 (no interval) or at least 2")
    if not 0 < level_ci < 1:
        raise ValueError(f"alpha: level_ci must lie strictly between 0 and 1, got {level_ci!r}")


def _binary_alpha(
    disagreement: NDArray[np.float64], ones: NDArray[np.float64], n: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Nominal alpha of present/absent data from its sums (any matching shapes).

    ``disagreement`` = Σ_u 2·n1_u·n0_u/(m_u − 1), ``ones`` = Σ_u n1_u, ``n`` = Σ_u m_u over the
    pairable units: alpha = 1 − (n − 1)·disagreement / (2·N1·N0). NaN when N1 or N0 is 0.
    """
    zeros = n - ones
    expected = 2.0 * ones * zeros
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1.0 - (n - 1.0) * disagreement / expected
    return np.where(expected > 0, alpha, np.nan)


def alpha_by_code(
    units: Mapping[Hashable, Mapping[Hashable, Collection[str]]],
    *,
    codes: Sequence[str] | None = None,
    n_boot: int = 1000,
    seed: int | np.random.Generator = 0,
    level_ci: float = 0.95,
) -> dict[str, AlphaResult]:
    r"""Nominal alpha per code (present / absent per unit) and overall, with bootstrap intervals.

    Parameters
    ----------
    units : mapping unit → (mapping coder → codes)
        One entry per unit of coding (a speaker turn, keyed by anything hashable, e.g.
        ``(transcript_id, turn_index)``). For each coder who *coded the unit* the collection of
        codes they applied to it, empty when they applied none. A coder who did not code the
        unit (it was not in their sample) is simply absent: that is a missing value, not an
        "absent" code. Only units with at least two coders count (the pairable units).
    codes : sequence of str, optional
        The codes to report; default every code applied anywhere, sorted. A code in ``codes``
        that nobody applied gets NaN (alpha is undefined when a value never varies).
    n_boot : int
        Bootstrap samples (0 for no interval; otherwise at least 2). One set of resampled
        units is shared by all codes, so the intervals of different codes are comparable.
    seed, level_ci : as for :func:`alpha_bootstrap`.

    Returns
    -------
    dict
        Code → :class:`AlphaResult`, plus :data:`OVERALL` → alpha over all (unit, code)
        decisions pooled: every code on every unit is one present/absent value.

    Notes
    -----
    For code *k* each pairable unit *u* with *m_u* coders of whom *n1_u* applied *k* gives a
    binary reliability column; nominal alpha (Krippendorff 2011) reduces to

    .. math:: \alpha_k = 1 - (n - 1)\,\frac{\sum_u 2 n1_u (m_u - n1_u) / (m_u - 1)}{2 N_1 (n - N_1)}

    with *n* = Σ m_u and *N_1* = Σ n1_u, identical to :func:`krippendorff_alpha` on that
    matrix (tested against the ``krippendorff`` package). The interval resamples units with
    replacement (as :func:`alpha_bootstrap`), computed for all codes at once by matrix products.

    Examples
    --------
    >>> units = {
    ...     1: {"ann": {"trust"}, "bob": {"trust"}},
    ...     2: {"ann": {"cost"}, "bob": set()},
    ...     3: {"ann": set(), "bob": set()},
    ...     4: {"ann": {"trust", "cost"}, "bob": {"trust", "cost"}},
    ... }
    >>> result = alpha_by_code(units, n_boot=0)
    >>> round(result["trust"].alpha, 3), round(result["cost"].alpha, 3)
    (1.0, 0.533)
    """
    _check_boot(n_boot, level_ci)
    pairable = [coders for coders in units.values() if len(coders) >= 2]
    if codes is None:
        found: set[str] = set()
        for coders in units.values():
            for applied in coders.values():
                found.update(applied)
        code_list = sorted(found)
    else:
        code_list = list(dict.fromkeys(codes))
    index = {code: i for i, code in enumerate(code_list)}
    n_units, n_codes = len(pairable), len(code_list)
    m = np.zeros(n_units)
    ones = np.zeros((n_units, n_codes))
    for u, coders in enumerate(pairable):
        m[u] = len(coders)
        for applied in coders.values():
            for code in set(applied):
                if code in index:
                    ones[u, index[code]] += 1
    with np.errstate(divide="ignore", invalid="ignore"):
        disagreement = np.where(
            m[:, None] > 1, 2.0 * ones * (m[:, None] - ones) / (m[:, None] - 1.0), 0.0
        )
    # Columns: the per-code sums, then the pooled ones.
    dis_total = disagreement.sum(axis=1, keepdims=True)
    ones_total = ones.sum(axis=1, keepdims=True)

    def alphas(
        dis: NDArray[np.float64], one: NDArray[np.float64], n: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        per_code = _binary_alpha(dis[..., :n_codes], one[..., :n_codes], n[..., None])
        overall = _binary_alpha(dis[..., n_codes:], one[..., n_codes:], n[..., None] * n_codes)
        return np.concatenate([per_code, overall], axis=-1)

    stacked_dis = np.concatenate([disagreement, dis_total], axis=1)
    stacked_ones = np.concatenate([ones, ones_total], axis=1)
    point = alphas(stacked_dis.sum(axis=0), stacked_ones.sum(axis=0), np.asarray(m.sum()))
    keys = [*code_list, OVERALL]
    intervals = [(math.nan, math.nan, 0)] * len(keys)
    if n_boot and n_units:
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        replicates = np.empty((int(n_boot), len(keys)))
        block = max(1, min(int(n_boot), _MAX_BLOCK // max(n_units, 1)))
        for start in range(0, int(n_boot), block):
            size = min(block, int(n_boot) - start)
            draws = rng.integers(0, n_units, size=(size, n_units))
            flat = draws + (np.arange(size) * n_units)[:, None]
            weights = np.bincount(flat.ravel(), minlength=size * n_units).reshape(size, n_units)
            weights = weights.astype(float)
            replicates[start : start + size] = alphas(
                weights @ stacked_dis, weights @ stacked_ones, weights @ m
            )
        intervals = [_percentile_interval(replicates[:, i], level_ci) for i in range(len(keys))]
    out: dict[str, AlphaResult] = {}
    for i, key in enumerate(keys):
        low, high, valid = intervals[i]
        n_values = int(m.sum()) * (n_codes if key == OVERALL else 1)
        out[key] = AlphaResult(
            alpha=float(point[i]),
            low=low,
            high=high,
            n_units=n_units * (n_codes if key == OVERALL else 1),
            n_pairable=n_values,
            level="nominal",
            method=BOOTSTRAP_METHOD,
            level_ci=float(level_ci),
            n_boot=int(n_boot),
            n_boot_valid=valid,
        )
    return out
