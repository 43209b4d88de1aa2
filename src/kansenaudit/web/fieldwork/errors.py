# SPDX-License-Identifier: EUPL-1.2
"""Messages for the parser's ``TranscriptError`` codes and warnings, as gettext msgids.

The Django-free parser (``kansenaudit.fieldwork.transcripts``) raises a stable code with
params (always ``file``); the web app and the CLI show the translated sentence from here.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

ERRORS: dict[str, Any] = {
    "empty": _("The transcript '%(file)s' is empty."),
    "too_large": _("The transcript '%(file)s' is %(size_mb)s MB; the limit is %(limit_mb)s MB."),
    "too_long": _(
        "The transcript '%(file)s' has %(words)s words; the limit is %(limit)s words "
        "(about two three-hour interviews). Split it into parts."
    ),
    "encoding": _(
        "The transcript '%(file)s' is not readable text: it is not UTF-8, UTF-16 or "
        "Windows-1252 (%(detail)s)."
    ),
    "unsupported": _(
        "The transcript '%(file)s' has a format we do not read (%(detail)s); use TXT, "
        "Markdown, DOCX, ODT, SRT or WebVTT."
    ),
    "corrupt": _("The transcript '%(file)s' is damaged and cannot be read (%(detail)s)."),
    "hostile": _(
        "The transcript '%(file)s' was refused because it could harm the server (%(detail)s)."
    ),
    "encrypted": _("The transcript '%(file)s' is protected with a password."),
    "no_speakers": _("The transcript '%(file)s' has no speaker turns."),
    "timeout": _(
        "Reading the transcript '%(file)s' took longer than %(seconds)s seconds and was stopped."
    ),
    "out_of_memory": _(
        "Reading the transcript '%(file)s' needed more than %(limit_mb)s MB of memory and was "
        "stopped."
    ),
}
FALLBACK = _("The transcript '%(file)s' cannot be read.")

WARNINGS: dict[str, Any] = {
    "encoding_cp1252": _(
        "The file is not UTF-8 and was read as Windows-1252; check letters with accents."
    ),
    "no_speakers": _(
        "No speaker labels were found; every paragraph has become a turn without a speaker."
    ),
    "srt_unlabelled_cues": _(
        "Some subtitle cues had no speaker; they were added to the previous speaker's turn."
    ),
}


def transcript_error_message(exc: Any, file_name: str) -> tuple[Any, dict[str, Any]]:
    """The message and params for a ``TranscriptError`` (every param the message may use)."""
    code = str(getattr(exc, "code", "") or "")
    params = {
        "detail": "",
        "size_mb": "",
        "limit_mb": "",
        "words": "",
        "limit": "",
        "seconds": "",
        **dict(getattr(exc, "params", {}) or {}),
    }
    params.setdefault("file", file_name)
    return ERRORS.get(code, FALLBACK), params


def warning_message(code: str) -> str:
    """The sentence for a parser warning code (the code itself when unknown)."""
    message = WARNINGS.get(code)
    return str(message) if message is not None else code
