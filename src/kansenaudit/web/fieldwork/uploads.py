# SPDX-License-Identifier: EUPL-1.2
"""Queueing transcript uploads for ``kansenaudit worker`` (ADR 0015).

Kept apart from ``jobs`` (which runs a job) so that the task, which runs a job, and the
service, which queues the task, do not import each other.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.tasks import enqueue_each_on_commit, enqueue_on_commit
from kansenaudit.web.fieldwork import crypto
from kansenaudit.web.fieldwork.jobs import transcript_jobs_recover
from kansenaudit.web.fieldwork.models import Session, TranscriptJob
from kansenaudit.web.fieldwork.services import FieldworkError
from kansenaudit.web.fieldwork.tasks import run_transcript_job
from kansenaudit.web.fieldwork.transcript_services import MAX_TRANSCRIPT_BYTES


@transaction.atomic
def transcript_queue(
    *, session: Session, actor: Any, data: bytes, file_name: str, title: str = ""
) -> TranscriptJob:
    """Stage an uploaded transcript (encrypted) and queue it for a worker.

    Refused at once (``FieldworkError``) when the file is empty or too large, or when no
    fieldwork key is configured; everything else is found by the worker and shown on the job."""
    if not data:
        raise FieldworkError(_("%(file)s contains no text."), {"file": file_name})
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise FieldworkError(
            _("%(file)s is larger than %(limit)s MB; split the transcript."),
            {"file": file_name, "limit": MAX_TRANSCRIPT_BYTES // (1024 * 1024)},
        )
    job = TranscriptJob.objects.create(
        dossier=session.dossier,
        session=session,
        file_name=file_name[:255],
        title=title.strip()[:200],
        size=len(data),
        payload=crypto.encrypt_bytes(
            data, demo=bool(session.is_demo or getattr(session.dossier, "is_demo", False))
        ),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    enqueue_on_commit(run_transcript_job, job.pk)
    return job


def transcript_jobs_resume() -> list[int]:
    """At a worker's start: recover cut-off jobs and enqueue a task for every queued one,
    oldest first; return their ids (a job that still has a task gets a second one, which
    ends at once)."""
    transcript_jobs_recover()
    return enqueue_each_on_commit(
        run_transcript_job, TranscriptJob.objects.filter(state=TranscriptJob.State.QUEUED)
    )
