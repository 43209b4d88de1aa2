"""Exports of the council register: XLSX read back with openpyxl, CSV with formula escaping."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from kansenaudit.web.council import exports, services
from tests.helpers.council_builders import document, goal

HOSTILE = '=HYPERLINK("http://evil.example","klik")'


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def register(team):
    dossier = team["dossier"]
    g1, _g2 = goal(dossier, "Gelijke start", order=1), goal(dossier, "-Nooit", order=2)
    doc1 = document(dossier, "Brief een", dt.date(2023, 3, 1))
    doc2 = document(dossier, "Brief twee", dt.date(2024, 4, 1), "jaarverslag")
    services.item_register(
        dossier=dossier, document=doc1, reports_on="outputs", title=HOSTILE, goals=[g1], actor=None
    )
    services.item_register(
        dossier=dossier, document=doc2, reports_on="beide", goals=[g1], note="+1 noot", actor=None
    )
    return dossier


def _rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_items_csv_escapes_formulas(register):
    rows = _rows(exports.items_csv(register))
    header, first, second = rows
    assert header[:5] == [
        "item_id",
        "datum",
        "titel",
        "rapporteert_over",
        "rapporteert_over_omschrijving",
    ]
    assert first[header.index("titel")] == "'" + HOSTILE
    assert first[header.index("datum")] == "2023-03-01"
    assert first[header.index("doelen")] == "Gelijke start"
    assert second[header.index("notitie")] == "'+1 noot"
    assert second[header.index("rapporteert_over")] == "beide"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_matrix_csv(register):
    header, g1, g2 = _rows(exports.matrix_csv(register))
    assert header == [
        "doel_code",
        "doel",
        "niveau",
        "2023",
        "2024",
        "aantal_items",
        "eerste_rapportage",
        "laatste_rapportage",
        "aandeel_over_effecten",
    ]
    assert g1[3:] == [
        "prestaties (1)",
        "prestaties en effecten (1)",
        "2",
        "2023-03-01",
        "2024-04-01",
        "0.5",
    ]
    assert g2[1] == "'-Nooit"
    assert g2[3:6] == ["–", "–", "0"]


def test_demo_dossier_exports_say_so(register):
    register.is_demo = True
    register.save()
    assert _rows(exports.items_csv(register))[0][0].startswith("# Fictieve demodata")


def test_workbook_reads_back(register):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(exports.workbook_bytes(register)))
    assert book.sheetnames == ["Raadsinformatie", "Matrix doelen x jaren", "Nooit gerapporteerd"]
    items = list(book["Raadsinformatie"].iter_rows(values_only=True))
    assert items[0][2] == "titel"
    assert items[1][2] == "'" + HOSTILE  # text, never a formula
    assert book["Raadsinformatie"].cell(row=2, column=3).data_type == "s"
    assert items[2][3] == "beide"
    matrix = book["Matrix doelen x jaren"]
    rows = list(matrix.iter_rows(values_only=True))
    assert rows[0][3:5] == ("2023", "2024")
    assert rows[1][1] == "Gelijke start"
    assert rows[1][3:6] == ("prestaties (1)", "prestaties en effecten (1)", 2)
    # Colour as an extra cue: the 'both' cell is green, the empty one grey.
    assert matrix.cell(row=2, column=5).fill.start_color.rgb.endswith(exports.STATE_FILL["both"])
    assert matrix.cell(row=3, column=4).fill.start_color.rgb.endswith(exports.STATE_FILL["none"])
    gaps = list(book["Nooit gerapporteerd"].iter_rows(values_only=True))
    assert gaps[1][0] == "doel"
    assert gaps[1][2] == "'-Nooit"
