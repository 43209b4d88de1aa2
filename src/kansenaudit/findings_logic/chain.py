# SPDX-License-Identifier: EUPL-1.2
"""The chain norm → finding → conclusion → recommendation as a directed graph.

Nodes are ``(kind, id)`` pairs. Edges point from what carries to what is carried: a norm to
the findings measured against it, a finding to the conclusions it supports, a conclusion to the
conclusions built on it (the overall answer builds on the answers per sub-question) and to the
recommendations drawn from it. The only place a cycle can enter is conclusion → conclusion;
:func:`would_cycle` refuses such an edge before it is stored and :func:`find_cycle` finds one
in a graph that was stored by other means.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

Node = tuple[str, int]
ORDER = ("norm", "finding", "conclusion", "recommendation")


def adjacency(edges: Iterable[tuple[Node, Node]]) -> dict[Node, list[Node]]:
    """Successor lists of ``edges``, each list sorted so every walk is repeatable."""
    graph: dict[Node, list[Node]] = defaultdict(list)
    for source, target in edges:
        graph[source].append(target)
    return {node: sorted(set(targets)) for node, targets in graph.items()}


def find_cycle(graph: Mapping[Node, list[Node]]) -> list[Node] | None:
    """One cycle of ``graph`` as its nodes in order (first = last), or None. Iterative, so a
    long chain cannot exhaust the stack."""
    white, grey, black = 0, 1, 2
    colour: dict[Node, int] = defaultdict(int)
    for start in sorted(graph):
        if colour[start] != white:
            continue
        stack: list[tuple[Node, int]] = [(start, 0)]
        path: list[Node] = [start]
        colour[start] = grey
        while stack:
            node, index = stack[-1]
            successors = graph.get(node, [])
            if index < len(successors):
                stack[-1] = (node, index + 1)
                nxt = successors[index]
                if colour[nxt] == grey:
                    return [*path[path.index(nxt) :], nxt]
                if colour[nxt] == white:
                    colour[nxt] = grey
                    stack.append((nxt, 0))
                    path.append(nxt)
            else:
                colour[node] = black
                stack.pop()
                path.pop()
    return None


def reachable(graph: Mapping[Node, list[Node]], start: Node) -> set[Node]:
    """Every node reachable from ``start`` (``start`` itself included)."""
    seen = {start}
    todo = [start]
    while todo:
        for nxt in graph.get(todo.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def would_cycle(graph: Mapping[Node, list[Node]], source: Node, target: Node) -> bool:
    """Whether adding the edge ``source → target`` closes a cycle."""
    return source == target or source in reachable(graph, target)


def reverse(graph: Mapping[Node, list[Node]]) -> dict[Node, list[Node]]:
    """The graph with every edge turned around (to walk from a recommendation to its norms)."""
    return adjacency((target, source) for source, targets in graph.items() for target in targets)


def trace(graph: Mapping[Node, list[Node]], start: Node) -> dict[str, list[int]]:
    """Everything ``start`` leads to, both ways: ids per kind, the start itself excluded."""
    found = (reachable(graph, start) | reachable(reverse(graph), start)) - {start}
    result: dict[str, list[int]] = {kind: [] for kind in ORDER}
    for kind, pk in sorted(found):
        result.setdefault(kind, []).append(pk)
    return result
