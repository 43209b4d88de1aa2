"""The council timeline SVG: shapes, stacking, and hostile labels escaped (valid XML)."""

from __future__ import annotations

import datetime as dt
import doctest
import re

from kansenaudit.reporting import svgtimeline as svg

D = dt.date


def test_timeline_svg_shapes_titles_and_escaping():
    markers = [
        svg.Marker(D(2023, 1, 5), "<script>alert(1)</script>", "outputs", "/x?a=1&b=2"),
        svg.Marker(D(2023, 1, 6), "Tweede", "effects"),
        svg.Marker(D(2024, 6, 1), "Derde", "both"),
        svg.Marker(D(2024, 7, 1), "Vierde", "plans"),
    ]
    out = svg.render_timeline(
        markers,
        years=[2023, 2024],
        title="Tijdlijn",
        description="vier items",
        legend={
            "outputs": "prestaties",
            "effects": "effecten",
            "both": "beide",
            "plans": "plannen",
        },
    )
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert 'href="/x?a=1&amp;b=2"' in out
    assert out.count("<circle") >= 2
    assert "<polygon" in out
    assert "<rect" in out
    # The first two markers are a day apart: they are stacked, not drawn on top of each other.
    assert "<title>5 januari 2023" in out
    assert "<title>6 januari 2023" in out
    assert svg.render_timeline([], years=[], title="t", description="d", legend={}) == ""
    failures, _ = doctest.testmod(svg)
    assert failures == 0


def _heights(second: dt.date) -> list[float]:
    """The y of two markers, on 5 January 2023 and on ``second``."""
    out = svg.render_timeline(
        [svg.Marker(D(2023, 1, 5), "a", "outputs"), svg.Marker(second, "b", "outputs")],
        years=[2023],
        title="t",
        description="d",
        legend={},
    )
    return [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', out)]


def test_timeline_svg_stacks_markers_that_would_overlap():
    close = _heights(D(2023, 1, 6))
    assert len(close) == 2
    assert close[0] != close[1]
    far = _heights(D(2023, 9, 6))
    assert len(far) == 2
    assert far[0] == far[1]
