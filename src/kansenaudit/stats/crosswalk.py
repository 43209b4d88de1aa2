# SPDX-License-Identifier: EUPL-1.2
"""Boundary harmonisation: a crosswalk between two area divisions, and applying it to values.

When a municipality redraws its buurten (Amsterdam did in 2022), a time series can only be
compared on one division. The crosswalk says, for every pair of a source area (old division)
and a target area (new division), how much of the source lies in the target. Figures are then
moved from source to target areas:

* **counts** (residents, pupils, households: extensive variables) are split in proportion to
  the share of each source that lies in the target, and summed;
* **rates** (shares, means: intensive variables) are averaged over the sources that overlap
  the target, weighted by the part of each source's denominator that falls in the target.

This is areal interpolation (Goodchild & Lam 1980), the method of PySAL ``tobler``'s
``area_interpolate`` and of the Longitudinal Tract Database (Logan, Xu & Stults 2014). With
``weights`` (dwellings or residents per source area) the share of the *target* that each source
contributes is weighted by them, as LTDB does with population; the split *within* one source
is still by area, because a per-source total says nothing about where in the source the
dwellings are (uniform density is assumed). Point data (addresses) would do better; that is
dasymetric mapping and is not implemented here.

Every target gets a quality flag, so a reader knows how much of a harmonised figure is
measured and how much is interpolated:

``exact``
    The target is one source or a union of whole sources: at least 99% of it comes from
    sources lying at least 99% inside it. (Two layers digitised separately never match to
    the millimetre; the 1% absorbs slivers along shared borders, which between Amsterdam's
    2015 and 2022 layers stay below 0.05% of an area.)
``good``
    At least 90% of the target comes from sources lying at least 90% inside it.
``approximate``
    At least 50% does.
``poor``
    Less than 50% does: the target is mostly made of pieces of sources that were split, and
    its figure rests on the uniform-density assumption.
``none``
    No source overlaps the target at all.

"Comes from" is measured in the crosswalk's weights (area, or the ``weights`` given), and a
part of the target that lies outside every source counts as not coming from a whole source:
a target half outside the old division is at best ``approximate``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = [
    "QUALITY_LEVELS",
    "Crosswalk",
    "CrosswalkRow",
    "HarmonisedValue",
    "apply_crosswalk",
    "build_crosswalk",
]

QUALITY_LEVELS = ("exact", "good", "approximate", "poor", "none")

# Thresholds of the quality flags (see the module docstring).
_EXACT_INSIDE = 0.99
_EXACT_SHARE = 0.99
_GOOD_INSIDE = 0.90
_GOOD_SHARE = 0.90
_APPROXIMATE_SHARE = 0.50
# Part of a source (or target) that may lie outside the other division before it is reported.
_GAP_TOLERANCE = 0.01
# Contributions below this share of a target are named only as a count in step descriptions.
_SLIVER = 0.005
# A target may lack values of sources making up less than this share of it.
_MISSING_TOLERANCE = 0.01

_REFERENCES = (
    "Goodchild & Lam (1980), Areal interpolation; Logan, Xu & Stults (2014), LTDB; "
    "PySAL tobler area_interpolate"
)


@dataclass(frozen=True)
class CrosswalkRow:
    """One source × target pair that overlaps.

    Attributes
    ----------
    source_code, target_code : str
    area : float
        Area of the intersection in square metres (in the geometries' unit).
    share_of_source : float
        Fraction of the source (its area, and so under uniform density its weight) that lies
        in the target. Over a source's rows these add up to its coverage, normally 1.
    share_of_target : float
        Fraction of the target's weight (area, or ``weights``) that comes from this source.
        Over a target's rows these add up to 1 (or 0 for a target nothing overlaps).
    weight : float or None
        The source's weight that falls in the target (``weights[source] * share_of_source``);
        None for the area method.
    """

    source_code: str
    target_code: str
    area: float
    share_of_source: float
    share_of_target: float
    weight: float | None = None


@dataclass(frozen=True)
class HarmonisedValue:
    """A value moved to a target area, with everything needed to trace it.

    Attributes
    ----------
    target_code : str
    value : float or None
        None when sources making up 1% or more of the target have no value.
    quality : str
        The target's quality flag in the crosswalk (``exact`` ... ``none``).
    method : str
        ``area`` or the weights' name (``dwellings``), as in the crosswalk.
    contributions : tuple of (str, float)
        ``(source_code, share_of_source)`` of every source with a value that fed the target,
        largest contribution first: the fraction of that source's count (or of its
        denominator, for rates) that went into the target.
    missing_sources : tuple of str
        Overlapping sources without a value (or, for rates, without a denominator).
    flags : tuple of str
        ``missing-below-1%:<share>`` when small missing parts were ignored,
        ``rate-weighted-by-area`` / ``rate-weighted-by-<weights>`` when no denominators were
        given, ``target-coverage:<share>`` when part of the target lies outside every source,
        ``denominator-zero`` when a rate's denominators add up to 0 in the target.
    step : str
        :meth:`Crosswalk.step_description` for the target, to be stored with the value.
    """

    target_code: str
    value: float | None
    quality: str
    method: str
    contributions: tuple[tuple[str, float], ...]
    missing_sources: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    step: str = ""


@dataclass
class Crosswalk:
    """The overlaps of two area divisions and the quality of each target.

    Attributes
    ----------
    rows : list of CrosswalkRow
        Sorted by target, then by decreasing share of the target.
    method : str
        ``area`` or the name of the weights (``dwellings``).
    source_division, target_division : str
    source_area, target_area : dict
        Code → area (m²) of every source and target.
    source_coverage : dict
        Source code → fraction of its area lying in some target.
    target_coverage : dict
        Target code → fraction of its area lying in some source.
    quality : dict
        Target code → quality flag.
    warnings : list of str
        Coverage gaps, repaired or empty geometries, targets without weight.
    """

    rows: list[CrosswalkRow]
    method: str
    source_division: str
    target_division: str
    source_area: dict[str, float]
    target_area: dict[str, float]
    source_coverage: dict[str, float]
    target_coverage: dict[str, float]
    quality: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    _by_target: dict[str, list[CrosswalkRow]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _indexed: int = field(default=-1, init=False, repr=False, compare=False)

    def rows_for_target(self, target_code: str) -> list[CrosswalkRow]:
        """The rows feeding one target, largest share of the target first."""
        if self._by_target is None or self._indexed != len(self.rows):
            index: dict[str, list[CrosswalkRow]] = {}
            for row in self.rows:
                index.setdefault(row.target_code, []).append(row)
            self._by_target, self._indexed = index, len(self.rows)
        return list(self._by_target.get(target_code, []))

    def rows_for_source(self, source_code: str) -> list[CrosswalkRow]:
        """The rows of one source, largest share of the source first."""
        rows = [r for r in self.rows if r.source_code == source_code]
        return sorted(rows, key=lambda r: -r.share_of_source)

    def quality_counts(self) -> dict[str, int]:
        """How many targets have each quality flag (all flags listed, zeros included)."""
        counts = Counter(self.quality.values())
        return {level: counts.get(level, 0) for level in QUALITY_LEVELS}

    def to_rows(self) -> list[dict]:
        """The crosswalk as plain rows for CSV or JSON export (one per source × target pair).

        Examples
        --------
        >>> from shapely import box
        >>> cw = build_crosswalk({"S": box(0, 0, 2, 1)}, {"L": box(0, 0, 1, 1),
        ...                       "R": box(1, 0, 2, 1)}, source_division="old")
        >>> cw.to_rows()[0]  # doctest: +NORMALIZE_WHITESPACE
        {'source_division': 'old', 'target_division': '', 'method': 'area',
         'source_code': 'S', 'target_code': 'L', 'intersection_area_m2': 1.0,
         'share_of_source': 0.5, 'share_of_target': 1.0, 'weight': None,
         'target_quality': 'poor'}
        """
        return [
            {
                "source_division": self.source_division,
                "target_division": self.target_division,
                "method": self.method,
                "source_code": r.source_code,
                "target_code": r.target_code,
                "intersection_area_m2": r.area,
                "share_of_source": r.share_of_source,
                "share_of_target": r.share_of_target,
                "weight": r.weight,
                "target_quality": self.quality.get(r.target_code),
            }
            for r in self.rows
        ]

    def step_description(self, target_code: str | None = None) -> str:
        """A sentence recording the harmonisation step, to be kept with each harmonised value.

        It names the method, the two divisions and the quality (of one target, or the counts
        over all targets), so a harmonised figure can be traced back.

        Examples
        --------
        >>> from shapely import box
        >>> cw = build_crosswalk({"S": box(0, 0, 2, 1)}, {"L": box(0, 0, 1, 1),
        ...                       "R": box(1, 0, 2, 1)}, source_division="2015",
        ...                      target_division="2022")
        >>> import textwrap
        >>> print(textwrap.fill(cw.step_description("L"), 80))
        Harmonised from division 2015 to 2022 by areal interpolation (by area); target
        L: quality poor, from S (50.0% of the source, 100.0% of the target).
        """
        how = (
            "areal interpolation (by area)"
            if self.method == "area"
            else f"areal interpolation weighted by {self.method} (split by area within sources)"
        )
        text = (
            f"Harmonised from division {self.source_division or '?'} to "
            f"{self.target_division or '?'} by {how}"
        )
        if target_code is None:
            counts = ", ".join(f"{k} {v}" for k, v in self.quality_counts().items() if v)
            return f"{text}; targets by quality: {counts or 'none'} ({_REFERENCES})."
        quality = self.quality.get(target_code, "unknown target")
        rows = self.rows_for_target(target_code)
        # Slivers along shared borders would swamp the list; they are counted, not named.
        main = [r for r in rows if r.share_of_target >= _SLIVER]
        shown = ", ".join(
            f"{r.source_code} ({r.share_of_source:.1%} of the source, "
            f"{r.share_of_target:.1%} of the target)"
            for r in main
        )
        slivers = len(rows) - len(main)
        if slivers:
            shown += f"; {slivers} sliver{'s' if slivers > 1 else ''} below {_SLIVER:.1%}"
        return f"{text}; target {target_code}: quality {quality}, from {shown or 'no source'}."


def build_crosswalk(
    source: Mapping[str, BaseGeometry],
    target: Mapping[str, BaseGeometry],
    *,
    weights: Mapping[str, float] | None = None,
    weights_name: str = "dwellings",
    source_division: str = "",
    target_division: str = "",
    min_share: float = 1e-6,
) -> Crosswalk:
    """Build the crosswalk from a source division to a target division.

    For every pair of a source area *s* and a target area *t* that overlap (candidates from an
    STR-tree, then exact intersections):

    * ``share_of_source`` = area(*s* ∩ *t*) / area(*s*): the fraction of the source in the
      target (with weights too, under uniform density within the source);
    * ``share_of_target`` = w(*s*) · share_of_source / Σ over sources *s'* of
      w(*s'*) · share_of_source(*s'*, *t*), with w the weight of the source (the area method
      uses the intersection area itself, so this is area(*s* ∩ *t*) / Σ area(*s'* ∩ *t*)).

    Pairs where both shares are below ``min_share`` (float noise along shared borders) are
    dropped; their part counts as not covered. Each target gets a quality flag (see the
    module docstring); sources or targets of which more than 1% lies outside the other
    division are reported in ``warnings``.

    References: Goodchild & Lam (1980) areal interpolation; PySAL ``tobler``
    (``area_interpolate``); Logan, Xu & Stults (2014), the Longitudinal Tract Database.

    Parameters
    ----------
    source, target : mapping of code → shapely geometry
        Polygons in one projected CRS in metres (RD New), e.g.
        :meth:`kansenaudit.data.geo.AreaRegistry.geometries`.
    weights : mapping of source code → float, optional
        Dwellings or residents per source area. Every source needs one (≥ 0).
    weights_name : str
        Name of the weights, used as the method (``"dwellings"``, ``"residents"``).
    source_division, target_division : str
        Names recorded in the crosswalk and in every step description.
    min_share : float
        Overlaps below this share of both source and target are dropped.

    Returns
    -------
    Crosswalk

    Raises
    ------
    ValueError
        If a weight is missing or negative.

    Examples
    --------
    A 2×1 source rectangle split into two unit squares:

    >>> from shapely import box
    >>> cw = build_crosswalk({"S": box(0, 0, 2, 1)}, {"L": box(0, 0, 1, 1), "R": box(1, 0, 2, 1)})
    >>> [(r.target_code, r.share_of_source, r.share_of_target) for r in cw.rows]
    [('L', 0.5, 1.0), ('R', 0.5, 1.0)]
    >>> cw.quality
    {'L': 'poor', 'R': 'poor'}

    The other way round the target is the union of two whole sources:

    >>> back = build_crosswalk({"L": box(0, 0, 1, 1), "R": box(1, 0, 2, 1)}, {"S": box(0, 0, 2, 1)},
    ...                        weights={"L": 30, "R": 10})
    >>> [(r.source_code, r.share_of_target) for r in back.rows], back.quality, back.method
    ([('L', 0.75), ('R', 0.25)], {'S': 'exact'}, 'dwellings')
    """
    warnings: list[str] = []
    source_codes, source_geoms = _prepare(source, "source", warnings)
    target_codes, target_geoms = _prepare(target, "target", warnings)
    source_area = dict(zip(source_codes, shapely.area(source_geoms).tolist(), strict=True))
    target_area = dict(zip(target_codes, shapely.area(target_geoms).tolist(), strict=True))
    if weights is not None:
        _check_weights(weights, source_codes)

    pieces: list[tuple[str, str, float, float]] = []  # source, target, area, share of source
    if len(source_geoms) and len(target_geoms):
        tree = shapely.STRtree(target_geoms)
        s_idx, t_idx = tree.query(source_geoms, predicate="intersects")
        areas = shapely.area(shapely.intersection(source_geoms[s_idx], target_geoms[t_idx]))
        for s, t, a in zip(s_idx.tolist(), t_idx.tolist(), areas.tolist(), strict=True):
            if a <= 0:
                continue  # neighbours that only touch
            s_code, t_code = source_codes[s], target_codes[t]
            share_s = a / source_area[s_code]
            if max(share_s, a / target_area[t_code]) < min_share:
                continue
            pieces.append((s_code, t_code, a, share_s))

    by_target: dict[str, list[tuple[str, float, float]]] = {code: [] for code in target_codes}
    for s_code, t_code, a, share_s in pieces:
        by_target[t_code].append((s_code, a, share_s))

    rows: list[CrosswalkRow] = []
    quality: dict[str, str] = {}
    source_coverage = dict.fromkeys(source_codes, 0.0)
    target_coverage: dict[str, float] = {}
    for t_code in target_codes:
        parts = by_target[t_code]
        covered = sum(a for _, a, _ in parts)
        target_coverage[t_code] = min(covered / target_area[t_code], 1.0)
        if weights is None:
            amounts = [a for _, a, _ in parts]
        else:
            amounts = [weights[s] * share_s for s, _, share_s in parts]
            if parts and sum(amounts) <= 0:
                warnings.append(
                    f"target {t_code}: its sources have no {weights_name}; shares by area"
                )
                amounts = [a for _, a, _ in parts]
        total = sum(amounts)
        target_rows = []
        for (s_code, a, share_s), amount in zip(parts, amounts, strict=True):
            source_coverage[s_code] += share_s
            target_rows.append(
                CrosswalkRow(
                    source_code=s_code,
                    target_code=t_code,
                    area=a,
                    share_of_source=share_s,
                    share_of_target=amount / total if total > 0 else 0.0,
                    weight=None if weights is None else weights[s_code] * share_s,
                )
            )
        target_rows.sort(key=lambda r: (-r.share_of_target, r.source_code))
        rows.extend(target_rows)
        quality[t_code] = _quality(target_rows, target_coverage[t_code])

    source_coverage = {code: min(value, 1.0) for code, value in source_coverage.items()}
    warnings.extend(_gap_warnings(source_coverage, "source", source_division))
    warnings.extend(_gap_warnings(target_coverage, "target", target_division))
    return Crosswalk(
        rows=rows,
        method="area" if weights is None else weights_name,
        source_division=source_division,
        target_division=target_division,
        source_area=source_area,
        target_area=target_area,
        source_coverage=source_coverage,
        target_coverage=target_coverage,
        quality=quality,
        warnings=warnings,
    )


def _prepare(
    geometries: Mapping[str, BaseGeometry], role: str, warnings: list[str]
) -> tuple[list[str], np.ndarray]:
    """Codes and geometry array; invalid polygons repaired, empty ones left out (warned)."""
    codes, geoms = [], []
    for code, geom in geometries.items():
        if geom is None or geom.is_empty:
            warnings.append(f"{role} {code}: empty geometry; left out")
            continue
        if not geom.is_valid:
            # Before the area test: a self-intersecting "bow tie" has a signed area of 0.
            reason = shapely.is_valid_reason(geom)
            geom = shapely.make_valid(geom, method="structure", keep_collapsed=False)
            warnings.append(f"{role} {code}: invalid polygon ({reason}) repaired with make_valid")
        if geom.is_empty or geom.area <= 0:
            warnings.append(f"{role} {code}: no area; left out")
            continue
        codes.append(str(code))
        geoms.append(geom)
    return codes, np.array(geoms, dtype=object)


def _check_weights(weights: Mapping[str, float], source_codes: list[str]) -> None:
    missing = [code for code in source_codes if code not in weights]
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise ValueError(f"no weight for {len(missing)} source areas: {shown}")
    bad = [c for c in source_codes if not (weights[c] >= 0 and math.isfinite(weights[c]))]
    if bad:
        raise ValueError(f"weights must be finite and ≥ 0; not so for {', '.join(bad[:10])}")


def _quality(rows: list[CrosswalkRow], coverage: float) -> str:
    if not rows:
        return "none"
    # Shares of the target are of its covered part; a part outside every source comes from
    # no whole source, so scale by the coverage.
    exact = coverage * sum(r.share_of_target for r in rows if r.share_of_source >= _EXACT_INSIDE)
    if exact >= _EXACT_SHARE:
        return "exact"
    whole = coverage * sum(r.share_of_target for r in rows if r.share_of_source >= _GOOD_INSIDE)
    if whole >= _GOOD_SHARE:
        return "good"
    if whole >= _APPROXIMATE_SHARE:
        return "approximate"
    return "poor"


def _gap_warnings(coverage: dict[str, float], role: str, division: str) -> list[str]:
    out = []
    other = "target" if role == "source" else "source"
    for code, value in coverage.items():
        if value < 1 - _GAP_TOLERANCE:
            where = f" ({division})" if division else ""
            out.append(f"{role} {code}{where}: {1 - value:.1%} of its area lies in no {other} area")
    return out


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
