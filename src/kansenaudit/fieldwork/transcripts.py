# SPDX-License-Identifier: EUPL-1.2
"""Read an interview transcript into one canonical text with its speaker turns.

Formats: plain text (``.txt``), Markdown (``.md``), Word (``.docx``), OpenDocument (``.odt``)
and the subtitle formats transcription services deliver (``.srt``, ``.vtt``). The format is
taken from the file name's extension and checked against the bytes (a ZIP for DOCX/ODT,
``WEBVTT`` for WebVTT, numbered cues for SRT); an unknown extension is sniffed.

The canonical text
    Every format becomes one ``str`` passed through
    :func:`kansenaudit.ingest.canonical.canonicalise` (NFC, ``"\\n"`` line ends, no control
    characters, no trailing spaces), the same invariant as for documents in the evidence
    store. All offsets are Python ``str`` indices (code points) into that text.

    * TXT and Markdown: the decoded file itself, canonicalised (Markdown markup is kept).
    * DOCX and ODT: one line per paragraph (also in tables). A paragraph in a *speaker style*
      (a style whose name contains "speaker", "spreker" or "sprekernaam") holds a speaker's name;
      it is written as ``"Naam:"`` on its own line and the paragraphs below it are that
      speaker's turn.
    * SRT and WebVTT: cue numbers and timings are left out; each run of cues of the same
      speaker becomes one line ``"Naam: tekst van de cues"``. The speaker comes from a
      ``<v Naam>`` voice tag, or a ``Naam:`` / ``[Naam]`` / ``- Naam:`` at the start of the cue.
      Other tags (``<i>``, ``<c.x>``, timestamps) are removed.

Speaker turns
    A turn starts at a line that begins with a speaker label: ``Naam:``, ``I1:``, ``R:``,
    ``Interviewer 2:``, optionally with a timestamp before or after the name
    (``[00:12:03] Jan:``, ``Jan (00:12:03):``) or in Markdown bold (``**Jan:**``). The turn runs
    to the end of the last non-blank line before the next label. ``text[start:end]`` is the
    spoken text of the turn **without the label** (and without the space after it). Lines
    before the first label (a header: date, place) belong to no turn.

    A label is only believed when it looks like a speaker: at most four words, starting with a
    capital or being a code (``I``, ``R2``, ``INT``), not a header word (``Datum``, ``Let op``);
    and the transcript uses it at least twice, or it has at least two different labels that
    start at least half of its lines. Once a label is believed, a label used only once *after*
    the first turn is a speaker too if every word of it is capitalised ("Bram", "Jan de Vries");
    before the first turn such a line is a header field ("Locatie: stadskantoor"), and a
    sentence with a colon inside a turn ("Wat ik bedoel: ...") stays in the turn. Without any
    believed label the text counts as unlabelled.

    Without any speaker labels the transcript is still accepted, with the warning
    ``"no_speakers"``: each paragraph (block separated by blank lines, or each line when there
    are no blank lines) becomes a turn with the speaker ``""``.

Warnings
    ``ParsedTranscript.warnings`` holds stable codes, translated by the app (English text in
    :data:`WARNING_MESSAGES`): ``"encoding_cp1252"`` (not UTF-8, read as Windows-1252),
    ``"no_speakers"`` (no speaker labels found), ``"srt_unlabelled_cues"`` (some subtitle cues
    had no speaker; they were given to the previous speaker).

Errors
    Everything wrong with the file is a :class:`TranscriptError` whose ``code`` is stable, whose
    ``params`` say the details and whose message is an English sentence naming the file:
    ``"empty"``, ``"too_large"`` (above :data:`MAX_TRANSCRIPT_BYTES`), ``"too_long"`` (above
    :data:`MAX_TRANSCRIPT_WORDS`), ``"encoding"`` (bytes that are no text in a known encoding),
    ``"unsupported"`` (a format we do not read), ``"corrupt"`` (a broken DOCX/ODT/subtitle
    file), ``"hostile"`` (a zip bomb, XML entities or a DTD), ``"encrypted"``; and from
    :func:`kansenaudit.fieldwork.isolated.parse_transcript_isolated` ``"timeout"`` and
    ``"out_of_memory"``.

DOCX and ODT are read with ``zipfile`` and ``defusedxml`` under the ZIP checks of
:mod:`kansenaudit.ingest.office` (member count, total inflated size, compression ratio,
bounded reads); only fixed member names are read, nothing is written to disk.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from typing import Any

from kansenaudit.fieldwork.transcript_model import (
    FORMATS,
    MAX_TRANSCRIPT_BYTES,
    MAX_TRANSCRIPT_WORDS,
    WARNING_MESSAGES,
    ParsedTranscript,
    ParsedTurn,
    TranscriptError,
)
from kansenaudit.fieldwork.transcript_office import read_office
from kansenaudit.fieldwork.transcript_subtitles import read_subtitles
from kansenaudit.fieldwork.transcript_turns import find_turns, paragraph_turns
from kansenaudit.ingest.canonical import canonicalise
from kansenaudit.ingest.limits import MB

__all__ = [
    "FORMATS",
    "MAX_TRANSCRIPT_BYTES",
    "MAX_TRANSCRIPT_WORDS",
    "WARNING_MESSAGES",
    "ParsedTranscript",
    "ParsedTurn",
    "TranscriptError",
    "parse_transcript",
]

# --- entry point ------------------------------------------------------------------------------


def parse_transcript(data: bytes, file_name: str) -> ParsedTranscript:
    """Read a transcript file into its canonical text and speaker turns.

    Parameters
    ----------
    data : bytes
        The uploaded file.
    file_name : str
        Its name; the extension decides the format (sniffed when unknown) and every error
        message names it.

    Returns
    -------
    ParsedTranscript

    Raises
    ------
    TranscriptError
        For every problem with the file (never another exception).

    Examples
    --------
    >>> t = parse_transcript("I: Hoe gaat het?\\nR: Goed.\\n".encode(), "x.txt")
    >>> [(turn.speaker, t.text[turn.start:turn.end]) for turn in t.turns]
    [('I', 'Hoe gaat het?'), ('R', 'Goed.')]
    """
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise TranscriptError(
            "too_large",
            file_name,
            size_mb=f"{len(data) / MB:.1f}",
            limit_mb=f"{MAX_TRANSCRIPT_BYTES / MB:.0f}",
        )
    if not data.strip():
        raise TranscriptError("empty", file_name)
    file_format = _detect_format(data, file_name)
    warnings: list[str] = []
    forced: set[str] = set()
    if file_format in ("docx", "odt"):
        raw, forced = read_office(data, file_name, file_format)
    else:
        raw = _decode(data, file_name, warnings)
        if file_format == "srt":
            raw = read_subtitles(raw, file_name, vtt=False, warnings=warnings)
        elif file_format == "vtt":
            raw = read_subtitles(raw, file_name, vtt=True, warnings=warnings)
    text = canonicalise(raw)
    if not text.strip():
        raise TranscriptError("empty", file_name)
    words = len(text.split())
    if words > MAX_TRANSCRIPT_WORDS:
        raise TranscriptError("too_long", file_name, words=words, limit=MAX_TRANSCRIPT_WORDS)
    turns = find_turns(text, forced)
    if not turns:
        warnings.append("no_speakers")
        turns = paragraph_turns(text)
    return ParsedTranscript(
        text=text, turns=tuple(turns), file_format=file_format, warnings=tuple(warnings)
    )


# --- format and encoding ----------------------------------------------------------------------

_EXTENSIONS = {
    "txt": "txt",
    "text": "txt",
    "md": "md",
    "markdown": "md",
    "docx": "docx",
    "odt": "odt",
    "srt": "srt",
    "vtt": "vtt",
    "webvtt": "vtt",
}
_SRT_TIMING = re.compile(
    r"^\s*(\d{1,3}:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->\s*(\d{1,3}:)?\d{1,2}:\d{2}[,.]\d{1,3}",
    re.MULTILINE,
)


def _detect_format(data: bytes, file_name: str) -> str:
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    is_zip = data[:4] == b"PK\x03\x04"
    if data[:5] == b"%PDF-":
        raise TranscriptError("unsupported", file_name, detail="PDF")
    if extension in _EXTENSIONS:
        found = _EXTENSIONS[extension]
        if found in ("docx", "odt") and not is_zip:
            raise TranscriptError("corrupt", file_name, detail=f"not a {found.upper()} file")
        if found not in ("docx", "odt") and is_zip:
            raise TranscriptError("unsupported", file_name, detail="a ZIP archive")
        return found
    if is_zip:
        try:
            names = set(zipfile.ZipFile(_bytes_io(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            raise TranscriptError("corrupt", file_name, detail=str(exc)[:200]) from exc
        if "word/document.xml" in names:
            return "docx"
        if "content.xml" in names:
            return "odt"
        raise TranscriptError("unsupported", file_name, detail="a ZIP archive")
    if data[:4] == b"%PDF":
        raise TranscriptError("unsupported", file_name, detail="PDF")
    head = data[:2048].lstrip(codecs.BOM_UTF8)
    if head.lstrip().startswith(b"WEBVTT"):
        return "vtt"
    if _SRT_TIMING.search(head.decode("latin-1")):
        return "srt"
    if extension and extension not in ("", "log"):
        raise TranscriptError("unsupported", file_name, detail=f".{extension}")
    return "txt"


def _bytes_io(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Controls other than tab, newline, carriage return and form feed never occur in real text.
_BAD_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _decode(data: bytes, file_name: str, warnings: list[str]) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise TranscriptError(
                    "encoding", file_name, detail=f"invalid {encoding} at byte {exc.start}"
                ) from exc
            _check_plausible(text, file_name)
            return text
    if b"\x00" in data[:4096]:
        raise TranscriptError("encoding", file_name, detail="binary data or UTF-16 without BOM")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise TranscriptError(
                "encoding", file_name, detail=f"byte 0x{data[exc.start]:02x} at {exc.start}"
            ) from exc
        warnings.append("encoding_cp1252")
    _check_plausible(text, file_name)
    return text


def _check_plausible(text: str, file_name: str) -> None:
    """Refuse text that decoded but is no language: controls, or mostly symbols."""
    sample = text[:20_000]
    if not sample:
        return
    if len(_BAD_CONTROLS.findall(sample)) > max(2, len(sample) // 1000):
        raise TranscriptError("encoding", file_name, detail="control characters")
    letters = sum(1 for char in sample if char.isalpha() or char.isspace())
    if letters < 0.3 * len(sample):
        raise TranscriptError("encoding", file_name, detail="mostly symbols, not words")
    # Windows-1252 read of random bytes: many accented capitals and symbols in a row.
    odd = sum(1 for char in sample if ord(char) > 0x7F and unicodedata.category(char)[0] != "L")
    if odd > 0.1 * len(sample):
        raise TranscriptError("encoding", file_name, detail="mostly symbols, not words")
