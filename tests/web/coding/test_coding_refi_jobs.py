"""A REFI-QDA import uploaded in the browser runs in the background (ADR 0015): the file is
staged encrypted, the worker imports it (pseudonymising new sources), the overview shows the
job's state in Dutch, a refused file fails with a Dutch sentence and stores nothing, and a job
cut off by a worker that is gone is taken up again once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kansenaudit.fieldwork.refi import QdaCode, QdaProject, QdaSelection, QdaSource, write_qdpx
from kansenaudit.web.coding.models import RefiImportJob, Segment
from kansenaudit.web.coding.refi_jobs import MAX_JOB_ATTEMPTS, STALE_JOB_MINUTES
from kansenaudit.web.coding.refi_uploads import refi_import_queue, refi_jobs_resume
from kansenaudit.web.coding.services import CodingError
from kansenaudit.web.fieldwork.models import Transcript
from tests.helpers.matrix_fieldwork import TEST_KEY

TEXT = "I: Wie hielp u?\nR: Mevrouw Wilhelmina Brouwer hielp mij. Daarna ging het beter.\n"


@pytest.fixture(autouse=True)
def _fieldwork_key(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KANSENAUDIT_FIELDWORK_KEY", TEST_KEY)


def _project() -> bytes:
    start = TEXT.index("beter")
    return write_qdpx(
        QdaProject(
            name="Ander",
            origin="MAXQDA",
            codes=[QdaCode("CCCCCCCC-0000-0000-0000-000000000010", "Hulp")],
            sources=[QdaSource("CCCCCCCC-0000-0000-0000-000000000020", "Interview 9", TEXT)],
            selections=[
                QdaSelection(
                    "CCCCCCCC-0000-0000-0000-000000000030",
                    "CCCCCCCC-0000-0000-0000-000000000020",
                    start,
                    start + len("beter"),
                    ["CCCCCCCC-0000-0000-0000-000000000010"],
                )
            ],
        )
    )


def _upload(client, dossier, name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("coding:import_refi", args=[dossier.pk]),
        {"file": SimpleUploadedFile(name, data, content_type="application/zip")},
        follow=True,
    )


def test_an_upload_waits_for_the_worker_and_the_overview_follows_it(client, team, held_tasks):
    dossier, user = team["dossier"], team["users"]["onderzoeker"]
    client.force_login(user)
    page = _upload(client, dossier, "maxqda.qdpx", _project()).content.decode()
    job = RefiImportJob.objects.get()
    assert job.state == RefiImportJob.State.QUEUED
    assert b"Brouwer" not in job.payload.encode()  # staged encrypted
    assert "wordt geïmporteerd" in page
    assert "wachtrij" in page
    assert not Transcript.objects.filter(dossier=dossier).exists()
    held_tasks.run()
    assert refi_jobs_resume() == [job.pk]
    job.refresh_from_db()
    assert job.state == RefiImportJob.State.DONE, job.message
    assert job.payload == ""
    assert job.report["sources"]["created"] == 1
    item = Transcript.objects.get(dossier=dossier)
    assert "Brouwer" not in item.text
    segment = Segment.objects.get(transcript=item)
    assert item.text[segment.start : segment.end] == "beter"
    page = client.get(reverse("coding:overview", args=[dossier.pk])).content.decode()
    assert "1 nieuwe bronnen" in page
    assert "Brouwer" not in page


def test_a_refused_file_fails_with_a_dutch_sentence_and_stores_nothing(client, team):
    dossier, user = team["dossier"], team["users"]["onderzoeker"]
    client.force_login(user)
    _upload(client, dossier, "kapot.qdpx", b"PK\x03\x04 kapot")
    job = RefiImportJob.objects.get()
    assert job.state == RefiImportJob.State.FAILED
    assert "kapot.qdpx" in job.message
    assert "kan niet worden geïmporteerd" in job.message
    assert job.payload == ""
    page = client.get(reverse("coding:overview", args=[dossier.pk])).content.decode()
    assert "mislukt" in page
    assert "kan niet worden geïmporteerd" in page
    assert not Segment.objects.exists()
    # An empty file, or a reader, is refused at once: no job.
    page = _upload(client, dossier, "leeg.qdpx", b"").content.decode()
    assert RefiImportJob.objects.count() == 1
    with pytest.raises(CodingError):
        refi_import_queue(
            dossier=dossier, actor=team["users"]["meelezer"], data=b"x", file_name="x.qdpx"
        )


def test_a_job_cut_off_by_a_gone_worker_is_taken_up_once(team, held_tasks):
    dossier = team["dossier"]
    job = refi_import_queue(dossier=dossier, actor=None, data=_project(), file_name="p.qdpx")
    long_ago = timezone.now() - dt.timedelta(minutes=STALE_JOB_MINUTES + 1)
    RefiImportJob.objects.filter(pk=job.pk).update(
        state=RefiImportJob.State.RUNNING, started_at=long_ago, attempts=1
    )
    held_tasks.run()
    assert refi_jobs_resume() == [job.pk]
    job.refresh_from_db()
    assert job.state == RefiImportJob.State.DONE, job.message
    # Cut off for the second time: failed with a message, not queued for ever.
    job2 = RefiImportJob.objects.create(
        dossier=dossier,
        file_name="q.qdpx",
        state=RefiImportJob.State.RUNNING,
        started_at=long_ago,
        attempts=MAX_JOB_ATTEMPTS,
    )
    refi_jobs_resume()
    job2.refresh_from_db()
    assert job2.state == RefiImportJob.State.FAILED
    assert "onderbroken" in job2.message
