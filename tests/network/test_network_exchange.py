"""Exchange formats: GEXF 1.3 against the schema and back, GraphML through networkx, Kumu JSON,
and the edge-list reader's all-or-nothing errors (no database)."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree
from openpyxl import Workbook

from kansenaudit.network.edgelist import EdgeListError, read_edge_list
from kansenaudit.network.exchange import kumu_json, write_graphml
from kansenaudit.network.gexf import GexfError, read_gexf, write_gexf
from kansenaudit.network.graph import NetworkData, NodeData, TieData

SCHEMAS = Path("/work/shared/schemas/gexf/1.3")


def _sample() -> NetworkData:
    return NetworkData(
        "Organisatie (2026)",
        [
            NodeData("1", "College", "college", influence=9, stance="supports", x=10.5, y=-3.0),
            NodeData("2", "Directie Onderwijs & Jeugd", "directie", influence=0, stance="neutral"),
            NodeData("3", "Stichting <Brug>", "partner", executes=True, stance="opposes"),
        ],
        [
            TieData(
                "t1",
                "1",
                "2",
                "money",
                dt.date(2023, 1, 1),
                dt.date(2026, 12, 31),
                4,
                Decimal("1850000.50"),
                2025,
                "Budget SMW",
                ("Nota, p. 4", "Brief p. 1"),
            ),
            TieData("t2", "1", "2", "mandate", strength=5),  # parallel tie of another type
            TieData("t3", "2", "1", "accountability", start=dt.date(2024, 1, 1)),
            TieData("t4", "3", "2", "information", note="ééh “citaat”", inherited=True),
        ],
    )


@pytest.fixture(scope="module")
def gexf_schema():
    if not (SCHEMAS / "gexf.xsd").exists():
        pytest.skip("GEXF 1.3 schema not present")
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "gexf.xsd")))


def test_gexf_validates_against_the_1_3_schema(gexf_schema):
    document = etree.fromstring(write_gexf(_sample()))
    assert gexf_schema.validate(document), gexf_schema.error_log
    graph = document.find("{http://gexf.net/1.3}graph")
    assert graph.get("mode") == "dynamic"
    assert graph.get("timeformat") == "date"
    edges = document.findall(".//{http://gexf.net/1.3}edge")
    assert [e.get("kind") for e in edges] == ["money", "mandate", "accountability", "information"]
    assert edges[0].get("start") == "2023-01-01"
    assert edges[0].get("weight") == "4.0"


def test_gexf_static_without_periods_validates(gexf_schema):
    net = _sample()
    net.ties = [TieData("t2", "1", "2", "mandate")]
    document = etree.fromstring(write_gexf(net))
    assert gexf_schema.validate(document), gexf_schema.error_log
    assert document.find("{http://gexf.net/1.3}graph").get("mode") == "static"


def test_a_round_trip_through_our_gexf_changes_nothing():
    original = _sample()
    back = read_gexf(write_gexf(original))
    assert back.nodes == original.nodes
    assert back.ties == original.ties
    assert write_gexf(back, description=original.name) == write_gexf(original)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b'<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph>&b;</graph></gexf>',
            "DTD",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph>&x;</graph></gexf>',
            "DTD",
        ),
        (b"<gexf", "geen geldige XML"),
        (b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"/>', "geen GEXF"),
        (
            b'<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph><nodes><node id="1"/></nodes>'
            b'<edges><edge id="e" source="1" target="9" kind="money"/></edges></graph></gexf>',
            "<edge> nr. 1",
        ),
        (
            b'<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph><nodes><node id="1"/>'
            b'<node id="2"/></nodes><edges><edge id="e" source="1" target="2" kind="bribe"/>'
            b"</edges></graph></gexf>",
            "onbekend type",
        ),
    ],
)
def test_hostile_or_broken_gexf_is_refused_naming_the_element(content, words):
    with pytest.raises(GexfError) as refused:
        read_gexf(content)
    assert words in str(refused.value)


def test_graphml_reads_back_in_networkx_with_every_attribute():
    graph = nx.read_graphml(io.BytesIO(write_graphml(_sample())), force_multigraph=True)
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.is_directed()
    assert graph.nodes["1"] == {
        "label": "College",
        "kind": "college",
        "influence": 9,
        "stance": "supports",
        "executes": False,
        "x": 10.5,
        "y": -3.0,
    }
    assert graph.nodes["3"]["executes"] is True
    assert graph.nodes["3"]["label"] == "Stichting <Brug>"
    edges = {data["id"]: data for _s, _t, data in graph.edges(data=True)}
    assert set(edges) == {"t1", "t2", "t3", "t4"}
    money = edges["t1"]
    assert money == {
        "id": "t1",
        "type": "money",
        "start": "2023-01-01",
        "end": "2026-12-31",
        "strength": 4,
        "amount": 1850000.5,
        "year": 2025,
        "note": "Budget SMW",
        "evidence": "Nota, p. 4 | Brief p. 1",
        "evidence_count": 2,
        "inherited": False,
    }
    assert edges["t4"]["inherited"] is True
    assert edges["t4"]["note"] == "ééh “citaat”"
    assert graph.number_of_edges("1", "2") == 2  # money and mandate stay two ties


def test_kumu_json_has_elements_and_connections():
    data = json.loads(kumu_json(_sample()))
    assert next(e["label"] for e in data["elements"]) == "College"
    first = data["connections"][0]
    assert (first["from"], first["to"], first["type"], first["direction"]) == (
        "College",
        "Directie Onderwijs & Jeugd",
        "geld",
        "directed",
    )
    assert first["amount"] == "1850000.50"
    assert first["evidence"] == ["Nota, p. 4", "Brief p. 1"]


# --- the edge-list reader ---------------------------------------------------------------------


def _csv(*lines: str) -> bytes:
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


def test_a_sound_csv_is_read_with_dutch_values():
    rows = read_edge_list(
        _csv(
            "Van;Naar;Soort;Begin;Einde;Sterkte;Bedrag;Jaar;Notitie;id",
            "College;Directie;geld;2023;31-12-2026;4;1.850.000,50;2025;Budget;x",
            "Directie;College;Verantwoording;;;;;;;",
        ),
        "relaties.csv",
    )
    assert rows[0].kind == "money"
    assert rows[0].amount == Decimal("1850000.50")
    assert rows[0].start == dt.date(2023, 1, 1)
    assert rows[0].end == dt.date(2026, 12, 31)
    assert rows[1].kind == "accountability"
    assert rows[1].row == 3


def test_every_bad_row_is_named_by_row_and_column():
    with pytest.raises(EdgeListError) as refused:
        read_edge_list(
            _csv(
                "From,To,Type,Start,End,Amount",
                "A,B,money,,,-5",
                "A,A,information,,,",
                "A,B,information,2026-01-01,2020-01-01,",
                "A,B,bribe,,,",
                "A,B,money,,,=1+1",
                "A,,knowledge,,,",
            ),
            "x.csv",
        )
    problems = refused.value.problems
    assert any(p.startswith("Rij 2, kolom F (amount)") and "negatief" in p for p in problems)
    assert any(p.startswith("Rij 3, kolom B (target)") and "zichzelf" in p for p in problems)
    assert any(p.startswith("Rij 4, kolom E (end)") and "eindigt" in p for p in problems)
    assert any(p.startswith("Rij 5, kolom C (kind)") for p in problems)
    assert any(p.startswith("Rij 6, kolom F (amount)") and "formule" in p for p in problems)
    assert any(p.startswith("Rij 7, kolom B (target)") and "leeg" in p for p in problems)


def test_missing_columns_and_other_files_are_refused():
    with pytest.raises(EdgeListError, match="From, To en Type"):
        read_edge_list(_csv("From;Naar"), "x.csv")
    with pytest.raises(EdgeListError, match=r"\.csv- of \.xlsx"):
        read_edge_list(b"x", "kaart.gexf")
    with pytest.raises(EdgeListError, match="geen relaties"):
        read_edge_list(_csv("From;To;Type"), "x.csv")


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_is_read_and_formulas_are_refused_not_run():
    good = _xlsx(
        [
            ["From", "To", "Type", "Amount", "Start"],
            ["A", "B", "geld", 1250.5, dt.datetime(2024, 3, 1)],
        ]
    )
    [row] = read_edge_list(good, "lijst.xlsx")
    assert row.amount == Decimal("1250.50")
    assert row.start == dt.date(2024, 3, 1)
    bad = _xlsx([["From", "To", "Type", "Amount"], ["A", "B", "geld", "=SUM(1,2)"]])
    with pytest.raises(EdgeListError) as refused:
        read_edge_list(bad, "lijst.xlsx")
    assert refused.value.problems == [
        "Rij 2, kolom D (amount): bevat een formule; formules worden niet ingelezen."
    ]
    with pytest.raises(EdgeListError, match="niet"):
        read_edge_list(b"PK\x03\x04 kapot", "lijst.xlsx")
