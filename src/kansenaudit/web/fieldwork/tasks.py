# SPDX-License-Identifier: EUPL-1.2
"""The background task of the fieldwork app: reading and pseudonymising an uploaded transcript.

The task carries only the id of the :class:`TranscriptJob` the session page shows and runs it
through ``jobs.transcript_job_run``, which claims the job atomically, so a task enqueued twice
does no harm (ADR 0015).
"""

from __future__ import annotations

from django_tasks import task

from kansenaudit.web.fieldwork.jobs import transcript_job_run
from kansenaudit.web.fieldwork.models import TranscriptJob


@task()
def run_transcript_job(job_id: int) -> str:
    """Parse, pseudonymise and store one uploaded transcript; returns the job's final state."""

    job = TranscriptJob.objects.filter(pk=job_id).first()
    return transcript_job_run(job).state if job is not None else "verwijderd"
