# SPDX-License-Identifier: EUPL-1.2
"""Reading an area layer: :func:`read_area_geometries` (records → checked areas in RD New)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from kansenaudit.data.geo.crs import RD_BOX, fmt_bounds, infer_crs, inside, reproject_geometries
from kansenaudit.data.geo.layers import (
    Layer,
    api_level,
    detect_layer,
    hierarchy_from_code22,
    single_value,
)
from kansenaudit.data.geo.model import RD_NEW, AreaGeometry, GeometryReadResult
from kansenaudit.data.geo.records import (
    Record,
    decode,
    issue_warning,
    parse_geometry,
    records_from_csv,
    records_from_geojson,
    text_of,
)
from kansenaudit.data.geo.repair import merge_duplicates, repair_invalid
from kansenaudit.data.tidy import ReadIssue, SourceFormatError


def read_area_geometries(
    path: str | Path,
    *,
    level: str | None = None,
    division: str | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
) -> GeometryReadResult:
    """Read an area layer (GeoJSON or CSV with WKT) into :class:`AreaGeometry` objects in RD New.

    The layer is recognised from its property names (see :mod:`kansenaudit.data.geo`); the CRS comes
    from the GeoJSON's legacy ``crs`` member (``urn:ogc:def:crs:EPSG::28992``), else from the
    coordinate range: within the Netherlands' longitude/latitude box means WGS84, within RD
    New's bounds means RD New. All geometries are then reprojected to RD New in one vectorised
    pyproj/shapely call, and the result is checked to lie in RD New's domain.

    Parameters
    ----------
    path : str or Path
        A ``.geojson``/``.json`` FeatureCollection, or a CSV (``;`` or ``,``) with a WKT column.
        Its WKT is read as longitude/latitude (or RD metres, by range); a column named
        ``..._LAT_LNG`` is read with its axes swapped.
    level : str, optional
        The level the caller expects. Required for layers whose level cannot be recognised; for
        recognised layers it must agree with the layer.
    division : str, optional
        The division to record (default: the layer's, e.g. ``amsterdam-2022``).
    code_field, name_field : str, optional
        For layers not recognised: the properties holding the code and the name.

    Returns
    -------
    GeometryReadResult

    Raises
    ------
    SourceFormatError
        If the file is unreadable, not JSON/CSV, not a FeatureCollection, has no WKT column,
        is of an unknown layer, or its CRS cannot be told; the message names the file.

    Notes
    -----
    A feature is never dropped silently. Without a code or geometry it is skipped with a
    warning naming the feature (GeoJSON: ``row`` is the index in ``features``; CSV: the line
    number, header = 1). An invalid polygon is repaired with :func:`shapely.make_valid`
    (``method="structure"``) and a warning says why it was invalid. Features sharing a code
    and validity period are unioned into one area, with a warning (some exports split
    multi-part areas). A stated ``Oppervlakte_m2`` that differs from the computed area by more
    than 1% gives a warning.

    Examples
    --------
    >>> import json, tempfile
    >>> square = [[[4.89, 52.37], [4.90, 52.37], [4.90, 52.38], [4.89, 52.38], [4.89, 52.37]]]
    >>> layer = {"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": square},
    ...      "properties": {"Gebiedcode": "GA01", "Gebied": "Centrum-West",
    ...                     "Stadsdeelcode": "A", "Stadsdeel": "Centrum"}},
    ...     {"type": "Feature", "geometry": None, "properties": {"Gebiedcode": "GA02"}}]}
    >>> path = Path(tempfile.mkdtemp()) / "gebieden.geojson"
    >>> _ = path.write_text(json.dumps(layer))
    >>> result = read_area_geometries(path)
    >>> area = result.areas[0]
    >>> area.code, area.level, area.division, area.parent_code, round(area.area, -4)
    ('GA01', 'gebied', 'amsterdam-2022', 'A', 760000.0)
    >>> result.meta["crs_in"], result.meta["crs_source"], result.meta["layer"]
    ('EPSG:4326', 'inferred', 'INDELING_GEBIED')
    >>> [(i.row, i.message) for i in result.issues]
    [(1, 'features[1] (GA02) has no geometry; skipped')]
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceFormatError(f"cannot read the file: {exc.strerror or exc}", file=path) from exc
    text = decode(raw, path)
    is_json = path.suffix.lower() in (".geojson", ".json") or text.lstrip().startswith("{")
    if is_json:
        records, meta = records_from_geojson(text, path)
    else:
        records, meta = records_from_csv(text, path)
    meta = {"file": path.name, **meta, "sha256": hashlib.sha256(raw).hexdigest()}
    return _build(
        records,
        meta,
        path,
        level=level,
        division=division,
        code_field=code_field,
        name_field=name_field,
    )


def _build(
    records: list[Record],
    meta: dict,
    path: Path,
    *,
    level: str | None,
    division: str | None,
    code_field: str | None,
    name_field: str | None,
) -> GeometryReadResult:
    issues: list[ReadIssue] = []
    keys = {k.lower() for r in records for k in r.properties}
    layer = detect_layer(keys)
    if code_field is not None:
        layer = Layer(
            "custom",
            level,
            division,
            (),
            (),
            code_field.lower(),
            name_field.lower() if name_field else None,
        )
    if layer is None and records:
        raise SourceFormatError(
            f"unknown area layer: properties {sorted(keys)}; pass code_field= and level=",
            file=path,
        )
    layer_level = layer.level if layer else None
    lowered = [{k.lower(): v for k, v in r.properties.items()} for r in records]
    if layer is not None and layer.own_export:
        layer_level = single_value(lowered, "level", path)
        division = division or single_value(lowered, "division", path)
    if layer is not None and layer.name.startswith("api"):
        layer_level = api_level(lowered)
    if layer_level is not None and level is not None and level != layer_level:
        raise SourceFormatError(
            f"the file holds {layer_level} areas ({layer.name}), not {level}", file=path
        )
    level = level or layer_level
    if level is None and records:
        raise SourceFormatError(
            f"cannot tell the level of layer {layer.name}; pass level=", file=path
        )
    division = division or (layer.division if layer else None) or "unspecified"

    parsed: list[tuple[Record, dict, BaseGeometry]] = []
    for record in records:
        props = {k.lower(): v for k, v in record.properties.items()}
        code = text_of(props.get(layer.code)) if layer else ""
        geom, problem = parse_geometry(record)
        if not code:
            issues.append(
                issue_warning(
                    path,
                    record,
                    layer.code if layer else None,
                    None,
                    f"{record.where} has no area code; skipped",
                )
            )
            continue
        if geom is None:
            issues.append(
                issue_warning(
                    path, record, "geometry", code, f"{record.where} ({code}) {problem}; skipped"
                )
            )
            continue
        parsed.append((record, props, geom))

    if not records:
        issues.append(
            ReadIssue("warning", str(path), None, None, None, "the layer has no features")
        )
    if not parsed:
        meta.update(
            layer=layer.name if layer else None,
            level=level,
            division=division,
            crs_in=meta.pop("declared_crs", None),
            crs_source=None,
            crs_out=RD_NEW,
            features=len(records),
            areas=0,
            bounds=None,
        )
        return GeometryReadResult([], issues, meta)

    raw_geoms = np.array([g for _, _, g in parsed], dtype=object)
    swap = meta.get("wkt_axis_order", "").startswith("lat/lon")
    if swap:
        raw_geoms = shapely.transform(raw_geoms, lambda xy: xy[:, ::-1])
    declared = meta.pop("declared_crs", None)
    bounds = shapely.total_bounds(raw_geoms)
    crs_in = declared or infer_crs(bounds, path)
    try:
        geoms = reproject_geometries(raw_geoms, crs_in, RD_NEW)
    except ValueError as exc:
        raise SourceFormatError(str(exc), file=path) from exc
    rd_bounds = shapely.total_bounds(geoms)
    if not inside(rd_bounds, RD_BOX):
        raise SourceFormatError(
            f"after reprojection from {crs_in} the areas lie outside the Netherlands (RD bounds "
            f"{fmt_bounds(rd_bounds)}); are longitude and latitude swapped, or is the declared "
            "CRS wrong?",
            file=path,
        )
    geoms = repair_invalid(geoms, parsed, layer.code, path, issues)

    areas: list[AreaGeometry] = []
    for (record, props, _), geom in zip(parsed, geoms, strict=True):
        if geom is None:
            continue
        areas.append(_area(record, props, geom, layer, level, division, path, issues))
    areas = merge_duplicates(areas, path, issues)
    meta.update(
        layer=layer.name,
        level=level,
        division=division,
        crs_in=crs_in,
        crs_source="declared" if declared else "inferred",
        crs_out=RD_NEW,
        features=len(records),
        areas=len(areas),
        bounds=[round(float(v), 1) for v in rd_bounds],
    )
    issues.sort(key=lambda issue: issue.row if issue.row is not None else -1)
    return GeometryReadResult(areas, issues, meta)


def _area(
    record: Record,
    props: dict,
    geom: BaseGeometry,
    layer: Layer,
    level: str,
    division: str,
    path: Path,
    issues: list[ReadIssue],
) -> AreaGeometry:
    code = text_of(props.get(layer.code))
    hierarchy: dict[str, str] = {}
    names: dict[str, str] = {}
    for up_level, code_key, name_key in layer.hierarchy:
        value = text_of(props.get(code_key))
        if value:
            hierarchy[up_level] = value
            if name_key and text_of(props.get(name_key)):
                names[up_level] = text_of(props.get(name_key))
    if layer.hierarchy_from_code:
        hierarchy = hierarchy_from_code22(code, level)
    parent = next(iter(hierarchy.values()), None)
    if layer.own_export:
        stored = props.get("hierarchy")
        hierarchy = {str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else {}
        parent = text_of(props.get("parent_code")) or None
    stated = props.get("oppervlakte_m2")
    if stated not in (None, ""):
        try:
            stated_area = float(str(stated).replace(",", "."))
        except ValueError:
            stated_area = None
        if stated_area and abs(geom.area / stated_area - 1) > 0.01:
            issues.append(
                issue_warning(
                    path,
                    record,
                    "Oppervlakte_m2",
                    code,
                    f"{record.where} ({code}): the stated area {stated_area:.0f} m² differs from "
                    f"the polygon's {geom.area:.0f} m² by more than 1%",
                )
            )
    valid_from = _parse_date(props.get(layer.valid_from), record, path, issues, code)
    valid_to = _parse_date(props.get(layer.valid_to), record, path, issues, code)
    return AreaGeometry(
        code=code,
        name=text_of(props.get(layer.name_field)) if layer.name_field else "",
        level=level,
        division=division,
        parent_code=parent,
        cbs_code=(text_of(props.get(layer.cbs)) or None) if layer.cbs else None,
        valid_from=valid_from,
        valid_to=valid_to,
        geometry=geom,
        properties=dict(record.properties),
        hierarchy=hierarchy,
        hierarchy_names=names,
    )


def _parse_date(
    value: object, record: Record, path: Path, issues: list[ReadIssue], code: str
) -> date | None:
    """A date from ``2022-03-24`` or ``2022-03-23T23:00:00+00:00`` (→ local date in Amsterdam)."""
    text = text_of(value)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        issues.append(
            issue_warning(
                path,
                record,
                "geldigheid",
                code,
                f"{record.where} ({code}): unreadable date {text!r}; ignored",
            )
        )
        return None
    if moment.tzinfo is None:
        return moment.date()
    # The municipality stores midnight local time as UTC (23:00 or 22:00 the day before).
    return _to_amsterdam(moment).date()


def _to_amsterdam(moment: datetime) -> datetime:
    try:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo("Europe/Amsterdam"))
    except (ImportError, KeyError, OSError):  # no time-zone database: CET is close enough
        return (moment + timedelta(hours=1)).replace(tzinfo=None)
