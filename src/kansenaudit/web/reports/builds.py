# SPDX-License-Identifier: EUPL-1.2
"""Builds of a report version in the background: asked for on the version's page, run by
``kansenaudit worker`` through the one task mechanism (ADR 0015), shown with their state.

The build itself is the same service the CLI calls synchronously (``services.version_build``
and ``services.publication_bundle``), so a file built in the background and one built in the
terminal cannot differ. A build that fails says why in Dutch on the page; it never stays
"bezig" because of an error.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.core.tasks import enqueue_each_on_commit, enqueue_on_commit
from kansenaudit.web.reports import services
from kansenaudit.web.reports.models import BuildJob, ReportVersion

logger = logging.getLogger(__name__)
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "bundle": "application/zip",
}


@transaction.atomic
def build_request(*, version: ReportVersion, file_format: str, actor: Any) -> BuildJob:
    """Queue a build of ``version`` in ``file_format`` (docx, pdf, html or bundle)."""
    from kansenaudit.web.reports.tasks import run_build_job

    if file_format not in BuildJob.Format.values:
        raise services.ReportError(
            _("Choose what to build: Word, PDF, HTML or the publication site (not %(format)s)."),
            {"format": file_format or "–"},
        )
    if (
        file_format == BuildJob.Format.BUNDLE
        and version.purpose != ReportVersion.Purpose.PUBLICATION
    ):
        raise services.ReportError(
            _(
                "Only a version frozen for publication goes into the publication bundle. "
                "Freeze one for publication first."
            )
        )
    job = BuildJob.objects.create(
        version=version,
        file_format=file_format,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="reports.build_request",
        dossier=version.report.dossier,
        target=job,
        summary=f"{version.report.title} v{version.number}: {file_format}",
        after={"format": file_format},
    )
    enqueue_on_commit(run_build_job, job.pk)
    return job


def build_run(job: BuildJob) -> BuildJob:
    """Run one queued build (the worker's task); claimed atomically, so it runs once."""
    from kansenaudit.web.evidence import processes

    claimed = BuildJob.objects.filter(pk=job.pk, state=BuildJob.State.QUEUED).update(
        state=BuildJob.State.RUNNING, started_at=timezone.now(), worker=processes.identity()
    )
    if not claimed:
        return BuildJob.objects.get(pk=job.pk)  # another worker took it, or it is done
    job.refresh_from_db()
    version = job.version
    # The page is Dutch; the worker has no request to take the language from.
    with translation.override("nl"):
        try:
            if job.file_format == BuildJob.Format.BUNDLE:
                content = services.publication_bundle(version=version, actor=job.created_by)
                name = f"publicatie-v{version.number}.zip"
            else:
                built = services.version_build(
                    version=version, formats=(job.file_format,), actor=job.created_by
                )
                content = built.files[job.file_format]
                name = f"{built.file_stem}.{job.file_format}"
        except ServiceError as exc:
            job.state, job.message = BuildJob.State.FAILED, str(exc)[:2000]
        except Exception:  # a build never stays "bezig": its state says what happened
            logger.exception("report build %s failed", job.pk)
            job.state = BuildJob.State.FAILED
            job.message = gettext(
                "The build failed unexpectedly. Try again; if it fails again, tell the "
                "administrator (the details are in the application's log)."
            )
        else:
            job.state, job.content, job.file_name = BuildJob.State.DONE, content, name
            job.sha256 = hashlib.sha256(content).hexdigest()
    job.finished_at = timezone.now()
    job.save()
    return job


def builds_resume() -> list[int]:
    """At a worker's start: builds cut off by a worker that died are queued again (a build only
    writes its own job, so running it twice does no harm), and every queued build gets a task."""
    from kansenaudit.web.evidence import processes
    from kansenaudit.web.reports.tasks import run_build_job

    for job in BuildJob.objects.filter(state=BuildJob.State.RUNNING):
        if processes.is_gone(job.worker):
            BuildJob.objects.filter(pk=job.pk, state=BuildJob.State.RUNNING).update(
                state=BuildJob.State.QUEUED, worker=""
            )
    return enqueue_each_on_commit(
        run_build_job, BuildJob.objects.filter(state=BuildJob.State.QUEUED)
    )
