# SPDX-License-Identifier: EUPL-1.2
"""Geometry helpers for the fictional demo city (see :mod:`kansenaudit.demo.city`).

The city is laid out on an integer lattice. Every area at every level is an
axis-aligned lattice rectangle, produced by recursively splitting the city
rectangle. A polygon ring walks *every* lattice point on the rectangle's
boundary, so neighbouring areas share all vertices of their common border.
The lattice points are then moved by one smooth, orientation-preserving warp
(plus a tiny per-point jitter) and rounded to 0.1 m. Because the moved points
are shared, the warped polygons still tile the city exactly: no gaps, no
overlaps, and the outline of a parent is the true outline of its children.

Only the standard library and numpy are used.
"""

from __future__ import annotations

import numpy as np

Rect = tuple[int, int, int, int]
"""A lattice rectangle ``(x0, y0, x1, y1)`` with ``x0 < x1`` and ``y0 < y1``."""


def split_rect(rect: Rect, parts: int, rng: np.random.Generator, min_side: int) -> list[Rect]:
    """Split a lattice rectangle into ``parts`` contiguous rectangles.

    The rectangle is cut across its longer side, recursively, at a jittered
    position close to the proportional one. Pieces are returned in reading
    order (north to south, then west to east).

    Parameters
    ----------
    rect : Rect
        Rectangle to split.
    parts : int
        Number of pieces, at least 1.
    rng : numpy.random.Generator
        Source of the jitter.
    min_side : int
        Smallest allowed side (in lattice units) of any piece.

    Returns
    -------
    list of Rect
        The pieces; together they cover ``rect`` exactly.

    Raises
    ------
    ValueError
        If the rectangle is too small to be split this way.
    """
    if parts == 1:
        return [rect]
    x0, y0, x1, y1 = rect
    width, height = x1 - x0, y1 - y0
    along_x = width >= height
    length = width if along_x else height
    first = parts // 2
    second = parts - first
    target = length * first / parts
    spread = max(1, length // 10)
    cut = round(target) + int(rng.integers(-spread, spread + 1))
    lower, upper = min_side * first, length - min_side * second
    if lower > upper:
        lower, upper = min_side, length - min_side
    if lower > upper:
        raise ValueError(f"rectangle {rect} too small for {parts} parts of side {min_side}")
    cut = min(max(cut, lower), upper)
    if along_x:
        a, b = (x0, y0, x0 + cut, y1), (x0 + cut, y0, x1, y1)
    else:
        a, b = (x0, y0, x1, y0 + cut), (x0, y0 + cut, x1, y1)
    pieces = split_rect(a, first, rng, min_side) + split_rect(b, second, rng, min_side)
    return sort_reading_order(pieces)


def sort_reading_order(rects: list[Rect]) -> list[Rect]:
    """Sort rectangles north to south, then west to east, by their centres.

    Parameters
    ----------
    rects : list of Rect
        Rectangles to sort.

    Returns
    -------
    list of Rect
        A new, sorted list.
    """
    return sorted(rects, key=lambda r: (-(r[1] + r[3]), r[0] + r[2], r))


def lattice_ring(rect: Rect) -> list[tuple[int, int]]:
    """Return the closed, counter-clockwise ring of all lattice points on a boundary.

    Parameters
    ----------
    rect : Rect
        The rectangle.

    Returns
    -------
    list of tuple of int
        Lattice points ``(i, j)``, starting and ending at the south-west corner.
    """
    x0, y0, x1, y1 = rect
    ring = [(i, y0) for i in range(x0, x1)]
    ring += [(x1, j) for j in range(y0, y1)]
    ring += [(i, y1) for i in range(x1, x0, -1)]
    ring += [(x0, j) for j in range(y1, y0, -1)]
    ring.append((x0, y0))
    return ring


def warped_lattice(
    shape: tuple[int, int],
    origin: tuple[float, float],
    unit: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Compute the warped, rounded coordinates of every lattice point.

    The warp is a sum of three long-wave sinusoids per axis (amplitude 45 m,
    wavelength 2.2-3.5 km) plus a uniform jitter of at most 6 m. Its Jacobian
    stays close to the identity, so the map preserves orientation and rings
    stay simple.

    Parameters
    ----------
    shape : tuple of int
        Number of lattice cells ``(nx, ny)``; points run ``0..nx`` by ``0..ny``.
    origin : tuple of float
        Coordinates of lattice point ``(0, 0)`` in metres.
    unit : float
        Lattice spacing in metres.
    rng : numpy.random.Generator
        Source of the warp parameters and the jitter.

    Returns
    -------
    numpy.ndarray
        Array of shape ``(nx + 1, ny + 1, 2)`` with coordinates rounded to 0.1 m.
    """
    nx, ny = shape
    ii, jj = np.meshgrid(np.arange(nx + 1), np.arange(ny + 1), indexing="ij")
    x = origin[0] + ii * unit
    y = origin[1] + jj * unit
    out = np.stack([x, y], axis=-1).astype(float)
    for axis in range(2):
        for _ in range(3):
            angle = rng.uniform(0.0, np.pi)
            wavelength = rng.uniform(2200.0, 3500.0)
            phase = rng.uniform(0.0, 2.0 * np.pi)
            proj = (x - origin[0]) * np.cos(angle) + (y - origin[1]) * np.sin(angle)
            out[..., axis] += 45.0 * np.sin(2.0 * np.pi * proj / wavelength + phase)
        out[..., axis] += rng.uniform(-6.0, 6.0, size=(nx + 1, ny + 1))
    return np.round(out, 1)


def rect_polygon(rect: Rect, coords: np.ndarray) -> dict:
    """Build a GeoJSON ``Polygon`` geometry for a lattice rectangle.

    Parameters
    ----------
    rect : Rect
        The rectangle.
    coords : numpy.ndarray
        Output of :func:`warped_lattice`.

    Returns
    -------
    dict
        ``{"type": "Polygon", "coordinates": [ring]}`` with the exterior ring
        closed and counter-clockwise; coordinates are plain floats.
    """
    ring = [[float(coords[i, j, 0]), float(coords[i, j, 1])] for i, j in lattice_ring(rect)]
    return {"type": "Polygon", "coordinates": [ring]}


def ring_area(ring: list[list[float]]) -> float:
    """Signed area of a ring by the shoelace formula (positive if counter-clockwise).

    Parameters
    ----------
    ring : list of [x, y]
        Closed or open ring.

    Returns
    -------
    float
        Signed area in square units of the coordinates.

    Examples
    --------
    >>> ring_area([[0, 0], [2, 0], [2, 1], [0, 1], [0, 0]])
    2.0
    """
    pts = np.asarray(ring, dtype=float)
    x, y = pts[:, 0], pts[:, 1]
    return float(0.5 * (np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def geometry_area(geometry: dict) -> float:
    """Area of a GeoJSON ``Polygon`` or ``MultiPolygon`` (exterior minus holes).

    Parameters
    ----------
    geometry : dict
        GeoJSON geometry with projected coordinates.

    Returns
    -------
    float
        Unsigned area.
    """
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    total = 0.0
    for rings in polygons:
        total += abs(ring_area(rings[0])) - sum(abs(ring_area(r)) for r in rings[1:])
    return total


def rect_centre(rect: Rect) -> tuple[float, float]:
    """Centre of a lattice rectangle in lattice units.

    Parameters
    ----------
    rect : Rect
        The rectangle.

    Returns
    -------
    tuple of float
        ``(x, y)`` of the centre.
    """
    return ((rect[0] + rect[2]) / 2.0, (rect[1] + rect[3]) / 2.0)


def rect_size(rect: Rect) -> int:
    """Number of lattice cells covered by a rectangle.

    Parameters
    ----------
    rect : Rect
        The rectangle.

    Returns
    -------
    int
        Width times height in lattice units.
    """
    return (rect[2] - rect[0]) * (rect[3] - rect[1])
