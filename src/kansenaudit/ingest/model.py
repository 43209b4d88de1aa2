# SPDX-License-Identifier: EUPL-1.2
"""What an extraction returns: pages of canonical text, metadata, and the error it may raise.

All result types are frozen dataclasses of plain values, so a result can cross a process
boundary as JSON (:meth:`ExtractedDocument.to_dict` / :meth:`ExtractedDocument.from_dict`):
the isolated extractor sends it from a child process that way, never as a pickle.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from kansenaudit.ingest.canonical import text_sha256

__all__ = [
    "ERROR_CODES",
    "FORMATS",
    "DocumentMetadata",
    "ExtractedDocument",
    "ExtractedPage",
    "IngestError",
    "PageMethod",
    "dutch_number",
]

PageMethod = Literal["text", "ocr", "none"]
Format = Literal["pdf", "docx", "odt", "html", "text", "markdown"]
FORMATS: tuple[str, ...] = ("pdf", "docx", "odt", "html", "text", "markdown")
_METHODS = ("text", "ocr", "none")

# Dutch user-facing messages, one per error code; the file name goes in front so that a list
# of upload errors says which file each one is about.
ERROR_CODES: dict[str, str] = {
    "encrypted": "is met een wachtwoord beveiligd en kan niet worden gelezen. "
    "Lever een versie zonder wachtwoord aan.",
    "zip-bomb": "pakt uit tot een onredelijk grote hoeveelheid gegevens (mogelijk een zip-bom) "
    "en is daarom geweigerd.",
    "too-large": "is te groot of vraagt te veel geheugen om te verwerken.",
    "empty": "is leeg.",
    "corrupt": "is beschadigd of onvolledig en kan niet worden gelezen.",
    "unsupported": "heeft een bestandsformaat dat niet wordt ondersteund. Toegestaan zijn PDF, "
    "Word (DOCX), OpenDocument-tekst (ODT), HTML, platte tekst en Markdown.",
    "timeout": "kon niet binnen de tijdslimiet worden verwerkt; de verwerking is afgebroken.",
    "too-many-pages": "heeft te veel pagina's om te verwerken.",
    "xml-entities": "bevat XML met een DTD of entiteiten; dat wordt om veiligheidsredenen "
    "geweigerd.",
    "ocr-unavailable": "heeft pagina's zonder tekstlaag, maar tekstherkenning (OCR) is niet "
    "beschikbaar: installeer tesseract-ocr en tesseract-ocr-nld.",
}


def dutch_number(value: float, decimals: int = 0) -> str:
    """Format a number the Dutch way for messages: ``1.024`` thousands, ``2,5`` decimals.

    Examples
    --------
    >>> dutch_number(1234567)
    '1.234.567'
    >>> dutch_number(150.25, 1)
    '150,2'
    """
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


class IngestError(ValueError):
    """A file that cannot be ingested, with a Dutch message for the person who uploaded it.

    Parameters
    ----------
    code : str
        Machine-readable reason, one of :data:`ERROR_CODES` (``"encrypted"``, ``"zip-bomb"``,
        ``"too-large"``, ``"empty"``, ``"corrupt"``, ``"unsupported"``, ``"timeout"``,
        ``"too-many-pages"``, ``"xml-entities"``, ``"ocr-unavailable"``).
    file_name : str
        The (sanitised) file name the message names.
    detail : str
        Extra technical detail (a library's message, a limit), appended in parentheses.

    Examples
    --------
    >>> str(IngestError("empty", "leeg.txt"))
    "Het bestand 'leeg.txt' is leeg."
    >>> IngestError("too-large", "x.pdf", "150 MB; maximaal 100 MB").code
    'too-large'
    """

    def __init__(self, code: str, file_name: str = "", detail: str = "") -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown ingest error code {code!r}")
        self.code = code
        self.file_name = file_name
        self.detail = detail
        name = f"'{file_name}'" if file_name else "zonder naam"
        message = f"Het bestand {name} {ERROR_CODES[code]}"
        if detail:
            message = f"{message} ({detail})"
        self.message = message
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, tuple[str, str, str]]:
        # The default reduce would call __init__(message) and lose the code.
        return (type(self), (self.code, self.file_name, self.detail))

    def to_dict(self) -> dict[str, str]:
        """The error as plain JSON-able values."""
        return {"code": self.code, "file_name": self.file_name, "detail": self.detail}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IngestError:
        """Rebuild an error from :meth:`to_dict` output."""
        return cls(str(data["code"]), str(data.get("file_name", "")), str(data.get("detail", "")))


@dataclass(frozen=True)
class ExtractedPage:
    """One page of canonical text.

    Attributes
    ----------
    number : int
        1-based page number.
    text : str
        Canonical text (see :mod:`kansenaudit.ingest.canonical`); offsets point into it.
    method : {"text", "ocr", "none"}
        Where the text came from: the text layer / markup, OCR, or nowhere (no text layer and
        no OCR; ``text`` then holds whatever little the text layer had, possibly ``""``).
    warnings : tuple of str
        Dutch notes about this page (OCR unavailable, OCR failed, …).
    """

    number: int
    text: str
    method: PageMethod = "text"
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.number < 1:
            raise ValueError("page numbers start at 1")
        if self.method not in _METHODS:
            raise ValueError(f"unknown page method {self.method!r}")

    @property
    def text_sha256(self) -> str:
        """SHA-256 of the page's canonical text."""
        return text_sha256(self.text)


@dataclass(frozen=True)
class DocumentMetadata:
    """What is known about a document besides its text; every field may be unknown.

    Attributes
    ----------
    title : str or None
        From the file's metadata, else the first non-empty line.
    date : datetime.date or None
        From the file's metadata, else the first Dutch date on the first page.
    issuer_hint : str or None
        A guess at who issued it (``"college van B&W"``, ``"gemeenteraad"``, …).
    doc_type_hint : str or None
        A guess at the kind of document (``"coalitieakkoord"``, ``"motie"``, …).
    language : str or None
        ISO 639-3 code: ``"nld"``, ``"eng"``, …
    author : str or None
        Author or creator named in the file's metadata.
    keywords : tuple of str
        Keywords from the file's metadata.
    extra : dict of str to str
        Other metadata fields as found (e.g. ``OVERHEIDop.dossiernummer``); repeated fields are
        joined with ``"; "``.
    """

    title: str | None = None
    date: dt.date | None = None
    issuer_hint: str | None = None
    doc_type_hint: str | None = None
    language: str | None = None
    author: str | None = None
    keywords: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The metadata as JSON-able values (the date as ISO text)."""
        return {
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "issuer_hint": self.issuer_hint,
            "doc_type_hint": self.doc_type_hint,
            "language": self.language,
            "author": self.author,
            "keywords": list(self.keywords),
            "extra": dict(self.extra),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentMetadata:
        """Rebuild metadata from :meth:`to_dict` output."""
        date = data.get("date")
        return cls(
            title=data.get("title"),
            date=dt.date.fromisoformat(date) if date else None,
            issuer_hint=data.get("issuer_hint"),
            doc_type_hint=data.get("doc_type_hint"),
            language=data.get("language"),
            author=data.get("author"),
            keywords=tuple(data.get("keywords") or ()),
            extra={str(k): str(v) for k, v in (data.get("extra") or {}).items()},
        )


@dataclass(frozen=True)
class ExtractedDocument:
    """The result of ingesting one file.

    Attributes
    ----------
    sha256 : str
        SHA-256 (hex) of the file's bytes, as received.
    size : int
        Size of the file in bytes.
    format : {"pdf", "docx", "odt", "html", "text", "markdown"}
        The format sniffed from the bytes.
    file_name : str
        The sanitised file name (see :func:`kansenaudit.ingest.sniff.safe_file_name`).
    pages : tuple of ExtractedPage
        At least one page, numbered 1, 2, … in order.
    metadata : DocumentMetadata
        Metadata from the file and heuristics.
    warnings : tuple of str
        Dutch notes about the whole document (encoding guessed, OCR unavailable, …).
    ocr_pages : int
        How many pages got their text from OCR.
    """

    sha256: str
    size: int
    format: Format
    file_name: str
    pages: tuple[ExtractedPage, ...]
    metadata: DocumentMetadata = field(default_factory=DocumentMetadata)
    warnings: tuple[str, ...] = ()
    ocr_pages: int = 0

    @property
    def page_count(self) -> int:
        """Number of pages."""
        return len(self.pages)

    @property
    def text_sha256(self) -> str:
        """SHA-256 over all page texts joined by form feeds (which no canonical page contains)."""
        return text_sha256("\f".join(page.text for page in self.pages))

    def page(self, number: int) -> ExtractedPage:
        """The page with 1-based ``number``."""
        if not 1 <= number <= len(self.pages):
            raise IndexError(f"page {number} out of range 1..{len(self.pages)}")
        return self.pages[number - 1]

    def to_dict(self) -> dict[str, Any]:
        """The document as JSON-able values."""
        return {
            "sha256": self.sha256,
            "size": self.size,
            "format": self.format,
            "file_name": self.file_name,
            "pages": [
                {
                    "number": p.number,
                    "text": p.text,
                    "method": p.method,
                    "warnings": list(p.warnings),
                }
                for p in self.pages
            ],
            "metadata": self.metadata.to_dict(),
            "warnings": list(self.warnings),
            "ocr_pages": self.ocr_pages,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExtractedDocument:
        """Rebuild a document from :meth:`to_dict` output."""
        fmt = data["format"]
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        return cls(
            sha256=str(data["sha256"]),
            size=int(data["size"]),
            format=fmt,
            file_name=str(data["file_name"]),
            pages=tuple(
                ExtractedPage(
                    number=int(p["number"]),
                    text=str(p["text"]),
                    method=p["method"],
                    warnings=tuple(p.get("warnings") or ()),
                )
                for p in data["pages"]
            ),
            metadata=DocumentMetadata.from_dict(data.get("metadata") or {}),
            warnings=tuple(data.get("warnings") or ()),
            ocr_pages=int(data.get("ocr_pages", 0)),
        )
