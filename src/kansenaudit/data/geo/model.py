# SPDX-License-Identifier: EUPL-1.2
"""The area model: :class:`AreaGeometry`, :class:`GeometryReadResult` and the names of CRSs,
divisions and levels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from shapely.geometry.base import BaseGeometry

from kansenaudit.data.tidy import ReadIssue

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"
DIVISION_2015 = "amsterdam-2015"
DIVISION_2022 = "amsterdam-2022"

LEVEL_ORDER = ("buurt", "wijk", "gebied", "stadsdeel", "stad")
"""Levels from small to large. A wijk does not always lie in one gebied (2022: wijk ``NB``
straddles ``GN18`` and ``GN19``), so the hierarchy is kept per area, not assumed."""


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
