# SPDX-License-Identifier: EUPL-1.2
"""The uitvraag workbook's specification: sheets, columns, lists, limits and the structure checksum.

This is the one description of the workbook that everything else follows: the template writer
(:mod:`.template`), the validated reader (:mod:`.reader`), the re-import diff (:mod:`.diff`),
the web app's checks against the policy register, the demo workbooks and the tests. Code that
needs a column's header or letter asks :func:`measure_columns` or :func:`column_letters`
instead of copying the layout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from openpyxl.utils import get_column_letter

__all__ = [
    "DEFAULT_BUDGET_YEARS",
    "FIELD_LABELS",
    "FIRST_ROW",
    "LAST_ROW",
    "LISTS",
    "MAX_BYTES",
    "MAX_MEASURES",
    "REASONS",
    "SHEETS",
    "SHEET_INFO",
    "SHEET_LISTS",
    "SHEET_MEASURES",
    "SHEET_META",
    "STATUSES",
    "Column",
    "MeasureRow",
    "TemplateSpec",
    "column_letters",
    "make_spec",
    "measure_cells",
    "measure_columns",
    "name_key",
    "structure_checksum",
    "template_checksum",
    "template_structure",
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

FIRST_ROW = 2  # row 1 is the header
MAX_COLUMNS = 16384  # Excel's last column, XFD
LAST_ROW = FIRST_ROW + MAX_MEASURES - 1


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


# --- the workbook layout ----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the Maatregelen sheet: its key, Dutch header, kind of value and width."""

    key: str
    header: str
    kind: Literal["number", "text", "list", "money", "count", "date"]
    width: float
    max_len: int = TEXT_MAX
    list_key: str | None = None
    prompt: str = ""


@dataclass(frozen=True)
class TemplateSpec:
    """What one directorate's workbook is built from (checked by :func:`make_spec`)."""

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
LISTS = (
    ("goals", "Doelen"),
    ("target_groups", "Doelgroepen"),
    ("domains", "Domeinen"),
    ("statuses", "Status"),
    ("reasons", "Reden van opgave"),
)
LIST_NOUNS = {
    "goals": "doelen",
    "target_groups": "doelgroepen",
    "domains": "domeinen",
    "statuses": "statussen",
    "reasons": "redenen van opgave",
}
META_KEYS = ("formaat", "sjabloonversie", "dossier", "directie", "begrotingsjaren")
META_CHECKSUM = "controlegetal"

FIELD_LABELS = {
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


# The MeasureRow fields that fill one column each (goals, target groups and budget fill several).
_SINGLE_FIELDS = (
    "name",
    "description",
    "domain",
    "reason",
    "status",
    "start",
    "end",
    "rationale",
    "assumptions",
    "alignment",
    "indicators",
    "evidence",
)


def measure_columns(budget_years: Sequence[int]) -> tuple[Column, ...]:
    """The columns of the Maatregelen sheet, in order, for these budget years."""
    cols: list[Column] = [
        Column("nr", "Nr.", "number", 6),
        Column(
            "name",
            FIELD_LABELS["name"],
            "text",
            32,
            NAME_MAX,
            prompt="Verplicht. De naam waaronder de maatregel of het programma bekend is.",
        ),
        Column(
            "description",
            FIELD_LABELS["description"],
            "text",
            45,
            prompt="Wat houdt de maatregel in: activiteiten, uitvoerders, werkwijze.",
        ),
    ]
    for i in range(1, N_GOALS + 1):
        cols.append(
            Column(
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
            Column(
                f"target_group_{i}",
                f"Doelgroep {i}",
                "list",
                24,
                list_key="target_groups",
                prompt="Kies uit de lijst de doelgroep die de maatregel bereikt.",
            )
        )
    cols += [
        Column(
            "domain",
            FIELD_LABELS["domain"],
            "list",
            20,
            list_key="domains",
            prompt="Kies het domein.",
        ),
        Column(
            "reason",
            FIELD_LABELS["reason"],
            "list",
            20,
            list_key="reasons",
            prompt="Waarom is deze maatregel opgegeven: grootste impact, hoogste kosten of "
            "grootste doelgroep?",
        ),
        Column(
            "status",
            FIELD_LABELS["status"],
            "list",
            12,
            list_key="statuses",
            prompt="Gepland, lopend, afgerond of gestopt.",
        ),
        Column(
            "start",
            FIELD_LABELS["start"],
            "date",
            13,
            prompt="Begindatum (dd-mm-jjjj).",
        ),
        Column(
            "end",
            FIELD_LABELS["end"],
            "date",
            13,
            prompt="Einddatum (dd-mm-jjjj); leeg als de maatregel doorloopt.",
        ),
    ]
    for year in budget_years:
        cols.append(
            Column(
                f"budget_{year}",
                f"Budget {year} (€)",
                "money",
                15,
                prompt=f"Het voor {year} begrote bedrag in euro's, alleen een getal (0 of meer).",
            )
        )
    cols += [
        Column(
            "reach",
            FIELD_LABELS["reach"],
            "count",
            16,
            prompt="Aantal personen (deelnemers, leerlingen, huishoudens) per jaar; "
            "een heel getal.",
        ),
        Column(
            "rationale",
            FIELD_LABELS["rationale"],
            "text",
            45,
            prompt="Waarom verwacht u dat de maatregel bijdraagt aan de doelen?",
        ),
        Column(
            "assumptions",
            FIELD_LABELS["assumptions"],
            "text",
            40,
            prompt="Welke veronderstellingen liggen onder de aanpak?",
        ),
        Column(
            "alignment",
            FIELD_LABELS["alignment"],
            "text",
            40,
            prompt="Hoe sluit de maatregel aan bij het coalitieakkoord en de Bestuursopdracht "
            "Tegengaan Kansenongelijkheid?",
        ),
        Column(
            "indicators",
            FIELD_LABELS["indicators"],
            "text",
            40,
            prompt="Waarmee volgt u voortgang en effect? Met nulwaarde en streefwaarde als die "
            "er zijn.",
        ),
        Column(
            "evidence",
            FIELD_LABELS["evidence"],
            "text",
            40,
            prompt="Documenten, evaluaties of onderzoeken die de onderbouwing steunen: titel en "
            "datum. Stuur ze mee.",
        ),
    ]
    return tuple(cols)


def column_letters(budget_years: Sequence[int] = DEFAULT_BUDGET_YEARS) -> dict[str, str]:
    """{column key: column letter} of the Maatregelen sheet.

    >>> letters = column_letters()
    >>> letters["name"], letters["budget_2023"], letters["reach"]
    ('B', 'O', 'T')
    """
    return {
        column.key: get_column_letter(index)
        for index, column in enumerate(measure_columns(budget_years), start=1)
    }


def measure_cells(measure: MeasureRow) -> dict[str, Any]:
    """{column key: value} of a measure as it is filled in; empty values are left out.

    The inverse of the reader: :func:`~kansenaudit.policy.uitvraag.read_filled` reads these
    cells back into the same :class:`MeasureRow` (with its number and row).

    >>> row = MeasureRow(1, "Zomerschool", goals=("Minder uitval",), budget=((2024, 0.0),))
    >>> measure_cells(row)
    {'name': 'Zomerschool', 'goal_1': 'Minder uitval', 'budget_2024': 0.0}
    """
    values: dict[str, Any] = {}
    for key in _SINGLE_FIELDS:
        value = getattr(measure, key)
        if value:
            values[key] = value
    for i, goal in enumerate(measure.goals, start=1):
        values[f"goal_{i}"] = goal
    for i, group in enumerate(measure.target_groups, start=1):
        values[f"target_group_{i}"] = group
    for year, amount in measure.budget:
        if amount is not None:
            values[f"budget_{year}"] = amount
    if measure.reach is not None:
        values["reach"] = measure.reach
    return values


def template_structure(spec: TemplateSpec, headers: Sequence[str]) -> dict[str, Any]:
    """What the structure checksum covers: format, version, dossier, directorate, lists, headers."""
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


def structure_checksum(structure: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of :func:`template_structure`."""
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


def make_spec(
    *,
    dossier_title: str,
    directie: str,
    goals: Sequence[str],
    target_groups: Sequence[str],
    domains: Sequence[str],
    template_version: str,
    budget_years: Sequence[int],
) -> TemplateSpec:
    years = tuple(budget_years)
    if not years or len(years) > 10:
        raise ValueError("begrotingsjaren: geef 1 tot 10 jaren")
    if not all(isinstance(y, int) and not isinstance(y, bool) and 1980 <= y <= 2100 for y in years):
        raise ValueError("begrotingsjaren: hele jaartallen tussen 1980 en 2100")
    if list(years) != sorted(set(years)):
        raise ValueError("begrotingsjaren: oplopend en zonder dubbele jaren")
    return TemplateSpec(
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
    spec = make_spec(
        dossier_title=dossier_title,
        directie=directie,
        goals=goals,
        target_groups=target_groups,
        domains=domains,
        template_version=template_version,
        budget_years=budget_years,
    )
    headers = [c.header for c in measure_columns(spec.budget_years)]
    return structure_checksum(template_structure(spec, headers))


def name_key(name: str) -> str:
    """How measures are matched: by name, ignoring case and spacing.

    >>> name_key("  School maatjes ") == name_key("school   MAATJES")
    True
    """
    return " ".join(name.split()).casefold()
