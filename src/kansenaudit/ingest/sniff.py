# SPDX-License-Identifier: EUPL-1.2
"""Recognise a file's format from its bytes, and make an uploaded file name safe to show and store.

The extension an uploader chose says little (``rapport.pdf`` may be a Word file, ``notes.txt`` a
PNG), so the format comes from the content: magic numbers, and for ZIP containers the member
that identifies the format (``word/document.xml`` for DOCX, a ``mimetype`` member reading
``application/vnd.oasis.opendocument.text`` for ODT). The extension only breaks the tie between
the text formats (plain text, Markdown, HTML), which share no magic number.

Examples
--------
>>> sniff_format(b"%PDF-1.7\\n...", "x.txt")
'pdf'
>>> sniff_format(b"# Titel\\n\\nTekst", "notities.md")
'markdown'
>>> safe_file_name("../../etc/passwd")
'passwd'
>>> safe_file_name("C:\\\\evil\\\\x.docx")
'x.docx'
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile

from kansenaudit.ingest.model import IngestError, dutch_number

__all__ = ["ODT_MIMETYPE", "looks_like_text", "safe_file_name", "sniff_format", "zip_entry_count"]

ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
MAX_NAME_LENGTH = 150
_FALLBACK_NAME = "document"

# Formats we refuse, recognised so that the message can say what the file really is. The
# short, weak signatures (two letters such as "BM") only count for data that is not text.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "een PNG-afbeelding"),
    (b"\xff\xd8\xff", "een JPEG-afbeelding"),
    (b"GIF87a", "een GIF-afbeelding"),
    (b"GIF89a", "een GIF-afbeelding"),
    (b"II*\x00", "een TIFF-afbeelding"),
    (b"MM\x00*", "een TIFF-afbeelding"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "een oud Office-bestand (.doc/.xls/.msg)"),
    (b"{\\rtf", "een RTF-bestand"),
    (b"\x1f\x8b", "een gzip-archief"),
    (b"7z\xbc\xaf\x27\x1c", "een 7z-archief"),
    (b"Rar!\x1a\x07", "een RAR-archief"),
    (b"\x7fELF", "een programma (ELF)"),
)
_WEAK_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"BM", "een BMP-afbeelding"),
    (b"MZ", "een programma (EXE)"),
    (b"RIFF", "een audio- of videobestand"),
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_MARKDOWN_HINT = re.compile(r"^(?:#{1,6}\s*\S|```|\* \S|- \S|\d+\. \S)", re.MULTILINE)
_HTML_EXTENSIONS = {"html", "htm", "xhtml", "xht"}
_MARKDOWN_EXTENSIONS = {"md", "markdown", "mdown", "mkd"}
_TEXT_EXTENSIONS = {"txt", "text", "csv", "tsv", "log"}
_WINDOWS_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?$", re.IGNORECASE)
_UNSAFE_CHARS = re.compile(r'[<>:"|?*]')


def safe_file_name(name: str, *, max_length: int = MAX_NAME_LENGTH) -> str:
    """Return ``name`` without directories, traversal or control characters, still readable.

    Only the last path component survives (``/`` and ``\\`` both count as separators), so
    ``../../etc/passwd`` and ``C:\\evil\\x.docx`` lose their folders. Control and format
    characters (NUL, newlines, the right-to-left override used to disguise ``.exe`` files) are
    dropped, characters Windows forbids become ``_``, runs of whitespace become one space (spaces
    themselves are kept: real file names have them), leading dots go (no hidden files), and the
    name is cut to ``max_length`` characters keeping the extension. An empty result becomes
    ``"document"``.

    Parameters
    ----------
    name : str
        The name as the uploader's browser or the source sent it.
    max_length : int
        Maximum length in characters.

    Returns
    -------
    str
        A safe, non-empty file name in NFC.

    Examples
    --------
    >>> safe_file_name("Schulddossier Quick Guide.pdf")
    'Schulddossier Quick Guide.pdf'
    >>> safe_file_name("/tmp/../.hidden\\x00name.txt")
    'hiddenname.txt'
    >>> safe_file_name("..")
    'document'
    """
    name = unicodedata.normalize("NFC", str(name))
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co"})
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_CHARS.sub("_", name)
    name = " ".join(name.split())
    name = name.lstrip(". ").rstrip(". ")
    if _WINDOWS_RESERVED.match(name):
        name = f"_{name}"
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10 and stem:
            name = f"{stem[: max_length - len(ext) - 1].rstrip()}.{ext}"
        else:
            name = name[:max_length].rstrip()
    return name or _FALLBACK_NAME


def _extension(file_name: str) -> str:
    stem, dot, ext = safe_file_name(file_name).rpartition(".")
    return ext.lower() if dot and stem else ""


def looks_like_text(data: bytes) -> bool:
    """Whether ``data`` is plausibly text (UTF-8, UTF-16, cp1252, …) rather than binary.

    A byte-order mark settles it; otherwise NUL bytes mean binary unless they sit in every
    other position (UTF-16 without a BOM), and other control bytes beyond a handful (or 1%)
    mean binary.

    Examples
    --------
    >>> looks_like_text("Eén regel".encode("cp1252"))
    True
    >>> looks_like_text(bytes(range(256)))
    False
    """
    if data.startswith(_BOMS):
        return True
    head = data[:65536]
    if not head:
        return True
    if b"\x00" in head:
        even, odd = head[0::2], head[1::2]
        # UTF-16 without BOM: ASCII-range text has NUL in every high byte and nowhere else.
        return (even.count(0) > 0.9 * len(even) and odd.count(0) == 0) or (
            odd.count(0) > 0.9 * len(odd) and even.count(0) == 0
        )
    # Tab, newlines, form feed, escape and the DOS end-of-file mark (Ctrl-Z) occur in text.
    allowed = (0x09, 0x0A, 0x0C, 0x0D, 0x1A, 0x1B)
    controls = sum(1 for b in head if b < 0x20 and b not in allowed)
    return controls <= max(4, len(head) * 0.01)


def zip_entry_count(data: bytes) -> int | None:
    """The number of entries a ZIP's end-of-central-directory record declares, or None.

    Read straight from the bytes, so that a ZIP claiming millions of entries is refused
    before :mod:`zipfile` builds an object for each of them.

    Examples
    --------
    >>> import io, zipfile
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as archive:
    ...     archive.writestr("a.txt", "a")
    ...     archive.writestr("b.txt", "b")
    >>> zip_entry_count(buffer.getvalue())
    2
    """
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    (count,) = struct.unpack_from("<H", data, end + 10)
    locator = end - 20
    if count == 0xFFFF and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", data, locator + 8)
        if offset + 56 <= len(data) and data[offset : offset + 4] == b"PK\x06\x06":
            (count,) = struct.unpack_from("<Q", data, offset + 32)
    return count


def _sniff_zip(data: bytes, file_name: str, max_members: int) -> str:
    count = zip_entry_count(data)
    if count is not None and count > max_members:
        raise IngestError(
            "zip-bomb",
            file_name,
            f"{dutch_number(count)} onderdelen; maximaal {dutch_number(max_members)}",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise IngestError("corrupt", file_name, f"ongeldig ZIP-bestand: {exc}") from exc
    with archive:
        names = set(archive.namelist())
        if "mimetype" in names:
            info = archive.getinfo("mimetype")
            # A genuine mimetype member is a few dozen bytes; never inflate a big one.
            if info.file_size <= 200 and info.compress_size <= 400:
                try:
                    with archive.open(info) as member:
                        mimetype = member.read(201).decode("ascii", "replace").strip()
                except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError) as exc:
                    raise IngestError("corrupt", file_name, str(exc)) from exc
                if mimetype == ODT_MIMETYPE:
                    return "odt"
                if mimetype.startswith("application/vnd.oasis.opendocument."):
                    raise IngestError(
                        "unsupported", file_name, f"een ander OpenDocument-type: {mimetype}"
                    )
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            raise IngestError("unsupported", file_name, "een Excel-werkmap")
        if "ppt/presentation.xml" in names:
            raise IngestError("unsupported", file_name, "een PowerPoint-presentatie")
    raise IngestError("unsupported", file_name, "een ZIP-archief")


def _sniff_text(data: bytes, file_name: str) -> str:
    ext = _extension(file_name)
    if ext in _HTML_EXTENSIONS:
        return "html"
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        encoding = "utf-16-be" if head.startswith(b"\xfe\xff") or head[:1] == b"\x00" else "utf-16"
        sample = head.decode(encoding, "replace")
    else:
        sample = head.decode("utf-8", "replace")
    sample = sample.lstrip("\ufeff")
    # A full HTML document is HTML whatever its extension; a stray <meta> line (as in the law
    # texts) is not enough, so that those stay Markdown.
    if _HTML_START.match(sample):
        return "html"
    if ext in _MARKDOWN_EXTENSIONS:
        return "markdown"
    if ext in _TEXT_EXTENSIONS:
        return "text"
    return "markdown" if _MARKDOWN_HINT.search(sample) else "text"


def sniff_format(data: bytes, file_name: str = "", *, max_zip_members: int = 10_000) -> str:
    """Return the format of ``data``: ``"pdf"``, ``"docx"``, ``"odt"``, ``"html"``, ``"text"``
    or ``"markdown"``.

    Parameters
    ----------
    data : bytes
        The whole file.
    file_name : str
        Only its extension is used, and only to choose between the text formats.
    max_zip_members : int
        A ZIP declaring more entries is refused as ``"zip-bomb"`` before it is opened.

    Returns
    -------
    str
        The format.

    Raises
    ------
    IngestError
        ``"empty"`` for no bytes, ``"unsupported"`` for anything else (images, archives,
        spreadsheets, binary data), ``"corrupt"`` for a ZIP that cannot be opened,
        ``"zip-bomb"`` for a ZIP declaring more than ``max_zip_members`` entries,
        ``"encrypted"`` for a password-protected Office file.

    Examples
    --------
    >>> sniff_format(b"<!DOCTYPE html><title>x</title>", "x.txt")
    'html'
    >>> try:
    ...     sniff_format(b"\\x89PNG\\r\\n\\x1a\\n....", "notities.txt")
    ... except IngestError as error:
    ...     print(error.code, error.detail)
    unsupported een PNG-afbeelding
    """
    name = safe_file_name(file_name) if file_name else ""
    if not data:
        raise IngestError("empty", name)
    # PDF readers accept a header anywhere in the first KiB (some generators prepend junk).
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data, name, max_zip_members)
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_PACKAGE in data:
        # Office encrypts a password-protected DOCX into an OLE container with this stream.
        raise IngestError("encrypted", name, "versleuteld Office-document")
    for magic, description in _BINARY_MAGIC:
        if data.startswith(magic):
            raise IngestError("unsupported", name, description)
    if looks_like_text(data):
        return _sniff_text(data, name)
    for magic, description in _WEAK_MAGIC:
        if data.startswith(magic):
            raise IngestError("unsupported", name, description)
    if data[4:8] == b"ftyp":
        raise IngestError("unsupported", name, "een video- of afbeeldingsbestand")
    raise IngestError("unsupported", name, "binaire gegevens die geen document zijn")
