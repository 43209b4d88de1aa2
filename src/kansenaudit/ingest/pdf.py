# SPDX-License-Identifier: EUPL-1.2
"""PDF: the text layer per page with PDFium (pypdfium2), OCR with Tesseract where there is none.

Text. ``get_text_bounded`` returns the characters inside the page box in PDFium's reading
order, lines separated by ``\\r\\n`` (canonicalisation makes that ``\\n``). Text placed outside
the page box (invisible to a reader of the printed page) is left out. Where a word is
hyphenated at the end of a line PDFium reports the hyphen and line break as one ``U+0002``; it
becomes ``"-\\n"`` again, so the text matches the printed page.

OCR. A page with fewer than ``Limits.ocr_min_chars`` non-space characters and an image on it
is a scan: it is rendered in greyscale at ``Limits.ocr_dpi`` and passed to
``tesseract stdin stdout -l <ocr_languages> --psm 1`` through a pipe (no temporary files), with
a timeout per page. Its text then comes from OCR (method ``"ocr"``). Without Tesseract (or its
Dutch language data) such a page keeps method ``"none"`` and the document gets the warning
"OCR niet beschikbaar: installeer tesseract-ocr en tesseract-ocr-nld" — never an exception,
unless ``Limits.ocr_required`` asks for one.

Safety. PDFium is not thread-safe, so every call into it holds one process-wide lock. It is
opened without a form environment, so JavaScript (``/OpenAction``, form actions) is never run:
we only read text and render pixels. A password-protected file → ``IngestError("encrypted")``,
more than ``Limits.max_pages`` pages → ``"too-many-pages"``, a file PDFium cannot parse →
``"corrupt"`` with PDFium's message. Render sizes are capped at ``Limits.max_render_pixels``.
Decompression bombs inside content streams are not detected here (PDFium inflates a 1 GB
stream in about 2 s and 2 GB of memory): run untrusted files through
:func:`kansenaudit.ingest.extract.extract_isolated`, whose memory and time limits stop them.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import struct
import subprocess
import threading
import zlib

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from kansenaudit.ingest.limits import Limits
from kansenaudit.ingest.model import IngestError, dutch_number
from kansenaudit.ingest.raw import RawDocument, RawMetadata, RawPage

__all__ = ["OCR_UNAVAILABLE", "ocr_image", "read_pdf", "render_page_png"]

OCR_UNAVAILABLE = "OCR niet beschikbaar: installeer tesseract-ocr en tesseract-ocr-nld"
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
# PDFium's error codes (fpdfview.h): 4 = password required or wrong, 6 = unsupported security
# handler; both mean we cannot read the file without a password.
_ENCRYPTED_ERRORS = {pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY}
# PDFium is not thread-safe: a web server with worker threads must not call it concurrently.
# OCR (a separate Tesseract process) runs while the lock is held too; for parallel work use
# processes (extract_isolated), which do not share the lock.
_PDFIUM_LOCK = threading.RLock()


class _OcrUnavailable(Exception):
    """Tesseract or its language data is missing."""


def _open(data: bytes, file_name: str, limits: Limits) -> pdfium.PdfDocument:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in _ENCRYPTED_ERRORS:
            raise IngestError("encrypted", file_name) from exc
        if exc.err_code == pdfium_c.FPDF_ERR_SUCCESS:
            # PDFium opened it but found no pages.
            raise IngestError("empty", file_name, "PDF zonder pagina's") from exc
        raise IngestError("corrupt", file_name, f"PDFium: {exc}") from exc
    pages = len(document)
    if pages > limits.max_pages:
        document.close()
        raise IngestError(
            "too-many-pages",
            file_name,
            f"{dutch_number(pages)} pagina's; maximaal {dutch_number(limits.max_pages)}",
        )
    return document


def _pdf_date(value: str) -> dt.date | None:
    match = _PDF_DATE.match(value.strip())
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _metadata(document: pdfium.PdfDocument) -> RawMetadata:
    metadata = RawMetadata()
    try:
        info = document.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError:
        return metadata
    for key, value in sorted(info.items()):
        metadata.add_extra(key, value)
    metadata.title = " ".join(info.get("Title", "").split()) or None
    metadata.author = " ".join(info.get("Author", "").split()) or None
    if info.get("CreationDate"):
        metadata.date = _pdf_date(info["CreationDate"])
    keywords = info.get("Keywords", "")
    metadata.keywords = tuple(k.strip() for k in re.split(r"[,;]", keywords) if k.strip())
    return metadata


def _has_image(page: pdfium.PdfPage) -> bool:
    # Images inside form XObjects count too (scanners and Word both wrap them).
    for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        return True
    return False


def _scale(page: pdfium.PdfPage, dpi: float, max_pixels: int) -> float:
    scale = dpi / 72
    width, height = page.get_size()
    pixels = max(width * scale, 1) * max(height * scale, 1)
    if pixels > max_pixels:
        scale *= math.sqrt(max_pixels / pixels)
    return scale


def _gray_pgm(page: pdfium.PdfPage, dpi: float, max_pixels: int) -> bytes:
    bitmap = page.render(
        scale=_scale(page, dpi, max_pixels),
        grayscale=True,
    )
    try:
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        buffer = memoryview(bitmap.buffer).cast("B")
        if stride == width:
            pixels = bytes(buffer[: width * height])
        else:
            pixels = b"".join(
                bytes(buffer[row * stride : row * stride + width]) for row in range(height)
            )
    finally:
        bitmap.close()
    return b"P5\n%d %d\n255\n" % (width, height) + pixels


def ocr_image(image: bytes, *, languages: str, timeout_s: float, tesseract_cmd: str) -> str:
    """Run Tesseract on one image (PNG, PNM, TIFF, …, as bytes) and return its text.

    Parameters
    ----------
    image : bytes
        The image, passed on stdin.
    languages : str
        Tesseract language list such as ``"nld+eng"``.
    timeout_s : float
        Wall-clock limit; Tesseract is killed after it.
    tesseract_cmd : str
        The executable.

    Returns
    -------
    str
        Tesseract's text (UTF-8 decoded, not yet canonical).

    Raises
    ------
    subprocess.TimeoutExpired
        When Tesseract takes longer than ``timeout_s``.
    RuntimeError
        When Tesseract fails for another reason.
    """
    env = dict(os.environ)
    # One thread: OCR runs inside a worker that is already one of several, and Tesseract's
    # OpenMP threads on a small machine make it slower, not faster.
    env.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [tesseract_cmd, "stdin", "stdout", "-l", languages, "--psm", "1"],
            input=image,
            capture_output=True,
            timeout=timeout_s,
            check=False,
            env=env,
        )
    except (FileNotFoundError, PermissionError) as exc:
        raise _OcrUnavailable(str(exc)) from exc
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        if "Failed loading language" in message or "Could not initialize tesseract" in message:
            raise _OcrUnavailable(message)
        raise RuntimeError(message[-500:] or f"tesseract exit code {result.returncode}")
    return result.stdout.decode("utf-8", errors="replace")


class _Ocr:
    """OCR state for one document: whether Tesseract works, and how many pages it did."""

    def __init__(self, limits: Limits, enabled: bool, file_name: str) -> None:
        self.limits = limits
        self.enabled = enabled
        self.file_name = file_name
        self.available = True
        self.done = 0
        self.warnings: list[str] = []

    def page(self, page: pdfium.PdfPage, number: int, text: str) -> RawPage:
        if not self.enabled:
            return RawPage(text, "none", [f"Pagina {number} heeft geen tekstlaag; OCR staat uit."])
        if not self.available:
            return RawPage(text, "none", [OCR_UNAVAILABLE])
        if self.done >= self.limits.ocr_max_pages:
            limit = self.limits.ocr_max_pages
            return RawPage(text, "none", [f"Pagina {number} niet herkend: OCR-maximum {limit}."])
        image = _gray_pgm(page, self.limits.ocr_dpi, self.limits.max_render_pixels)
        try:
            recognised = ocr_image(
                image,
                languages=self.limits.ocr_languages,
                timeout_s=self.limits.ocr_timeout_s,
                tesseract_cmd=self.limits.tesseract_cmd,
            )
        except _OcrUnavailable as exc:
            self.available = False
            if self.limits.ocr_required:
                raise IngestError("ocr-unavailable", self.file_name, str(exc)[:200]) from exc
            self.warnings.append(OCR_UNAVAILABLE)
            return RawPage(text, "none", [OCR_UNAVAILABLE])
        except subprocess.TimeoutExpired:
            return RawPage(
                text,
                "none",
                [f"OCR van pagina {number} duurde langer dan {self.limits.ocr_timeout_s:g} s."],
            )
        except RuntimeError as exc:
            return RawPage(text, "none", [f"OCR van pagina {number} mislukte: {str(exc)[:200]}"])
        self.done += 1
        return RawPage(recognised, "ocr")


def read_pdf(data: bytes, file_name: str, *, limits: Limits, ocr: bool = True) -> RawDocument:
    """Read a PDF: text per page, OCR for image-only pages, metadata from the info dictionary."""
    with _PDFIUM_LOCK:
        return _read_pdf(data, file_name, limits, ocr)


def _read_pdf(data: bytes, file_name: str, limits: Limits, ocr: bool) -> RawDocument:
    document = _open(data, file_name, limits)
    try:
        metadata = _metadata(document)
        state = _Ocr(limits, ocr, file_name)
        pages: list[RawPage] = []
        for index in range(len(document)):
            try:
                page = document[index]
            except pdfium.PdfiumError as exc:
                pages.append(RawPage("", "none", [f"Pagina {index + 1} onleesbaar: {exc}"]))
                continue
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_bounded().replace("\x02", "-\n")
                finally:
                    textpage.close()
                visible = sum(1 for ch in text if not ch.isspace())
                if visible < limits.ocr_min_chars and _has_image(page):
                    pages.append(state.page(page, index + 1, text))
                else:
                    pages.append(RawPage(text))
            finally:
                page.close()
    finally:
        document.close()
    warnings = list(dict.fromkeys(state.warnings))
    return RawDocument(pages=pages, metadata=metadata, warnings=warnings)


def _png(width: int, height: int, channels: int, rows: bytes) -> bytes:
    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    color_type = {1: 0, 3: 2}[channels]
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 6))
        + chunk(b"IEND", b"")
    )


def render_page_png(
    data: bytes,
    page_number: int,
    *,
    dpi: int = 110,
    file_name: str = "",
    limits: Limits | None = None,
) -> bytes:
    """Render one page of a PDF as an RGB PNG for the document viewer.

    Parameters
    ----------
    data : bytes
        The PDF.
    page_number : int
        1-based page number.
    dpi : int
        Resolution (110 suits a screen); capped by ``Limits.max_render_pixels``.
    file_name : str
        For error messages.
    limits : Limits, optional
        Page-count and pixel limits (defaults apply).

    Returns
    -------
    bytes
        The PNG file.

    Raises
    ------
    IngestError
        ``"encrypted"``, ``"corrupt"``, ``"too-many-pages"`` as for extraction.
    IndexError
        When ``page_number`` is outside the document.
    """
    limits = limits or Limits()
    with _PDFIUM_LOCK:
        return _render_png(data, page_number, dpi, file_name, limits)


def _render_png(data: bytes, page_number: int, dpi: int, file_name: str, limits: Limits) -> bytes:
    document = _open(data, file_name, limits)
    try:
        if not 1 <= page_number <= len(document):
            raise IndexError(f"page {page_number} out of range 1..{len(document)}")
        page = document[page_number - 1]
        try:
            bitmap = page.render(
                scale=_scale(page, dpi, limits.max_render_pixels),
                rev_byteorder=True,
            )
            try:
                width, height, stride = bitmap.width, bitmap.height, bitmap.stride
                buffer = memoryview(bitmap.buffer).cast("B")
                row_bytes = width * 3
                rows = b"".join(
                    b"\x00" + bytes(buffer[row * stride : row * stride + row_bytes])
                    for row in range(height)
                )
            finally:
                bitmap.close()
        finally:
            page.close()
    finally:
        document.close()
    return _png(width, height, 3, rows)
