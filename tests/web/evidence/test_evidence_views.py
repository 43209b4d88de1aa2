"""The evidence pages of a dossier: documents, search, the page viewer, citing, uploads, terms."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kansenaudit.ingest.extract import extract
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.evidence import services
from kansenaudit.web.evidence.models import Citation, Document, ImportJob
from kansenaudit.web.evidence.views import sentence_bounds

NOTA = "Beleidsnota Gelijke kansen voor elk kind 2023-2026"
DEFINITION = "Onder kansengelijkheid verstaan wij"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch, settings):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


def _login(client, username="onderzoeker"):
    client.force_login(get_user_model().objects.get(username=username))


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _store_text(dossier, text: str, name: str = "notitie.txt", **overrides) -> Document:
    data = text.encode("utf-8")
    document, _created = services.document_store(
        dossier=dossier,
        extracted=extract(data, name, ocr=False),
        data=data,
        actor=None,
        overrides=overrides,
    )
    return document


def _nota(demo) -> Document:
    return Document.objects.get(dossier_id=demo.dossier_id, title=NOTA)


def _url(name, *args):
    return reverse(f"evidence:{name}", args=args)


# --- the document list, filters and search -----------------------------------------------------


# --- the viewer ----------------------------------------------------------------------------------


def test_viewer_text_element_holds_exactly_the_canonical_text(client, team):
    text = "Eerste regel met één accent.\n\tInspringing en emoji 😀 <b>vet</b> & zo."
    doc = _store_text(team["dossier"], text)
    page = doc.pages.get(number=1)
    services.citation_create(document=doc, page_number=1, start=5, end=10, actor=None)
    _login(client, "meelezer")
    html = client.get(_url("document", team["dossier"].pk, doc.pk)).content.decode()
    inner = html.split('id="paginatekst"')[1].split(">", 1)[1].split("</div>")[0]
    assert unescape(re.sub(r"<[^>]+>", "", inner)) == page.text
    assert f'data-length="{len(page.text)}"' in html


def test_viewer_escapes_markup_in_page_text(client, team):
    doc = _store_text(team["dossier"], "Let op: <script>alert('xss')</script> en <img src=x>.\n")
    _login(client, "meelezer")
    page = client.get(_url("document", team["dossier"].pk, doc.pk)).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x>" not in page
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in page


def test_viewer_pages_and_bad_page_numbers(client, team):
    doc = _store_text(team["dossier"], "Pagina een.\fPagina twee.\fPagina drie.\n")
    assert doc.page_count == 3
    _login(client, "meelezer")
    url = _url("document", team["dossier"].pk, doc.pk)
    page = client.get(url, {"pagina": 2}).content.decode()
    assert "Pagina twee." in page
    assert "?pagina=1" in page
    assert "?pagina=3" in page
    assert client.get(url, {"pagina": 4}).status_code == 404
    assert client.get(url, {"pagina": "x"}).status_code == 200  # falls back to page 1


# --- citing --------------------------------------------------------------------------------------


def test_cite_by_code_point_offsets(client, team):
    text = "Emoji 😀 vooraf. Gelijke kansen voor ieder kind in de stad.\n"
    doc = _store_text(team["dossier"], text)
    start = text.index("Gelijke")
    end = text.index(" in de stad")
    _login(client)
    response = client.post(
        _url("cite", team["dossier"].pk, doc.pk),
        {"pagina": 1, "start": start, "end": end, "notitie": "kern"},
    )
    assert response.status_code == 302
    citation = Citation.objects.get(document=doc)
    assert citation.quote == "Gelijke kansen voor ieder kind"
    assert citation.note == "kern"
    assert f"citaat={citation.pk}" in response["Location"]
    assert AuditEvent.objects.filter(action="evidence.citation_add", object_id=str(citation.pk))
    page = client.get(response["Location"]).content.decode()
    assert "Passage geciteerd." in page
    assert "ka-cited ka-cited--active" in page


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [(10, 9999, "ongeldige passage"), (5, 5, "Niet geciteerd"), (0, 1, "tekst bevatten")],
)
def test_cite_range_errors_are_refused(client, team, start, end, expected):
    doc = _store_text(team["dossier"], " Kort.\n" if start == 0 else "Een korte pagina.\n")
    _login(client)
    response = client.post(
        _url("cite", team["dossier"].pk, doc.pk),
        {"pagina": 1, "start": start, "end": end},
        follow=True,
    )
    assert not Citation.objects.filter(document=doc).exists()
    assert any(expected in m for m in _messages(response)), _messages(response)


def test_cite_on_a_missing_page_is_refused(client, team):
    doc = _store_text(team["dossier"], "Een pagina.\n")
    _login(client)
    response = client.post(
        _url("cite", team["dossier"].pk, doc.pk), {"pagina": 3, "start": 0, "end": 3}, follow=True
    )
    assert not Citation.objects.exists()
    assert any("bestaat niet" in m for m in _messages(response))


def test_cite_by_quote_text_unique_ambiguous_and_missing(client, team):
    text = (
        "Kansen zijn ongelijk verdeeld.\nWij investeren ongelijk\nom ongelijkheid te bestrijden.\n"
        "Kansen zijn ongelijk verdeeld."
    )
    doc = _store_text(team["dossier"], text)
    url = _url("cite", team["dossier"].pk, doc.pk)
    _login(client)
    # Unique, with other line breaks than the page (as a browser copy gives).
    response = client.post(url, {"pagina": 1, "citaat": "investeren ongelijk om ongelijkheid"})
    citation = Citation.objects.get()
    assert citation.quote == "investeren ongelijk\nom ongelijkheid"
    assert doc.pages.get().text[citation.start : citation.end] == citation.quote
    assert response.status_code == 302

    response = client.post(url, {"pagina": 1, "citaat": "Kansen zijn ongelijk"}, follow=True)
    assert any("2 keer" in m for m in _messages(response)), _messages(response)
    response = client.post(url, {"pagina": 1, "citaat": "staat er niet"}, follow=True)
    assert any("komt niet voor" in m for m in _messages(response)), _messages(response)
    response = client.post(url, {"pagina": 1}, follow=True)
    assert any("Selecteer een passage" in m for m in _messages(response)), _messages(response)
    assert Citation.objects.count() == 1


def test_metadata_edit_is_saved_and_logged(client, team):
    doc = _store_text(team["dossier"], "Nota.\n", title="Oude titel")
    _login(client)
    data = {
        "pagina": 1,
        "meta-title": "Nota kansengelijkheid",
        "meta-date": "2023-03-01",
        "meta-doc_type": "beleidsnota",
        "meta-issuer": "raad",
        "meta-issuer_name": "Gemeenteraad",
        "meta-status": "vastgesteld",
        "meta-status_date": "2023-04-01",
        "meta-decision_reference": "RB 2023/12",
        "meta-confidentiality": "openbaar",
    }
    response = client.post(_url("document_edit", team["dossier"].pk, doc.pk), data)
    assert response.status_code == 302
    doc.refresh_from_db()
    assert (doc.title, doc.doc_type, doc.issuer, doc.status) == (
        "Nota kansengelijkheid",
        "beleidsnota",
        "raad",
        "vastgesteld",
    )
    event = AuditEvent.objects.get(action="evidence.document_update", object_id=str(doc.pk))
    assert event.actor == team["users"]["onderzoeker"]
    assert event.before["title"] == "Oude titel"
    assert event.after["title"] == "Nota kansengelijkheid"

    bad = client.post(
        _url("document_edit", team["dossier"].pk, doc.pk), {**data, "meta-doc_type": "onzin"}
    )
    assert bad.status_code == 400
    assert "ka-field--invalid" in bad.content.decode()
    assert AuditEvent.objects.filter(action="evidence.document_update").count() == 1


# --- uploads -------------------------------------------------------------------------------------


def test_upload_of_a_good_and_an_empty_file(client, team):
    _login(client)
    files = [
        SimpleUploadedFile("goed.txt", b"Gelijke kansen voor ieder kind.\n", "text/plain"),
        SimpleUploadedFile("leeg.txt", b"", "text/plain"),
    ]
    response = client.post(_url("upload", team["dossier"].pk), {"bestanden": files}, follow=True)
    notes = _messages(response)
    assert any("leeg.txt" in m and "leeg" in m for m in notes), notes
    assert any("1 bestand" in m for m in notes), notes
    job = ImportJob.objects.get(dossier=team["dossier"])
    assert job.state == ImportJob.State.DONE  # processed (synchronously in the tests)
    assert job.document.title
    assert job.document.pages.get().text == "Gelijke kansen voor ieder kind."
    page = response.content.decode()
    assert 'data-state="klaar"' in page
    answer = client.get(_url("jobs", team["dossier"].pk)).json()
    assert answer["pending"] is False
    assert answer["jobs"][0]["state"] == "klaar"
    assert answer["jobs"][0]["document_url"] == _url(
        "document", team["dossier"].pk, job.document_id
    )


def test_upload_as_script_gets_json_and_a_duplicate_becomes_dubbel(client, team):
    _login(client)
    data = b"Ongelijk investeren.\n"
    url = _url("upload", team["dossier"].pk)
    first = client.post(
        url, {"bestanden": SimpleUploadedFile("a.txt", data)}, HTTP_ACCEPT="application/json"
    )
    assert first.status_code == 200
    assert first.json()["files"][0]["ok"] is True
    second = client.post(
        url, {"bestanden": SimpleUploadedFile("b.txt", data)}, HTTP_ACCEPT="application/json"
    )
    job = ImportJob.objects.get(pk=second.json()["files"][0]["job"])
    assert job.state == ImportJob.State.DUPLICATE == "dubbel"
    assert "al opgeslagen" in job.message
    assert Document.objects.filter(dossier=team["dossier"]).count() == 1
    empty = client.post(
        url, {"bestanden": SimpleUploadedFile("c.txt", b"")}, HTTP_ACCEPT="application/json"
    )
    assert empty.status_code == 400
    assert "leeg" in empty.json()["files"][0]["message"]
    nothing = client.post(url, {}, follow=True)
    assert any("Kies een of meer bestanden" in m for m in _messages(nothing))


def test_an_unreadable_upload_fails_with_a_message(client, team):
    _login(client)
    client.post(
        _url("upload", team["dossier"].pk),
        {"bestanden": SimpleUploadedFile("kapot.pdf", b"%PDF-1.7\nkapot")},
    )
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.FAILED
    assert "kapot.pdf" in job.message


def test_too_large_upload_is_refused_before_reading(client, team, monkeypatch):
    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 10)
    _login(client)
    response = client.post(
        _url("upload", team["dossier"].pk),
        {"bestanden": SimpleUploadedFile("groot.txt", b"x" * 11)},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "groter dan" in response.json()["files"][0]["message"]
    assert not ImportJob.objects.exists()


def test_background_worker_processes_queued_jobs(team, held_tasks):
    services.job_queue(
        dossier=team["dossier"], file_name="w.txt", data=b"Achterstand.\n", actor=None
    )
    assert ImportJob.objects.get().state == ImportJob.State.QUEUED  # until a worker runs
    assert len(held_tasks.run()) == 1
    assert ImportJob.objects.get().state == ImportJob.State.DONE


# --- roles ---------------------------------------------------------------------------------------


def test_meelezer_can_view_but_not_upload_cite_or_edit(client, team):
    doc = _store_text(team["dossier"], "Gelijke kansen.\n")
    dossier = team["dossier"].pk
    _login(client, "meelezer")
    assert client.get(_url("documents", dossier)).status_code == 200
    assert client.get(_url("document", dossier, doc.pk)).status_code == 200
    assert client.get(_url("citations", dossier)).status_code == 200
    assert client.get(_url("terms", dossier)).status_code == 200
    upload = {"bestanden": SimpleUploadedFile("x.txt", b"tekst\n")}
    assert client.post(_url("upload", dossier), upload).status_code == 403
    assert (
        client.post(_url("cite", dossier, doc.pk), {"pagina": 1, "start": 0, "end": 3}).status_code
        == 403
    )
    assert (
        client.post(_url("document_edit", dossier, doc.pk), {"meta-title": "x"}).status_code == 403
    )
    assert client.post(_url("term_add", dossier), {"term": "x"}).status_code == 403
    assert not ImportJob.objects.exists()
    assert not Citation.objects.exists()


def test_a_document_of_another_dossier_is_404_through_this_dossier(client, team):
    secret = _store_text(team["other"], "Geheim stuk.\n")
    _login(client, "projectleider")
    dossier = team["dossier"].pk
    assert client.get(_url("document", dossier, secret.pk)).status_code == 404
    assert (
        client.post(_url("cite", dossier, secret.pk), {"pagina": 1, "start": 0, "end": 3})
    ).status_code == 404
    assert not Citation.objects.exists()


# --- citations list and CSV ----------------------------------------------------------------------


def test_citations_page_and_csv_are_safe_from_formula_injection(client, team):
    doc = _store_text(team["dossier"], '=HYPERLINK("http://x";"klik") staat in de tekst.\n')
    text = doc.pages.get().text
    services.citation_create(
        document=doc, page_number=1, start=0, end=text.index(" staat"), actor=None, note="@SUM(1)"
    )
    _login(client, "meelezer")
    page = client.get(_url("citations", team["dossier"].pk)).content.decode()
    assert "HYPERLINK" in page
    assert f"{_url('document', team['dossier'].pk, doc.pk)}?pagina=1&amp;citaat=" in page
    response = client.get(_url("citations_csv", team["dossier"].pk))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "citaat_id"
    quote_column, note_column = rows[0].index("citaat"), rows[0].index("notitie")
    assert rows[1][quote_column].startswith("'=HYPERLINK")
    assert rows[1][note_column] == "'@SUM(1)"
    assert rows[1][rows[0].index("status")] == "geldig"


# --- terms ---------------------------------------------------------------------------------------


def test_sentence_bounds():
    text = "Eerste zin. Met gelijke kansen bedoelen wij iets. Derde zin!\n\nKop zonder punt"
    start = text.index("gelijke")
    left, right = sentence_bounds(text, start, start + len("gelijke kansen"))
    assert text[left:right] == "Met gelijke kansen bedoelen wij iets."
    start = text.index("zonder")
    left, right = sentence_bounds(text, start, start + 6)
    assert text[left:right] == "Kop zonder punt"


def test_jobs_endpoint_is_json_for_members(client, team):
    _login(client, "meelezer")
    response = client.get(_url("jobs", team["dossier"].pk))
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"jobs": [], "pending": False}


def test_reread_from_the_viewer_queues_a_job_and_rechecks_citations(client, team):
    dossier = team["dossier"]
    doc = _store_text(dossier, "Gelijke kansen voor ieder kind.\n", name="nota.txt")
    citation = services.citation_create(document=doc, page_number=1, start=0, end=14, actor=None)
    url = _url("document_reread", dossier.pk, doc.pk)
    _login(client)
    assert (
        'id="opnieuw-inlezen"' in client.get(_url("document", dossier.pk, doc.pk)).content.decode()
    )
    # From the stored file: same text, the citation stays valid.
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert any("wordt opnieuw ingelezen" in m for m in _messages(response)), _messages(response)
    job = ImportJob.objects.get(reread=doc)
    assert job.state == ImportJob.State.DONE
    assert job.document == doc
    assert "geldig 1" in job.message
    citation.refresh_from_db()
    assert citation.state == "geldig"
    # From a corrected file: the pages are replaced and the citation is flagged.
    corrected = SimpleUploadedFile(
        "nota-v2.txt", b"Ongelijk investeren in elk kind.\n", "text/plain"
    )
    client.post(url, {"bestand": corrected}, follow=True)
    doc.refresh_from_db()
    assert doc.pages.get().text == "Ongelijk investeren in elk kind."
    citation.refresh_from_db()
    assert citation.state == "gewijzigd"
    assert (
        AuditEvent.objects.filter(action="evidence.document_reingest", dossier=dossier).count() == 2
    )
    assert not ImportJob.objects.filter(reread=doc, state=ImportJob.State.FAILED).exists()


def test_reread_refuses_readers_other_dossiers_and_a_missing_stored_file(client, team):
    dossier = team["dossier"]
    doc = _store_text(dossier, "Tekst om opnieuw te lezen.\n", name="tekst.txt")
    elsewhere = _store_text(team["other"], "Geheim stuk.\n", name="geheim.txt")
    _login(client, "meelezer")
    assert (
        'id="opnieuw-inlezen"'
        not in client.get(_url("document", dossier.pk, doc.pk)).content.decode()
    )
    assert client.post(_url("document_reread", dossier.pk, doc.pk)).status_code == 403
    _login(client)
    assert client.post(_url("document_reread", dossier.pk, elsewhere.pk)).status_code == 404
    Document.objects.filter(pk=doc.pk).update(stored_path="/niet/bestaand.txt")
    response = client.post(_url("document_reread", dossier.pk, doc.pk), follow=True)
    assert any("niet gevonden" in m for m in _messages(response)), _messages(response)
    assert not ImportJob.objects.filter(reread=doc).exists()
    assert doc.pages.get().text == "Tekst om opnieuw te lezen."  # nothing lost
