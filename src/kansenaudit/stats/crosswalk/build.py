# SPDX-License-Identifier: EUPL-1.2
"""Build a crosswalk from the geometries of two area divisions, with a quality flag per
target (the thresholds are explained in :mod:`kansenaudit.stats.crosswalk`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from kansenaudit.stats.crosswalk._common import _GAP_TOLERANCE
from kansenaudit.stats.crosswalk.model import Crosswalk, CrosswalkRow

# Thresholds of the quality flags (see the module docstring).
_EXACT_INSIDE = 0.99
_EXACT_SHARE = 0.99
_GOOD_INSIDE = 0.90
_GOOD_SHARE = 0.90
_APPROXIMATE_SHARE = 0.50


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
