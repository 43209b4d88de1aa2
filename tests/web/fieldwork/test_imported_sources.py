"""A source imported from another tool goes through pseudonymisation and review like an upload,
and the offsets of the tool's coded selections are mapped onto the pseudonymised text."""

from __future__ import annotations

from django.urls import reverse

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.fieldwork import services
from kansenaudit.web.fieldwork.imported_sources import transcript_from_text
from kansenaudit.web.fieldwork.models import TranscriptOriginal

SOURCE = (
    "[Fictief testtranscript uit ATLAS.ti]\n"
    "I: Hoe ging het met de aanvraag?\n"
    "R: Mevrouw Wilhelmina Brouwer hielp mij. Daarna ging het beter met de huur.\n"
)


def test_an_imported_source_is_pseudonymised_and_reviewed_like_an_upload(client, team):
    pl = team["users"]["projectleider"]
    session = services.session_save(
        dossier=team["dossier"], actor=pl, kind="interview", title="Geïmporteerd"
    )
    transcript, map_offset = transcript_from_text(
        session=session, actor=pl, text=SOURCE, title="Interview 3", file_name="ABC.refi.txt"
    )
    assert "Wilhelmina" not in transcript.text
    assert "Brouwer" not in transcript.text
    original = TranscriptOriginal.objects.get(transcript=transcript)
    assert "Brouwer" not in original.token  # kept, but only encrypted
    assert original.spans  # the review page marks the replacements
    # A selection the other tool made ("beter met de huur") lands on the same words.
    start = SOURCE.index("beter met de huur")
    end = start + len("beter met de huur")
    assert transcript.text[map_offset(start) : map_offset(end)] == "beter met de huur"
    assert transcript.turns.count() == 2
    assert AuditEvent.objects.filter(action="fieldwork.transcript_from_source").count() == 1
    client.force_login(pl)
    page = client.get(
        reverse("fieldwork:transcript", args=[team["dossier"].pk, transcript.pk])
    ).content.decode()
    assert "<mark" in page
    assert "Brouwer" not in page
