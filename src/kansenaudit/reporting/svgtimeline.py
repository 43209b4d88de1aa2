# SPDX-License-Identifier: EUPL-1.2
"""The council timeline as plain SVG, beside :mod:`kansenaudit.reporting.svgchart` (ADR 0007).

One marker per information item on a date axis. The kind of information is told by shape and
colour together (circle: outputs, diamond: effects, square: both, open circle: plans only), so
it never depends on colour alone; every marker has a ``<title>`` and the page shows the same
items in a table beside the chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from kansenaudit.reporting.formatting import Lang, format_date

__all__ = ["Marker", "render_timeline"]

_STYLE = {
    "outputs": "#1f4e79",
    "effects": "#b35806",
    "both": "#4d9221",
    "plans": "#525252",
}
_ORDER = ("outputs", "effects", "both", "plans")


@dataclass(frozen=True)
class Marker:
    date: dt.date
    label: str
    state: str  # outputs, effects, both or plans
    href: str = ""


def _shape(state: str, x: float, y: float, r: float = 5.0) -> str:
    colour = _STYLE.get(state, _STYLE["plans"])
    if state == "effects":
        points = f"{x:.1f},{y - r - 1:.1f} {x + r + 1:.1f},{y:.1f} {x:.1f},{y + r + 1:.1f} "
        points += f"{x - r - 1:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if state == "both":
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" '
            f'fill="{colour}"/>'
        )
    if state == "outputs":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}"/>'
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r - 1:.1f}" fill="#ffffff" stroke="{colour}" '
        'stroke-width="2"/>'
    )


def render_timeline(
    markers: Sequence[Marker],
    *,
    years: Sequence[int],
    title: str,
    description: str,
    legend: Mapping[str, str],
    width: int = 720,
    lang: Lang = "nl",
) -> str:
    """A date axis over ``years`` with one marker per item; markers close together stack.

    Markers with an ``href`` are links; the chart is then a labelled group (``role="group"``)
    rather than an image, as an image may not hold links (axe ``nested-interactive``), and each
    link is named by its ``<title>``. The text is 1/40 of ``width`` (at least 13 user units).

    Examples
    --------
    >>> svg = render_timeline([Marker(dt.date(2024, 3, 1), "Brief", "effects")], years=[2024],
    ...                       title="Tijdlijn", description="Eén brief", legend={})
    >>> svg.startswith("<svg") and "<polygon" in svg and "<desc>Eén brief</desc>" in svg
    True
    """
    if not years:
        return ""
    fs = max(13, round(width / 40))
    r = fs * 0.4
    left, right, top, lane_height = fs, fs, fs, round(fs * 1.2)
    start = dt.date(min(years), 1, 1)
    end = dt.date(max(years) + 1, 1, 1)
    span = (end - start).days
    plot_w = width - left - right

    def px(day: dt.date) -> float:
        return left + (day - start).days / span * plot_w

    # Stack markers that would overlap: each goes in the lowest lane with room for it.
    lanes: list[float] = []
    placed = []
    for marker in sorted(markers, key=lambda m: (m.date, m.label)):
        x = px(marker.date)
        lane = next((i for i, last in enumerate(lanes) if x - last >= 2.6 * r), len(lanes))
        if lane == len(lanes):
            lanes.append(x)
        else:
            lanes[lane] = x
        placed.append((marker, x, lane))
    lane_count = max(1, len(lanes))
    axis_y = top + lane_count * lane_height + 4
    height = round(axis_y + fs * 2 + (fs * 1.8 if legend else 0))
    parts = [f'<line x1="{left}" y1="{axis_y}" x2="{left + plot_w}" y2="{axis_y}" stroke="#666"/>']
    for year in range(min(years), max(years) + 1):
        x0, x1 = px(dt.date(year, 1, 1)), px(dt.date(year + 1, 1, 1))
        parts.append(
            f'<line x1="{x0:.1f}" y1="{top - 6}" x2="{x0:.1f}" y2="{axis_y + 5}" stroke="#d0d0d0"/>'
            f'<text x="{(x0 + x1) / 2:.1f}" y="{axis_y + fs * 1.3:.1f}" font-size="{fs}" '
            f'text-anchor="middle">{year}</text>'
        )
    for marker, x, lane in placed:
        y = axis_y - lane_height * 0.6 - lane * lane_height
        shape = _shape(marker.state, x, y, r)
        tooltip = f"<title>{escape(format_date(marker.date, lang=lang))}: {escape(marker.label)}"
        tooltip += f" ({escape(legend.get(marker.state, marker.state))})</title>"
        if marker.href:
            parts.append(f"<a href={quoteattr(marker.href)}>{tooltip}{shape}</a>")
        else:
            parts.append(f"<g>{tooltip}{shape}</g>")
    if legend:
        lx: float = left
        ly = height - fs * 0.5
        for state in _ORDER:
            if state not in legend:
                continue
            parts.append(_shape(state, lx + r, ly - fs * 0.35, r))
            parts.append(
                f'<text x="{lx + r * 2 + 4:.1f}" y="{ly:.1f}" font-size="{fs}">'
                f"{escape(legend[state])}</text>"
            )
            lx += r * 2 + 4 + fs * (1.5 + 0.56 * len(legend[state]))
    role = "group" if any(m.href for m in markers) else "img"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="{role}" '
        f'aria-label={quoteattr(title)} class="chart"><title>{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>" + "".join(parts) + "</svg>"
    )
