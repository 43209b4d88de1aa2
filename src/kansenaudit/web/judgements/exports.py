# SPDX-License-Identifier: EUPL-1.2
"""XLSX and CSV files of the judgements register and its history (web pages and CLI alike).

The files are written by :mod:`kansenaudit.reporting.tables`: semicolon CSV with a byte-order
mark, every text cell guarded against spreadsheet formulas, the demo notice first.
"""

from __future__ import annotations

from typing import Any

from kansenaudit.reporting import tables as writer
from kansenaudit.web.dossiers.selectors import DEMO_NOTICE
from kansenaudit.web.judgements import selectors

SHEETS = {"oordelen": "judgements", "historie": "history"}


def tables(dossier: Any, viewer: Any | None) -> dict[str, tuple[list[str], list[dict]]]:
    """The two export tables: sheet name → (columns, rows)."""
    return {
        "oordelen": (selectors.EXPORT_COLUMNS, selectors.export_rows(dossier, viewer)),
        "historie": (selectors.HISTORY_COLUMNS, selectors.history_rows(dossier, viewer)),
    }


def _table(name: str, columns: list[str], rows: list[dict]) -> writer.Table:
    return writer.Table(name, columns, [[row.get(c) for c in columns] for row in rows])


def csv_text(columns: list[str], rows: list[dict], *, demo: bool) -> str:
    """A semicolon-separated CSV (with a byte-order mark, so spreadsheets read UTF-8)."""
    return writer.csv_text(_table("oordelen", columns, rows), notice=DEMO_NOTICE if demo else None)


def xlsx_bytes(sheets: dict[str, tuple[list[str], list[dict]]], *, demo: bool) -> bytes:
    """One workbook with a sheet per table (the demo notice on top of each for demo data)."""
    return writer.xlsx_bytes(
        [_table(name, columns, rows) for name, (columns, rows) in sheets.items()],
        notice=DEMO_NOTICE if demo else None,
    )
