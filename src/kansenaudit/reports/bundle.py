# SPDX-License-Identifier: EUPL-1.2
"""The publication bundle: a static website for the council and residents, as one ZIP file.

Any web server (or the city's site) can host the folder as it is, offline, without scripts:

- ``index.html`` — the report as one accessible page, with ``rapport.css``;
- ``samenvatting.html`` — the summary chapters on their own (the plain-language summary);
- ``rapport.pdf`` — the tagged PDF;
- ``data/`` — the numbers the report uses, as ``getallen.csv`` and ``getallen.xlsx`` and as
  ``numbers.json`` with their provenance, and ``LEESMIJ.txt`` describing the fields.

It is built only from what the caller passes: the resolved document of a version frozen for
publication, its PDF and the numbers its resolver handed out. Nothing else of the dossier can
reach it, which is what the confidentiality test relies on.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from kansenaudit.reporting.tables import Table, csv_text, xlsx_bytes
from kansenaudit.reports.document import Report
from kansenaudit.reports.html import render_html, stylesheet

NUMBER_COLUMNS = ("reference", "indicator", "area", "year", "group", "value", "unit", "source")
README = """Gegevens bij: {title}
Versie {version} (SHA-256 van de tekst: {sha256})

getallen.csv / getallen.xlsx / numbers.json bevatten elk getal dat het rapport noemt, één per
regel, met waar het vandaan komt:

reference  de verwijzing in de tekst van het rapport ({{{{number:indicator/gebied/jaar}}}})
indicator  de sleutel van de indicator in de catalogus van Kansenaudit
area       de CBS-code van het gebied (gemeente, stadsdeel, wijk, buurt)
year       het jaar
group      de groep ("totaal" of een deelgroep)
value      de waarde zoals berekend, vóór afronding in de tekst
unit       de eenheid (% is een percentage van 0 tot 100)
source     de bron van de waarde

Waarden die om privacyredenen niet worden gepubliceerd (te kleine aantallen), staan hier niet in.
CSV: puntkomma als scheidingsteken, UTF-8 met BOM.
"""


def build_bundle(
    document: Report,
    *,
    pdf: bytes,
    numbers: Sequence[dict[str, Any]],
    version: str,
    sha256: str,
) -> bytes:
    """The ZIP file of the publication site for ``document``."""
    summary = replace(document, chapters=tuple(c for c in document.chapters if c.kind == "front"))
    rows = [[n.get(c, "") for c in NUMBER_COLUMNS] for n in unique_numbers(numbers)]
    table = Table("getallen", NUMBER_COLUMNS, rows)
    files = {
        "index.html": render_html(document, stylesheet_href="rapport.css").encode("utf-8"),
        "samenvatting.html": render_html(summary, stylesheet_href="rapport.css").encode("utf-8"),
        "rapport.css": stylesheet("web").encode("utf-8"),
        "rapport.pdf": pdf,
        "data/getallen.csv": csv_text(table).encode("utf-8"),
        "data/getallen.xlsx": xlsx_bytes([table]),
        "data/numbers.json": json.dumps(
            {
                "report": document.title,
                "version": version,
                "sha256": sha256,
                "numbers": [dict(zip(NUMBER_COLUMNS, row, strict=True)) for row in rows],
            },
            ensure_ascii=False,
            indent=2,
        ).encode("utf-8"),
        "data/LEESMIJ.txt": README.format(
            title=document.title, version=version, sha256=sha256
        ).encode("utf-8"),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def unique_numbers(numbers: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each referenced number once, in the order of first use."""
    seen, out = set(), []
    for number in numbers:
        if number["reference"] not in seen:
            seen.add(number["reference"])
            out.append(number)
    return out
