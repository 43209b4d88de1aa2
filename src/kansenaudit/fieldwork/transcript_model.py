# SPDX-License-Identifier: EUPL-1.2
"""What reading a transcript returns and how it refuses: limits, the result types, the error
with its stable codes, and the warning codes (see ``transcripts`` for the whole picture).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kansenaudit.ingest.limits import MB, Limits

MAX_TRANSCRIPT_WORDS = 60_000
"""Most words a transcript may have: twice a three-hour interview (about 30,000 words)."""

MAX_TRANSCRIPT_BYTES = 20 * MB
"""Largest transcript file accepted (20 MB: a 60,000-word DOCX with some images fits easily)."""

FORMATS: tuple[str, ...] = ("txt", "md", "docx", "odt", "srt", "vtt")

LIMITS = Limits(max_bytes=MAX_TRANSCRIPT_BYTES, max_unzipped_bytes=100 * MB, max_zip_members=2_000)

WARNING_MESSAGES: dict[str, str] = {
    "encoding_cp1252": (
        "The file is not UTF-8 and was read as Windows-1252; check letters with accents."
    ),
    "no_speakers": (
        "No speaker labels were found; every paragraph has become a turn without a speaker."
    ),
    "srt_unlabelled_cues": (
        "Some subtitle cues had no speaker; they were added to the previous speaker's turn."
    ),
}

_ERROR_MESSAGES: dict[str, str] = {
    "empty": "The transcript '%(file)s' is empty.",
    "too_large": ("The transcript '%(file)s' is %(size_mb)s MB; the limit is %(limit_mb)s MB."),
    "too_long": (
        "The transcript '%(file)s' has %(words)s words; the limit is %(limit)s words "
        "(about two three-hour interviews). Split it into parts."
    ),
    "encoding": (
        "The transcript '%(file)s' is not readable text: it is not UTF-8, UTF-16 or "
        "Windows-1252 (%(detail)s)."
    ),
    "unsupported": (
        "The transcript '%(file)s' has a format we do not read (%(detail)s); use TXT, "
        "Markdown, DOCX, ODT, SRT or WebVTT."
    ),
    "corrupt": "The transcript '%(file)s' is damaged and cannot be read (%(detail)s).",
    "hostile": (
        "The transcript '%(file)s' was refused because it could harm the server (%(detail)s)."
    ),
    "encrypted": "The transcript '%(file)s' is protected with a password.",
    "no_speakers": "The transcript '%(file)s' has no speaker turns.",
    "timeout": (
        "Reading the transcript '%(file)s' took longer than %(seconds)s seconds and was stopped."
    ),
    "out_of_memory": (
        "Reading the transcript '%(file)s' needed more than %(limit_mb)s MB of memory and was "
        "stopped."
    ),
}


class TranscriptError(ValueError):
    """A transcript that cannot be read.

    Attributes
    ----------
    code : str
        Stable reason (see the module docstring).
    params : dict
        Details for the message; always has ``"file"``.
    """

    def __init__(self, code: str, file_name: str, **params: Any) -> None:
        self.code = code
        self.params: dict[str, Any] = {"file": file_name, **params}
        template = _ERROR_MESSAGES.get(code, "The transcript '%(file)s' cannot be read.")
        values = {"detail": "", **self.params}
        super().__init__(template % values)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_error, (self.code, self.params))


def _rebuild_error(code: str, params: dict[str, Any]) -> TranscriptError:
    params = dict(params)
    file_name = params.pop("file", "")
    return TranscriptError(code, file_name, **params)


@dataclass(frozen=True)
class ParsedTurn:
    """One speaker turn: ``text[start:end]`` is what was said, without the speaker label."""

    speaker: str
    start: int
    end: int


@dataclass(frozen=True)
class ParsedTranscript:
    """A transcript's canonical text, its turns in order, its format and warning codes."""

    text: str
    turns: tuple[ParsedTurn, ...]
    file_format: str
    warnings: tuple[str, ...] = ()
