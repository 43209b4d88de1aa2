"""Area geometries: reading the municipality's layers, reprojecting to RD New, and a registry.

Amsterdam publishes its area divisions (buurt, wijk, gebied, stadsdeel) as GeoJSON and as CSV
tables with WKT polygons, in WGS84 longitude/latitude or in RD New metres, with different
property names per layer and per year. :func:`read_area_geometries` reads all of them into one
form, :class:`AreaGeometry`, always in RD New (EPSG:28992), so areas and intersections are in
square metres. :class:`AreaRegistry` holds areas of several divisions and levels, with their
validity periods and hierarchy, dissolves buurten into wijken, gebieden and stadsdelen, and
writes GeoJSON for maps. :func:`to_geojson_geometry` gives the dict the SVG map renderer
(:mod:`kansenaudit.reporting.svgmap`) takes.

Layers recognised (checked against the files in the shared data folder, ``geo/``):

``INDELING_BUURT`` (maps.amsterdam.nl, 2022 division, WGS84)
    ``Buurtcode`` (``AC02``), ``Buurt``, ``CBS_Buurtcode`` (``BU0363AC02``), ``Wijkcode``,
    ``Wijk``, ``Gebiedcode`` (``GA01``; empty for Westpoort), ``Gebied``, ``Stadsdeelcode``,
    ``Stadsdeel``. Division ``amsterdam-2022``.
``INDELING_WIJK``, ``INDELING_GEBIED``, ``INDELING_STADSDEEL``
    The same family one level up (``Gebiedcode``/``Gebied``/``Stadsdeelcode``/``Stadsdeel``).
``api.data.amsterdam.nl`` ``gebieden/*`` export
    ``identificatie``, ``code`` (``AA01``), ``naam``, ``cbs_code``, ``begin_geldigheid``,
    ``eind_geldigheid``, ``volgnummer``, ``ligt_in_wijk_identificatie``, ... Usually in RD New
    with a legacy ``crs`` member. The wijk is named only by its ``identificatie``, so the
    hierarchy is taken from the code itself (buurt ``AA01`` lies in wijk ``AA`` and stadsdeel
    ``A``). Division ``amsterdam-2022``.
``GEBIED_BUURTEN`` (the pre-2022 open geodata table, CSV with WKT)
    ``Buurtcode`` (``A00b``; Weesp ``SAA1``), ``Buurtnaam``, ``Wijkcode`` (``A00``),
    ``Stadsdeelcode``, ``Oppervlakte_m2``, ``BuurtID``, ``WKT_LNG_LAT`` and ``WKT_LAT_LNG``.
    Division ``amsterdam-2015``.
``GEBIED_STADSDELEN``
    ``Stadsdeelcode``, ``Stadsdeelnaam``, ``Oppervlakte_m2``, WKT. Division ``amsterdam-2015``.
This package's own export (:meth:`AreaRegistry.to_geojson`)
    ``code``, ``name``, ``level``, ``division``, ``parent_code``, ``hierarchy``, ...

Property names are matched case-insensitively. Any other layer can be read by naming its code
field (``code_field=``) and its ``level``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from kansenaudit.data.tidy import ReadIssue, SourceFormatError

__all__ = [
    "DIVISION_2015",
    "DIVISION_2022",
    "LEVEL_ORDER",
    "RD_NEW",
    "WGS84",
    "AreaGeometry",
    "AreaRegistry",
    "GeometryReadResult",
    "read_area_geometries",
    "reproject_geometries",
    "to_geojson_geometry",
]

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"
DIVISION_2015 = "amsterdam-2015"
DIVISION_2022 = "amsterdam-2022"

LEVEL_ORDER = ("buurt", "wijk", "gebied", "stadsdeel", "stad")
"""Levels from small to large. A wijk does not always lie in one gebied (2022: wijk ``NB``
straddles ``GN18`` and ``GN19``), so the hierarchy is kept per area, not assumed."""

# Plausible coordinate boxes for the Netherlands. Lon/lat: the EPSG:28992 area of use
# (3.2–7.22 E, 50.75–53.7 N) with a margin; RD New: its projected bounds with a margin.
_LONLAT_BOX = (2.5, 50.2, 7.9, 54.2)
_RD_BOX = (-10_000.0, 280_000.0, 310_000.0, 640_000.0)

# When a CSV holds a polygon column, these names are tried first (lower case), in this order.
_WKT_COLUMNS = ("wkt_lng_lat", "wkt_lon_lat", "wkt", "geometry", "geom", "the_geom", "wkt_geom")
_LATLON_SUFFIXES = ("lat_lng", "lat_lon", "latlng", "latlon")


# --------------------------------------------------------------------------------------------
# Data classes


@dataclass(frozen=True)
class AreaGeometry:
    """One area of one division, with its polygon in RD New (EPSG:28992, metres).

    Attributes
    ----------
    code : str
        The area code in its division (``AC02``, ``A00b``, ``GA01``, ``A``).
    name : str
        The area's name as the layer gives it (may be empty).
    level : str
        ``buurt``, ``wijk``, ``gebied``, ``stadsdeel`` or ``stad`` (see :data:`LEVEL_ORDER`).
    division : str
        The area division, e.g. ``amsterdam-2022`` or ``amsterdam-2015``.
    parent_code : str or None
        The enclosing area one level up where the layer says it (for a 2022 buurt its wijk).
    cbs_code : str or None
        CBS code (``BU0363AC02``) when the layer has one.
    valid_from, valid_to : datetime.date or None
        Validity period (``valid_from`` inclusive, ``valid_to`` exclusive, local dates in
        Europe/Amsterdam); None means open-ended or not stated.
    geometry : shapely geometry
        Polygon or MultiPolygon in RD New.
    properties : dict
        The feature's own properties, unchanged (WKT columns left out).
    hierarchy : dict
        Level → code of every enclosing area the layer names (``{"wijk": "AC", "gebied":
        "GA01", "stadsdeel": "A"}``); empty codes are left out.
    hierarchy_names : dict
        Level → name of those areas, where the layer gives names.
    """

    code: str
    name: str
    level: str
    division: str
    parent_code: str | None
    cbs_code: str | None
    valid_from: date | None
    valid_to: date | None
    geometry: BaseGeometry
    properties: dict = field(default_factory=dict, compare=False)
    hierarchy: dict[str, str] = field(default_factory=dict, compare=False)
    hierarchy_names: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def area(self) -> float:
        """The area in square metres."""
        return float(self.geometry.area)

    def is_valid_on(self, day: date) -> bool:
        """Whether the area exists on ``day`` (``valid_from <= day < valid_to``).

        >>> from shapely import box
        >>> a = AreaGeometry("AA01", "", "buurt", "d", None, None, date(2022, 3, 24), None,
        ...                  box(0, 0, 1, 1))
        >>> a.is_valid_on(date(2022, 3, 23)), a.is_valid_on(date(2024, 1, 1))
        (False, True)
        """
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day < self.valid_to


@dataclass
class GeometryReadResult:
    """What :func:`read_area_geometries` returns: the areas, the issues and facts about the file.

    ``meta`` holds ``file``, ``format`` (``geojson``/``csv``), ``layer``, ``level``,
    ``division``, ``crs_in`` (e.g. ``EPSG:4326``), ``crs_source`` (``declared`` or
    ``inferred``), ``crs_out`` (``EPSG:28992``), ``features`` (features or data rows read),
    ``areas`` (kept), ``bounds`` (RD New ``[minx, miny, maxx, maxy]``) and ``sha256``; for CSV
    also ``separator`` and ``wkt_column``.
    """

    areas: list[AreaGeometry]
    issues: list[ReadIssue] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    @property
    def warnings(self) -> list[ReadIssue]:
        """The issues of severity ``warning``."""
        return [i for i in self.issues if i.severity == "warning"]

    def geometries(self) -> dict[str, BaseGeometry]:
        """Code → geometry, e.g. as input for :func:`kansenaudit.stats.crosswalk.build_crosswalk`.

        With several versions of a code the last one read wins.
        """
        return {a.code: a.geometry for a in self.areas}


# --------------------------------------------------------------------------------------------
# Layer profiles


@dataclass(frozen=True)
class _Layer:
    name: str
    level: str | None
    division: str | None
    signature: tuple[str, ...]  # lower-case property names that must all be present
    absent: tuple[str, ...]  # ... and names that must not be
    code: str
    name_field: str | None
    cbs: str | None = None
    # (level, code field, name field) of the enclosing areas, nearest first
    hierarchy: tuple[tuple[str, str, str | None], ...] = ()
    valid_from: str | None = None
    valid_to: str | None = None
    hierarchy_from_code: bool = False  # derive the hierarchy from a gebiedcode22 code
    own_export: bool = False  # written by AreaRegistry.to_geojson: level etc. per feature


_LAYERS = (
    _Layer(
        "kansenaudit",
        None,
        None,
        ("code", "name", "level", "division", "parent_code"),
        (),
        "code",
        "name",
        cbs="cbs_code",
        valid_from="valid_from",
        valid_to="valid_to",
        own_export=True,
    ),
    _Layer(
        "INDELING_BUURT",
        "buurt",
        DIVISION_2022,
        ("buurtcode", "buurt", "wijkcode"),
        ("buurtnaam",),
        "buurtcode",
        "buurt",
        cbs="cbs_buurtcode",
        hierarchy=(
            ("wijk", "wijkcode", "wijk"),
            ("gebied", "gebiedcode", "gebied"),
            ("stadsdeel", "stadsdeelcode", "stadsdeel"),
        ),
    ),
    _Layer(
        "GEBIED_BUURTEN",
        "buurt",
        DIVISION_2015,
        ("buurtcode", "buurtnaam"),
        (),
        "buurtcode",
        "buurtnaam",
        hierarchy=(("wijk", "wijkcode", None), ("stadsdeel", "stadsdeelcode", None)),
    ),
    _Layer(
        "INDELING_WIJK",
        "wijk",
        DIVISION_2022,
        ("wijkcode", "wijk"),
        ("buurtcode",),
        "wijkcode",
        "wijk",
        cbs="cbs_wijkcode",
        hierarchy=(("gebied", "gebiedcode", "gebied"), ("stadsdeel", "stadsdeelcode", "stadsdeel")),
    ),
    _Layer(
        "INDELING_GEBIED",
        "gebied",
        DIVISION_2022,
        ("gebiedcode", "gebied"),
        ("buurtcode", "wijkcode"),
        "gebiedcode",
        "gebied",
        hierarchy=(("stadsdeel", "stadsdeelcode", "stadsdeel"),),
    ),
    _Layer(
        "GEBIED_STADSDELEN",
        "stadsdeel",
        DIVISION_2015,
        ("stadsdeelcode", "stadsdeelnaam"),
        ("buurtcode", "wijkcode"),
        "stadsdeelcode",
        "stadsdeelnaam",
    ),
    _Layer(
        "INDELING_STADSDEEL",
        "stadsdeel",
        DIVISION_2022,
        ("stadsdeelcode", "stadsdeel"),
        ("buurtcode", "wijkcode", "gebiedcode"),
        "stadsdeelcode",
        "stadsdeel",
    ),
    _Layer(
        "api.data.amsterdam.nl gebieden",
        None,  # buurten, wijken, ... : decided per file, see _api_level
        DIVISION_2022,
        ("identificatie", "code", "naam"),
        (),
        "code",
        "naam",
        cbs="cbs_code",
        valid_from="begin_geldigheid",
        valid_to="eind_geldigheid",
        hierarchy_from_code=True,
    ),
)


def _detect_layer(keys: set[str]) -> _Layer | None:
    for layer in _LAYERS:
        if all(k in keys for k in layer.signature) and not any(k in keys for k in layer.absent):
            return layer
    return None


def _single(features: list[dict], key: str, path: Path) -> str | None:
    """The one value all features give for ``key`` (our own export: level, division)."""
    values = {_text(props.get(key)) for props in features} - {""}
    if len(values) > 1:
        raise SourceFormatError(f"features of several {key}s: {sorted(values)}", file=path)
    return values.pop() if values else None


def _api_level(features: list[dict]) -> str | None:
    """The level of an api.data.amsterdam.nl export, from the CBS code or the parent link."""
    for props in features:
        cbs = str(props.get("cbs_code") or "")
        if cbs.startswith("BU"):
            return "buurt"
        if cbs.startswith("WK"):
            return "wijk"
        if props.get("ligt_in_wijk_identificatie") or props.get("ligt_in_wijk_id"):
            return "buurt"
    return None


_CODE22 = {
    "buurt": re.compile(r"[A-Z][A-Z]\d\d"),
    "wijk": re.compile(r"[A-Z][A-Z]"),
    "gebied": re.compile(r"G[A-Z]\d\d"),
}


def _hierarchy_from_code22(code: str, level: str) -> dict[str, str]:
    """Enclosing areas named by a gebiedcode22 code itself (``AA01`` → wijk AA, stadsdeel A)."""
    if level == "buurt" and _CODE22["buurt"].fullmatch(code):
        return {"wijk": code[:2], "stadsdeel": code[0]}
    if level == "wijk" and _CODE22["wijk"].fullmatch(code):
        return {"stadsdeel": code[0]}
    if level == "gebied" and _CODE22["gebied"].fullmatch(code):
        return {"stadsdeel": code[1]}
    return {}


# --------------------------------------------------------------------------------------------
# Reprojection and CRS


def _transformer(source: str, target: str) -> pyproj.Transformer:
    # always_xy: coordinates are (x, y) = (lon, lat) whatever the CRS's official axis order.
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def reproject_geometries(
    geometries: Sequence[BaseGeometry] | np.ndarray, source_crs: str, target_crs: str = RD_NEW
) -> np.ndarray:
    """Reproject geometries in one vectorised call (pyproj with ``always_xy=True``).

    Parameters
    ----------
    geometries : sequence of shapely geometries
        Coordinates as (x, y); for geographic CRSs that is (longitude, latitude).
    source_crs, target_crs : str
        Anything :class:`pyproj.CRS` accepts (``"EPSG:4326"``, ``"urn:ogc:def:crs:EPSG::28992"``).

    Returns
    -------
    numpy.ndarray of shapely geometries

    Raises
    ------
    ValueError
        If a coordinate cannot be transformed (infinite result: outside the CRS's domain).

    Examples
    --------
    The Westertoren (4.8840 E, 52.3746 N) lies near RD (120 700, 487 500):

    >>> from shapely import Point
    >>> p = reproject_geometries([Point(4.8840, 52.3746)], "EPSG:4326")[0]
    >>> round(p.x, -2), round(p.y, -2)
    (120700.0, 487500.0)
    """
    array = np.asarray(geometries, dtype=object)
    if _same_crs(source_crs, target_crs):
        return array
    transformer = _transformer(source_crs, target_crs)

    def project(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    out = shapely.transform(array, project)
    coords = shapely.get_coordinates(out)
    if coords.size and not np.isfinite(coords).all():
        raise ValueError(f"coordinates cannot be transformed from {source_crs} to {target_crs}")
    return out


def _same_crs(a: str, b: str) -> bool:
    return a == b or pyproj.CRS.from_user_input(a) == pyproj.CRS.from_user_input(b)


def _crs_name(value: str) -> str:
    """A short name for a CRS (``EPSG:28992``, ``OGC:CRS84``)."""
    crs = pyproj.CRS.from_user_input(value)
    authority = crs.to_authority()
    return f"{authority[0]}:{authority[1]}" if authority else crs.name


def _inside(bounds: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return box[0] <= minx and maxx <= box[2] and box[1] <= miny and maxy <= box[3]


def _infer_crs(bounds: np.ndarray, path: Path) -> str:
    """The CRS of undeclared coordinates from their range: lon/lat or RD New metres."""
    if _inside(bounds, _LONLAT_BOX):
        return WGS84
    if _inside(bounds, _RD_BOX):
        return RD_NEW
    swapped = np.array([bounds[1], bounds[0], bounds[3], bounds[2]])
    if _inside(swapped, _LONLAT_BOX):
        raise SourceFormatError(
            "the coordinates look like latitude/longitude (y, x) order; GeoJSON and WKT need "
            f"longitude first (bounds {_fmt_bounds(bounds)})",
            file=path,
        )
    raise SourceFormatError(
        "cannot tell the coordinate system: the coordinates fit neither WGS84 longitude/latitude "
        f"in the Netherlands nor RD New metres (bounds {_fmt_bounds(bounds)}); declare the CRS "
        'with a "crs" member',
        file=path,
    )


def _fmt_bounds(bounds: np.ndarray) -> str:
    return "[" + ", ".join(f"{v:.6g}" for v in bounds) + "]"


# --------------------------------------------------------------------------------------------
# Reading


def read_area_geometries(
    path: str | Path,
    *,
    level: str | None = None,
    division: str | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
) -> GeometryReadResult:
    """Read an area layer (GeoJSON or CSV with WKT) into :class:`AreaGeometry` objects in RD New.

    The layer is recognised from its property names (see the module docstring); the CRS comes
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
    text = _decode(raw, path)
    is_json = path.suffix.lower() in (".geojson", ".json") or text.lstrip().startswith("{")
    if is_json:
        records, meta = _records_from_geojson(text, path)
    else:
        records, meta = _records_from_csv(text, path)
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


def _decode(raw: bytes, path: Path) -> str:
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
class _Record:
    """One feature or CSV row before it becomes an AreaGeometry."""

    row: int  # features index (GeoJSON) or line number (CSV)
    where: str  # "features[3]" or "line 4"
    properties: dict
    geometry: object  # dict (GeoJSON), str (WKT) or None
    issue: str | None = None  # why the geometry could not be read


def _records_from_geojson(text: str, path: Path) -> tuple[list[_Record], dict]:
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
            records.append(_Record(index, where, {}, None, "is not a JSON object"))
            continue
        props = feature.get("properties") or {}
        geometry = feature.get("geometry")
        if isinstance(geometry, dict) and geometry.get("crs") is not None:
            # The api.data.amsterdam.nl export repeats the CRS in every geometry.
            own = _declared_crs(geometry["crs"], path)
            if declared is None:
                declared = own
            elif not _same_crs(own, declared):
                raise SourceFormatError(
                    f"{where} declares CRS {own}, the collection {declared}", file=path
                )
        records.append(
            _Record(index, where, dict(props) if isinstance(props, dict) else {}, geometry)
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
        return _crs_name(name.strip())
    except pyproj.exceptions.CRSError as exc:
        raise SourceFormatError(f"unknown CRS {name!r} in the crs member", file=path) from exc


def _records_from_csv(text: str, path: Path) -> tuple[list[_Record], dict]:
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
        records.append(_Record(line, f"line {line}", props, wkt or None))
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


def _parse_geometry(record: _Record) -> tuple[BaseGeometry | None, str | None]:
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


def _build(
    records: list[_Record],
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
    layer = _detect_layer(keys)
    if code_field is not None:
        layer = _Layer(
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
        layer_level = _single(lowered, "level", path)
        division = division or _single(lowered, "division", path)
    if layer is not None and layer.name.startswith("api"):
        layer_level = _api_level(lowered)
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

    parsed: list[tuple[_Record, dict, BaseGeometry]] = []
    for record in records:
        props = {k.lower(): v for k, v in record.properties.items()}
        code = _text(props.get(layer.code)) if layer else ""
        geom, problem = _parse_geometry(record)
        if not code:
            issues.append(
                _warning(
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
                _warning(
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
    crs_in = declared or _infer_crs(bounds, path)
    try:
        geoms = reproject_geometries(raw_geoms, crs_in, RD_NEW)
    except ValueError as exc:
        raise SourceFormatError(str(exc), file=path) from exc
    rd_bounds = shapely.total_bounds(geoms)
    if not _inside(rd_bounds, _RD_BOX):
        raise SourceFormatError(
            f"after reprojection from {crs_in} the areas lie outside the Netherlands (RD bounds "
            f"{_fmt_bounds(rd_bounds)}); are longitude and latitude swapped, or is the declared "
            "CRS wrong?",
            file=path,
        )
    geoms = _repair(geoms, parsed, layer.code, path, issues)

    areas: list[AreaGeometry] = []
    for (record, props, _), geom in zip(parsed, geoms, strict=True):
        if geom is None:
            continue
        areas.append(_area(record, props, geom, layer, level, division, path, issues))
    areas = _merge_duplicates(areas, path, issues)
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


def _repair(
    geoms: np.ndarray,
    parsed: list[tuple[_Record, dict, BaseGeometry]],
    layer_code: str,
    path: Path,
    issues: list[ReadIssue],
) -> list[BaseGeometry | None]:
    """Repair invalid polygons (make_valid) and drop ones that collapse; warn for each."""
    valid = shapely.is_valid(geoms)
    out: list[BaseGeometry | None] = list(geoms)
    for i in np.flatnonzero(~valid):
        record, props, _ = parsed[i]
        code = _text(props.get(layer_code))
        where = f"{record.where} ({code})"
        reason = shapely.is_valid_reason(geoms[i])
        # "structure" keeps only polygonal parts: an area layer has no use for stray lines.
        fixed = shapely.make_valid(geoms[i], method="structure", keep_collapsed=False)
        fixed = _polygonal(fixed)
        if fixed is None or fixed.area <= 0:
            issues.append(
                _warning(
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
            _warning(
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


def _polygonal(geom: BaseGeometry | None) -> BaseGeometry | None:
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


def _area(
    record: _Record,
    props: dict,
    geom: BaseGeometry,
    layer: _Layer,
    level: str,
    division: str,
    path: Path,
    issues: list[ReadIssue],
) -> AreaGeometry:
    code = _text(props.get(layer.code))
    hierarchy: dict[str, str] = {}
    names: dict[str, str] = {}
    for up_level, code_key, name_key in layer.hierarchy:
        value = _text(props.get(code_key))
        if value:
            hierarchy[up_level] = value
            if name_key and _text(props.get(name_key)):
                names[up_level] = _text(props.get(name_key))
    if layer.hierarchy_from_code:
        hierarchy = _hierarchy_from_code22(code, level)
    parent = next(iter(hierarchy.values()), None)
    if layer.own_export:
        stored = props.get("hierarchy")
        hierarchy = {str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else {}
        parent = _text(props.get("parent_code")) or None
    stated = props.get("oppervlakte_m2")
    if stated not in (None, ""):
        try:
            stated_area = float(str(stated).replace(",", "."))
        except ValueError:
            stated_area = None
        if stated_area and abs(geom.area / stated_area - 1) > 0.01:
            issues.append(
                _warning(
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
        name=_text(props.get(layer.name_field)) if layer.name_field else "",
        level=level,
        division=division,
        parent_code=parent,
        cbs_code=(_text(props.get(layer.cbs)) or None) if layer.cbs else None,
        valid_from=valid_from,
        valid_to=valid_to,
        geometry=geom,
        properties=dict(record.properties),
        hierarchy=hierarchy,
        hierarchy_names=names,
    )


def _merge_duplicates(
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
        merged = _polygonal(shapely.union_all([m.geometry for m in members]))
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


def _parse_date(
    value: object, record: _Record, path: Path, issues: list[ReadIssue], code: str
) -> date | None:
    """A date from ``2022-03-24`` or ``2022-03-23T23:00:00+00:00`` (→ local date in Amsterdam)."""
    text = _text(value)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        issues.append(
            _warning(
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


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _warning(
    path: Path, record: _Record, field_name: str | None, code: str | None, message: str
) -> ReadIssue:
    return ReadIssue("warning", str(path), record.row, field_name, code, message)


# --------------------------------------------------------------------------------------------
# GeoJSON output


def to_geojson_geometry(geometry: BaseGeometry, *, decimals: int | None = None) -> dict:
    """A GeoJSON geometry dict (Polygon or MultiPolygon, nested lists) for maps and JSON.

    This is the form :class:`kansenaudit.reporting.svgmap.MapFeature` takes; pass areas from
    the registry (RD New) as they are. Non-polygonal parts (stray lines or points a repair may
    leave) are dropped; rounding to ``decimals`` keeps files small (2 for RD metres = cm).

    Raises
    ------
    ValueError
        If the geometry has no polygonal part.

    Examples
    --------
    >>> from shapely import box
    >>> geometry = to_geojson_geometry(box(0, 0, 2.004, 1), decimals=2)
    >>> geometry["type"], geometry["coordinates"][0][:3]
    ('Polygon', [[2.0, 0.0], [2.0, 1.0], [0.0, 1.0]])
    """
    polygonal = _polygonal(geometry)
    if polygonal is None:
        raise ValueError(f"no polygonal part in a {geometry.geom_type}")
    if decimals is not None:
        polygonal = shapely.transform(polygonal, lambda xy: np.round(xy, decimals))
    return json.loads(shapely.to_geojson(polygonal))


# --------------------------------------------------------------------------------------------
# Registry


class AreaRegistry:
    """Areas of several divisions and levels, with validity periods and hierarchy.

    Areas are keyed by ``(division, code)``; a code can have several versions with
    non-overlapping validity periods (the api.data.amsterdam.nl export has ``volgnummer``).

    Examples
    --------
    Four buurten in two wijken, dissolved to wijken:

    >>> from shapely import box
    >>> def buurt(code, x):
    ...     return AreaGeometry(code, code, "buurt", "demo", code[:2], None, None, None,
    ...                         box(x, 0, x + 1, 1), hierarchy={"wijk": code[:2]})
    >>> reg = AreaRegistry([buurt("AA01", 0), buurt("AA02", 1), buurt("AB01", 2),
    ...                     buurt("AB02", 3)])
    >>> reg.extend(reg.dissolve(reg.level("demo", "buurt"), by="parent", level="wijk"))
    >>> [(w.code, w.area) for w in reg.level("demo", "wijk")]
    [('AA', 2.0), ('AB', 2.0)]
    >>> [a.code for a in reg.children("AB")], [a.code for a in reg.ancestors("AB02")]
    (['AB01', 'AB02'], ['AB'])
    """

    def __init__(self, areas: Iterable[AreaGeometry] = ()) -> None:
        self._areas: dict[tuple[str, str], list[AreaGeometry]] = {}
        self.extend(areas)

    # -- adding and looking up

    def add(self, area: AreaGeometry, *, replace: bool = False) -> None:
        """Add an area; a version of the same code whose period overlaps is an error.

        Raises
        ------
        ValueError
            If ``(division, code)`` already has a version overlapping this one's validity
            period (unless ``replace``, which removes the overlapping versions first).
        """
        versions = self._areas.setdefault((area.division, area.code), [])
        overlapping = [v for v in versions if _overlaps(v, area)]
        if overlapping and not replace:
            raise ValueError(
                f"area {area.code} of division {area.division} is already registered for an "
                f"overlapping period ({_period(overlapping[0])}); use replace=True or another "
                "division name"
            )
        versions[:] = [v for v in versions if v not in overlapping] + [area]
        versions.sort(key=lambda v: v.valid_from or date.min)

    def extend(self, areas: Iterable[AreaGeometry], *, replace: bool = False) -> None:
        """Add several areas (see :meth:`add`)."""
        for area in areas:
            self.add(area, replace=replace)

    def __len__(self) -> int:
        return sum(len(v) for v in self._areas.values())

    def __iter__(self) -> Iterator[AreaGeometry]:
        for versions in self._areas.values():
            yield from versions

    def __contains__(self, code: object) -> bool:
        return any(c == code for _, c in self._areas)

    def divisions(self) -> list[str]:
        """The division names held, sorted."""
        return sorted({d for d, _ in self._areas})

    def get(self, code: str, division: str | None = None, on: date | None = None) -> AreaGeometry:
        """The area with ``code``, in ``division``, valid ``on`` a date.

        Without ``on`` the current version is returned: the one without an end date, else the
        one that started last. Without ``division`` the code must be unique across divisions.

        Raises
        ------
        KeyError
            If no such area (valid on the date) is registered.
        ValueError
            If ``division`` is not given and the code exists in several divisions.
        """
        found = self.find(code, division, on)
        if found is None:
            where = f" in division {division}" if division else ""
            when = f" on {on.isoformat()}" if on else ""
            raise KeyError(f"no area {code!r}{where}{when}")
        return found

    def find(
        self, code: str, division: str | None = None, on: date | None = None
    ) -> AreaGeometry | None:
        """Like :meth:`get` but None when not found."""
        if division is None:
            divisions = [d for d, c in self._areas if c == code]
            if len(divisions) > 1:
                raise ValueError(
                    f"area code {code!r} exists in divisions {sorted(divisions)}; pass division="
                )
            if not divisions:
                return None
            division = divisions[0]
        versions = self._areas.get((division, code), [])
        return _pick(versions, on)

    def level(self, division: str, level: str, *, on: date | None = None) -> list[AreaGeometry]:
        """All areas of one level in one division (one version each), sorted by code."""
        out = []
        for (d, _), versions in self._areas.items():
            if d != division:
                continue
            area = _pick([v for v in versions if v.level == level], on)
            if area is not None:
                out.append(area)
        return sorted(out, key=lambda a: a.code)

    def geometries(
        self, division: str, level: str, *, on: date | None = None
    ) -> dict[str, BaseGeometry]:
        """Code → geometry of one level, e.g. as input for ``build_crosswalk``."""
        return {a.code: a.geometry for a in self.level(division, level, on=on)}

    # -- hierarchy

    def children(
        self,
        code: str,
        division: str | None = None,
        *,
        level: str | None = None,
        on: date | None = None,
    ) -> list[AreaGeometry]:
        """Areas directly under ``code`` (their ``parent_code``), or all of ``level`` inside it.

        With ``level`` the areas of that level whose hierarchy names ``code`` at the parent's
        level are returned, at any depth (the buurten of a gebied).
        """
        parent = self.get(code, division, on)
        out = []
        for (d, _), versions in self._areas.items():
            if d != parent.division:
                continue
            area = _pick(versions, on)
            if area is None:
                continue
            if level is None:
                if area.parent_code == code:
                    out.append(area)
            elif area.level == level and (
                area.hierarchy.get(parent.level) == code or area.parent_code == code
            ):
                out.append(area)
        return sorted(out, key=lambda a: a.code)

    def ancestors(
        self, code: str, division: str | None = None, *, on: date | None = None
    ) -> list[AreaGeometry]:
        """The registered areas enclosing ``code``, nearest level first.

        Follows ``parent_code`` upwards and also every code in the area's ``hierarchy`` (so a
        buurt finds its gebied although its wijk's hierarchy does not name one).
        """
        start = self.get(code, division, on)
        seen: dict[str, AreaGeometry] = {}
        todo = [start]
        while todo:
            area = todo.pop()
            for up in [area.parent_code, *area.hierarchy.values()]:
                if not up or up in seen or up == start.code:
                    continue
                found = self.find(up, start.division, on)
                if found is not None:
                    seen[up] = found
                    todo.append(found)
        return sorted(seen.values(), key=lambda a: _level_rank(a.level))

    # -- deriving and exporting

    def dissolve(
        self,
        areas: Iterable[AreaGeometry],
        by: str | Callable[[AreaGeometry], str | None] = "parent",
        *,
        level: str | None = None,
        division: str | None = None,
    ) -> list[AreaGeometry]:
        """Union areas into the areas one or more levels up (buurten → wijken, gebieden, ...).

        Each group's polygon is :func:`shapely.union_all` of its members. The derived area gets
        the group key as code, the name its members give for that level, the members' common
        hierarchy above it (``parent_code``: the nearest level on which all members agree; wijk
        ``NB`` of 2022 straddles two gebieden, so its parent is stadsdeel ``N``), the latest
        ``valid_from`` and earliest ``valid_to`` of its members, and for wijken derived from
        2022 buurten the CBS wijk code (``BU0363AC02`` → ``WK0363AC``). ``properties`` records
        ``dissolved_from`` (the member codes) and ``members``. The result is not added to the
        registry; use :meth:`extend`.

        Parameters
        ----------
        areas : iterable of AreaGeometry
            The areas to dissolve, all of one division.
        by : str or callable
            ``"parent"`` groups on ``parent_code``; a level name (``"gebied"``) on the
            members' hierarchy at that level; any other string on that property; a callable
            returns the key itself. Areas without a key are left out (in 2022 Westpoort's 14
            buurten belong to no gebied).
        level : str, optional
            The level of the derived areas; default the level named by ``by``, or for
            ``"parent"`` the level at which the members' hierarchy holds their parent code.
        division : str, optional
            Division of the result; default the members' division.

        Raises
        ------
        ValueError
            If the areas come from several divisions, or the level cannot be told.
        """
        members = list(areas)
        divisions = {a.division for a in members}
        if len(divisions) > 1:
            raise ValueError(f"cannot dissolve areas of several divisions: {sorted(divisions)}")
        if isinstance(by, str) and by in LEVEL_ORDER:
            level = level or by
        groups: dict[str, list[AreaGeometry]] = {}
        for area in members:
            key = _dissolve_key(area, by)
            if key:
                groups.setdefault(key, []).append(area)
        if level is None:
            level = _parent_level(members)
        out = []
        for key in sorted(groups):
            group = groups[key]
            out.append(_dissolved(key, group, level, division or group[0].division))
        return out

    def to_geojson(
        self,
        level: str,
        division: str,
        *,
        crs: str = WGS84,
        simplify_tolerance: float | None = None,
        on: date | None = None,
        decimals: int | None = None,
    ) -> dict:
        """A GeoJSON FeatureCollection of one level, for web maps or the SVG renderer.

        Parameters
        ----------
        level, division : str
            Which areas.
        crs : str
            ``"EPSG:4326"`` (default; longitude/latitude, RFC 7946, no ``crs`` member) or
            ``"EPSG:28992"`` (RD New; a legacy ``crs`` member names it so readers, including
            :func:`read_area_geometries`, know).
        simplify_tolerance : float, optional
            Douglas–Peucker tolerance in metres, applied in RD New before reprojecting. When
            the areas form a valid coverage (no gaps or overlaps) :func:`shapely.coverage_simplify`
            is used so neighbours keep one shared border; otherwise each polygon is simplified
            on its own (slivers may appear between neighbours).
        on : date, optional
            Only areas valid on that date.
        decimals : int, optional
            Coordinate rounding: default 7 for degrees (about 1 cm), 2 for metres.

        Returns
        -------
        dict
            Features with ``code``, ``name``, ``level``, ``division``, ``parent_code``,
            ``cbs_code``, ``valid_from``, ``valid_to`` (ISO dates) and ``hierarchy`` as
            properties; :func:`read_area_geometries` reads such a file back unchanged.
        """
        areas = self.level(division, level, on=on)
        geoms = np.array([a.geometry for a in areas], dtype=object)
        if simplify_tolerance and len(geoms):
            if shapely.coverage_is_valid(geoms):
                geoms = shapely.coverage_simplify(geoms, simplify_tolerance)
            else:
                geoms = shapely.simplify(geoms, simplify_tolerance, preserve_topology=True)
        geographic = pyproj.CRS.from_user_input(crs).is_geographic
        if len(geoms):
            geoms = reproject_geometries(geoms, RD_NEW, crs)
        digits = decimals if decimals is not None else (7 if geographic else 2)
        features = []
        for area, geom in zip(areas, geoms, strict=True):
            features.append(
                {
                    "type": "Feature",
                    "id": area.code,
                    "geometry": to_geojson_geometry(_orient(geom), decimals=digits),
                    "properties": {
                        "code": area.code,
                        "name": area.name,
                        "level": area.level,
                        "division": area.division,
                        "parent_code": area.parent_code,
                        "cbs_code": area.cbs_code,
                        "valid_from": area.valid_from.isoformat() if area.valid_from else None,
                        "valid_to": area.valid_to.isoformat() if area.valid_to else None,
                        "hierarchy": dict(area.hierarchy),
                    },
                }
            )
        collection: dict = {"type": "FeatureCollection", "name": f"{division} {level}"}
        if not _same_crs(crs, WGS84):
            epsg = pyproj.CRS.from_user_input(crs).to_epsg()
            name = f"urn:ogc:def:crs:EPSG::{epsg}" if epsg else crs
            collection["crs"] = {"type": "name", "properties": {"name": name}}
        collection["features"] = features
        return collection


def _orient(geom: BaseGeometry) -> BaseGeometry:
    # RFC 7946: exterior rings counter-clockwise, holes clockwise.
    orient = getattr(shapely, "orient_polygons", None)
    return orient(geom) if orient is not None else geom


def _overlaps(a: AreaGeometry, b: AreaGeometry) -> bool:
    start_a, start_b = a.valid_from or date.min, b.valid_from or date.min
    end_a, end_b = a.valid_to or date.max, b.valid_to or date.max
    return start_a < end_b and start_b < end_a


def _period(area: AreaGeometry) -> str:
    start = area.valid_from.isoformat() if area.valid_from else "…"
    end = area.valid_to.isoformat() if area.valid_to else "…"
    return f"{start} – {end}"


def _pick(versions: list[AreaGeometry], on: date | None) -> AreaGeometry | None:
    if on is not None:
        valid = [v for v in versions if v.is_valid_on(on)]
        return valid[-1] if valid else None
    if not versions:
        return None
    # The current version: open-ended first, then the one that started last.
    return max(versions, key=lambda v: (v.valid_to is None, v.valid_from or date.min))


def _level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def _dissolve_key(area: AreaGeometry, by: str | Callable[[AreaGeometry], str | None]) -> str:
    if callable(by):
        return _text(by(area))
    if by == "parent":
        return _text(area.parent_code)
    if by in LEVEL_ORDER:
        return _text(area.hierarchy.get(by))
    return _text(area.properties.get(by))


def _parent_level(members: list[AreaGeometry]) -> str:
    for area in members:
        for up_level, up_code in area.hierarchy.items():
            if up_code == area.parent_code:
                return up_level
    raise ValueError("cannot tell the level of the dissolved areas; pass level=")


def _dissolved(key: str, group: list[AreaGeometry], level: str, division: str) -> AreaGeometry:
    rank = _level_rank(level)
    hierarchy: dict[str, str] = {}
    names: dict[str, str] = {}
    for up_level in LEVEL_ORDER[rank + 1 :]:
        codes = {a.hierarchy.get(up_level) for a in group}
        if len(codes) == 1 and None not in codes:
            hierarchy[up_level] = codes.pop()
            up_names = {a.hierarchy_names.get(up_level) for a in group}
            if len(up_names) == 1 and None not in up_names:
                names[up_level] = up_names.pop()
    own_names = {a.hierarchy_names.get(level) for a in group} - {None}
    cbs = {a.cbs_code[:8] for a in group if a.cbs_code and a.cbs_code.startswith("BU")}
    cbs_code = "WK" + cbs.pop()[2:] if level == "wijk" and len(cbs) == 1 else None
    starts = [a.valid_from for a in group if a.valid_from]
    ends = [a.valid_to for a in group if a.valid_to]
    geometry = _polygonal(shapely.union_all([a.geometry for a in group]))
    return AreaGeometry(
        code=key,
        name=own_names.pop() if len(own_names) == 1 else "",
        level=level,
        division=division,
        parent_code=next(iter(hierarchy.values()), None),
        cbs_code=cbs_code,
        valid_from=max(starts) if starts else None,
        valid_to=min(ends) if ends else None,
        geometry=geometry,
        properties={
            "dissolved_from": tuple(sorted(a.code for a in group)),
            "members": len(group),
        },
        hierarchy=hierarchy,
        hierarchy_names=names,
    )
