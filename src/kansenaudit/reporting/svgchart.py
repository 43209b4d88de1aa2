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

from kansenaudit.reporting.formatting import Lang, format_number, format_short

__all__ = [
    "Series",
    "font_size",
    "render_interval_chart",
    "render_line_chart",
    "render_ranking_chart",
]

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


def font_size(width: int) -> int:
    """Text size in user units for a chart ``width`` user units wide.

    A chart scales with the page (``viewBox``, width 100 %); the text is 1/40 of the width (at
    least 13), so it stays at 12 px or more whenever the chart is drawn at three quarters of
    its nominal width or wider (``tests/browser/test_chart_legibility.py`` measures it).

    >>> font_size(640), font_size(360)
    (16, 13)
    """
    return max(13, round(width / 40))


def _text_width(text: str, size: float) -> float:
    """A generous estimate of the drawn width of ``text`` (Arial: ~0.55 em per character)."""
    return len(text) * size * 0.58


def _ticks(low: float, high: float, count: int = 5, *, whole: bool = False) -> list[float]:
    if high <= low:
        return [low]
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in steps if m * magnitude >= raw)
    if whole:
        step = max(1.0, float(round(step)))
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
    counts: bool = False,
    lang: Lang = "nl",
) -> str:
    """A line chart (years on x) with optional bands; dashed lines for projections.

    ``counts=True`` is for counts: the axis starts at 0 and steps by whole numbers.

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
    fs = font_size(width)
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    if counts:
        y0, y1 = 0.0, max(1.0, math.ceil(y1))
        ticks = _ticks(y0, y1, 4, whole=True)
        step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
        while ticks[-1] < y1:  # the top line is a tick at or above the highest count
            ticks.append(ticks[-1] + step)
        y1 = ticks[-1]
    else:
        pad = (y1 - y0) * 0.08 or abs(y1) * 0.1 or 1.0
        y0, y1 = y0 - pad, y1 + pad
        ticks = _ticks(y0, y1)
    tick_labels = [format_short(t, lang=lang) for t in ticks]
    # The legend: one entry per series, wrapped onto as many rows as the width needs.
    legend_rows: list[list[tuple[int, float]]] = [[]]
    lx = 8.0
    for i, s in enumerate(series):
        advance = 22 + _text_width(s.label, fs) + fs
        if legend_rows[-1] and lx + advance > width:
            legend_rows.append([])
            lx = 8.0
        legend_rows[-1].append((i, lx))
        lx += advance
    row_h = round(fs * 1.5)
    left = round(max(_text_width(t, fs) for t in tick_labels) + fs)
    right, top = fs, fs
    bottom = round(fs * 2.2) + row_h * len(legend_rows)
    height = max(height, top + bottom + fs * 8)
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(x: float) -> float:
        return left + (x - x0) / max(x1 - x0, 1e-9) * plot_w

    def py(y: float) -> float:
        return top + (y1 - y) / (y1 - y0) * plot_h

    parts = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#666"/>'
    ]
    for tick, label in zip(ticks, tick_labels, strict=True):
        parts.append(
            f'<line x1="{left}" y1="{py(tick):.1f}" x2="{left + plot_w}" y2="{py(tick):.1f}" '
            f'stroke="#e5e5e5"/><text x="{left - fs / 2:.1f}" y="{py(tick) + fs * 0.35:.1f}" '
            f'font-size="{fs}" text-anchor="end">{escape(label)}</text>'
        )
    years = sorted({int(x) for x in xs})
    # As many year labels as fit side by side (a year is about 2.6 em wide with its gap).
    fit = max(1, int(plot_w // (fs * 3)))
    every = max(1, math.ceil(len(years) / fit))
    for year in years:
        if (year - years[0]) % every == 0:
            parts.append(
                f'<text x="{px(year):.1f}" y="{top + plot_h + fs * 1.3:.1f}" font-size="{fs}" '
                f'text-anchor="middle">{year}</text>'
            )
    legend_at = {i: (x, row) for row, entries in enumerate(legend_rows) for i, x in entries}
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
                f"<title>{escape(s.label)} {int(x)}: {escape(format_short(y, lang=lang))}"
                f"{(' ' + escape(unit)) if unit else ''}</title></circle>"
                for x, y in points
            )
        lx, row = legend_at[i]
        ly = top + plot_h + round(fs * 2.2) + row * row_h + fs * 0.6
        legend_dash = ' stroke-dasharray="5 4"' if s.dashed else ""
        parts.append(
            f'<line x1="{lx:.1f}" y1="{ly - fs * 0.35:.1f}" x2="{lx + 18:.1f}" '
            f'y2="{ly - fs * 0.35:.1f}" stroke="{colour}" stroke-width="2"{legend_dash}/>'
            f'<text x="{lx + 22:.1f}" y="{ly:.1f}" font-size="{fs}">{escape(s.label)}</text>'
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
    lang: Lang = "nl",
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
    fs = font_size(width)
    names = [label if len(label) <= 28 else label[:27] + "…" for label, *_ in rows]
    label_w = round(min(width * 0.45, max(_text_width(n, fs) for n in names) + fs))
    right, top, row_h = round(fs * 1.5), fs, round(fs * 1.6)
    height = top + row_h * len(rows) + round(fs * 2.8)
    values = _finite([v for _, value, low, high in rows for v in (value, low, high)] + [reference])
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.05 or 1.0
    lo, hi = lo - pad, hi + pad
    plot_w = width - label_w - right

    def px(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * plot_w

    parts = []
    ticks = _ticks(lo, hi, max(2, min(5, int(plot_w // (fs * 4)))))
    for tick in ticks:
        parts.append(
            f'<line x1="{px(tick):.1f}" y1="{top}" x2="{px(tick):.1f}" '
            f'y2="{top + row_h * len(rows)}" stroke="#eee"/>'
            f'<text x="{px(tick):.1f}" y="{top + row_h * len(rows) + fs * 1.2:.1f}" '
            f'font-size="{fs}" text-anchor="middle">{escape(format_short(tick, lang=lang))}</text>'
        )
    if reference is not None and math.isfinite(reference):
        parts.append(
            f'<line x1="{px(reference):.1f}" y1="{top - 4}" x2="{px(reference):.1f}" '
            f'y2="{top + row_h * len(rows)}" stroke="#b35806" stroke-dasharray="4 3"/>'
            f'<text x="{px(reference):.1f}" y="{height - fs * 0.3:.1f}" font-size="{fs}" '
            f'fill="#8a4204" text-anchor="middle">{escape(reference_label)}</text>'
        )
    for i, ((label, value, low, high), name) in enumerate(zip(rows, names, strict=True)):
        y = top + row_h * i + row_h / 2
        parts.append(
            f'<text x="{label_w - fs / 2:.1f}" y="{y + fs * 0.35:.1f}" font-size="{fs}" '
            f'text-anchor="end">{escape(name)}</text>'
        )
        interval = ""
        if low is not None and high is not None and math.isfinite(low) and math.isfinite(high):
            parts.append(
                f'<line x1="{px(low):.1f}" y1="{y:.1f}" x2="{px(high):.1f}" y2="{y:.1f}" '
                'stroke="#1f4e79" stroke-width="1.5"/>'
            )
            interval = (
                f" (interval {format_short(low, lang=lang)} – {format_short(high, lang=lang)})"
            )
        parts.append(
            f'<circle cx="{px(value):.1f}" cy="{y:.1f}" r="3.5" fill="#1f4e79">'
            f"<title>{escape(label)}: {escape(format_short(value, lang=lang))}"
            f"{escape(interval)}</title>"
            "</circle>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label={quoteattr(title)} class="chart"><title>{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>" + "".join(parts) + "</svg>"
    )


def _places(number: float) -> int:
    """How many decimals ``number`` has as written (0.667 → 3), to write it exactly."""
    return len(f"{number:g}".partition(".")[2])


def render_interval_chart(
    value: float | None,
    low: float | None,
    high: float | None,
    *,
    label: str,
    value_name: str = "α",
    guides: Sequence[float] = (0.667, 0.8),
    lang: Lang = "nl",
) -> str:
    """A value and its interval on the axis −1 … 1, with guide lines (e.g. Krippendorff's alpha).

    ``label`` is the accessible name of the chart; the page says the same in words beside it.
    Values outside the axis are drawn at its end. The marks carry CSS classes
    (``ka-agreement-*``) so that the page's style sheet draws them.

    Examples
    --------
    >>> svg = render_interval_chart(0.72, 0.61, 0.83, label="Alpha")
    >>> svg.startswith('<svg class="ka-agreement-chart"') and "α = 0,72" in svg
    True
    """
    width, height, left, right = 420, 68, 24, 396

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
                f"{escape(format_number(tick, decimals=_places(tick), lang=lang))}</text>"
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
            f'class="ka-agreement-label">{escape(value_name)} = '
            f"{escape(format_number(value, decimals=2, lang=lang))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
