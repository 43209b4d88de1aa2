"""Transcript uploads are read and pseudonymised by the worker, not in the request (ADR 0015):
the page shows the job's state, a refusal is a Dutch sentence naming the file, the upload is
kept only encrypted and only until the job ends, and a job cut off by a dead worker is taken
up again."""

from __future__ import annotations

import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kansenaudit.web.fieldwork import services, uploads
from kansenaudit.web.fieldwork.jobs import MAX_JOB_ATTEMPTS, transcript_jobs_recover
from kansenaudit.web.fieldwork.models import Transcript, TranscriptJob
from kansenaudit.web.fieldwork.services import FieldworkError

TEXT = (
    "[Fictief testtranscript]\n"
    "I: Hoe kwam u bij de huiswerkklas?\n"
    "R: Via juf Fatima Bakker. Zij belde mij op 06-12345678.\n"
)


@pytest.fixture
def setup(team):
    pl = team["users"]["projectleider"]
    session = services.session_save(
        dossier=team["dossier"], actor=pl, kind="interview", title="Gesprek A"
    )
    return {**team, "session": session, "pl": pl}


def _upload(client, setup, name, data, follow=False):
    url = reverse("fieldwork:transcript_upload", args=[setup["dossier"].pk, setup["session"].pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data), "title": ""}, follow=follow)


def _session_page(client, setup) -> str:
    url = reverse("fieldwork:session", args=[setup["dossier"].pk, setup["session"].pk])
    return client.get(url).content.decode()


def test_an_upload_waits_for_the_worker_and_the_page_shows_its_state(client, setup, held_tasks):
    client.force_login(setup["users"]["onderzoeker"])
    response = _upload(client, setup, "gesprek-a.txt", TEXT.encode(), follow=True)
    page = response.content.decode()
    assert "wachtrij" in page
    assert "achtergrond" in page
    assert 'data-state="wachtrij"' in page
    assert "fieldwork/jobs.js" in page  # the page follows the job without a reload
    assert not Transcript.objects.filter(session=setup["session"]).exists()
    job = TranscriptJob.objects.get(session=setup["session"])
    # The upload waits encrypted, never in the clear.
    assert job.payload
    assert "Fatima" not in job.payload
    assert "06-1234" not in job.payload

    assert job.pk in held_tasks.run()  # a worker starts

    job.refresh_from_db()
    assert job.state == TranscriptJob.State.DONE
    assert job.payload == ""  # not kept once the transcript is stored
    transcript = Transcript.objects.get(session=setup["session"])
    assert job.transcript == transcript
    assert "Fatima Bakker" not in transcript.text
    page = _session_page(client, setup)
    assert reverse("fieldwork:transcript", args=[setup["dossier"].pk, transcript.pk]) in page
    assert 'id="transcript-jobs"' not in page
    assert "fieldwork/jobs.js" not in page


def test_a_file_the_worker_refuses_says_why_in_dutch_on_the_page(client, setup, held_tasks):
    client.force_login(setup["users"]["onderzoeker"])
    _upload(client, setup, "opname.mp3", b"ID3\x03\x00\x00\x00" + bytes(range(256)) * 20)
    held_tasks.run()
    job = TranscriptJob.objects.get(session=setup["session"])
    assert job.state == TranscriptJob.State.FAILED
    assert "opname.mp3" in job.message
    assert "Het transcript" in job.message
    assert job.payload == ""
    page = _session_page(client, setup)
    assert 'data-state="mislukt"' in page
    assert "opname.mp3" in page
    assert not Transcript.objects.filter(session=setup["session"]).exists()


def test_with_the_immediate_backend_the_upload_goes_straight_to_the_review(client, setup):
    client.force_login(setup["users"]["onderzoeker"])
    response = _upload(client, setup, "gesprek-b.txt", TEXT.encode())
    assert response.status_code == 302
    assert "/transcripten/" in response["Location"]
    response = _upload(client, setup, "leeg.txt", b"   ", follow=True)
    page = response.content.decode()
    assert "leeg.txt" in page
    assert "is leeg" in page
    assert Transcript.objects.filter(session=setup["session"]).count() == 1


def test_an_empty_or_oversized_upload_is_refused_before_it_is_queued(setup):
    with pytest.raises(FieldworkError, match=r"empty\.txt"):
        uploads.transcript_queue(
            session=setup["session"], actor=setup["pl"], data=b"", file_name="empty.txt"
        )
    assert not TranscriptJob.objects.exists()


def test_a_job_cut_off_by_a_dead_worker_is_taken_up_again_once(setup, held_tasks):
    job = uploads.transcript_queue(
        session=setup["session"], actor=setup["pl"], data=TEXT.encode(), file_name="c.txt"
    )
    dead = f"{socket.gethostname()}/dead0000/1/1"  # another boot: certainly gone
    TranscriptJob.objects.filter(pk=job.pk).update(
        state=TranscriptJob.State.RUNNING, worker=dead, attempts=1
    )
    assert transcript_jobs_recover() == 1
    job.refresh_from_db()
    assert job.state == TranscriptJob.State.QUEUED
    TranscriptJob.objects.filter(pk=job.pk).update(
        state=TranscriptJob.State.RUNNING, worker=dead, attempts=MAX_JOB_ATTEMPTS
    )
    transcript_jobs_recover()
    job.refresh_from_db()
    assert job.state == TranscriptJob.State.FAILED
    assert "onderbroken" in job.message
    assert job.payload == ""
