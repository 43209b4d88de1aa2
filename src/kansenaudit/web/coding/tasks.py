# SPDX-License-Identifier: EUPL-1.2
"""The background task of the coding app: importing an uploaded REFI-QDA file.

The task carries only the id of the :class:`RefiImportJob` the coding overview shows and runs
it through ``refi_jobs.refi_job_run``, which claims the job atomically, so a task enqueued twice
does no harm (ADR 0015).
"""

from __future__ import annotations

from django_tasks import task

from kansenaudit.web.coding.models import RefiImportJob
from kansenaudit.web.coding.refi_jobs import refi_job_run


@task()
def run_refi_import_job(job_id: int) -> str:
    """Import one uploaded REFI-QDA file; returns the job's final state."""
    job = RefiImportJob.objects.filter(pk=job_id).first()
    return refi_job_run(job).state if job is not None else "verwijderd"
