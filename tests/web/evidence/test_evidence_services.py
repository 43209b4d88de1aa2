"""The evidence store's services: storing, de-duplicating, citing, re-checking, importing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kansenaudit.cli.main import cli
from kansenaudit.ingest.extract import extract
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.evidence import council_documents as evidence_council
from kansenaudit.web.evidence import search as search_module
from kansenaudit.web.evidence import services
from kansenaudit.web.evidence.models import Citation, Document, ImportJob, Page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


def _text_doc(text: str) -> bytes:
    return text.encode("utf-8")


def test_real_pdf_is_stored_once_with_pages_and_a_log_entry(team, shared_data):
    dossier, user = team["dossier"], team["users"]["onderzoeker"]
    data = (
        shared_data / "documents" / "plooi_officielepublicaties" / "kst-32545-143.pdf"
    ).read_bytes()
    outcome = services.document_ingest(
        dossier=dossier, data=data, file_name="kst-32545-143.pdf", actor=user
    )
    assert outcome.created
    document = outcome.document
    assert document.page_count == 1 == document.pages.count()
    assert "grensspaarsaldo" in document.pages.get().text.lower()
    assert AuditEvent.objects.filter(action="evidence.document_add", dossier=dossier).count() == 1
    again = services.document_ingest(dossier=dossier, data=data, file_name="copy.pdf", actor=user)
    assert not again.created
    assert again.document.pk == document.pk
    assert Document.objects.filter(dossier=dossier).count() == 1


def test_same_file_in_another_dossier_is_separate(team):
    data = _text_doc("Gelijke kansen voor ieder kind.\n")
    a = services.document_ingest(dossier=team["dossier"], data=data, file_name="a.txt", actor=None)
    b = services.document_ingest(dossier=team["other"], data=data, file_name="a.txt", actor=None)
    assert a.created
    assert b.created
    assert a.document.pk != b.document.pk


def test_a_failing_store_leaves_no_half_document(team, monkeypatch):
    def broken(pages):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(search_module, "index_pages", broken)
    with pytest.raises(RuntimeError):
        services.document_ingest(
            dossier=team["dossier"],
            data=_text_doc("tekst\f tweede pagina"),
            file_name="x.txt",
            actor=None,
        )
    assert not Document.objects.exists()
    assert not Page.objects.exists()


def test_unusable_file_gives_a_message_not_an_exception(team):
    outcome = services.document_ingest(
        dossier=team["dossier"], data=b"", file_name="leeg.pdf", actor=None
    )
    assert outcome.document is None
    assert "leeg" in outcome.message.lower()


def test_citation_follows_or_flags_changed_text(team):
    dossier = team["dossier"]
    original = "Inleiding.\nOnder kansengelijkheid verstaan wij gelijke uitkomsten.\nSlot."
    document = services.document_ingest(
        dossier=dossier, data=_text_doc(original), file_name="nota.txt", actor=None
    ).document
    page = document.pages.get(number=1)
    start = page.text.index("Onder")
    end = page.text.index("uitkomsten.") + len("uitkomsten.")
    kept = services.citation_create(
        document=document, page_number=1, start=start, end=end, actor=team["users"]["onderzoeker"]
    )
    assert kept.quote == page.text[start:end]
    other = services.citation_create(document=document, page_number=1, start=0, end=10, actor=None)
    with pytest.raises(services.EvidenceError):
        services.citation_create(document=document, page_number=1, start=5, end=999, actor=None)
    with pytest.raises(services.EvidenceError):
        services.citation_create(document=document, page_number=9, start=0, end=1, actor=None)
    # The passage moves down a line; the first words change.
    moved = "Voorwoord toegevoegd.\n" + original.replace("Inleiding.", "Aanleiding.")
    counts = services.document_reingest(document=document, data=_text_doc(moved), actor=None)
    kept.refresh_from_db()
    other.refresh_from_db()
    assert kept.state == Citation.State.MOVED
    assert document.pages.get(number=1).text[kept.start : kept.end] == kept.quote
    assert other.state == Citation.State.CHANGED
    assert counts == {"geldig": 0, "verschoven": 1, "gewijzigd": 1}


def test_terms_and_definitions(team):
    dossier = team["dossier"]
    services.terms_ensure_defaults(dossier)
    assert set(dossier.terms.values_list("term", flat=True)) == set(services.DEFAULT_TERMS)
    term = services.term_add(dossier=dossier, term="  Ongelijk   Investeren ", actor=None)
    assert term.term == "ongelijk investeren"
    document = services.document_ingest(
        dossier=team["other"],
        data=_text_doc("Kansengelijkheid is gelijke uitkomsten."),
        file_name="b.txt",
        actor=None,
    ).document
    citation = services.citation_create(
        document=document, page_number=1, start=0, end=16, actor=None
    )
    with pytest.raises(services.EvidenceError):
        services.definition_add(term=term, citation=citation, actor=None)


def test_upload_jobs(team, held_tasks):
    dossier = team["dossier"]
    good = services.job_queue(
        dossier=dossier,
        file_name="../../goed.txt",
        data=_text_doc("Achterstand in taal."),
        actor=None,
    )
    assert "/" not in good.file_name
    with pytest.raises(services.EvidenceError):
        services.job_queue(dossier=dossier, file_name="leeg.txt", data=b"", actor=None)
    dup = services.job_queue(
        dossier=dossier,
        file_name="nog-eens.txt",
        data=_text_doc("Achterstand in taal."),
        actor=None,
    )
    bad = services.job_queue(
        dossier=dossier, file_name="kapot.pdf", data=b"%PDF-1.7 kapot", actor=None
    )
    held_tasks.run()
    states = {job.pk: job.state for job in ImportJob.objects.all()}
    assert states[good.pk] == ImportJob.State.DONE
    assert states[dup.pk] == ImportJob.State.DUPLICATE
    assert states[bad.pk] == ImportJob.State.FAILED
    assert ImportJob.objects.get(pk=bad.pk).message


def test_cli_import_is_resumable_and_search_returns_pages(team, shared_data, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    source = shared_data / "documents" / "plooi_officielepublicaties"
    for name in ("kst-32545-143.pdf", "ah-tk-20202021-3235.odt", "kst-32545-143.html"):
        shutil.copyfile(source / name, folder / name)
    (folder / "leeg.txt").write_bytes(b"")
    runner = CliRunner()
    args = ["evidence", "import", str(folder), "--dossier", str(team["dossier"].pk), "--json"]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    payload = json.loads(first.output[first.output.index("{") :])
    assert payload["counts"] == {"toegevoegd": 3, "overgeslagen": 0, "mislukt": 1}
    second = runner.invoke(cli, args)
    payload = json.loads(second.output[second.output.index("{") :])
    assert payload["counts"]["toegevoegd"] == 0
    assert payload["counts"]["overgeslagen"] == 3
    found = runner.invoke(
        cli, ["evidence", "search", "--dossier", str(team["dossier"].pk), "spaarrente", "--json"]
    )
    assert found.exit_code == 0, found.output
    hits = json.loads(found.output)["hits"]
    assert hits
    assert {"document", "page", "snippet"} <= set(hits[0])
    assert all(hit["page"] >= 1 for hit in hits)


def test_cli_unknown_dossier_is_one_line(tmp_path):
    outcome = CliRunner().invoke(cli, ["evidence", "search", "--dossier", "999", "x"])
    assert outcome.exit_code != 0
    assert "bestaat niet" in outcome.output


def test_extract_is_deterministic_for_the_demo_documents():
    from kansenaudit.demo.documents import generate_demo_documents

    for item in generate_demo_documents():
        first = extract(item.data(), item.file_name, ocr=False)
        second = extract(item.data(), item.file_name, ocr=False)
        assert first.sha256 == second.sha256
        assert [p.text for p in first.pages] == [p.text for p in second.pages]
        assert len(first.pages) == len(item.pages)
        assert "Fictief demodocument" in first.pages[0].text


def test_council_documents_are_stored_with_provenance(team, monkeypatch):
    from kansenaudit.sources import council_documents
    from tests.helpers.council_records import council_record

    text = "Motie gelijke kansen: de raad verzoekt het college ongelijk te investeren.\n"
    record = council_record()

    def fake_pull(client, **kwargs):
        yield record, text.encode()
        yield record, text.encode()  # the same document twice: stored once

    monkeypatch.setattr(council_documents, "pull_council_documents", fake_pull)
    progress = []
    summary = evidence_council.council_import(
        object(),
        dossier=team["dossier"],
        municipality="Amsterdam",
        query="kansen",
        since=None,
        max_results=10,
        progress=lambda done, total: progress.append((done, total)),
    )
    assert [d["status"] for d in summary["documents"]] == ["toegevoegd", "overgeslagen"]
    assert progress == [(1, 10), (2, 10)]
    document = Document.objects.get(dossier=team["dossier"])
    assert document.provenance["entity_id"] == "ori:amsterdam:doc:1"
    assert document.provenance["download_url"].endswith("motie.txt")
    assert document.issuer == Document.Issuer.RAAD  # "commissie" is a council body
    assert document.doc_type == Document.DocType.MOTIE  # an amendement is filed with moties
    assert document.title == "Motie gelijke kansen"


def test_notubiz_meeting_documents_are_imported_with_their_meeting(team, shared_data):
    from kansenaudit.data.pull import PullError

    meeting = shared_data / "documents" / "open_raadsinformatie" / "notubiz_meeting_amsterdam.json"
    calls = []

    def fetch(url):
        calls.append(url)
        if len(calls) == 2:
            raise PullError(f"{url}: HTTP 503")
        return f"Raadsstuk {len(calls)}: gelijke kansen in de begroting.\n".encode()

    progress = []
    summary = evidence_council.notubiz_import(
        meeting.read_bytes(),
        dossier=team["dossier"],
        fetch=fetch,
        progress=lambda done, total: progress.append((done, total)),
    )
    statuses = [d["status"] for d in summary["documents"]]
    assert progress[-1] == (len(statuses), len(statuses))
    assert statuses.count("mislukt") >= 1
    assert statuses.count("toegevoegd") >= 40
    assert all(url.startswith("https://") for url in calls)
    stored = Document.objects.filter(dossier=team["dossier"]).first()
    assert stored.provenance["bron"] == "Notubiz"
    assert stored.provenance["meeting_date"].startswith("2018-02")
    assert stored.provenance["committee"]


def test_an_unusable_notubiz_file_is_refused_with_the_reason(team, tmp_path):
    with pytest.raises(services.EvidenceError, match="geen bruikbare Notubiz-vergadering"):
        evidence_council.notubiz_import(b"{}", dossier=team["dossier"], fetch=lambda url: b"")
    meeting = tmp_path / "vergadering.json"
    meeting.write_bytes(b"geen json")
    result = CliRunner().invoke(
        cli, ["evidence", "import-notubiz", str(meeting), "--dossier", str(team["dossier"].pk)]
    )
    assert result.exit_code != 0
    assert "geen bruikbare Notubiz-vergadering" in result.output
    assert not Document.objects.filter(dossier=team["dossier"]).exists()


def test_extractor_guesses_become_choices_and_the_name_is_kept(team):
    text = (
        "Het college van B&W stelt de gemeenteraad voor.\n"
        "Raadsinformatiebrief over gelijke kansen.\n"
    )
    document = services.document_ingest(
        dossier=team["dossier"], data=_text_doc(text), file_name="brief.txt", actor=None
    ).document
    assert document.issuer == Document.Issuer.COLLEGE
    assert document.issuer_name
    assert document.doc_type in {choice.value for choice in Document.DocType}


def test_new_dossiers_follow_the_default_terms(team):
    assert set(team["dossier"].terms.values_list("term", flat=True)) == set(services.DEFAULT_TERMS)


def test_a_job_left_running_is_queued_again(team, held_tasks):
    import datetime as dt

    from django.utils import timezone

    job = services.job_queue(
        dossier=team["dossier"], file_name="x.txt", data=_text_doc("Achterstand."), actor=None
    )
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.RUNNING, created_at=timezone.now() - dt.timedelta(hours=2)
    )
    held_tasks.run()
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE


def test_cli_reread_from_the_stored_file_and_from_a_corrected_file(team, tmp_path):
    dossier = team["dossier"]
    text = "Inleiding.\nOnder kansengelijkheid verstaan wij gelijke uitkomsten.\n"
    document = services.document_ingest(
        dossier=dossier, data=_text_doc(text), file_name="nota.txt", actor=None
    ).document
    start = text.index("Onder")
    citation = services.citation_create(
        document=document, page_number=1, start=start, end=start + 24, actor=None
    )
    runner = CliRunner()
    base = ["evidence", "reread", "--dossier", str(dossier.pk), "--document", str(document.pk)]
    same = runner.invoke(cli, [*base, "--json"])
    assert same.exit_code == 0, same.output
    payload = json.loads(same.output[same.output.index("{") :])
    assert payload["citations"] == {"geldig": 1, "verschoven": 0, "gewijzigd": 0}
    assert payload["pages"] == 1
    corrected = tmp_path / "nota-gecorrigeerd.txt"
    corrected.write_text("Voorwoord.\n" + text, encoding="utf-8")
    moved = runner.invoke(cli, [*base, str(corrected)])
    assert moved.exit_code == 0, moved.output
    assert "1 verschoven" in moved.output
    citation.refresh_from_db()
    assert citation.state == Citation.State.MOVED
    assert (
        AuditEvent.objects.filter(action="evidence.document_reingest", dossier=dossier).count() == 2
    )
    # Another dossier's document, and a stored file that has gone: one line, nothing changed.
    other_dossier = ["--dossier", str(team["other"].pk), "--document", str(document.pk)]
    elsewhere = runner.invoke(cli, ["evidence", "reread", *other_dossier])
    assert elsewhere.exit_code != 0
    assert "bestaat niet" in elsewhere.output
    Document.objects.filter(pk=document.pk).update(stored_path=str(tmp_path / "weg.txt"))
    gone = runner.invoke(cli, base)
    assert gone.exit_code != 0
    assert "niet gevonden" in gone.output
    assert "Traceback" not in gone.output
    assert document.pages.get(number=1).text.startswith("Voorwoord.")


def test_a_job_cut_off_by_a_stopped_server_is_retried_once_then_fails(team, held_tasks):
    from datetime import timedelta

    from django.utils import timezone

    dossier = team["dossier"]
    long_ago = timezone.now() - timedelta(minutes=services.STALE_JOB_MINUTES + 5)
    retried = services.job_queue(
        dossier=dossier, file_name="a.txt", data=_text_doc("Gelijke kansen."), actor=None
    )
    given_up = services.job_queue(
        dossier=dossier, file_name="b.txt", data=_text_doc("Ongelijk investeren."), actor=None
    )
    recent = services.job_queue(
        dossier=dossier, file_name="c.txt", data=_text_doc("Achterstand."), actor=None
    )
    running = ImportJob.State.RUNNING
    ImportJob.objects.filter(pk=retried.pk).update(state=running, started_at=long_ago, attempts=1)
    ImportJob.objects.filter(pk=given_up.pk).update(state=running, started_at=long_ago, attempts=2)
    ImportJob.objects.filter(pk=recent.pk).update(
        state=running, started_at=timezone.now(), attempts=1
    )
    held_tasks.run()
    retried.refresh_from_db()
    given_up.refresh_from_db()
    recent.refresh_from_db()
    assert retried.state == ImportJob.State.DONE
    assert retried.attempts == 2
    assert given_up.state == ImportJob.State.FAILED
    assert "onderbroken" in given_up.message
    assert given_up.finished_at is not None
    assert not Path(given_up.staged_path).exists()
    assert recent.state == running  # still being read by another worker
    assert Document.objects.filter(dossier=dossier).count() == 1
