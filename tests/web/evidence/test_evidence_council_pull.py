"""Council documents fetched from the web interface: the form queues a search of
OpenBesluitvorming, the background worker stores what it finds with provenance, the page shows
how it went. The service itself is replaced by recorded records (no network in tests)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kansenaudit.sources import council_documents
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.evidence.models import CouncilPull, Document
from tests.helpers.council_records import council_record

TEXT = "Motie gelijke kansen: de raad verzoekt het college ongelijk te investeren.\n"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch, settings):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


def _record(entity: str, title: str) -> council_documents.CouncilDocumentRecord:
    return council_record(
        entity_id=entity,
        title=title,
        download_url=f"https://example.invalid/{entity}.txt",
        issuer_hint="gemeenteraad",
        doc_type_hint="motie",
    )


def test_a_search_on_the_page_stores_the_documents_with_provenance(client, team, monkeypatch):
    asked = []

    def fake_pull(client, **kwargs):
        asked.append(kwargs)
        yield _record("ori:amsterdam:doc:1", "Motie gelijke kansen"), TEXT.encode()
        yield _record("ori:amsterdam:doc:2", "Dezelfde motie"), TEXT.encode()  # same file

    monkeypatch.setattr(council_documents, "pull_council_documents", fake_pull)
    d = team["dossier"]
    client.force_login(team["users"]["onderzoeker"])
    page = client.get(reverse("evidence:documents", args=[d.pk])).content.decode()
    assert 'name="zoekwoorden"' in page
    response = client.post(
        reverse("evidence:council_pull", args=[d.pk]),
        {"gemeente": "Amsterdam", "zoekwoorden": "gelijke kansen", "vanaf": "2024-01-01",
         "hoogstens": 10},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert asked == [
        {"municipality": "Amsterdam", "query": "gelijke kansen", "since": dt.date(2024, 1, 1),
         "max_results": 10}
    ]  # fmt: skip
    pull = CouncilPull.objects.get()
    assert (pull.state, pull.added, pull.skipped, pull.failed) == ("klaar", 1, 1, 0)
    document = Document.objects.get(dossier=d)
    assert document.provenance["entity_id"] == "ori:amsterdam:doc:1"
    assert document.provenance["meeting"] == "Raadsvergadering"
    assert document.issuer == Document.Issuer.RAAD
    page = response.content.decode()
    assert "1 toegevoegd, 1 al opgeslagen, 0 mislukt" in page
    assert AuditEvent.objects.filter(action="evidence.council_pull").count() == 1


def test_a_failed_search_says_why_and_stores_nothing(client, team, monkeypatch):
    def failing(client, **kwargs):
        raise council_documents.CouncilSourceNotFound(
            "gemeente 'Atlantis' niet gevonden", url=None, suggestions=["Amsterdam"]
        )
        yield  # pragma: no cover - a generator, as the real one

    monkeypatch.setattr(council_documents, "pull_council_documents", failing)
    d = team["dossier"]
    client.force_login(team["users"]["projectleider"])
    response = client.post(
        reverse("evidence:council_pull", args=[d.pk]),
        {"gemeente": "Atlantis", "zoekwoorden": "kansen", "hoogstens": 5},
        follow=True,
    )
    pull = CouncilPull.objects.get()
    assert pull.state == "mislukt"
    assert "Atlantis" in pull.message
    assert "Amsterdam" in pull.message  # what the person may have meant
    assert "Atlantis" in response.content.decode()
    assert not Document.objects.exists()
    # Bad form input is refused before anything is queued.
    client.post(
        reverse("evidence:council_pull", args=[d.pk]),
        {"gemeente": " ", "zoekwoorden": "kansen", "hoogstens": 500},
    )
    assert CouncilPull.objects.count() == 1


def test_readers_get_no_form_and_are_refused(client, team):
    d = team["dossier"]
    client.force_login(team["users"]["meelezer"])
    page = client.get(reverse("evidence:documents", args=[d.pk])).content.decode()
    assert 'name="zoekwoorden"' not in page
    response = client.post(
        reverse("evidence:council_pull", args=[d.pk]),
        {"gemeente": "Amsterdam", "zoekwoorden": "kansen", "hoogstens": 5},
    )
    assert response.status_code == 403
    assert not CouncilPull.objects.exists()


def test_a_search_cut_off_by_a_stopped_server_is_marked_failed(team):
    from django.utils import timezone

    from kansenaudit.web.evidence.council_documents import council_pulls_recover

    pull = CouncilPull.objects.create(
        dossier=team["dossier"],
        municipality="Amsterdam",
        query="kansen",
        state=CouncilPull.State.RUNNING,
        started_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert council_pulls_recover() == []
    pull.refresh_from_db()
    assert pull.state == "mislukt"
    assert "onderbroken" in pull.message


def test_without_network_the_search_says_so_in_words(team, monkeypatch):
    """The real client behind a proxy that refuses at once (as in tests/cli): no
    "[Errno …] Name or service not known", but what happened and what to do."""
    from kansenaudit.web.evidence import council_documents as council

    for name in ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    pull = CouncilPull.objects.create(
        dossier=team["dossier"], municipality="Amsterdam", query="kansen", max_results=1
    )
    pull = council.council_pull_run(pull)
    assert pull.state == "mislukt"
    assert "Errno" not in pull.message
    assert "127.0.0.1" not in pull.message
    assert "OpenBesluitvorming" in pull.message
    assert "internet" in pull.message
