# SPDX-License-Identifier: EUPL-1.2
"""The files of a map, for the pages and the CLI alike: GEXF, GraphML, Kumu JSON, CSV, XLSX
SVG and PNG. The format writers are in :mod:`kansenaudit.network`; tables go through
:mod:`kansenaudit.reporting.tables` (formula guard and demo notice)."""

from __future__ import annotations

from dataclasses import dataclass

from kansenaudit.network import exchange
from kansenaudit.network.checks import RULE_BY_CODE
from kansenaudit.network.gexf import write_gexf
from kansenaudit.network.svg import render_png, render_svg
from kansenaudit.reporting import tables as writer
from kansenaudit.web.dossiers.selectors import DEMO_NOTICE
from kansenaudit.web.network import selectors
from kansenaudit.web.network.models import NetworkMap

FORMATS = {
    "gexf": ("gexf", "application/gexf+xml"),
    "graphml": ("graphml", "application/graphml+xml"),
    "kumu": ("kumu.json", "application/json"),
    "csv": ("csv", writer.CSV_CONTENT_TYPE),
    "xlsx": ("xlsx", writer.XLSX_CONTENT_TYPE),
    "svg": ("svg", "image/svg+xml"),
    "png": ("png", "image/png"),
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    file_name: str
    content_type: str


def file_stem(network_map: NetworkMap) -> str:
    subject = f"maatregel-{network_map.measure_id}" if network_map.measure_id else "organisatie"
    safe_version = "".join(c if c.isalnum() or c in "-_" else "-" for c in network_map.version)
    return f"netwerkkaart-{network_map.dossier_id}-{subject}-{safe_version}"


def export_map(network_map: NetworkMap, fmt: str) -> ExportFile:
    """``network_map`` in format ``fmt`` (a key of :data:`FORMATS`); KeyError for others."""
    suffix, content_type = FORMATS[fmt]
    notice = DEMO_NOTICE if network_map.is_demo else None
    if fmt == "xlsx":
        result = selectors.analysis(network_map)
        data = result.data
    else:
        data = selectors.network_data(network_map)
    description = f"{data.name}" + (f" — {notice}" if notice else "")
    if fmt == "gexf":
        content = write_gexf(data, description=description)
    elif fmt == "graphml":
        content = exchange.write_graphml(data)
    elif fmt == "kumu":
        content = exchange.kumu_json(data).encode("utf-8")
    elif fmt == "svg":
        content = render_svg(data, title=f"Netwerkkaart {data.name}", notice=notice or "").encode()
    elif fmt == "png":
        content = render_png(data, title=f"Netwerkkaart {data.name}", notice=notice or "")
    elif fmt == "csv":
        table = writer.Table("relaties", exchange.TIE_COLUMNS, exchange.tie_rows(data))
        content = writer.csv_text(table, notice=notice).encode("utf-8")
    else:
        findings = [
            [
                selectors.finding_id(network_map, f),
                f.rule,
                RULE_BY_CODE[f.rule].title,
                f.message,
                ", ".join(f.ties),
            ]
            for f in result.findings
        ]
        content = writer.xlsx_bytes(
            [
                writer.Table("actoren", exchange.ACTOR_COLUMNS, exchange.actor_rows(data)),
                writer.Table("relaties", exchange.TIE_COLUMNS, exchange.tie_rows(data)),
                writer.Table(
                    "controles", ["id", "regel", "titel", "bevinding", "relaties"], findings
                ),
            ],
            notice=notice,
        )
    return ExportFile(content, f"{file_stem(network_map)}.{suffix}", content_type)
