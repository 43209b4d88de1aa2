"""The fieldwork services against the real parser, pseudonymiser and database: what is stored
in the clear, what only encrypted, what withdrawal removes, and what bad input leaves behind."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.fieldwork import crypto, selectors, services, transcript_services
from kansenaudit.web.fieldwork.models import (
    ContactDetails,
    PseudonymKey,
    Session,
    Transcript,
    TranscriptOriginal,
    Turn,
)
from kansenaudit.web.fieldwork.services import FieldworkError
from kansenaudit.web.policy.models import Actor, Measure

NAMES = ["Fatima Bakker", "Jan de Vries", "Lindelaan 14", "06-12345678", "fatima@example.org"]
TEXT = (
    "I: Hoe kwam u bij de maatregel Huiswerkhulp Noord?\n"
    "Bewoner 1: Via Fatima Bakker van de school. Ik woon aan de Lindelaan 14.\n"
    "I: En daarna?\n"
    "Bewoner 1: Jan de Vries belde mij op 06-12345678. Mail: fatima@example.org.\n"
    "Partner 1: Dat klopt, ik werk met Jan de Vries samen in Oost.\n"
    "I: Nog iets?\n"
    "Partner 1: Nee.\n"
)


@pytest.fixture
def fw(team):
    dossier, pl = team["dossier"], team["users"]["projectleider"]
    directie = Actor.objects.create(dossier=dossier, name="Directie Onderwijs", kind="directie")
    measure = Measure.objects.create(dossier=dossier, name="Huiswerkhulp Noord", owner=directie)
    session = services.session_save(
        dossier=dossier, actor=pl, kind="interview", title="Gesprek 1", measures=[measure]
    )
    people = {}
    for pseudonym, group in (("Bewoner 1", "resident"), ("Partner 1", "partner")):
        people[pseudonym] = services.participant_save(
            dossier=dossier,
            actor=pl,
            pseudonym=pseudonym,
            stakeholder_group=group,
            sessions=[session],
        )
    return {**team, "measure": measure, "session": session, "people": people}


def upload(fw, text=TEXT, name="gesprek.txt"):
    return transcript_services.transcript_import(
        session=fw["session"],
        actor=fw["users"]["onderzoeker"],
        data=text.encode("utf-8"),
        file_name=name,
    )


def test_upload_stores_only_pseudonymised_text_and_encrypts_the_rest(fw):
    t = upload(fw)
    for name in NAMES:
        assert name not in t.text
        assert name not in t.original.token
        assert name not in str(t.original.spans)
        assert name not in PseudonymKey.objects.get(dossier=fw["dossier"]).token
    # The research context stays: the measure name, and the directie in the allow-list.
    assert "Huiswerkhulp Noord" in t.text
    # Turns are mapped to the pseudonymised text and to the participants by their label.
    turns = list(t.turns.all())
    assert [turn.speaker for turn in turns] == [
        "I",
        "Bewoner 1",
        "I",
        "Bewoner 1",
        "Partner 1",
        "I",
        "Partner 1",
    ]
    assert turns[1].participant == fw["people"]["Bewoner 1"]
    assert t.text[turns[1].start : turns[1].end].endswith("van de school. Ik woon aan [Adres 1].")
    assert t.text[turns[4].start : turns[4].end].endswith("samen in Oost.")
    assert turns[6].participant == fw["people"]["Partner 1"]
    # The same person gets the same pseudonym within and across transcripts.
    second = upload(fw, "I: Wie hielp?\nR: Jan de Vries, weer.\n", "tweede.txt")
    pseudonym = next(s[3] for s in t.original.spans if "Persoon" in s[3] and s[3] in t.text)
    jan = [s[3] for s in second.original.spans]
    assert len(jan) == 1
    assert jan[0] in t.text
    # The original is there, encrypted, for the project leader; viewing it is logged.
    payload = transcript_services.original_view(transcript=t, actor=fw["users"]["projectleider"])
    assert payload["original"] == TEXT.strip()
    event = AuditEvent.objects.filter(action="fieldwork.original_view").get()
    assert all(name not in str(event.after) + event.summary for name in NAMES)
    assert pseudonym


def test_audit_log_never_holds_an_original(fw):
    t = upload(fw)
    transcript_services.replacement_add(
        transcript=t, actor=fw["users"]["onderzoeker"], phrase="Oost", kind="place"
    )
    transcript_services.original_view(transcript=t, actor=fw["users"]["projectleider"])
    transcript_services.key_view(dossier=fw["dossier"], actor=fw["users"]["projectleider"])
    services.contact_set(
        participant=fw["people"]["Bewoner 1"],
        actor=fw["users"]["projectleider"],
        details="Fatima Bakker, 06-12345678",
    )
    log = " ".join(
        f"{e.summary} {e.before} {e.after}"
        for e in AuditEvent.objects.filter(dossier=fw["dossier"])
    )
    for name in NAMES:
        assert name not in log
    assert "Fatima" not in ContactDetails.objects.get().token


def test_only_view_originals_may_decrypt(fw):
    t = upload(fw)
    for role in ("onderzoeker", "reviewer", "meelezer"):
        with pytest.raises(FieldworkError):
            transcript_services.original_view(transcript=t, actor=fw["users"][role])
        with pytest.raises(FieldworkError):
            transcript_services.key_view(dossier=fw["dossier"], actor=fw["users"][role])
    with pytest.raises(FieldworkError):
        transcript_services.original_view(transcript=t, actor=fw["outsider"])
    assert not AuditEvent.objects.filter(action="fieldwork.original_view").exists()
    key = transcript_services.key_view(dossier=fw["dossier"], actor=fw["users"]["projectleider"])
    assert "Jan de Vries" in str(key)


def test_review_add_and_undo_rebuild_text_and_turns(fw):
    t = upload(fw)
    actor = fw["users"]["onderzoeker"]
    assert "Oost" in t.text
    assert (
        transcript_services.replacement_add(transcript=t, actor=actor, phrase="Oost", kind="place")
        == 1
    )
    t.refresh_from_db()
    assert "Oost" not in t.text
    last = t.turns.get(number=5)
    assert t.text[last.start : last.end].startswith("Dat klopt")
    assert last.participant == fw["people"]["Partner 1"]
    # Undo: the word is back, every turn still points at its own words.
    index = next(i for i, s in enumerate(t.original.spans) if s[2] == "place")
    t = Transcript.objects.get(pk=t.pk)
    transcript_services.replacement_undo(transcript=t, actor=actor, span_index=index)
    t.refresh_from_db()
    assert "Oost" in t.text
    assert t.text[last.start : last.end] != ""
    actions = list(
        AuditEvent.objects.filter(action__startswith="fieldwork.replacement")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["fieldwork.replacement_add", "fieldwork.replacement_undo"]
    with pytest.raises(FieldworkError):
        transcript_services.replacement_add(transcript=t, actor=actor, phrase="Zzzz", kind="place")
    fw["session"].status = Session.Status.CODED
    fw["session"].save()
    with pytest.raises(FieldworkError, match="coded"):
        transcript_services.replacement_add(transcript=t, actor=actor, phrase="Oost", kind="place")


def test_withdrawal_marks_turns_and_hides_words(fw):
    t = upload(fw)
    partner = fw["people"]["Partner 1"]
    words = "Dat klopt, ik werk met"
    assert words in t.text
    services.consent_record(
        participant=partner,
        actor=fw["users"]["onderzoeker"],
        given_on=datetime.date(2026, 3, 1),
        scope="quotation",
    )
    services.consent_withdraw(participant=partner, actor=fw["users"]["onderzoeker"])
    assert selectors.withdrawn_participant_ids(fw["dossier"]) == {partner.pk}
    spans = selectors.withdrawn_spans(t)
    assert len(spans) == 2
    assert words in t.text[spans[0][0] : spans[0][1]]
    shown = " ".join(b["text"] for b in selectors.transcript_blocks(t))
    assert words not in shown
    assert words not in selectors.redact_withdrawn(t.text, spans)
    with pytest.raises(FieldworkError):
        services.consent_withdraw(participant=partner, actor=None)
    with pytest.raises(FieldworkError):
        services.consent_record(
            participant=partner, actor=None, given_on=datetime.date(2026, 3, 2), scope="recording"
        )
    assert AuditEvent.objects.filter(action="fieldwork.consent_withdraw").count() == 1


def _docx_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b"a" * 300_000_000 + b"/>")
    return buffer.getvalue()


XXE = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
)


def _docx_with(document: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("leeg.txt", b""),
        ("spaties.txt", b"   \n\n  "),
        ("binair.txt", bytes(range(256)) * 40),
        ("kapot.docx", b"PK\x03\x04 geen zip"),
        ("bom.docx", _docx_bomb()),
        ("xxe.docx", _docx_with(XXE)),
        ("scan.pdf", b"%PDF-1.4\n..."),
    ],
)
def test_bad_files_are_refused_naming_the_file_and_nothing_is_stored(fw, name, data):
    before = (Transcript.objects.count(), Turn.objects.count(), AuditEvent.objects.count())
    with pytest.raises(FieldworkError) as caught:
        transcript_services.transcript_import(
            session=fw["session"], actor=None, data=data, file_name=name
        )
    assert name in str(caught.value)
    assert "/etc/passwd" not in str(caught.value)
    assert "root:" not in str(caught.value)
    after = (Transcript.objects.count(), Turn.objects.count(), AuditEvent.objects.count())
    assert after == before
    assert not TranscriptOriginal.objects.exists()


def test_too_many_words_refused(fw):
    text = "I: Vraag?\nR: " + "woord " * (transcript_services.MAX_TRANSCRIPT_WORDS + 10)
    with pytest.raises(FieldworkError, match=r"lang\.txt"):
        upload(fw, text, "lang.txt")
    assert not Transcript.objects.exists()


def test_no_speakers_is_a_warning_not_a_refusal(fw):
    t = upload(fw, "Een verslag zonder sprekers.\n\nTweede alinea over Noord.\n", "verslag.txt")
    assert "no_speakers" in t.original.warnings
    assert t.turns.count() == 2


def test_windows_1252_is_read(fw):
    t = transcript_services.transcript_import(
        session=fw["session"],
        actor=None,
        data="I: Hoe gaat het?\nR: Goed, ik ben tevreden over de café-ochtend.\n".encode("cp1252"),
        file_name="ansi.txt",
    )
    assert "café" in t.text


def test_without_a_key_production_refuses_and_stores_nothing(fw, monkeypatch):
    monkeypatch.delenv("KANSENAUDIT_FIELDWORK_KEY")
    with pytest.raises(crypto.FieldworkKeyError, match="KANSENAUDIT_FIELDWORK_KEY"):
        upload(fw)
    assert not Transcript.objects.exists()
    with pytest.raises(crypto.FieldworkKeyError):
        services.contact_set(participant=fw["people"]["Bewoner 1"], actor=None, details="x")
    monkeypatch.setenv("KANSENAUDIT_FIELDWORK_KEY", "geen-geldige-sleutel")
    with pytest.raises(crypto.FieldworkKeyError, match="Fernet"):
        upload(fw)


def test_key_file_and_wrong_key(fw, monkeypatch, tmp_path):
    t = upload(fw)
    monkeypatch.delenv("KANSENAUDIT_FIELDWORK_KEY")
    from tests.helpers.matrix_fieldwork import TEST_KEY

    key_file = tmp_path / "sleutel"
    key_file.write_text(TEST_KEY + "\n")
    monkeypatch.setenv("KANSENAUDIT_FIELDWORK_KEY_FILE", str(key_file))
    assert transcript_services.original_view(transcript=t, actor=None)["original"] == TEXT.strip()
    key_file.write_text("79tx9GzIPfUDjPw8EG8sqEtjrN1qOwqBnlTjcnqjDwM=\n")
    with pytest.raises(crypto.FieldworkKeyError, match="decrypted"):
        transcript_services.original_view(transcript=t, actor=None)


def test_demo_key_lives_beside_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("KANSENAUDIT_FIELDWORK_KEY")
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))
    token = crypto.encrypt_json({"a": 1}, demo=True)
    path = crypto.generated_key_path()
    assert path.exists()
    assert path.parent == tmp_path
    assert not (tmp_path / "data").exists()
    assert crypto.decrypt_json(token, demo=True) == {"a": 1}


def test_selection_swap_needs_a_reason_and_is_logged(fw):
    dossier, pl = fw["dossier"], fw["users"]["projectleider"]
    others = [
        Measure.objects.create(dossier=dossier, name=f"Maatregel {i}", domain=f"domein {i % 3}")
        for i in range(8)
    ]
    from kansenaudit.web.fieldwork.selection import proposal_for

    proposal = proposal_for(dossier, n=3)
    assert len(proposal.choices) == 3
    assert all(c.reasons for c in proposal.choices)
    proposed = [c.measure_id for c in proposal.choices]
    outside = next(m for m in [fw["measure"], *others] if m.pk not in proposed)
    with pytest.raises(FieldworkError, match=outside.name):
        services.selection_confirm(
            dossier=dossier, actor=pl, measure_ids=[*proposed[:2], outside.pk], n=3
        )
    selection = services.selection_confirm(
        dossier=dossier,
        actor=pl,
        measure_ids=[*proposed[:2], outside.pk],
        swap_reasons={outside.pk: "Casus voor verdieping"},
        rationale="Variatie",
        n=3,
    )
    items = list(selection.items.order_by("order"))
    assert [i.measure_id for i in items] == [*proposed[:2], outside.pk]
    assert items[2].swap_reason == "Casus voor verdieping"
    assert items[2].replaced
    event = AuditEvent.objects.get(action="fieldwork.selection_confirm")
    assert event.after["swaps"] == {outside.name: "Casus voor verdieping"}


def test_participant_rules(fw):
    with pytest.raises(FieldworkError, match="Bewoner 1"):
        services.participant_save(
            dossier=fw["dossier"], actor=None, pseudonym="Bewoner 1", stakeholder_group="resident"
        )
    with pytest.raises(FieldworkError):
        services.participant_save(
            dossier=fw["dossier"], actor=None, pseudonym="X", stakeholder_group="onbekend"
        )
    # An unchanged save logs nothing.
    p = fw["people"]["Bewoner 1"]
    count = AuditEvent.objects.count()
    services.participant_save(
        dossier=fw["dossier"],
        actor=None,
        participant=p,
        pseudonym=p.pseudonym,
        stakeholder_group=p.stakeholder_group,
        sessions=[fw["session"]],
    )
    assert AuditEvent.objects.count() == count


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The refusals are matched by their English msgid (the Dutch catalogue is tested apart)."""
    from django.utils import translation

    with translation.override("en"):
        yield
