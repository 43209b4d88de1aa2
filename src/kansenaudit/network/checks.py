# SPDX-License-Identifier: EUPL-1.2
"""The audit checks of a network map: documented rules, each finding with a stable id.

The rules are described for auditors in docs/methods/network.md. A finding names the rule, the
actors and the ties it rests on (so a page can show their evidence), and has an ``id`` that stays
the same as long as the ties and actors it is about exist: the rule code and the keys of what it
is about (``NW1:t42``). The web app prefixes the map (``net-7-NW1:t42``).
"""

from __future__ import annotations

from dataclasses import dataclass

from kansenaudit.network.graph import NetworkData, TieData

__all__ = ["RULES", "CheckFinding", "Rule", "run_checks"]

# Actors whose kind says they are not organisations that carry out or steer policy.
_NOT_STEERED = ("doelgroep",)
_NOT_EXECUTING = ("doelgroep", "raad", "college")


@dataclass(frozen=True)
class Rule:
    code: str
    title: str  # Dutch, as shown in files and the CLI; the pages translate it
    description: str


RULES = (
    Rule(
        "NW1",
        "Geld zonder verantwoording terug",
        "Een geldstroom van A naar B zonder verantwoordingsrelatie van B naar A.",
    ),
    Rule(
        "NW2",
        "Uitvoerder zonder informatie naar de eigenaar",
        "Een actor die de maatregel uitvoert (aangemerkt als uitvoerder, of met een opdracht of "
        "geld voor de maatregel) zonder informatie- of verantwoordingsrelatie naar de directie "
        "die eigenaar is van de maatregel.",
    ),
    Rule(
        "NW3",
        "Mandaat zonder geld",
        "Een actor met een mandaat of opdracht maar zonder geldstroom naar zich toe.",
    ),
    Rule(
        "NW4",
        "Geld zonder mandaat",
        "Een actor die geld ontvangt maar geen mandaat of opdracht heeft.",
    ),
    Rule(
        "NW5",
        "Doel met maatregelen zonder eigenaar op de kaart",
        "Een doel waarvan een maatregel geen eigenaar heeft, of een eigenaar die niet op de "
        "kaart staat.",
    ),
)
RULE_BY_CODE = {rule.code: rule for rule in RULES}


@dataclass(frozen=True)
class CheckFinding:
    """One finding of one rule: ``id`` is stable, ``message`` the Dutch sentence."""

    id: str
    rule: str
    message: str
    nodes: tuple[str, ...] = ()
    ties: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "rule": self.rule,
            "title": RULE_BY_CODE[self.rule].title,
            "message": self.message,
            "nodes": list(self.nodes),
            "ties": list(self.ties),
            "measures": list(self.measures),
        }


def run_checks(data: NetworkData) -> list[CheckFinding]:
    """Every finding of every rule, in rule order and then by id.

    >>> from kansenaudit.network.graph import NodeData
    >>> net = NetworkData("x", [NodeData("a", "Directie"), NodeData("b", "Partner", "partner")],
    ...     [TieData("t1", "a", "b", "money")])
    >>> [f.id for f in run_checks(net)]
    ['NW1:t1', 'NW4:b']
    """
    nodes = data.node_index()
    by_pair_kind: set[tuple[str, str, str]] = {(t.source, t.target, t.kind) for t in data.ties}
    incoming: dict[str, dict[str, list[TieData]]] = {}
    for tie in data.ties:
        incoming.setdefault(tie.target, {}).setdefault(tie.kind, []).append(tie)
    findings: list[CheckFinding] = []

    def name(key: str) -> str:
        node = nodes.get(key)
        return node.label if node else key

    # NW1: money without accountability back.
    for tie in data.ties:
        if tie.kind == "money" and (tie.target, tie.source, "accountability") not in by_pair_kind:
            findings.append(
                CheckFinding(
                    id=f"NW1:{tie.key}",
                    rule="NW1",
                    message=f"{name(tie.target)} krijgt geld van {name(tie.source)} maar legt "
                    f"daarover geen verantwoording af aan {name(tie.source)}.",
                    nodes=(tie.source, tie.target),
                    ties=(tie.key,),
                )
            )
    # NW2: an executing actor without information to the directie that owns the measure.
    owner = data.owner
    if owner is not None and owner in nodes:
        for node in data.nodes:
            if node.key == owner or node.kind in _NOT_EXECUTING:
                continue
            assigned = incoming.get(node.key, {}).get("mandate", []) + incoming.get(
                node.key, {}
            ).get("money", [])
            if not (node.executes or assigned):
                continue
            if (node.key, owner, "information") in by_pair_kind or (
                node.key,
                owner,
                "accountability",
            ) in by_pair_kind:
                continue
            findings.append(
                CheckFinding(
                    id=f"NW2:{node.key}",
                    rule="NW2",
                    message=f"{node.label} voert de maatregel uit maar informeert "
                    f"{name(owner)} (eigenaar) niet.",
                    nodes=(node.key, owner),
                    ties=tuple(sorted(t.key for t in assigned)),
                )
            )
    # NW3 and NW4: mandate without money, money without mandate.
    for node in data.nodes:
        if node.kind in _NOT_STEERED:
            continue
        into = incoming.get(node.key, {})
        mandates, money = into.get("mandate", []), into.get("money", [])
        if mandates and not money:
            findings.append(
                CheckFinding(
                    id=f"NW3:{node.key}",
                    rule="NW3",
                    message=f"{node.label} heeft een mandaat of opdracht maar ontvangt geen geld.",
                    nodes=(node.key,),
                    ties=tuple(sorted(t.key for t in mandates)),
                )
            )
        if money and not mandates:
            findings.append(
                CheckFinding(
                    id=f"NW4:{node.key}",
                    rule="NW4",
                    message=f"{node.label} ontvangt geld maar heeft geen mandaat of opdracht.",
                    nodes=(node.key,),
                    ties=tuple(sorted(t.key for t in money)),
                )
            )
    # NW5: goals whose measures have no owner on the map.
    measures_by_goal: dict[str, list[str]] = {}
    for measure in data.measures:
        if measure.owner is None or measure.owner not in nodes:
            for goal_key in measure.goals:
                measures_by_goal.setdefault(goal_key, []).append(measure.key)
    measure_names = {m.key: m.name for m in data.measures}
    for goal in data.goals:
        orphans = measures_by_goal.get(goal.key)
        if orphans:
            listed = ", ".join(measure_names[k] for k in orphans)
            findings.append(
                CheckFinding(
                    id=f"NW5:{goal.key}",
                    rule="NW5",
                    message=f"Doel '{goal.title}': maatregelen zonder eigenaar op de kaart: "
                    f"{listed}.",
                    measures=tuple(orphans),
                )
            )
    order = {rule.code: i for i, rule in enumerate(RULES)}
    return sorted(findings, key=lambda f: (order[f.rule], _natural(f.id)))


def _natural(text: str) -> tuple[object, ...]:
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))
