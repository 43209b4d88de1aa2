# SPDX-License-Identifier: EUPL-1.2
"""Reading the cells of a returned workbook: the error collector and the checks of one row."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from kansenaudit.policy.uitvraag.spec import (
    BUDGET_MAX,
    DATE_MAX,
    DATE_MIN,
    FIRST_ROW,
    LIST_NOUNS,
    N_GOALS,
    N_TARGET_GROUPS,
    REACH_MAX,
    SHEET_MEASURES,
    Column,
    MeasureRow,
)

__all__ = [
    "FORMULA_REFUSED",
    "CellError",
    "ErrorCollector",
    "RowReader",
    "file_error",
    "is_empty",
    "is_formula",
]

# Stop collecting errors after this many: a file this broken needs to be redone anyway.
_MAX_ERRORS = 200
_DATE_TEXT = (
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), ("y", "m", "d")),
)


@dataclass(frozen=True)
class CellError:
    """One problem in the returned workbook.

    ``sheet`` is empty and ``row`` and ``column`` are None for problems with the file as a
    whole; ``column`` is the column letter. ``message`` is the complete Dutch text, including
    where the problem is, so it can be shown as it is.
    """

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        return self.message


def file_error(text: str) -> CellError:
    return CellError("", None, None, f"Bestand: {text}")


def _where(sheet: str, row: int, column: int, header: str | None = None) -> str:
    letter = get_column_letter(column)
    name = f" ({header})" if header else ""
    return f"Werkblad '{sheet}', rij {row}, kolom {letter}{name}"


class ErrorCollector:
    """Collects errors up to a limit; the reader stops when the limit is reached."""

    def __init__(self) -> None:
        self.errors: list[CellError] = []

    @property
    def full(self) -> bool:
        return len(self.errors) >= _MAX_ERRORS

    def cell(self, sheet: str, row: int, column: int, header: str | None, text: str) -> None:
        if self.full:
            return
        self.errors.append(
            CellError(
                sheet,
                row,
                get_column_letter(column),
                f"{_where(sheet, row, column, header)}: {text}",
            )
        )
        if self.full:
            self.errors.append(file_error(f"meer dan {_MAX_ERRORS} fouten; het inlezen is gestopt"))

    def sheet(self, sheet: str, text: str, row: int | None = None) -> None:
        if self.full:
            return
        where = f"Werkblad '{sheet}'" + (f", rij {row}" if row is not None else "")
        self.errors.append(CellError(sheet, row, None, f"{where}: {text}"))

    def file(self, text: str) -> None:
        if not self.full:
            self.errors.append(file_error(text))


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_formula(cell: Any) -> bool:
    if getattr(cell, "data_type", None) == "f":
        return True
    value = getattr(cell, "value", None)
    # Text that starts with "=" is refused too: exported again, it would become a formula.
    return isinstance(value, str) and value.lstrip().startswith("=")


FORMULA_REFUSED = "formule niet toegestaan; vul een waarde in (ook geen tekst die met '=' begint)"


def _canonical(value: str, allowed: Sequence[str]) -> str | None:
    text = " ".join(value.split())
    if text in allowed:
        return text
    folded = text.casefold()
    for item in allowed:
        if item.casefold() == folded:
            return item
    return None


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for pattern, order in _DATE_TEXT:
            match = pattern.match(text)
            if match:
                parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
                try:
                    return dt.date(parts["y"], parts["m"], parts["d"])
                except ValueError:
                    return None
    return None


def _describe(value: Any) -> str:
    # Numbers as a Dutch reader writes them: decimal comma.
    text = str(value).replace(".", ",") if isinstance(value, float) else str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


class RowReader:
    """Parses the cells of one measure row into a :class:`MeasureRow`, collecting errors."""

    def __init__(
        self, columns: Sequence[Column], lists: dict[str, tuple[str, ...]], errors: ErrorCollector
    ) -> None:
        self.columns = columns
        self.lists = lists
        self.errors = errors

    def _error(self, row: int, index: int, text: str) -> None:
        self.errors.cell(SHEET_MEASURES, row, index, self.columns[index - 1].header, text)

    def read(self, row: int, cells: Sequence[Any]) -> MeasureRow:
        values: dict[str, Any] = {}
        for index, column in enumerate(self.columns, start=1):
            if column.kind == "number":
                continue
            cell = cells[index - 1] if index - 1 < len(cells) else None
            raw = getattr(cell, "value", None)
            if is_empty(raw):
                values[column.key] = None
                continue
            if is_formula(cell):
                self._error(row, index, FORMULA_REFUSED)
                values[column.key] = None
                continue
            if getattr(cell, "data_type", None) == "e":
                self._error(row, index, f"foutwaarde {raw} in de cel")
                values[column.key] = None
                continue
            values[column.key] = self._value(row, index, column, raw)
        return self._measure(row, values)

    def _value(self, row: int, index: int, column: Column, raw: Any) -> Any:
        kind = column.kind
        if kind == "text" or kind == "list":
            if isinstance(raw, bool):
                text = "WAAR" if raw else "ONWAAR"
            elif isinstance(raw, (dt.datetime, dt.date)):
                text = raw.strftime("%d-%m-%Y")
            elif isinstance(raw, float) and raw.is_integer():
                text = str(int(raw))
            else:
                text = str(raw)
            text = text.strip()
            if kind == "text":
                if len(text) > column.max_len:
                    self._error(
                        row,
                        index,
                        f"tekst te lang: {len(text)} tekens, maximaal {column.max_len}",
                    )
                    return None
                return text
            allowed = self.lists.get(column.list_key or "", ())
            found = _canonical(text, allowed)
            if found is None:
                noun = LIST_NOUNS.get(column.list_key or "", "waarden")
                self._error(row, index, f"{_describe(text)} staat niet in de keuzelijst met {noun}")
            return found
        if kind == "money":
            if isinstance(raw, bool) or not isinstance(raw, (int, float)):
                self._error(
                    row, index, f"{_describe(raw)} is geen getal; vul een bedrag in euro's in"
                )
                return None
            if not math.isfinite(raw):
                self._error(row, index, "geen eindig getal")
                return None
            if raw < 0:
                self._error(row, index, f"negatief bedrag ({raw}); vul 0 of meer in")
                return None
            if raw > BUDGET_MAX:
                self._error(
                    row,
                    index,
                    "onwaarschijnlijk hoog bedrag (meer dan 100 miljard euro); controleer de "
                    "eenheid (euro's)",
                )
                return None
            return float(raw)
        if kind == "count":
            ok = isinstance(raw, int) or (isinstance(raw, float) and raw.is_integer())
            if isinstance(raw, bool) or not ok:
                self._error(row, index, f"{_describe(raw)} is geen heel getal")
                return None
            if raw < 0 or raw > REACH_MAX:
                self._error(
                    row, index, f"{int(raw)} ligt niet tussen 0 en {REACH_MAX:,}".replace(",", ".")
                )
                return None
            return int(raw)
        # date
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            self._error(row, index, f"{_describe(raw)} is geen datum; vul dd-mm-jjjj in")
            return None
        date = _parse_date(raw)
        if date is None:
            self._error(row, index, f"{_describe(raw)} is geen geldige datum; vul dd-mm-jjjj in")
            return None
        if not DATE_MIN <= date <= DATE_MAX:
            self._error(
                row,
                index,
                f"datum {date:%d-%m-%Y} ligt niet tussen {DATE_MIN:%d-%m-%Y} en "
                f"{DATE_MAX:%d-%m-%Y}",
            )
            return None
        return date

    def _multi(self, row: int, values: dict[str, Any], prefix: str, count: int) -> tuple[str, ...]:
        chosen: list[str] = []
        for i in range(1, count + 1):
            value = values.get(f"{prefix}_{i}")
            if value is None:
                continue
            if value in chosen:
                index = self._index(f"{prefix}_{i}")
                self._error(row, index, f"{_describe(value)} is in deze rij al gekozen")
                continue
            chosen.append(value)
        return tuple(chosen)

    def _index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns, start=1) if c.key == key)

    def _measure(self, row: int, values: dict[str, Any]) -> MeasureRow:
        name = values.get("name")
        if name is None and not any(self.errors_for(row, self._index("name"))):
            self._error(row, self._index("name"), "de naam van de maatregel is verplicht")
        start, end = values.get("start"), values.get("end")
        if start is not None and end is not None and end < start:
            self._error(
                row,
                self._index("end"),
                f"de einddatum {end:%d-%m-%Y} ligt vóór de begindatum {start:%d-%m-%Y}",
            )
        budget = tuple(
            (int(c.key.removeprefix("budget_")), values.get(c.key))
            for c in self.columns
            if c.kind == "money"
        )
        return MeasureRow(
            number=row - FIRST_ROW + 1,
            name=name or "",
            description=values.get("description") or "",
            goals=self._multi(row, values, "goal", N_GOALS),
            target_groups=self._multi(row, values, "target_group", N_TARGET_GROUPS),
            domain=values.get("domain"),
            reason=values.get("reason"),
            status=values.get("status"),
            start=start,
            end=end,
            budget=budget,
            reach=values.get("reach"),
            rationale=values.get("rationale") or "",
            assumptions=values.get("assumptions") or "",
            alignment=values.get("alignment") or "",
            indicators=values.get("indicators") or "",
            evidence=values.get("evidence") or "",
            row=row,
        )

    def errors_for(self, row: int, index: int) -> list[CellError]:
        letter = get_column_letter(index)
        return [
            e
            for e in self.errors.errors
            if e.sheet == SHEET_MEASURES and e.row == row and e.column == letter
        ]
