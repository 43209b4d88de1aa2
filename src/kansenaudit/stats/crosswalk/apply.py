# SPDX-License-Identifier: EUPL-1.2
"""Apply a crosswalk to values: counts split and summed, rates averaged with weights."""

from __future__ import annotations

import math
from collections.abc import Mapping

from kansenaudit.stats.crosswalk._common import _GAP_TOLERANCE
from kansenaudit.stats.crosswalk.model import Crosswalk, CrosswalkRow, HarmonisedValue

# A target may lack values of sources making up less than this share of it.
_MISSING_TOLERANCE = 0.01


def apply_crosswalk(
    values: Mapping[str, float | None],
    crosswalk: Crosswalk,
    *,
    kind: str = "count",
    denominators: Mapping[str, float | None] | None = None,
) -> list[HarmonisedValue]:
    """Move values from the source areas to the target areas of a crosswalk.

    * ``kind="count"``: value(*t*) = Σ over sources *s* of value(*s*) · share_of_source(*s*, *t*).
    * ``kind="rate"``: value(*t*) = Σ rate(*s*) · d(*s*) · share_of_source(*s*, *t*) /
      Σ d(*s*) · share_of_source(*s*, *t*), with d the source's denominator (the residents a
      share is of); this equals the harmonised numerator count divided by the harmonised
      denominator count. Without ``denominators`` the crosswalk's weights are used (area, or
      the weights it was built with) and the value is flagged ``rate-weighted-by-...``.

    A target whose overlapping sources lack a value (None or NaN; for rates also a missing
    denominator) gets value None and lists them in ``missing_sources``, unless they make up
    less than 1% of the target (in the crosswalk's weights): then the value is computed from
    the others and flagged ``missing-below-1%``. Values for codes that are not sources of the
    crosswalk are not used.

    References: Goodchild & Lam (1980); PySAL ``tobler`` (extensive and intensive variables);
    Logan, Xu & Stults (2014).

    Parameters
    ----------
    values : mapping of source code → float or None
    crosswalk : Crosswalk
    kind : {"count", "rate"}
    denominators : mapping of source code → float, optional
        For rates: the population each rate is of.

    Returns
    -------
    list of HarmonisedValue
        One per target of the crosswalk, in the crosswalk's target order.

    Raises
    ------
    ValueError
        If ``kind`` is not ``count`` or ``rate``.

    Examples
    --------
    A 2×1 source split into two unit squares: its count is split 50/50.

    >>> from shapely import box
    >>> from kansenaudit.stats.crosswalk import build_crosswalk
    >>> split = build_crosswalk({"S": box(0, 0, 2, 1)},
    ...                         {"L": box(0, 0, 1, 1), "R": box(1, 0, 2, 1)})
    >>> [(v.target_code, v.value, v.quality) for v in apply_crosswalk({"S": 100}, split)]
    [('L', 50.0, 'poor'), ('R', 50.0, 'poor')]

    Two sources merged into one target: counts add up, rates are weighted by denominators.

    >>> merge = build_crosswalk({"L": box(0, 0, 1, 1), "R": box(1, 0, 2, 1)},
    ...                         {"S": box(0, 0, 2, 1)})
    >>> apply_crosswalk({"L": 30, "R": 10}, merge)[0].value
    40.0
    >>> rate = apply_crosswalk({"L": 0.2, "R": 0.6}, merge, kind="rate",
    ...                        denominators={"L": 300, "R": 100})[0]
    >>> round(rate.value, 6), rate.contributions
    (0.3, (('L', 1.0), ('R', 1.0)))
    >>> apply_crosswalk({"L": 30}, merge)[0].missing_sources
    ('R',)
    """
    if kind not in ("count", "rate"):
        raise ValueError(f"kind must be 'count' or 'rate', not {kind!r}")
    rows_by_target: dict[str, list[CrosswalkRow]] = {t: [] for t in crosswalk.target_area}
    for row in crosswalk.rows:
        rows_by_target[row.target_code].append(row)
    fallback_flag = None
    if kind == "rate" and denominators is None:
        fallback_flag = f"rate-weighted-by-{crosswalk.method}"

    out = []
    for t_code, rows in rows_by_target.items():
        flags: list[str] = []
        if fallback_flag:
            flags.append(fallback_flag)
        coverage = crosswalk.target_coverage.get(t_code, 0.0)
        if rows and coverage < 1 - _GAP_TOLERANCE:
            flags.append(f"target-coverage:{coverage:.3f}")
        present, missing = [], []
        for row in rows:
            value = _number(values.get(row.source_code))
            ok = value is not None
            if ok and kind == "rate" and denominators is not None:
                ok = _number(denominators.get(row.source_code)) is not None
            (present if ok else missing).append(row)
        missing_share = sum(r.share_of_target for r in missing)
        contributions = tuple((r.source_code, r.share_of_source) for r in present)
        missing_codes = tuple(r.source_code for r in missing)
        if not rows or missing_share >= _MISSING_TOLERANCE or not present:
            value_t = None
        else:
            if missing:
                flags.append(f"missing-below-1%:{missing_share:.4f}")
            value_t = _combine(present, values, kind, denominators)
            if value_t is None:
                flags.append("denominator-zero")
        out.append(
            HarmonisedValue(
                target_code=t_code,
                value=value_t,
                quality=crosswalk.quality.get(t_code, "none"),
                method=crosswalk.method,
                contributions=contributions,
                missing_sources=missing_codes,
                flags=tuple(flags),
                step=crosswalk.step_description(t_code),
            )
        )
    return out


def _combine(
    rows: list[CrosswalkRow],
    values: Mapping[str, float | None],
    kind: str,
    denominators: Mapping[str, float | None] | None,
) -> float | None:
    if kind == "count":
        return float(sum(_number(values[r.source_code]) * r.share_of_source for r in rows))
    if denominators is not None:
        weights = [_number(denominators[r.source_code]) * r.share_of_source for r in rows]
    else:
        # The crosswalk's own weights: intersection area, or weights × share.
        weights = [r.weight if r.weight is not None else r.area for r in rows]
    total = sum(weights)
    if total <= 0:
        return None
    return float(
        sum(_number(values[r.source_code]) * w for r, w in zip(rows, weights, strict=True)) / total
    )


def _number(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
