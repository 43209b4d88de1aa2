"""Builders for a hostile corpus: files made to break, exhaust or fool a document extractor.

Everything is generated (nothing is committed): raw PDF bytes written by hand so that each
trick is explicit, reportlab for an ordinary and an encrypted PDF, and ZIP files assembled byte
by byte where ``zipfile`` would refuse to write the lie (a member that inflates past its
declared size, a gigabyte member compressed once and reused).
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from dataclasses import dataclass

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)


# --- ZIP ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deflated:
    """A member whose deflate stream was computed elsewhere (so a big one is built only once)."""

    compressed: bytes
    size: int
    crc: int


def deflate_zeros(size: int, chunk: int = 16 * 1024 * 1024) -> Deflated:
    """``size`` zero bytes as one raw deflate stream, with their CRC-32."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts, crc, left = [], 0, size
    block = bytes(chunk)
    while left:
        piece = block[: min(chunk, left)]
        parts.append(compressor.compress(piece))
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    parts.append(compressor.flush())
    return Deflated(b"".join(parts), size, crc)


def raw_zip(members: list[tuple[str, bytes | Deflated]], *, declared: dict | None = None) -> bytes:
    """A ZIP written byte by byte; ``declared`` overrides a member's stated size (a lie)."""
    declared = declared or {}
    out = io.BytesIO()
    central = []
    for name, payload in members:
        if isinstance(payload, Deflated):
            method, data, size, crc = 8, payload.compressed, payload.size, payload.crc
        else:
            method, data, size, crc = 0, payload, len(payload), zlib.crc32(payload)
        size = declared.get(name, size)
        encoded = name.encode("utf-8")
        offset = out.tell()
        local = struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            0,
            method,
            0,
            0x21,
            crc,
            len(data),
            size,
            len(encoded),
            0,
        )
        out.write(local)
        out.write(encoded)
        out.write(data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    for entry in central:
        out.write(entry)
    end = out.tell()
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), end - start, start, 0
        )
    )
    return out.getvalue()


def docx_xml(body: str, *, prolog: str = "") -> bytes:
    """A ``word/document.xml`` with ``body`` (WordprocessingML) inside ``<w:body>``."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    ).encode()


def paragraphs(*texts: str) -> str:
    """WordprocessingML paragraphs, one run each."""
    return "".join(f'<w:p><w:r><w:t xml:space="preserve">{t}</w:t></w:r></w:p>' for t in texts)


def docx(document_xml: bytes, extra: list[tuple[str, bytes | Deflated]] | None = None) -> bytes:
    """A minimal DOCX around ``document_xml``."""
    members: list[tuple[str, bytes | Deflated]] = [
        ("[Content_Types].xml", CONTENT_TYPES.encode()),
        ("word/document.xml", document_xml),
    ]
    return raw_zip(members + list(extra or []))


def odt(content_xml: bytes, extra: list[tuple[str, bytes | Deflated]] | None = None) -> bytes:
    """A minimal ODT around ``content_xml`` (``mimetype`` first and stored, as ODF requires)."""
    members: list[tuple[str, bytes | Deflated]] = [
        ("mimetype", ODT_MIMETYPE),
        ("content.xml", content_xml),
    ]
    return raw_zip(members + list(extra or []))


def odt_content(body: str) -> bytes:
    """An ODT ``content.xml`` with ``body`` inside ``<office:text>``."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
        ' xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
        ' office:version="1.2"><office:automatic-styles>'
        '<style:style style:name="P1" style:family="paragraph">'
        '<style:paragraph-properties fo:break-before="page"/></style:style>'
        "</office:automatic-styles>"
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    ).encode()


def zip_bomb_docx(zeros: Deflated) -> bytes:
    """A valid-looking DOCX with one member that inflates to ``zeros.size`` bytes."""
    return docx(docx_xml(paragraphs("Niets aan de hand.")), [("word/media/image1.bin", zeros)])


def zip_bomb_odt(zeros: Deflated) -> bytes:
    """An ODT whose ``content.xml`` itself inflates to ``zeros.size`` bytes."""
    return raw_zip([("mimetype", ODT_MIMETYPE), ("content.xml", zeros)])


def lying_zip_docx() -> bytes:
    """A DOCX whose ``document.xml`` says it is 200 bytes but inflates to 20 MB."""
    big = deflate_zeros(20 * 1024 * 1024)
    lie = Deflated(big.compressed, 200, big.crc)
    return raw_zip([("[Content_Types].xml", CONTENT_TYPES.encode()), ("word/document.xml", lie)])


def xxe_docx() -> bytes:
    """A DOCX whose XML declares an external entity pointing at /etc/passwd."""
    prolog = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return docx(docx_xml(paragraphs("Gebruikers: &xxe;"), prolog=prolog))


def billion_laughs_docx() -> bytes:
    """A DOCX with the classic exponential entity expansion."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    prolog = f"<!DOCTYPE w:document [{entities}]>"
    return docx(docx_xml(paragraphs("&lol9;"), prolog=prolog))


# --- PDF ------------------------------------------------------------------------------------------


def raw_pdf(objects: list[bytes], *, root: int = 1) -> bytes:
    """A PDF from numbered object bodies (object i+1 = objects[i]) with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, root, xref)
    )
    return out.getvalue()


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def _text_content(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"BT /F1 14 Tf 72 720 Td (" + escaped.encode("latin-1") + b") Tj ET"


def _font() -> bytes:
    return b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def javascript_pdf(text: str, script: str) -> bytes:
    """A one-page PDF that runs ``script`` on open (``/OpenAction``) in a JavaScript viewer."""
    js = script.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode()
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /Names << /JavaScript << /Names"
            b" [(run) 6 0 R] >> >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(_text_content(text)),
            _font(),
            b"<< /Type /Action /S /JavaScript /JS (" + js + b") >>",
        ]
    )


def many_pages_pdf(pages: int, *, declared: int | None = None) -> bytes:
    """A PDF with ``pages`` real page objects (sharing one content stream); ``declared`` lies
    about the count in the page tree."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (kids, declared if declared is not None else pages),
        _stream(_text_content("Pagina")),
        _font(),
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R"
        b" /Resources << /Font << /F1 4 0 R >> >> >>"
    ] * pages
    return raw_pdf(objects)


def deflate_bomb_pdf(zeros: Deflated) -> bytes:
    """A one-page PDF whose content stream inflates to ``zeros.size`` bytes (NUL is whitespace
    in PDF syntax, so the stream is valid, just enormous)."""
    # A zlib stream is a header, the raw deflate data and an Adler-32 trailer. The trailer here
    # is not the real checksum (that would take another pass over the gigabyte); readers inflate
    # first and check it, if at all, at the very end.
    zlib_stream = b"\x78\xda" + zeros.compressed + struct.pack(">I", 1)
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            _stream(zlib_stream, b"/Filter /FlateDecode"),
        ]
    )


def reportlab_pdf(pages: list[list[str]], *, encrypt: str | None = None, owner: str = "") -> bytes:
    """An ordinary text PDF made with reportlab, optionally encrypted with a user password."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    if encrypt is not None:
        pdf.setEncrypt(StandardEncryption(encrypt, ownerPassword=owner or "eigenaar", strength=128))
    for lines in pages:
        y = 800
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --- other ----------------------------------------------------------------------------------------


def random_blob(size: int = 4096, seed: int = 2024) -> bytes:
    """Deterministic random bytes."""
    return random.Random(seed).randbytes(size)


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff"))
        + chunk(b"IEND", b"")
    )
