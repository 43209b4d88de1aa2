# SPDX-License-Identifier: EUPL-1.2
"""Disclosure control: which values may not be shown because they rest on too few cases.

The rule follows the Kansenkaart and CBS practice (domain notes §3): a value is suppressed when
its base is smaller than the indicator's minimum n (default 10), and a share is also suppressed
when fewer than that many cases lie on either side (numerator or denominator − numerator), since
a share of 0 % or 100 % of a small group reveals every member.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["DEFAULT_MIN_N", "suppression_reason", "suppression_reasons"]

DEFAULT_MIN_N = 10


def suppression_reason(
    *,
    value: float | None,
    n: int | None,
    numerator: int | None = None,
    denominator: int | None = None,
    min_n: int = DEFAULT_MIN_N,
) -> str | None:
    """Why a value must be suppressed, or ``None`` when it may be shown.

    Parameters
    ----------
    value : the value itself (``None`` counts as missing, not suppressed)
    n : number of units the value rests on, if known
    numerator, denominator : counts behind a share, if known
    min_n : minimum number of cases for publication

    Returns
    -------
    ``"missing"``, ``"n<min"`` (too small a base), ``"share-edge"`` (fewer than ``min_n``
    cases on one side of a share) or ``None``.

    Examples
    --------
    >>> suppression_reason(value=12.5, n=8)
    'n<min'
    >>> suppression_reason(value=98.0, n=200, numerator=196, denominator=200)
    'share-edge'
    >>> suppression_reason(value=40.0, n=200, numerator=80, denominator=200) is None
    True
    """
    if value is None:
        return "missing"
    base = denominator if denominator is not None else n
    if base is not None and base < min_n:
        return "n<min"
    if (
        numerator is not None
        and denominator is not None
        and (numerator < min_n or denominator - numerator < min_n)
    ):
        return "share-edge"
    return None


def suppression_reasons(
    value: ArrayLike,
    n: ArrayLike | None = None,
    numerator: ArrayLike | None = None,
    denominator: ArrayLike | None = None,
    *,
    min_n: ArrayLike = DEFAULT_MIN_N,
    population: ArrayLike | None = None,
    min_population: ArrayLike = 0,
    dwellings: ArrayLike | None = None,
    min_dwellings: ArrayLike = 0,
) -> np.ndarray:
    """Vectorised :func:`suppression_reason` for whole columns, plus an area-size rule.

    Same rules, in the same order, for arrays (NaN stands for "not known"). One more rule
    follows OIS practice for BBGA figures whose base is not published: a value of an area with
    fewer than ``min_population`` residents is withheld (``"bevolking<min"``), and one of an
    area with fewer than ``min_dwellings`` dwellings (``"woningen<min"``; the BBGA metadata's
    ``SD minimum WvoorrBAG``, for figures per dwelling such as occupancy).

    Returns an object array with ``None`` where the value may be shown.

    Examples
    --------
    >>> suppression_reasons([12.5, 98.0, 40.0, np.nan], [8, 200, 200, 50],
    ...                     [np.nan, 196, 80, np.nan], [np.nan, 200, 200, np.nan]).tolist()
    ['n<min', 'share-edge', None, 'missing']
    >>> suppression_reasons([5.0], population=[120], min_population=500).tolist()
    ['bevolking<min']
    >>> suppression_reasons([2.1, 2.3], dwellings=[80, 450], min_dwellings=100).tolist()
    ['woningen<min', None]
    """
    v = np.asarray(value, dtype=float)
    size = v.shape

    def column(x: ArrayLike | None) -> np.ndarray:
        if x is None:
            return np.full(size, np.nan)
        return np.broadcast_to(np.asarray(x, dtype=float), size)

    n_, num, den = column(n), column(numerator), column(denominator)
    minimum = column(min_n)
    base = np.where(np.isnan(den), n_, den)
    with np.errstate(invalid="ignore"):
        small = ~np.isnan(base) & (base < minimum)
        edge = ~np.isnan(num) & ~np.isnan(den) & ((num < minimum) | (den - num < minimum))
        pop = column(population)
        tiny = ~np.isnan(pop) & (pop < column(min_population))
        homes = column(dwellings)
        few_homes = ~np.isnan(homes) & (homes < column(min_dwellings))
    # Integer codes first and one lookup at the end: millions of values stay cheap.
    codes = np.zeros(size, dtype=np.int8)
    codes[few_homes] = 5
    codes[tiny] = 4
    codes[edge] = 3
    codes[small] = 2
    codes[np.isnan(v)] = 1
    labels = np.array(
        [None, "missing", "n<min", "share-edge", "bevolking<min", "woningen<min"], dtype=object
    )
    return labels[codes]
