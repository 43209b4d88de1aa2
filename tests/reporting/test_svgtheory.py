"""The policy theory diagram: every step a box in its column, every link an arrow whose
evidence state shows in more than colour, everything escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kansenaudit.reporting.svgtheory import Link, Step, render_theory

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & "o"'


def _render(links):
    steps = [
        Step(1, "activiteit", "Bijles geven aan kinderen in groep 7 en 8 " * 3),
        Step(2, "output", "Uren bijles"),
        Step(3, "outcome", HOSTILE),
        Step(4, "doel", "Meer havo-advies"),
    ]
    return render_theory(
        steps,
        links,
        title=HOSTILE,
        headings=["Activiteit", "Output", "Outcome", "Doel"],
        legend=("met bewijs", "zonder bewijs"),
    )


def test_boxes_sit_in_their_columns_left_to_right_and_arrows_point_forward():
    svg = _render([Link(1, 2, 2, "want"), Link(2, 3, 0, "dus"), Link(3, 4, 1, HOSTILE)])
    root = ET.fromstring(svg)  # noqa: S314 (our own output, parsed to test it)
    assert root.get("role") == "img"
    assert root.get("aria-label") == HOSTILE
    rects = list(root.iter(f"{SVG}rect"))
    xs = [float(r.get("x")) for r in rects]
    assert xs == sorted(xs)
    assert len(set(xs)) == 4
    paths = [p for p in root.iter(f"{SVG}path") if p.get("marker-end")]
    assert len(paths) == 3
    dashed = [p for p in paths if p.get("stroke-dasharray")]
    assert len(dashed) == 1  # the link without evidence, and only that one
    assert dashed[0].get("marker-end") == "url(#ka-arrow-without)"
    # Not colour alone: the link without evidence also starts with an open circle.
    assert len(list(root.iter(f"{SVG}circle"))) == 1
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}title"))
    assert HOSTILE in texts  # escaped on the way in, intact when parsed
    assert "<script>" not in svg


def test_long_steps_wrap_and_the_text_is_large_enough():
    root = ET.fromstring(_render([]))  # noqa: S314
    first = next(root.iter(f"{SVG}text"))
    assert float(first.get("font-size")) >= 13
    tspans = list(root.iter(f"{SVG}tspan"))
    assert len(tspans) > 4  # the long activity is wrapped over several lines
    assert _render([]) != ""
    assert render_theory([], [], title="t", headings=[], legend=("", "")) == ""


def test_a_link_to_an_unknown_step_is_left_out():
    root = ET.fromstring(_render([Link(1, 99, 0, "weg")]))  # noqa: S314
    assert not [p for p in root.iter(f"{SVG}path") if p.get("marker-end")]
