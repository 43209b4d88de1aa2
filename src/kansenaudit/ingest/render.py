# SPDX-License-Identifier: EUPL-1.2
"""Page images for the document viewer: drawn in the isolated child, kept in a disk cache.

A PDF page can be built to take PDFium many seconds to draw (a page of millions of vector
operations), so a server never draws one in its own process. :func:`page_png` runs
:func:`kansenaudit.ingest.pdf.render_page_png` in the same limited child process as extraction
(``python -m kansenaudit.ingest.worker``, task ``render``: memory and CPU limits, a wall-clock
limit of a few seconds that kills it) and keeps the PNG in a cache folder, keyed by the file's
SHA-256, the page and the resolution, so a page is drawn once. A page that could not be drawn
is remembered for a while too (``.failed``), so a hostile file costs one child per page and
hour, not one per request; a page cut off by the time limit only for five minutes, since on a
busy server a slow but harmless page may simply have been unlucky. Concurrent requests for one
page wait for a single drawing (a lock file). Files are 0600 and folders 0700: the images show
confidential documents. No Django.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import importlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from kansenaudit.ingest.limits import Limits
from kansenaudit.ingest.model import IngestError

__all__ = ["PAGE_IMAGE_TIMEOUT_S", "page_png"]

# The module, not the function of the same name that kansenaudit.ingest exports.
extract = importlib.import_module("kansenaudit.ingest.extract")

PAGE_IMAGE_TIMEOUT_S = 5.0  # an ordinary page takes well under a second, start-up included
PAGE_IMAGE_MEMORY_MB = 768
FAILED_TTL_S = 3600  # how long a page that could not be drawn is not tried again
# A page cut off by the time limit: a hostile one, or an ordinary one on a loaded server. The
# short wait still bounds a hostile page to one child per page per five minutes.
TIMEOUT_TTL_S = 300
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def _write_private(path: Path, data: bytes) -> None:
    """Write ``path`` as 0600 in one step: a reader sees the old file or the whole new one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def _failed(marker: Path, name: str, now: float) -> IngestError | None:
    """The error remembered for a page, until the time written in its marker."""
    try:
        code, _, rest = marker.read_text(encoding="utf-8").partition("\n")
        until, _, detail = rest.partition("\n")
        # Past its time, or further ahead than any marker is written (the clock was set back).
        if not now < float(until) <= now + FAILED_TTL_S:
            return None
        return IngestError(code, name, detail)
    except (OSError, ValueError):  # no marker, or one this version cannot read: try again
        return None


def _remember_failure(marker: Path, exc: IngestError, now: float) -> None:
    """Write the marker: the error's code, until when it holds, and its detail."""
    ttl = TIMEOUT_TTL_S if exc.code == "timeout" else FAILED_TTL_S
    _write_private(marker, f"{exc.code}\n{now + ttl!r}\n{exc.detail or ''}".encode())


def page_png(
    path: Path,
    sha256: str,
    page: int,
    *,
    cache_dir: Path,
    file_name: str = "",
    dpi: int = 110,
    timeout_s: float | None = None,
    memory_mb: int = PAGE_IMAGE_MEMORY_MB,
    limits: Limits | None = None,
    clock: Callable[[], float] = time.time,
) -> bytes:
    """The PNG of ``page`` (from 1) of the PDF at ``path``, from the cache or drawn in the child.

    ``timeout_s`` defaults to :data:`PAGE_IMAGE_TIMEOUT_S` (read at each call). A failure is
    remembered (:data:`FAILED_TTL_S`; a timeout :data:`TIMEOUT_TTL_S`) by ``clock``'s time.

    Raises
    ------
    IngestError
        ``"timeout"`` when drawing took longer than ``timeout_s`` (or its CPU time), and the
        codes of extraction (``"corrupt"``, ``"encrypted"``, ``"too-large"``…) for a file or
        page that cannot be drawn.
    """
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
        raise ValueError("sha256: 64 lowercase hex digits expected")
    folder = cache_dir / sha256[:2]
    _private_dir(folder)
    stem = f"{sha256}-{int(page)}-{int(dpi)}"
    image, marker = folder / f"{stem}.png", folder / f"{stem}.failed"
    with contextlib.suppress(FileNotFoundError):
        return image.read_bytes()
    fd = os.open(folder / f"{stem}.lock", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # one drawing per page; the others wait and read it
        with contextlib.suppress(FileNotFoundError):
            return image.read_bytes()
        name = file_name or path.name
        remembered = _failed(marker, name, clock())
        if remembered is not None:
            raise remembered
        try:
            seconds = PAGE_IMAGE_TIMEOUT_S if timeout_s is None else timeout_s
            png = _draw(path.read_bytes(), page, name, dpi, seconds, memory_mb, limits)
        except IngestError as exc:
            _remember_failure(marker, exc, clock())
            raise
        _write_private(image, png)
        return png
    finally:
        os.close(fd)


def _draw(
    data: bytes,
    page: int,
    name: str,
    dpi: int,
    timeout_s: float,
    memory_mb: int,
    limits: Limits | None,
) -> bytes:
    config = {"task": "render", "file_name": name, "page": page, "dpi": dpi}
    config["limits"] = (limits or Limits()).to_dict()
    message = extract.run_task(
        config, data, name, timeout_s, memory_mb, why=f"pagina {page} tekenen"
    )
    try:
        png = base64.b64decode(message["png"], validate=True)
    except (KeyError, TypeError, ValueError) as exc:
        raise IngestError("corrupt", name, "geen afbeelding ontvangen") from exc
    if not png.startswith(_PNG_SIGNATURE):  # the child handles hostile input: check its answer
        raise IngestError("corrupt", name, "geen PNG ontvangen")
    return png
