# SPDX-License-Identifier: EUPL-1.2
"""The comparison of two versions of a map: which actors and ties came, went or changed.

Ties are matched by (source, target, type): the same flow between the same actors in both
versions is one tie that may have changed (period, strength, amount), not a new one.
"""

from __future__ import annotations

from dataclasses import dataclass

from kansenaudit.network.graph import NetworkData, TieData

__all__ = ["MapComparison", "compare_maps"]

TieKey = tuple[str, str, str]


@dataclass(frozen=True)
class MapComparison:
    actors_added: tuple[str, ...]
    actors_removed: tuple[str, ...]
    ties_added: tuple[TieKey, ...]
    ties_removed: tuple[TieKey, ...]
    ties_changed: tuple[TieKey, ...]
    ties_kept: int

    def as_dict(self) -> dict[str, object]:
        return {
            "actors_added": list(self.actors_added),
            "actors_removed": list(self.actors_removed),
            "ties_added": [list(k) for k in self.ties_added],
            "ties_removed": [list(k) for k in self.ties_removed],
            "ties_changed": [list(k) for k in self.ties_changed],
            "ties_kept": self.ties_kept,
        }


def _signature(tie: TieData) -> tuple[object, ...]:
    return (tie.start, tie.end, tie.strength, tie.amount, tie.year)


def compare_maps(old: NetworkData, new: NetworkData) -> MapComparison:
    """What changed from ``old`` to ``new`` (node keys must mean the same actor in both).

    >>> from kansenaudit.network.graph import NodeData
    >>> a = NetworkData("2019", [NodeData("1", "A"), NodeData("2", "B")],
    ...                 [TieData("t", "1", "2", "money")])
    >>> b = NetworkData("2026", [NodeData("1", "A"), NodeData("2", "B")],
    ...                 [TieData("u", "1", "2", "information")])
    >>> c = compare_maps(a, b)
    >>> c.ties_added, c.ties_removed
    ((('1', '2', 'information'),), (('1', '2', 'money'),))
    """
    old_ties: dict[TieKey, list[TieData]] = {}
    for tie in old.ties:
        old_ties.setdefault((tie.source, tie.target, tie.kind), []).append(tie)
    new_ties: dict[TieKey, list[TieData]] = {}
    for tie in new.ties:
        new_ties.setdefault((tie.source, tie.target, tie.kind), []).append(tie)
    changed = tuple(
        sorted(
            k
            for k in old_ties.keys() & new_ties.keys()
            if sorted(map(_signature, old_ties[k]), key=repr)
            != sorted(map(_signature, new_ties[k]), key=repr)
        )
    )
    common = old_ties.keys() & new_ties.keys()
    old_nodes = {n.key for n in old.nodes}
    new_nodes = {n.key for n in new.nodes}
    return MapComparison(
        actors_added=tuple(sorted(new_nodes - old_nodes)),
        actors_removed=tuple(sorted(old_nodes - new_nodes)),
        ties_added=tuple(sorted(new_ties.keys() - old_ties.keys())),
        ties_removed=tuple(sorted(old_ties.keys() - new_ties.keys())),
        ties_changed=changed,
        ties_kept=len(common) - len(changed),
    )
