# SPDX-License-Identifier: EUPL-1.2
"""Figures' SVG made safe to embed, and turned into PNG for the Word version.

Figures come from the workbench's own chart, map and network code, but a report is a
publication: before an SVG goes into a page it is parsed (no DTD, no entities) and stripped of
anything active (scripts, event handlers, ``javascript:`` links, foreign HTML, external
references), so a figure cannot carry code into the published site.
"""

from __future__ import annotations

import re

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
MAX_SVG_BYTES = 20_000_000
_ACTIVE = {"script", "foreignObject", "iframe", "object", "embed", "handler"}
_LOCAL_REF = re.compile(r"^#")


class FigureError(ValueError):
    """An SVG that cannot be used as a figure; the message names the figure."""


def safe_svg(svg: str, *, name: str = "figure") -> str:
    """The SVG with active content removed, as a string without an XML declaration."""
    from lxml import etree

    data = svg.encode("utf-8")
    if len(data) > MAX_SVG_BYTES:
        raise FigureError(f"{name}: the drawing is larger than {MAX_SVG_BYTES:,} bytes")
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise FigureError(f"{name}: the drawing declares a DTD or entities, which are refused")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise FigureError(f"{name}: not a readable SVG drawing ({exc})") from exc
    if etree.QName(root).localname != "svg":
        raise FigureError(f"{name}: the drawing is not an SVG (root element {root.tag!r})")
    for element in list(root.iter()):
        if not isinstance(element.tag, str):  # comments, processing instructions
            if element.getparent() is not None:
                element.getparent().remove(element)
            continue
        if etree.QName(element).localname in _ACTIVE:
            element.getparent().remove(element)
            continue
        for attribute in list(element.attrib):
            if _active_attribute(etree.QName(attribute).localname, element.attrib[attribute]):
                del element.attrib[attribute]
    return etree.tostring(root, encoding="unicode")


def _active_attribute(name: str, value: str) -> bool:
    """Event handlers, links out of the drawing (only ``#local`` ones stay), and styles that
    load something."""
    name, value = name.lower(), value.strip().lower()
    if name.startswith("on"):
        return True
    if name == "href":
        return not _LOCAL_REF.match(value)
    return name == "style" and ("url(" in value or "expression" in value)


def svg_to_png(svg: str, *, width_px: int = 1600) -> bytes:
    """A PNG of the (already safe) SVG, ``width_px`` wide, for formats without SVG (Word)."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width_px, unsafe=False)
