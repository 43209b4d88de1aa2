# SPDX-License-Identifier: EUPL-1.2
"""Errors a person can act on: what happened and what to do, never a library's own text.

Each with its real trigger: a broken PDF read by the real extraction (PDFium in the isolated
child), a bad JSON file uploaded through the page, a job that fails unexpectedly, and the
singular and plural of the uitvraag's error count. (No network: tests/web/evidence/
test_evidence_council_pull.py; 405 and 414: test_error_pages.py.)"""

from __future__ import annotations

import json
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from kansenaudit.web.core.json_errors import json_problem
from kansenaudit.web.evidence import services
from kansenaudit.web.evidence.models import ImportJob

BROKEN_PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<<>>\n%%EOF"
TECHNICAL = ("PDFium", "Errno", "Traceback", "Expecting", "delimiter", "onverwachte fout")


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


def test_a_broken_pdf_says_what_to_do_and_logs_the_detail(team, caplog):
    with translation.override("nl"):
        outcome = services.document_ingest(
            dossier=team["dossier"], data=BROKEN_PDF, file_name="kapot.pdf", actor=None
        )
    assert outcome.document is None
    assert "kapot.pdf" in outcome.message
    assert "beschadigd" in outcome.message
    assert "opnieuw" in outcome.message  # what to do
    for raw in TECHNICAL:
        assert raw not in outcome.message
    assert "PDFium" in caplog.text  # the detail is in the log


def test_an_unexpected_failure_of_an_upload_job_is_a_sentence(team, monkeypatch, caplog):
    job = services._job_stage(
        dossier=team["dossier"], file_name="nota.txt", data=b"tekst", actor=None
    )

    def explode(**kwargs):
        raise RuntimeError("database cursor closed (internal detail)")

    monkeypatch.setattr(services, "document_ingest", explode)
    with translation.override("nl"):
        job = services.job_run(job)
    assert job.state == ImportJob.State.FAILED
    assert "internal detail" not in job.message
    assert "nota.txt" in job.message
    assert "beheerder" in job.message
    assert "internal detail" in caplog.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"actors": [}', "ontbreekt een waarde"),
        ('{"actors" []}', "ontbreekt een dubbele punt"),
        ('{"actors": [] "goals": []}', "ontbreekt een komma"),
        ('{"actors": "open', "niet afgesloten"),
        ("{} x", "na het einde"),
        ('{"a": "x\ny"}', "regeleinde of tab, die JSON schrijft als \\n of \\t"),
        ('"\\q"', "backslash (\\)"),
    ],
)
def test_json_errors_in_words(text, expected):
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(text)
    with translation.override("nl"):
        message = json_problem(caught.value)
    assert expected in message
    assert "regel 1, kolom" in message
    for raw in TECHNICAL:
        assert raw not in message


def test_a_bad_json_upload_on_the_page(client, team):
    client.force_login(team["users"]["projectleider"])
    url = reverse("policy:import_json", args=[team["dossier"].pk])
    upload = SimpleUploadedFile(
        "registers.json", b'{"actors": [\n  {"name": "x"}\n  {"name": "y"}]}'
    )
    response = client.post(url, {"bestand": upload}, follow=True, HTTP_ACCEPT_LANGUAGE="nl")
    page = unescape(response.content.decode())
    assert "registers.json" in page
    assert "op regel 3, kolom 3 ontbreekt een komma" in page
    for raw in TECHNICAL:
        assert raw not in page


def test_the_uitvraag_counts_its_errors_in_the_singular_and_plural():
    from django.utils.translation import ngettext

    with translation.override("nl"):
        one, many = (
            ngettext(
                "the file contains %(count)d error, so nothing is read in; correct it in the "
                "workbook and upload it again",
                "the file contains %(count)d errors, so nothing is read in; correct them in the "
                "workbook and upload it again",
                n,
            )
            % {"count": n}
            for n in (1, 3)
        )
    assert one.startswith("het bestand bevat 1 fout,")
    assert many.startswith("het bestand bevat 3 fouten,")
