# SPDX-License-Identifier: EUPL-1.2
"""The area registry (:class:`AreaRegistry`) and GeoJSON output (:func:`to_geojson_geometry`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from kansenaudit.data.geo.crs import reproject_geometries, same_crs
from kansenaudit.data.geo.model import LEVEL_ORDER, RD_NEW, WGS84, AreaGeometry
from kansenaudit.data.geo.records import text_of
from kansenaudit.data.geo.repair import polygonal_part


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
    polygonal = polygonal_part(geometry)
    if polygonal is None:
        raise ValueError(f"no polygonal part in a {geometry.geom_type}")
    if decimals is not None:
        polygonal = shapely.transform(polygonal, lambda xy: np.round(xy, decimals))
    return json.loads(shapely.to_geojson(polygonal))


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
        if not same_crs(crs, WGS84):
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
        return text_of(by(area))
    if by == "parent":
        return text_of(area.parent_code)
    if by in LEVEL_ORDER:
        return text_of(area.hierarchy.get(by))
    return text_of(area.properties.get(by))


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
    geometry = polygonal_part(shapely.union_all([a.geometry for a in group]))
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
