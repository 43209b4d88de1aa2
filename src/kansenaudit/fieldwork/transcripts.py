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
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from kansenaudit.ingest.canonical import canonicalise
from kansenaudit.ingest.limits import MB, Limits
from kansenaudit.ingest.model import IngestError
from kansenaudit.ingest.office import open_zip, read_xml_member

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

MAX_TRANSCRIPT_WORDS = 60_000
"""Most words a transcript may have: twice a three-hour interview (about 30,000 words)."""

MAX_TRANSCRIPT_BYTES = 20 * MB
"""Largest transcript file accepted (20 MB: a 60,000-word DOCX with some images fits easily)."""

FORMATS: tuple[str, ...] = ("txt", "md", "docx", "odt", "srt", "vtt")

_LIMITS = Limits(max_bytes=MAX_TRANSCRIPT_BYTES, max_unzipped_bytes=100 * MB, max_zip_members=2_000)

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
        raw, forced = _read_office(data, file_name, file_format)
    else:
        raw = _decode(data, file_name, warnings)
        if file_format == "srt":
            raw = _read_subtitles(raw, file_name, vtt=False, warnings=warnings)
        elif file_format == "vtt":
            raw = _read_subtitles(raw, file_name, vtt=True, warnings=warnings)
    text = canonicalise(raw)
    if not text.strip():
        raise TranscriptError("empty", file_name)
    words = len(text.split())
    if words > MAX_TRANSCRIPT_WORDS:
        raise TranscriptError("too_long", file_name, words=words, limit=MAX_TRANSCRIPT_WORDS)
    turns = _find_turns(text, forced)
    if not turns:
        warnings.append("no_speakers")
        turns = _paragraph_turns(text)
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


# --- speaker turns ----------------------------------------------------------------------------

# The label: a name of at most four words starting with a capital, or a code such as I, R2, INT.
# Optional timestamp before ([00:12:03] or 00:12:03) or after, in parentheses; optional Markdown
# bold around the label; a colon; then the speech (possibly empty: speech on the next lines).
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_NAME = r"[^\W\d_][\w.'’\-]*(?:[ ][\w.'’\-]+){0,3}"
_LABEL = re.compile(
    rf"^(?:\[?{_TIME}\]?\s+)?(?P<bold>\*\*|__)?(?P<name>{_NAME})"
    rf"(?:\s*[\[(]{_TIME}[\])])?\s*(?:(?P=bold):|:(?P=bold)?)(?:[ \t]+|$)",
)
_NOT_SPEAKERS = {
    "let op",
    "noot",
    "note",
    "datum",
    "date",
    "plaats",
    "locatie",
    "duur",
    "tijd",
    "onderwerp",
    "project",
    "bron",
    "opmerking",
    "transcript",
    "transcriptie",
    "bijvoorbeeld",
    "bv",
    "dus",
    "maar",
    "en",
    "want",
    "http",
    "https",
}


@dataclass
class _Turn:
    speaker: str
    start: int
    end: int
    lines: list[tuple[int, int]] = field(default_factory=list)


def _line_spans(text: str) -> Iterator[tuple[int, int]]:
    position = 0
    for line in text.split("\n"):
        yield position, position + len(line)
        position += len(line) + 1


def _label_at(line: str) -> tuple[str, int] | None:
    match = _LABEL.match(line)
    if match is None:
        return None
    name = match.group("name").strip()
    if name.lower().rstrip(".") in _NOT_SPEAKERS:
        return None
    first = name[0]
    is_code = bool(re.fullmatch(r"[A-Z]{1,4}\d{0,2}", name))
    if not (first.isupper() or is_code):
        return None
    return name, match.end()


_PARTICLES = {"van", "de", "der", "den", "el", "al", "ter", "ten", "von", "da", "di", "du", "'t"}


def _looks_like_name(name: str) -> bool:
    """Every word capitalised (or a particle, or a number): "Jan de Vries", "Interviewer 2"."""
    return all(
        word[0].isupper() or word.isdigit() or word.lower() in _PARTICLES for word in name.split()
    )


def _find_turns(text: str, forced: set[str]) -> list[ParsedTurn]:
    candidates: list[tuple[int, int, str, int]] = []  # line start, line end, speaker, speech start
    lines = list(_line_spans(text))
    for start, end in lines:
        found = _label_at(text[start:end])
        if found is not None:
            candidates.append((start, end, found[0], start + found[1]))
    counts: dict[str, int] = {}
    for _, _, name, _ in candidates:
        counts[name] = counts.get(name, 0) + 1
    believed = {name for name, count in counts.items() if count >= 2} | (forced & set(counts))
    if not believed and len(counts) >= 2:
        nonblank = sum(1 for start, end in lines if text[start:end].strip())
        if len(candidates) * 2 >= nonblank:
            believed = set(counts)
    if not believed:
        return []
    # Once the transcript has turns, a label used only once after the first turn is a speaker
    # too ("Bram: Hoi" in a short interview); before it, such a line is a header field.
    first_turn = min(start for start, _, name, _ in candidates if name in believed)
    believed |= {
        name for start, _, name, _ in candidates if start > first_turn and _looks_like_name(name)
    }
    label_lines = {
        start: (name, speech) for start, _, name, speech in candidates if name in believed
    }
    turns: list[ParsedTurn] = []
    current: _Turn | None = None
    for start, end in lines:
        if start in label_lines:
            if current is not None:
                turns.append(_close(text, current))
            name, speech = label_lines[start]
            current = _Turn(name, speech, speech, [(speech, end)])
        elif current is not None:
            current.lines.append((start, end))
    if current is not None:
        turns.append(_close(text, current))
    return turns


def _close(text: str, turn: _Turn) -> ParsedTurn:
    nonblank = [(start, end) for start, end in turn.lines if text[start:end].strip()]
    if not nonblank:
        return ParsedTurn(turn.speaker, turn.start, turn.start)
    first_start = nonblank[0][0]
    # Leading spaces of the first speech line are not part of the turn.
    while first_start < nonblank[0][1] and text[first_start] in " \t":
        first_start += 1
    return ParsedTurn(turn.speaker, first_start, nonblank[-1][1])


def _paragraph_turns(text: str) -> list[ParsedTurn]:
    separator = re.compile(r"\n[ \t]*\n") if re.search(r"\n[ \t]*\n", text) else re.compile("\n")
    turns = []
    position = 0
    for match in [*separator.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            turns.append(ParsedTurn("", position + lead, position + len(chunk.rstrip())))
        if match:
            position = match.end()
    return turns


# --- subtitles --------------------------------------------------------------------------------

_CUE_TIMING = re.compile(r"^\s*(?:\d{1,3}:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>\n]{0,80}>")
_CUE_SPEAKER = re.compile(r"^\s*-?\s*(?:\[(?P<a>[^\]\n]{1,40})\]|(?P<b>" + _NAME + r"):)\s*")


def _read_subtitles(text: str, file_name: str, *, vtt: bool, warnings: list[str]) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n[ \t]*\n", text.strip())
    if vtt:
        if not blocks or not blocks[0].lstrip("\ufeff").startswith("WEBVTT"):
            raise TranscriptError("corrupt", file_name, detail="no WEBVTT header")
        blocks = blocks[1:]
    cues: list[tuple[str, str]] = []
    for block in blocks:
        lines = block.split("\n")
        timing = next((i for i, line in enumerate(lines) if _CUE_TIMING.match(line)), None)
        if timing is None:
            continue  # VTT NOTE, STYLE and REGION blocks, SRT garbage between cues
        payload = " ".join(line.strip() for line in lines[timing + 1 :] if line.strip())
        speaker = ""
        voice = _VOICE.search(payload)
        if voice:
            speaker = voice.group(1).strip()
        payload = _TAG.sub("", payload).strip()
        if not speaker:
            match = _CUE_SPEAKER.match(payload)
            if match:
                name = (match.group("a") or match.group("b") or "").strip()
                if name and name.lower() not in _NOT_SPEAKERS and (name[0].isupper()):
                    speaker = name
                    payload = payload[match.end() :]
        payload = payload.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        payload = payload.replace("&nbsp;", " ")
        if payload.strip():
            cues.append((speaker, payload.strip()))
    if not cues:
        raise TranscriptError("empty", file_name)
    if not any(speaker for speaker, _ in cues):
        return "\n".join(payload for _, payload in cues)
    merged: list[tuple[str, list[str]]] = []
    unlabelled = False
    for speaker, payload in cues:
        if not speaker:
            unlabelled = True
            if merged:
                merged[-1][1].append(payload)
                continue
            speaker = "?"
        if merged and merged[-1][0] == speaker:
            merged[-1][1].append(payload)
        else:
            merged.append((speaker, [payload]))
    if unlabelled:
        warnings.append("srt_unlabelled_cues")
    # Every speaker occurs at least... once; lines carry their label, so the finder will accept
    # the labels because they start every line.
    return "\n".join(f"{speaker}: {' '.join(parts)}" for speaker, parts in merged)


# --- DOCX and ODT -----------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_SPEAKER_STYLE = re.compile(r"speaker|spreker|sprekernaam", re.IGNORECASE)


def _read_office(data: bytes, file_name: str, file_format: str) -> tuple[str, set[str]]:
    try:
        archive = open_zip(data, file_name, _LIMITS)
        with archive:
            if file_format == "docx":
                body = read_xml_member(archive, "word/document.xml", file_name, _LIMITS)
                styles = read_xml_member(archive, "word/styles.xml", file_name, _LIMITS)
                if body is None:
                    raise TranscriptError("corrupt", file_name, detail="no word/document.xml")
                paragraphs = _docx_paragraphs(body, _docx_style_names(styles))
            else:
                content = read_xml_member(archive, "content.xml", file_name, _LIMITS)
                styles = read_xml_member(archive, "styles.xml", file_name, _LIMITS)
                if content is None:
                    raise TranscriptError("corrupt", file_name, detail="no content.xml")
                paragraphs = _odt_paragraphs(content, _odt_style_names(content, styles))
    except IngestError as exc:
        code = {"zip-bomb": "hostile", "xml-entities": "hostile", "encrypted": "encrypted"}.get(
            exc.code, "corrupt"
        )
        raise TranscriptError(code, file_name, detail=exc.code) from exc
    lines: list[str] = []
    forced: set[str] = set()
    for text, is_speaker in paragraphs:
        if is_speaker:
            name = text.strip().rstrip(":").strip()
            if name:
                forced.add(name)
                lines.append(f"{name}:")
            continue
        lines.append(text)
    return "\n".join(lines), forced


def _docx_style_names(styles: Element | None) -> dict[str, str]:
    names: dict[str, str] = {}
    if styles is None:
        return names
    for style in styles.iter(f"{{{_W}}}style"):
        style_id = style.get(f"{{{_W}}}styleId", "")
        name_element = style.find(f"{{{_W}}}name")
        names[style_id] = (
            name_element.get(f"{{{_W}}}val", style_id) if name_element is not None else style_id
        )
    return names


def _docx_paragraphs(body: Element, style_names: dict[str, str]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    skip = {f"{{{_W}}}{tag}" for tag in ("del", "instrText", "delText", "commentReference")}
    skip.add("{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback")

    def text_of(element: Element, parts: list[str]) -> None:
        for child in element:
            if child.tag in skip:
                continue
            if child.tag == f"{{{_W}}}t":
                parts.append(child.text or "")
            elif child.tag == f"{{{_W}}}tab":
                parts.append("\t")
            elif child.tag in (f"{{{_W}}}br", f"{{{_W}}}cr"):
                parts.append("\n")
            elif child.tag == f"{{{_W}}}p":
                continue
            else:
                text_of(child, parts)

    for paragraph in body.iter(f"{{{_W}}}p"):
        parts: list[str] = []
        text_of(paragraph, parts)
        style = paragraph.find(f"{{{_W}}}pPr/{{{_W}}}pStyle")
        style_id = style.get(f"{{{_W}}}val", "") if style is not None else ""
        style_name = style_names.get(style_id, style_id)
        is_speaker = bool(style_id and _SPEAKER_STYLE.search(f"{style_id} {style_name}"))
        out.append(("".join(parts), is_speaker))
    return out


def _odt_style_names(content: Element, styles: Element | None) -> dict[str, str]:
    """Style name → the names it stands for (own and parent display names), joined."""
    parents: dict[str, str] = {}
    display: dict[str, str] = {}
    for root in (content, styles):
        if root is None:
            continue
        for style in root.iter(f"{{{_STYLE}}}style"):
            name = style.get(f"{{{_STYLE}}}name", "")
            parents[name] = style.get(f"{{{_STYLE}}}parent-style-name", "")
            display[name] = style.get(f"{{{_STYLE}}}display-name", name)
    resolved: dict[str, str] = {}
    for name in parents:
        seen: list[str] = []
        current = name
        while current and current not in seen and len(seen) < 20:
            seen.append(current)
            current = parents.get(current, "")
        resolved[name] = " ".join(f"{item} {display.get(item, item)}" for item in seen)
    return resolved


def _odt_paragraphs(content: Element, style_names: dict[str, str]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    body = content.find(f"{{{_OFFICE}}}body")
    if body is None:
        return out
    space = re.compile(r"[ \t\r\n]+")

    def text_of(element: Element, parts: list[str]) -> None:
        if element.text:
            parts.append(space.sub(" ", element.text))
        for child in element:
            tag = child.tag
            if tag == f"{{{_TEXT}}}s":
                parts.append(" " * int(child.get(f"{{{_TEXT}}}c", "1") or 1))
            elif tag == f"{{{_TEXT}}}tab":
                parts.append("\t")
            elif tag == f"{{{_TEXT}}}line-break":
                parts.append("\n")
            elif tag in (f"{{{_OFFICE}}}annotation", f"{{{_TEXT}}}note"):
                pass
            else:
                text_of(child, parts)
            if child.tail:
                parts.append(space.sub(" ", child.tail))

    for element in body.iter():
        if element.tag not in (f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"):
            continue
        parts: list[str] = []
        text_of(element, parts)
        style = element.get(f"{{{_TEXT}}}style-name", "")
        names = style_names.get(style, style)
        out.append(("".join(parts).strip(" "), bool(style and _SPEAKER_STYLE.search(names))))
    return out
