# SPDX-License-Identifier: EUPL-1.2
"""Queueing REFI-QDA imports for ``kansenaudit worker`` (ADR 0015).

Kept apart from ``refi_jobs`` (which runs a job) so that the task, which runs a job, and the
service, which queues the task, do not import each other.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.coding.models import RefiImportJob
from kansenaudit.web.coding.refi import RefiImportError
from kansenaudit.web.coding.refi_jobs import refi_jobs_recover
from kansenaudit.web.coding.services import require
from kansenaudit.web.coding.tasks import run_refi_import_job
from kansenaudit.web.core.tasks import enqueue_each_on_commit, enqueue_on_commit
from kansenaudit.web.fieldwork import crypto

MAX_REFI_BYTES = 200 * 1024 * 1024


@transaction.atomic
def refi_import_queue(*, dossier: Any, actor: Any, data: bytes, file_name: str) -> RefiImportJob:
    """Stage an uploaded .qdpx or .qdc (encrypted) and queue its import for a worker.

    Refused at once (a ``ServiceError``) when the user may not import, the file is empty or
    too large, or no fieldwork key is configured; the rest is found by the worker and shown
    on the job."""
    require(dossier, actor)
    if not data:
        raise RefiImportError(_("%(file)s is empty."), params={"file": file_name})
    if len(data) > MAX_REFI_BYTES:
        raise RefiImportError(
            _("%(file)s is larger than %(limit)s MB."),
            params={"file": file_name, "limit": MAX_REFI_BYTES // (1024 * 1024)},
        )
    job = RefiImportJob.objects.create(
        dossier=dossier,
        file_name=file_name[:255],
        size=len(data),
        payload=crypto.encrypt_bytes(data, demo=bool(getattr(dossier, "is_demo", False))),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    enqueue_on_commit(run_refi_import_job, job.pk)
    return job


def refi_jobs_resume() -> list[int]:
    """At a worker's start: recover cut-off imports and enqueue a task for every queued one,
    oldest first; return their ids."""
    refi_jobs_recover()
    return enqueue_each_on_commit(
        run_refi_import_job, RefiImportJob.objects.filter(state=RefiImportJob.State.QUEUED)
    )
