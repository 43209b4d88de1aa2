"""REFI-QDA exchange of the coding: exports valid against the schemas, stable GUIDs, blind and
withdrawn material left out, a re-import of our own export changing nothing, an import into
another dossier, the ATLAS.ti examples, and hostile files refused with nothing stored."""

from __future__ import annotations

import io
import zipfile

import lxml.etree
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from kansenaudit.web.coding import refi, segments, services
from kansenaudit.web.coding.models import Code, Memo, Segment
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.dossiers import services as dossier_services
from kansenaudit.web.fieldwork.models import Transcript, TranscriptOriginal
from tests.helpers.matrix_fieldwork import TEST_KEY
from tests.web.coding.support import transcript, turn


@pytest.fixture(autouse=True)
def _fieldwork_key(tmp_path, monkeypatch):
    """Imported sources are pseudonymised and their originals stored encrypted: that needs a key."""
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KANSENAUDIT_FIELDWORK_KEY", TEST_KEY)


@pytest.fixture(scope="module")
def schemas(shared_data):
    folder = shared_data.parent / "schemas" / "refi-qda"
    if not folder.is_dir():
        pytest.skip("the REFI-QDA schemas are missing")
    return {
        name: lxml.etree.XMLSchema(lxml.etree.parse(str(folder / f"{name}.xsd")))
        for name in ("Project", "Codebook")
    }


def counts():
    return (
        Code.objects.count(),
        Segment.objects.count(),
        Memo.objects.count(),
        Transcript.objects.count(),
    )


@pytest.fixture
def w(team):
    dossier, one = team["dossier"], team["users"]["onderzoeker"]
    two = get_user_model().objects.create_user(username="codeur-twee")
    dossier_services.membership_set(dossier=dossier, user=two, role="onderzoeker", actor=None)
    top = services.code_create(dossier=dossier, actor=one, name="Toegang", colour="#ff0000")
    sub = services.code_create(
        dossier=dossier, actor=one, name="Wachttijd – €, ë en “quotes”", parent=top
    )
    item = transcript(dossier, title="Interview één")
    t2, t4, t5 = turn(item, 2), turn(item, 4), turn(item, 5)
    s = segments.segment_code(
        actor=one, codes=[top, sub], start=t2.start, end=t2.end, transcript=item
    )
    services.memo_add(dossier=dossier, actor=one, text="Memo op segment", segment=s)
    services.memo_add(dossier=dossier, actor=one, text="Memo op code", code=sub)
    services.memo_add(dossier=dossier, actor=one, text="Memo op transcript", transcript=item)
    gone = segments.segment_code(
        actor=one, codes=[sub], start=t4.start, end=t4.end, transcript=item
    )
    segments.segment_code(actor=one, codes=[top], start=t5.start, end=t5.end, transcript=item)
    partner = t4.participant
    partner.withdrawn_at = timezone.now()
    partner.save()
    blind_item = transcript(dossier, title="Blind")
    sample = segments.double_coding_start(
        transcript=blind_item, coder_1=one, coder_2=two, actor=None
    )
    b2 = turn(blind_item, 2)
    segments.segment_code(actor=two, codes=[top], start=b2.start, end=b2.end, transcript=blind_item)
    return {
        **team,
        "one": one,
        "item": item,
        "withdrawn_text": item.text[t4.start : t4.end],
        "gone": gone,
        "sample": sample,
    }


def test_export_is_valid_stable_and_leaves_out_blind_and_withdrawn(w, schemas):
    data = refi.export_qdpx(w["dossier"], actor=w["one"])
    assert data == refi.export_qdpx(w["dossier"], actor=w["one"])  # byte for byte
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        qde = archive.read("project.qde")
        texts = {n: archive.read(n).decode() for n in archive.namelist() if n.endswith(".txt")}
    doc = lxml.etree.fromstring(qde)
    schemas["Project"].assertValid(doc)
    codebook = lxml.etree.fromstring(refi.export_qdc(w["dossier"], actor=w["one"]))
    schemas["Codebook"].assertValid(codebook)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    selections = doc.findall(".//q:PlainTextSelection", ns)
    assert len(selections) == 2  # the withdrawn one and the blind one are left out
    assert all(w["withdrawn_text"] not in t for t in texts.values())
    # The offsets are ours: the exported text has the same length, the passage the same words.
    ours = next(t for t in texts.values() if t.startswith("I1: Hoe ervaart"))
    assert len(ours) == len(w["item"].text)
    t2 = turn(w["item"], 2)
    first = next(s for s in selections if int(s.get("startPosition")) == t2.start)
    assert ours[t2.start : int(first.get("endPosition"))] == w["item"].text[t2.start : t2.end]
    notes = [n.findtext("q:PlainTextContent", namespaces=ns) for n in doc.findall(".//q:Note", ns)]
    assert sorted(notes) == ["Memo op code", "Memo op segment", "Memo op transcript"]
    assert AuditEvent.objects.filter(action="coding.exported").count() == 3


def test_reimport_of_our_own_export_changes_nothing(w):
    data = refi.export_qdpx(w["dossier"], actor=w["one"])
    before = counts()
    report = refi.import_qdpx(
        dossier=w["dossier"], actor=w["one"], data=data, file_name="eigen.qdpx"
    )
    assert not report.changed, report.as_dict()
    assert counts() == before
    report = refi.import_qdc(
        dossier=w["dossier"],
        actor=w["one"],
        data=refi.export_qdc(w["dossier"], actor=w["one"]),
        file_name="eigen.qdc",
    )
    assert (report.codes_created, report.codes_existing) == (0, 2)
    assert counts() == before


def test_import_into_another_dossier_and_back(w, team):
    data = refi.export_qdpx(w["dossier"], actor=w["one"])
    other = team["other"]
    report = refi.import_qdpx(dossier=other, actor=None, data=data, file_name="p.qdpx")
    assert report.codes_created == 2
    assert report.sources_created == 2
    assert report.selections_created == 2
    assert report.notes_created == 3
    # Imported sources are pseudonymised and reviewed like uploads.
    assert AuditEvent.objects.filter(action="fieldwork.transcript_from_source").count() == 2
    assert TranscriptOriginal.objects.filter(transcript__dossier=other).count() == 2
    imported = Segment.objects.filter(dossier=other).order_by("start")
    source = imported[0].transcript
    t2 = turn(w["item"], 2)
    assert source.text[imported[0].start : imported[0].end] == w["item"].text[t2.start : t2.end]
    assert {c.name for c in imported[0].codes.all()} == {"Toegang", "Wachttijd – €, ë en “quotes”"}
    assert Code.objects.get(dossier=other, name="Toegang").colour == "#ff0000"
    child = Code.objects.get(dossier=other, name__startswith="Wachttijd")
    assert child.parent.name == "Toegang"
    # Exported again from there and imported once more: nothing new (GUIDs kept).
    again = refi.export_qdpx(other, actor=None)
    report = refi.import_qdpx(dossier=other, actor=None, data=again, file_name="p2.qdpx")
    assert not report.changed, report.as_dict()


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


QDE = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="x">'
    '<CodeBook><Codes><Code guid="11111111-1111-1111-1111-111111111111" name="Nieuw" '
    'isCodable="true"/></Codes></CodeBook>'
    '<Sources><TextSource guid="22222222-2222-2222-2222-222222222222" name="s" '
    'plainTextPath="{path}"/></Sources></Project>'
)


@pytest.mark.parametrize(
    ("members", "fragment"),
    [
        ({"project.qde": QDE.format(path="internal://../../etc/passwd")}, "s"),
        ({"project.qde": QDE.format(path="absolute:///etc/passwd")}, "s"),
        ({"project.qde": QDE.format(path="internal://ontbreekt.txt")}, "s"),
        ({"project.qde": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Project/>'}, ""),
        ({"leeg.txt": "niets"}, ""),
    ],
)
def test_hostile_or_broken_files_are_refused_and_nothing_is_stored(w, members, fragment):
    before, events = counts(), AuditEvent.objects.count()
    with pytest.raises(refi.RefiImportError) as info:
        refi.import_qdpx(
            dossier=w["dossier"],
            actor=w["one"],
            data=_zip(members),
            file_name="boos.qdpx",
        )
    assert "boos.qdpx" in str(info.value)
    assert counts() == before
    assert AuditEvent.objects.count() == events
    with pytest.raises(refi.RefiImportError):
        refi.import_qdpx(
            dossier=w["dossier"], actor=w["one"], data=b"PK\x03\x04 kapot", file_name="kapot.qdpx"
        )
    with pytest.raises(services.CodingError):  # a reader may not import
        refi.import_qdc(
            dossier=w["dossier"], actor=w["users"]["meelezer"], data=b"", file_name="x.qdc"
        )


def test_the_atlas_ti_examples_import(team, shared_data):
    folder = shared_data / "qda_examples"
    files = sorted(folder.glob("*.qdpx"))
    assert files, folder
    for path in files:
        report = refi.import_qdpx(
            dossier=team["dossier"],
            actor=None,
            data=path.read_bytes(),
            file_name=path.name,
        )
        again = refi.import_qdpx(
            dossier=team["dossier"],
            actor=None,
            data=path.read_bytes(),
            file_name=path.name,
        )
        assert not again.changed, (path.name, again.as_dict())
        assert report.as_dict()["issues"] is not None
    names = list(Code.objects.filter(dossier=team["dossier"]).values_list("name", flat=True))
    assert names, "the examples hold codes"


def test_a_project_of_another_tool_imports_once(team):
    from kansenaudit.fieldwork.refi import (
        QdaCode,
        QdaNote,
        QdaProject,
        QdaSelection,
        QdaSource,
        QdaUser,
        write_qdpx,
    )

    text = "Interviewer: Hoe gaat het?\nBewoner: Goed, de hulp kwam snel. Café’s sluiten vroeg."
    start = text.index("de hulp")
    project = QdaProject(
        name="Ander project",
        origin="QualCoder",
        users=[QdaUser("AAAAAAAA-0000-0000-0000-000000000001", "onderzoeker")],
        codes=[
            QdaCode(
                "AAAAAAAA-0000-0000-0000-000000000010",
                "Snelheid",
                color="#0a0",
                children=[QdaCode("AAAAAAAA-0000-0000-0000-000000000011", "Zeer snel")],
            )
        ],
        sources=[QdaSource("AAAAAAAA-0000-0000-0000-000000000020", "Interview X", text)],
        selections=[
            QdaSelection(
                "AAAAAAAA-0000-0000-0000-000000000030",
                "AAAAAAAA-0000-0000-0000-000000000020",
                start,
                start + len("de hulp kwam snel"),
                ["AAAAAAAA-0000-0000-0000-000000000011", "AAAAAAAA-0000-0000-0000-0000000000FF"],
                user_guid="AAAAAAAA-0000-0000-0000-000000000001",
            )
        ],
        notes=[
            QdaNote(
                "AAAAAAAA-0000-0000-0000-000000000040",
                "n",
                "Notitie",
                ["AAAAAAAA-0000-0000-0000-000000000030"],
            )
        ],
    )
    with pytest.raises(ValueError, match="unknown code"):  # the writer refuses it itself
        write_qdpx(project)
    project.selections[0].code_guids.pop()
    data = write_qdpx(project)
    report = refi.import_qdpx(
        dossier=team["dossier"], actor=None, data=data, file_name="ander.qdpx"
    )
    assert report.as_dict()["selections"] == {"created": 1, "existing": 0}
    segment = Segment.objects.get(dossier=team["dossier"])
    assert segment.coder == team["users"]["onderzoeker"]  # the user name matches a member
    assert segment.memos.get().text == "Notitie"
    assert Code.objects.get(name="Snelheid").colour == "#00aa00"
    again = refi.import_qdpx(dossier=team["dossier"], actor=None, data=data, file_name="ander.qdpx")
    assert not again.changed, again.as_dict()
    # Our export of it keeps the other tool's GUIDs.
    exported = refi.project(team["dossier"])
    assert {s.guid for s in exported.sources} == {"AAAAAAAA-0000-0000-0000-000000000020"}
    assert {s.guid for s in exported.selections} == {"AAAAAAAA-0000-0000-0000-000000000030"}


def test_an_imported_source_is_pseudonymised_and_its_segments_keep_their_words(team):
    from kansenaudit.fieldwork.refi import QdaCode, QdaProject, QdaSelection, QdaSource, write_qdpx

    text = (
        "I: Wie hielp u met de aanvraag?\n"
        "R: Mevrouw Wilhelmina Brouwer hielp mij. Daarna ging het beter met de huur.\n"
    )
    later = text.index("beter met de huur")
    whole = text.index("Mevrouw")
    source_guid = "BBBBBBBB-0000-0000-0000-000000000020"
    code_guid = "BBBBBBBB-0000-0000-0000-000000000010"
    project = QdaProject(
        name="ATLAS-achtig",
        origin="ATLAS.ti",
        codes=[QdaCode(code_guid, "Hulp")],
        sources=[QdaSource(source_guid, "Interview 7", text)],
        selections=[
            QdaSelection(
                "BBBBBBBB-0000-0000-0000-000000000031",
                source_guid,
                later,
                later + len("beter met de huur"),
                [code_guid],
            ),
            QdaSelection(  # a selection that holds the name itself
                "BBBBBBBB-0000-0000-0000-000000000032",
                source_guid,
                whole,
                text.index(" Daarna"),
                [code_guid],
            ),
        ],
    )
    report = refi.import_qdpx(
        dossier=team["dossier"], actor=None, data=write_qdpx(project), file_name="atlas.qdpx"
    )
    assert (report.sources_created, report.selections_created) == (1, 2), report.as_dict()
    item = Transcript.objects.get(dossier=team["dossier"])
    assert "Brouwer" not in item.text
    assert "Wilhelmina" not in item.text
    assert "Brouwer" not in TranscriptOriginal.objects.get(transcript=item).token
    assert item.text != text  # the pseudonym has another length: the offsets were mapped
    by_guid = {s.guid: s for s in Segment.objects.filter(transcript=item)}
    later_segment = by_guid["BBBBBBBB-0000-0000-0000-000000000031"]
    assert item.text[later_segment.start : later_segment.end] == "beter met de huur"
    named = by_guid["BBBBBBBB-0000-0000-0000-000000000032"]
    covered = item.text[named.start : named.end]
    assert covered.startswith("Mevrouw") or covered.startswith("[")
    assert covered.endswith("hielp mij.")
    assert "Brouwer" not in covered
    # Imported again: nothing new, the segments stay where they are.
    again = refi.import_qdpx(
        dossier=team["dossier"], actor=None, data=write_qdpx(project), file_name="atlas.qdpx"
    )
    assert not again.changed, again.as_dict()
