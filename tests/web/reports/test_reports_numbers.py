"""Numbers in a report come from the statistics engine, and a withheld one never leaves it."""

import io
import re

import polars as pl
import pypdfium2 as pdfium
import pytest
from docx import Document as WordDocument

from kansenaudit.reporting.formatting import format_number
from kansenaudit.web.dossiers.models import Dossier
from kansenaudit.web.indicators.selectors import statistics_result
from kansenaudit.web.reports import services


@pytest.fixture
def demo(demo_for_module, db):
    dossier = Dossier.objects.get(pk=demo_for_module.dossier_id)
    values = statistics_result(municipality_code=dossier.municipality_code).values
    return dossier, values


def _ref(row):
    return (
        "{{number:" + f"{row['indicator']}/{row['area_code']}/{row['period']}/{row['group']}" + "}}"
    )


def _all_text(files):
    text = files["html"].decode()
    text += "\n".join(p.text for p in WordDocument(io.BytesIO(files["docx"])).paragraphs)
    pdf = pdfium.PdfDocument(files["pdf"])
    text += "\n".join(page.get_textpage().get_text_range() for page in pdf)
    return text


def test_a_shown_number_is_in_dutch_style_and_a_withheld_one_appears_nowhere(demo):
    dossier, values = demo
    shown = values.filter(
        pl.col("suppressed").is_null()
        & (pl.col("unit") == "%")
        & (pl.col("area_level") == "stadsdeel")
    ).row(0, named=True)
    withheld = values.filter(
        pl.col("suppressed").is_not_null()
        & (pl.col("suppressed") != "missing")
        & pl.col("value").is_not_null()
    ).row(0, named=True)
    report = services.report_create(
        dossier=dossier, kind="bestuurlijk_rapport", title="Cijfers", actor=None
    )
    chapter = report.chapters.get(key="inleiding")
    services.chapter_update(
        chapter=chapter,
        title="Inleiding",
        text=f"Getoond: {_ref(shown)}. Geheim: {_ref(withheld)}.",
        actor=None,
    )
    version = services.version_save(report=report, purpose="draft", actor=None)
    assert [p["reason"] for p in version.problems] == ["withheld"]
    with pytest.raises(services.ReportError, match="kan niet worden bevroren"):
        services.version_save(report=report, purpose="publication", actor=None)

    built = services.version_build(version=version, formats=("html", "docx", "pdf"), actor=None)
    text = _all_text(built.files)
    assert f"Getoond: {format_number(shown['shown_value'], decimals=1)} %" in text
    secret = withheld["value"]
    for decimals in (0, 1, 2):
        assert format_number(secret, decimals=decimals) not in re.sub(
            r"\s", " ", text.split("Geheim:")[1][:80]
        )
    # Not in any form either: the reason is given, the number is not.
    assert str(secret) not in text


def test_the_numbers_annex_names_the_source_of_each_shown_number_once(demo):
    dossier, values = demo
    shown = values.filter(
        pl.col("suppressed").is_null() & (pl.col("area_level") == "stadsdeel")
    ).row(0, named=True)
    report = services.report_create(
        dossier=dossier, kind="bestuurlijk_rapport", title="Herkomst", actor=None
    )
    chapter = report.chapters.get(key="inleiding")
    services.chapter_update(
        chapter=chapter,
        title="Inleiding",
        text=f"{_ref(shown)} en nog eens {_ref(shown)}.",
        actor=None,
    )
    version = services.version_save(report=report, purpose="draft", actor=None)
    document, problems, _resolver = services.build_document(version)
    assert problems == ()
    annex = document.chapters[-1]
    assert (annex.title, annex.kind) == ("Herkomst van de getallen", "annex")
    table = annex.blocks[-1]
    assert len(table.rows) == 1  # the same number twice is one row
    row = table.rows[0]
    assert row[:4] == (shown["indicator"], shown["area_code"], str(shown["period"]), shown["group"])
    assert row[4].startswith(format_number(shown["shown_value"], decimals=1))
    assert row[5] == (str(shown.get("source") or "") or "–")
    # A report without numbers has no such annex.
    services.chapter_update(chapter=chapter, title="Inleiding", text="Geen getallen.", actor=None)
    version = services.version_save(report=report, purpose="draft", actor=None)
    assert services.build_document(version)[0].chapters[-1].title != "Herkomst van de getallen"
