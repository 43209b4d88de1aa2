# SPDX-License-Identifier: EUPL-1.2
"""A static SVG of a map for the report: actors, ties coloured by type, a legend.

Written as text (no plotting library): ties are curves so that parallel ties of different types
between the same pair stay apart, arrows show direction, a dashed tie has no evidence, and the
circle of an actor grows with its Net-Map influence. Colours are the Okabe–Ito palette, which
stays distinguishable for colour-blind readers; the legend names every colour.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from kansenaudit.network.graph import KIND_LABELS, TIE_KINDS, NetworkData
from kansenaudit.network.layout import SIZE, positions

__all__ = ["TIE_COLOURS", "render_png", "render_svg"]

TIE_COLOURS = {
    "money": "#E69F00",
    "mandate": "#0072B2",
    "accountability": "#D55E00",
    "information": "#009E73",
    "knowledge": "#CC79A7",
    "collaboration": "#56B4E9",
}
STANCE_COLOURS = {
    "supports": "#009E73",
    "neutral": "#777777",
    "opposes": "#D55E00",
    "unknown": "#BBBBBB",
}
STANCE_LABELS = {
    "supports": "steunt het doel",
    "neutral": "neutraal",
    "opposes": "staat het doel in de weg",
    "unknown": "houding onbekend",
}


PNG_WIDTH = 2000  # pixels: twice the drawing's own width, sharp enough for a printed report


def render_png(data: NetworkData, *, title: str = "", notice: str = "") -> bytes:
    """The SVG of :func:`render_svg` as a PNG, ``PNG_WIDTH`` pixels wide (for Word and slides).

    The SVG is our own, built from escaped text without references, and cairosvg runs with
    ``unsafe=False``, so no file or URL is ever fetched."""
    import cairosvg

    svg = render_svg(data, title=title, notice=notice)
    png: bytes = cairosvg.svg2png(
        bytestring=svg.encode("utf-8"), output_width=PNG_WIDTH, unsafe=False
    )
    return png


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def render_svg(data: NetworkData, *, title: str = "", notice: str = "") -> str:
    """``data`` as an SVG document (text). ``notice`` (e.g. the demo label) is printed on top."""
    coords = positions(data)
    margin_top = 70.0
    legend_height = 50.0 + 22.0 * (len(TIE_KINDS) + 3)
    width, height = SIZE + 40, SIZE + margin_top + legend_height
    radius = {n.key: 7.0 + 2.0 * min(max(n.influence or 0, 0), 10) for n in data.nodes}
    small = len(data.nodes) > 150
    parts: list[str] = []
    caption = title or data.name
    parts.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_fmt(width)} {_fmt(height)}" '
        f'width="{_fmt(width)}" height="{_fmt(height)}" role="img" aria-labelledby="t d" '
        'font-family="sans-serif">'
    )
    parts.append(f'<title id="t">{escape(caption)}</title>')
    summary = (
        f"Netwerkkaart met {len(data.nodes)} actoren en {len(data.ties)} relaties. "
        "De tabel van actoren en relaties is de tekstversie."
    )
    parts.append(f'<desc id="d">{escape(summary)}</desc>')
    parts.append("<defs>")
    for kind in TIE_KINDS:
        parts.append(
            f'<marker id="a-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
            f'markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" '
            f'fill="{TIE_COLOURS[kind]}"/></marker>'
        )
    parts.append("</defs>")
    parts.append('<rect width="100%" height="100%" fill="#ffffff"/>')
    parts.append(f'<text x="20" y="30" font-size="20" font-weight="bold">{escape(caption)}</text>')
    if notice:
        parts.append(f'<text x="20" y="52" font-size="13" fill="#B00000">{escape(notice)}</text>')
    parts.append(f'<g transform="translate(20 {_fmt(margin_top)})">')
    # Ties: group parallel ones by unordered pair so each gets its own bend.
    pairs: dict[tuple[str, str], list[int]] = {}
    for index, tie in enumerate(data.ties):
        pair = (tie.source, tie.target) if tie.source < tie.target else (tie.target, tie.source)
        pairs.setdefault(pair, []).append(index)
    bend: dict[int, float] = {}
    for members in pairs.values():
        count = len(members)
        for position, index in enumerate(members):
            bend[index] = (position - (count - 1) / 2) * 22.0 + (10.0 if count == 1 else 0.0)
    parts.append('<g fill="none" stroke-width="1.6">')
    for index, tie in enumerate(data.ties):
        if tie.source not in coords or tie.target not in coords:
            continue
        (x1, y1), (x2, y2) = coords[tie.source], coords[tie.target]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        # Start and end on the circles' edges.
        sx, sy = x1 + ux * radius[tie.source], y1 + uy * radius[tie.source]
        ex, ey = x2 - ux * radius[tie.target], y2 - uy * radius[tie.target]
        sign = 1.0 if tie.source < tie.target else -1.0
        offset = bend[index] * sign
        cx, cy = (sx + ex) / 2 - uy * offset, (sy + ey) / 2 + ux * offset
        dash = "" if tie.evidence else ' stroke-dasharray="5 4"'
        parts.append(
            f'<path d="M{_fmt(sx)},{_fmt(sy)}Q{_fmt(cx)},{_fmt(cy)} {_fmt(ex)},{_fmt(ey)}" '
            f'stroke="{TIE_COLOURS.get(tie.kind, "#000")}" marker-end="url(#a-{tie.kind})"{dash}/>'
        )
    parts.append("</g>")
    parts.append('<g stroke-width="2">')
    for node in data.nodes:
        x, y = coords[node.key]
        parts.append(
            f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(radius[node.key])}" fill="#ffffff" '
            f'stroke="{STANCE_COLOURS.get(node.stance, "#BBBBBB")}"/>'
        )
    parts.append("</g>")
    if not small:
        parts.append('<g font-size="12" fill="#1a1a1a">')
        for node in data.nodes:
            x, y = coords[node.key]
            parts.append(
                f'<text x="{_fmt(x)}" y="{_fmt(y + radius[node.key] + 13)}" '
                f'text-anchor="middle">{escape(node.label)}</text>'
            )
        parts.append("</g>")
    parts.append("</g>")
    # Legend.
    top = margin_top + SIZE + 20
    parts.append(f'<g transform="translate(20 {_fmt(top)})" font-size="13">')
    parts.append('<text x="0" y="0" font-weight="bold">Legenda</text>')
    y = 22.0
    for kind in TIE_KINDS:
        parts.append(
            f'<line x1="0" y1="{_fmt(y - 4)}" x2="40" y2="{_fmt(y - 4)}" '
            f'stroke="{TIE_COLOURS[kind]}" '
            f'stroke-width="2" marker-end="url(#a-{kind})"/>'
            f'<text x="50" y="{_fmt(y)}">{escape(KIND_LABELS[kind])}</text>'
        )
        y += 22
    parts.append(
        f'<line x1="0" y1="{_fmt(y - 4)}" x2="40" y2="{_fmt(y - 4)}" stroke="#333" '
        f'stroke-width="2" stroke-dasharray="5 4"/>'
        f'<text x="50" y="{_fmt(y)}">stippellijn: relatie zonder bewijs</text>'
    )
    y += 22
    x = 0.0
    for stance in ("supports", "neutral", "opposes", "unknown"):
        parts.append(
            f'<circle cx="{_fmt(x + 8)}" cy="{_fmt(y - 5)}" r="7" fill="#fff" stroke-width="2" '
            f'stroke="{STANCE_COLOURS[stance]}"/><text x="{_fmt(x + 22)}" y="{_fmt(y)}">'
            f"{escape(STANCE_LABELS[stance])}</text>"
        )
        x += 230
    y += 22
    parts.append(f'<text x="0" y="{_fmt(y)}">{escape("grotere cirkel: meer invloed")}</text>')
    parts.append("</g></svg>")
    return "\n".join(parts)
