"""Figures as references: statistics maps and rankings, policy theories and network maps, in
every format with number, caption, text alternative and source; withheld values in none."""

import io
import re
import zipfile

import polars as pl
import pypdfium2 as pdfium
import pytest
from docx import Document as WordDocument

from kansenaudit.reporting.formatting import format_number
from kansenaudit.web.dossiers.models import Dossier
from kansenaudit.web.indicators.selectors import statistics_result
from kansenaudit.web.reports import services


@pytest.fixture(scope="module")
def full_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo (with the policy set and the network maps), loaded once for the module."""
    import os

    from django.db import transaction

    from kansenaudit.web.demo.services import demo_load

    old = os.environ.get("KANSENAUDIT_DATA_DIR")
    os.environ["KANSENAUDIT_DATA_DIR"] = str(tmp_path_factory.mktemp("figures-data"))
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            yield demo_load()
            transaction.set_rollback(True)
    finally:
        if old is None:
            os.environ.pop("KANSENAUDIT_DATA_DIR", None)
        else:
            os.environ["KANSENAUDIT_DATA_DIR"] = old


@pytest.fixture
def dossier(full_demo, db):
    return Dossier.objects.get(pk=full_demo.dossier_id)


def _build(dossier, text, formats=("html", "docx", "pdf")):
    report = services.report_create(
        dossier=dossier, kind="bestuurlijk_rapport", title="Figuren", actor=None
    )
    chapter = report.chapters.get(key="inleiding")
    services.chapter_update(chapter=chapter, title="Inleiding", text=text, actor=None)
    version = services.version_save(report=report, purpose="draft", actor=None)
    return version, services.version_build(version=version, formats=formats, actor=None)


def _docx_parts(data):
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive.read("word/document.xml").decode(), [
        n for n in archive.namelist() if n.startswith("word/media/")
    ]


def test_each_source_of_figures_in_every_format(dossier):
    from kansenaudit.web.network.models import NetworkMap
    from kansenaudit.web.policy.models import Measure

    measure = Measure.objects.filter(dossier=dossier, theory_steps__isnull=False).first()
    network_map = NetworkMap.objects.filter(dossier=dossier).order_by("pk").first()
    assert measure is not None
    assert network_map is not None
    refs = [
        "map/unemployment_pct/stadsdeel/2025",
        "ranking/vo_advice_havo_vwo_pct/stadsdeel/2025",
        f"theory/{measure.pk}",
        f"network/{network_map.pk}",
    ]
    text = "\n\n".join("{{figure:" + r + "}}" for r in refs)
    version, built = _build(dossier, text)
    assert version.problems == []
    html = built.files["html"].decode()
    assert html.count("<figure ") == 4
    for n in range(1, 5):
        assert f"<figcaption>Figuur {n} – " in html
    assert html.count('role="img" aria-label="Kaart van') == 1
    assert f"Beleidstheorie van {measure.name}" in html
    assert "Netwerkkaart " in html
    assert html.count('<p class="source">Bron: ') == 4
    assert html.count("<details><summary>Gegevens bij figuur") == 4
    assert "<script" not in html.split("<body", 1)[1].lower()
    # Word: four pictures, each with its alternative text and a caption.
    document_xml, media = _docx_parts(built.files["docx"])
    assert len(media) == 4
    assert document_xml.count('descr="Kaart van') == 1
    captions = [p.text for p in WordDocument(io.BytesIO(built.files["docx"])).paragraphs]
    assert [c for c in captions if re.match(r"Figuur \d – ", c)] == [
        c for c in captions if c.startswith("Figuur ")
    ]
    assert sum(1 for c in captions if re.match(r"Figuur \d – ", c)) == 4
    # PDF: the captions are text, the drawings images with their alternative text.
    pdf = pdfium.PdfDocument(built.files["pdf"])
    text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
    assert all(f"Figuur {n}" in text for n in range(1, 5))
    from tests.reports.test_pdf import _structure

    _types, alts = _structure(pdf)
    assert len(alts) == 4
    assert sum(1 for a in alts if a.startswith("Kaart van")) == 1


def test_a_withheld_value_appears_in_no_figure(dossier):
    values = statistics_result(municipality_code=dossier.municipality_code).values
    candidates = values.filter(
        pl.col("suppressed").is_not_null()
        & (pl.col("suppressed") != "missing")
        & pl.col("value").is_not_null()
        & (pl.col("group") == "totaal")
    )
    withheld = None
    for row in candidates.iter_rows(named=True):
        siblings = values.filter(
            (pl.col("indicator") == row["indicator"])
            & (pl.col("area_level") == row["area_level"])
            & (pl.col("period") == row["period"])
            & (pl.col("group") == "totaal")
            & pl.col("suppressed").is_null()
        )
        if not siblings.is_empty():
            withheld = row
            break
    assert withheld is not None, "the demo has no withheld value beside shown ones"
    where = f"{withheld['indicator']}/{withheld['area_level']}/{withheld['period']}"
    text = "{{figure:map/" + where + "}}\n\n{{figure:ranking/" + where + "}}"
    version, built = _build(dossier, text)
    assert version.problems == []
    html = built.files["html"].decode()
    assert html.count("<figure ") == 2
    assert "afgeschermd" in html  # the reason is given
    secret = float(withheld["value"])
    word = "\n".join(
        c.text
        for t in WordDocument(io.BytesIO(built.files["docx"])).tables
        for r in t.rows
        for c in r.cells
    )
    pdf = pdfium.PdfDocument(built.files["pdf"])
    pdf_text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
    result = statistics_result(municipality_code=dossier.municipality_code)
    name = result.inputs.areas[withheld["area_code"]].name
    for decimals in (0, 1, 2):
        number = format_number(secret, decimals=decimals)
        for source in (html, word, pdf_text):
            # Wherever the withheld area is named, its number does not follow (the drawing's
            # labels, the key under the map, the data table).
            for found in re.finditer(re.escape(name), source):
                assert number not in source[found.end() : found.end() + 60], (name, number)
    assert str(secret) not in html + word + pdf_text


def test_broken_figure_references_are_problems_not_pictures(dossier):
    version, built = _build(
        dossier,
        "{{figure:map/no_such_indicator/stadsdeel/2025}}\n\n{{figure:theory/999999}}\n\n"
        "{{figure:network/999999}}\n\n{{figure:chart/1}}",
        formats=("html",),
    )
    assert [p["reason"] for p in version.problems] == ["missing", "missing", "missing", "malformed"]
    assert "<figure " not in built.files["html"].decode()


def test_the_demo_reports_show_figures_of_every_source(dossier):
    from kansenaudit.web.reports.models import Report

    nota = Report.objects.get(dossier=dossier, kind="nota_van_bevindingen")
    version = nota.versions.order_by("-number").first()
    built = services.version_build(version=version, formats=("html",), actor=None)
    assert [p for p in built.problems if p.reference.startswith("figure:")] == []
    html = built.files["html"].decode()
    assert html.count("<figure ") == 4
    assert "Beleidstheorie van " in html
    assert "Netwerkkaart " in html


def test_a_network_maps_checks_are_a_footnote(dossier):
    from kansenaudit.web.network.models import NetworkMap

    network_map = NetworkMap.objects.filter(dossier=dossier).order_by("pk").first()
    version, built = _build(
        dossier, "De kaart wijst op gaten.{{network_check:" + str(network_map.pk) + "}}", ("html",)
    )
    assert version.problems == []
    html = built.files["html"].decode()
    assert f"Netwerkkaart {network_map}" in html
