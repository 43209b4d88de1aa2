"""Graph files (GEXF, GraphML) read as edge lists: our own exports read back, foreign GEXF 1.2
from Gephi, hostile XML and schema errors refused, every problem named by its element."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kansenaudit.network import graphfile
from kansenaudit.network.edgelist import EdgeListError
from kansenaudit.network.exchange import write_graphml
from kansenaudit.network.gexf import write_gexf
from kansenaudit.network.graphfile import read_ties
from tests.network.test_network_exchange import _sample


def _problems(content: bytes, name: str) -> list[str]:
    with pytest.raises(EdgeListError) as refused:
        read_ties(content, name)
    return refused.value.problems


@pytest.mark.parametrize(("name", "write"), [("k.gexf", write_gexf), ("k.graphml", write_graphml)])
def test_our_own_exports_read_back_as_the_same_ties(name, write):
    rows = read_ties(write(_sample()), name)
    assert [(r.source, r.target, r.kind) for r in rows] == [
        ("College", "Directie Onderwijs & Jeugd", "money"),
        ("College", "Directie Onderwijs & Jeugd", "mandate"),
        ("Directie Onderwijs & Jeugd", "College", "accountability"),
        ("Stichting <Brug>", "Directie Onderwijs & Jeugd", "information"),
    ]
    money = rows[0]
    assert (money.start, money.end, money.strength, money.amount, money.year) == (
        dt.date(2023, 1, 1),
        dt.date(2026, 12, 31),
        4,
        Decimal("1850000.50"),
        2025,
    )
    assert money.place == '<edge id="t1">'
    assert rows[3].note == "ééh “citaat”"


GEPHI_12 = b"""<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">
  <graph mode="static" defaultedgetype="directed">
    <attributes class="edge"><attribute id="0" title="Type" type="string"/></attributes>
    <nodes><node id="n0" label="College"/><node id="n1" label="Raad"/></nodes>
    <edges>
      <edge id="0" source="n0" target="n1" weight="3.0">
        <attvalues><attvalue for="0" value="verantwoording"/></attvalues>
      </edge>
    </edges>
  </graph>
</gexf>"""


def test_a_gephi_gexf_1_2_file_reads_with_dutch_types_and_weights():
    [row] = read_ties(GEPHI_12, "gephi.gexf")
    assert (row.source, row.target, row.kind, row.strength) == (
        "College",
        "Raad",
        "accountability",
        3,
    )


def test_entities_and_dtds_are_refused_before_parsing():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="&b;"/>'
        b"</graph></graphml>"
    )
    assert "DTD" in _problems(bomb, "bom.graphml")[0]
    external = (
        b'<?xml version="1.0"?><!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph><nodes><node id="1" '
        b'label="&x;"/></nodes></graph></gexf>'
    )
    assert "DTD" in _problems(external, "x.gexf")[0]


def test_limits_schema_and_format_are_checked():
    assert "10 MB" in _problems(b" " * (graphfile.MAX_BYTES + 1), "groot.gexf")[0]
    assert "geen geldige XML" in _problems(b"<gexf", "kapot.gexf")[0]
    assert "onbekende versie" in _problems(b'<gexf xmlns="urn:x"/>', "x.gexf")[0]
    invalid = b'<gexf xmlns="http://gexf.net/1.3" version="1.3"><graf/></gexf>'
    [problem] = _problems(invalid, "x.gexf")
    assert problem.startswith("Regel 1: het bestand volgt het GEXF-schema niet")
    assert "<graphml>" in _problems(b"<graphml/>", "x.graphml")[0]


def test_every_bad_edge_is_named_and_nothing_is_returned():
    content = (
        b'<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype="directed">'
        b'<nodes><node id="1" label="A"/><node id="2" label="B"/></nodes><edges>'
        b'<edge id="goed" source="1" target="2" kind="geld"/>'
        b'<edge id="e2" source="1" target="2" kind="vriendschap"/>'
        b'<edge id="e3" source="1" target="1" kind="kennis"/>'
        b'<edge id="e4" source="1" target="9" kind="kennis"/>'
        b"</edges></graph></gexf>"
    )
    problems = _problems(content, "x.gexf")
    assert problems[0].startswith('Element <edge id="e2">, kind:')
    assert problems[1].startswith('Element <edge id="e3">, target:')
    assert (
        problems[2] == "Element <edge id=\"e4\">, source: verwijst naar knoop '9', die er niet is."
    )
    assert len(problems) == 3


def test_a_graph_without_edges_is_refused():
    content = (
        b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
        b'<node id="a"/></graph></graphml>'
    )
    assert "geen relaties" in _problems(content, "leeg.graphml")[0]


def test_other_files_are_refused_naming_the_four_formats():
    assert ".gexf- of .graphml" in _problems(b"%PDF", "kaart.pdf")[0]
