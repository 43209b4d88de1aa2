# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit worker`: run the background tasks (uploads, council searches; ADR 0015)."""

from __future__ import annotations

import logging
import os

import click

from kansenaudit.cli.runtime import require_migrated, setup_django

logger = logging.getLogger("kansenaudit.worker")


@click.command()
@click.option("--batch", is_flag=True, help="Run the tasks that are queued, then stop.")
@click.option(
    "--max-tasks",
    type=click.IntRange(min=1),
    default=None,
    help="Stop after this many tasks (a supervisor starts a fresh process).",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds between looks at an empty queue.",
)
@click.option(
    "--queue",
    "queue_name",
    default="default",
    show_default=True,
    help="Queues to run, separated by commas ('*': all).",
)
def worker(batch: bool, max_tasks: int | None, interval: float, queue_name: str) -> None:
    """Run background tasks: read uploaded files and transcripts, search council documents.

    Run one or more next to `kansenaudit serve`, on this machine or others that reach the same
    PostgreSQL database (docs/deployment.md). At start, work cut off by a worker that died is
    taken up again. SIGTERM or Ctrl+C lets the current task finish (a second one stops at once).
    """
    # The files a task writes (stored documents, page images, SQLite) are the service's only.
    os.umask(0o077)
    setup_django()
    require_migrated()
    from django.core.management import call_command
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    from kansenaudit.web.coding.refi_uploads import refi_jobs_resume
    from kansenaudit.web.evidence import processes
    from kansenaudit.web.evidence.services import jobs_resume
    from kansenaudit.web.fieldwork.uploads import transcript_jobs_resume
    from kansenaudit.web.reports.builds import builds_resume

    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        raise click.ClickException(
            "The TASKS setting does not use the database backend; "
            "its tasks run without `kansenaudit worker`."
        )
    resumed = jobs_resume()
    if resumed:
        logger.info("%d queued upload(s) handed to the workers", len(resumed))
    transcripts = transcript_jobs_resume()
    if transcripts:
        logger.info("%d queued transcript(s) handed to the workers", len(transcripts))
    refi_imports = refi_jobs_resume()
    if refi_imports:
        logger.info("%d queued REFI-QDA import(s) handed to the workers", len(refi_imports))
    builds = builds_resume()
    if builds:
        logger.info("%d queued report build(s) handed to the workers", len(builds))
    call_command(
        "db_worker",
        batch=batch,
        max_tasks=max_tasks,
        interval=interval,
        queue_name=queue_name,
        reload=False,  # never in production: a reload cuts a running task off
        startup_delay=not batch,
        worker_id=processes.identity()[-64:],
        verbosity=1,
    )
