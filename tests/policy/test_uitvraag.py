"""The uitvraag workbook: build it, fill it in as a directorate would, read it back; every
error class with its sheet, row and column; hostile files; the re-import diff."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile

import defusedxml
import pytest
from openpyxl import load_workbook

from kansenaudit.policy import uitvraag
from kansenaudit.policy.uitvraag import (
    MAX_MEASURES,
    REASONS,
    SHEETS,
    STATUSES,
    CellError,
    Change,
    MeasureRow,
    UitvraagResult,
    build_template,
    column_letters,
    diff_measures,
    read_filled,
    template_checksum,
)

GOALS = ["Betere schoolresultaten", "Minder schooluitval", "Meer kinderen naar de voorschool"]
GROUPS = ["Kinderen 0-4 jaar", "Leerlingen basisschool", "Ouders"]
DOMAINS = ["onderwijs", "jeugd", "armoede"]
SPEC = {
    "dossier_title": "Kansengelijkheid in Amsterdam",
    "directie": "Onderwijs",
    "goals": GOALS,
    "target_groups": GROUPS,
    "domains": DOMAINS,
}
YEARS = (2023, 2024, 2025, 2026, 2027)

# Column letters of the default layout (five budget years).
COL = column_letters()


@pytest.fixture(scope="module")
def template() -> bytes:
    return build_template(**SPEC, deadline=dt.date(2026, 2, 1), contact="J. Jansen, 020-1234567")


def fill(data: bytes, rows: dict[int, dict[str, object]], edit=None) -> bytes:
    """Fill in the workbook with openpyxl, as a directorate would in Excel.

    ``rows`` maps a measure number (1–10, so sheet row number + 1) to {column key: value};
    ``edit(wb)`` may change anything else before saving.
    """
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Maatregelen"]
    for number, values in rows.items():
        for key, value in values.items():
            ws[f"{COL[key]}{number + 1}"] = value
    if edit is not None:
        edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rezip(data: bytes, *, replace=None, add=None, drop=()) -> bytes:
    """The same ZIP with members replaced, added or dropped."""
    replace = replace or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def messages(result: UitvraagResult) -> list[str]:
    return [error.message for error in result.errors]


def only_error(result: UitvraagResult) -> CellError:
    assert len(result.errors) == 1, messages(result)
    return result.errors[0]


FULL = {
    "name": "Schoolmaatjes",
    "description": "Studenten begeleiden leerlingen in groep 7 en 8.",
    "goal_1": "Betere schoolresultaten",
    "goal_2": "Minder schooluitval",
    "target_group_1": "Leerlingen basisschool",
    "domain": "onderwijs",
    "reason": "grootste doelgroep",
    "status": "lopend",
    "start": dt.date(2022, 9, 1),
    "end": dt.date(2026, 7, 31),
    "budget_2023": 250_000,
    "budget_2024": 262_500.5,
    "budget_2025": 0,
    "reach": 1200,
    "rationale": "Begeleiding door rolmodellen vergroot motivatie.",
    "assumptions": "Studenten zijn beschikbaar; scholen werken mee.",
    "alignment": "Actielijn ongelijk investeren van de bestuursopdracht.",
    "indicators": "Doorstroom naar havo/vwo; nulmeting 2022.",
    "evidence": "Evaluatie Schoolmaatjes 2024 (OIS).",
}


def expected_full(number: int = 1) -> MeasureRow:
    return MeasureRow(
        number=number,
        name="Schoolmaatjes",
        description="Studenten begeleiden leerlingen in groep 7 en 8.",
        goals=("Betere schoolresultaten", "Minder schooluitval"),
        target_groups=("Leerlingen basisschool",),
        domain="onderwijs",
        reason="grootste doelgroep",
        status="lopend",
        start=dt.date(2022, 9, 1),
        end=dt.date(2026, 7, 31),
        budget=((2023, 250_000.0), (2024, 262_500.5), (2025, 0.0), (2026, None), (2027, None)),
        reach=1200,
        rationale="Begeleiding door rolmodellen vergroot motivatie.",
        assumptions="Studenten zijn beschikbaar; scholen werken mee.",
        alignment="Actielijn ongelijk investeren van de bestuursopdracht.",
        indicators="Doorstroom naar havo/vwo; nulmeting 2022.",
        evidence="Evaluatie Schoolmaatjes 2024 (OIS).",
        row=number + 1,
    )


# --- the generated workbook -------------------------------------------------------------------


def test_template_sheets_states_and_protection(template):
    wb = load_workbook(io.BytesIO(template))
    assert wb.sheetnames == list(SHEETS)
    assert [wb[name].sheet_state for name in SHEETS] == [
        "visible",
        "visible",
        "hidden",
        "veryHidden",
    ]
    assert wb.security.lockStructure
    ws = wb["Maatregelen"]
    assert ws.freeze_panes == "C2"
    assert ws.protection.sheet
    assert all(wb[name].protection.sheet for name in SHEETS)
    # Headers and row numbers are locked; the input cells are not.
    assert ws["B1"].protection.locked
    assert ws["A5"].protection.locked
    assert ws["A5"].value == 4
    assert not ws["B2"].protection.locked
    assert not ws["Y11"].protection.locked
    assert ws["B12"].protection.locked
    assert [ws[f"A{row}"].value for row in range(2, 12)] == list(range(1, 11))
    assert ws["A12"].value is None
    assert ws.column_dimensions["B"].width == 32
    assert ws.column_dimensions["U"].width == 45
    assert ws["B1"].value == "Naam maatregel"
    assert ws["O1"].value == "Budget 2023 (€)"
    assert ws["Y1"].value == "Bewijs en documenten"
    assert ws["Z1"].value is None


def test_template_dropdowns_and_value_checks(template):
    ws = load_workbook(io.BytesIO(template))["Maatregelen"]
    by_range = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    lists = {
        "D2:D11": "Lijsten!$A$2:$A$4",
        "E2:E11": "Lijsten!$A$2:$A$4",
        "F2:F11": "Lijsten!$A$2:$A$4",
        "G2:G11": "Lijsten!$B$2:$B$4",
        "I2:I11": "Lijsten!$B$2:$B$4",
        "J2:J11": "Lijsten!$C$2:$C$4",
        "K2:K11": "Lijsten!$E$2:$E$4",
        "L2:L11": "Lijsten!$D$2:$D$5",
    }
    for cells, formula in lists.items():
        dv = by_range[cells]
        assert (dv.type, dv.formula1, dv.showErrorMessage) == ("list", formula, True), cells
        assert dv.allow_blank
    for letter in "OPQRS":
        dv = by_range[f"{letter}2:{letter}11"]
        assert (dv.type, dv.operator, dv.formula1) == ("decimal", "between", "0")
    assert (by_range["T2:T11"].type, by_range["T2:T11"].formula1) == ("whole", "0")
    for letter in "MN":
        assert by_range[f"{letter}2:{letter}11"].type == "date"
    assert (by_range["B2:B11"].type, by_range["B2:B11"].formula1) == ("textLength", "200")
    assert all(dv.showErrorMessage for dv in by_range.values())
    # The same in the raw XML, as Excel reads it.
    xml = member(template, "xl/worksheets/sheet2.xml").decode()
    assert '<dataValidation sqref="D2:D11"' in xml
    assert "<formula1>Lijsten!$A$2:$A$4</formula1>" in xml


def test_template_lists_meta_and_instructions(template):
    wb = load_workbook(io.BytesIO(template))
    lists = wb["Lijsten"]
    assert [lists.cell(row=1, column=i).value for i in range(1, 6)] == [
        "Doelen",
        "Doelgroepen",
        "Domeinen",
        "Status",
        "Reden van opgave",
    ]
    assert [lists[f"A{r}"].value for r in range(2, 5)] == GOALS
    assert [lists[f"D{r}"].value for r in range(2, 6)] == list(STATUSES)
    assert [lists[f"E{r}"].value for r in range(2, 5)] == list(REASONS)
    meta = {row[0].value: row[1].value for row in wb["Meta"].iter_rows(min_row=2)}
    assert meta == {
        "formaat": "kansenaudit-uitvraag",
        "sjabloonversie": "1",
        "dossier": "Kansengelijkheid in Amsterdam",
        "directie": "Onderwijs",
        "begrotingsjaren": "2023,2024,2025,2026,2027",
        "controlegetal": template_checksum(**SPEC),
    }
    text = "\n".join(str(c.value) for c in wb["Toelichting"]["A"] if c.value)
    for phrase in (
        "Directie: Onderwijs",
        "maximaal tien maatregelen",
        "Uiterste inleverdatum: 01-02-2026",
        "Contactpersoon Rekenkamer: J. Jansen, 020-1234567",
        "Gebruik geen formules",
    ):
        assert phrase in text, phrase


def test_template_options():
    data = build_template(**SPEC, template_version="2b", budget_years=[2019, 2020])
    ws = load_workbook(io.BytesIO(data))["Maatregelen"]
    assert [ws["O1"].value, ws["P1"].value, ws["Q1"].value] == [
        "Budget 2019 (€)",
        "Budget 2020 (€)",
        "Bereik (personen per jaar)",
    ]
    result = read_filled(data, expected_version="2b")
    assert result.ok, messages(result)
    assert result.template_version == "2b"
    text = "\n".join(
        str(c.value) for c in load_workbook(io.BytesIO(data))["Toelichting"]["A"] if c.value
    )
    assert "Uiterste inleverdatum: zie de begeleidende brief" in text
    assert "welk beleid de gemeente voert" in text
    assert "de gemeente Amsterdam" not in text


def test_template_names_the_municipality_under_audit():
    data = build_template(**SPEC, municipality="  Voorbeeldstad ")
    text = "\n".join(
        str(c.value) for c in load_workbook(io.BytesIO(data))["Toelichting"]["A"] if c.value
    )
    assert "welk beleid de gemeente Voorbeeldstad voert" in text
    with pytest.raises(ValueError, match="gemeente: tekst van hoogstens"):
        build_template(**SPEC, municipality="x" * 201)


def test_text_that_looks_like_a_formula_is_written_as_text():
    data = build_template(**{**SPEC, "directie": "+Onderwijs @ Stad"})
    sheet = member(data, "xl/worksheets/sheet4.xml").decode()
    assert "<f>" not in sheet
    assert read_filled(data).directie == "+Onderwijs @ Stad"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"goals": []}, "doel: geef minstens één waarde"),
        ({"goals": ["Lezen", "lezen "]}, "dubbele waarden"),
        ({"domains": ['=HYPERLINK("x")']}, "mag niet met '=' beginnen"),
        ({"target_groups": "Ouders"}, "verwacht een lijst"),
        ({"directie": "  "}, "directie: mag niet leeg zijn"),
        ({"dossier_title": "x" * 201}, "langer dan 200"),
        ({"budget_years": [2024, 2023]}, "oplopend"),
        ({"budget_years": []}, "1 tot 10 jaren"),
        ({"budget_years": [1850]}, "tussen 1980 en 2100"),
    ],
)
def test_template_arguments_are_checked(change, message):
    with pytest.raises(ValueError, match=message):
        build_template(**{**SPEC, **change})


# --- round trip -------------------------------------------------------------------------------


def test_empty_template_reads_as_no_measures(template):
    result = read_filled(template)
    assert result.ok
    assert result.measures == []
    assert (result.directie, result.template_version, result.dossier_title) == (
        "Onderwijs",
        "1",
        "Kansengelijkheid in Amsterdam",
    )


def test_round_trip(template):
    second = {
        "name": "  Zomerschool ",
        "goal_1": "minder SCHOOLUITVAL",  # case and spacing are forgiven
        "target_group_1": "Ouders",
        "target_group_3": "Kinderen 0-4 jaar",
        "status": "Gepland",
        "start": "01-07-2026",  # text dates in Dutch or ISO order are accepted
        "end": "2026-08-15",
        "reach": 300.0,
    }
    filled = fill(template, {1: FULL, 4: second})
    result = read_filled(filled, expected_version="1", expected_checksum=template_checksum(**SPEC))
    assert result.ok, messages(result)
    assert result.measures == [
        expected_full(),
        MeasureRow(
            number=4,
            name="Zomerschool",
            goals=("Minder schooluitval",),
            target_groups=("Ouders", "Kinderen 0-4 jaar"),
            status="gepland",
            start=dt.date(2026, 7, 1),
            end=dt.date(2026, 8, 15),
            budget=tuple((year, None) for year in YEARS),
            reach=300,
            row=5,
        ),
    ]
    assert result.measures[0].budget_by_year[2024] == 262_500.5
    assert len(result.sha256) == 64
    assert result.checksum == template_checksum(**SPEC)


def test_ten_measures_is_the_maximum_and_allowed(template):
    rows = {n: {"name": f"Maatregel {n}", "budget_2025": n * 1000} for n in range(1, 11)}
    result = read_filled(fill(template, rows))
    assert result.ok, messages(result)
    assert [m.name for m in result.measures] == [f"Maatregel {n}" for n in range(1, 11)]
    assert len(result.measures) == MAX_MEASURES


# --- every error class, with sheet, row and column ----------------------------------------------


def test_missing_name(template):
    error = only_error(read_filled(fill(template, {2: {"description": "Zonder naam"}})))
    assert (error.sheet, error.row, error.column) == ("Maatregelen", 3, "B")
    assert error.message == (
        "Werkblad 'Maatregelen', rij 3, kolom B (Naam maatregel): de naam van de maatregel is "
        "verplicht"
    )
    assert str(error) == error.message


def test_more_than_ten_measures(template):
    def eleventh(wb):
        wb["Maatregelen"]["B12"] = "Elfde maatregel"
        wb["Maatregelen"]["U40"] = "nog een"

    result = read_filled(fill(template, {1: {"name": "Eerste"}}, edit=eleventh))
    assert messages(result) == [
        "Werkblad 'Maatregelen', rij 12, kolom B (Naam maatregel): meer dan tien maatregelen: "
        "rij 12 valt buiten de tien rijen van het sjabloon; de uitvraag vraagt om maximaal tien "
        "maatregelen",
        "Werkblad 'Maatregelen', rij 40, kolom U (Onderbouwing): meer dan tien maatregelen: "
        "rij 40 valt buiten de tien rijen van het sjabloon; de uitvraag vraagt om maximaal tien "
        "maatregelen",
    ]
    assert [m.name for m in result.measures] == ["Eerste"]


def test_inserted_rows_are_found(template):
    rows = {n: {"name": f"Maatregel {n}"} for n in range(1, 11)}

    def insert(wb):
        wb["Maatregelen"].insert_rows(4)
        wb["Maatregelen"]["B4"] = "Ingevoegd"

    result = read_filled(fill(template, rows, edit=insert))
    # The numbering is reported once, where it first goes wrong; the tenth measure is pushed
    # out of the form.
    assert messages(result) == [
        "Werkblad 'Maatregelen', rij 4, kolom A (Nr.): het volgnummer is gewijzigd (verwacht 3, "
        "gevonden None); voeg geen rijen in en verwijder er geen",
        "Werkblad 'Maatregelen', rij 12, kolom A (Nr.): meer dan tien maatregelen: rij 12 valt "
        "buiten de tien rijen van het sjabloon; de uitvraag vraagt om maximaal tien maatregelen",
    ]


def test_deleted_rows_are_found(template):
    # openpyxl, like Excel, leaves an empty row 11 behind: its number is missing.
    result = read_filled(fill(template, {}, edit=lambda wb: wb["Maatregelen"].delete_rows(11)))
    assert messages(result) == [
        "Werkblad 'Maatregelen', rij 11, kolom A (Nr.): het volgnummer is gewijzigd (verwacht 10, "
        "gevonden None); voeg geen rijen in en verwijder er geen"
    ]


def test_missing_rows_are_found(template):
    sheet = member(template, "xl/worksheets/sheet2.xml").decode()
    start = sheet.index('<row r="10"')
    end = sheet.index("</sheetData>")
    short = sheet[:start] + sheet[end:]
    result = read_filled(rezip(template, replace={"xl/worksheets/sheet2.xml": short.encode()}))
    assert messages(result) == [
        "Werkblad 'Maatregelen': het werkblad heeft 8 in plaats van 10 genummerde rijen; er zijn "
        "rijen verwijderd"
    ]


@pytest.mark.parametrize(
    ("key", "value", "column", "text"),
    [
        (
            "goal_2",
            "Betere huisvesting",
            "E (Doel 2)",
            "'Betere huisvesting' staat niet in de keuzelijst met doelen",
        ),
        (
            "target_group_1",
            "Senioren",
            "G (Doelgroep 1)",
            "'Senioren' staat niet in de keuzelijst met doelgroepen",
        ),
        ("domain", "wonen", "J (Domein)", "'wonen' staat niet in de keuzelijst met domeinen"),
        (
            "status",
            "bijna klaar",
            "L (Status)",
            "'bijna klaar' staat niet in de keuzelijst met statussen",
        ),
        (
            "reason",
            "politieke wens",
            "K (Reden van opgave)",
            "'politieke wens' staat niet in de keuzelijst met redenen van opgave",
        ),
        (
            "budget_2024",
            -5,
            "P (Budget 2024 (€))",
            "negatief bedrag (-5); vul 0 of meer in",
        ),
        (
            "budget_2025",
            "ca. 1 mln",
            "Q (Budget 2025 (€))",
            "'ca. 1 mln' is geen getal; vul een bedrag in euro's in",
        ),
        (
            "budget_2026",
            True,
            "R (Budget 2026 (€))",
            "'True' is geen getal; vul een bedrag in euro's in",
        ),
        (
            "budget_2027",
            2e11,
            "S (Budget 2027 (€))",
            "onwaarschijnlijk hoog bedrag (meer dan 100 miljard euro); controleer de eenheid "
            "(euro's)",
        ),
        ("reach", 12.5, "T (Bereik (personen per jaar))", "'12,5' is geen heel getal"),
        ("reach", -1, "T (Bereik (personen per jaar))", "-1 ligt niet tussen 0 en 100.000.000"),
        ("reach", "veel", "T (Bereik (personen per jaar))", "'veel' is geen heel getal"),
        (
            "start",
            "31-02-2024",
            "M (Periode van)",
            "'31-02-2024' is geen geldige datum; vul dd-mm-jjjj in",
        ),
        (
            "start",
            "binnenkort",
            "M (Periode van)",
            "'binnenkort' is geen geldige datum; vul dd-mm-jjjj in",
        ),
        (
            "end",
            dt.date(1975, 1, 1),
            "N (Periode tot)",
            "datum 01-01-1975 ligt niet tussen 01-01-1980 en 31-12-2100",
        ),
        ("name", "x" * 201, "B (Naam maatregel)", "tekst te lang: 201 tekens, maximaal 200"),
        (
            "evidence",
            "y" * 4001,
            "Y (Bewijs en documenten)",
            "tekst te lang: 4001 tekens, maximaal 4000",
        ),
        ("indicators", "#DIV/0!", "X (Indicatoren)", "foutwaarde #DIV/0! in de cel"),
    ],
)
def test_cell_errors(template, key, value, column, text):
    row = {**FULL, key: value}
    result = read_filled(fill(template, {3: row}))
    assert messages(result) == [f"Werkblad 'Maatregelen', rij 4, kolom {column}: {text}"]
    error = result.errors[0]
    assert (error.sheet, error.row, error.column) == ("Maatregelen", 4, column[0])
    # The rest of the row is still read; the bad value is left empty.
    measure = result.measures[0]
    assert measure.number == 3
    if key == "budget_2024":
        assert measure.budget_by_year == {
            2023: 250_000,
            2024: None,
            2025: 0,
            2026: None,
            2027: None,
        }


def test_end_before_start(template):
    row = {**FULL, "start": dt.date(2025, 1, 1), "end": dt.date(2024, 12, 31)}
    assert messages(read_filled(fill(template, {1: row}))) == [
        "Werkblad 'Maatregelen', rij 2, kolom N (Periode tot): de einddatum 31-12-2024 ligt vóór "
        "de begindatum 01-01-2025"
    ]


def test_same_goal_twice_in_a_row(template):
    row = {**FULL, "goal_3": "betere schoolresultaten"}
    assert messages(read_filled(fill(template, {1: row}))) == [
        "Werkblad 'Maatregelen', rij 2, kolom F (Doel 3): 'Betere schoolresultaten' is in deze "
        "rij al gekozen"
    ]


def test_duplicate_measure_names(template):
    result = read_filled(fill(template, {1: {"name": "Zomerschool"}, 5: {"name": "zomerschool "}}))
    assert messages(result) == [
        "Werkblad 'Maatregelen', rij 6, kolom B (Naam maatregel): de naam 'zomerschool' komt al "
        "voor in rij 2; geef elke maatregel een eigen naam"
    ]


@pytest.mark.parametrize(
    ("key", "value", "letter", "header"),
    [
        ("name", "=1+1", "B", "Naam maatregel"),
        ("budget_2023", "=SUM(P2:Q2)", "O", "Budget 2023 (€)"),
        ("description", '=HYPERLINK("http://voorbeeld.invalid","klik")', "C", "Omschrijving"),
    ],
)
def test_formulas_are_refused(template, key, value, letter, header):
    result = read_filled(fill(template, {1: {**FULL, key: value}}))
    assert messages(result) == [
        f"Werkblad 'Maatregelen', rij 2, kolom {letter} ({header}): formule niet toegestaan; "
        "vul een waarde in (ook geen tekst die met '=' begint)"
    ]


def test_text_starting_with_equals_is_refused_as_a_formula(template):
    def as_text(wb):
        cell = wb["Maatregelen"]["C2"]
        cell.value = "=cmd|' /C calc'!A0"
        cell.data_type = "s"  # stored as a string, as Excel does after a leading apostrophe

    result = read_filled(fill(template, {1: {"name": "X"}}, edit=as_text))
    assert messages(result) == [
        "Werkblad 'Maatregelen', rij 2, kolom C (Omschrijving): formule niet toegestaan; vul "
        "een waarde in (ook geen tekst die met '=' begint)"
    ]
    assert (
        "<f>"
        not in member(
            fill(template, {1: {"name": "X"}}, edit=as_text), "xl/worksheets/sheet2.xml"
        ).decode()
    )


def test_formula_in_a_hidden_sheet_is_refused(template):
    def lists(wb):
        wb["Lijsten"]["A2"] = '=INDIRECT("Maatregelen!B2")'

    result = read_filled(fill(template, {}, edit=lists))
    assert messages(result)[0] == (
        "Werkblad 'Lijsten', rij 2, kolom A: formule niet toegestaan; vul een waarde in (ook geen "
        "tekst die met '=' begint)"
    )
    assert not result.ok


def test_cell_outside_the_form(template):
    result = read_filled(
        fill(template, {1: {"name": "X"}}, edit=lambda wb: wb["Maatregelen"].cell(2, 27, "extra"))
    )
    assert messages(result) == [
        "Werkblad 'Maatregelen', rij 2, kolom AA: cel buiten het invulgebied; gebruik alleen de "
        "kolommen van het sjabloon"
    ]


def test_changed_header(template):
    def rename(wb):
        wb["Maatregelen"]["P1"] = "Budget 2024 (k€)"

    result = read_filled(fill(template, {}, edit=rename))
    assert messages(result) == [
        "Werkblad 'Maatregelen', rij 1, kolom P (Budget 2024 (€)): de koptekst is gewijzigd: "
        "verwacht 'Budget 2024 (€)', gevonden 'Budget 2024 (k€)'"
    ]


@pytest.mark.parametrize(
    "edit",
    [
        lambda wb: wb["Lijsten"].__setitem__("A5", "Zelfbedacht doel"),
        lambda wb: wb["Lijsten"].__setitem__("B2", "Alle Amsterdammers"),
        lambda wb: wb["Meta"].__setitem__("B5", "Jeugd"),
        lambda wb: wb["Meta"].__setitem__("B4", "Ander onderzoek"),
    ],
    ids=["goal-added", "group-renamed", "directie-changed", "dossier-changed"],
)
def test_tampered_structure_fails_the_checksum(template, edit):
    result = read_filled(fill(template, {}, edit=edit))
    assert messages(result) == [
        "Werkblad 'Meta', rij 7, kolom B: het controlegetal klopt niet: de structuur van het "
        "sjabloon (kopteksten, keuzelijsten of gegevens) is gewijzigd"
    ]


def test_recomputed_checksum_is_caught_by_the_expected_checksum(template):
    """A directie that recomputes the checksum after adding a goal still does not pass."""
    other = build_template(**{**SPEC, "goals": [*GOALS, "Zelfbedacht doel"]})
    assert read_filled(other).ok
    result = read_filled(other, expected_checksum=template_checksum(**SPEC))
    assert messages(result) == [
        "Werkblad 'Meta', rij 7, kolom B: dit is niet het sjabloon dat voor deze uitvraag is "
        "verstuurd (andere directie, keuzelijsten of versie)"
    ]


def test_wrong_template_version(template):
    result = read_filled(template, expected_version="2")
    assert messages(result) == [
        "Werkblad 'Meta', rij 3, kolom B: verkeerde sjabloonversie '1'; verwacht versie '2'. "
        "Gebruik het laatst toegestuurde sjabloon"
    ]
    assert result.template_version == "1"


def test_changed_fixed_list(template):
    result = read_filled(
        fill(template, {}, edit=lambda wb: wb["Lijsten"].__setitem__("D6", "on hold"))
    )
    assert "Werkblad 'Lijsten': de keuzelijst met statussen is gewijzigd" in messages(result)


def test_wrong_sheet_names(template):
    def rename(wb):
        wb["Maatregelen"].title = "Blad1"

    result = read_filled(fill(template, {}, edit=rename))
    assert messages(result) == [
        "Werkblad 'Maatregelen': dit werkblad ontbreekt; gebruik het toegestuurde sjabloon "
        "zonder werkbladen te hernoemen of te verwijderen",
        "Werkblad 'Blad1': onbekend werkblad; voeg geen werkbladen toe",
    ]
    assert result.measures == []


def test_extra_sheet(template):
    result = read_filled(fill(template, {}, edit=lambda wb: wb.create_sheet("Notities")))
    assert messages(result) == ["Werkblad 'Notities': onbekend werkblad; voeg geen werkbladen toe"]


def test_not_our_workbook():
    from openpyxl import Workbook

    wb = Workbook()
    for name in SHEETS:
        wb.create_sheet(name)
    del wb["Sheet"]
    out = io.BytesIO()
    wb.save(out)
    result = read_filled(out.getvalue())
    assert messages(result) == [
        "Werkblad 'Meta': dit bestand is geen uitvraagsjabloon van Kansenaudit of het werkblad "
        "Meta is gewijzigd"
    ]


def test_a_lying_dimension_does_not_hide_cells(template):
    filled = fill(
        template,
        {1: {"name": "X"}},
        edit=lambda wb: wb["Maatregelen"].__setitem__("B30", "verstopt"),
    )
    sheet = member(filled, "xl/worksheets/sheet2.xml").decode()
    start = sheet.index('<dimension ref="') + len('<dimension ref="')
    end = sheet.index('"', start)
    lied = sheet[:start] + "A1:Y11" + sheet[end:]
    result = read_filled(rezip(filled, replace={"xl/worksheets/sheet2.xml": lied}))
    assert any("rij 30, kolom B" in m for m in messages(result))


def test_errors_stop_at_a_limit(template, monkeypatch):
    monkeypatch.setattr(uitvraag.cells, "_MAX_ERRORS", 3)
    rows = {n: {"description": "geen naam"} for n in range(1, 8)}
    result = read_filled(fill(template, rows))
    assert len(result.errors) == 4
    assert result.errors[-1].message == "Bestand: meer dan 3 fouten; het inlezen is gestopt"


# --- hostile and wrong files --------------------------------------------------------------------


def refused(data, **kwargs) -> str:
    result = read_filled(data, **kwargs)
    assert not result.ok
    assert result.measures == []
    error = only_error(result)
    assert (error.sheet, error.row, error.column) == ("", None, None)
    assert error.message.startswith("Bestand: ")
    return error.message


def test_empty_file():
    assert refused(b"") == "Bestand: het bestand is leeg"


def test_not_bytes():
    assert "verwacht de inhoud van een bestand" in refused("Maatregelen.xlsx")


def test_csv_renamed_to_xlsx():
    csv = b"naam;budget\nSchoolmaatjes;250000\n"
    assert "dit is geen Excel-werkmap (.xlsx)" in refused(csv)
    assert read_filled(csv).sha256 == __import__("hashlib").sha256(csv).hexdigest()


def test_old_xls_or_password_protected_workbook():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert "oud Excel-bestand (.xls) of een met een wachtwoord beveiligde werkmap" in refused(ole2)


def test_too_large(template):
    assert "maximaal 0,0 MB" in refused(template, max_bytes=1000)


def test_truncated_zip(template):
    assert "beschadigd" in refused(template[: len(template) // 2])


def test_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hallo")
    assert "[Content_Types].xml ontbreekt" in refused(out.getvalue())


def test_word_document_renamed(template):
    types = member(template, "[Content_Types].xml").replace(
        b"spreadsheetml.sheet.main+xml", b"wordprocessingml.document.main+xml"
    )
    assert refused(rezip(template, replace={"[Content_Types].xml": types})) == (
        "Bestand: dit is geen Excel-werkmap (.xlsx)"
    )


def test_zip_bomb_by_declared_size(template):
    bomb = rezip(template, add={"xl/media/image1.png": bytes(30 * 1024 * 1024)})
    assert len(bomb) < 100_000
    assert "mogelijk een zip-bom" in refused(bomb)


def test_zip_bomb_by_ratio(template):
    bomb = rezip(template, add={"xl/media/image1.png": bytes(3 * 1024 * 1024)})
    message = refused(bomb)
    assert "keer samengeperst; mogelijk een zip-bom" in message


def patch_declared_size(data: bytes, name: str, size: int) -> bytes:
    """Make the ZIP lie about a member's uncompressed size, in both headers."""
    raw = bytearray(data)
    encoded = name.encode()
    local = raw.find(b"PK\x03\x04" + bytes(0))
    while local != -1:
        name_len = struct.unpack_from("<H", raw, local + 26)[0]
        if raw[local + 30 : local + 30 + name_len] == encoded:
            struct.pack_into("<I", raw, local + 22, size)
        local = raw.find(b"PK\x03\x04", local + 4)
    central = raw.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", raw, central + 28)[0]
        if raw[central + 46 : central + 46 + name_len] == encoded:
            struct.pack_into("<I", raw, central + 24, size)
        central = raw.find(b"PK\x01\x02", central + 4)
    return bytes(raw)


def test_member_that_lies_about_its_size(template):
    lying = patch_declared_size(
        rezip(template, add={"xl/media/image1.png": bytes(900_000)}), "xl/media/image1.png", 100
    )
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("xl/media/image1.png").file_size == 100
    message = refused(lying)
    assert "xl/media/image1.png" in message


def test_too_many_members(template):
    extra = {f"xl/media/image{i}.png": b"x" for i in range(250)}
    assert refused(rezip(template, add=extra)) == (
        "Bestand: het bestand heeft 262 onderdelen; maximaal 200"
    )


def test_encrypted_member(template):
    raw = bytearray(template)
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<H", raw, central + 8, struct.unpack_from("<H", raw, central + 8)[0] | 1)
    assert refused(bytes(raw)) == "Bestand: het bestand bevat versleutelde onderdelen"


def test_macro_enabled_workbook(template):
    xlsm = rezip(template, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    assert "macro's (vbaProject.bin)" in refused(xlsm)
    types = member(template, "[Content_Types].xml").replace(
        b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
    )
    as_xlsm = rezip(template, replace={"[Content_Types].xml": types})
    assert "werkmap met macro's (.xlsm)" in refused(as_xlsm)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("xl/embeddings/oleObject1.bin", "ingesloten objecten"),
        ("xl/activeX/activeX1.xml", "ActiveX"),
        ("xl/externalLinks/externalLink1.xml", "koppelingen naar andere bestanden"),
        ("xl/connections.xml", "gegevensverbindingen"),
    ],
)
def test_active_content_is_refused(template, name, message):
    assert message in refused(rezip(template, add={name: b"<x/>"}))


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
XXE = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def with_entity(template: bytes, prolog: str, reference: str) -> bytes:
    filled = fill(template, {1: {"name": "PLACEHOLDER"}})
    sheet = member(filled, "xl/worksheets/sheet2.xml").decode()
    sheet = prolog + sheet.replace("PLACEHOLDER", reference)
    return rezip(filled, replace={"xl/worksheets/sheet2.xml": sheet.encode()})


@pytest.mark.parametrize(("prolog", "reference"), [(BILLION_LAUGHS, "&lol3;"), (XXE, "&xxe;")])
def test_xml_entities_are_refused(template, prolog, reference):
    message = refused(with_entity(template, prolog, reference))
    assert message.startswith("Bestand: onderdeel 'xl/worksheets/sheet2.xml' bevat een DTD")


def test_xml_behind_another_extension_is_checked_too(template):
    """Parts are found through relationships, so a worksheet may be named anything."""
    hostile = with_entity(template, XXE, "&xxe;")
    sheet = member(hostile, "xl/worksheets/sheet2.xml")
    rels = member(hostile, "xl/_rels/workbook.xml.rels").replace(b"sheet2.xml", b"sheet2.dat")
    renamed = rezip(
        hostile,
        drop=("xl/worksheets/sheet2.xml",),
        replace={"xl/_rels/workbook.xml.rels": rels},
        add={"xl/worksheets/sheet2.dat": b"\xef\xbb\xbf" + sheet},
    )
    assert refused(renamed).startswith(
        "Bestand: onderdeel 'xl/worksheets/sheet2.dat' bevat een DTD"
    )


def test_openpyxl_itself_parses_worksheets_with_defusedxml(template):
    """Defence in depth: even without our check, openpyxl refuses the entity."""
    from openpyxl.xml import DEFUSEDXML, functions

    assert DEFUSEDXML
    assert functions.iterparse.__module__.startswith("defusedxml")
    hostile = io.BytesIO(with_entity(template, BILLION_LAUGHS, "&lol3;"))
    with pytest.raises(ValueError, match="Unable to read workbook") as info:
        load_workbook(hostile, read_only=True)
    assert isinstance(info.value.__cause__, defusedxml.EntitiesForbidden)


def test_broken_worksheet_xml_is_refused(template):
    broken = rezip(template, replace={"xl/worksheets/sheet2.xml": b"<worksheet><sheetData>"})
    assert "'xl/worksheets/sheet2.xml' is geen geldige XML" in refused(broken)


def test_missing_workbook_part(template):
    assert refused(rezip(template, drop=("xl/workbook.xml",))) == (
        "Bestand: het bestand kan niet als Excel-werkmap worden gelezen"
    )


# --- re-import diff ---------------------------------------------------------------------------


def test_diff_of_a_reimport(template):
    first = read_filled(
        fill(template, {1: FULL, 2: {"name": "Zomerschool"}, 3: {"name": "Ouderkamer"}})
    )
    changed = {
        **FULL,
        "goal_1": "Minder schooluitval",  # goals swapped between columns: no change
        "goal_2": "Betere schoolresultaten",
        "budget_2024": 300_000,
        "status": "afgerond",
    }
    second = read_filled(
        fill(template, {1: {"name": "Voorschool+"}, 2: {"name": "OUDERKAMER"}, 4: changed})
    )
    assert first.ok
    assert second.ok
    changes = diff_measures(first.measures, second.measures)
    assert changes == [
        Change("removed", "Zomerschool", old=first.measures[1]),
        Change("added", "Voorschool+", new=second.measures[0]),
        Change("changed", "OUDERKAMER", "name", "Ouderkamer", "OUDERKAMER"),
        Change("changed", "Schoolmaatjes", "status", "lopend", "afgerond"),
        Change("changed", "Schoolmaatjes", "budget_2024", 262_500.5, 300_000.0),
    ]
    assert [str(c) for c in changes] == [
        "Maatregel vervallen: Zomerschool",
        "Nieuwe maatregel: Voorschool+",
        "OUDERKAMER: Naam maatregel gewijzigd van 'Ouderkamer' naar 'OUDERKAMER'",
        "Schoolmaatjes: Status gewijzigd van 'lopend' naar 'afgerond'",
        "Schoolmaatjes: Budget 2024 (€) gewijzigd van 262500.5 naar 300000.0",
    ]
    assert changes[-1].label == "Budget 2024 (€)"


def test_diff_of_identical_imports_is_empty():
    assert diff_measures([expected_full()], [expected_full(number=7)]) == []
    assert diff_measures([], []) == []


def test_diff_with_different_budget_years():
    old = MeasureRow(1, "A", budget=((2023, 5.0),))
    new = MeasureRow(1, "A", budget=((2023, 5.0), (2028, 7.0)))
    assert diff_measures([old], [new]) == [Change("changed", "A", "budget_2028", None, 7.0)]


def test_diff_refuses_duplicate_names():
    with pytest.raises(ValueError, match="duplicate measure names in new"):
        diff_measures([], [MeasureRow(1, "A"), MeasureRow(2, " a")])
