# SPDX-License-Identifier: EUPL-1.2
"""Choropleth maps as plain SVG: no JavaScript, no tiles, no internet, printable in a report.

Geometries are GeoJSON polygons in a projected coordinate system (metres, y up, such as RD New).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from kansenaudit.reporting.formatting import Lang, format_short

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


def _class_of(value: float, breaks: list[float]) -> int:
    return sum(value > b for b in breaks)


def _ring_centre(ring: Sequence[Sequence[float]]) -> tuple[float, float, float]:
    """Area-weighted centre and absolute area of one ring (shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return sum(xs) / len(xs), sum(ys) / len(ys), 0.0
    return cx / (3 * area), cy / (3 * area), abs(area) / 2


def _label_point(geometry: dict) -> tuple[float, float]:
    """Where an area's number goes: the centre of its largest outer ring."""
    if geometry["type"] == "Polygon":
        outers = [geometry["coordinates"][0]]
    else:
        outers = [polygon[0] for polygon in geometry["coordinates"]]
    x, y, _ = max((_ring_centre(ring) for ring in outers), key=lambda c: c[2])
    return x, y


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
    lang: Lang = "nl",
    classes: Sequence[str] | None = None,
) -> str:
    """An accessible SVG map: each area a path with a ``<title>``, a number and a legend.

    Every area carries a number at its centre, and a numbered key under the map names the
    areas with their values, so the map can be read without hovering and in print.
    ``reverse`` flips the palette (dark = low), for indicators where lower is worse.
    The text is 1/40 of ``width`` (at least 13 user units), as in the charts.

    ``classes`` draws values that already are classes (1, 2, …, as in a stacking of
    disadvantages) as those classes: value k gets the k-th colour and the legend names each
    class with its label, instead of re-binning the values into quantiles (which would give
    two classes one colour when a class is rare).
    """
    fs = max(13, round(width / 40))
    points = [pt for f in features for ring in _rings(f.geometry) for pt in ring]
    if not points:
        return ""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    scale = width / max(max_x - min_x, 1e-9)
    height = int((max_y - min_y) * scale) + 1
    colours = list(reversed(palette)) if reverse else list(palette)
    if classes is not None:
        if len(classes) > len(colours):
            raise ValueError(f"{len(classes)} classes but only {len(colours)} colours")
        colours = colours[: len(classes)]
    breaks = (
        [k + 0.5 for k in range(1, len(colours))]
        if classes is not None
        else class_breaks([f.value for f in features], len(colours))
    )

    def project(pt: Sequence[float]) -> str:
        return f"{(pt[0] - min_x) * scale:.1f},{(max_y - pt[1]) * scale:.1f}"

    paths = []
    numbers = []
    for number, f in enumerate(features, start=1):
        d = " ".join(
            "M" + " L".join(project(p) for p in ring) + " Z" for ring in _rings(f.geometry)
        )
        fill = SUPPRESSED_FILL if f.value is None else colours[_class_of(f.value, breaks)]
        paths.append(
            f'<path d="{d}" fill="{fill}" stroke="#ffffff" stroke-width="0.6" '
            f"data-code={quoteattr(f.code)}>"
            f"<title>{escape(f.name)}: {escape(f.label)}</title></path>"
        )
        cx, cy = _label_point(f.geometry)
        x, y = (cx - min_x) * scale, (max_y - cy) * scale
        numbers.append(
            f'<text x="{x:.1f}" y="{y + fs * 0.35:.1f}" font-size="{fs}" font-weight="700" '
            'text-anchor="middle" fill="#202020" stroke="#ffffff" stroke-width="3" '
            f'paint-order="stroke" aria-hidden="true">{number}</text>'
        )
    legend_y = height + fs
    edges = [None, *breaks, None]
    legend = []
    # With no value at all there are no classes: the legend only explains the grey.
    for i, colour in enumerate(colours if breaks else []):
        low, high = edges[i], edges[i + 1]
        text = (
            classes[i]
            if classes is not None
            else f"≤ {format_short(high, lang=lang)}"
            if low is None
            else f"> {format_short(low, lang=lang)}"
            if high is None
            else f"{format_short(low, lang=lang)} – {format_short(high, lang=lang)}"
        )
        # Two classes a row, so the legend stays readable on a narrow chart.
        x = 8 + (i % 2) * (width / 2)
        y = legend_y + (i // 2) * fs * 1.5
        legend.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{fs * 1.4:.1f}" height="{fs}" '
            f'fill="{colour}" stroke="#666"/><text x="{x + fs * 1.8:.1f}" y="{y + fs * 0.85:.1f}" '
            f'font-size="{fs}">{escape(text)}</text>'
        )
    rows = (len(colours) + 1) // 2 if breaks else 0
    y = legend_y + rows * fs * 1.5
    legend.append(
        f'<rect x="8" y="{y:.1f}" width="{fs * 1.4:.1f}" height="{fs}" fill="{SUPPRESSED_FILL}" '
        f'stroke="#666"/><text x="{8 + fs * 1.8:.1f}" y="{y + fs * 0.85:.1f}" font-size="{fs}">'
        f"{escape(missing_label)}</text>"
    )
    # The numbered key: "1 Centrum: 12,3 %", in two columns.
    key_y = y + fs * 2.4
    key_rows = (len(features) + 1) // 2
    column = width / 2
    for number, f in enumerate(features, start=1):
        text = f"{number} {f.name}: {f.label}"
        limit = int((column - 16) / (fs * 0.56))
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        x = 8 + ((number - 1) // key_rows) * column
        ky = key_y + ((number - 1) % key_rows) * fs * 1.4
        legend.append(f'<text x="{x:.1f}" y="{ky:.1f}" font-size="{fs}">{escape(text)}</text>')
    total_height = round(key_y + key_rows * fs * 1.4)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total_height}" '
        f'role="img" aria-label={quoteattr(title)} class="choropleth">'
        f"<title>{escape(title)}</title>"
        + "".join(paths)
        + "".join(numbers)
        + "".join(legend)
        + "</svg>"
    )
