"""Positions of the actors on a map: saved ones kept, missing ones computed deterministically.

Small maps get a force-directed layout (networkx ``spring_layout`` with a fixed seed, so the same
map always looks the same); large maps (over 300 actors) get rings by actor kind, which is fast
and still readable as an overview. Coordinates are in a 1000 × 1000 box.
"""

from __future__ import annotations

import math

from kansenaudit.network.graph import NetworkData, to_digraph

__all__ = ["SPRING_LIMIT", "positions"]

SPRING_LIMIT = 300
SIZE = 1000.0
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
    import networkx as nx

    if not data.nodes:
        return {}
    graph = to_digraph(data).to_undirected()
    fixed = [k for k in saved if k in graph]
    initial = {k: (x / SIZE * 2 - 1, y / SIZE * 2 - 1) for k, (x, y) in saved.items()}
    start = _rings(data)
    for key, (x, y) in start.items():
        initial.setdefault(key, (x / SIZE * 2 - 1, y / SIZE * 2 - 1))
    layout = nx.spring_layout(
        graph,
        pos=initial,
        fixed=fixed or None,
        seed=20261207,
        k=1.6 / math.sqrt(max(len(data.nodes), 1)),
        iterations=80,
    )
    if fixed:
        # Fixed nodes keep their coordinates: map the free ones back with the same scale.
        return {k: ((x + 1) / 2 * SIZE, (y + 1) / 2 * SIZE) for k, (x, y) in layout.items()}
    xs = [p[0] for p in layout.values()]
    ys = [p[1] for p in layout.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    margin = 60.0
    return {
        k: (
            round(margin + (x - min(xs)) / span_x * (SIZE - 2 * margin), 1),
            round(margin + (y - min(ys)) / span_y * (SIZE - 2 * margin), 1),
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
