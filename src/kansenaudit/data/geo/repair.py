# SPDX-License-Identifier: EUPL-1.2
"""Repairing what a layer gets wrong: invalid polygons, stray non-polygonal parts, and one area
split over several features."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from kansenaudit.data.geo.model import AreaGeometry
from kansenaudit.data.geo.records import Record, issue_warning, text_of
from kansenaudit.data.tidy import ReadIssue


def repair_invalid(
    geoms: np.ndarray,
    parsed: list[tuple[Record, dict, BaseGeometry]],
    layer_code: str,
    path: Path,
    issues: list[ReadIssue],
) -> list[BaseGeometry | None]:
    """Repair invalid polygons (make_valid) and drop ones that collapse; warn for each."""
    valid = shapely.is_valid(geoms)
    out: list[BaseGeometry | None] = list(geoms)
    for i in np.flatnonzero(~valid):
        record, props, _ = parsed[i]
        code = text_of(props.get(layer_code))
        where = f"{record.where} ({code})"
        reason = shapely.is_valid_reason(geoms[i])
        # "structure" keeps only polygonal parts: an area layer has no use for stray lines.
        fixed = shapely.make_valid(geoms[i], method="structure", keep_collapsed=False)
        fixed = polygonal_part(fixed)
        if fixed is None or fixed.area <= 0:
            issues.append(
                issue_warning(
                    path,
                    record,
                    "geometry",
                    code,
                    f"{where}: invalid polygon ({reason}) has no area after repair; skipped",
                )
            )
            out[i] = None
            continue
        before = shapely.area(geoms[i])
        issues.append(
            issue_warning(
                path,
                record,
                "geometry",
                code,
                f"{where}: invalid polygon ({reason}) repaired with make_valid; area "
                f"{before:.0f} → {fixed.area:.0f} m²",
            )
        )
        out[i] = fixed
    return out


def polygonal_part(geom: BaseGeometry | None) -> BaseGeometry | None:
    """The polygonal part of a geometry (Polygon or MultiPolygon), or None."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    polygons = [p for part in parts for p in shapely.get_parts(part)]
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def merge_duplicates(
    areas: list[AreaGeometry], path: Path, issues: list[ReadIssue]
) -> list[AreaGeometry]:
    """Union features that share code and validity period (one area split over features)."""
    groups: dict[tuple, list[AreaGeometry]] = {}
    for area in areas:
        groups.setdefault((area.code, area.valid_from, area.valid_to), []).append(area)
    out = []
    for (code, _, _), members in groups.items():
        if len(members) == 1:
            out.append(members[0])
            continue
        merged = polygonal_part(shapely.union_all([m.geometry for m in members]))
        issues.append(
            ReadIssue(
                "warning",
                str(path),
                None,
                "geometry",
                code,
                f"{len(members)} features share code {code} and validity period; their "
                "polygons were unioned into one area",
            )
        )
        out.append(replace(members[0], geometry=merged))
    return out
