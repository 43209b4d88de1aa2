"""The fieldwork pages: every page, role by role, must not leak an original name; the pages
for originals show them only to the project leader and log the view; withdrawn words vanish."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.fieldwork import services, transcript_services
from kansenaudit.web.fieldwork.models import Session, Transcript
from kansenaudit.web.policy.models import Actor, Measure

ORIGINALS = ["Fatima Bakker", "Lindelaan 14", "06-12345678", "jan.devries@example.org"]
TEXT = (
    "I: Hoe kwam u bij Huiswerkhulp Noord?\n"
    "Bewoner 1: De juf, Fatima Bakker, tipte mij. Ik woon aan de Lindelaan 14.\n"
    "I: Hoe bereikt men u?\n"
    "Bewoner 1: Op 06-12345678 of jan.devries@example.org.\n"
    "Bewoner 2: Ik vond het geheime woord regenboogvis belangrijk.\n"
    "Bewoner 2: Meer heb ik niet te zeggen.\n"
)


@pytest.fixture
def fw(team):
    dossier, pl = team["dossier"], team["users"]["projectleider"]
    directie = Actor.objects.create(dossier=dossier, name="Directie Onderwijs", kind="directie")
    measure = Measure.objects.create(dossier=dossier, name="Huiswerkhulp Noord", owner=directie)
    session = services.session_save(
        dossier=dossier, actor=pl, kind="interview", title="Gesprek 1", measures=[measure]
    )
    people = [
        services.participant_save(
            dossier=dossier,
            actor=pl,
            pseudonym=f"Bewoner {i}",
            stakeholder_group="resident",
            sessions=[session],
        )
        for i in (1, 2)
    ]
    services.contact_set(participant=people[0], actor=pl, details="Fatima Bakker, 06-12345678")
    transcript = transcript_services.transcript_import(
        session=session, actor=pl, data=TEXT.encode(), file_name="gesprek.txt"
    )
    services.selection_confirm(
        dossier=dossier,
        actor=pl,
        measure_ids=[measure.pk],
        n=1,
    )
    return {
        **team,
        "measure": measure,
        "session": session,
        "people": people,
        "transcript": transcript,
    }


def _pages(fw):
    d = fw["dossier"].pk
    return {
        "selection": reverse("fieldwork:selection", args=[d]),
        "measure": reverse("fieldwork:measure", args=[d, fw["measure"].pk]),
        "sessions": reverse("fieldwork:sessions", args=[d]),
        "session": reverse("fieldwork:session", args=[d, fw["session"].pk]),
        "participants": reverse("fieldwork:participants", args=[d]),
        "participant": reverse("fieldwork:participant", args=[d, fw["people"][0].pk]),
        "transcript": reverse("fieldwork:transcript", args=[d, fw["transcript"].pk]),
        "audit_log": reverse("dossiers:audit_log", args=[d]),
        "audit_log_csv": reverse("dossiers:audit_log_csv", args=[d]),
        "export": reverse("dossiers:export", args=[d]),
    }


def _secret_pages(fw):
    d = fw["dossier"].pk
    return {
        "original": reverse("fieldwork:original", args=[d, fw["transcript"].pk]),
        "key": reverse("fieldwork:key", args=[d]),
        "contact": reverse("fieldwork:contact", args=[d, fw["people"][0].pk]),
    }


def test_no_page_or_log_leaks_an_original_to_anyone(client, fw):
    for role, user in fw["users"].items():
        client.force_login(user)
        for name, url in _pages(fw).items():
            response = client.get(url)
            if response.status_code == 403:
                continue
            assert response.status_code == 200, (role, name)
            body = b"".join(response).decode() if response.streaming else response.content.decode()
            for original in ORIGINALS:
                assert original not in body, (role, name, original)
        for name, url in _secret_pages(fw).items():
            response = client.get(url)
            if role != "projectleider":
                assert response.status_code == 403, (role, name)
                continue
            assert response.status_code == 200
            assert any(o in response.content.decode() for o in ORIGINALS), name
    # The views of the original, the key and the contact details were logged, their content not.
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"fieldwork.original_view", "fieldwork.key_view", "fieldwork.contact_view"} <= actions
    client.force_login(fw["users"]["projectleider"])
    for url in (_pages(fw)["audit_log"], _pages(fw)["audit_log_csv"]):
        body = client.get(url)
        text = b"".join(body).decode() if body.streaming else body.content.decode()
        assert "fieldwork.original_view" in text or "original" in text.lower()
        for original in ORIGINALS:
            assert original not in text


def test_pages_are_dutch_and_mark_replacements(client, fw):
    client.force_login(fw["users"]["onderzoeker"])
    body = client.get(_pages(fw)["transcript"], HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "<mark" in body
    assert "[Persoon 1]" in body
    assert "Huiswerkhulp Noord" in body  # the allow-list keeps the measure


def test_withdrawn_words_leave_every_page(client, fw):
    services.consent_record(
        participant=fw["people"][1],
        actor=None,
        given_on=datetime.date(2026, 3, 1),
        scope="recording",
    )
    client.force_login(fw["users"]["projectleider"])
    assert "regenboogvis" in client.get(_pages(fw)["transcript"]).content.decode()
    response = client.post(
        reverse("fieldwork:withdraw", args=[fw["dossier"].pk, fw["people"][1].pk]), {"note": ""}
    )
    assert response.status_code == 302
    for url in [*_pages(fw).values(), *_secret_pages(fw).values()]:
        response = client.get(url)
        text = b"".join(response).decode() if response.streaming else response.content.decode()
        assert "regenboogvis" not in text, url


def test_upload_through_the_page_and_a_refused_file(client, fw):
    client.force_login(fw["users"]["onderzoeker"])
    url = reverse("fieldwork:transcript_upload", args=[fw["dossier"].pk, fw["session"].pk])
    count = Transcript.objects.count()
    response = client.post(
        url, {"file": SimpleUploadedFile("leeg.txt", b"   "), "title": ""}, follow=True
    )
    assert Transcript.objects.count() == count
    assert "leeg.txt" in response.content.decode()
    response = client.post(
        url,
        {"file": SimpleUploadedFile("tweede.txt", TEXT.encode()), "title": "Tweede gesprek"},
    )
    assert Transcript.objects.count() == count + 1
    assert response.status_code == 302
    assert "/transcripten/" in response["Location"]


def test_review_decisions_through_the_page(client, fw):
    client.force_login(fw["users"]["onderzoeker"])
    t = fw["transcript"]
    add = reverse("fieldwork:replacement_add", args=[fw["dossier"].pk, t.pk])
    client.post(add, {"phrase": "regenboogvis", "kind": "institution"})
    t.refresh_from_db()
    assert "regenboogvis" not in t.text
    undo = reverse("fieldwork:replacement_undo", args=[fw["dossier"].pk, t.pk])
    index = next(i for i, s in enumerate(t.original.spans) if s[2] == "institution")
    client.post(undo, {"index": str(index)})
    t.refresh_from_db()
    assert "regenboogvis" in t.text


def test_session_and_participant_forms(client, fw):
    client.force_login(fw["users"]["onderzoeker"])
    d = fw["dossier"].pk
    response = client.post(
        reverse("fieldwork:session_create", args=[d]),
        {"kind": "focus_group", "title": "Focusgroep", "status": "planned", "date": "2026-04-02"},
    )
    session = Session.objects.get(title="Focusgroep")
    assert response["Location"].endswith(f"/sessies/{session.pk}/")
    page = client.get(reverse("fieldwork:session", args=[d, session.pk])).content.decode()
    assert "Focusgroep" in page
    client.post(
        reverse("fieldwork:participant_create", args=[d]),
        {
            "pseudonym": "Ambtenaar 1",
            "stakeholder_group": "civil_servant",
            "sessions": [session.pk],
        },
    )
    assert session.participants.filter(pseudonym="Ambtenaar 1").exists()
    # Contact details: not for the onderzoeker.
    p = session.participants.get()
    response = client.post(reverse("fieldwork:contact_set", args=[d, p.pk]), {"details": "geheim"})
    assert response.status_code == 403


def test_selection_page_of_a_dossier_without_measures(client, team):
    client.force_login(team["users"]["onderzoeker"])
    response = client.get(reverse("fieldwork:selection", args=[team["dossier"].pk]))
    assert response.status_code == 200
    response = client.post(reverse("fieldwork:selection_confirm", args=[team["dossier"].pk]), {})
    assert response.status_code == 302
