# SPDX-License-Identifier: EUPL-1.2
"""A policy theory as a diagram: activiteit → output → outcome → doel, beside svgchart (ADR 0007).

Four columns of boxes, one per kind of step, and an arrow for every link. A link with evidence
is a solid dark arrow; a link without evidence a dashed orange one, with an open circle at its
start, so the state never depends on colour alone. Every box and arrow has a ``<title>``; the
page shows the same links as a table beside the diagram (its text alternative).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

__all__ = ["Link", "Step", "render_theory"]

KINDS = ("activiteit", "output", "outcome", "doel")
_FILL = {"activiteit": "#e8f0fa", "output": "#eef7ea", "outcome": "#fff4e0", "doel": "#f4ecf7"}
_WITH, _WITHOUT = "#202020", "#b35806"


@dataclass(frozen=True)
class Step:
    key: int
    kind: str  # one of KINDS
    text: str


@dataclass(frozen=True)
class Link:
    source: int
    target: int
    evidence: int  # number of citations
    title: str = ""  # the rationale, for the arrow's tooltip


def render_theory(
    steps: Sequence[Step],
    links: Sequence[Link],
    *,
    title: str,
    headings: Sequence[str],
    legend: tuple[str, str],
    width: int = 960,
) -> str:
    """The diagram; ``headings`` name the four columns, ``legend`` the two kinds of arrow.

    Examples
    --------
    >>> svg = render_theory([Step(1, "activiteit", "Bijles"), Step(2, "output", "Uren")],
    ...     [Link(1, 2, 0, "want")], title="Theorie", headings=["A", "O", "U", "D"],
    ...     legend=("met bewijs", "zonder bewijs"))
    >>> svg.startswith("<svg") and 'stroke-dasharray' in svg and "<title>Bijles" in svg
    True
    """
    if not steps:
        return ""
    fs = max(13, round(width / 64))
    gap = fs * 3
    col_w = (width - gap * (len(KINDS) - 1)) / len(KINDS)
    chars = max(8, int(col_w / (fs * 0.56)) - 2)
    line_h = fs * 1.3
    top = fs * 2.4
    boxes: dict[int, tuple[float, float, float, float]] = {}
    parts: list[str] = []
    heights = []
    for column, kind in enumerate(KINDS):
        x = column * (col_w + gap)
        parts.append(
            f'<text x="{x + col_w / 2:.1f}" y="{fs * 1.3:.1f}" font-size="{fs}" '
            f'font-weight="700" text-anchor="middle">{escape(headings[column])}</text>'
        )
        y = top
        for step in (s for s in steps if s.kind == kind):
            lines = textwrap.wrap(step.text, chars)[:5] or ["–"]
            if len(textwrap.wrap(step.text, chars)) > 5:
                lines[-1] = lines[-1][: chars - 1] + "…"
            h = len(lines) * line_h + fs * 0.9
            boxes[step.key] = (x, y, col_w, h)
            text = "".join(
                f'<tspan x="{x + fs * 0.5:.1f}" y="{y + fs * 0.4 + (i + 1) * line_h:.1f}">'
                f"{escape(line)}</tspan>"
                for i, line in enumerate(lines)
            )
            parts.append(
                f'<g><title>{escape(step.text)}</title><rect x="{x:.1f}" y="{y:.1f}" '
                f'width="{col_w:.1f}" height="{h:.1f}" rx="4" fill="{_FILL.get(kind, "#fff")}" '
                f'stroke="#767676"/><text font-size="{fs}">{text}</text></g>'
            )
            y += h + fs
        heights.append(y)
    arrows = []
    for link in links:
        if link.source not in boxes or link.target not in boxes:
            continue
        sx, sy, sw, sh = boxes[link.source]
        tx, ty, _tw, th = boxes[link.target]
        forward = tx > sx
        x1, y1 = (sx + sw, sy + sh / 2) if forward else (sx, sy + sh / 2)
        x2, y2 = (tx, ty + th / 2) if forward else (tx + _tw, ty + th / 2)
        bend = (x2 - x1) / 2
        colour = _WITH if link.evidence else _WITHOUT
        dash = "" if link.evidence else ' stroke-dasharray="6 4"'
        start = (
            ""
            if link.evidence
            else f'<circle cx="{x1:.1f}" cy="{y1:.1f}" r="4" fill="#fff" stroke="{colour}"/>'
        )
        arrows.append(
            f"<g><title>{escape(link.title)}</title>"
            f'<path d="M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} '
            f'{x2:.1f},{y2:.1f}" fill="none" stroke="{colour}" stroke-width="2"{dash} '
            f'marker-end="url(#ka-arrow-{"with" if link.evidence else "without"})"/>{start}</g>'
        )
    body_h = max(heights) + fs
    legend_y = body_h + fs
    legend_parts = (
        f'<line x1="0" y1="{legend_y:.1f}" x2="{fs * 3}" y2="{legend_y:.1f}" stroke="{_WITH}" '
        f'stroke-width="2" marker-end="url(#ka-arrow-with)"/>'
        f'<text x="{fs * 3.6:.1f}" y="{legend_y + fs * 0.35:.1f}" font-size="{fs}">'
        f"{escape(legend[0])}</text>"
        f'<line x1="{width / 2:.1f}" y1="{legend_y:.1f}" x2="{width / 2 + fs * 3:.1f}" '
        f'y2="{legend_y:.1f}" stroke="{_WITHOUT}" stroke-width="2" stroke-dasharray="6 4" '
        f'marker-end="url(#ka-arrow-without)"/>'
        f'<text x="{width / 2 + fs * 3.6:.1f}" y="{legend_y + fs * 0.35:.1f}" font-size="{fs}">'
        f"{escape(legend[1])}</text>"
    )
    height = round(legend_y + fs * 1.5)
    defs = "".join(
        f'<marker id="ka-arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{colour}"/></marker>'
        for name, colour in (("with", _WITH), ("without", _WITHOUT))
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label={quoteattr(title)} class="chart ka-theory"><title>{escape(title)}</title>'
        # Arrows first: a link that skips a column passes behind the boxes, not over their text.
        f"<defs>{defs}</defs>" + "".join(arrows) + "".join(parts) + legend_parts + "</svg>"
    )
