# SPDX-License-Identifier: EUPL-1.2
"""The network of one map as plain data: actors (nodes), typed directed ties, and the graph.

Everything in :mod:`kansenaudit.network` works on :class:`NetworkData`, which the web app builds
from its database rows and the readers build from files. Node keys are strings (the web app uses
the actor's database id), so that exports are stable and readable back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = [
    "KIND_LABELS",
    "STANCES",
    "TIE_KINDS",
    "GoalData",
    "MeasureData",
    "NetworkData",
    "NodeData",
    "TieData",
    "to_multidigraph",
]

# The tie types, in the order of the legend. Codes are English, stored and exported as they are.
TIE_KINDS = ("money", "mandate", "accountability", "information", "knowledge", "collaboration")
# Dutch labels for the files and pictures made outside Django (the pages translate the codes).
KIND_LABELS = {
    "money": "geld",
    "mandate": "mandaat of opdracht",
    "accountability": "verantwoording",
    "information": "informatie",
    "knowledge": "kennis",
    "collaboration": "samenwerking",
}
# Net-Map: the stance of an actor towards the goal of the map.
STANCES = ("supports", "neutral", "opposes", "unknown")


@dataclass(frozen=True)
class NodeData:
    """An actor on the map: its register kind and its Net-Map attributes."""

    key: str
    label: str
    kind: str = "anders"
    influence: int | None = None
    stance: str = "unknown"
    executes: bool = False
    x: float | None = None
    y: float | None = None


@dataclass(frozen=True)
class TieData:
    """A typed, directed tie from ``source`` to ``target`` (node keys)."""

    key: str
    source: str
    target: str
    kind: str
    start: dt.date | None = None
    end: dt.date | None = None
    strength: int | None = None
    amount: Decimal | None = None
    year: int | None = None
    note: str = ""
    evidence: tuple[str, ...] = ()  # short references ("Nota p. 3"); empty: no evidence
    inherited: bool = False  # on a measure map: a tie of the organisation map

    def active_in(self, year: int) -> bool:
        """Whether the tie's period covers (part of) ``year``; no period: always."""
        return (self.start is None or self.start.year <= year) and (
            self.end is None or self.end.year >= year
        )


@dataclass(frozen=True)
class MeasureData:
    """A measure of the register as the audit checks need it."""

    key: str
    name: str
    owner: str | None  # node key of the owning directie, None when the register names none
    goals: tuple[str, ...] = ()  # goal keys


@dataclass(frozen=True)
class GoalData:
    key: str
    title: str


@dataclass
class NetworkData:
    """One map: its nodes and ties, and (for the audit checks) the measures and goals in scope.

    ``owner`` is the node key of the directie that owns the map's measure (measure maps only).
    """

    name: str
    nodes: list[NodeData] = field(default_factory=list)
    ties: list[TieData] = field(default_factory=list)
    measures: list[MeasureData] = field(default_factory=list)
    goals: list[GoalData] = field(default_factory=list)
    owner: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def node(self, key: str) -> NodeData | None:
        return self.node_index().get(key)

    def node_index(self) -> dict[str, NodeData]:
        return {n.key: n for n in self.nodes}

    def tie_index(self) -> dict[str, TieData]:
        return {t.key: t for t in self.ties}


def to_multidigraph(data: NetworkData, kinds: tuple[str, ...] | None = None) -> Any:
    """``data`` as a :class:`networkx.MultiDiGraph` (one edge per tie, keyed by the tie key)."""
    import networkx as nx

    graph = nx.MultiDiGraph(name=data.name)
    for node in data.nodes:
        graph.add_node(node.key, label=node.label, kind=node.kind)
    for tie in data.ties:
        if kinds is None or tie.kind in kinds:
            graph.add_edge(tie.source, tie.target, key=tie.key, kind=tie.kind)
    return graph


def to_digraph(data: NetworkData, kinds: tuple[str, ...] | None = None) -> Any:
    """``data`` collapsed to a simple :class:`networkx.DiGraph` (parallel ties merged)."""
    import networkx as nx

    graph = nx.DiGraph(name=data.name)
    graph.add_nodes_from(n.key for n in data.nodes)
    graph.add_edges_from(
        (t.source, t.target)
        for t in data.ties
        if (kinds is None or t.kind in kinds) and t.source != t.target
    )
    return graph
