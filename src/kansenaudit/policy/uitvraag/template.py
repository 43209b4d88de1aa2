# SPDX-License-Identifier: EUPL-1.2
"""Writing the uitvraag workbook: :func:`build_template`."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection

from kansenaudit.policy.uitvraag.spec import (
    BUDGET_MAX,
    DATE_MAX,
    DATE_MIN,
    DEFAULT_BUDGET_YEARS,
    FIRST_ROW,
    LAST_ROW,
    LIST_ITEM_MAX,
    LISTS,
    MAX_MEASURES,
    META_CHECKSUM,
    META_KEYS,
    NAME_MAX,
    REACH_MAX,
    SHEET_INFO,
    SHEET_LISTS,
    SHEET_MEASURES,
    SHEET_META,
    TEMPLATE_FORMAT,
    TEXT_MAX,
    Column,
    TemplateSpec,
    make_spec,
    measure_columns,
    structure_checksum,
    template_structure,
)
from kansenaudit.reporting.tables import new_workbook, set_text

__all__ = ["build_template"]

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
    ws: Any, spec: TemplateSpec, deadline: dt.date | None, contact: str, municipality: str
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


def _validation(column: Column, spec: TemplateSpec) -> DataValidation:
    common: dict[str, Any] = {
        "allow_blank": True,
        "showErrorMessage": True,
        "showInputMessage": bool(column.prompt),
        "errorTitle": "Ongeldige waarde",
        "promptTitle": column.header[:32],
        "prompt": column.prompt[:255] or None,
    }
    if column.kind == "list":
        keys = [key for key, _ in LISTS]
        index = keys.index(column.list_key or "") + 1
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


def _write_measures(ws: Any, spec: TemplateSpec, columns: Sequence[Column]) -> None:
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
                cell = ws.cell(row=FIRST_ROW + number - 1, column=index, value=number)
                cell.alignment = Alignment(horizontal="center", vertical="top")
            continue
        for row in range(FIRST_ROW, LAST_ROW + 1):
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
        validation.add(f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}")
    ws.row_dimensions[1].height = 45
    for row in range(FIRST_ROW, LAST_ROW + 1):
        ws.row_dimensions[row].height = 60
    ws.freeze_panes = "C2"
    _protect(ws)


def _write_lists(ws: Any, spec: TemplateSpec) -> None:
    lists = spec.lists()
    for index, (key, title) in enumerate(LISTS, start=1):
        _set_text(ws.cell(row=1, column=index), title)
        ws.column_dimensions[get_column_letter(index)].width = 40
        for row, value in enumerate(lists[key], start=2):
            _set_text(ws.cell(row=row, column=index), value)
    _protect(ws)


def _write_meta(ws: Any, spec: TemplateSpec, checksum: str) -> None:
    values = (
        TEMPLATE_FORMAT,
        spec.template_version,
        spec.dossier_title,
        spec.directie,
        ",".join(str(y) for y in spec.budget_years),
    )
    _set_text(ws.cell(row=1, column=1), "sleutel")
    _set_text(ws.cell(row=1, column=2), "waarde")
    for row, (key, value) in enumerate(zip(META_KEYS, values, strict=True), start=2):
        _set_text(ws.cell(row=row, column=1), key)
        _set_text(ws.cell(row=row, column=2), value)
    row = len(META_KEYS) + 2
    _set_text(ws.cell(row=row, column=1), META_CHECKSUM)
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
    spec = make_spec(
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
    columns = measure_columns(spec.budget_years)
    checksum = structure_checksum(template_structure(spec, [c.header for c in columns]))

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
