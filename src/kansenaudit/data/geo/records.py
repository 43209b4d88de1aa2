# SPDX-License-Identifier: EUPL-1.2
"""From file text to records: the features of a GeoJSON file or the rows of a CSV with WKT."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from kansenaudit.data.geo.crs import crs_name, same_crs
from kansenaudit.data.tidy import ReadIssue, SourceFormatError

# When a CSV holds a polygon column, these names are tried first (lower case), in this order.
_WKT_COLUMNS = ("wkt_lng_lat", "wkt_lon_lat", "wkt", "geometry", "geom", "the_geom", "wkt_geom")
_LATLON_SUFFIXES = ("lat_lng", "lat_lon", "latlng", "latlon")


def decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Older municipal CSV exports are Windows-1252.
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SourceFormatError("neither UTF-8 nor Windows-1252 text", file=path) from exc


@dataclass
class Record:
    """One feature or CSV row before it becomes an AreaGeometry."""

    row: int  # features index (GeoJSON) or line number (CSV)
    where: str  # "features[3]" or "line 4"
    properties: dict
    geometry: object  # dict (GeoJSON), str (WKT) or None
    issue: str | None = None  # why the geometry could not be read


def records_from_geojson(text: str, path: Path) -> tuple[list[Record], dict]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", file=path
        ) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise SourceFormatError(f"expected a GeoJSON FeatureCollection, found {kind!r}", file=path)
    features = data.get("features")
    if not isinstance(features, list):
        raise SourceFormatError('the FeatureCollection has no "features" list', file=path)
    declared = _declared_crs(data.get("crs"), path)
    records = []
    for index, feature in enumerate(features):
        where = f"features[{index}]"
        if not isinstance(feature, dict):
            records.append(Record(index, where, {}, None, "is not a JSON object"))
            continue
        props = feature.get("properties") or {}
        geometry = feature.get("geometry")
        if isinstance(geometry, dict) and geometry.get("crs") is not None:
            # The api.data.amsterdam.nl export repeats the CRS in every geometry.
            own = _declared_crs(geometry["crs"], path)
            if declared is None:
                declared = own
            elif not same_crs(own, declared):
                raise SourceFormatError(
                    f"{where} declares CRS {own}, the collection {declared}", file=path
                )
        records.append(
            Record(index, where, dict(props) if isinstance(props, dict) else {}, geometry)
        )
    meta = {"format": "geojson", "declared_crs": declared}
    if data.get("name"):
        meta["name"] = data["name"]
    return records, meta


def _declared_crs(member: object, path: Path) -> str | None:
    """The CRS named by a legacy GeoJSON ``crs`` member (``{"type": "name", ...}``)."""
    if member is None:
        return None
    name = None
    if isinstance(member, dict):
        props = member.get("properties")
        if isinstance(props, dict):
            name = props.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SourceFormatError(f"cannot read the crs member {member!r}", file=path)
    try:
        return crs_name(name.strip())
    except pyproj.exceptions.CRSError as exc:
        raise SourceFormatError(f"unknown CRS {name!r} in the crs member", file=path) from exc


def records_from_csv(text: str, path: Path) -> tuple[list[Record], dict]:
    if not text.strip():
        raise SourceFormatError("empty file: no header line", file=path, row=1)
    header = text.split("\n", 1)[0]
    separator = ";" if header.count(";") >= header.count(",") else ","
    old_limit = csv.field_size_limit()
    # A WKT field of a detailed polygon easily exceeds csv's default limit of 128 KiB.
    csv.field_size_limit(max(old_limit, 64 * 1024 * 1024))
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        # (line number where the record ends, fields): exact for one-line records, and the
        # line is what an auditor opens the file at.
        rows = [(reader.line_num, values) for values in reader]
    except csv.Error as exc:
        raise SourceFormatError(f"cannot parse the CSV: {exc}", file=path) from exc
    finally:
        csv.field_size_limit(old_limit)
    names = [name.strip() for name in rows[0][1]]
    lower = [name.lower() for name in names]
    wkt_at, swap = _wkt_column(lower)
    if wkt_at is None:
        raise SourceFormatError(
            f"no WKT geometry column (tried {', '.join(_WKT_COLUMNS)}); the header has {names}",
            file=path,
            row=1,
        )
    skip = {i for i, name in enumerate(lower) if "wkt" in name or not name}
    records = []
    for line, values in rows[1:]:
        if not any(v.strip() for v in values):
            continue
        props = {names[i]: v for i, v in enumerate(values) if i < len(names) and i not in skip}
        wkt = values[wkt_at].strip() if wkt_at < len(values) else ""
        records.append(Record(line, f"line {line}", props, wkt or None))
    meta = {
        "format": "csv",
        "declared_crs": None,
        "separator": separator,
        "wkt_column": names[wkt_at],
        "wkt_axis_order": "lat/lon (swapped on reading)" if swap else "lon/lat",
    }
    return records, meta


def _wkt_column(lower: list[str]) -> tuple[int | None, bool]:
    for name in _WKT_COLUMNS:
        if name in lower:
            return lower.index(name), False
    for i, name in enumerate(lower):
        if "wkt" in name and not name.endswith(_LATLON_SUFFIXES):
            return i, False
    for i, name in enumerate(lower):
        if "wkt" in name:
            return i, True
    return None, False


def parse_geometry(record: Record) -> tuple[BaseGeometry | None, str | None]:
    """Geometry from GeoJSON dict or WKT text; (None, reason) when it cannot be used."""
    if record.issue:
        return None, record.issue
    source = record.geometry
    if source is None or source == {}:
        return None, "has no geometry"
    try:
        if isinstance(source, str):
            geom = shapely.from_wkt(source)
        else:
            geom = shapely.from_geojson(json.dumps(source))
    except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
        return None, f"has an unreadable geometry ({str(exc).splitlines()[0][:80]})"
    if geom is None or geom.is_empty:
        return None, "has an empty geometry"
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return None, f"has a {geom.geom_type}, not a polygon"
    return geom, None


def text_of(value: object) -> str:
    return "" if value is None else str(value).strip()


def issue_warning(
    path: Path, record: Record, field_name: str | None, code: str | None, message: str
) -> ReadIssue:
    return ReadIssue("warning", str(path), record.row, field_name, code, message)
