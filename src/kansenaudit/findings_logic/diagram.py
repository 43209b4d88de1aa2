# SPDX-License-Identifier: EUPL-1.2
"""The chain as an SVG diagram: four columns (norms, findings, conclusions, recommendations)
with a line for every link. Plain SVG with escaped text, no script; each box is a link to the
chain page focused on that element."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape

from kansenaudit.findings_logic.chain import ORDER, Node

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 150, 26, 70, 10, 8


def render_chain_svg(
    nodes: list[Node],
    graph: Mapping[Node, list[Node]],
    labels: Mapping[Node, str],
    *,
    title: str,
    column_titles: Mapping[str, str],
    href: Callable[[Node], str],
    focus: Node | None = None,
) -> str:
    """An accessible SVG (a group named by its title; each box a link) of ``nodes`` and edges."""
    columns: dict[str, list[Node]] = {kind: [] for kind in ORDER}
    for node in sorted(nodes, key=lambda n: (labels.get(n, ""), n[1])):
        columns.setdefault(node[0], []).append(node)
    place: dict[Node, tuple[float, float]] = {}
    for ci, kind in enumerate(ORDER):
        for ri, node in enumerate(columns[kind]):
            place[node] = (PAD + ci * (BOX_W + GAP_X), PAD + 24 + ri * (BOX_H + GAP_Y))
    rows = max((len(v) for v in columns.values()), default=0)
    width = PAD * 2 + len(ORDER) * BOX_W + (len(ORDER) - 1) * GAP_X
    height = PAD * 2 + 24 + max(rows, 1) * (BOX_H + GAP_Y)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="ka-chain-diagram" role="group" aria-labelledby="keten-svg-titel">',
        f'<title id="keten-svg-titel">{escape(title)}</title>',
    ]
    for ci, kind in enumerate(ORDER):
        x = PAD + ci * (BOX_W + GAP_X)
        out.append(
            f'<text x="{x}" y="{PAD + 12}" font-size="13" font-weight="bold" fill="#1a1a1a">'
            f"{escape(column_titles.get(kind, kind))}</text>"
        )
    for source in sorted(place):
        for target in graph.get(source, []):
            if target not in place:
                continue
            x1, y1 = place[source]
            x2, y2 = place[target]
            if source[0] == target[0]:  # conclusion builds on conclusion: a curve beside it
                out.append(
                    f'<path d="M{x1 + BOX_W} {y1 + BOX_H / 2} C{x1 + BOX_W + 40} {y1 + BOX_H / 2} '
                    f'{x2 + BOX_W + 40} {y2 + BOX_H / 2} {x2 + BOX_W} {y2 + BOX_H / 2}" '
                    'fill="none" stroke="#555" stroke-dasharray="4 3"/>'
                )
            else:
                out.append(
                    f'<line x1="{x1 + BOX_W}" y1="{y1 + BOX_H / 2}" x2="{x2}" '
                    f'y2="{y2 + BOX_H / 2}" stroke="#555"/>'
                )
    for node, (x, y) in sorted(place.items()):
        label = labels.get(node, f"{node[0]} {node[1]}")
        stroke = "#b00000" if node == focus else "#154273"
        width_px = 3 if node == focus else 1
        out.append(
            f'<a href="{escape(href(node))}"><rect x="{x}" y="{y}" width="{BOX_W}" '
            f'height="{BOX_H}" rx="4" fill="#ffffff" stroke="{stroke}" '
            f'stroke-width="{width_px}"/><text x="{x + 6}" y="{y + 17}" font-size="12" '
            f'fill="#154273">{escape(label[:22])}</text></a>'
        )
    out.append("</svg>")
    return "".join(out)
