"""Disclosure control: which values may not be shown because they rest on too few cases.

The rule follows the Kansenkaart and CBS practice (domain notes §3): a value is suppressed when
its base is smaller than the indicator's minimum n (default 10), and a share is also suppressed
when fewer than that many cases lie on either side (numerator or denominator − numerator), since
a share of 0 % or 100 % of a small group reveals every member.
"""

from __future__ import annotations

__all__ = ["DEFAULT_MIN_N", "suppression_reason"]

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
