"""The publication bundle holds the published version and nothing else of the dossier."""

import io
import json
import zipfile

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook

from kansenaudit.web.dossiers import services as dossier_services
from kansenaudit.web.reports import services
from tests.web.reports.test_reports_services import _citation

SECRETS = {
    "draft": "CONCEPTTEKST-GEHEIM",
    "later": "LATERE-TEKST-GEHEIM",
    "note": "CITAATNOTITIE-GEHEIM",
    "review": "REVIEWNOTITIE-GEHEIM",
    "other_report": "ANDER-RAPPORT-GEHEIM",
}


def _texts(bundle: bytes) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(bundle))
    out = {}
    for name in archive.namelist():
        data = archive.read(name)
        if name.endswith(".pdf"):
            out[name] = "\n".join(
                p.get_textpage().get_text_range() for p in pdfium.PdfDocument(data)
            )
        elif name.endswith(".xlsx"):
            sheet = load_workbook(io.BytesIO(data)).active
            out[name] = "\n".join(str(c) for row in sheet.values for c in row)
        else:
            out[name] = data.decode("utf-8")
    return out


@pytest.fixture
def published(team):
    dossier = team["dossier"]
    citation = _citation(dossier)
    citation.note = SECRETS["note"]
    citation.save()
    dossier_services.comment_add(
        dossier=dossier, author=team["users"]["reviewer"], text=SECRETS["review"]
    )
    other = services.report_create(
        dossier=dossier, kind="nota_van_bevindingen", title="Nota", actor=None
    )
    chapter = other.chapters.get(key="inleiding")
    services.chapter_update(
        chapter=chapter, title="Inleiding", text=SECRETS["other_report"], actor=None
    )
    services.version_save(report=other, purpose="draft", actor=None)

    report = services.report_create(
        dossier=dossier, kind="bestuurlijk_rapport", title="Kansen", actor=None
    )
    intro = report.chapters.get(key="inleiding")
    summary = report.chapters.get(key="samenvatting")
    services.chapter_update(chapter=intro, title="Inleiding", text=SECRETS["draft"], actor=None)
    services.version_save(report=report, purpose="draft", actor=None)
    services.chapter_update(
        chapter=intro,
        title="Inleiding",
        text=f"De gemeente wil gelijke kansen.{{{{citation:{citation.pk}}}}}",
        actor=None,
    )
    services.chapter_update(
        chapter=summary,
        title="Samenvatting",
        text="Het beleid is breed. Het werkt nog niet overal.",
        actor=None,
    )
    version = services.version_save(report=report, purpose="publication", actor=None)
    services.chapter_update(chapter=intro, title="Inleiding", text=SECRETS["later"], actor=None)
    return version


def test_the_bundle_is_a_static_site_with_the_report_pdf_summary_and_data(published):
    texts = _texts(services.publication_bundle(version=published, actor=None))
    assert set(texts) == {
        "index.html",
        "samenvatting.html",
        "rapport.css",
        "rapport.pdf",
        "data/getallen.csv",
        "data/getallen.xlsx",
        "data/numbers.json",
        "data/LEESMIJ.txt",
    }
    assert '<link rel="stylesheet" href="rapport.css">' in texts["index.html"]
    assert "<script" not in texts["index.html"]
    assert "gelijke kansen" in texts["index.html"]
    assert "Kansenaanpak 2023" in texts["index.html"]  # the footnote
    assert "Het werkt nog niet overal." in texts["samenvatting.html"]
    assert "Inleiding" not in texts["samenvatting.html"]
    assert json.loads(texts["data/numbers.json"])["sha256"] == published.sha256


def test_nothing_unpublished_or_internal_reaches_the_bundle(published):
    texts = _texts(services.publication_bundle(version=published, actor=None))
    for name, text in texts.items():
        for kind, secret in SECRETS.items():
            assert secret not in text, f"{kind} in {name}"


def test_only_a_version_frozen_for_publication_is_bundled(published):
    draft = published.report.versions.get(number=1)
    with pytest.raises(
        services.ReportError, match="Alleen een versie die is bevroren voor publicatie"
    ):
        services.publication_bundle(version=draft, actor=None)
