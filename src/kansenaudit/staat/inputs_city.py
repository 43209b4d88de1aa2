# SPDX-License-Identifier: EUPL-1.2
"""Inputs of a run on real published data: the cached BBGA, CBS and geometry files of a city."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from kansenaudit.data.catalogue import AMSTERDAM_CATALOGUE, CatalogueIndicator
from kansenaudit.data.pull import CachedFile
from kansenaudit.data.readers import read
from kansenaudit.data.tidy import ReadIssue
from kansenaudit.reporting.formatting import format_number
from kansenaudit.staat.hierarchy import COUNT_VARIABLES, derive_parents
from kansenaudit.staat.model import AreaInfo, SourceRecord, StaatInputs

if TYPE_CHECKING:
    from kansenaudit.data.bbga import BBGAMetadata

# Levels a run analyses; "overig" (BBGA's "not assigned" areas) is reported, not analysed.
ANALYSED_LEVELS = ("stad", "gemeente", "stadsdeel", "gebied", "wijk", "buurt")
_SOURCE_OF_KIND = {"bbga": "bbga", "statline_ses": "cbs_ses", "kwb": "cbs_kwb"}


def _map_to_catalogue(
    table: pl.DataFrame, source: str, catalogue: tuple[CatalogueIndicator, ...]
) -> pl.DataFrame:
    mapping = {
        var.variable.upper(): ind.key
        for ind in catalogue
        for var in ind.sources
        if var.source == source
    }
    return (
        table.with_columns(pl.col("indicator").str.to_uppercase().alias("_var"))
        .filter(pl.col("_var").is_in(list(mapping)))
        .with_columns(pl.col("_var").replace_strict(mapping).alias("indicator"))
        .drop("_var")
    )


def bbga_minimums(
    catalogue: tuple[CatalogueIndicator, ...], metadata: BBGAMetadata, notes: list[str]
) -> tuple[CatalogueIndicator, ...]:
    """The catalogue with the BBGA metadata's area-size minimums where the metadata gives one.

    OIS shows a BBGA figure only for areas with at least ``SD minimum Bevtotaal`` residents
    or ``SD minimum WvoorrBAG`` dwellings (occupancy: 100 dwellings). Where the metadata of
    the release gives such a minimum for an indicator's BBGA variable, it replaces the
    catalogue's own, so a newer release's rule is applied without a code change; each change
    is named in the notes.
    """
    updated = []
    applied = []
    for indicator in catalogue:
        variable = indicator.variable_for("bbga")
        record = metadata.get(variable.upper()) if variable else None
        changes: dict[str, int] = {}
        if record is not None:
            if record.min_population and record.min_population != indicator.min_population:
                changes["min_population"] = record.min_population
            if record.min_dwellings and record.min_dwellings != indicator.min_dwellings:
                changes["min_dwellings"] = record.min_dwellings
        if record is not None and (record.min_population or record.min_dwellings):
            parts = [
                f"{format_number(record.min_population)} inwoners" if record.min_population else "",
                f"{format_number(record.min_dwellings)} woningen" if record.min_dwellings else "",
            ]
            applied.append(f"{indicator.name} ({' en '.join(p for p in parts if p)})")
        updated.append(replace(indicator, **changes) if changes else indicator)  # type: ignore[arg-type]
    if applied:
        notes.append(
            "Minimumomvang van een gebied volgens de BBGA-metadata toegepast (waarden van "
            "kleinere gebieden niet getoond): " + "; ".join(applied) + "."
        )
    return tuple(updated)


def inputs_from_sources(
    files: list[CachedFile],
    *,
    city_code: str = "GM0363",
    city_name: str = "Amsterdam",
    catalogue: tuple[CatalogueIndicator, ...] = AMSTERDAM_CATALOGUE,
) -> StaatInputs:
    """Read the cached source files of a city into :class:`StaatInputs`.

    Catalogue indicators are taken from every source that has them (their area codes do not
    overlap: BBGA uses Amsterdam's codes, CBS its own). Problems are collected as issues naming
    file, row and code; the run goes on with what could be read.
    """
    issues: list[ReadIssue] = []
    notes: list[str] = []
    tables: list[pl.DataFrame] = []
    raw_bbga: list[pl.DataFrame] = []
    area_names: dict[str, str] = {}
    present_year: int | None = None
    metadata = None
    for item in files:
        if item.kind == "bbga_metadata":
            from kansenaudit.data.bbga import read_bbga_metadata

            metadata = read_bbga_metadata(Path(item.path))
            issues.extend(metadata.issues)
    if metadata is not None:
        catalogue = bbga_minimums(catalogue, metadata, notes)
    for item in files:
        source = _SOURCE_OF_KIND.get(item.kind)
        if source is None:
            continue
        result = read(item.kind, Path(item.path))
        issues.extend(result.issues)
        if item.kind == "bbga":
            if result.meta.get("present_year") is None:
                result.table = _future_as_prognosis(result.table, item, notes)
            raw_bbga.append(result.table)
            year = result.meta.get("present_year")
            if isinstance(year, int):
                present_year = max(present_year or year, year)
            if metadata is not None:
                from kansenaudit.data.bbga import check_variables

                wanted = {
                    v.variable.upper()
                    for ind in catalogue
                    for v in ind.sources
                    if v.source == "bbga"
                }
                issues.extend(
                    issue
                    for issue in check_variables(result, metadata)
                    if (issue.code or "").upper() in wanted
                )
        names = result.meta.get("area_names")
        if isinstance(names, dict):
            area_names.update(names)
        tables.append(_map_to_catalogue(result.table, source, catalogue))
    values = pl.concat(tables, how="vertical_relaxed") if tables else pl.DataFrame()
    if not values.is_empty():
        missing = sorted(
            {ind.key for ind in catalogue} - set(values["indicator"].unique().to_list())
        )
        if missing:
            notes.append("Geen waarden gevonden voor: " + ", ".join(missing))
        skipped = values.filter(~pl.col("area_level").is_in(ANALYSED_LEVELS))
        if skipped.height:
            codes = sorted(set(skipped["area_code"].to_list()))
            notes.append(
                f"{format_number(skipped.height)} waarden van niet-toegewezen gebieden "
                f"({', '.join(codes)}) niet geanalyseerd."
            )
        values = values.filter(pl.col("area_level").is_in(ANALYSED_LEVELS))
        # The same STAD rows come with every BBGA level file: keep one of each.
        before = values.height
        values = values.unique(
            ["indicator", "area_code", "group", "period", "is_prognosis"],
            keep="first",
            maintain_order=True,
        )
        if values.height < before:
            notes.append(
                f"{format_number(before - values.height)} dubbele waarden (zelfde gebied en "
                "jaar in meer dan één bronbestand) één keer meegenomen."
            )
    geometries = _read_geometries(files, issues)
    crosswalk_table = pl.DataFrame()
    extra_areas: dict[str, AreaInfo] = {}
    if not values.is_empty() and "geo_buurten_2015" in geometries:
        from kansenaudit.staat.harmonise import harmonise_to_gebieden_2022, old_division_areas

        extra_areas.update(old_division_areas(geometries["geo_buurten_2015"], area_names))
        if "geo_gebieden" in geometries:
            cbs = values.filter(pl.col("source").str.contains("CBS") & ~pl.col("is_prognosis"))
            harmonised, crosswalk_table, gebieden = harmonise_to_gebieden_2022(
                cbs, geometries["geo_buurten_2015"], geometries["geo_gebieden"]
            )
            if not harmonised.is_empty():
                values = pl.concat([values, harmonised], how="vertical_relaxed")
                extra_areas.update(gebieden)
                notes.append(
                    f"{format_number(harmonised.height)} CBS-waarden van buurten (indeling 2015) "
                    "omgerekend naar de gebieden van 2022 met een oppervlakte-omzetting gewogen "
                    "naar huishoudens; "
                    "de kwaliteit staat per waarde in de vlaggen en de omzetting in de tabel "
                    "'omzetting'."
                )
    areas = _areas(files, values, raw_bbga, area_names, city_code, city_name, notes, issues)
    for code, area in extra_areas.items():
        current = areas.get(code)
        if current is None or current.geometry is None:
            areas[code] = area
    sources = [
        SourceRecord(
            key=item.key,
            path=item.path,
            origin=item.origin,
            sha256=item.sha256,
            release=item.release,
            retrieved_at=item.retrieved_at,
            publisher=item.publisher,
        )
        for item in files
    ]
    observed = values.filter(~pl.col("is_prognosis")) if not values.is_empty() else values
    prognoses = values.filter(pl.col("is_prognosis")) if not values.is_empty() else values
    raw_prognoses = sum(int(t["is_prognosis"].sum()) for t in raw_bbga)
    if raw_prognoses:
        notes.append(
            f"{format_number(raw_prognoses)} prognosewaarden van OIS (jaren na de uitgave en "
            "prognosevariabelen) herkend en niet als waarneming gebruikt."
        )
    if prognoses.height:
        notes.append(
            f"{format_number(prognoses.height)} prognosewaarden van de uitgever apart gehouden "
            "(niet gemengd met waarnemingen)."
        )
    return StaatInputs(
        city_code=city_code,
        city_name=city_name,
        catalogue=catalogue,
        values=observed,
        prognoses=prognoses,
        areas=areas,
        sources=sources,
        issues=issues,
        is_demo=False,
        label="",
        present_year=present_year,
        notes=notes,
        harmonisation=crosswalk_table,
    )


def _areas(
    files: list[CachedFile],
    values: pl.DataFrame,
    raw_bbga: list[pl.DataFrame],
    area_names: dict[str, str],
    city_code: str,
    city_name: str,
    notes: list[str],
    issues: list[ReadIssue],
) -> dict[str, AreaInfo]:
    from kansenaudit.data.geo import to_geojson_geometry

    geometry: dict[str, tuple[str, dict]] = {}
    for area in _read_geometries(files, []).get("geo_stadsdelen", []):
        geometry[area.code] = (area.name, to_geojson_geometry(area.geometry, decimals=1))
    parents: dict[str, str] = {}
    if raw_bbga:
        bbga = pl.concat(raw_bbga, how="vertical_relaxed").filter(
            pl.col("indicator").is_in(COUNT_VARIABLES) & ~pl.col("is_prognosis")
        )
        # "Not assigned" areas (ZX99, Z) take part: their residents are in the totals too.
        gebieden = bbga.filter(pl.col("area_code").str.contains(r"^[A-Z]X\d\d$"))
        stadsdelen = bbga.filter(pl.col("area_code").str.contains(r"^[A-Z]$"))
        if gebieden.height and stadsdelen.height:
            derived = derive_parents(gebieden, stadsdelen)
            if derived is None:
                notes.append("Indeling van gebieden in stadsdelen niet af te leiden uit de BBGA.")
            else:
                mapping, used = derived
                parents.update(mapping)
                notes.append(
                    "Indeling van gebieden in stadsdelen afgeleid uit de BBGA-aantallen: de som "
                    "van de gebieden geeft het stadsdeel (binnen afronding) voor "
                    f"{len(used)} reeksen ({', '.join(used[:6])}{' …' if len(used) > 6 else ''})."
                )
    areas: dict[str, AreaInfo] = {}
    if values.is_empty():
        return areas
    seen = values.select("area_code", "area_level").unique()
    for code, level in seen.iter_rows():
        if level in ("stad", "gemeente"):
            name = city_name
        elif code in geometry:
            name = geometry[code][0]
        else:
            name = area_names.get(code) or code
        parent = parents.get(code)
        if parent is None and level == "stadsdeel":
            parent = "STAD"
        areas[code] = AreaInfo(
            code=code,
            name=name,
            level=level,
            parent_code=parent,
            geometry=geometry.get(code, (None, None))[1],
        )
    if city_code not in areas:
        areas[city_code] = AreaInfo(code=city_code, name=city_name, level="gemeente")
    # The 2015 gebieden (DX01…) come without names in the BBGA; a reader still learns where
    # such an area lies from its stadsdeel, which the counts placed it in.
    for code, area in list(areas.items()):
        parent = areas.get(area.parent_code or "")
        if area.name == code and parent is not None and parent.name != parent.code:
            areas[code] = replace(area, name=f"{area.level} {code} in {parent.name}")
    return areas


_GEOMETRY_CACHE: dict[tuple[str, str], list] = {}


def _read_geometries(files: list[CachedFile], issues: list[ReadIssue]) -> dict[str, list]:
    """Area layers by source key (read once per file content; they are large to parse)."""
    from kansenaudit.data.geo import read_area_geometries

    layers: dict[str, list] = {}
    for item in files:
        if item.kind != "geometries":
            continue
        key = (item.path, item.sha256)
        if key not in _GEOMETRY_CACHE:
            result = read_area_geometries(Path(item.path))
            issues.extend(result.issues)
            _GEOMETRY_CACHE[key] = result.areas
        layers[item.key] = _GEOMETRY_CACHE[key]
    return layers


def _future_as_prognosis(table: pl.DataFrame, item: CachedFile, notes: list[str]) -> pl.DataFrame:
    """Mark years after the last registered population as OIS prognoses.

    A downloaded BBGA file has no year in its name, so its release year is unknown; the last
    year with a registered population (BEVTOTAAL) is then the present, and later years can only
    be forecasts.
    """
    registered = table.filter((pl.col("indicator") == "BEVTOTAAL") & pl.col("value").is_not_null())
    if registered.is_empty():
        return table
    present = int(registered["period"].max())
    notes.append(
        f"{Path(item.path).name}: uitgavejaar onbekend; jaren na {present} (laatste jaar met "
        "geregistreerde bevolking) behandeld als prognose."
    )
    return table.with_columns(
        (pl.col("is_prognosis") | (pl.col("period") > present)).alias("is_prognosis")
    )
