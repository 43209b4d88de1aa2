# SPDX-License-Identifier: EUPL-1.2
"""The background tasks of the evidence store: reading an upload, searching council documents.

Each task carries the id of the record the user sees (:class:`ImportJob`, :class:`CouncilPull`)
and runs it through the services, which claim the record atomically: a task for a record that
is no longer queued (already run, or taken up by another worker) ends at once, so a task
enqueued twice does no harm. Queueing, claiming a task and running it in a worker process is
the tasks framework's (``kansenaudit worker``); what was asked, the state the pages show and
the outcome are the records' (ADR 0015).
"""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_job(job_id: int) -> str:
    """Extract and store one upload (or re-read); returns the job's final state."""
    from kansenaudit.web.evidence.models import ImportJob
    from kansenaudit.web.evidence.services import job_run

    job = ImportJob.objects.filter(pk=job_id).first()
    return job_run(job).state if job is not None else "verwijderd"


@task()
def run_council_pull(pull_id: int) -> str:
    """Run one search of council documents asked for on the web page; returns its state."""
    from kansenaudit.web.evidence.council_documents import council_pull_run
    from kansenaudit.web.evidence.models import CouncilPull

    pull = CouncilPull.objects.filter(pk=pull_id).first()
    return council_pull_run(pull).state if pull is not None else "verwijderd"
