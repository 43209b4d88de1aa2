# SPDX-License-Identifier: EUPL-1.2
"""Small charts as plain SVG: a line chart with an uncertainty band and a ranking with intervals.

Why not a plotting library: the report must open offline, print well, be readable by a screen
reader (every chart has a ``<title>``, a ``<desc>`` and a table beside it in the report) and be
byte-for-byte reproducible; a few dozen lines of SVG do that without fonts, JavaScript or a
backend. See ``docs/adr/0007-own-svg-charts.md``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from kansenaudit.reporting.svgmap import format_number

__all__ = ["Series", "render_interval_chart", "render_line_chart", "render_ranking_chart"]

_COLOURS = ("#1f4e79", "#b35806", "#4d9221", "#7b3294", "#525252")


@dataclass(frozen=True)
class Series:
    """One line: x (years), y, and optionally a band (lower, upper) drawn behind it."""

    label: str
    x: Sequence[float]
    y: Sequence[float | None]
    lower: Sequence[float | None] | None = None
    upper: Sequence[float | None] | None = None
    dashed: bool = False


def _finite(values: Sequence[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        return [low]
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def render_line_chart(
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    unit: str = "",
    width: int = 640,
    height: int = 260,
) -> str:
    """A line chart (years on x) with optional bands; dashed lines for projections.

    Examples
    --------
    >>> svg = render_line_chart([Series("stad", [2019, 2020, 2021], [10.0, 11.0, 12.5])],
    ...                         title="Bijstand", description="Stijgende lijn")
    >>> svg.startswith("<svg") and "<desc>Stijgende lijn</desc>" in svg
    True
    """
    xs = [float(x) for s in series for x in s.x]
    ys = [
        *(_finite([v for s in series for v in s.y])),
        *_finite([v for s in series for v in (s.lower or [])]),
        *_finite([v for s in series for v in (s.upper or [])]),
    ]
    if not xs or not ys:
        return ""
    left, right, top, bottom = 56, 16, 16, 44
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    pad = (y1 - y0) * 0.08 or abs(y1) * 0.1 or 1.0
    y0, y1 = y0 - pad, y1 + pad
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(x: float) -> float:
        return left + (x - x0) / max(x1 - x0, 1e-9) * plot_w

    def py(y: float) -> float:
        return top + (y1 - y) / (y1 - y0) * plot_h

    parts = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#666"/>'
    ]
    for tick in _ticks(y0, y1):
        parts.append(
            f'<line x1="{left}" y1="{py(tick):.1f}" x2="{left + plot_w}" y2="{py(tick):.1f}" '
            f'stroke="#e5e5e5"/><text x="{left - 6}" y="{py(tick) + 4:.1f}" font-size="11" '
            f'text-anchor="end">{escape(format_number(tick))}</text>'
        )
    for year in sorted({int(x) for x in xs}):
        if (year - int(x0)) % max(1, round((x1 - x0) / 8)) == 0:
            parts.append(
                f'<text x="{px(year):.1f}" y="{top + plot_h + 16}" font-size="11" '
                f'text-anchor="middle">{year}</text>'
            )
    for i, s in enumerate(series):
        colour = _COLOURS[i % len(_COLOURS)]
        if s.lower is not None and s.upper is not None:
            band = [
                (float(x), float(lo), float(hi))
                for x, lo, hi in zip(s.x, s.lower, s.upper, strict=True)
                if lo is not None and hi is not None and math.isfinite(lo) and math.isfinite(hi)
            ]
            if band:
                upper = " ".join(f"{px(x):.1f},{py(hi):.1f}" for x, _, hi in band)
                lower = " ".join(f"{px(x):.1f},{py(lo):.1f}" for x, lo, _ in reversed(band))
                parts.append(f'<polygon points="{upper} {lower}" fill="{colour}" opacity="0.15"/>')
        points = [
            (float(x), float(y))
            for x, y in zip(s.x, s.y, strict=True)
            if y is not None and math.isfinite(float(y))
        ]
        if points:
            dash = ' stroke-dasharray="5 4"' if s.dashed else ""
            path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}>'
                f"<title>{escape(s.label)}</title></polyline>"
            )
            parts.extend(
                f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="2.5" fill="{colour}">'
                f"<title>{escape(s.label)} {int(x)}: {escape(format_number(y))}"
                f"{(' ' + escape(unit)) if unit else ''}</title></circle>"
                for x, y in points
            )
        lx = left + i * 150
        legend_dash = ' stroke-dasharray="5 4"' if s.dashed else ""
        parts.append(
            f'<line x1="{lx}" y1="{height - 10}" x2="{lx + 18}" y2="{height - 10}" '
            f'stroke="{colour}" stroke-width="2"{legend_dash}/>'
            f'<text x="{lx + 22}" y="{height - 6}" font-size="11">{escape(s.label)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label={quoteattr(title)} class="chart"><title>{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>" + "".join(parts) + "</svg>"
    )


def render_ranking_chart(
    rows: Sequence[tuple[str, float, float | None, float | None]],
    *,
    title: str,
    description: str,
    reference: float | None = None,
    reference_label: str = "stad",
    width: int = 640,
) -> str:
    """Areas as dots with interval whiskers, sorted as given; a vertical line for the city.

    ``rows`` are ``(label, value, low, high)``; low/high may be None (no interval known).

    Examples
    --------
    >>> svg = render_ranking_chart([("Noord", 12.0, 10.0, 14.0), ("Zuid", 4.0, None, None)],
    ...                            title="Bijstand", description="Noord het hoogst",
    ...                            reference=8.0)
    >>> svg.count("<circle") == 2 and "stad" in svg
    True
    """
    if not rows:
        return ""
    label_w, right, top, row_h = 190, 24, 12, 18
    height = top + row_h * len(rows) + 30
    values = _finite([v for _, value, low, high in rows for v in (value, low, high)] + [reference])
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.05 or 1.0
    lo, hi = lo - pad, hi + pad
    plot_w = width - label_w - right

    def px(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * plot_w

    parts = []
    for tick in _ticks(lo, hi):
        parts.append(
            f'<line x1="{px(tick):.1f}" y1="{top}" x2="{px(tick):.1f}" '
            f'y2="{top + row_h * len(rows)}" stroke="#eee"/>'
            f'<text x="{px(tick):.1f}" y="{top + row_h * len(rows) + 14}" font-size="11" '
            f'text-anchor="middle">{escape(format_number(tick))}</text>'
        )
    if reference is not None and math.isfinite(reference):
        parts.append(
            f'<line x1="{px(reference):.1f}" y1="{top - 4}" x2="{px(reference):.1f}" '
            f'y2="{top + row_h * len(rows)}" stroke="#b35806" stroke-dasharray="4 3"/>'
            f'<text x="{px(reference):.1f}" y="{height - 2}" font-size="11" fill="#b35806" '
            f'text-anchor="middle">{escape(reference_label)}</text>'
        )
    for i, (label, value, low, high) in enumerate(rows):
        y = top + row_h * i + row_h / 2
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
            f"{escape(label[:32])}</text>"
        )
        interval = ""
        if low is not None and high is not None and math.isfinite(low) and math.isfinite(high):
            parts.append(
                f'<line x1="{px(low):.1f}" y1="{y:.1f}" x2="{px(high):.1f}" y2="{y:.1f}" '
                'stroke="#1f4e79" stroke-width="1.5"/>'
            )
            interval = f" (interval {format_number(low)} – {format_number(high)})"
        parts.append(
            f'<circle cx="{px(value):.1f}" cy="{y:.1f}" r="3.5" fill="#1f4e79">'
            f"<title>{escape(label)}: {escape(format_number(value))}{escape(interval)}</title>"
            "</circle>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label={quoteattr(title)} class="chart"><title>{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>" + "".join(parts) + "</svg>"
    )


def render_interval_chart(
    value: float | None,
    low: float | None,
    high: float | None,
    *,
    label: str,
    value_name: str = "α",
    guides: Sequence[float] = (0.667, 0.8),
) -> str:
    """A value and its interval on the axis −1 … 1, with guide lines (e.g. Krippendorff's alpha).

    ``label`` is the accessible name of the chart; the page says the same in words beside it.
    Values outside the axis are drawn at its end. The marks carry CSS classes
    (``ka-agreement-*``) so that the page's style sheet draws them.

    Examples
    --------
    >>> svg = render_interval_chart(0.72, 0.61, 0.83, label="Alpha")
    >>> svg.startswith('<svg class="ka-agreement-chart"') and "α = 0.72" in svg
    True
    """
    width, height, left, right = 420, 64, 20, 400

    def x(number: float) -> float:
        return left + (max(-1.0, min(1.0, number)) + 1) / 2 * (right - left)

    parts = [
        f'<svg class="ka-agreement-chart" viewBox="0 0 {width} {height}" role="img" '
        f"aria-label={quoteattr(label)}>",
        f'<line x1="{left}" y1="32" x2="{right}" y2="32" class="ka-agreement-axis"/>',
    ]
    for tick in sorted({-1, -0.5, 0, 0.5, 1, *guides}):
        cls = "ka-agreement-guide" if tick in guides else "ka-agreement-tick"
        parts.append(f'<line x1="{x(tick):.1f}" y1="22" x2="{x(tick):.1f}" y2="42" class="{cls}"/>')
        if tick in (-1, 0, 1, *guides):
            parts.append(
                f'<text x="{x(tick):.1f}" y="58" text-anchor="middle" class="ka-agreement-label">'
                f"{tick:g}</text>"
            )
    if value is not None:
        if low is not None and high is not None:
            parts.append(
                f'<line x1="{x(low):.1f}" y1="32" x2="{x(high):.1f}" y2="32" '
                'class="ka-agreement-interval"/>'
            )
        parts.append(f'<circle cx="{x(value):.1f}" cy="32" r="6" class="ka-agreement-point"/>')
        parts.append(
            f'<text x="{x(value):.1f}" y="14" text-anchor="middle" '
            f'class="ka-agreement-label">{escape(value_name)} = {value:.2f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
