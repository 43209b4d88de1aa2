"""XLSX and CSV files of the judgements register and its history (web pages and CLI alike).

Every text cell passes through ``safe_cell``: openpyxl would store a text starting with "=" as a
formula, and spreadsheet programs execute formulas in CSV files.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from kansenaudit.reporting.csv_safety import safe_cell
from kansenaudit.web.dossiers.selectors import DEMO_NOTICE
from kansenaudit.web.judgements import selectors

SHEETS = {"oordelen": "judgements", "historie": "history"}


def tables(dossier: Any, viewer: Any | None) -> dict[str, tuple[list[str], list[dict]]]:
    """The two export tables: sheet name → (columns, rows)."""
    return {
        "oordelen": (selectors.EXPORT_COLUMNS, selectors.export_rows(dossier, viewer)),
        "historie": (selectors.HISTORY_COLUMNS, selectors.history_rows(dossier, viewer)),
    }


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return safe_cell(value)


def csv_text(columns: list[str], rows: list[dict], *, demo: bool) -> str:
    """A semicolon-separated CSV (with a byte-order mark, so spreadsheets read UTF-8)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    if demo:
        writer.writerow([f"# {DEMO_NOTICE}"])
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return out.getvalue()


def xlsx_bytes(sheets: dict[str, tuple[list[str], list[dict]]], *, demo: bool) -> bytes:
    """One workbook with a sheet per table (and a warning sheet first for demo data)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    if demo:
        workbook.create_sheet("LET OP").append([DEMO_NOTICE])
    for name, (columns, rows) in sheets.items():
        sheet = workbook.create_sheet(name[:31])
        sheet.append(columns)
        for row in rows:
            sheet.append([_cell(row.get(c)) for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
