# SPDX-License-Identifier: EUPL-1.2
"""GEXF 1.3 (Gephi) of a map, written and read back without loss.

Each tie is an ``<edge>`` with ``kind`` set to its type (so parallel ties of different types
between the same pair stay apart), ``weight`` its strength and, when any tie has a period, the
graph is ``mode="dynamic"`` with ``start``/``end`` dates on the edges. Every other field is an
attribute declared in ``<attributes>``. The reader uses defusedxml: entities, DTDs and external
references are refused before anything is parsed.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from kansenaudit.network.graph import STANCES, TIE_KINDS, NetworkData, NodeData, TieData

__all__ = ["GEXF_NS", "GexfError", "read_gexf", "write_gexf"]

GEXF_NS = "http://gexf.net/1.3"
_N = f"{{{GEXF_NS}}}"
MAX_BYTES = 50 * 1024 * 1024

NODE_ATTRIBUTES = (
    ("kind", "string"),
    ("influence", "integer"),
    ("stance", "string"),
    ("executes", "boolean"),
    ("x", "double"),
    ("y", "double"),
)
EDGE_ATTRIBUTES = (
    ("type", "string"),
    ("amount", "bigdecimal"),
    ("year", "integer"),
    ("strength", "integer"),
    ("note", "string"),
    ("evidence", "string"),  # a JSON array of references, so commas survive
    ("inherited", "boolean"),
)


class GexfError(ValueError):
    """A GEXF file that cannot be read; the message is Dutch and names the element."""


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_gexf(data: NetworkData, *, description: str = "") -> bytes:
    """``data`` as a GEXF 1.3 document (UTF-8 bytes)."""
    from lxml import etree

    dynamic = any(t.start is not None or t.end is not None for t in data.ties)
    root = etree.Element(_N + "gexf", nsmap={None: GEXF_NS}, version="1.3")
    meta = etree.SubElement(root, _N + "meta")
    etree.SubElement(meta, _N + "creator").text = "Kansenaudit"
    etree.SubElement(meta, _N + "description").text = description or data.name
    graph = etree.SubElement(root, _N + "graph", defaultedgetype="directed")
    if dynamic:
        graph.set("mode", "dynamic")
        graph.set("timeformat", "date")
    else:
        graph.set("mode", "static")
    for cls, declared in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        attributes = etree.SubElement(graph, _N + "attributes", {"class": cls})
        for name, kind in declared:
            etree.SubElement(attributes, _N + "attribute", id=name, title=name, type=kind)
    nodes = etree.SubElement(graph, _N + "nodes")
    for node in data.nodes:
        element = etree.SubElement(nodes, _N + "node", id=node.key, label=node.label)
        values = {
            "kind": node.kind,
            "influence": node.influence,
            "stance": node.stance,
            "executes": node.executes,
            "x": node.x,
            "y": node.y,
        }
        _attvalues(element, values)
    edges = etree.SubElement(graph, _N + "edges")
    for tie in data.ties:
        element = etree.SubElement(
            edges, _N + "edge", id=tie.key, source=tie.source, target=tie.target, kind=tie.kind
        )
        element.set("label", tie.kind)
        if tie.strength is not None:
            element.set("weight", str(float(tie.strength)))
        if tie.start is not None:
            element.set("start", tie.start.isoformat())
        if tie.end is not None:
            element.set("end", tie.end.isoformat())
        edge_values: dict[str, Any] = {
            "type": tie.kind,
            "amount": tie.amount,
            "year": tie.year,
            "strength": tie.strength,
            "note": tie.note or None,
            "evidence": json.dumps(list(tie.evidence), ensure_ascii=False)
            if tie.evidence
            else None,
            "inherited": tie.inherited,
        }
        _attvalues(element, edge_values)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _attvalues(element: Any, values: dict[str, Any]) -> None:
    from lxml import etree

    present = {k: v for k, v in values.items() if v is not None}
    if not present:
        return
    container = etree.SubElement(element, _N + "attvalues")
    for key, value in present.items():
        etree.SubElement(container, _N + "attvalue", {"for": key, "value": _text(value)})


def read_gexf(content: bytes) -> NetworkData:
    """A GEXF 1.3 document (as :func:`write_gexf` writes it) back as :class:`NetworkData`.

    Refuses DTDs, entities and external references (defusedxml), files over 50 MB and ties to
    nodes that are not in the file; the Dutch message names the element.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if len(content) > MAX_BYTES:
        raise GexfError("Het GEXF-bestand is groter dan 50 MB.")
    try:
        root = fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise GexfError(
            "Het GEXF-bestand bevat een DTD, entiteiten of externe verwijzingen; die worden "
            "niet gelezen."
        ) from exc
    except Exception as exc:  # ParseError: not well-formed
        raise GexfError(f"Het GEXF-bestand is geen geldige XML: {exc}.") from exc
    if root.tag != _N + "gexf":
        raise GexfError(f"Het hoofdelement is <{root.tag}>, geen GEXF 1.3 <gexf>.")
    graph = root.find(_N + "graph")
    if graph is None:
        raise GexfError("Het GEXF-bestand heeft geen <graph>.")
    description = root.findtext(f"{_N}meta/{_N}description") or ""
    nodes: list[NodeData] = []
    keys: set[str] = set()
    for number, element in enumerate(graph.iterfind(f"{_N}nodes/{_N}node"), start=1):
        where = f"<node> nr. {number}"
        key = element.get("id")
        if not key:
            raise GexfError(f"{where} heeft geen id.")
        if key in keys:
            raise GexfError(f"{where}: id '{key}' komt twee keer voor.")
        keys.add(key)
        values = _values(element)
        stance = values.get("stance", "unknown")
        if stance not in STANCES:
            raise GexfError(f"{where}: onbekende houding '{stance}'.")
        nodes.append(
            NodeData(
                key=key,
                label=element.get("label") or key,
                kind=values.get("kind", "anders"),
                influence=_int(values.get("influence"), where),
                stance=stance,
                executes=values.get("executes") == "true",
                x=_float(values.get("x"), where),
                y=_float(values.get("y"), where),
            )
        )
    ties: list[TieData] = []
    for number, element in enumerate(graph.iterfind(f"{_N}edges/{_N}edge"), start=1):
        where = f"<edge> nr. {number}"
        source, target = element.get("source"), element.get("target")
        if source not in keys or target not in keys:
            raise GexfError(f"{where} verwijst naar een knoop die niet in het bestand staat.")
        values = _values(element)
        kind = element.get("kind") or values.get("type", "")
        if kind not in TIE_KINDS:
            raise GexfError(f"{where}: onbekend type relatie '{kind}'.")
        evidence = values.get("evidence")
        ties.append(
            TieData(
                key=element.get("id") or f"e{number}",
                source=str(source),
                target=str(target),
                kind=kind,
                start=_date(element.get("start"), where),
                end=_date(element.get("end"), where),
                strength=_int(values.get("strength"), where),
                amount=_decimal(values.get("amount"), where),
                year=_int(values.get("year"), where),
                note=values.get("note", ""),
                evidence=_evidence(evidence, where),
                inherited=values.get("inherited") == "true",
            )
        )
    return NetworkData(name=description, nodes=nodes, ties=ties)


def _values(element: Any) -> dict[str, str]:
    return {
        str(v.get("for")): str(v.get("value"))
        for v in element.iterfind(f"{_N}attvalues/{_N}attvalue")
    }


def _int(value: str | None, where: str) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise GexfError(f"{where}: '{value}' is geen geheel getal.") from exc


def _float(value: str | None, where: str) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError as exc:
        raise GexfError(f"{where}: '{value}' is geen getal.") from exc


def _decimal(value: str | None, where: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise GexfError(f"{where}: '{value}' is geen bedrag.") from exc


def _date(value: str | None, where: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise GexfError(f"{where}: '{value}' is geen datum (JJJJ-MM-DD).") from exc


def _evidence(value: str | None, where: str) -> tuple[str, ...]:
    if not value:
        return ()
    try:
        items = json.loads(value)
    except ValueError:
        items = None
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise GexfError(f"{where}: het bewijs is geen lijst van verwijzingen.")
    return tuple(items)
