"""REFI-QDA: exports valid against the schemas, round trips, other tools' files, hostile files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from kansenaudit.fieldwork.refi import (
    QdaCode,
    QdaNote,
    QdaProject,
    QdaSelection,
    QdaSource,
    QdaUser,
    RefiError,
    guid_for,
    read_qdc,
    read_qdpx,
    write_qdc,
    write_qdpx,
)

SCHEMAS = Path("/work/shared/schemas/refi-qda")
if not SCHEMAS.is_dir():  # the schemas ship with the shared folder next to the repository
    SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "refi-qda"


@pytest.fixture(scope="module")
def project_schema():
    if not (SCHEMAS / "Project.xsd").is_file():
        pytest.skip("the REFI-QDA schemas are not available")
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "Project.xsd")))


@pytest.fixture(scope="module")
def codebook_schema():
    if not (SCHEMAS / "Codebook.xsd").is_file():
        pytest.skip("the REFI-QDA schemas are not available")
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "Codebook.xsd")))


def sample_project() -> QdaProject:
    anna = QdaUser(guid_for("user", "1"), "Anna Onderzoeker")
    bram = QdaUser(guid_for("user", "2"), "Bram")
    child = QdaCode(
        guid_for("code", "2"), "Wachtlijst – ervaring", "#00AA00", "Lang wachten.", True
    )
    grand = QdaCode(guid_for("code", "4"), "Één loket", None, "", True)
    child2 = QdaCode(
        guid_for("code", "3"), "Vertrouwen in de gemeente", "#123456", "", True, [grand]
    )
    top = QdaCode(
        guid_for("code", "1"),
        "Toegang",
        "#FF0000",
        "Hoe mensen hulp vinden.",
        False,
        [child, child2],
    )
    text1 = (
        "I: Hoe kwam u bij het loket?\n"
        "R: Via school. Ik wachtte twee maanden, dat is lang. Café – “ja”."
    )
    text2 = "Tweede interview.\n😀 Emoji tellen als één teken.\nR: Ik vertrouw ze niet."
    sources = [
        QdaSource(guid_for("source", "1"), "Interview 1 – bewoner", text1),
        QdaSource(guid_for("source", "2"), "Interview 2", text2),
    ]
    created = dt.datetime(2026, 5, 1, 12, 30, 15, tzinfo=dt.UTC)
    selections = [
        QdaSelection(
            guid_for("selection", "1"), sources[0].guid, 31, 44, [child.guid], anna.guid, created
        ),
        QdaSelection(
            guid_for("selection", "2"),
            sources[0].guid,
            45,
            76,
            [child.guid, grand.guid],
            bram.guid,
            None,
        ),
        QdaSelection(
            guid_for("selection", "3"), sources[1].guid, 20, 47, [child2.guid], anna.guid, created
        ),
        QdaSelection(guid_for("selection", "4"), sources[1].guid, 48, len(text2), [], None, None),
    ]
    notes = [
        QdaNote(
            guid_for("note", "1"),
            "Memo bij code",
            "Let op de wachttijden.",
            [child.guid, selections[1].guid],
        ),
        QdaNote(
            guid_for("note", "2"),
            "Memo bij bron",
            "Rustig gesprek.\nTweede regel.",
            [sources[0].guid],
        ),
        QdaNote(guid_for("note", "3"), "Losse memo", "Zonder doel.", []),
    ]
    return QdaProject(
        "Kansenaudit Voorbeeldstad – praktijk",
        "Kansenaudit 1.0",
        [anna, bram],
        [top],
        sources,
        selections,
        notes,
    )


def qde_of(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("project.qde")


def test_export_is_valid_and_round_trips(project_schema):
    project = sample_project()
    data = write_qdpx(project)
    document = etree.fromstring(qde_of(data))
    assert project_schema.validate(document), project_schema.error_log
    again, issues = read_qdpx(data)
    assert issues == []
    assert again == project
    # Stable: the same project gives the same bytes; a re-export of the import too.
    assert write_qdpx(again) == data == write_qdpx(sample_project())


def test_sources_are_utf8_plain_text_with_the_same_offsets():
    project = sample_project()
    data = write_qdpx(project)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        for source in project.sources:
            name = f"sources/{source.guid}.txt"
            assert name in names
            raw = archive.read(name)
            assert not raw.startswith(b"\xef\xbb\xbf")
            assert raw.decode("utf-8") == source.text
    document = etree.fromstring(qde_of(data))
    ns = {"q": "urn:QDA-XML:project:1.0"}
    selection = document.find(".//q:PlainTextSelection", ns)
    assert (selection.get("startPosition"), selection.get("endPosition")) == ("31", "44")
    # The emoji counts as one character: positions are code points, not UTF-16 units.
    emoji = next(s for s in project.selections if s.guid == guid_for("selection", "3"))
    assert project.sources[1].text[emoji.start : emoji.end] == "Emoji tellen als één teken."


def test_guids_are_stable_upper_case():
    assert guid_for("code", "7") == guid_for("code", "7")
    assert guid_for("code", "7") != guid_for("code", "8")
    assert guid_for("code", "7").upper() == guid_for("code", "7")


def test_codebook_export_valid_and_round_trips(codebook_schema):
    project = sample_project()
    data = write_qdc(project.codes, origin="Kansenaudit")
    assert codebook_schema.validate(etree.fromstring(data)), codebook_schema.error_log
    codes, issues = read_qdc(data)
    assert codes == project.codes
    assert issues == []
    # A .qde project's code book is read too, with a note that only the code book was used.
    codes2, issues2 = read_qdc(qde_of(write_qdpx(project)), file_name="project.qde")
    assert codes2 == project.codes
    assert [issue.element for issue in issues2] == ["Project", "NoteRef"]


def test_inconsistent_projects_are_not_written():
    project = sample_project()
    project.selections.append(
        QdaSelection(guid_for("selection", "9"), project.sources[0].guid, 5, 9999, [])
    )
    with pytest.raises(ValueError, match="outside its source"):
        write_qdpx(project)
    project = sample_project()
    project.selections[0].code_guids.append(guid_for("code", "unknown"))
    with pytest.raises(ValueError, match="unknown code"):
        write_qdpx(project)
    project = sample_project()
    project.codes[0].color = "red"
    with pytest.raises(ValueError, match="invalid colour"):
        write_qdpx(project)
    with pytest.raises(ValueError, match="at least one code"):
        write_qdc([], origin="x")


def test_atlas_ti_examples_import(shared_data):
    folder = shared_data / "qda_examples"
    files = sorted(folder.glob("*.qdpx"))
    assert files
    projects = {}
    for path in files:
        project, issues = read_qdpx(path.read_bytes(), file_name=path.name)
        assert project.origin.startswith("ATLAS.ti")
        assert all(user.guid == user.guid.upper() for user in project.users)
        projects[path.name] = (project, issues)
    target, _ = projects["atlasti_target-atlas-project.qdpx"]
    assert [code.name for code in target.codes] == ["Commits"]
    assert len(target.codes[0].children) == 2
    # Our export of what we imported validates and re-imports unchanged.
    again, issues = read_qdpx(write_qdpx(target))
    assert again == target
    assert issues == []


def _archive(
    qde: bytes | str, extra: dict[str, bytes] | None = None, qde_name: str = "Projekt.qde"
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(qde_name, qde.encode() if isinstance(qde, str) else qde)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


# A project as another tool might write it (fictional): braces and lower-case GUIDs, a
# three-digit colour, variables, cases, sets, a PDF source and an element nobody knows.
FOREIGN = (
    Path(__file__).resolve().parents[1] / "data" / "fieldwork" / "foreign-project.qde"
).read_text(encoding="utf-8")


def test_foreign_project_imports_and_reports_what_it_cannot():
    data = _archive(FOREIGN, {"sources/tekst.txt": "\ufeffÉcole et café".encode()})
    project, issues = read_qdpx(data, file_name="nvivo.qdpx")
    assert project.name == "Buitenlands"
    assert project.users[0].guid == "0A0A0A0A-0000-0000-0000-000000000001"
    top = project.codes[0]
    assert (top.color, top.children[0].color) == ("#AABBCC", None)
    assert [s.text for s in project.sources] == ["École et café", "Inline tekst"]
    (selection,) = project.selections
    assert (selection.start, selection.end, selection.code_guids) == (0, 5, [top.children[0].guid])
    assert selection.created == dt.datetime(2024, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
    assert project.notes[0].target_guids == [selection.guid]
    reported = {issue.element for issue in issues}
    assert {
        "Variables",
        "Cases",
        "Sets",
        "Extra",
        "PDFSource",
        "Code",
        "CodeRef",
        "PlainTextSelection",
        "TextSource/Description",
    } <= reported
    for issue in issues:
        assert issue.message


@pytest.mark.parametrize(
    ("make", "element"),
    [
        (lambda: _archive(FOREIGN), "TextSource"),  # the source file is missing
        (
            lambda: _archive(FOREIGN.replace("internal://tekst.txt", "../../etc/passwd")),
            "TextSource",
        ),
        (lambda: _archive(FOREIGN.replace("internal://tekst.txt", "/etc/passwd")), "TextSource"),
        (
            lambda: _archive(FOREIGN.replace("internal://tekst.txt", "file:///etc/passwd")),
            "TextSource",
        ),
        (
            lambda: _archive(FOREIGN.replace("internal://tekst.txt", "internal://../x.txt")),
            "TextSource",
        ),
        (
            lambda: _archive(FOREIGN, {"../evil.txt": b"x", "sources/tekst.txt": b"x"}),
            "../evil.txt",
        ),
        (lambda: _archive(FOREIGN, {"/abs.txt": b"x", "sources/tekst.txt": b"x"}), "/abs.txt"),
        (lambda: b"not a zip at all", ""),
        (lambda: _archive("<a/>", qde_name="readme.txt"), ""),
        (lambda: _archive('<?xml version="1.0"?><Other xmlns="urn:x"/>'), "Other"),
        (lambda: _archive("<Project"), "Projekt.qde"),
        (
            lambda: _archive(
                '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                '<Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>'
            ),
            "Projekt.qde",
        ),
        (
            lambda: _archive(
                '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                '<Project xmlns="urn:QDA-XML:project:1.0" name="&e;"/>'
            ),
            "Projekt.qde",
        ),
        (
            lambda: _archive(
                FOREIGN.replace('guid="0a0a0a0a-0000-0000-0000-00000000000a"', 'guid="nope"'),
                {"sources/tekst.txt": b"x"},
            ),
            "Code",
        ),
    ],
)
def test_hostile_or_broken_archives_are_refused(make, element):
    with pytest.raises(RefiError) as caught:
        read_qdpx(make(), file_name="aanval.qdpx")
    assert caught.value.element.startswith(element)
    if element == "":
        assert caught.value.element == ""
    assert "'aanval.qdpx'" in str(caught.value)


def test_zip_bomb_is_refused_before_inflating():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", FOREIGN)
        archive.writestr("sources/tekst.txt", b"\x00" * (5 * 1024 * 1024))
    with pytest.raises(RefiError, match="zip bomb"):
        read_qdpx(buffer.getvalue(), file_name="bom.qdpx")


def test_member_lying_about_its_size_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("project.qde", FOREIGN)
        archive.writestr("sources/tekst.txt", b"A" * 1000)
    data = bytearray(buffer.getvalue())
    # Shrink the declared size of the source in the central directory: a bounded read stops.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("sources/tekst.txt")
    central = data.rfind(b"PK\x01\x02")
    size_at = central + 24
    assert int.from_bytes(data[size_at : size_at + 4], "little") == info.file_size
    data[size_at : size_at + 4] = (10).to_bytes(4, "little")
    with pytest.raises(RefiError):
        read_qdpx(bytes(data), file_name="gelogen.qdpx")


def test_codebook_hostile_and_foreign():
    with pytest.raises(RefiError):
        read_qdc(
            b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "b">]>'
            b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>'
        )
    with pytest.raises(RefiError, match="not a REFI-QDA code book"):
        read_qdc(b"<html/>")
    codes, issues = read_qdc(
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        b'<Code guid="0A0A0A0A-0000-0000-0000-00000000000A" name="A" isCodable="false">'
        b"<Onbekend/></Code>"
        b"</Codes><Sets/></CodeBook>"
    )
    assert codes[0].is_codable is False
    assert {issue.element for issue in issues} == {"Onbekend", "Sets"}


def test_canonical_project_moves_offsets_with_the_text():
    from kansenaudit.fieldwork.refi.canonical import canonical_project, canonical_with_map
    from kansenaudit.ingest.canonical import canonicalise

    raw = "\r\n\r\n  Intro  \r\nCafe\u0301 \x00en\tde  \r\nwijk   \r\n\r\n"
    text, mapping = canonical_with_map(raw)
    assert text == canonicalise(raw) == "  Intro\nCafé en\tde\nwijk"
    assert len(mapping) == len(raw) + 1
    assert mapping == sorted(mapping)
    for word in ("Intro", "en", "wijk"):
        start = raw.index(word)
        assert text[mapping[start] : mapping[start + len(word)]] == word
    cafe = raw.index("Cafe")
    assert text[mapping[cafe] : mapping[cafe + 5]] == "Café"
    source = QdaSource(guid_for("source", "x"), "x", raw)
    code = QdaCode(guid_for("code", "x"), "x")
    selections = [
        QdaSelection(
            guid_for("selection", "a"),
            source.guid,
            raw.index("wijk"),
            raw.index("wijk") + 4,
            [code.guid],
        ),
        QdaSelection(
            guid_for("selection", "b"),
            source.guid,
            raw.index("\x00"),
            raw.index("\x00") + 1,
            [code.guid],
        ),
    ]
    project = QdaProject("p", codes=[code], sources=[source], selections=selections)
    fixed, issues = canonical_project(project)
    (kept,) = fixed.selections
    assert fixed.sources[0].text[kept.start : kept.end] == "wijk"
    assert [issue.element for issue in issues] == ["PlainTextSelection"]
    # Already canonical text: nothing moves.
    again, issues = canonical_project(fixed)
    assert again == fixed
    assert issues == []
