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


def test_classes_are_drawn_as_classes_with_their_legend():
    """Values that are classes keep one colour per class, even when a class is rare."""
    from kansenaudit.reporting.svgmap import SEQUENTIAL_PALETTE

    values = [1, 1, 1, 1, 1, 1, 2, 3, 4, 5]  # quantile bins would merge the rare top classes
    features = [
        MapFeature(str(i), f"g{i}", _shifted(10 * i), float(v), f"klasse {v}")
        for i, v in enumerate(values)
    ]
    labels = ("klasse 1 (minste)", "klasse 2", "klasse 3", "klasse 4", "klasse 5 (meeste)")
    svg = render_choropleth_svg(features, title="t", classes=labels)
    root = ET.fromstring(svg)  # noqa: S314
    fills = [p.get("fill") for p in root.findall("{http://www.w3.org/2000/svg}path")]
    assert fills == [SEQUENTIAL_PALETTE[v - 1] for v in values]
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    for label in labels:
        assert label in texts
    assert not any(t and "–" in t and t[0].isdigit() for t in texts)  # no value ranges
