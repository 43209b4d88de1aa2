# SPDX-License-Identifier: EUPL-1.2
"""Running a transcript upload outside the web request, and recovering cut-off runs (ADR 0015).

``uploads.transcript_queue`` stages the file in a :class:`TranscriptJob` (encrypted) and
queues the task ``tasks.run_transcript_job`` once the transaction commits; ``kansenaudit
worker`` runs it through :func:`transcript_job_run`, which claims the job atomically (queued
to running), calls ``transcript_services.transcript_import`` and records the outcome the
session page shows: the transcript, or why it failed as a sentence in the site's language.
Parsing a DOCX in the isolated child and running deduce over a three-hour interview take
seconds to tens of seconds: too long for a request, and the web process should not hold
deduce's lookup tables.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from kansenaudit.web.evidence import processes
from kansenaudit.web.fieldwork import crypto
from kansenaudit.web.fieldwork.models import Session, TranscriptJob
from kansenaudit.web.fieldwork.services import FieldworkError
from kansenaudit.web.fieldwork.transcript_services import transcript_import

logger = logging.getLogger(__name__)

# Pseudonymising a 30,000-word transcript takes well under a minute (docs/benchmarks.md); a
# job running much longer was cut off by a worker nobody can check.
STALE_JOB_MINUTES = 30
MAX_JOB_ATTEMPTS = 2


def _demo(session: Session) -> bool:
    return bool(session.is_demo or getattr(session.dossier, "is_demo", False))


def _unexpected(file_name: str) -> str:
    return gettext(
        "Something went wrong while reading the transcript '%(name)s'. Try again; if it fails "
        "again, tell the administrator (the details are in the application's log)."
    ) % {"name": file_name}


def transcript_job_run(job: TranscriptJob) -> TranscriptJob:
    """Parse, pseudonymise and store one queued upload; the job records the outcome.

    The job is claimed atomically, so a second task for it, or a second worker, leaves it
    alone. The message is stored in the site's language, whatever the worker has active."""
    claimed = TranscriptJob.objects.filter(pk=job.pk, state=TranscriptJob.State.QUEUED).update(
        state=TranscriptJob.State.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        worker=processes.identity(),
    )
    if not claimed:
        return TranscriptJob.objects.get(pk=job.pk)
    job.refresh_from_db()
    session = job.session
    with translation.override(settings.LANGUAGE_CODE):
        try:
            data = crypto.decrypt_bytes(job.payload, demo=_demo(session))
            transcript = transcript_import(
                session=session,
                actor=job.created_by,
                data=data,
                file_name=job.file_name,
                title=job.title,
                is_demo=session.is_demo,
            )
            job.state, job.transcript, job.message = TranscriptJob.State.DONE, transcript, ""
            job.file_name = transcript.file_name  # a real name in it is pseudonymised there
        except FieldworkError as exc:
            job.state, job.message = TranscriptJob.State.FAILED, str(exc)
        except Exception:  # a job never dies silently: its state says what happened
            logger.exception("transcript job %s failed unexpectedly", job.pk)
            job.state, job.message = TranscriptJob.State.FAILED, _unexpected(job.file_name)
    return _finish(job)


def _finish(job: TranscriptJob) -> TranscriptJob:
    job.finished_at = timezone.now()
    job.payload = ""  # the upload is not kept once the transcript (or the refusal) is stored
    job.save(
        update_fields=["state", "message", "transcript", "finished_at", "payload", "file_name"]
    )
    return job


def transcript_jobs_recover() -> int:
    """Take up again the jobs cut off by a process that is gone; return how many.

    As for the evidence uploads: queued again once, failed with a message the second time, so
    a file that brings the worker down cannot loop for ever."""
    now = timezone.now()
    stale = now - dt.timedelta(minutes=STALE_JOB_MINUTES)
    running = TranscriptJob.objects.filter(
        state=TranscriptJob.State.RUNNING, finished_at__isnull=True
    )
    dead = [pk for pk, worker in running.values_list("pk", "worker") if processes.is_gone(worker)]
    cut_off = running.filter(
        Q(pk__in=dead) | Q(started_at__lt=stale) | Q(started_at__isnull=True, created_at__lt=stale)
    )
    with translation.override(settings.LANGUAGE_CODE):
        message = gettext(
            "reading the transcript was interrupted twice (the worker stopped); upload it again "
            "or split it up"
        )
    failed = cut_off.filter(attempts__gte=MAX_JOB_ATTEMPTS).update(
        state=TranscriptJob.State.FAILED, message=message, finished_at=now, payload=""
    )
    return failed + cut_off.update(state=TranscriptJob.State.QUEUED, worker="")
