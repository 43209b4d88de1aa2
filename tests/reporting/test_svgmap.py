"""The SVG choropleth: valid XML, hostile names escaped, classes and suppression shown."""

import xml.etree.ElementTree as ET

from kansenaudit.reporting.svgmap import MapFeature, render_choropleth_svg

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]}


def _shifted(dx):
    ring = [[x + dx, y] for x, y in SQUARE["coordinates"][0]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_hostile_names_are_escaped_and_output_is_valid_xml():
    features = [
        MapFeature("A", '<script>alert("x")</script>', _shifted(0), 1.0, "1"),
        MapFeature('B" onload="x', "Buurt & co", _shifted(10), 5.0, "5"),
        MapFeature("C", "Klein", _shifted(20), None, "onderdrukt"),
    ]
    svg = render_choropleth_svg(features, title="Test <kaart>")
    assert "<script>" not in svg
    root = ET.fromstring(svg)  # noqa: S314
    paths = root.findall("{http://www.w3.org/2000/svg}path")
    assert len(paths) == 3
    assert paths[1].get("data-code") == 'B" onload="x'
    assert paths[2].get("fill") == "#d9d9d9"  # suppressed or missing: grey
    assert paths[0].get("fill") != paths[1].get("fill")


def test_reverse_palette_flips_colours():
    features = [MapFeature(str(i), str(i), _shifted(10 * i), float(i), "") for i in range(5)]
    normal = ET.fromstring(render_choropleth_svg(features, title="t"))  # noqa: S314
    flipped = ET.fromstring(render_choropleth_svg(features, title="t", reverse=True))  # noqa: S314
    ns = "{http://www.w3.org/2000/svg}path"
    assert normal.findall(ns)[0].get("fill") == flipped.findall(ns)[-1].get("fill")


def test_map_without_any_value_has_only_the_missing_legend():
    from kansenaudit.reporting.svgmap import MapFeature, render_choropleth_svg

    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    svg = render_choropleth_svg(
        [MapFeature("A", "Noord", square, None, "niet getoond")], title="Leeg"
    )
    assert svg.count("<rect") == 1
    assert "niet getoond" in svg
