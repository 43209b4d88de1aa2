"""The Django-free network layer: metrics, audit checks, layouts, SVG, comparison (no database)."""

from __future__ import annotations

import doctest
import importlib

import networkx as nx
import pytest
from lxml import etree

from kansenaudit.network.checks import RULES, run_checks
from kansenaudit.network.compare import compare_maps
from kansenaudit.network.graph import GoalData, MeasureData, NetworkData, NodeData, TieData
from kansenaudit.network.layout import positions
from kansenaudit.network.metrics import compute_metrics
from kansenaudit.network.svg import TIE_COLOURS, render_svg


@pytest.mark.parametrize(
    "module",
    ["graph", "metrics", "checks", "compare", "gexf", "exchange", "edgelist", "layout", "svg"],
)
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(f"kansenaudit.network.{module}"))
    assert result.failed == 0


def _net(ties, nodes=("a", "b", "c", "d"), kinds=None, **extra):
    kinds = kinds or {}
    return NetworkData(
        "toets",
        [NodeData(k, k.upper(), kinds.get(k, "partner")) for k in nodes],
        [TieData(f"t{i}", s, t, kind) for i, (s, t, kind) in enumerate(ties, start=1)],
        **extra,
    )


def test_metrics_agree_with_networkx_and_count_per_type():
    net = _net(
        [
            ("a", "b", "money"),
            ("b", "a", "accountability"),
            ("b", "c", "information"),
            ("a", "b", "mandate"),
        ],
        kinds={"a": "directie", "c": "partner", "b": "programma"},
    )
    m = compute_metrics(net)
    simple = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")])
    simple.add_node("d")
    assert m.density == pytest.approx(nx.density(simple))
    assert m.reciprocity == pytest.approx(nx.reciprocity(simple))
    assert m.components == 2
    assert m.largest_component == 3
    assert m.isolates == ("d",)
    by_key = {a.key: a for a in m.per_actor}
    assert by_key["b"].degree_in == {
        **dict.fromkeys(by_key["b"].degree_in, 0),
        "money": 1,
        "mandate": 1,
    }
    assert by_key["b"].betweenness == pytest.approx(nx.betweenness_centrality(simple)["b"])
    # a → b → c with no a → c: b brokers one open two-path, between two kinds.
    assert (by_key["b"].brokerage, by_key["b"].brokerage_between_kinds) == (1, 1)
    assert by_key["d"].isolate
    assert m.ties == 4


def test_large_maps_estimate_betweenness():
    graph = nx.gnm_random_graph(600, 2400, seed=1, directed=True)
    net = NetworkData(
        "groot",
        [NodeData(str(n), f"Actor {n}") for n in graph.nodes],
        [TieData(f"t{i}", str(s), str(t), "information") for i, (s, t) in enumerate(graph.edges)],
    )
    m = compute_metrics(net)
    assert m.betweenness_estimated
    assert m.actors == 600
    assert m.ties == 2400


def test_each_rule_fires_and_stays_quiet_when_the_flow_is_there():
    kinds = {"dir": "directie", "p": "partner", "q": "partner", "doel": "doelgroep"}
    nodes = tuple(kinds)
    measure_map = {
        "measures": [MeasureData("m1", "Maatregel", "dir", ("g1",))],
        "goals": [GoalData("g1", "Doel")],
        "owner": "dir",
    }
    firing = _net(
        [("dir", "p", "money"), ("dir", "q", "mandate"), ("dir", "doel", "money")],
        nodes=nodes,
        kinds=kinds,
        **measure_map,
    )
    found = {f.id: f for f in run_checks(firing)}
    assert set(found) == {"NW1:t1", "NW1:t3", "NW2:p", "NW2:q", "NW3:q", "NW4:p"}
    assert found["NW1:t1"].ties == ("t1",)
    assert "P" in found["NW1:t1"].message
    assert found["NW2:q"].ties == ("t2",)
    quiet = _net(
        [
            ("dir", "p", "money"),
            ("p", "dir", "accountability"),
            ("dir", "p", "mandate"),
            ("p", "dir", "information"),
        ],
        nodes=("dir", "p"),
        kinds=kinds,
        **measure_map,
    )
    assert run_checks(quiet) == []
    # NW5: the measure's owner is not on the map (or there is none).
    orphan = _net(
        [],
        nodes=("p",),
        kinds=kinds,
        measures=[
            MeasureData("m1", "M", "dir", ("g1",)),
            MeasureData("m2", "Zonder", None, ("g1",)),
        ],
        goals=[GoalData("g1", "Doel")],
    )
    [finding] = run_checks(orphan)
    assert finding.id == "NW5:g1"
    assert finding.measures == ("m1", "m2")
    assert {r.code for r in RULES} == {"NW1", "NW2", "NW3", "NW4", "NW5"}


def test_finding_ids_are_stable_when_other_ties_come_and_go():
    base = [("a", "b", "money")]
    first = {f.id for f in run_checks(_net(base))}
    more = NetworkData(
        "x", _net(base).nodes, [*_net(base).ties, TieData("t9", "c", "d", "knowledge")]
    )
    assert first <= {f.id for f in run_checks(more)}


def test_layout_is_deterministic_and_keeps_saved_positions():
    net = _net([("a", "b", "money"), ("b", "c", "information")])
    assert positions(net) == positions(net)
    saved = NetworkData("x", [NodeData("a", "A", x=10.0, y=20.0), *net.nodes[1:]], net.ties)
    assert positions(saved)["a"] == (10.0, 20.0)
    big = NetworkData("x", [NodeData(str(i), str(i)) for i in range(400)], [])
    assert len(set(positions(big).values())) == 400  # rings: no two actors on one spot


def test_svg_is_well_formed_with_a_legend_and_marks_ties_without_evidence():
    net = _net([("a", "b", "money"), ("b", "a", "accountability")])
    net.ties[0] = TieData("t1", "a", "b", "money", evidence=("Nota, p. 3",))
    net.nodes[0] = NodeData("a", 'Directie <&> "x"', "directie", influence=8)
    svg = render_svg(net, title="Kaart", notice="Fictieve demodata")
    root = etree.fromstring(svg.encode())
    ns = {"s": "http://www.w3.org/2000/svg"}
    texts = [t.text for t in root.iterfind(".//s:text", ns)]
    assert "Legenda" in texts
    assert "geld" in texts
    assert "Fictieve demodata" in texts
    assert 'Directie <&> "x"' in texts
    paths = root.findall(".//s:g/s:path", ns)
    assert len(paths) == 2
    dashed = [p for p in paths if p.get("stroke-dasharray")]
    assert [p.get("stroke") for p in dashed] == [TIE_COLOURS["accountability"]]


def test_compare_matches_ties_by_pair_and_type():
    old = _net([("a", "b", "money"), ("b", "c", "information")], nodes=("a", "b", "c"))
    new_ties = [TieData("x1", "a", "b", "money", strength=3), TieData("x2", "c", "d", "knowledge")]
    new = NetworkData("n", _net([], nodes=("a", "b", "c", "d")).nodes, new_ties)
    result = compare_maps(old, new)
    assert result.actors_added == ("d",)
    assert result.actors_removed == ()
    assert result.ties_added == (("c", "d", "knowledge"),)
    assert result.ties_removed == (("b", "c", "information"),)
    assert result.ties_changed == (("a", "b", "money"),)
    assert result.ties_kept == 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_own_betweenness_equals_networkx(seed):
    from kansenaudit.network.metrics import _betweenness

    graph = nx.gnm_random_graph(40, 120, seed=seed, directed=True)
    ours, reference = _betweenness(graph, None), nx.betweenness_centrality(graph)
    assert ours == pytest.approx(reference, abs=1e-12)
    sampled = _betweenness(graph, 20)
    assert sampled == _betweenness(graph, 20)  # a seeded sample: the same map, the same figures
