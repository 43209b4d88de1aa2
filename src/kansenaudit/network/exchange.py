# SPDX-License-Identifier: EUPL-1.2
"""GraphML, Kumu JSON and the actor and tie tables (CSV and XLSX) of a map.

GraphML is written by networkx (a directed multigraph: one edge per tie, keyed by the tie key)
with every field as a GraphML attribute, so ``networkx.read_graphml`` reads all of them back.
Kumu JSON follows Kumu's import layout (``elements`` with ``label``, ``connections`` with
``from``, ``to`` and ``type``). The tables go through :mod:`kansenaudit.reporting.tables`, which
guards every text cell against spreadsheet formulas.
"""

from __future__ import annotations

import io
import json
from typing import Any

from kansenaudit.network.graph import KIND_LABELS, NetworkData

__all__ = [
    "ACTOR_COLUMNS",
    "TIE_COLUMNS",
    "actor_rows",
    "kumu_json",
    "tie_rows",
    "write_graphml",
]

ACTOR_COLUMNS = ["id", "naam", "soort", "invloed", "houding", "uitvoerder", "x", "y"]
TIE_COLUMNS = [
    "id",
    "From",
    "To",
    "Type",
    "Start",
    "Einde",
    "Sterkte",
    "Bedrag",
    "Jaar",
    "Notitie",
    "Bewijs",
    "Overgenomen",
]


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != ""}


def write_graphml(data: NetworkData) -> bytes:
    """``data`` as GraphML (UTF-8 bytes) that ``networkx.read_graphml`` reads back whole."""
    import networkx as nx

    graph = nx.MultiDiGraph(name=data.name)
    for node in data.nodes:
        graph.add_node(
            node.key,
            **_clean(
                {
                    "label": node.label,
                    "kind": node.kind,
                    "influence": node.influence,
                    "stance": node.stance,
                    "executes": node.executes,
                    "x": node.x,
                    "y": node.y,
                }
            ),
        )
    for tie in data.ties:
        graph.add_edge(
            tie.source,
            tie.target,
            key=tie.key,
            **_clean(
                {
                    "id": tie.key,
                    "type": tie.kind,
                    "start": tie.start.isoformat() if tie.start else None,
                    "end": tie.end.isoformat() if tie.end else None,
                    "strength": tie.strength,
                    "amount": float(tie.amount) if tie.amount is not None else None,
                    "year": tie.year,
                    "note": tie.note,
                    "evidence": " | ".join(tie.evidence),
                    "evidence_count": len(tie.evidence),
                    "inherited": tie.inherited,
                }
            ),
        )
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", named_key_ids=True)
    return buffer.getvalue()


def kumu_json(data: NetworkData) -> str:
    """``data`` in Kumu's JSON import layout."""
    labels = {node.key: node.label for node in data.nodes}
    document = {
        "elements": [
            _clean(
                {
                    "label": node.label,
                    "type": node.kind,
                    "id": node.key,
                    "influence": node.influence,
                    "stance": node.stance,
                    "executes": node.executes or None,
                }
            )
            for node in data.nodes
        ],
        "connections": [
            _clean(
                {
                    "from": labels[tie.source],
                    "to": labels[tie.target],
                    "type": KIND_LABELS[tie.kind],
                    "direction": "directed",
                    "id": tie.key,
                    "start": tie.start.isoformat() if tie.start else None,
                    "end": tie.end.isoformat() if tie.end else None,
                    "strength": tie.strength,
                    "amount": str(tie.amount) if tie.amount is not None else None,
                    "year": tie.year,
                    "description": tie.note,
                    "evidence": list(tie.evidence) or None,
                }
            )
            for tie in data.ties
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def actor_rows(data: NetworkData) -> list[list[object]]:
    return [
        [n.key, n.label, n.kind, n.influence, n.stance, "ja" if n.executes else "", n.x, n.y]
        for n in data.nodes
    ]


def tie_rows(data: NetworkData) -> list[list[object]]:
    """The ties as an edge list with the actors' names (the layout the import reads)."""
    labels = {node.key: node.label for node in data.nodes}
    return [
        [
            t.key,
            labels[t.source],
            labels[t.target],
            t.kind,
            t.start,
            t.end,
            t.strength,
            t.amount,
            t.year,
            t.note,
            " | ".join(t.evidence),
            "ja" if t.inherited else "",
        ]
        for t in data.ties
    ]
