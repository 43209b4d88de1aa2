# SPDX-License-Identifier: EUPL-1.2
"""Where uploads wait while a request is parsed, and the limit on how much is parsed.

Django spools an uploaded file larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to a temporary file.
Ours go to ``<data dir>/tmp/uploads`` (0700, files 0600) rather than the shared ``/tmp``, and the
server empties that folder of what a crashed process left behind when it starts.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler

log = logging.getLogger(__name__)


def upload_temp_dir() -> Path:
    """The folder for spooled uploads, created (0700) when missing."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def clean_upload_temp_dir(older_than_seconds: float = 0) -> int:
    """Remove leftover spooled uploads; returns how many.

    At server start nothing is in flight, so everything goes (``older_than_seconds=0``). A
    worker that starts beside running ones removes only files older than any request can last.
    """
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    if not folder.is_dir():
        return 0
    cutoff = time.time() - older_than_seconds
    removed = 0
    for entry in folder.iterdir():
        try:
            if entry.is_file() and entry.stat().st_mtime <= cutoff:
                entry.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # finished (and removed) by its request meanwhile
    if removed:
        log.info("Removed %d leftover upload file(s) from %s", removed, folder)
    return removed


class BodyLimitUploadHandler(FileUploadHandler):
    """Stops parsing an upload once the body passes the request's limit.

    ``RequestBodyLimitMiddleware`` refuses a declared length beyond the limit before anything
    is read; this handler counts what is actually parsed, so a body that arrives without a
    length (or with a wrong one) is not spooled beyond the limit either. First in
    ``FILE_UPLOAD_HANDLERS``: it sees every chunk before the others store it.
    """

    def handle_raw_input(
        self,
        input_data: object,
        META: dict,  # noqa: N803 (Django's name)
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> None:
        self.limit = getattr(self.request, "body_limit", settings.MAX_REQUEST_BODY_BYTES)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise RequestDataTooBig(f"upload larger than {self.limit} bytes")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class PrivateTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's handler, spooling into the data folder's upload folder (created 0700)."""

    def new_file(self, *args: object, **kwargs: object) -> None:
        upload_temp_dir()
        super().new_file(*args, **kwargs)
