# SPDX-License-Identifier: EUPL-1.2
"""Running a REFI-QDA import outside the web request, and recovering cut-off runs (ADR 0015).

``refi_uploads.refi_import_queue`` stages the file in a :class:`RefiImportJob` (encrypted: a
project holds other tools' texts before pseudonymisation) and queues ``tasks.run_refi_import_job``
once the transaction commits; ``kansenaudit worker`` runs it through :func:`refi_job_run`, which
claims the job atomically (queued to running), calls ``refi.import_qdpx`` or ``refi.import_qdc``
and records the outcome the coding overview shows: the report, or why it failed as a sentence in
the site's language. Pseudonymising every source of a project takes too long for a request.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from kansenaudit.web.coding import refi
from kansenaudit.web.coding.models import RefiImportJob
from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.evidence import processes
from kansenaudit.web.fieldwork import crypto

logger = logging.getLogger(__name__)

# Pseudonymising a 30,000-word transcript takes well under a minute (docs/benchmarks.md); a
# project of many sources may take some minutes, so a job is only stale after an hour.
STALE_JOB_MINUTES = 60
MAX_JOB_ATTEMPTS = 2


def is_demo(job: RefiImportJob) -> bool:
    return bool(getattr(job.dossier, "is_demo", False))


def refi_job_run(job: RefiImportJob) -> RefiImportJob:
    """Import one queued REFI-QDA file; the job records the outcome.

    Claimed atomically, so a second task for it, or a second worker, leaves it alone. The
    message is stored in the site's language, whatever the worker has active."""
    claimed = RefiImportJob.objects.filter(pk=job.pk, state=RefiImportJob.State.QUEUED).update(
        state=RefiImportJob.State.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        worker=processes.identity(),
    )
    if not claimed:
        return RefiImportJob.objects.get(pk=job.pk)
    job.refresh_from_db()
    with translation.override(settings.LANGUAGE_CODE):
        try:
            data = crypto.decrypt_bytes(job.payload, demo=is_demo(job))
            reader = refi.import_qdc if job.file_name.lower().endswith(".qdc") else refi.import_qdpx
            report = reader(
                dossier=job.dossier, actor=job.created_by, data=data, file_name=job.file_name
            )
            job.state, job.report, job.message = RefiImportJob.State.DONE, report.as_dict(), ""
        except ServiceError as exc:
            job.state, job.message = RefiImportJob.State.FAILED, str(exc)
        except Exception:  # a job never dies silently: its state says what happened
            logger.exception("REFI-QDA import job %s failed unexpectedly", job.pk)
            job.state = RefiImportJob.State.FAILED
            job.message = gettext(
                "Something went wrong while importing '%(name)s'; nothing was stored. Try "
                "again; if it fails again, tell the administrator (the details are in the "
                "application's log)."
            ) % {"name": job.file_name}
    job.finished_at = timezone.now()
    job.payload = ""  # the file is not kept once it is imported (or refused)
    job.save(update_fields=["state", "message", "report", "finished_at", "payload"])
    return job


def refi_jobs_recover() -> int:
    """Take up again the jobs cut off by a process that is gone; return how many.

    Queued again once, failed with a message the second time, so a file that brings the
    worker down cannot loop for ever (the import is all or nothing: a cut-off run stored
    nothing)."""
    now = timezone.now()
    stale = now - dt.timedelta(minutes=STALE_JOB_MINUTES)
    running = RefiImportJob.objects.filter(
        state=RefiImportJob.State.RUNNING, finished_at__isnull=True
    )
    dead = [pk for pk, worker in running.values_list("pk", "worker") if processes.is_gone(worker)]
    cut_off = running.filter(
        Q(pk__in=dead) | Q(started_at__lt=stale) | Q(started_at__isnull=True, created_at__lt=stale)
    )
    with translation.override(settings.LANGUAGE_CODE):
        message = gettext(
            "the import was interrupted twice (the worker stopped); nothing was stored. Upload "
            "the file again or split the project up"
        )
    failed = cut_off.filter(attempts__gte=MAX_JOB_ATTEMPTS).update(
        state=RefiImportJob.State.FAILED, message=message, finished_at=now, payload=""
    )
    return failed + cut_off.update(state=RefiImportJob.State.QUEUED, worker="")
