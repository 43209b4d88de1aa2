# SPDX-License-Identifier: EUPL-1.2
"""Read ties from a graph file, GEXF (Gephi) or GraphML (yEd, networkx), as an edge list.

The file is refused before networkx sees it when it is larger than 10 MB, holds a DTD, an
entity or an external reference (defusedxml), is not GEXF or GraphML, or is GEXF that does
not validate against the GEXF schema of its version (1.3 or 1.2draft; bundled under
``schemas/gexf``, CC BY 4.0, from gephi/gexf). GraphML has no schema that works offline (the
official one redefines a remote file), so it is checked by networkx's reader and the checks
below. Then networkx reads the graph and every edge goes through the same checks as a row of
an edge list (:mod:`kansenaudit.network.edgelist`); a problem names the element
(``<edge id="e3">``) and the attribute. All or nothing: rows come back only when every edge
is sound.

What an edge carries: its ends by the nodes' ``label`` (else their id); its type from GEXF's
``kind`` attribute or an attribute ``type``/``Type``/``soort``; ``start``/``end`` (GEXF
periods or attributes); strength from ``strength`` or the edge ``weight``; ``amount``,
``year`` and ``note``/``description``, also under their Dutch names.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from kansenaudit.network.edgelist import (
    HEADERS,
    MAX_ROWS,
    EdgeListError,
    EdgeRow,
    check_row,
    read_edge_list,
)

__all__ = ["GRAPH_SUFFIXES", "MAX_BYTES", "read_graph_file", "read_ties"]

MAX_BYTES = 10 * 1024 * 1024
MAX_NODES = 20_000
GRAPH_SUFFIXES = (".gexf", ".graphml")
_MAX_PROBLEMS = 50
SCHEMAS = Path(__file__).resolve().parent / "schemas" / "gexf"
GEXF_VERSIONS = {"http://gexf.net/1.3": "1.3", "http://www.gexf.net/1.2draft": "1.2draft"}
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def read_ties(content: bytes, file_name: str) -> list[EdgeRow]:
    """The ties of an edge list (CSV, XLSX) or a graph file (GEXF, GraphML), by the suffix."""
    name = file_name.lower()
    if name.endswith(GRAPH_SUFFIXES):
        return read_graph_file(content, file_name)
    if not name.endswith((".csv", ".txt", ".xlsx")):
        raise EdgeListError(
            ["Alleen een .csv-, .xlsx-, .gexf- of .graphml-bestand kan worden ingelezen."]
        )
    return read_edge_list(content, file_name)


def read_graph_file(content: bytes, file_name: str) -> list[EdgeRow]:
    """The edges of a GEXF or GraphML file as edge-list rows, or :class:`EdgeListError`."""
    suffix = Path(file_name.lower()).suffix
    if suffix not in GRAPH_SUFFIXES:
        raise EdgeListError(["Alleen een .gexf- of .graphml-bestand kan hier worden ingelezen."])
    if len(content) > MAX_BYTES:
        raise EdgeListError(["Het bestand is groter dan 10 MB."])
    root = _refuse_hostile_xml(content)
    root_tag = str(root.tag)
    namespace, _, local = root_tag[1:].partition("}") if root_tag.startswith("{") else ("", "", "")
    if suffix == ".gexf":
        version = GEXF_VERSIONS.get(namespace)
        if local != "gexf" or version is None:
            raise EdgeListError(
                [
                    "Het element <gexf> ontbreekt of heeft een onbekende versie "
                    f"({namespace or 'zonder namespace'}); GEXF 1.3 en 1.2 worden gelezen."
                ]
            )
        _validate_gexf(content, version)
        graph = _read_gexf(content, version)
    else:
        if local != "graphml" or namespace != GRAPHML_NS:
            raise EdgeListError([f"Het element <graphml> (namespace {GRAPHML_NS}) ontbreekt."])
        graph = _read_graphml(content)
    declared = {str(e.get("id")) for e in root.iter() if str(e.tag).endswith("}node")}
    # networkx drops GEXF's edge attribute ``kind``: read it from the XML, by edge id.
    kinds = {
        str(e.get("id")): str(e.get("kind"))
        for e in root.iter()
        if str(e.tag).endswith("}edge") and e.get("kind")
    }
    return _rows(graph, kinds, declared)


def _refuse_hostile_xml(content: bytes) -> Any:
    """Parse with defusedxml (no DTD, entities or external references); the root element."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise EdgeListError(
            [
                "Het bestand bevat een DTD, entiteit of externe verwijzing; die worden om "
                "veiligheidsredenen niet gelezen."
            ]
        ) from None
    except ParseError as exc:
        line, column = exc.position
        raise EdgeListError(
            [f"Het bestand is geen geldige XML (regel {line}, kolom {column + 1})."]
        ) from None
    nodes = sum(1 for element in root.iter() if str(element.tag).endswith("}node"))
    edges = sum(1 for element in root.iter() if str(element.tag).endswith("}edge"))
    if nodes > MAX_NODES or edges > MAX_ROWS:
        raise EdgeListError(
            [f"Het bestand heeft meer dan {MAX_NODES} knopen of {MAX_ROWS} relaties."]
        )
    return root


@cache
def _gexf_schema(version: str) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMAS / version / "gexf.xsd"), parser))


def _validate_gexf(content: bytes, version: str) -> None:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    document = etree.fromstring(content, parser)
    schema = _gexf_schema(version)
    if schema.validate(document):
        return
    problems = []
    for error in list(schema.error_log)[:_MAX_PROBLEMS]:
        message = error.message.replace(f"{{{_namespace_of(document)}}}", "")
        problems.append(f"Regel {error.line}: het bestand volgt het GEXF-schema niet: {message}")
    raise EdgeListError(problems)


def _namespace_of(document: Any) -> str:
    return str(document.tag)[1:].partition("}")[0]


class _TextByDefault(dict):
    def __missing__(self, key: str) -> type:
        return str


def _read_gexf(content: bytes, version: str) -> Any:
    import networkx as nx

    reader = nx.readwrite.gexf.GEXFReader(version=version)
    # GEXF 1.3 types networkx does not know (bigdecimal, date, char …) stay text; the row
    # checks parse them.
    reader.python_type = _TextByDefault(reader.python_type)
    try:
        graph = reader(io.BytesIO(content))
    except (nx.NetworkXError, KeyError, ValueError, TypeError) as exc:
        raise EdgeListError([f"Het GEXF-bestand is niet te lezen: {exc}."]) from None
    return graph


def _read_graphml(content: bytes) -> Any:
    import networkx as nx

    try:
        return nx.read_graphml(io.BytesIO(content), force_multigraph=True)
    except (nx.NetworkXError, KeyError, ValueError, TypeError) as exc:
        raise EdgeListError([f"Het GraphML-bestand is niet te lezen: {exc}."]) from None


# Attribute names per field (case does not matter), on top of the edge list's column names.
_EXTRA = {"kind": ("edge_kind",), "strength": ("weight",), "note": ("label_note",)}


def _value(data: dict[str, Any], field_name: str) -> Any:
    lowered = {str(k).lower(): v for k, v in data.items()}
    for name in HEADERS[field_name] + _EXTRA.get(field_name, ()):
        if name in lowered and lowered[name] not in (None, ""):
            value = lowered[name]
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # GEXF and GraphML weights are doubles: 4.0 is strength 4
            return value
    return None


def _rows(graph: Any, kinds: dict[str, str], declared: set[str]) -> list[EdgeRow]:
    if graph.number_of_edges() == 0:
        raise EdgeListError(["Het bestand heeft geen relaties (geen <edge>-elementen)."])
    labels = {node: str(data.get("label") or node) for node, data in graph.nodes(data=True)}
    problems: list[str] = []
    rows: list[EdgeRow] = []
    if graph.is_multigraph():
        edges = list(graph.edges(keys=True, data=True))
    else:  # networkx reads a GEXF file without parallel edges as a simple graph
        edges = [(source, target, None, data) for source, target, data in graph.edges(data=True)]
    for number, (source, target, key, data) in enumerate(edges, start=1):
        edge_id = data.get("id", key)
        where = f'<edge id="{edge_id}">'

        def problem(_number: int, field_name: str, text: str, where: str = where) -> None:
            if len(problems) < _MAX_PROBLEMS:
                problems.append(f"Element {where}, {field_name}: {text}")

        dangling = [str(n) for n in (source, target) if str(n) not in declared]
        if dangling:
            problem(number, "source", f"verwijst naar knoop '{dangling[0]}', die er niet is.")
            continue
        values: dict[str, object] = {
            "source": labels.get(source, str(source)),
            "target": labels.get(target, str(target)),
            "kind": kinds.get(str(edge_id)) or _value(data, "kind"),
        }
        for field_name in ("start", "end", "strength", "amount", "year", "note"):
            values[field_name] = _value(data, field_name)
        row = check_row(number, values, problem, where=where)
        if row is not None:
            rows.append(row)
    if problems:
        if len(problems) >= _MAX_PROBLEMS:
            problems.append("Er zijn meer fouten; de eerste 50 staan hierboven.")
        raise EdgeListError(problems)
    return rows
