"""Format from the bytes, not the name; file names made safe."""

from __future__ import annotations

import pytest

from kansenaudit.ingest.model import IngestError
from kansenaudit.ingest.sniff import looks_like_text, safe_file_name, sniff_format
from tests.ingest.hostile import (
    docx,
    docx_xml,
    odt,
    odt_content,
    paragraphs,
    png_bytes,
    random_blob,
    raw_zip,
)

PDF = b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n"


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (PDF, "rapport.docx", "pdf"),
        (b"\xef\xbb\xbf%PDF-1.4\n", "x", "pdf"),  # junk before the header is allowed
        (docx(docx_xml(paragraphs("x"))), "notulen.pdf", "docx"),
        (odt(odt_content("<text:p>x</text:p>")), "notulen.txt", "odt"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "pagina.txt", "html"),
        (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', "a", "html"),
        (b"<p>fragment</p>", "fragment.htm", "html"),
        (b"<meta charset='utf-8' />\n\n##Wet\n", "wet.md", "markdown"),
        (b"# Titel\n\nTekst", "notities", "markdown"),
        (b"Gewone tekst.\n", "notities", "text"),
        (b"# geen markdown want .txt\n", "x.txt", "text"),
        ("Caf\u00e9".encode("cp1252"), "x.txt", "text"),
        ("Tekst".encode("utf-16"), "x.txt", "text"),
        ("Tekst zonder BOM".encode("utf-16-le"), "x.txt", "text"),
        (b"BMW-rapport over mobiliteit\n", "bmw", "text"),  # "BM" is no bitmap when it is text
    ],
)
def test_sniff_format(data, name, expected):
    assert sniff_format(data, name) == expected


@pytest.mark.parametrize(
    ("data", "name", "code", "detail"),
    [
        (b"", "leeg.txt", "empty", ""),
        (png_bytes(), "notities.txt", "unsupported", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "foto.pdf", "unsupported", "JPEG"),
        (random_blob(), "blob.docx", "unsupported", "binaire"),
        (raw_zip([("xl/workbook.xml", b"<x/>")]), "begroting.docx", "unsupported", "Excel"),
        (raw_zip([("foto.jpg", b"...")]), "archief.docx", "unsupported", "ZIP"),
        (
            raw_zip([("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")]),
            "x.odt",
            "unsupported",
            "spreadsheet",
        ),
        (b"PK\x03\x04 kapot", "kapot.docx", "corrupt", "ZIP"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\x00" * 100
            + "EncryptedPackage".encode("utf-16-le"),
            "geheim.docx",
            "encrypted",
            "",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "oud.doc", "unsupported", ".doc"),
    ],
)
def test_sniff_refuses(data, name, code, detail):
    with pytest.raises(IngestError) as caught:
        sniff_format(data, name)
    assert caught.value.code == code
    assert detail in str(caught.value)
    assert name in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\evil\\x.docx", "x.docx"),
        ("/absoluut/pad/naar/nota.pdf", "nota.pdf"),
        ("Schulddossier Quick Guide.pdf", "Schulddossier Quick Guide.pdf"),
        ("  veel   spaties  .pdf ", "veel spaties .pdf"),
        ("nul\x00byte\n.txt", "nulbyte.txt"),
        ("rapport\u202efdp.exe", "rapportfdp.exe"),  # right-to-left override dropped
        ("...", "document"),
        ("", "document"),
        (".htaccess", "htaccess"),
        ("CON.txt", "_CON.txt"),
        ('vraag?"*<>|.txt', "vraag______.txt"),
        ("Cafe\u0301.pdf", "Café.pdf"),
    ],
)
def test_safe_file_name(raw, safe):
    assert safe_file_name(raw) == safe


def test_safe_file_name_limits_length_and_keeps_extension():
    name = safe_file_name("a" * 500 + ".pdf")
    assert len(name) == 150
    assert name.endswith(".pdf")


def test_looks_like_text():
    assert looks_like_text("Eén, twee\ndrie\t".encode())
    assert not looks_like_text(random_blob())
    assert not looks_like_text(b"\x00\x01\x02\x03" * 10)
