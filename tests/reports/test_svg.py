import pytest

from kansenaudit.reports.svg import FigureError, safe_svg, svg_to_png

NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def test_active_content_is_removed_and_drawing_kept():
    svg = (
        f'<svg {NS} onload="steal()" width="20" height="20"><script>steal()</script>'
        "<foreignObject><div>html</div></foreignObject>"
        '<a xlink:href="javascript:steal()"><rect width="5" height="5" onmouseover="x()"/></a>'
        '<use href="#local"/><image href="file:///etc/passwd"/>'
        '<rect id="local" style="fill:url(http://evil/x)" width="10" height="10"/></svg>'
    )
    out = safe_svg(svg)
    for bad in ("script", "foreignObject", "onload", "onmouseover", "javascript:", "file:", "url("):
        assert bad not in out
    assert 'href="#local"' in out
    assert "<rect" in out


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        (
            '<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
            "DTD",
        ),
        ("<svg", "not a readable SVG"),
        ('<html xmlns="http://www.w3.org/1999/xhtml"/>', "not an SVG"),
    ],
)
def test_hostile_or_broken_drawings_are_refused_by_name(svg, message):
    with pytest.raises(FigureError, match=message) as caught:
        safe_svg(svg, name="Figuur 7")
    assert str(caught.value).startswith("Figuur 7")


def test_png_has_the_requested_width():
    png = svg_to_png(
        f'<svg {NS} width="100" height="50"><rect width="100" height="50"/></svg>', width_px=400
    )
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 400
