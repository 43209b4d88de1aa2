"""Each reader on small generated files: text, page breaks, metadata, and the result model."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import pickle
import struct

import pytest

from kansenaudit.ingest import (
    DocumentMetadata,
    ExtractedDocument,
    ExtractedPage,
    IngestError,
    Limits,
    extract,
    is_canonical,
)
from kansenaudit.ingest.pdf import render_page_png
from kansenaudit.ingest.text import CP1252_WARNING
from tests.ingest.hostile import (
    CONTENT_TYPES,
    docx,
    docx_xml,
    odt,
    odt_content,
    paragraphs,
    raw_zip,
    reportlab_pdf,
)


def texts(document):
    return [page.text for page in document.pages]


# --- DOCX ---------------------------------------------------------------------------------------


def test_docx_paragraphs_tabs_breaks_and_skipped_content():
    body = (
        '<w:p><w:r><w:t>Eerste</w:t><w:tab/><w:t xml:space="preserve">kolom </w:t></w:r>'
        "<w:r><w:br/><w:t>tweede regel</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>weg</w:t></w:r><w:del><w:r><w:delText>verwijderd</w:delText></w:r></w:del>"
        '<w:r><w:fldChar w:fldCharType="begin"/><w:instrText>PAGE</w:instrText></w:r></w:p>'
        '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
        "<w:p><w:r><w:lastRenderedPageBreak/><w:t>Pagina twee</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>Pagina drie</w:t></w:r></w:p>"
        '<w:p><w:pPr><w:sectPr><w:type w:val="nextPage"/></w:sectPr></w:pPr></w:p>'
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Pagina vier</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    document = extract(docx(docx_xml(body)), "nota.docx")
    assert document.format == "docx"
    # The explicit page break and Word's rendered break right after it make one break.
    assert texts(document) == [
        "Eerste\tkolom\ntweede regel\nweg",
        "Pagina twee",
        "Pagina drie",
        "Pagina vier",
    ]


def test_docx_core_properties():
    core = (
        b'<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties'
        b' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        b' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
        b"<dc:title>Beleidsnota kansengelijkheid</dc:title><dc:creator>J. Jansen</dc:creator>"
        b"<cp:keywords>onderwijs, armoede</cp:keywords>"
        b"<dcterms:created>2024-03-05T10:00:00Z</dcterms:created></cp:coreProperties>"
    )
    data = docx(docx_xml(paragraphs("De gemeente wil dat alle kinderen een kans krijgen.")))
    data = raw_zip(
        [
            ("[Content_Types].xml", CONTENT_TYPES.encode()),
            ("word/document.xml", docx_xml(paragraphs("De gemeente wil dat het beter wordt."))),
            ("docProps/core.xml", core),
        ]
    )
    meta = extract(data, "x.docx").metadata
    assert meta.title == "Beleidsnota kansengelijkheid"
    assert meta.author == "J. Jansen"
    assert meta.date == dt.date(2024, 3, 5)
    assert meta.keywords == ("onderwijs", "armoede")
    assert meta.doc_type_hint == "beleidsnota"
    assert meta.language == "nld"


def test_docx_without_document_xml_is_not_a_docx():
    with pytest.raises(IngestError) as caught:
        extract(raw_zip([("word/styles.xml", b"<x/>")]), "x.docx")
    assert caught.value.code == "unsupported"


def test_docx_with_malformed_xml_is_corrupt():
    with pytest.raises(IngestError) as caught:
        extract(docx(b"<w:document><w:body>"), "kapot.docx")
    assert caught.value.code == "corrupt"


# --- ODT ----------------------------------------------------------------------------------------


def test_odt_whitespace_spaces_tabs_and_page_breaks():
    body = (
        "<text:h>Kop   met\n   spaties</text:h>"
        '<text:p>een<text:s text:c="3"/>twee<text:tab/>drie<text:line-break/>vier</text:p>'
        '<text:p text:style-name="P1">Na een harde pagina-einde</text:p>'
        "<text:list><text:list-item><text:p>lijstje</text:p></text:list-item></text:list>"
        "<text:p>voor<text:soft-page-break/>na</text:p>"
        "<text:p>noot<text:note><text:note-citation>1</text:note-citation>"
        "<text:note-body><text:p>Voetnoottekst</text:p></text:note-body></text:note> erna</text:p>"
        "<text:p>zichtbaar<office:annotation><text:p>commentaar</text:p></office:annotation>"
        " ook</text:p>"
    )
    document = extract(odt(odt_content(body)), "stuk.odt")
    assert document.format == "odt"
    assert texts(document) == [
        "Kop met spaties\neen   twee\tdrie\nvier",
        "Na een harde pagina-einde\nlijstje\nvoor",
        "na\nnoot1 erna\nVoetnoottekst\nzichtbaar ook",
    ]


def test_odt_meta(shared_data):
    path = shared_data / "documents" / "plooi_officielepublicaties" / "kst-32545-143.odt"
    meta = extract(path.read_bytes(), path.name).metadata
    assert meta.title.startswith("Wet- en regelgeving financiële markten; Motie;")
    assert meta.date == dt.date(2021, 7, 6)
    assert meta.language == "nld"
    assert meta.issuer_hint == "Tweede Kamer der Staten-Generaal"
    assert meta.extra["OVERHEIDop.dossiernummer"] == "32545"
    assert meta.extra["OVERHEIDop.indiener"] == "P.A. Grinwis; I. (Inge) van Dijk"


# --- HTML ---------------------------------------------------------------------------------------


def test_html_blocks_whitespace_tables_pre_and_pages():
    html = (
        b"<html><head><title>Kop</title>"
        b'<meta name="DC.title" content="Raadsvoorstel   armoede"/>'
        b'<meta name="DC.date" content="2023-09-01"/>'
        b'<meta name="DC.creator" content="College van B&amp;W"/>'
        b'<meta name="OVERHEIDop.dossiernummer" content="123"/></head><body>'
        b"<h1>Titel\n   over twee regels</h1><p>Een <b>vet</b> woord<br>nieuwe regel</p>"
        b"<ul><li>een</li><li>twee</li></ul>"
        b"<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td>d</td></tr></table>"
        b"<pre>  code\n    ingesprongen</pre>"
        b'<div class="page">Tweede pagina</div>'
        b'<p style="page-break-before: always">Derde pagina</p>'
        b"</body></html>"
    )
    document = extract(html, "voorstel.html")
    assert texts(document) == [
        "Titel over twee regels\nEen vet woord\nnieuwe regel\neen\ntwee\na\tb\nc\td\n"
        "  code\n    ingesprongen",
        "Tweede pagina",
        "Derde pagina",
    ]
    meta = document.metadata
    assert meta.title == "Raadsvoorstel armoede"
    assert meta.date == dt.date(2023, 9, 1)
    assert meta.issuer_hint == "College van B&W"
    assert meta.doc_type_hint == "raadsvoorstel"
    assert meta.extra["OVERHEIDop.dossiernummer"] == "123"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'<meta charset="windows-1252"><p>Caf\xe9</p>', "Café"),
        (b'<?xml version="1.0" encoding="ISO-8859-1"?><html><p>Caf\xe9</p></html>', "Café"),
        ("<p>Café</p>".encode(), "Café"),
        (codecs.BOM_UTF16_LE + "<p>Café</p>".encode("utf-16-le"), "Café"),
    ],
)
def test_html_encodings(data, expected):
    assert extract(data, "x.html").pages[0].text == expected


# --- text and Markdown --------------------------------------------------------------------------


def test_text_pages_on_form_feed_and_encodings():
    document = extract("Eén\r\ntwee  \f\fdrie\f".encode(), "x.txt")
    assert texts(document) == ["Eén\ntwee", "", "drie"]
    assert document.format == "text"
    assert document.warnings == ()


@pytest.mark.parametrize(
    ("data", "warned"),
    [
        ("Café financiën".encode("cp1252"), True),
        (codecs.BOM_UTF8 + "Café financiën".encode(), False),
        ("Café financiën".encode("utf-16"), False),
        ("Café financiën".encode("utf-16-le"), False),
        ("Café financiën".encode("utf-16-be"), False),
    ],
)
def test_text_decoding(data, warned):
    document = extract(data, "x.txt")
    assert document.pages[0].text == "Café financiën"
    assert (CP1252_WARNING in document.warnings) is warned


def test_markdown_keeps_markup_and_takes_title_from_first_heading():
    data = b"<meta charset='utf-8' />\n\n##Wet gelijke kansen\n\n### Artikel 1\n\n*Tekst*\n"
    document = extract(data, "wet.md")
    assert document.format == "markdown"
    assert document.pages[0].text.startswith("<meta charset='utf-8' />\n\n##Wet gelijke kansen")
    assert "*Tekst*" in document.pages[0].text
    assert document.metadata.title == "Wet gelijke kansen"


def test_markdown_front_matter_title():
    document = extract(b"---\ntitle: 'Notitie'\n---\n\n# Kop\n", "n.md")
    assert document.metadata.title == "Notitie"


# --- PDF ----------------------------------------------------------------------------------------


def test_pdf_pages_and_metadata():
    data = reportlab_pdf(
        [["Raadsvoorstel", "Amsterdam, 3 oktober 2022", "Het college van B&W stelt voor"], ["Twee"]]
    )
    document = extract(data, "voorstel.pdf")
    assert document.format == "pdf"
    assert texts(document)[0].splitlines() == [
        "Raadsvoorstel",
        "Amsterdam, 3 oktober 2022",
        "Het college van B&W stelt voor",
    ]
    assert texts(document)[1] == "Twee"
    assert [page.method for page in document.pages] == ["text", "text"]
    meta = document.metadata
    assert meta.doc_type_hint == "raadsvoorstel"
    assert meta.issuer_hint == "college van B&W"
    # reportlab's invariant mode writes a fixed CreationDate (2000-01-01): metadata wins.
    assert meta.date == dt.date(2000, 1, 1)


def test_pdf_limits_pages():
    with pytest.raises(IngestError) as caught:
        extract(reportlab_pdf([["x"]] * 3), "x.pdf", limits=Limits(max_pages=2))
    assert caught.value.code == "too-many-pages"
    assert "3 pagina's; maximaal 2" in str(caught.value)


def test_render_page_png():
    data = reportlab_pdf([["Een"], ["Twee"]])
    png = render_page_png(data, 2, dpi=72)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (596, 842)  # A4 at 72 dpi
    with pytest.raises(IndexError):
        render_page_png(data, 3)
    small = render_page_png(data, 1, dpi=300, limits=Limits(max_render_pixels=10_000))
    width, height = struct.unpack(">II", small[16:24])
    assert width * height <= 10_400


def test_scanned_pdf_without_ocr_or_tesseract(shared_data):
    path = shared_data / "documents" / "plooi_officielepublicaties" / "blg-1007826_scanned.pdf"
    data = path.read_bytes()
    off = extract(data, path.name, ocr=False)
    assert [page.method for page in off.pages] == ["none", "none"]
    assert off.ocr_pages == 0
    assert "OCR staat uit" in off.pages[0].warnings[0]
    missing = extract(data, path.name, limits=Limits(tesseract_cmd="/nonexistent/tesseract"))
    assert [page.method for page in missing.pages] == ["none", "none"]
    assert "OCR niet beschikbaar: installeer tesseract-ocr en tesseract-ocr-nld" in missing.warnings
    with pytest.raises(IngestError) as caught:
        extract(data, path.name, limits=Limits(tesseract_cmd="/nonexistent/t", ocr_required=True))
    assert caught.value.code == "ocr-unavailable"


# --- model --------------------------------------------------------------------------------------


def test_model_round_trips_through_json():
    document = ExtractedDocument(
        sha256="0" * 64,
        size=3,
        format="text",
        file_name="a b.txt",
        pages=(ExtractedPage(1, "één", "text"), ExtractedPage(2, "", "none", ("let op",))),
        metadata=DocumentMetadata(
            title="T", date=dt.date(2021, 1, 2), keywords=("k",), extra={"a": "b"}
        ),
        warnings=("w",),
        ocr_pages=0,
    )
    again = ExtractedDocument.from_dict(json.loads(json.dumps(document.to_dict())))
    assert again == document
    assert again.text_sha256 == document.text_sha256
    assert document.page(2).warnings == ("let op",)
    with pytest.raises(ValueError, match="start at 1"):
        ExtractedPage(0, "")


def test_ingest_error_is_a_value_error_with_a_dutch_message_and_survives_pickle():
    error = IngestError("encrypted", "Geheim rapport.pdf")
    assert isinstance(error, ValueError)
    assert str(error).startswith("Het bestand 'Geheim rapport.pdf' is met een wachtwoord beveiligd")
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert (again.code, again.file_name, str(again)) == (error.code, error.file_name, str(error))
    with pytest.raises(ValueError, match="unknown"):
        IngestError("nope")


def test_every_generated_page_is_canonical():
    samples = [
        extract(b"a\r\n\x07b  \n\n\x1a", "x.txt"),
        extract(b"<p>a&#0;b</p><p>\xe2\x80\xa8c</p>", "x.html"),
        extract(reportlab_pdf([["x  "]]), "x.pdf"),
    ]
    assert all(is_canonical(page.text) for doc in samples for page in doc.pages)
