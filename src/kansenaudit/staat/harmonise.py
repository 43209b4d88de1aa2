# SPDX-License-Identifier: EUPL-1.2
"""Bring CBS figures on Amsterdam's 2015 division onto the 2022 gebieden, traceably.

CBS publishes SES-WOA 2019 per wijk and buurt of the division that was valid until 2022; the
city's current reports use the 22+ gebieden of 2022. This module (1) gives the old CBS buurten
and wijken their shapes, from the city's GEBIED_BUURTEN layer (old codes translate to CBS codes,
see :func:`kansenaudit.data.area_codes.cbs_code_of_amsterdam_2015`), and (2) carries the values
to the 2022 gebieden with an area crosswalk (:mod:`kansenaudit.stats.crosswalk`), weighting
shares by households. Every harmonised value keeps the step and its quality flag in ``flags``
(``omgerekend:<method>:<quality>``) and the crosswalk itself is exported with the report.
"""

from __future__ import annotations

import polars as pl
import shapely

from kansenaudit.data.area_codes import cbs_code_of_amsterdam_2015
from kansenaudit.data.geo import AreaGeometry, to_geojson_geometry
from kansenaudit.data.tidy import tidy_frame
from kansenaudit.staat.model import AreaInfo
from kansenaudit.stats.crosswalk import apply_crosswalk, build_crosswalk

# Catalogue keys: shares and scores are rates over households; households is a count.
_KINDS = {"huishoudens": "count", "inwoners": "count", "woningen": "count"}
_WEIGHT = "huishoudens"


def old_division_areas(
    buurten_2015: list[AreaGeometry], names: dict[str, str]
) -> dict[str, AreaInfo]:
    """AreaInfo for CBS buurten and wijken of the 2015 division, with shapes from the city."""
    areas: dict[str, AreaInfo] = {}
    by_wijk: dict[str, list] = {}
    for area in buurten_2015:
        cbs = cbs_code_of_amsterdam_2015(area.code)
        if cbs is None:
            continue
        wijk = cbs_code_of_amsterdam_2015(area.code[:3])
        areas[cbs] = AreaInfo(
            code=cbs,
            name=names.get(cbs) or area.name,
            level="buurt",
            parent_code=wijk,
            geometry=to_geojson_geometry(area.geometry, decimals=1),
        )
        if wijk:
            by_wijk.setdefault(wijk, []).append((area.code[0], area.geometry))
    for wijk, parts in by_wijk.items():
        union = shapely.union_all([geom for _, geom in parts])
        areas[wijk] = AreaInfo(
            code=wijk,
            name=names.get(wijk) or wijk,
            level="wijk",
            parent_code=parts[0][0],  # the stadsdeel letter of the old code
            geometry=to_geojson_geometry(union, decimals=1),
        )
    return areas


def harmonise_to_gebieden_2022(
    values: pl.DataFrame,
    buurten_2015: list[AreaGeometry],
    gebieden_2022: list[AreaGeometry],
    *,
    source_key: str = "cbs_ses",
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, AreaInfo]]:
    """Carry buurt values of the 2015 division to the 2022 gebieden.

    ``values`` are tidy rows (indicator = catalogue key) at ``buurt`` level with CBS codes,
    including the households of each buurt (``huishoudens``), from one source (SES-WOA).
    Returns the harmonised tidy rows (level ``gebied``), the crosswalk as a table, and the
    AreaInfo of the 2022 gebieden.
    """
    source = {}
    for area in buurten_2015:
        cbs = cbs_code_of_amsterdam_2015(area.code)
        if cbs is not None:
            source[cbs] = area.geometry
    target = {area.code: area.geometry for area in gebieden_2022}
    buurt = values.filter(pl.col("area_level") == "buurt")
    if buurt.is_empty() or not source or not target:
        return pl.DataFrame(), pl.DataFrame(), {}
    harmonised: dict[str, list] = {
        name: []
        for name in (
            "indicator",
            "area_code",
            "area_level",
            "group",
            "period",
            "value",
            "n",
            "source",
            "release",
            "source_file",
            "flags",
        )
    }
    crosswalk_tables = []
    for (period,), part in buurt.group_by(["period"], maintain_order=True):
        weights_rows = part.filter(pl.col("indicator") == _WEIGHT)
        households = {
            code: value
            for code, value in zip(weights_rows["area_code"], weights_rows["value"], strict=True)
            if value is not None
        }
        present = {code: geom for code, geom in source.items() if code in households}
        crosswalk = build_crosswalk(
            present,
            target,
            weights=households,
            weights_name="huishoudens",
            source_division="amsterdam-2015 (CBS-codes)",
            target_division="amsterdam-2022",
        )
        crosswalk_tables.append(
            pl.DataFrame(crosswalk.to_rows()).with_columns(pl.lit(int(period)).alias("period"))
        )
        harmonised_households = {
            item.target_code: item.value
            for item in apply_crosswalk(households, crosswalk, kind="count")
        }
        meta = part.row(0, named=True)
        for (indicator,), rows in part.group_by(["indicator"], maintain_order=True):
            kind = _KINDS.get(indicator, "rate")
            by_code = dict(zip(rows["area_code"], rows["value"], strict=True))
            results = apply_crosswalk(
                by_code, crosswalk, kind=kind, denominators=households if kind == "rate" else None
            )
            for item in results:
                harmonised["indicator"].append(indicator)
                harmonised["area_code"].append(item.target_code)
                harmonised["area_level"].append("gebied")
                harmonised["group"].append("totaal")
                harmonised["period"].append(int(period))
                harmonised["value"].append(item.value)
                harmonised["n"].append(harmonised_households.get(item.target_code))
                harmonised["source"].append(meta["source"])
                harmonised["release"].append(meta["release"])
                harmonised["source_file"].append(meta["source_file"])
                harmonised["flags"].append(
                    [f"omgerekend:{item.method}:{item.quality}", *item.flags]
                )
    table = tidy_frame(harmonised)
    gebied_areas = {
        area.code: AreaInfo(
            code=area.code,
            name=area.name,
            level="gebied",
            parent_code=area.hierarchy.get("stadsdeel") or area.parent_code,
            geometry=to_geojson_geometry(area.geometry, decimals=1),
        )
        for area in gebieden_2022
    }
    crosswalk_table = pl.concat(crosswalk_tables, how="diagonal_relaxed")
    return table, crosswalk_table, gebied_areas
