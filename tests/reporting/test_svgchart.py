"""The charts of our own SVG renderer are marked safe in the pages: every label must be escaped.

Each test draws a chart whose labels hold markup, an ampersand and both quotes, parses the
output with an XML parser (so a label that broke out of its element or attribute fails) and
checks that the label comes back as text, never as an element or attribute of its own.
"""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET

import pytest

from kansenaudit.reporting.svgchart import (
    Series,
    render_interval_chart,
    render_line_chart,
    render_ranking_chart,
)
from kansenaudit.reporting.svgtimeline import Marker, render_timeline

HOSTILE = """<script>alert("x")</script> & 'o' "quoted" onload="x\""""
SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output, parsed to test it)


def _no_smuggled_markup(root: ET.Element) -> None:
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert "script" not in tags
    for element in root.iter():
        assert "onload" not in element.attrib


def _texts(root: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in root.iter()]


def test_line_chart_escapes_title_description_unit_and_series_labels():
    svg = render_line_chart(
        [Series(HOSTILE, [2020, 2021], [1.0, 2.0], lower=[0.5, 1.5], upper=[1.5, 2.5])],
        title=HOSTILE,
        description=HOSTILE,
        unit=HOSTILE,
    )
    root = _parse(svg)
    _no_smuggled_markup(root)
    assert root.get("aria-label") == HOSTILE
    assert root.find(f"{SVG}title").text == HOSTILE
    assert root.find(f"{SVG}desc").text == HOSTILE
    assert any(text.startswith(HOSTILE) and text.endswith(HOSTILE) for text in _texts(root))


def test_ranking_chart_escapes_area_names_and_the_reference_label():
    svg = render_ranking_chart(
        [(HOSTILE, 3.0, 2.0, 4.0), ("Zuid & Oost", 1.0, None, None)],
        title=HOSTILE,
        description="d",
        reference=2.0,
        reference_label=HOSTILE,
    )
    root = _parse(svg)
    _no_smuggled_markup(root)
    texts = _texts(root)
    assert HOSTILE[:27] + "…" in texts  # the axis label, cut before escaping
    assert HOSTILE in texts  # the reference line's label
    assert any(t.startswith("Zuid & Oost: ") for t in texts)


def test_interval_chart_escapes_its_accessible_name():
    svg = render_interval_chart(0.72, 0.6, 0.8, label=HOSTILE, value_name="<α>")
    root = _parse(svg)
    _no_smuggled_markup(root)
    assert root.get("aria-label") == HOSTILE
    assert "<α> = 0,72" in _texts(root)  # Dutch decimal comma (reporting.formatting)


def test_interval_chart_without_a_value_draws_only_the_axis():
    root = _parse(render_interval_chart(None, None, None, label="Alpha"))
    assert root.findall("circle") == []
    assert [t.text for t in root.findall("text")] == ["−1", "0", "0,667", "0,8", "1"]


def test_timeline_escapes_labels_links_and_legend():
    svg = render_timeline(
        [Marker(dt.date(2024, 3, 1), HOSTILE, "effects", href='/x?a=1&b="2"')],
        years=[2024],
        title=HOSTILE,
        description=HOSTILE,
        legend={"effects": HOSTILE},
    )
    root = _parse(svg)
    _no_smuggled_markup(root)
    assert root.get("aria-label") == HOSTILE
    link = root.find(f"{SVG}a")
    assert link.get("href") == '/x?a=1&b="2"'
    assert "".join(link.itertext()) == f"1 maart 2024: {HOSTILE} ({HOSTILE})"
    assert HOSTILE in _texts(root)  # the legend


def _tick_labels(svg: str) -> list[str]:
    """The y-axis labels: the texts anchored at the end (right-aligned)."""
    root = _parse(svg)
    return [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]


@pytest.mark.parametrize("counts", [[1, 1, 1], [0, 1, 0, 1], [3, 7, 12], [0, 0, 0], [40, 2, 113]])
def test_a_count_axis_starts_at_zero_and_steps_by_whole_numbers(counts):
    from kansenaudit.reporting.svgchart import Series, render_line_chart

    years = list(range(2019, 2019 + len(counts)))
    svg = render_line_chart(
        [Series("term", years, counts)], title="t", description="d", counts=True
    )
    labels = _tick_labels(svg)
    assert labels[0] == "0"
    numbers = [int(label.replace(".", "")) for label in labels]  # Dutch thousands point
    assert numbers == sorted(numbers)
    assert max(numbers) >= max(counts)
    assert len({b - a for a, b in itertools.pairwise(numbers)}) <= 1
    # A year with one hit is drawn above the axis, not on it.
    root = _parse(svg)
    base = float(next(root.iter(f"{SVG}line")).get("y1"))  # the x axis, drawn first
    ys = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    for count, y in zip(counts, ys, strict=True):
        assert (abs(y - base) < 0.2) if count == 0 else (y < base - 0.5)


def test_chart_text_grows_with_the_chart_and_never_drops_below_13_units():
    from kansenaudit.reporting.svgchart import Series, render_line_chart, render_ranking_chart

    for width in (300, 360, 640, 960):
        line = render_line_chart(
            [Series("a", [2020, 2021], [1.5, 2.5])], title="t", description="d", width=width
        )
        rank = render_ranking_chart(
            [("Noord", 1.0, 0.5, 1.5)], title="t", description="d", width=width
        )
        for svg in (line, rank):
            sizes = {float(t.get("font-size")) for t in _parse(svg).iter(f"{SVG}text")}
            assert min(sizes) >= max(13, width / 40 - 0.5)
