"""The uitvraag: an Excel workbook in which a directorate lists at most ten measures.

The research design (§4.1.4) asks each directorate closely involved in kansengelijkheid for at
most ten measures or programmes, chosen by impact, cost or size of the target group, each with
its rationale. :func:`build_template` writes that workbook in Dutch; :func:`read_filled` reads
the returned file back, checks every cell and names each problem by sheet, row and column;
:func:`diff_measures` shows what a re-import would change before it is applied. The workbook
and its rules are described for auditors and directorates in ``docs/uitvraag.md``.

The returned file is untrusted input. Before openpyxl sees it, :func:`read_filled`

* refuses empty files, files above ``max_bytes``, anything that is not a ZIP (a CSV renamed to
  ``.xlsx``, an old ``.xls``, a password-protected workbook, which is an OLE2 container);
* checks the ZIP's central directory: number of members, total declared size, compression
  ratio of big members (a zip bomb), encrypted members;
* refuses macro-enabled workbooks (``vbaProject.bin``, a ``macroEnabled`` content type),
  embedded objects, ActiveX, external links and data connections;
* reads every member with a bounded read, and parses every XML part with ``defusedxml`` with
  DTDs forbidden: OOXML never needs a DTD, so any DTD (an XXE or billion-laughs attempt) is
  refused.

openpyxl then reads the workbook in read-only (streaming) mode and never evaluates anything: it
has no formula engine, does not run macros (``keep_vba=False``) and does not follow external
links (``keep_links=False``). With ``defusedxml`` installed, openpyxl's own ``iterparse`` is
defusedxml's; the check above does not rely on that.

Formulas are refused, not evaluated: the reader opens the workbook with ``data_only=False`` so
that a formula arrives as its text with cell type ``"f"``, and reports it as "formule niet
toegestaan". A formula's cached value (what ``data_only=True`` would return) is never used,
because it was computed by whatever program saved the file and cannot be checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection

from kansenaudit.reporting.tables import new_workbook, set_text

__all__ = [
    "DEFAULT_BUDGET_YEARS",
    "MAX_BYTES",
    "MAX_MEASURES",
    "REASONS",
    "SHEETS",
    "STATUSES",
    "CellError",
    "Change",
    "ChangeKind",
    "MeasureRow",
    "UitvraagResult",
    "build_template",
    "diff_measures",
    "read_filled",
    "template_checksum",
]

MB = 1024 * 1024
MAX_BYTES = 10 * MB
MAX_MEASURES = 10
TEMPLATE_FORMAT = "kansenaudit-uitvraag"

SHEET_INFO = "Toelichting"
SHEET_MEASURES = "Maatregelen"
SHEET_LISTS = "Lijsten"
SHEET_META = "Meta"
SHEETS = (SHEET_INFO, SHEET_MEASURES, SHEET_LISTS, SHEET_META)

STATUSES = ("gepland", "lopend", "afgerond", "gestopt")
# Design footnote h: measures are chosen by impact, cost or size of the target group.
REASONS = ("grootste impact", "hoogste kosten", "grootste doelgroep")
DEFAULT_BUDGET_YEARS = (2023, 2024, 2025, 2026, 2027)
N_GOALS = 3
N_TARGET_GROUPS = 3

NAME_MAX = 200
TEXT_MAX = 4000
LIST_ITEM_MAX = 200
LIST_MAX_ITEMS = 200
BUDGET_MAX = 1e11  # 100 billion euro: above it the unit is surely wrong (cents, thousands)
REACH_MAX = 100_000_000
DATE_MIN = dt.date(1980, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)

# Limits of the ZIP container. A filled-in uitvraag is some tens of kilobytes; these leave a
# wide margin while keeping a hostile file from exhausting memory or time.
_MAX_MEMBERS = 200
_MAX_UNZIPPED = 25 * MB
_MAX_RATIO = 100.0
_RATIO_MIN_BYTES = 1 * MB
# Stop collecting errors after this many: a file this broken needs to be redone anyway.
_MAX_ERRORS = 200

_FIRST_ROW = 2  # row 1 is the header
_MAX_COLUMNS = 16384  # Excel's last column, XFD
_LAST_ROW = _FIRST_ROW + MAX_MEASURES - 1

_WORKBOOK_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
}
_FORBIDDEN_PARTS = (
    ("vbaproject", "het bestand bevat macro's (vbaProject.bin); lever een .xlsx zonder macro's"),
    ("vbadata", "het bestand bevat macro's; lever een .xlsx zonder macro's"),
    ("xl/activex/", "het bestand bevat ActiveX-besturingselementen"),
    ("xl/embeddings/", "het bestand bevat ingesloten objecten of bestanden"),
    ("xl/externallinks/", "het bestand bevat koppelingen naar andere bestanden"),
    ("xl/connections.xml", "het bestand bevat gegevensverbindingen"),
)
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DATE_TEXT = (
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), ("y", "m", "d")),
)


# --- results ----------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class MeasureRow:
    """One measure from the workbook; empty text fields are ``""``, other empty fields None.

    ``budget`` holds one (year, amount in euro) pair per budget year of the template, in
    order; ``row`` is the sheet row it came from.
    """

    number: int
    name: str
    description: str = ""
    goals: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    domain: str | None = None
    reason: str | None = None
    status: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    budget: tuple[tuple[int, float | None], ...] = ()
    reach: int | None = None
    rationale: str = ""
    assumptions: str = ""
    alignment: str = ""
    indicators: str = ""
    evidence: str = ""
    row: int = 0

    @property
    def budget_by_year(self) -> dict[int, float | None]:
        """The budget as {year: amount}."""
        return dict(self.budget)


@dataclass(frozen=True)
class UitvraagResult:
    """What :func:`read_filled` found.

    ``measures`` holds every filled row, with values that failed a check left empty; apply
    them only when :attr:`ok`. ``sha256`` is the hash of the file as received (chain of
    custody).
    """

    directie: str
    template_version: str
    measures: list[MeasureRow]
    errors: list[CellError]
    sha256: str
    dossier_title: str = ""
    checksum: str = ""

    @property
    def ok(self) -> bool:
        """True when the file passed every check."""
        return not self.errors


ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Change:
    """One difference between two imports of the same uitvraag.

    For ``"added"`` and ``"removed"`` ``field`` is None and ``old`` / ``new`` is the whole
    :class:`MeasureRow` (or None); for ``"changed"`` they are the field's old and new value.
    """

    kind: ChangeKind
    measure: str
    field: str | None = None
    old: Any = None
    new: Any = None

    @property
    def label(self) -> str:
        """The Dutch name of the changed field, as in the workbook's header."""
        if self.field is None:
            return ""
        if self.field.startswith("budget_"):
            return f"Budget {self.field.removeprefix('budget_')} (€)"
        return _FIELD_LABELS.get(self.field, self.field)

    def __str__(self) -> str:
        if self.kind == "added":
            return f"Nieuwe maatregel: {self.measure}"
        if self.kind == "removed":
            return f"Maatregel vervallen: {self.measure}"
        return f"{self.measure}: {self.label} gewijzigd van {self.old!r} naar {self.new!r}"


# --- the workbook layout ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    key: str
    header: str
    kind: Literal["number", "text", "list", "money", "count", "date"]
    width: float
    max_len: int = TEXT_MAX
    list_key: str | None = None
    prompt: str = ""


@dataclass(frozen=True)
class _Spec:
    dossier_title: str
    directie: str
    goals: tuple[str, ...]
    target_groups: tuple[str, ...]
    domains: tuple[str, ...]
    template_version: str
    budget_years: tuple[int, ...]

    def lists(self) -> dict[str, tuple[str, ...]]:
        return {
            "goals": self.goals,
            "target_groups": self.target_groups,
            "domains": self.domains,
            "statuses": STATUSES,
            "reasons": REASONS,
        }


# Lijsten sheet: one list per column, in this order.
_LISTS = (
    ("goals", "Doelen"),
    ("target_groups", "Doelgroepen"),
    ("domains", "Domeinen"),
    ("statuses", "Status"),
    ("reasons", "Reden van opgave"),
)
_LIST_NOUN = {
    "goals": "doelen",
    "target_groups": "doelgroepen",
    "domains": "domeinen",
    "statuses": "statussen",
    "reasons": "redenen van opgave",
}
_META_KEYS = ("formaat", "sjabloonversie", "dossier", "directie", "begrotingsjaren")
_META_CHECKSUM = "controlegetal"

_FIELD_LABELS = {
    "name": "Naam maatregel",
    "description": "Omschrijving",
    "goals": "Doelen",
    "target_groups": "Doelgroepen",
    "domain": "Domein",
    "reason": "Reden van opgave",
    "status": "Status",
    "start": "Periode van",
    "end": "Periode tot",
    "reach": "Bereik (personen per jaar)",
    "rationale": "Onderbouwing",
    "assumptions": "Aannames",
    "alignment": "Aansluiting gemeentebreed beleid",
    "indicators": "Indicatoren",
    "evidence": "Bewijs en documenten",
}


def _columns(budget_years: Sequence[int]) -> tuple[_Column, ...]:
    cols: list[_Column] = [
        _Column("nr", "Nr.", "number", 6),
        _Column(
            "name",
            _FIELD_LABELS["name"],
            "text",
            32,
            NAME_MAX,
            prompt="Verplicht. De naam waaronder de maatregel of het programma bekend is.",
        ),
        _Column(
            "description",
            _FIELD_LABELS["description"],
            "text",
            45,
            prompt="Wat houdt de maatregel in: activiteiten, uitvoerders, werkwijze.",
        ),
    ]
    for i in range(1, N_GOALS + 1):
        cols.append(
            _Column(
                f"goal_{i}",
                f"Doel {i}",
                "list",
                28,
                list_key="goals",
                prompt="Kies uit de lijst het doel waaraan de maatregel bijdraagt.",
            )
        )
    for i in range(1, N_TARGET_GROUPS + 1):
        cols.append(
            _Column(
                f"target_group_{i}",
                f"Doelgroep {i}",
                "list",
                24,
                list_key="target_groups",
                prompt="Kies uit de lijst de doelgroep die de maatregel bereikt.",
            )
        )
    cols += [
        _Column(
            "domain",
            _FIELD_LABELS["domain"],
            "list",
            20,
            list_key="domains",
            prompt="Kies het domein.",
        ),
        _Column(
            "reason",
            _FIELD_LABELS["reason"],
            "list",
            20,
            list_key="reasons",
            prompt="Waarom is deze maatregel opgegeven: grootste impact, hoogste kosten of "
            "grootste doelgroep?",
        ),
        _Column(
            "status",
            _FIELD_LABELS["status"],
            "list",
            12,
            list_key="statuses",
            prompt="Gepland, lopend, afgerond of gestopt.",
        ),
        _Column(
            "start",
            _FIELD_LABELS["start"],
            "date",
            13,
            prompt="Begindatum (dd-mm-jjjj).",
        ),
        _Column(
            "end",
            _FIELD_LABELS["end"],
            "date",
            13,
            prompt="Einddatum (dd-mm-jjjj); leeg als de maatregel doorloopt.",
        ),
    ]
    for year in budget_years:
        cols.append(
            _Column(
                f"budget_{year}",
                f"Budget {year} (€)",
                "money",
                15,
                prompt=f"Het voor {year} begrote bedrag in euro's, alleen een getal (0 of meer).",
            )
        )
    cols += [
        _Column(
            "reach",
            _FIELD_LABELS["reach"],
            "count",
            16,
            prompt="Aantal personen (deelnemers, leerlingen, huishoudens) per jaar; "
            "een heel getal.",
        ),
        _Column(
            "rationale",
            _FIELD_LABELS["rationale"],
            "text",
            45,
            prompt="Waarom verwacht u dat de maatregel bijdraagt aan de doelen?",
        ),
        _Column(
            "assumptions",
            _FIELD_LABELS["assumptions"],
            "text",
            40,
            prompt="Welke veronderstellingen liggen onder de aanpak?",
        ),
        _Column(
            "alignment",
            _FIELD_LABELS["alignment"],
            "text",
            40,
            prompt="Hoe sluit de maatregel aan bij het coalitieakkoord en de Bestuursopdracht "
            "Tegengaan Kansenongelijkheid?",
        ),
        _Column(
            "indicators",
            _FIELD_LABELS["indicators"],
            "text",
            40,
            prompt="Waarmee volgt u voortgang en effect? Met nulwaarde en streefwaarde als die "
            "er zijn.",
        ),
        _Column(
            "evidence",
            _FIELD_LABELS["evidence"],
            "text",
            40,
            prompt="Documenten, evaluaties of onderzoeken die de onderbouwing steunen: titel en "
            "datum. Stuur ze mee.",
        ),
    ]
    return tuple(cols)


def _structure(spec: _Spec, headers: Sequence[str]) -> dict[str, Any]:
    return {
        "format": TEMPLATE_FORMAT,
        "version": spec.template_version,
        "dossier": spec.dossier_title,
        "directie": spec.directie,
        "budget_years": list(spec.budget_years),
        "lists": {key: list(values) for key, values in spec.lists().items()},
        "headers": list(headers),
        "rows": MAX_MEASURES,
    }


def _checksum(structure: dict[str, Any]) -> str:
    canonical = json.dumps(structure, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _clean_text(value: Any, what: str, max_len: int = LIST_ITEM_MAX) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what}: verwacht tekst, kreeg {type(value).__name__}")
    text = " ".join(value.split())
    if not text:
        raise ValueError(f"{what}: mag niet leeg zijn")
    if len(text) > max_len:
        raise ValueError(f"{what}: langer dan {max_len} tekens")
    if text.startswith("="):
        # openpyxl would write it as a formula; a spreadsheet would evaluate it.
        raise ValueError(f"{what}: mag niet met '=' beginnen")
    return text


def _clean_list(values: Sequence[str], what: str) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise ValueError(f"{what}: verwacht een lijst met teksten")
    items = tuple(_clean_text(v, f"{what} {i}") for i, v in enumerate(values, start=1))
    if not items:
        raise ValueError(f"{what}: geef minstens één waarde")
    if len(items) > LIST_MAX_ITEMS:
        raise ValueError(f"{what}: meer dan {LIST_MAX_ITEMS} waarden")
    folded = [item.casefold() for item in items]
    duplicates = sorted(
        {item for item, key in zip(items, folded, strict=True) if folded.count(key) > 1}
    )
    if duplicates:
        raise ValueError(f"{what}: dubbele waarden {', '.join(duplicates)}")
    return items


def _make_spec(
    *,
    dossier_title: str,
    directie: str,
    goals: Sequence[str],
    target_groups: Sequence[str],
    domains: Sequence[str],
    template_version: str,
    budget_years: Sequence[int],
) -> _Spec:
    years = tuple(budget_years)
    if not years or len(years) > 10:
        raise ValueError("begrotingsjaren: geef 1 tot 10 jaren")
    if not all(isinstance(y, int) and not isinstance(y, bool) and 1980 <= y <= 2100 for y in years):
        raise ValueError("begrotingsjaren: hele jaartallen tussen 1980 en 2100")
    if list(years) != sorted(set(years)):
        raise ValueError("begrotingsjaren: oplopend en zonder dubbele jaren")
    return _Spec(
        dossier_title=_clean_text(dossier_title, "dossiertitel"),
        directie=_clean_text(directie, "directie"),
        goals=_clean_list(goals, "doel"),
        target_groups=_clean_list(target_groups, "doelgroep"),
        domains=_clean_list(domains, "domein"),
        template_version=_clean_text(template_version, "sjabloonversie", 32),
        budget_years=years,
    )


def template_checksum(
    *,
    dossier_title: str,
    directie: str,
    goals: Sequence[str],
    target_groups: Sequence[str],
    domains: Sequence[str],
    template_version: str = "1",
    budget_years: Sequence[int] = DEFAULT_BUDGET_YEARS,
) -> str:
    """The structure checksum :func:`build_template` writes for these arguments.

    Store it with the sent template and pass it to :func:`read_filled` as
    ``expected_checksum``: the checksum in the Meta sheet only shows accidental changes (a
    determined editor could recompute it), the stored one also shows deliberate ones.
    """
    spec = _make_spec(
        dossier_title=dossier_title,
        directie=directie,
        goals=goals,
        target_groups=target_groups,
        domains=domains,
        template_version=template_version,
        budget_years=budget_years,
    )
    return _checksum(_structure(spec, [c.header for c in _columns(spec.budget_years)]))


# --- writing ----------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="004699")
_INPUT_FILL = PatternFill("solid", fgColor="FFFDE7")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)


def _set_text(cell: Any, text: str) -> None:
    # Explicit string type: openpyxl would otherwise turn text starting with "=" into a formula.
    set_text(cell, text)


def _protect(ws: Any) -> None:
    # Locked cells stay locked; users may still resize rows and columns to read long text.
    ws.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False)


def _write_info(
    ws: Any, spec: _Spec, deadline: dt.date | None, contact: str, municipality: str
) -> None:
    due = deadline.strftime("%d-%m-%Y") if deadline else "zie de begeleidende brief"
    lines: list[tuple[str, bool]] = [
        ("Uitvraag beleidsmaatregelen kansengelijkheid", True),
        ("", False),
        (f"Onderzoek: {spec.dossier_title}", False),
        (f"Directie: {spec.directie}", False),
        (f"Uiterste inleverdatum: {due}", False),
        (f"Contactpersoon Rekenkamer: {contact or 'zie de begeleidende brief'}", False),
        ("", False),
        ("Wat vragen we?", True),
        (
            f"De Rekenkamer onderzoekt welk beleid {municipality} voert om "
            "kansengelijkheid te bevorderen en hoe dit daaraan bijdraagt. Wij vragen uw directie "
            "om de beleidsmaatregelen en programma's die volgens u bijdragen aan "
            "kansengelijkheid.",
            False,
        ),
        (
            f"Geef op het werkblad '{SHEET_MEASURES}' maximaal tien maatregelen: de maatregelen "
            "met de meeste impact, de hoogste kosten of de grootste doelgroep. Geef bij 'Reden "
            "van opgave' aan waarom u de maatregel opgeeft.",
            False,
        ),
        ("", False),
        ("Hoe vult u het in?", True),
        (
            "Eén rij per maatregel. Alleen 'Naam maatregel' is verplicht. Weet u een antwoord "
            "niet, laat het veld dan leeg: ook dat is informatie voor het onderzoek.",
            False,
        ),
        (
            "Doelen, doelgroepen, domein, reden en status kiest u uit de keuzelijst in de cel. "
            "Staat een doel of doelgroep er niet bij, noem het dan bij 'Omschrijving' en neem "
            "contact met ons op.",
            False,
        ),
        (
            "Budget: het voor dat jaar begrote bedrag in euro's, alleen een getal (0 of meer). "
            "Bereik: het aantal personen dat de maatregel per jaar bereikt, een heel getal. "
            "Periode: begin- en einddatum (dd-mm-jjjj); laat 'Periode tot' leeg als de "
            "maatregel doorloopt.",
            False,
        ),
        (
            "Onderbouwing: waarom verwacht u dat de maatregel bijdraagt aan de doelen? "
            "Aannames: welke veronderstellingen liggen daaronder? Aansluiting: hoe past de "
            "maatregel in het gemeentebrede beleid? Indicatoren: waarmee volgt u voortgang en "
            "effect? Bewijs: welke documenten, evaluaties of onderzoeken steunen dit (titel en "
            "datum; stuur ze mee)?",
            False,
        ),
        (
            f"Teksten: maximaal {NAME_MAX} tekens voor de naam en {TEXT_MAX:,} voor de andere "
            "velden.".replace(",", "."),
            False,
        ),
        ("", False),
        ("Let op", True),
        (
            "Gebruik geen formules en voeg geen rijen, kolommen of werkbladen toe; wijzig de "
            "kopteksten niet. Het bestand wordt automatisch ingelezen en gecontroleerd; u "
            "krijgt eventuele fouten per werkblad, rij en kolom terug. Sla op als Excel-werkmap "
            "(.xlsx), niet als .xlsm of .csv.",
            False,
        ),
    ]
    ws.column_dimensions["A"].width = 110
    for row, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1)
        if text:
            _set_text(cell, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True, size=14 if row == 1 else 11)
    _protect(ws)


def _list_range(index: int, count: int) -> str:
    letter = get_column_letter(index)
    return f"{SHEET_LISTS}!${letter}$2:${letter}${count + 1}"


def _validation(column: _Column, spec: _Spec) -> DataValidation:
    common: dict[str, Any] = {
        "allow_blank": True,
        "showErrorMessage": True,
        "showInputMessage": bool(column.prompt),
        "errorTitle": "Ongeldige waarde",
        "promptTitle": column.header[:32],
        "prompt": column.prompt[:255] or None,
    }
    if column.kind == "list":
        keys = [key for key, _ in _LISTS]
        index = keys.index(column.list_key) + 1
        values = spec.lists()[column.list_key or ""]
        return DataValidation(
            type="list",
            formula1=_list_range(index, len(values)),
            error="Kies een waarde uit de keuzelijst.",
            **common,
        )
    if column.kind == "money":
        return DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2=str(int(BUDGET_MAX)),
            error="Vul een bedrag in euro's in: een getal van 0 of meer.",
            **common,
        )
    if column.kind == "count":
        return DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2=str(REACH_MAX),
            error="Vul een heel getal van 0 of meer in.",
            **common,
        )
    if column.kind == "date":
        return DataValidation(
            type="date",
            operator="between",
            formula1=str(int(to_excel(DATE_MIN))),
            formula2=str(int(to_excel(DATE_MAX))),
            error="Vul een datum in (dd-mm-jjjj).",
            **common,
        )
    return DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(column.max_len),
        error=f"Maximaal {column.max_len} tekens.",
        **common,
    )


def _write_measures(ws: Any, spec: _Spec, columns: Sequence[_Column]) -> None:
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        header = ws.cell(row=1, column=index)
        _set_text(header, column.header)
        header.font = _HEADER_FONT
        header.fill = _HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[letter].width = column.width
        if column.kind == "number":
            for number in range(1, MAX_MEASURES + 1):
                cell = ws.cell(row=_FIRST_ROW + number - 1, column=index, value=number)
                cell.alignment = Alignment(horizontal="center", vertical="top")
            continue
        for row in range(_FIRST_ROW, _LAST_ROW + 1):
            cell = ws.cell(row=row, column=index)
            cell.protection = _UNLOCKED
            cell.fill = _INPUT_FILL
            cell.alignment = _WRAP_TOP
            if column.kind == "money":
                cell.number_format = "#,##0.00"
            elif column.kind == "count":
                cell.number_format = "0"
            elif column.kind == "date":
                cell.number_format = "DD-MM-YYYY"
            elif column.kind == "text":
                cell.number_format = "@"
        validation = _validation(column, spec)
        ws.add_data_validation(validation)
        validation.add(f"{letter}{_FIRST_ROW}:{letter}{_LAST_ROW}")
    ws.row_dimensions[1].height = 45
    for row in range(_FIRST_ROW, _LAST_ROW + 1):
        ws.row_dimensions[row].height = 60
    ws.freeze_panes = "C2"
    _protect(ws)


def _write_lists(ws: Any, spec: _Spec) -> None:
    lists = spec.lists()
    for index, (key, title) in enumerate(_LISTS, start=1):
        _set_text(ws.cell(row=1, column=index), title)
        ws.column_dimensions[get_column_letter(index)].width = 40
        for row, value in enumerate(lists[key], start=2):
            _set_text(ws.cell(row=row, column=index), value)
    _protect(ws)


def _write_meta(ws: Any, spec: _Spec, checksum: str) -> None:
    values = (
        TEMPLATE_FORMAT,
        spec.template_version,
        spec.dossier_title,
        spec.directie,
        ",".join(str(y) for y in spec.budget_years),
    )
    _set_text(ws.cell(row=1, column=1), "sleutel")
    _set_text(ws.cell(row=1, column=2), "waarde")
    for row, (key, value) in enumerate(zip(_META_KEYS, values, strict=True), start=2):
        _set_text(ws.cell(row=row, column=1), key)
        _set_text(ws.cell(row=row, column=2), value)
    row = len(_META_KEYS) + 2
    _set_text(ws.cell(row=row, column=1), _META_CHECKSUM)
    _set_text(ws.cell(row=row, column=2), checksum)
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 70
    _protect(ws)


def build_template(
    *,
    dossier_title: str,
    directie: str,
    goals: list[str],
    target_groups: list[str],
    domains: list[str],
    template_version: str = "1",
    budget_years: Sequence[int] = DEFAULT_BUDGET_YEARS,
    deadline: dt.date | None = None,
    contact: str = "",
    municipality: str = "",
) -> bytes:
    """The uitvraag workbook (xlsx) for one directorate, in Dutch.

    Parameters
    ----------
    dossier_title : the audit's title, shown in the instructions
    directie : the directorate the workbook is for
    goals, target_groups, domains : the values of the dropdowns (at least one each, unique
        regardless of case, at most 200 characters, not starting with ``=``)
    template_version : version of this uitvraag; :func:`read_filled` can require it
    budget_years : one budget column per year, increasing
    deadline : the date by which the directorate returns the file, shown in the instructions
    contact : the Rekenkamer's contact person (name, e-mail), shown in the instructions
    municipality : the municipality's name ("Amsterdam"), shown in the instructions as "de
        gemeente Amsterdam"; empty: "de gemeente"

    Returns
    -------
    bytes
        The xlsx file. Sheets: ``Toelichting`` (instructions), ``Maatregelen`` (a header row
        and ten numbered rows to fill in, with dropdowns and value checks), ``Lijsten``
        (hidden; the dropdown values) and ``Meta`` (very hidden; version, directorate,
        dossier and a checksum of the structure). Headers, numbers, lists and meta are
        protected; the workbook structure is locked so no sheets are added or unhidden.

    Raises
    ------
    ValueError
        For an empty or invalid argument (message in Dutch).
    """
    spec = _make_spec(
        dossier_title=dossier_title,
        directie=directie,
        goals=goals,
        target_groups=target_groups,
        domains=domains,
        template_version=template_version,
        budget_years=budget_years,
    )
    if not isinstance(contact, str) or len(contact) > LIST_ITEM_MAX:
        raise ValueError(f"contactpersoon: tekst van hoogstens {LIST_ITEM_MAX} tekens")
    contact = " ".join(contact.split())
    if not isinstance(municipality, str) or len(municipality) > LIST_ITEM_MAX:
        raise ValueError(f"gemeente: tekst van hoogstens {LIST_ITEM_MAX} tekens")
    municipality = " ".join(municipality.split())
    columns = _columns(spec.budget_years)
    checksum = _checksum(_structure(spec, [c.header for c in columns]))

    wb = new_workbook()
    info = wb.active
    info.title = SHEET_INFO
    _write_info(
        info,
        spec,
        deadline,
        contact,
        f"de gemeente {municipality}" if municipality else "de gemeente",
    )
    _write_measures(wb.create_sheet(SHEET_MEASURES), spec, columns)
    lists = wb.create_sheet(SHEET_LISTS)
    _write_lists(lists, spec)
    lists.sheet_state = "hidden"
    meta = wb.create_sheet(SHEET_META)
    _write_meta(meta, spec, checksum)
    meta.sheet_state = "veryHidden"
    wb.active = 1  # open on the measures
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.creator = "Kansenaudit"
    wb.properties.title = f"Uitvraag {spec.directie}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading: the container -------------------------------------------------------------------


class _Refused(Exception):
    """The file is refused before openpyxl opens it; the message is Dutch."""


def _file_error(text: str) -> CellError:
    return CellError("", None, None, f"Bestand: {text}")


def _check_container(data: bytes, max_bytes: int) -> list[tuple[str, str]]:
    """Refuse a hostile or broken container; return the merged ranges (sheet, range)."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise _Refused("verwacht de inhoud van een bestand (bytes)")
    if len(data) == 0:
        raise _Refused("het bestand is leeg")
    if len(data) > max_bytes:
        raise _Refused(
            f"het bestand is {len(data) / MB:.1f} MB; maximaal {max_bytes / MB:.1f} MB".replace(
                ".", ","
            )
        )
    head = bytes(data[:8])
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise _Refused(
            "dit is een oud Excel-bestand (.xls) of een met een wachtwoord beveiligde werkmap; "
            "sla het op als Excel-werkmap (.xlsx) zonder wachtwoord"
        )
    if not head.startswith(b"PK\x03\x04"):
        raise _Refused(
            "dit is geen Excel-werkmap (.xlsx); gebruik het toegestuurde sjabloon en sla het op "
            "als .xlsx (niet als .csv of .xls)"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _Refused("het bestand is beschadigd (geen geldig ZIP-archief)") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > _MAX_MEMBERS:
            raise _Refused(f"het bestand heeft {len(infos)} onderdelen; maximaal {_MAX_MEMBERS}")
        declared = sum(info.file_size for info in infos)
        if declared > _MAX_UNZIPPED:
            raise _Refused(
                f"het bestand pakt uit tot {declared / MB:.0f} MB (maximaal "
                f"{_MAX_UNZIPPED / MB:.0f} MB); mogelijk een zip-bom"
            )
        for info in infos:
            name = info.filename.casefold()
            if info.flag_bits & 0x1:
                raise _Refused("het bestand bevat versleutelde onderdelen")
            if info.file_size >= _RATIO_MIN_BYTES:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > _MAX_RATIO:
                    raise _Refused(
                        f"onderdeel {info.filename[:80]!r} is {ratio:.0f} keer samengeperst; "
                        "mogelijk een zip-bom"
                    )
            for fragment, message in _FORBIDDEN_PARTS:
                if fragment in name:
                    raise _Refused(message)
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names:
            raise _Refused("dit is geen Excel-werkmap (.xlsx): [Content_Types].xml ontbreekt")
        budget = _MAX_UNZIPPED
        content_types = None
        roots: dict[str, Any] = {}
        merged: dict[str, list[str]] = {}
        for info in infos:
            if info.is_dir():
                continue
            content = _read_member(archive, info, budget)
            budget -= len(content)
            if _looks_like_xml(info.filename, content):
                root = _parse_xml(info.filename, content)
                if info.filename == "[Content_Types].xml":
                    content_types = root
                elif info.filename in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
                    roots[info.filename] = root
                refs = _merged_refs(root)
                if refs:
                    merged[info.filename] = refs
        _check_content_types(content_types)
    return _merged_by_sheet(merged, roots)


def _merged_refs(root: Any) -> list[str]:
    # openpyxl's streaming reader ignores <mergeCells>, so merged cells are found here: in a
    # merged range only the first cell keeps its value and the others silently read as empty.
    if not str(root.tag).endswith("}worksheet"):
        return []
    return [
        str(node.get("ref", ""))
        for node in root.iter()
        if str(node.tag).endswith("}mergeCell") and node.get("ref")
    ]


def _merged_by_sheet(merged: dict[str, list[str]], roots: dict[str, Any]) -> list[tuple[str, str]]:
    """(sheet name, range) of every merged range, sheets named as in the workbook."""
    if not merged:
        return []
    targets: dict[str, str] = {}
    rels = roots.get("xl/_rels/workbook.xml.rels")
    for node in rels.iter() if rels is not None else ():
        if str(node.tag).endswith("}Relationship"):
            target = str(node.get("Target", ""))
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[str(node.get("Id", ""))] = part
    names: dict[str, str] = {}
    workbook = roots.get("xl/workbook.xml")
    for node in workbook.iter() if workbook is not None else ():
        if str(node.tag).endswith("}sheet"):
            rid = next((v for k, v in node.attrib.items() if k.endswith("}id")), "")
            if rid in targets:
                names[targets[rid]] = str(node.get("name", ""))
    return [(names.get(part, part), ref) for part in sorted(merged) for ref in merged[part]]


def _looks_like_xml(name: str, content: bytes) -> bool:
    # Parts are found through relationships, not by name, so a worksheet could hide behind
    # another extension: anything that starts like XML (after a BOM, in UTF-8 or UTF-16) is
    # checked as XML. Images and other binary parts do not start with "<".
    if name.casefold().endswith(_XML_SUFFIXES):
        return True
    return content.lstrip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe")[:1] == b"<"


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    # A bounded read: a member that inflates beyond what it declared, or beyond what is left
    # of the total budget, is never held in memory in full.
    cap = min(info.file_size, budget)
    try:
        with archive.open(info) as member:
            content = member.read(cap + 1)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError) as exc:
        raise _Refused(f"onderdeel {info.filename[:80]!r} is beschadigd") from exc
    except NotImplementedError as exc:
        raise _Refused(
            f"onderdeel {info.filename[:80]!r} gebruikt een onbekende compressie"
        ) from exc
    if len(content) > cap:
        raise _Refused(
            f"onderdeel {info.filename[:80]!r} is groter dan opgegeven; mogelijk een zip-bom"
        )
    return content


def _parse_xml(name: str, content: bytes) -> Any:
    try:
        return SafeET.fromstring(
            content, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise _Refused(
            f"onderdeel {name[:80]!r} bevat een DTD of entiteiten ({type(exc).__name__}); "
            "zulke XML wordt niet gelezen"
        ) from exc
    except (ParseError, ValueError) as exc:
        raise _Refused(f"onderdeel {name[:80]!r} is geen geldige XML") from exc


def _check_content_types(root: Any) -> None:
    main_types = [
        node.get("ContentType", "")
        for node in root
        if node.tag.endswith("Override") and node.get("ContentType", "").endswith(".main+xml")
    ]
    if any("macroenabled" in kind.casefold() for kind in main_types):
        raise _Refused("dit is een werkmap met macro's (.xlsm); lever een .xlsx zonder macro's")
    if not any(kind in _WORKBOOK_TYPES for kind in main_types):
        raise _Refused("dit is geen Excel-werkmap (.xlsx)")


# --- reading: the workbook ------------------------------------------------------------------


def _where(sheet: str, row: int, column: int, header: str | None = None) -> str:
    letter = get_column_letter(column)
    name = f" ({header})" if header else ""
    return f"Werkblad '{sheet}', rij {row}, kolom {letter}{name}"


class _Collector:
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
            self.errors.append(
                _file_error(f"meer dan {_MAX_ERRORS} fouten; het inlezen is gestopt")
            )

    def sheet(self, sheet: str, text: str, row: int | None = None) -> None:
        if self.full:
            return
        where = f"Werkblad '{sheet}'" + (f", rij {row}" if row is not None else "")
        self.errors.append(CellError(sheet, row, None, f"{where}: {text}"))

    def file(self, text: str) -> None:
        if not self.full:
            self.errors.append(_file_error(text))


def _rows(ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cells) for every row, in order, whatever the sheet's dimension claims."""
    # The <dimension> element is written by whoever saved the file; trusting it could hide
    # cells outside the claimed range.
    ws.reset_dimensions()
    yield from enumerate(ws.iter_rows(), start=1)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_formula(cell: Any) -> bool:
    if getattr(cell, "data_type", None) == "f":
        return True
    value = getattr(cell, "value", None)
    # Text that starts with "=" is refused too: exported again, it would become a formula.
    return isinstance(value, str) and value.lstrip().startswith("=")


_FORMULA = "formule niet toegestaan; vul een waarde in (ook geen tekst die met '=' begint)"


def _read_simple_sheet(
    ws: Any, sheet: str, errors: _Collector, max_col: int
) -> dict[int, list[Any]]:
    """Values by row of a protected sheet (Lijsten, Meta); formulas and stray cells are errors."""
    out: dict[int, list[Any]] = {}
    for number, cells in _rows(ws):
        values: list[Any] = []
        for index, cell in enumerate(cells, start=1):
            value = getattr(cell, "value", None)
            if _is_empty(value):
                values.append(None)
                continue
            if _is_formula(cell):
                errors.cell(sheet, number, index, None, _FORMULA)
                values.append(None)
                continue
            if index > max_col:
                errors.cell(
                    sheet, number, index, None, "onverwachte inhoud; dit werkblad is gewijzigd"
                )
                continue
            values.append(value)
        if any(v is not None for v in values):
            out[number] = values
        if errors.full:
            break
    return out


def _read_meta(ws: Any, errors: _Collector) -> tuple[dict[str, str], dict[str, int]]:
    rows = _read_simple_sheet(ws, SHEET_META, errors, 2)
    meta: dict[str, str] = {}
    where: dict[str, int] = {}
    for number, values in rows.items():
        key = values[0] if values else None
        value = values[1] if len(values) > 1 else None
        if isinstance(key, str):
            meta[key.strip()] = "" if value is None else str(value).strip()
            where[key.strip()] = number
    return meta, where


def _read_lists(ws: Any, errors: _Collector) -> dict[str, tuple[str, ...]]:
    rows = _read_simple_sheet(ws, SHEET_LISTS, errors, len(_LISTS))
    lists: dict[str, tuple[str, ...]] = {}
    for index, (key, title) in enumerate(_LISTS):
        header = rows.get(1, [])
        found = header[index] if index < len(header) else None
        if found != title:
            errors.cell(
                SHEET_LISTS, 1, index + 1, None, f"verwacht de kop {title!r}, gevonden {found!r}"
            )
        items: list[str] = []
        for number in sorted(n for n in rows if n > 1):
            values = rows[number]
            value = values[index] if index < len(values) else None
            if value is None:
                continue
            if number != len(items) + 2:
                errors.cell(
                    SHEET_LISTS, number, index + 1, None, "de lijst is gewijzigd (gat in de lijst)"
                )
            items.append(" ".join(str(value).split()))
        lists[key] = tuple(items)
    return lists


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


class _RowReader:
    """Parses the cells of one measure row into a :class:`MeasureRow`, collecting errors."""

    def __init__(
        self, columns: Sequence[_Column], lists: dict[str, tuple[str, ...]], errors: _Collector
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
            if _is_empty(raw):
                values[column.key] = None
                continue
            if _is_formula(cell):
                self._error(row, index, _FORMULA)
                values[column.key] = None
                continue
            if getattr(cell, "data_type", None) == "e":
                self._error(row, index, f"foutwaarde {raw} in de cel")
                values[column.key] = None
                continue
            values[column.key] = self._value(row, index, column, raw)
        return self._measure(row, values)

    def _value(self, row: int, index: int, column: _Column, raw: Any) -> Any:
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
                noun = _LIST_NOUN.get(column.list_key or "", "waarden")
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
            number=row - _FIRST_ROW + 1,
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


def _read_measures(
    ws: Any,
    columns: Sequence[_Column],
    lists: dict[str, tuple[str, ...]],
    errors: _Collector,
) -> tuple[list[str], list[MeasureRow]]:
    headers: list[str] = []
    measures: list[MeasureRow] = []
    reader = _RowReader(columns, lists, errors)
    width = len(columns)
    seen_rows = 0
    numbering_broken = False
    for number, cells in _rows(ws):
        seen_rows = number
        if errors.full:
            break
        # Anything right of the last column is outside the form.
        for index in range(width + 1, len(cells) + 1):
            cell = cells[index - 1]
            if not _is_empty(getattr(cell, "value", None)):
                errors.cell(
                    SHEET_MEASURES,
                    number,
                    index,
                    None,
                    "cel buiten het invulgebied; gebruik alleen de kolommen van het sjabloon",
                )
        if number == 1:
            for index, column in enumerate(columns, start=1):
                cell = cells[index - 1] if index - 1 < len(cells) else None
                found = getattr(cell, "value", None)
                headers.append("" if found is None else str(found))
                if _is_formula(cell):
                    errors.cell(SHEET_MEASURES, 1, index, column.header, _FORMULA)
                elif found != column.header:
                    errors.cell(
                        SHEET_MEASURES,
                        1,
                        index,
                        column.header,
                        f"de koptekst is gewijzigd: verwacht {column.header!r}, gevonden {found!r}",
                    )
            continue
        input_cells = cells[1:width]
        filled = any(not _is_empty(getattr(c, "value", None)) for c in input_cells)
        if number > _LAST_ROW:
            first = next(
                (
                    index
                    for index, cell in enumerate(cells[:width], start=1)
                    if not _is_empty(getattr(cell, "value", None))
                ),
                None,
            )
            if first is not None:
                errors.cell(
                    SHEET_MEASURES,
                    number,
                    first,
                    columns[first - 1].header,
                    f"meer dan tien maatregelen: rij {number} valt buiten de tien rijen van het "
                    "sjabloon; de uitvraag vraagt om maximaal tien maatregelen",
                )
            continue
        expected = number - _FIRST_ROW + 1
        nr_cell = cells[0] if cells else None
        nr = getattr(nr_cell, "value", None)
        if not numbering_broken and (
            _is_formula(nr_cell)
            or not (isinstance(nr, (int, float)) and not isinstance(nr, bool) and nr == expected)
        ):
            # Reported once: after an inserted row every following number is off as well.
            numbering_broken = True
            errors.cell(
                SHEET_MEASURES,
                number,
                1,
                columns[0].header,
                f"het volgnummer is gewijzigd (verwacht {expected}, gevonden {nr!r}); voeg geen "
                "rijen in en verwijder er geen",
            )
        if filled:
            measures.append(reader.read(number, cells))
    if seen_rows < _LAST_ROW and not errors.full:
        errors.sheet(
            SHEET_MEASURES,
            f"het werkblad heeft {max(seen_rows - 1, 0)} in plaats van {MAX_MEASURES} "
            "genummerde rijen; er zijn rijen verwijderd",
        )
    return headers, measures


def _check_duplicate_names(
    measures: Sequence[MeasureRow], columns: Sequence[_Column], errors: _Collector
) -> None:
    first: dict[str, MeasureRow] = {}
    index = next(i for i, c in enumerate(columns, start=1) if c.key == "name")
    for measure in measures:
        if not measure.name:
            continue
        key = _name_key(measure.name)
        if key in first:
            errors.cell(
                SHEET_MEASURES,
                measure.row,
                index,
                columns[index - 1].header,
                f"de naam {measure.name!r} komt al voor in rij {first[key].row}; geef elke "
                "maatregel een eigen naam",
            )
        else:
            first[key] = measure


def _open_workbook(data: bytes) -> Any:
    # openpyxl warns about workbook features it drops (extensions, print settings); they do not
    # matter for reading values, and the warnings would only clutter logs.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_workbook(
            io.BytesIO(data),
            read_only=True,
            data_only=False,
            keep_vba=False,
            keep_links=False,
            rich_text=False,
        )


def read_filled(
    data: bytes,
    *,
    max_bytes: int = MAX_BYTES,
    expected_version: str | None = None,
    expected_checksum: str | None = None,
) -> UitvraagResult:
    """Read and check a returned uitvraag workbook.

    Parameters
    ----------
    data : the uploaded file's bytes (untrusted)
    max_bytes : largest file accepted (10 MB)
    expected_version : when given, the workbook's template version must be this one
    expected_checksum : when given (from :func:`template_checksum` for the template that was
        sent), the workbook's structure must match it exactly: headers, lists, directorate,
        dossier, version and budget years

    Returns
    -------
    UitvraagResult
        The measures and every problem found, each with sheet, row and column and a Dutch
        message. ``result.ok`` only when there are no errors. Refused files (not an xlsx, too
        large, a zip bomb, macros, a DTD) give one file-level error and no measures.

    Notes
    -----
    Checked: the container (see the module docstring); the sheet names; the Meta sheet
    (format, version, checksum of the structure); the lists; the headers of the measures sheet;
    the ten row numbers; no content beyond ten measures or right of the last column; no
    formulas and no merged cells anywhere; per cell: required name, known goals / target
    groups / domain / reason / status (case and spacing are forgiven), budgets numbers ≥ 0,
    reach a whole number ≥ 0, dates valid and not ending before they start, texts not too
    long; and no two measures with the same name.
    """
    errors = _Collector()
    is_bytes = isinstance(data, (bytes, bytearray, memoryview))
    raw = bytes(data) if is_bytes else b""
    meta: dict[str, str] = {}
    measures: list[MeasureRow] = []
    merged: list[tuple[str, str]] = []
    try:
        merged = _check_container(data, max_bytes)
        wb = _open_workbook(raw)
    except _Refused as exc:
        errors.file(str(exc))
    except Exception:  # any parser failure means the same to the user
        errors.file("het bestand kan niet als Excel-werkmap worden gelezen")
    else:
        try:
            _report_merged(merged, errors)
            meta, measures = _read_workbook(
                wb, errors, expected_version=expected_version, expected_checksum=expected_checksum
            )
        except Exception:  # a malformed part that openpyxl only notices while streaming
            errors.file("het bestand kan niet als Excel-werkmap worden gelezen")
            measures = []
        finally:
            wb.close()
    return UitvraagResult(
        directie=meta.get("directie", ""),
        template_version=meta.get("sjabloonversie", ""),
        measures=measures,
        errors=errors.errors,
        sha256=hashlib.sha256(raw).hexdigest() if is_bytes else "",
        dossier_title=meta.get("dossier", ""),
        checksum=meta.get(_META_CHECKSUM, ""),
    )


def _report_merged(merged: Sequence[tuple[str, str]], errors: _Collector) -> None:
    for sheet, ref in merged:
        first = ref.split(":")[0]
        try:
            column, row = coordinate_from_string(first)
            index = column_index_from_string(column)
        except ValueError:
            errors.sheet(sheet, f"samengevoegde cellen ({ref}) zijn niet toegestaan")
            continue
        errors.cell(
            sheet,
            row,
            index,
            None,
            f"samengevoegde cellen ({ref}) zijn niet toegestaan; maak het samenvoegen ongedaan "
            "en vul elke cel apart in",
        )


def _check_sheet_names(names: Sequence[str], errors: _Collector) -> bool:
    """Report missing and unknown sheets; False when the workbook cannot be read further."""
    missing = [name for name in SHEETS if name not in names]
    for name in missing:
        errors.sheet(
            name,
            "dit werkblad ontbreekt; gebruik het toegestuurde sjabloon zonder werkbladen te "
            "hernoemen of te verwijderen",
        )
    for name in names:
        if name not in SHEETS:
            errors.sheet(name, "onbekend werkblad; voeg geen werkbladen toe")
    return not any(name in missing for name in (SHEET_MEASURES, SHEET_LISTS, SHEET_META))


def _read_workbook(
    wb: Any,
    errors: _Collector,
    *,
    expected_version: str | None,
    expected_checksum: str | None,
) -> tuple[dict[str, str], list[MeasureRow]]:
    names = list(wb.sheetnames)
    if not _check_sheet_names(names, errors):
        return {}, []

    meta, meta_rows = _read_meta(wb[SHEET_META], errors)
    if meta.get("formaat") != TEMPLATE_FORMAT:
        errors.sheet(
            SHEET_META,
            "dit bestand is geen uitvraagsjabloon van Kansenaudit of het werkblad Meta is "
            "gewijzigd",
        )
        return meta, []
    for key in (*_META_KEYS, _META_CHECKSUM):
        if not meta.get(key):
            errors.sheet(SHEET_META, f"de gegevens {key!r} ontbreken; het sjabloon is gewijzigd")
    version = meta.get("sjabloonversie", "")
    if expected_version is not None and version != expected_version:
        errors.cell(
            SHEET_META,
            meta_rows.get("sjabloonversie", 3),
            2,
            None,
            f"verkeerde sjabloonversie {version!r}; verwacht versie {expected_version!r}. "
            "Gebruik het laatst toegestuurde sjabloon",
        )
    try:
        years = tuple(int(y) for y in meta.get("begrotingsjaren", "").split(","))
    except ValueError:
        errors.cell(
            SHEET_META,
            meta_rows.get("begrotingsjaren", 6),
            2,
            None,
            "de begrotingsjaren zijn gewijzigd",
        )
        return meta, []

    lists = _read_lists(wb[SHEET_LISTS], errors)
    for key, fixed in (("statuses", STATUSES), ("reasons", REASONS)):
        if lists.get(key) != fixed:
            errors.sheet(SHEET_LISTS, f"de keuzelijst met {_LIST_NOUN[key]} is gewijzigd")
    columns = _columns(years)
    headers, measures = _read_measures(wb[SHEET_MEASURES], columns, lists, errors)
    if SHEET_INFO in names:
        # Only formulas matter here: the instructions are not read.
        _read_simple_sheet(wb[SHEET_INFO], SHEET_INFO, errors, _MAX_COLUMNS)

    structural = any(
        e.sheet in (SHEET_META, SHEET_LISTS) or (e.sheet == SHEET_MEASURES and e.row == 1)
        for e in errors.errors
    )
    if not structural:
        # The checksum is compared only when no more specific structural error was reported:
        # otherwise it would repeat that error less precisely.
        spec = _Spec(
            dossier_title=meta.get("dossier", ""),
            directie=meta.get("directie", ""),
            goals=lists.get("goals", ()),
            target_groups=lists.get("target_groups", ()),
            domains=lists.get("domains", ()),
            template_version=version,
            budget_years=years,
        )
        actual = _checksum(_structure(spec, headers))
        row = meta_rows.get(_META_CHECKSUM, len(_META_KEYS) + 2)
        if actual != meta.get(_META_CHECKSUM):
            errors.cell(
                SHEET_META,
                row,
                2,
                None,
                "het controlegetal klopt niet: de structuur van het sjabloon (kopteksten, "
                "keuzelijsten of gegevens) is gewijzigd",
            )
        elif expected_checksum is not None and actual != expected_checksum:
            errors.cell(
                SHEET_META,
                row,
                2,
                None,
                "dit is niet het sjabloon dat voor deze uitvraag is verstuurd (andere directie, "
                "keuzelijsten of versie)",
            )
    _check_duplicate_names(measures, columns, errors)
    return meta, measures


# --- comparing two imports ----------------------------------------------------------------------


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _comparable(measure: MeasureRow) -> dict[str, Any]:
    """The measure's fields in workbook order, budget split per year; number and row left out."""
    out: dict[str, Any] = {}
    for item in fields(MeasureRow):
        value = getattr(measure, item.name)
        if item.name in ("number", "row"):
            continue
        if item.name == "budget":
            for year, amount in value:
                out[f"budget_{year}"] = amount
        elif item.name in ("goals", "target_groups"):
            # The order over the three columns carries no meaning.
            out[item.name] = tuple(sorted(value))
        else:
            out[item.name] = value
    return out


def diff_measures(old: list[MeasureRow], new: list[MeasureRow]) -> list[Change]:
    """What changes when ``new`` (a re-import) replaces ``old``.

    Measures are matched by name, ignoring case and spacing; a renamed measure therefore shows
    as one removed and one added. Row numbers and the order of goals and target groups are
    ignored. A budget year present in only one import counts as empty in the other.

    Returns
    -------
    list of Change
        Removed measures first (in the old order), then per remaining measure its changed
        fields (in the new order, fields in workbook order), with added measures where they
        appear in the new list.

    Raises
    ------
    ValueError
        When one list has two measures with the same name (:func:`read_filled` reports those).

    Examples
    --------
    >>> a = MeasureRow(1, "Schoolmaatjes", status="lopend")
    >>> b = MeasureRow(1, "Schoolmaatjes", status="afgerond")
    >>> for change in diff_measures([a], [b, MeasureRow(2, "Zomerschool")]):
    ...     print(change)
    Schoolmaatjes: Status gewijzigd van 'lopend' naar 'afgerond'
    Nieuwe maatregel: Zomerschool
    """
    for label, items in (("old", old), ("new", new)):
        keys = [_name_key(m.name) for m in items]
        if len(set(keys)) != len(keys):
            raise ValueError(f"diff_measures: duplicate measure names in {label}")
    before = {_name_key(m.name): m for m in old}
    after_keys = {_name_key(m.name) for m in new}
    changes: list[Change] = [
        Change("removed", m.name, old=m) for m in old if _name_key(m.name) not in after_keys
    ]
    for measure in new:
        previous = before.get(_name_key(measure.name))
        if previous is None:
            changes.append(Change("added", measure.name, new=measure))
            continue
        a, b = _comparable(previous), _comparable(measure)
        ordered = [k for k in b if k in a] + [k for k in b if k not in a]
        ordered += [k for k in a if k not in b]
        for key in ordered:
            if a.get(key) != b.get(key):
                changes.append(Change("changed", measure.name, key, a.get(key), b.get(key)))
    return changes
