# SPDX-License-Identifier: EUPL-1.2
"""Positions of the actors on a map: saved ones kept, missing ones computed deterministically.

Small maps get a force-directed layout (networkx ``spring_layout`` with a fixed seed, so the same
map always looks the same); large maps (over 300 actors) get rings by actor kind, which is fast
and still readable as an overview. Coordinates are in a 1000 × 1000 box.
"""

from __future__ import annotations

import math
from typing import Any

from kansenaudit.network.graph import NetworkData, to_digraph

__all__ = ["SPRING_LIMIT", "positions"]

SPRING_LIMIT = 300
SIZE = 1000.0
MARGIN = 110.0  # room for the labels left and right
LONELY_COLUMNS = 4
KIND_ORDER = (
    "raad",
    "college",
    "directie",
    "programma",
    "stadsdeel",
    "partner",
    "doelgroep",
    "anders",
)


def positions(data: NetworkData) -> dict[str, tuple[float, float]]:
    """Node key → (x, y): the saved position where every node has one, else a computed one."""
    saved = {
        n.key: (float(n.x), float(n.y)) for n in data.nodes if n.x is not None and n.y is not None
    }
    if len(saved) == len(data.nodes):
        return saved
    computed = _spring(data, saved) if len(data.nodes) <= SPRING_LIMIT else _rings(data)
    computed.update(saved)
    return computed


def _spring(
    data: NetworkData, saved: dict[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    if not data.nodes:
        return {}
    graph = to_digraph(data).to_undirected()
    # Actors without ties go in a row along the bottom; a force layout would fling them to the
    # edge and squeeze everything else into a corner.
    lonely = sorted(v for v in graph.nodes if graph.degree(v) == 0 and v not in saved)
    if lonely and len(lonely) < len(data.nodes):
        graph.remove_nodes_from(lonely)
        rows = math.ceil(len(lonely) / LONELY_COLUMNS)
        bottom = min(40.0 + rows * 34.0, SIZE * 0.4)
        tied = _spring_tied(graph, data, saved, bottom=bottom)
        width = (SIZE - 2 * MARGIN) / LONELY_COLUMNS
        for i, key in enumerate(lonely):
            row, column = divmod(i, LONELY_COLUMNS)
            tied[key] = (
                round(MARGIN + width * (column + 0.5), 1),
                round(SIZE - bottom + 30.0 + row * min(34.0, (bottom - 30.0) / rows), 1),
            )
        return tied
    return _spring_tied(graph, data, saved, bottom=MARGIN)


def _spring_tied(
    graph: Any, data: NetworkData, saved: dict[str, tuple[float, float]], *, bottom: float
) -> dict[str, tuple[float, float]]:
    import networkx as nx

    if not graph.nodes:
        return {}
    fixed = [k for k in saved if k in graph]
    initial = {k: (x / SIZE * 2 - 1, y / SIZE * 2 - 1) for k, (x, y) in saved.items()}
    start = _rings(data)
    for key, (x, y) in start.items():
        if key in graph:
            initial.setdefault(key, (x / SIZE * 2 - 1, y / SIZE * 2 - 1))
    layout = nx.spring_layout(
        graph,
        pos=initial,
        fixed=fixed or None,
        seed=20261207,
        k=1.6 / math.sqrt(max(len(graph), 1)),
        iterations=80,
    )
    if fixed:
        # Fixed nodes keep their coordinates: map the free ones back with the same scale.
        return {k: ((x + 1) / 2 * SIZE, (y + 1) / 2 * SIZE) for k, (x, y) in layout.items()}
    xs = [p[0] for p in layout.values()]
    ys = [p[1] for p in layout.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {
        k: (
            round(MARGIN + (x - min(xs)) / span_x * (SIZE - 2 * MARGIN), 1),
            round(60.0 + (y - min(ys)) / span_y * (SIZE - 60.0 - bottom), 1),
        )
        for k, (x, y) in layout.items()
    }


def _rings(data: NetworkData) -> dict[str, tuple[float, float]]:
    """One ring per actor kind, government in the middle, target groups outside."""
    groups: dict[int, list[str]] = {}
    for node in sorted(data.nodes, key=lambda n: (n.label.casefold(), n.key)):
        rank = KIND_ORDER.index(node.kind) if node.kind in KIND_ORDER else len(KIND_ORDER) - 1
        groups.setdefault(rank, []).append(node.key)
    result: dict[str, tuple[float, float]] = {}
    ranks = sorted(groups)
    centre = SIZE / 2
    for ring, rank in enumerate(ranks):
        keys = groups[rank]
        radius = (ring + 1) / len(ranks) * (centre - 40)
        if len(keys) == 1 and ring == 0 and len(ranks) > 1:
            radius = 0.0
        for i, key in enumerate(keys):
            angle = 2 * math.pi * i / len(keys) + ring * 0.35
            result[key] = (
                round(centre + radius * math.cos(angle), 1),
                round(centre + radius * math.sin(angle), 1),
            )
    return result
