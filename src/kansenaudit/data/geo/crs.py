# SPDX-License-Identifier: EUPL-1.2
"""Coordinate reference systems: reprojection to RD New, and the CRS of undeclared coordinates."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from kansenaudit.data.geo.model import RD_NEW, WGS84
from kansenaudit.data.tidy import SourceFormatError

# Plausible coordinate boxes for the Netherlands. Lon/lat: the EPSG:28992 area of use
# (3.2–7.22 E, 50.75–53.7 N) with a margin; RD New: its projected bounds with a margin.
LONLAT_BOX = (2.5, 50.2, 7.9, 54.2)
RD_BOX = (-10_000.0, 280_000.0, 310_000.0, 640_000.0)


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
    if same_crs(source_crs, target_crs):
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


def same_crs(a: str, b: str) -> bool:
    return a == b or pyproj.CRS.from_user_input(a) == pyproj.CRS.from_user_input(b)


def crs_name(value: str) -> str:
    """A short name for a CRS (``EPSG:28992``, ``OGC:CRS84``)."""
    crs = pyproj.CRS.from_user_input(value)
    authority = crs.to_authority()
    return f"{authority[0]}:{authority[1]}" if authority else crs.name


def inside(bounds: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return box[0] <= minx and maxx <= box[2] and box[1] <= miny and maxy <= box[3]


def infer_crs(bounds: np.ndarray, path: Path) -> str:
    """The CRS of undeclared coordinates from their range: lon/lat or RD New metres."""
    if inside(bounds, LONLAT_BOX):
        return WGS84
    if inside(bounds, RD_BOX):
        return RD_NEW
    swapped = np.array([bounds[1], bounds[0], bounds[3], bounds[2]])
    if inside(swapped, LONLAT_BOX):
        raise SourceFormatError(
            "the coordinates look like latitude/longitude (y, x) order; GeoJSON and WKT need "
            f"longitude first (bounds {fmt_bounds(bounds)})",
            file=path,
        )
    raise SourceFormatError(
        "cannot tell the coordinate system: the coordinates fit neither WGS84 longitude/latitude "
        f"in the Netherlands nor RD New metres (bounds {fmt_bounds(bounds)}); declare the CRS "
        'with a "crs" member',
        file=path,
    )


def fmt_bounds(bounds: np.ndarray) -> str:
    return "[" + ", ".join(f"{v:.6g}" for v in bounds) + "]"
