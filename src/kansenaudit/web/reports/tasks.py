# SPDX-License-Identifier: EUPL-1.2
"""The background task of the reports: building a version (ADR 0015).

The task carries only the id of the :class:`BuildJob` the page shows; the service claims the
job atomically, so a task for a job that is no longer queued ends at once.
"""

from __future__ import annotations

from django_tasks import task


@task()
def run_build_job(job_id: int) -> str:
    """Build one version in one format; returns the job's final state."""
    from kansenaudit.web.reports.builds import build_run
    from kansenaudit.web.reports.models import BuildJob

    job = BuildJob.objects.filter(pk=job_id).first()
    return build_run(job).state if job is not None else "verwijderd"
