"""The Word version, read back three ways: its XML, python-docx, and LibreOffice (headless)."""

import io
import re
import shutil
import subprocess
import zipfile

import docx
import pytest

from kansenaudit.reports.docx import render_docx
from tests.reports.sample import WITHHELD_VALUE, sample_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def docx_bytes():
    report, _ = sample_report()
    return render_docx(report)


def _part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def test_headings_use_words_own_styles(docx_bytes):
    document = docx.Document(io.BytesIO(docx_bytes))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "Samenvatting"),
        ("Heading 1", "1 Inleiding"),
        ("Heading 2", "Aanpak"),
        ("Heading 1", "Bijlage A: Normenkader"),
    ]
    assert document.core_properties.language == "nl-NL"
    assert document.core_properties.title == "Kansen voor iedereen?"


def test_citations_are_native_footnotes(docx_bytes):
    body = _part(docx_bytes, "word/document.xml")
    notes = _part(docx_bytes, "word/footnotes.xml")
    assert re.findall(r'<w:footnoteReference w:id="(\d+)"/>', body) == ["1", "2", "3"]
    assert notes.count("Kansenaanpak 2023") == 3
    assert 'w:type="separator"' in notes
    rels = _part(docx_bytes, "word/_rels/document.xml.rels")
    assert "relationships/footnotes" in rels
    assert "footnotes+xml" in _part(docx_bytes, "[Content_Types].xml")


def test_table_of_contents_field_pictures_with_alt_text_and_captions(docx_bytes):
    body = _part(docx_bytes, "word/document.xml")
    assert 'TOC \\o "1-3"' in body
    assert 'descr="Staafdiagram: de werkloosheid' in body
    document = docx.Document(io.BytesIO(docx_bytes))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == [
        "Figuur 1 – Werkloosheid per wijk",
        "Gegevens bij figuur 1",
        "Tabel 1",
        "Tabel 2 – Normen",
    ]
    assert '<w:tblHeader w:val="true"/>' in body
    assert WITHHELD_VALUE not in body


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (make office-deps)")
def test_libreoffice_opens_it_with_headings_footnotes_and_the_figure(docx_bytes, tmp_path):
    source = tmp_path / "rapport.docx"
    source.write_bytes(docx_bytes)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "odt",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    content = zipfile.ZipFile(tmp_path / "out" / "rapport.odt").read("content.xml").decode()
    headings = re.findall(r'<text:h [^>]*text:outline-level="(\d)"[^>]*>(.*?)</text:h>', content)
    texts = [(level, re.sub("<[^>]+>", "", text)) for level, text in headings]
    assert ("1", "1 Inleiding") in texts
    assert ("2", "Aanpak") in texts
    assert content.count("<text:note text:id=") == 3
    assert content.count('text:note-class="footnote"') == 3
    assert "<draw:frame" in content
    assert "Staafdiagram: de werkloosheid" in content
    assert "text:table-of-content" in content
