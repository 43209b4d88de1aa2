# SPDX-License-Identifier: EUPL-1.2
"""Write the *Staat van kansengelijkheid*: HTML report, CSV and XLSX tables, ``numbers.json``.

Everything the report shows comes from the :class:`StaatResult` tables, and ``numbers.json``
holds every number with its interval, n, suppression reason and provenance (source file,
release, retrieval date, code version, parameters), so a reader can trace any figure in the
report back to a line in a published file. The HTML has no scripts and loads nothing from the
internet: charts and maps are inline SVG.
"""

from __future__ import annotations

from pathlib import Path

from kansenaudit.staat.model import StaatResult
from kansenaudit.staat.report.numbers import build_numbers, code_version, write_numbers
from kansenaudit.staat.report.page import STACKING_CLASSES, render_html
from kansenaudit.staat.report.tables import write_tables

__all__ = [
    "REPORT_NAME",
    "STACKING_CLASSES",
    "build_numbers",
    "code_version",
    "render_html",
    "write_numbers",
    "write_report",
    "write_tables",
]

REPORT_NAME = "staat-van-kansengelijkheid.html"


def write_report(result: StaatResult, out: Path) -> dict[str, object]:
    """Write everything into ``out``; return what was written (paths and counts)."""
    out.mkdir(parents=True, exist_ok=True)
    html = out / REPORT_NAME
    html.write_text(render_html(result), encoding="utf-8")
    tables = write_tables(result, out / "tabellen")
    count = write_numbers(result, out / "numbers.json")
    return {
        "report": str(html),
        "numbers": str(out / "numbers.json"),
        "number_count": count,
        "tables": [str(path) for path in tables],
    }
