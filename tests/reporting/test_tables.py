"""The one export writer: the CSV convention, the formula guard in both formats, the demo notice,
XLSX sheets, and that no second writer comes back into the source tree."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

import kansenaudit
from kansenaudit.reporting.tables import (
    FORMULA_STARTS,
    Cell,
    Table,
    csv_text,
    guard_text,
    xlsx_bytes,
)

HOSTILE = ['=HYPERLINK("http://x")', "+31 6 1234", "-Nooit", "@SUM(A1)", "\tx", "\rx"]


def _csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def test_every_formula_start_is_guarded_and_numbers_stay_numbers():
    table = Table("t", ["=kop", "waarde"], [[h, -1] for h in HOSTILE])
    rows = _csv_rows(csv_text(table))
    assert rows[0] == ["'=kop", "waarde"]  # the header is a text cell like any other
    assert [r[0] for r in rows[1:]] == ["'" + h for h in HOSTILE]
    assert {r[1] for r in rows[1:]} == {"-1"}  # a number is never prefixed
    assert all(h.startswith(FORMULA_STARTS) for h in HOSTILE)


def test_csv_convention_bom_semicolon_crlf_quoting_and_values():
    table = Table(
        "t",
        ["tekst", "getal"],
        [
            ['Café; "zo"\nen verder', 0.5],
            [None, Decimal("-1E-7")],
            [True, float("nan")],
            ["", 120000],
        ],
    )
    text = csv_text(table, notice="Fictieve demodata")
    assert text.startswith("\ufeff# Fictieve demodata\r\ntekst;getal\r\n")
    assert _csv_rows(text)[2:] == [
        ['Café; "zo"\nen verder', "0.5"],
        ["", "-0.0000001"],  # a Decimal never in exponent notation
        ["True", ""],  # not a finite number: empty
        ["", "120000"],
    ]


def test_no_notice_row_without_a_notice():
    assert csv_text(Table("t", ["a"], [])) == "\ufeffa\r\n"


def test_xlsx_guards_text_keeps_numbers_and_puts_the_notice_on_every_sheet():
    tables = [
        Table("Eerste", ["naam", "bedrag"], [[h, Decimal("-2.50")] for h in HOSTILE]),
        Table("Tweede", ["x"], [[Cell("gekleurd", "C6DBEF")], ["a\x01b"]]),
    ]
    book = load_workbook(io.BytesIO(xlsx_bytes(tables, notice="Fictieve demodata")))
    assert book.sheetnames == ["Eerste", "Tweede"]
    first = book["Eerste"]
    assert first["A1"].value == "Fictieve demodata"
    assert first["A1"].font.b
    assert [c.value for c in first[2]] == ["naam", "bedrag"]
    assert first.freeze_panes == "A3"
    assert 8 <= first.column_dimensions["A"].width <= 60
    for row, hostile in enumerate(HOSTILE, start=3):
        assert first.cell(row, 1).value == "'" + hostile
        assert first.cell(row, 1).data_type == "s"  # text, never a formula
        assert first.cell(row, 2).value == -2.5
    second = book["Tweede"]
    assert second["A1"].value == "Fictieve demodata"
    assert second["A3"].fill.start_color.rgb.endswith("C6DBEF")
    assert second["A4"].value == "ab"  # a control character XLSX cannot hold is dropped


def test_xlsx_sheet_names_are_valid_and_unique_and_a_table_may_have_no_header():
    long = "Matrix doelen x jaren: een heel lange naam"
    tables = [Table(long, ["a"], []), Table(long, ["a"], []), Table("over", [], [["k", "v"]])]
    book = load_workbook(io.BytesIO(xlsx_bytes(tables)))
    assert all(len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name) for name in book.sheetnames)
    assert len(set(book.sheetnames)) == 3
    assert [list(r) for r in book["over"].values] == [["k", "v"]]


def test_guard_text_leaves_ordinary_text_alone():
    assert guard_text("Noord-West") == "Noord-West"
    assert guard_text(" =1") == " =1"
    assert guard_text(None) == ""


# --- one writer ---------------------------------------------------------------------------------

WRITER = Path(kansenaudit.__file__).parent / "reporting" / "tables.py"
SECOND_WRITER = re.compile(
    r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(|write_csv\(|write_excel\("
)


def test_no_second_csv_or_xlsx_writer_in_the_source_tree():
    """Every export goes through reporting/tables.py (separator, BOM, notice, formula guard)."""
    root = WRITER.parent.parent
    offenders = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        if path != WRITER
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if SECOND_WRITER.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == [], "write tables with kansenaudit.reporting.tables:\n" + "\n".join(
        offenders
    )


def test_the_walk_would_find_a_second_writer():
    assert SECOND_WRITER.search("    writer = csv.writer(response)")
    assert SECOND_WRITER.search("    book = Workbook(write_only=True)")
    assert SECOND_WRITER.search("    frame.write_csv(path)")
    assert not SECOND_WRITER.search("    book = new_workbook()")


# --- a real spreadsheet program -----------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_both_formats_and_runs_no_guarded_formula(tmp_path):
    table = Table("Lijst", ["naam", "bedrag"], [["Café; zo", -2.5], ["=1+1", 3]])
    (tmp_path / "lijst.csv").write_text(csv_text(table, notice="Demo"), "utf-8", newline="")
    (tmp_path / "boek.xlsx").write_bytes(xlsx_bytes([table], notice="Demo"))
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--infilter=CSV:59,34,76,1",  # ";" separator, '"' quotes, UTF-8
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(tmp_path / "lijst.csv"),
            str(tmp_path / "boek.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    for name in ("lijst.xlsx", "boek.xlsx"):
        sheet = load_workbook(out / name).active
        rows = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
        assert rows[1] == [("naam", "s"), ("bedrag", "s")], name
        assert rows[2] == [("Café; zo", "s"), (-2.5, "n")], name
        assert rows[3] == [("'=1+1", "s"), (3, "n")], name  # text, not the formula's 2
