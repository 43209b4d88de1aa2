# SPDX-License-Identifier: EUPL-1.2
"""Plain text and Markdown: decode the bytes, split pages on form feeds, keep the markup.

Pages are separated by form feeds; a form feed at the very end (as ``pdftotext`` writes after
every page) does not open an empty last page. Markdown is not rendered: its text, markup
characters included, *is* the canonical text, so an offset in a coded Markdown file points at
the same character the author typed. The title is the first heading (``# Titel``, ``##Titel``
as in the law texts, or a setext heading), after skipping a leading HTML line such as the law
texts' stray ``<meta …>``; YAML front matter with ``title:`` comes first.

Decoding: a byte-order mark decides (UTF-8, UTF-16, UTF-32); otherwise UTF-8 if the bytes are
valid UTF-8, UTF-16 if the NUL pattern says so, and else Windows-1252 with a warning, because
that is what Dutch files that are not UTF-8 nearly always are.
"""

from __future__ import annotations

import codecs
import re

from kansenaudit.ingest.limits import Limits
from kansenaudit.ingest.raw import RawDocument, RawMetadata, RawPage

__all__ = ["decode_text", "markdown_title", "read_markdown", "read_text"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
CP1252_WARNING = (
    "De tekenset van het bestand is niet aangegeven en het is geen geldige UTF-8; "
    "het is gelezen als Windows-1252. Controleer letters met accenten."
)
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]*(?P<title>[^#\n].*?)[ \t]*#*[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_FRONT_MATTER_TITLE = re.compile(r"^title:\s*[\"']?(?P<title>.+?)[\"']?\s*$", re.MULTILINE)


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:4096]
    if b"\x00" not in head or len(data) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) == 0:
        encoding = "utf-16-le"
    elif even.count(0) > 0.9 * len(even) and odd.count(0) == 0:
        encoding = "utf-16-be"
    else:
        return None
    return data.decode(encoding, errors="replace")


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode text bytes; return ``(text, encoding, warnings)``.

    Parameters
    ----------
    data : bytes
        The raw bytes.
    declared : str, optional
        An encoding the file declares (HTML ``charset``); used when there is no byte-order
        mark and the codec exists.

    Returns
    -------
    tuple
        The text (without BOM), the encoding used, and Dutch warnings.

    Examples
    --------
    >>> decode_text("Café".encode("cp1252"))[:2]
    ('Café', 'cp1252')
    >>> decode_text(codecs.BOM_UTF16_LE + "Eén".encode("utf-16-le"))[:2]
    ('Eén', 'utf-16-le')
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding, []
    if declared:
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            codec = None
        # A declared single-byte Western charset is often wrong (UTF-8 labelled latin-1), so
        # valid UTF-8 still wins below; other declared codecs are trusted.
        if codec and codec not in {"latin-1", "iso8859-1", "cp1252", "ascii"}:
            return data.decode(codec, errors="replace"), codec, []
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16, "utf-16", []
    return data.decode("cp1252", errors="replace"), "cp1252", [CP1252_WARNING]


def _split_pages(text: str) -> list[RawPage]:
    # A form feed is the one page separator plain text has (pdftotext and printers agree).
    # pdftotext ends every page with one, so a form feed at the very end opens no new page.
    parts = text.split("\f")
    if len(parts) > 1 and not parts[-1].strip():
        parts.pop()
    return [RawPage(part) for part in parts]


def markdown_title(text: str) -> str | None:
    """The first heading of a Markdown text, or None.

    Examples
    --------
    >>> markdown_title("<meta charset='utf-8' />\\n\\n##Wet op het onderwijs\\n\\n### Artikel 1")
    'Wet op het onderwijs'
    >>> markdown_title("Kansengelijkheid\\n================\\n")
    'Kansengelijkheid'
    """
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end > 0:
            match = _FRONT_MATTER_TITLE.search(text[4:end])
            if match:
                return match.group("title").strip()
    lines = text.split("\n", 400)[:400]
    for index, line in enumerate(lines):
        match = _ATX_HEADING.match(line)
        if match:
            return match.group("title").strip() or None
        stripped = line.strip()
        if (
            stripped
            and not stripped.startswith("<")
            and index + 1 < len(lines)
            and _SETEXT_UNDERLINE.match(lines[index + 1])
        ):
            return stripped
    return None


def read_text(data: bytes, file_name: str, *, limits: Limits, ocr: bool = True) -> RawDocument:
    """Read a plain-text file (``limits`` and ``ocr`` are unused: text needs neither)."""
    del limits, ocr
    text, encoding, warnings = decode_text(data)
    metadata = RawMetadata()
    metadata.add_extra("encoding", encoding)
    return RawDocument(pages=_split_pages(text), metadata=metadata, warnings=warnings)


def read_markdown(data: bytes, file_name: str, *, limits: Limits, ocr: bool = True) -> RawDocument:
    """Read a Markdown file: text as is, title from the first heading."""
    document = read_text(data, file_name, limits=limits, ocr=ocr)
    full = "\f".join(page.text for page in document.pages)
    document.metadata.title = markdown_title(full.replace("\r\n", "\n").lstrip("\ufeff"))
    return document
