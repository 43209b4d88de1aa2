# SPDX-License-Identifier: EUPL-1.2
"""The entry points: :func:`extract` in this process, :func:`extract_isolated` in a jailed child.

:func:`extract` sniffs the format from the bytes, runs the reader for it, canonicalises every
page (:mod:`kansenaudit.ingest.canonical`) and completes the metadata with heuristics
(:mod:`kansenaudit.ingest.metadata`). It is deterministic: the same bytes and limits give the
same :class:`~kansenaudit.ingest.model.ExtractedDocument` (OCR text: for the same Tesseract
version and language data).

:func:`extract_isolated` is what a server should call for uploads. It runs :func:`extract` in
a warm ``python -m kansenaudit.ingest.worker`` child process (:mod:`kansenaudit.ingest.pool`)
that limited its own address space (``RLIMIT_AS``) before it read a byte and limits its CPU
time (``RLIMIT_CPU``) per file; the parent enforces a wall-clock timeout and kills the child's
whole process group (Tesseract included) when it runs out. A child serves at most 50 files and
is replaced after any limit breach, timeout or crash. The file goes in and the result comes
back over pipes as JSON lines (never pickle: the child handles hostile input, so the parent
must not execute anything it sends). A decompression bomb, a parser stuck in a loop or a crash
in a C library therefore ends as an :class:`~kansenaudit.ingest.model.IngestError`
(``"too-large"``, ``"timeout"``, ``"corrupt"``), never as a hung or dead server process.
"""

from __future__ import annotations

import hashlib
import json
import signal
from collections.abc import Callable

from kansenaudit.ingest.canonical import canonicalise
from kansenaudit.ingest.limits import DEFAULT_LIMITS, MB, Limits
from kansenaudit.ingest.metadata import build_metadata
from kansenaudit.ingest.model import ExtractedDocument, ExtractedPage, IngestError, dutch_number
from kansenaudit.ingest.raw import RawDocument
from kansenaudit.ingest.sniff import safe_file_name, sniff_format

__all__ = ["Limits", "extract", "extract_isolated"]

Reader = Callable[..., RawDocument]
# How running out of address space shows in a child's last stderr line: Python's MemoryError,
# C++'s bad_alloc, or the dynamic loader failing to map a library (RLIMIT_AS set too low).
_MEMORY_MARKERS = ("MemoryError", "bad_alloc", "failed to map segment", "Cannot allocate memory")


def _readers() -> dict[str, Reader]:
    # Imported on first use: a caller that only sniffs or canonicalises needs no PDFium or lxml.
    from kansenaudit.ingest.html import read_html
    from kansenaudit.ingest.office import read_docx, read_odt
    from kansenaudit.ingest.pdf import read_pdf
    from kansenaudit.ingest.text import read_markdown, read_text

    return {
        "pdf": read_pdf,
        "docx": read_docx,
        "odt": read_odt,
        "html": read_html,
        "text": read_text,
        "markdown": read_markdown,
    }


def _check_size(data: bytes, name: str, limits: Limits) -> None:
    if not data:
        raise IngestError("empty", name)
    if len(data) > limits.max_bytes:
        size, limit = dutch_number(len(data) / MB, 1), dutch_number(limits.max_bytes / MB)
        raise IngestError("too-large", name, f"{size} MB; maximaal {limit} MB")


def extract(
    data: bytes, file_name: str, *, limits: Limits = DEFAULT_LIMITS, ocr: bool = True
) -> ExtractedDocument:
    """Turn a PDF, DOCX, ODT, HTML, text or Markdown file into canonical page texts and metadata.

    Parameters
    ----------
    data : bytes
        The whole file.
    file_name : str
        The name it was uploaded under; sanitised, and its extension only used to tell text,
        Markdown and HTML apart.
    limits : Limits
        Size, page, ZIP and OCR limits.
    ocr : bool
        Whether to OCR PDF pages without a text layer.

    Returns
    -------
    ExtractedDocument
        At least one page; every page text satisfies the canonical-text invariant.

    Raises
    ------
    IngestError
        ``"empty"``, ``"too-large"``, ``"unsupported"``, ``"corrupt"``, ``"encrypted"``,
        ``"too-many-pages"``, ``"zip-bomb"``, ``"xml-entities"``, ``"ocr-unavailable"``.

    Examples
    --------
    >>> document = extract(b"Kansengelijkheid\\r\\n\\fTweede pagina\\r\\n", "notitie.txt")
    >>> [page.text for page in document.pages]
    ['Kansengelijkheid', 'Tweede pagina']
    >>> document.metadata.title
    'Kansengelijkheid'
    """
    name = safe_file_name(file_name)
    data = bytes(data)
    _check_size(data, name, limits)
    fmt = sniff_format(data, name, max_zip_members=limits.max_zip_members)
    try:
        raw = _readers()[fmt](data, name, limits=limits, ocr=ocr)
    except MemoryError as exc:
        raise IngestError("too-large", name, "te weinig geheugen") from exc
    except RecursionError as exc:
        raise IngestError("corrupt", name, "te diep geneste structuur") from exc
    texts = [canonicalise(page.text) for page in raw.pages] or [""]
    pages = tuple(
        ExtractedPage(
            number=index + 1,
            text=text,
            method=raw.pages[index].method if index < len(raw.pages) else "none",
            warnings=tuple(dict.fromkeys(raw.pages[index].warnings))
            if index < len(raw.pages)
            else (),
        )
        for index, text in enumerate(texts)
    )
    warnings = list(raw.warnings)
    if not any(page.text for page in pages):
        warnings.append("Er is geen tekst gevonden in het bestand.")
    return ExtractedDocument(
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        format=fmt,  # type: ignore[arg-type]
        file_name=name,
        pages=pages,
        metadata=build_metadata(raw.metadata, pages),
        warnings=tuple(dict.fromkeys(warnings)),
        ocr_pages=sum(1 for page in pages if page.method == "ocr"),
    )


def extract_isolated(
    data: bytes,
    file_name: str,
    *,
    limits: Limits = DEFAULT_LIMITS,
    ocr: bool = True,
    timeout_s: float = 120,
    memory_mb: int = 1024,
    ocr_s_per_page: float = 0.0,
    max_timeout_s: float = 25 * 60,
) -> ExtractedDocument:
    """Run :func:`extract` in a child process with memory, CPU and wall-clock limits.

    Parameters
    ----------
    data, file_name, limits, ocr
        As for :func:`extract`.
    timeout_s : float
        Wall-clock limit for the whole extraction (OCR included, unless ``ocr_s_per_page`` is
        given). Also the child's CPU-time limit.
    memory_mb : int
        Address-space limit of the child (``RLIMIT_AS``), in MiB. Tesseract, started by the
        child, inherits it.
    ocr_s_per_page : float
        When above 0, a PDF is first read without OCR (under ``timeout_s``); if it has pages
        without a text layer, it is read again with OCR under ``timeout_s`` plus this many
        seconds per such page, at most ``max_timeout_s``. So a scan of a few hundred pages gets
        the time it needs (Tesseract takes about 2 s a page) while a hostile file still cannot
        run for ever. A PDF without such pages is read once.
    max_timeout_s : float
        The most a scan may take with ``ocr_s_per_page`` (25 minutes: below the 30 minutes
        after which a background job counts as cut off).

    Returns
    -------
    ExtractedDocument
        Exactly what :func:`extract` would return.

    Raises
    ------
    IngestError
        Everything :func:`extract` raises, plus ``"timeout"`` when the wall clock or CPU limit
        runs out and ``"too-large"`` when the child runs out of memory or dies.
    """
    name = safe_file_name(file_name)
    data = bytes(data)
    # Cheap refusals need no child process.
    _check_size(data, name, limits)
    # The same header test as sniff_format, without opening anything in this process.
    is_pdf = b"%PDF-" in data[:1024]
    if not (ocr and ocr_s_per_page > 0 and is_pdf):
        return _run_child(data, name, limits, ocr, timeout_s, memory_mb)
    without_ocr = _run_child(data, name, limits, False, timeout_s, memory_mb)
    scans = sum(1 for page in without_ocr.pages if page.method == "none")
    if scans == 0:
        return without_ocr  # no page needs OCR: reading with OCR would give the same result
    budget = min(
        timeout_s + ocr_s_per_page * min(scans, limits.ocr_max_pages),
        max(timeout_s, max_timeout_s),
    )
    return _run_child(
        data, name, limits, True, budget, memory_mb, why=f"{scans} pagina's zonder tekstlaag"
    )


def _run_child(
    data: bytes,
    name: str,
    limits: Limits,
    ocr: bool,
    timeout_s: float,
    memory_mb: int,
    why: str = "",
) -> ExtractedDocument:
    """One extraction in a limited child process (see :func:`extract_isolated`)."""
    config = {"file_name": name, "limits": limits.to_dict(), "ocr": ocr}
    message = run_task(config, data, name, timeout_s, memory_mb, why=why)
    return ExtractedDocument.from_dict(message["document"])


def run_task(
    config: dict, data: bytes, name: str, timeout_s: float, memory_mb: int, *, why: str = ""
) -> dict:
    """Run one task of :mod:`kansenaudit.ingest.worker` on ``data`` in a warm child process
    (:mod:`kansenaudit.ingest.pool`) under the limits; return its ``{"ok": true, …}`` reply.

    Raises the :class:`IngestError` the child reported, ``"timeout"`` when the wall clock (the
    child's whole process group is killed) or the CPU limit runs out, and ``"too-large"`` when
    the child runs out of memory or dies. Every task of the child goes through here."""
    from kansenaudit.ingest import pool

    config = {**config, "cpu_s": max(1, int(timeout_s + 0.999))}
    return pool.run(config, data, name, timeout_s, int(memory_mb), why)


def child_result(returncode: int, stdout: bytes, stderr: bytes, name: str) -> dict:
    """The child's ``{"ok": true, …}`` message, or the :class:`IngestError` its end means."""
    try:
        message = json.loads(stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        message = None
    if isinstance(message, dict) and returncode == 0:
        if message.get("ok"):
            return message
        if isinstance(message.get("error"), dict):
            raise IngestError.from_dict(message["error"])
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        # SIGXCPU: the CPU limit; SIGKILL: the hard CPU limit (or the kernel's OOM killer).
        raise IngestError("timeout", name, "CPU-tijdslimiet bereikt")
    tail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    if returncode < 0 or any(marker in tail[0] for marker in _MEMORY_MARKERS):
        # A C library that cannot allocate under RLIMIT_AS aborts or crashes; memory is by far
        # the likeliest cause, and "too large" is the useful message for the uploader.
        raise IngestError("too-large", name, f"verwerking afgebroken (signaal {-returncode})")
    raise IngestError("corrupt", name, f"verwerking mislukt: {tail[0][:200]}")
