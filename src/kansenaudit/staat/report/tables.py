# SPDX-License-Identifier: EUPL-1.2
"""The report's tables as CSV files and one XLSX workbook."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from kansenaudit.staat.model import StaatResult


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    return frame.with_columns(pl.col(name).list.join(";") for name in lists)


def write_tables(result: StaatResult, folder: Path) -> list[Path]:
    """Every result table as CSV and all of them as sheets of one XLSX (one writer for both).

    The files follow the project's export convention (:mod:`kansenaudit.reporting.tables`):
    semicolons, UTF-8 with BOM, text guarded against formulas, the demo label first.
    """
    from kansenaudit.reporting.tables import Table, csv_text, xlsx_bytes

    folder.mkdir(parents=True, exist_ok=True)
    notice = result.inputs.label if result.inputs.is_demo else None
    written = []
    sheets = []
    for name, frame in result.tables().items():
        if frame.is_empty():
            continue
        flat = _flat(frame)
        table = Table(name, flat.columns, list(flat.iter_rows()))
        path = folder / f"{name}.csv"
        path.write_text(csv_text(table, notice=notice), encoding="utf-8", newline="")
        written.append(path)
        sheets.append(table)
    xlsx = folder / "tabellen.xlsx"
    xlsx.write_bytes(xlsx_bytes(sheets, notice=notice))
    written.append(xlsx)
    return written
