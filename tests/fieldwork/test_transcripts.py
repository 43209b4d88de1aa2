"""Reading transcripts: every format, speaker turns, bad encodings, hostile and huge files."""

from __future__ import annotations

import codecs
import io
import pickle
import zipfile

import docx
import pytest

from kansenaudit.fieldwork.transcripts import (
    MAX_TRANSCRIPT_BYTES,
    MAX_TRANSCRIPT_WORDS,
    ParsedTranscript,
    TranscriptError,
    parse_transcript,
)
from kansenaudit.ingest.canonical import is_canonical


def turns(parsed: ParsedTranscript) -> list[tuple[str, str]]:
    return [(turn.speaker, parsed.text[turn.start : turn.end]) for turn in parsed.turns]


def check_invariants(parsed: ParsedTranscript) -> None:
    assert is_canonical(parsed.text)
    previous_end = 0
    for turn in parsed.turns:
        assert previous_end <= turn.start <= turn.end <= len(parsed.text)
        previous_end = turn.end
        chunk = parsed.text[turn.start : turn.end]
        assert chunk == chunk.strip()


TXT = (
    "Interview 3, 14 maart 2026\n"
    "Let op: opname begon laat.\n"
    "\n"
    "I: Hoe gaat het?  \r\n"
    "R: Goed.\r\n"
    "Dat is zo.\n"
    "\n"
    "[00:01:02] Jan de Vries: ja\n"
    "Interviewer 2 (00:03:04): Dank u.\n"
    "R: Graag gedaan.\n"
    "I: Tot ziens.\n"
    "Jan de Vries: Dag.\n"
    "Interviewer 2: Dag!\n"
)


def test_txt_turns_exclude_label_and_header():
    parsed = parse_transcript(TXT.encode(), "interview.txt")
    check_invariants(parsed)
    assert parsed.file_format == "txt"
    assert parsed.warnings == ()
    assert turns(parsed)[:4] == [
        ("I", "Hoe gaat het?"),
        ("R", "Goed.\nDat is zo."),
        ("Jan de Vries", "ja"),
        ("Interviewer 2", "Dank u."),
    ]
    # The header line "Let op: …" is no speaker, and nothing before the first turn is a turn.
    assert all(turn.speaker != "Let op" for turn in parsed.turns)
    assert parsed.turns[0].start > parsed.text.index("Let op")


def test_offsets_are_code_points_after_nfc():
    raw = "I: Cafe\u0301 en e\u0301e\u0301n.\nR: Ja.\nI: Ok.\nR: Nee.\n".encode()
    parsed = parse_transcript(raw, "x.txt")
    assert turns(parsed)[0] == ("I", "Café en één.")


def test_markdown_bold_labels():
    raw = "# Interview\n\n**Fatima:** Ik woon hier.\n\n**I:** Sinds wanneer?\n\n**Fatima**: Lang.\n"
    parsed = parse_transcript(raw.encode(), "gesprek.md")
    assert parsed.file_format == "md"
    assert turns(parsed) == [
        ("Fatima", "Ik woon hier."),
        ("I", "Sinds wanneer?"),
        ("Fatima", "Lang."),
    ]


def test_label_alone_on_a_line_then_speech():
    raw = "Interviewer:\nHoe gaat het?\n\nRespondent:\nGoed.\nInterviewer:\nFijn.\n"
    parsed = parse_transcript(raw.encode(), "x.txt")
    assert turns(parsed) == [
        ("Interviewer", "Hoe gaat het?"),
        ("Respondent", "Goed."),
        ("Interviewer", "Fijn."),
    ]


def test_no_speakers_gives_paragraph_turns_and_a_warning():
    raw = "Eerste alinea over de buurt.\nNog een regel.\n\nTweede alinea.\n"
    parsed = parse_transcript(raw.encode(), "notities.txt")
    assert parsed.warnings == ("no_speakers",)
    assert turns(parsed) == [
        ("", "Eerste alinea over de buurt.\nNog een regel."),
        ("", "Tweede alinea."),
    ]


def test_single_colon_line_is_not_a_speaker():
    parsed = parse_transcript(b"Let op: dit is geen spreker.\nGewoon tekst.", "x.txt")
    assert parsed.warnings == ("no_speakers",)


def test_srt_cues_and_speakers():
    raw = (
        "1\n00:00:01,000 --> 00:00:03,000\nJan: Goedemorgen.\n\n"
        "2\n00:00:03,500 --> 00:00:05,000\nJan: Hoe gaat het?\n\n"
        "3\n00:00:05,000 --> 00:00:07,000\n[Piet] <i>Prima</i> &amp; jij?\n\n"
        "4\n00:00:07,000 --> 00:00:08,000\nnog een cue zonder naam\n"
    )
    parsed = parse_transcript(raw.encode(), "opname.srt")
    check_invariants(parsed)
    assert parsed.file_format == "srt"
    assert "00:00" not in parsed.text
    assert turns(parsed) == [
        ("Jan", "Goedemorgen. Hoe gaat het?"),
        ("Piet", "Prima & jij? nog een cue zonder naam"),
    ]
    assert parsed.warnings == ("srt_unlabelled_cues",)


def test_webvtt_voice_tags_notes_and_header():
    raw = (
        "\ufeffWEBVTT - interview\n\nNOTE dit is een notitie\n\n"
        "intro\n00:00.000 --> 00:02.000 align:start\n<v.loud Anna de Wit>Hallo</v>\n\n"
        "00:02.000 --> 00:04.000\n<v Bram>Hoi <c.yellow>Anna</c>\n\n"
        "00:04.000 --> 00:05.000\n<v Anna de Wit>Zullen we?\n"
    )
    parsed = parse_transcript(raw.encode(), "opname.vtt")
    assert turns(parsed) == [
        ("Anna de Wit", "Hallo"),
        ("Bram", "Hoi Anna"),
        ("Anna de Wit", "Zullen we?"),
    ]


def test_vtt_without_header_is_corrupt():
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(b"00:00.000 --> 00:02.000\nHallo\n", "x.vtt")
    assert caught.value.code == "corrupt"


def _docx(paragraphs: list[tuple[str, str | None]]) -> bytes:
    document = docx.Document()
    document.styles.add_style("Spreker", 1)  # WD_STYLE_TYPE.PARAGRAPH
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_speaker_style_and_inline_labels():
    data = _docx(
        [
            ("Verslag", "Heading 1"),
            ("Interviewer", "Spreker"),
            ("Hoe is het?", None),
            ("Respondent", "Spreker"),
            ("Goed.", None),
            ("Echt goed.", None),
        ]
    )
    parsed = parse_transcript(data, "interview.docx")
    assert parsed.file_format == "docx"
    assert turns(parsed) == [("Interviewer", "Hoe is het?"), ("Respondent", "Goed.\nEcht goed.")]
    inline = parse_transcript(_docx([("I: Vraag?", None), ("R: Antwoord.", None)]), "b.docx")
    assert turns(inline) == [("I", "Vraag?"), ("R", "Antwoord.")]


def _odt(body: str, styles: str = "") -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">'
        f"<office:automatic-styles>{styles}</office:automatic-styles>"
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def test_odt_speaker_style_inherited_and_spaces():
    styles = (
        '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Spreker"/>'
    )
    body = (
        '<text:p text:style-name="P1">Anna</text:p>'
        '<text:p>Het  gaat<text:s text:c="2"/>goed.</text:p>'
        '<text:p text:style-name="P1">Bram</text:p>'
        "<text:p>Mooi<text:tab/>zo.</text:p>"
    )
    parsed = parse_transcript(_odt(body, styles), "interview.odt")
    assert turns(parsed) == [("Anna", "Het gaat  goed."), ("Bram", "Mooi\tzo.")]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ("I: Één café\nR: Ja\n".encode("utf-16"), "utf16.txt"),
        (codecs.BOM_UTF8 + "I: Één café\nR: Ja\n".encode(), "bom.txt"),
    ],
)
def test_encodings_with_bom(data, name):
    parsed = parse_transcript(data, name)
    assert parsed.text.startswith("I: Één café")
    assert parsed.warnings == ()


def test_cp1252_is_read_with_a_warning():
    parsed = parse_transcript("I: Één café\nR: Ja, ‘goed’\n".encode("cp1252"), "oud.txt")
    assert "encoding_cp1252" in parsed.warnings
    assert turns(parsed)[0] == ("I", "Één café")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"  \n\n \t", "empty"),
        (bytes(range(256)) * 20, "encoding"),
        (b"\x81\x8d\x8f" * 50, "encoding"),
        ("ab".encode("utf-16-le") * 100, "encoding"),  # UTF-16 without BOM: refused, not guessed
        (b"%PDF-1.7 xxx", "unsupported"),
        (b"PK\x03\x04garbage", "unsupported"),
    ],
)
def test_bad_bytes_are_refused_with_the_file_name(data, code):
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(data, "slecht.txt")
    assert caught.value.code == code
    assert "'slecht.txt'" in str(caught.value)
    assert caught.value.params["file"] == "slecht.txt"


def test_error_survives_pickling_for_the_worker():
    error = TranscriptError("too_long", "x.txt", words=70_000, limit=MAX_TRANSCRIPT_WORDS)
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 (our own bytes)
    assert again.code == "too_long"
    assert str(again) == str(error)


def test_too_many_words_and_too_many_bytes():
    words = ("woord " * (MAX_TRANSCRIPT_WORDS + 1)).encode()
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(words, "lang.txt")
    assert caught.value.code == "too_long"
    assert caught.value.params["words"] == MAX_TRANSCRIPT_WORDS + 1
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(b"a" * (MAX_TRANSCRIPT_BYTES + 1), "groot.txt")
    assert caught.value.code == "too_large"


def test_docx_extension_with_text_inside_is_corrupt():
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(b"I: hallo\nR: dag\n", "nep.docx")
    assert caught.value.code == "corrupt"


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_docx_is_hostile():
    bomb = _zip({"word/document.xml": b"\x00" * (120 * 1024 * 1024)})
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(bomb, "bom.docx")
    assert caught.value.code == "hostile"


def test_xml_entities_in_docx_are_hostile():
    billion = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(_zip({"word/document.xml": billion}), "xxe.docx")
    assert caught.value.code == "hostile"
    external = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
        b"&e;</office:document-content>"
    )
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(_zip({"content.xml": external}), "xxe.odt")
    assert caught.value.code == "hostile"


def test_docx_without_document_is_corrupt_and_broken_xml_too():
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(_zip({"word/other.xml": b"<a/>"}), "leeg.docx")
    assert caught.value.code == "corrupt"
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(_zip({"word/document.xml": b"<w:document"}), "kapot.docx")
    assert caught.value.code == "corrupt"


def test_same_bytes_same_result():
    data = TXT.encode()
    assert parse_transcript(data, "a.txt") == parse_transcript(data, "a.txt")


def test_sentence_with_a_colon_inside_a_turn_is_no_new_speaker():
    raw = "I: Hoe ging het?\nR: Nou.\nWat ik bedoel: het was lastig.\nI: Dank u.\nR: Graag.\n"
    parsed = parse_transcript(raw.encode(), "x.txt")
    assert turns(parsed)[1] == ("R", "Nou.\nWat ik bedoel: het was lastig.")


def test_isolated_child_gives_the_same_result_and_the_same_errors():
    from kansenaudit.fieldwork.isolated import parse_transcript_isolated

    data = TXT.encode()
    assert parse_transcript_isolated(data, "interview.txt") == parse_transcript(
        data, "interview.txt"
    )
    with pytest.raises(TranscriptError) as caught:
        parse_transcript_isolated(b"", "leeg.txt")
    assert caught.value.code == "empty"
    assert "'leeg.txt'" in str(caught.value)


def test_isolated_child_out_of_memory_or_time_is_a_clear_error():
    from kansenaudit.fieldwork.isolated import parse_transcript_isolated

    # 20 MB of address space cannot even start Python with the parser's imports.
    with pytest.raises(TranscriptError) as caught:
        parse_transcript_isolated(TXT.encode(), "x.txt", memory_mb=20)
    assert caught.value.code == "out_of_memory"
    with pytest.raises(TranscriptError) as caught:
        parse_transcript_isolated(TXT.encode(), "x.txt", timeout_s=0.001)
    assert caught.value.code == "timeout"
