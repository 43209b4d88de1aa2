# SPDX-License-Identifier: EUPL-1.2
"""The one writer of exported tables, CSV and XLSX, for the web workbench, the CLI and the report.

Every table that leaves the application as a spreadsheet file goes through this module, so the
conventions below hold for all of them (a test walks the source tree and fails on a second
``csv.writer`` or ``Workbook(``):

* **CSV**: UTF-8 with a byte-order mark, ``;`` between cells, ``\\r\\n`` after each row, cells
  quoted only when they need it. Dutch Excel opens such a file by double-clicking it, with
  every column in its own cell and accents intact; a comma-separated file lands in one column
  there. Numbers are written with a decimal *point* and no thousands separator (``0.5``,
  ``-3``, ``120000``), so ``float()``, pandas (``sep=";"``), R and polars read them back
  exactly; a spreadsheet set to Dutch may show them as text, which is why every export also
  has an XLSX form (or a JSON one) where numbers are numbers.
* **The demo notice**: when the data is fictional the caller passes the notice text, and the
  file starts with it: in CSV as a first row ``# <notice>``, in XLSX as the first row of every
  sheet (bold, red), above the header.
* **The formula guard** (CSV injection, OWASP): a text cell that starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return gets a leading ``'``, so a spreadsheet shows it as
  text and never runs it as a formula. It applies to every text cell, the header included, in
  CSV and XLSX alike; numbers (``int``, ``float``, ``Decimal``) are not text and stay numbers,
  so ``-3`` is still minus three. In XLSX every text cell is also stored as a string cell, never
  as a formula.
* **XLSX**: one sheet per table (names cut to Excel's 31 characters, without ``[]:*?/\\``, and
  made unique), the header bold and frozen, column widths from the content (8–60 characters),
  control characters that XLSX cannot hold removed. Written in openpyxl's write-only mode, so
  large tables stay cheap; openpyxl is imported only when a workbook is written.

Cells may be ``None`` (empty), ``bool``, ``int``, ``float`` (not finite: empty), ``Decimal``,
``date``/``datetime`` (ISO 8601 text), any other object (its ``str``, guarded), or a
:class:`Cell` that adds a background colour in XLSX. This module never imports Django.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

__all__ = [
    "CSV_CONTENT_TYPE",
    "FORMULA_STARTS",
    "SEPARATOR",
    "XLSX_CONTENT_TYPE",
    "Cell",
    "Table",
    "csv_text",
    "guard_text",
    "new_workbook",
    "set_text",
    "write_csv",
    "xlsx_bytes",
]

SEPARATOR = ";"
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTICE_COLOUR = "B00000"
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Control characters other than tab, newline and carriage return cannot be stored in XLSX.
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WIDTH_SAMPLE_ROWS = 2000


@dataclass(frozen=True)
class Cell:
    """A value with a background colour in XLSX (``"C6DBEF"``); CSV writes only the value."""

    value: object
    fill: str | None = None


@dataclass(frozen=True)
class Table:
    """A table to export: ``name`` (the sheet name), the header and the rows.

    An empty ``columns`` writes no header row (a sheet of label–value lines, for instance).
    """

    name: str
    columns: Sequence[str]
    rows: Iterable[Sequence[object]]


def guard_text(value: object) -> str:
    """``value`` as text that a spreadsheet program shows and never runs as a formula.

    >>> guard_text("=HYPERLINK('x')")
    "'=HYPERLINK('x')"
    >>> guard_text("-Nooit"), guard_text("\\tx"), guard_text("gewoon"), guard_text(None)
    ("'-Nooit", "'\\tx", 'gewoon', '')
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _plain(value: object) -> object:
    """A cell as a number, a boolean, None or guarded text (shared by both formats)."""
    if isinstance(value, Cell):
        value = value.value
    if value is None or isinstance(value, bool | int | Decimal):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.date):  # datetime included
        return value.isoformat()
    return guard_text(value)


def _csv_cell(value: object) -> object:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")  # never an exponent: Decimal("1E-7") -> 0.0000001
    return value


def write_csv(table: Table, stream: TextIO, *, notice: str | None = None) -> None:
    """Write ``table`` to the text ``stream`` as CSV in the project's one convention.

    >>> out = io.StringIO()
    >>> write_csv(Table("t", ["naam", "waarde"], [["=1+1", -2.5]]), out, notice="Demo")
    >>> out.getvalue().split("\\r\\n")
    ['\\ufeff# Demo', 'naam;waarde', "'=1+1;-2.5", '']
    """
    stream.write(BOM)
    writer = csv.writer(stream, delimiter=SEPARATOR, lineterminator="\r\n")
    if notice:
        writer.writerow([f"# {notice}"])
    if table.columns:
        writer.writerow([_csv_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])


def csv_text(table: Table, *, notice: str | None = None) -> str:
    """``table`` as CSV text (starting with the byte-order mark); see :func:`write_csv`."""
    out = io.StringIO()
    write_csv(table, out, notice=notice)
    return out.getvalue()


# --- XLSX -------------------------------------------------------------------------------------


def _xlsx_value(value: object) -> object:
    value = _plain(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return _ILLEGAL_XLSX.sub("", value)
    return value


def _sheet_name(name: str, used: set[str]) -> str:
    base = (_SHEET_NAME_FORBIDDEN.sub("_", name).strip("'") or "Blad")[:31]
    candidate, number = base, 2
    while candidate.casefold() in used:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(candidate.casefold())
    return candidate


def _widths(columns: Sequence[object], rows: list[list[object]]) -> list[int]:
    count = max([len(columns), *(len(r) for r in rows[:_WIDTH_SAMPLE_ROWS])], default=0)
    widths = [len(str(c)) for c in columns] + [0] * (count - len(columns))
    for row in rows[:_WIDTH_SAMPLE_ROWS]:
        for index, value in enumerate(row):
            if value is not None:
                widths[index] = max(widths[index], len(str(value)))
    return [min(60, max(8, w + 2)) for w in widths]


def set_text(cell: Any, text: str) -> None:
    """Store ``text`` in an openpyxl ``cell`` as a string, never as a formula.

    For a workbook that is a form rather than a table (the uitvraag template), where the text
    must come back exactly as written and so cannot carry the ``'`` of :func:`guard_text`.
    The text is stored as given (openpyxl refuses control characters XLSX cannot hold).
    """
    cell.value = text
    cell.data_type = "s"


def new_workbook() -> Any:
    """An empty openpyxl workbook, for a formatted form such as the uitvraag template.

    Tables are written with :func:`xlsx_bytes`; this is the one other door to openpyxl's
    ``Workbook`` so that the source-tree test can keep every other one out.
    """
    from openpyxl import Workbook

    return Workbook()


def xlsx_bytes(tables: Sequence[Table], *, notice: str | None = None) -> bytes:
    """The tables as one XLSX workbook, a sheet per table, in the project's one convention.

    >>> from openpyxl import load_workbook
    >>> data = xlsx_bytes([Table("Lijst", ["naam", "bedrag"], [["+31 6", 12.5]])], notice="Demo")
    >>> [list(r) for r in load_workbook(io.BytesIO(data))["Lijst"].values]
    [['Demo', None], ['naam', 'bedrag'], ["'+31 6", 12.5]]
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    used: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.name, used))
        columns = [_xlsx_value(c) for c in table.columns]
        rows = [list(r) for r in table.rows]
        plain = [[_xlsx_value(v) for v in r] for r in rows[:_WIDTH_SAMPLE_ROWS]]
        for index, width in enumerate(_widths(columns, plain), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if columns:  # before any row: write-only sheets write their view first
            sheet.freeze_panes = f"A{(2 if notice else 1) + 1}"
        if notice:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(notice))
            cell.font = Font(bold=True, color=NOTICE_COLOUR)
            sheet.append([cell])
        if columns:
            header = []
            for value in columns:
                cell = WriteOnlyCell(sheet, value=value)
                cell.font = bold
                header.append(cell)
            sheet.append(header)
        for row in rows:
            values = []
            for value in row:
                if isinstance(value, Cell) and value.fill:
                    cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
                    cell.fill = PatternFill("solid", start_color=value.fill)
                    values.append(cell)
                else:
                    values.append(_xlsx_value(value))
            sheet.append(values)
    if not tables:
        book.create_sheet("Leeg")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
