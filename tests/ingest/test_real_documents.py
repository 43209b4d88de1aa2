"""The real published documents in the shared data folder (never copied into the repository)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from kansenaudit.ingest import extract, extract_isolated, is_canonical

PLOOI = "plooi_officielepublicaties"
VWS = "minvws_woo_platform"
SCHULD = "amsterdam_schulddossier"
FICHE = "fiche-5-herziening-verordening-en-richtlijn-markten-voor-financiele-instrumenten.pdf"
# Page counts from SOURCES.md (pdfinfo). The Besluitenlijst has no count there; 4 is what the
# section total of 326 pages leaves for it.
PAGE_COUNTS = {
    f"{PLOOI}/ah-tk-20202021-3235.pdf": 3,
    f"{PLOOI}/kst-32545-143.pdf": 1,
    f"{PLOOI}/blg-1007826_scanned.pdf": 2,
    f"{PLOOI}/20110301-5687928a-draagmoederschap.pdf": 3,
    f"{PLOOI}/{FICHE}": 15,
    f"{PLOOI}/plooi_testbestand_Nummer20219495.pdf": 1,
    f"{VWS}/2023-10-13.Toegankelijkheidsonderzoek.OpenVWS.open.minvws.nl.versie.1.pdf": 51,
    f"{VWS}/2023-12-14.Toegankelijkheidsonderzoek.Beheer.OpenVWS.open.minvws.nl.versie.1.0.pdf": 44,
    f"{VWS}/2024-02-13.Toegankelijkheidsonderzoek.OpenVWS.open.minvws.nl.versie.2.1.pdf": 42,
    f"{VWS}/2025-06-04-toegankelijkheidsonderzoek-beheer-open.minvws.nl.pdf": 34,
    f"{VWS}/2025-06-04-toegankelijkheidsonderzoek-open.minvws.nl.pdf": 39,
    f"{SCHULD}/Schulddossier Handleiding - Algemeen.pdf": 21,
    f"{SCHULD}/Schulddossier Quick Guide.pdf": 9,
    f"{SCHULD}/Schulddossier Key User App Beheerder Quick Guide.pdf": 6,
    f"{SCHULD}/Schulddossier Rollen en Rechten.pdf": 1,
    "coalitieakkoord_rijk_2021/coalitieakkoord-2021-2025.pdf": 50,
    "open_raadsinformatie/Besluitenlijst-raadsvergadering-29-juni-2015.pdf": 4,
}
SCANNED = f"{PLOOI}/blg-1007826_scanned.pdf"


@pytest.fixture(scope="module")
def documents(shared_data):
    return shared_data / "documents"


@pytest.fixture(scope="module")
def text_pdfs(documents):
    """Every real PDF extracted once without OCR: {relative path: document}."""
    return {
        path: extract((documents / path).read_bytes(), Path(path).name, ocr=False)
        for path in PAGE_COUNTS
    }


@pytest.fixture(scope="module")
def scanned(documents):
    data = (documents / SCANNED).read_bytes()
    return data, extract(data, Path(SCANNED).name)


def test_every_pdf_in_the_corpus_is_listed(documents):
    on_disk = {str(p.relative_to(documents)) for p in documents.rglob("*.pdf")}
    assert on_disk == set(PAGE_COUNTS)
    assert sum(PAGE_COUNTS.values()) == 326


@pytest.mark.parametrize("path", sorted(PAGE_COUNTS))
def test_pdf_page_counts_and_invariant(text_pdfs, path):
    document = text_pdfs[path]
    assert document.format == "pdf"
    assert document.page_count == PAGE_COUNTS[path]
    assert [page.number for page in document.pages] == list(range(1, PAGE_COUNTS[path] + 1))
    assert all(is_canonical(page.text) for page in document.pages)
    if path != SCANNED:
        assert sum(len(page.text) for page in document.pages) > 15


def test_file_names_with_spaces_are_kept(text_pdfs):
    document = text_pdfs[f"{SCHULD}/Schulddossier Handleiding - Algemeen.pdf"]
    assert document.file_name == "Schulddossier Handleiding - Algemeen.pdf"
    assert "Schulddossier" in document.pages[0].text


@pytest.mark.slow
def test_scanned_pdf_is_read_by_ocr(scanned):
    _data, document = scanned
    assert document.page_count == 2
    assert [page.method for page in document.pages] == ["ocr", "ocr"]
    assert document.ocr_pages == 2
    first, second = (page.text for page in document.pages)
    assert "Kamerbrief" in first
    assert "Nitraatrichtlijn" in first
    assert "12 november 2021" in first
    assert "waterkwaliteit" in second
    assert all(is_canonical(page.text) for page in document.pages)
    assert document.metadata.date == dt.date(2021, 11, 12)
    assert document.metadata.language == "nld"
    assert document.metadata.issuer_hint == "ministerie"


@pytest.mark.slow
def test_ocr_is_deterministic_also_in_the_isolated_child(scanned):
    # The second run goes through extract_isolated: Tesseract must also work under the child's
    # memory limit, which it inherits.
    data, document = scanned
    again = extract_isolated(data, Path(SCANNED).name, timeout_s=60)
    assert again == document
    assert again.text_sha256 == document.text_sha256


def words(text):
    return {w.lower() for w in re.findall(r"[^\W\d_]{4,}", text)}


@pytest.mark.parametrize("stem", ["kst-32545-143", "ah-tk-20202021-3235"])
def test_same_publication_as_pdf_odt_and_html(documents, stem):
    versions = {
        ext: extract((documents / PLOOI / f"{stem}.{ext}").read_bytes(), f"{stem}.{ext}")
        for ext in ("pdf", "odt", "html")
    }
    assert {ext: doc.format for ext, doc in versions.items()} == {
        "pdf": "pdf",
        "odt": "odt",
        "html": "html",
    }
    vocab = {ext: words(" ".join(p.text for p in doc.pages)) for ext, doc in versions.items()}
    # The HTML lacks the PDF's running header and footer; otherwise the words are the same.
    for a, b in (("html", "odt"), ("html", "pdf"), ("odt", "pdf")):
        overlap = len(vocab[a] & vocab[b]) / len(vocab[a])
        assert overlap > 0.9, (a, b, overlap)
    assert versions["odt"].metadata.title == versions["html"].metadata.title
    assert versions["odt"].metadata.date == versions["html"].metadata.date
    if stem == "kst-32545-143":
        # Line breaks differ per format (the PDF wraps lines); compare with whitespace collapsed.
        for doc in versions.values():
            flat = " ".join(" ".join(p.text for p in doc.pages).split())
            assert "verzoekt de regering, om een grensspaarsaldo te definiëren" in flat
        assert all(doc.metadata.doc_type_hint == "motie" for doc in versions.values())


def test_html_metadata(documents):
    document = extract((documents / PLOOI / "kst-32545-143.html").read_bytes(), "kst.html")
    meta = document.metadata
    assert meta.date == dt.date(2021, 7, 6)
    assert meta.language == "nld"
    assert meta.extra["OVERHEIDop.dossiernummer"] == "32545"
    assert meta.extra["DC.type"] == "Motie; Kamerstuk; officiële publicatie"
    assert "enablePopup" not in document.pages[0].text


def test_coalition_agreement_metadata(text_pdfs):
    meta = text_pdfs["coalitieakkoord_rijk_2021/coalitieakkoord-2021-2025.pdf"].metadata
    assert meta.doc_type_hint == "coalitieakkoord"
    assert meta.date == dt.date(2021, 12, 15)
    assert meta.language == "nld"


def test_markdown_laws_titles_and_invariant(documents):
    folder = documents / "laws_markdown_nl"
    rows = list(csv.DictReader((folder / "index.csv").open(encoding="utf-8")))
    assert len(rows) == 298
    for row in rows:
        document = extract((folder / row["file"]).read_bytes(), Path(row["file"]).name)
        assert document.format == "markdown", row["file"]
        expected = " ".join(row["title"].split())[:300].rstrip()
        assert (document.metadata.title or "") == expected, row["file"]
        assert all(is_canonical(page.text) for page in document.pages), row["file"]


@pytest.mark.parametrize(
    "path",
    [
        "coalitieakkoord_rijk_2021/coalitieakkoord-2021-2025.pdf",
        f"{PLOOI}/ah-tk-20202021-3235.odt",
        f"{PLOOI}/ah-tk-20202021-3235.html",
        "laws_markdown_nl/wet/BWBR0002399_wet_op_het_voortgezet_onderwijs.md",
    ],
)
def test_extraction_is_deterministic_and_isolation_changes_nothing(documents, path):
    data = (documents / path).read_bytes()
    first = extract(data, Path(path).name)
    second = extract(data, Path(path).name)
    assert first == second
    assert first.text_sha256 == second.text_sha256
    assert [p.text_sha256 for p in first.pages] == [p.text_sha256 for p in second.pages]
    assert extract_isolated(data, Path(path).name, timeout_s=60) == first


@pytest.mark.slow
def test_a_scan_gets_time_per_page_and_a_text_pdf_is_read_once(scanned, documents, monkeypatch):
    """With ocr_s_per_page the time limit grows with the pages that need OCR: one second is
    far too little to OCR two pages (see test_hostile: it times out), but one second to read
    the PDF plus 30 s per scanned page is enough, and the result is what extract() gives."""
    import importlib

    from kansenaudit.ingest.model import IngestError

    extract_module = importlib.import_module("kansenaudit.ingest.extract")
    runs = []
    real = extract_module._run_child

    def counting(data, name, limits, ocr, timeout_s, memory_mb, why=""):
        runs.append((ocr, timeout_s))
        return real(data, name, limits, ocr, timeout_s, memory_mb, why)

    monkeypatch.setattr(extract_module, "_run_child", counting)
    data, document = scanned
    again = extract_isolated(data, Path(SCANNED).name, timeout_s=1, ocr_s_per_page=30)
    assert again == document
    assert runs == [(False, 1), (True, 61)]
    # A PDF with a text layer on every page is read once, without OCR.
    runs.clear()
    path = next(p for p in sorted(PAGE_COUNTS) if p != SCANNED)
    text_pdf = (documents / path).read_bytes()
    assert extract_isolated(text_pdf, Path(path).name, ocr_s_per_page=30) == extract(
        text_pdf, Path(path).name
    )
    assert runs == [(False, 120)]
    # The budget never passes max_timeout_s.
    runs.clear()
    with pytest.raises(IngestError) as caught:
        extract_isolated(
            data, Path(SCANNED).name, timeout_s=1, ocr_s_per_page=30, max_timeout_s=0.5
        )
    assert caught.value.code == "timeout"
    assert runs == [(False, 1), (True, 1)]
    assert "2 pagina's zonder tekstlaag" in str(caught.value)
