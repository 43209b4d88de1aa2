# SPDX-License-Identifier: EUPL-1.2
"""Read an edge list (CSV or XLSX) as Kumu and Gephi users keep one: ``From``, ``To``, ``Type`` …

The reader checks every cell and reports every problem with its row and column, in Dutch; it
returns rows only when the whole file is sound (all or nothing). It knows nothing of a dossier:
whether ``From`` and ``To`` name actors of the dossier is checked by the import service.

Columns (case does not matter; Dutch names work too): ``From``/``Van``, ``To``/``Naar``,
``Type``/``Soort`` (required), ``Start``/``Begin``, ``End``/``Einde``, ``Strength``/``Sterkte``
(1–5), ``Amount``/``Bedrag`` (euro, not negative), ``Year``/``Jaar``, ``Note``/``Notitie``/
``Description``. Other columns (``id``, ``Bewijs`` from our own export) are ignored. A cell that
holds a spreadsheet formula is refused, never evaluated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kansenaudit.network.graph import TIE_KINDS

__all__ = ["MAX_ROWS", "EdgeListError", "EdgeRow", "check_row", "read_edge_list"]

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
_MAX_PROBLEMS = 50

HEADERS = {
    "source": ("from", "van", "source", "bron"),
    "target": ("to", "naar", "target", "doel"),
    "kind": ("type", "soort", "kind"),
    "start": ("start", "begin"),
    "end": ("end", "einde", "eind"),
    "strength": ("strength", "sterkte", "weight", "gewicht"),
    "amount": ("amount", "bedrag"),
    "year": ("year", "jaar"),
    "note": ("note", "notitie", "description", "omschrijving"),
}
REQUIRED = ("source", "target", "kind")
KIND_ALIASES = {
    "money": ("money", "geld", "financiering", "funding", "subsidie"),
    "mandate": ("mandate", "mandaat", "opdracht", "assignment", "mandaat of opdracht"),
    "accountability": ("accountability", "verantwoording", "reporting", "rapportage"),
    "information": ("information", "informatie", "info"),
    "knowledge": ("knowledge", "kennis"),
    "collaboration": ("collaboration", "samenwerking"),
}
_KIND_BY_ALIAS = {alias: kind for kind, aliases in KIND_ALIASES.items() for alias in aliases}
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_FORMULA = ("=", "+", "@")


class EdgeListError(ValueError):
    """The file cannot be imported; ``problems`` are complete Dutch sentences with row/column."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class EdgeRow:
    """One sound row: ``row`` is its number in the file (the header is row 1); ``where`` names
    it otherwise (the element of a graph file)."""

    row: int
    source: str
    target: str
    kind: str
    start: dt.date | None = None
    end: dt.date | None = None
    strength: int | None = None
    amount: Decimal | None = None
    year: int | None = None
    note: str = ""
    where: str = ""

    @property
    def place(self) -> str:
        """Where the row is in its file, in Dutch ("rij 4" or "<edge id=\"e3\">")."""
        return self.where or f"rij {self.row}"


def read_edge_list(content: bytes, file_name: str) -> list[EdgeRow]:
    """The rows of an edge list, or :class:`EdgeListError` with every problem found.

    GEXF and GraphML files are read by :mod:`kansenaudit.network.graphfile`, whose
    ``read_ties`` takes any of the four."""
    if len(content) > MAX_BYTES:
        raise EdgeListError(["Het bestand is groter dan 10 MB."])
    if file_name.lower().endswith(".xlsx"):
        table = _xlsx_cells(content, file_name)
    elif file_name.lower().endswith((".csv", ".txt")):
        table = _csv_cells(content)
    else:
        raise EdgeListError(["Alleen een .csv- of .xlsx-bestand kan worden ingelezen."])
    return _rows(table)


# A cell: its value as read (text, number, date) and whether the file stored a formula there.
Cell = tuple[object, bool]


def _csv_cells(content: bytes) -> list[list[Cell]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EdgeListError(["Het CSV-bestand is niet in UTF-8 opgeslagen."]) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    table: list[list[Cell]] = []
    for line in reader:
        if len(table) > MAX_ROWS + 1:
            raise EdgeListError([f"Het bestand heeft meer dan {MAX_ROWS} rijen."])
        table.append([(cell, cell.strip().startswith(_FORMULA)) for cell in line])
    return table


def _xlsx_cells(content: bytes, file_name: str) -> list[list[Cell]]:
    from openpyxl import load_workbook

    from kansenaudit.ingest.limits import Limits
    from kansenaudit.ingest.model import IngestError
    from kansenaudit.ingest.office import open_zip

    try:
        open_zip(content, file_name, Limits(max_unzipped_bytes=100 * 1024 * 1024)).close()
    except IngestError as exc:
        raise EdgeListError([f"Het XLSX-bestand is niet veilig te openen: {exc}."]) from exc
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise EdgeListError([f"Het XLSX-bestand is niet te lezen: {exc}."]) from exc
    try:
        sheet = workbook.worksheets[0]
        table: list[list[Cell]] = []
        for line in sheet.iter_rows():
            if len(table) > MAX_ROWS + 1:
                raise EdgeListError([f"Het bestand heeft meer dan {MAX_ROWS} rijen."])
            table.append(
                [
                    (
                        cell.value,
                        getattr(cell, "data_type", "") == "f"
                        or (isinstance(cell.value, str) and cell.value.startswith("=")),
                    )
                    for cell in line
                ]
            )
        return table
    finally:
        workbook.close()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _rows(table: list[list[Cell]]) -> list[EdgeRow]:
    while table and all(_blank(v) for v, _f in table[-1]):
        table.pop()
    if not table:
        raise EdgeListError(["Het bestand is leeg."])
    header = [str(v or "").strip().lower() for v, _f in table[0]]
    columns: dict[str, int] = {}
    for field_name, names in HEADERS.items():
        for index, title in enumerate(header):
            if title in names and field_name not in columns:
                columns[field_name] = index
    missing = [HEADERS[f][0].capitalize() for f in REQUIRED if f not in columns]
    if missing:
        raise EdgeListError(
            [f"Rij 1: de kolom(men) {', '.join(missing)} ontbreken (From, To en Type zijn nodig)."]
        )
    letters = {f: _column_letter(i) for f, i in columns.items()}
    problems: list[str] = []
    rows: list[EdgeRow] = []

    def problem(number: int, field_name: str, text: str) -> None:
        if len(problems) < _MAX_PROBLEMS:
            problems.append(f"Rij {number}, kolom {letters[field_name]} ({field_name}): {text}")

    for number, line in enumerate(table[1:], start=2):
        if all(_blank(v) for v, _f in line):
            continue
        values: dict[str, object] = {}
        bad = False
        for field_name, index in columns.items():
            value, formula = line[index] if index < len(line) else (None, False)
            if formula:
                problem(number, field_name, "bevat een formule; formules worden niet ingelezen.")
                bad = True
                continue
            values[field_name] = value
        if bad:
            continue
        row = check_row(number, values, problem)
        if row is not None:
            rows.append(row)
    if problems:
        if len(problems) >= _MAX_PROBLEMS:
            problems.append("Er zijn meer fouten; de eerste 50 staan hierboven.")
        raise EdgeListError(problems)
    if not rows:
        raise EdgeListError(["Het bestand heeft geen relaties onder de kopregel."])
    return rows


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_row(
    number: int,
    values: dict[str, object],
    problem: Callable[[int, str, str], None],
    *,
    where: str = "",
) -> EdgeRow | None:
    """One row's values (by field name) checked and parsed; each problem goes to ``problem``
    (row number, field name, Dutch text) and the row is then ``None``."""
    ok = True
    names = {}
    for field_name in ("source", "target"):
        text = str(values.get(field_name) or "").strip()
        if not text:
            problem(number, field_name, "is leeg.")
            ok = False
        names[field_name] = text
    kind_text = str(values.get("kind") or "").strip().lower()
    kind = _KIND_BY_ALIAS.get(kind_text)
    if kind is None:
        problem(
            number, "kind", f"'{kind_text}' is geen type relatie (kies uit {', '.join(TIE_KINDS)})."
        )
        ok = False
    if ok and names["source"].casefold() == names["target"].casefold():
        problem(number, "target", f"de relatie loopt van '{names['source']}' naar zichzelf.")
        ok = False
    parsed: dict[str, object] = {}
    for field_name, parse in (
        ("start", lambda v: _date(v, end=False)),
        ("end", lambda v: _date(v, end=True)),
        ("strength", _strength),
        ("amount", _amount),
        ("year", _year),
    ):
        value = values.get(field_name)
        if _blank(value):
            parsed[field_name] = None
            continue
        try:
            parsed[field_name] = parse(value)
        except ValueError as exc:
            problem(number, field_name, str(exc))
            ok = False
    start, end = parsed.get("start"), parsed.get("end")
    if ok and start is not None and end is not None and end < start:  # type: ignore[operator]
        problem(number, "end", f"de periode eindigt ({end}) voordat zij begint ({start}).")
        ok = False
    if ok and parsed.get("amount") is not None and kind != "money":
        problem(number, "amount", "een bedrag hoort alleen bij een geldstroom (Type geld).")
        ok = False
    if not ok:
        return None
    return EdgeRow(
        row=number,
        source=names["source"],
        target=names["target"],
        kind=str(kind),
        start=parsed["start"],  # type: ignore[arg-type]
        end=parsed["end"],  # type: ignore[arg-type]
        strength=parsed["strength"],  # type: ignore[arg-type]
        amount=parsed["amount"],  # type: ignore[arg-type]
        year=parsed["year"],  # type: ignore[arg-type]
        note=str(values.get("note") or "").strip()[:1000],
        where=where,
    )


def _date(value: object, *, end: bool) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value))
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    match = _DUTCH_DATE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"'{text}' is geen datum (JJJJ-MM-DD, DD-MM-JJJJ of een jaartal)."
        ) from None


def _strength(value: object) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"'{value}' is geen geheel getal van 1 tot en met 5.") from None
    if not 1 <= number <= 5:
        raise ValueError(f"{number} ligt niet tussen 1 en 5.")
    return number


def _amount(value: object) -> Decimal:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        text = str(value).strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif _THOUSANDS.match(text.lstrip("-")):
            text = text.replace(".", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"'{value}' is geen bedrag.") from None
    if not amount.is_finite():
        raise ValueError(f"'{value}' is geen bedrag.")
    if amount < 0:
        raise ValueError(f"het bedrag {value} is negatief.")
    if amount >= Decimal("1e12"):
        raise ValueError(f"het bedrag {value} is te groot.")
    return amount.quantize(Decimal("0.01"))


def _year(value: object) -> int:
    try:
        year = int(str(value).strip().split(".")[0])
    except ValueError:
        raise ValueError(f"'{value}' is geen jaartal.") from None
    if not 1900 <= year <= 2100:
        raise ValueError(f"{year} is geen plausibel jaartal.")
    return year
