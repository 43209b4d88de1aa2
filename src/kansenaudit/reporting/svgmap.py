# SPDX-License-Identifier: EUPL-1.2
"""Choropleth maps as plain SVG: no JavaScript, no tiles, no internet, printable in a report.

Geometries are GeoJSON polygons in a projected coordinate system (metres, y up, such as RD New).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

__all__ = ["SEQUENTIAL_PALETTE", "MapFeature", "class_breaks", "render_choropleth_svg"]

# ColorBrewer "YlGnBu" 5 classes: sequential, colour-blind safe, prints in grey.
SEQUENTIAL_PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
SUPPRESSED_FILL = "#d9d9d9"


@dataclass(frozen=True)
class MapFeature:
    code: str
    name: str
    geometry: dict
    value: float | None
    label: str  # what the tooltip and legend say about the value


def class_breaks(values: Sequence[float | None], classes: int = 5) -> list[float]:
    """Quantile class boundaries (``classes - 1`` inner breaks) of the non-missing values.

    >>> class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5)
    [2.8, 4.6, 6.4, 8.2]
    """
    data = sorted(v for v in values if v is not None)
    if not data:
        return []
    breaks = []
    for i in range(1, classes):
        position = (len(data) - 1) * i / classes
        low = int(position)
        high = min(low + 1, len(data) - 1)
        breaks.append(round(data[low] + (data[high] - data[low]) * (position - low), 10))
    return breaks


def format_number(value: float) -> str:
    """Short, readable numbers for legends and labels: no exponents.

    >>> format_number(2268.4), format_number(12.345), format_number(0.0421)
    ('2268', '12.3', '0.042')
    """
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 1:
        return f"{value:.1f}"
    return f"{value:.2g}"


def _class_of(value: float, breaks: list[float]) -> int:
    return sum(value > b for b in breaks)


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError(f"unsupported geometry type {geometry['type']!r}")


def render_choropleth_svg(
    features: Sequence[MapFeature],
    *,
    title: str,
    palette: Sequence[str] = SEQUENTIAL_PALETTE,
    width: int = 640,
    reverse: bool = False,
    missing_label: str = "unknown or suppressed (too few cases)",
) -> str:
    """An accessible SVG map: each area a path with a ``<title>``, plus a legend.

    ``reverse`` flips the palette (dark = low), for indicators where lower is worse.
    """
    points = [pt for f in features for ring in _rings(f.geometry) for pt in ring]
    if not points:
        return ""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    scale = width / max(max_x - min_x, 1e-9)
    height = int((max_y - min_y) * scale) + 1
    colours = list(reversed(palette)) if reverse else list(palette)
    breaks = class_breaks([f.value for f in features], len(colours))

    def project(pt: Sequence[float]) -> str:
        return f"{(pt[0] - min_x) * scale:.1f},{(max_y - pt[1]) * scale:.1f}"

    paths = []
    for f in features:
        d = " ".join(
            "M" + " L".join(project(p) for p in ring) + " Z" for ring in _rings(f.geometry)
        )
        fill = SUPPRESSED_FILL if f.value is None else colours[_class_of(f.value, breaks)]
        paths.append(
            f'<path d="{d}" fill="{fill}" stroke="#ffffff" stroke-width="0.6" '
            f"data-code={quoteattr(f.code)}>"
            f"<title>{escape(f.name)}: {escape(f.label)}</title></path>"
        )
    legend_y = height + 12
    edges = [None, *breaks, None]
    legend = []
    # With no value at all there are no classes: the legend only explains the grey.
    for i, colour in enumerate(colours if breaks else []):
        low, high = edges[i], edges[i + 1]
        text = (
            f"≤ {high:.3g}"
            if low is None
            else f"> {low:.3g}"
            if high is None
            else f"{low:.3g} – {high:.3g}"
        )
        x = 8 + i * 118
        legend.append(
            f'<rect x="{x}" y="{legend_y}" width="16" height="12" fill="{colour}" stroke="#666"/>'
            f'<text x="{x + 20}" y="{legend_y + 10}" font-size="11">{escape(text)}</text>'
        )
    legend.append(
        f'<rect x="8" y="{legend_y + 18}" width="16" height="12" fill="{SUPPRESSED_FILL}" '
        f'stroke="#666"/><text x="28" y="{legend_y + 28}" font-size="11">'
        f"{escape(missing_label)}</text>"
    )
    total_height = legend_y + 36
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total_height}" '
        f'role="img" aria-label={quoteattr(title)} class="choropleth">'
        f"<title>{escape(title)}</title>" + "".join(paths) + "".join(legend) + "</svg>"
    )
