"""Processing uploads outside the web request: one background thread per server process.

An upload only stages the file and queues an :class:`~kansenaudit.web.evidence.models.ImportJob`
(fast); :func:`kick` then asks a single background thread to run :func:`run_queued`:
:func:`kansenaudit.web.evidence.services.jobs_run_queued`, which extracts each file in an
isolated child process with limits, and then the council searches asked for on the web page
(:func:`kansenaudit.web.evidence.council.council_pulls_run_queued`). One thread per process
keeps extraction sequential, so a large upload cannot take the server's memory or CPU; the job's
state (wachtrij, bezig, klaar, dubbel, mislukt) is what the upload page polls. Several server
processes may each run a thread: a job is claimed atomically, so it is processed once.

With the setting ``KANSENAUDIT_EVIDENCE_SYNC_JOBS = True`` (the tests) :func:`kick` runs the
queue in the calling thread, so results are deterministic.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger("kansenaudit.evidence")

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None
_executor_pid: int | None = None
_pending: Future | None = None
_start_registered = False


def run_queued(limit: int | None = None) -> list:
    """Process the queued uploads (at most ``limit``), then the queued council searches.

    Returns the upload jobs processed. Here, above both, because the council import stores its
    documents through the evidence services.
    """
    from kansenaudit.web.evidence.council import council_pulls_run_queued
    from kansenaudit.web.evidence.services import jobs_run_queued

    done = jobs_run_queued(limit)
    council_pulls_run_queued()  # searches of council documents asked for on the web page
    return done


def _run_queue() -> int:
    """Run every queued job; return how many were processed (never raises)."""
    close_old_connections()
    try:
        return len(run_queued())
    except Exception:  # the thread must survive; jobs record their own failures
        logger.exception("processing queued uploads failed")
        return 0
    finally:
        connections.close_all()


def _get_executor() -> ThreadPoolExecutor:
    """The process's executor, created lazily (after the server forked its workers)."""
    global _executor, _executor_pid
    if _executor is None or _executor_pid != os.getpid():
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kansenaudit-import")
        _executor_pid = os.getpid()
    return _executor


def run_now() -> int:
    """Process the queue in this thread (tests, and the settings' synchronous mode)."""
    return len(run_queued())


def kick() -> None:
    """Make sure queued jobs get processed: at most one run waits behind the current one."""
    global _pending
    if getattr(settings, "KANSENAUDIT_EVIDENCE_SYNC_JOBS", False):
        run_now()
        return
    with _lock:
        # A run that has not started yet will also pick up jobs queued now.
        if _pending is not None and not _pending.running() and not _pending.done():
            return
        _pending = _get_executor().submit(_run_queue)


def start() -> None:
    """At server start: take up the uploads cut off by a process that is gone, and run the queue.

    Called by the WSGI module. Under gunicorn with a preloaded application (``kansenaudit
    serve``) that module is imported once, in the master process, which must not run jobs
    (nor start threads before it forks): the run then starts in each worker process as soon as
    it is forked. Without a fork (a server that imports the module in its worker) the upload
    page's polling picks the jobs up (:func:`kick`).
    """
    global _start_registered
    with _lock:
        if _start_registered:
            return
        _start_registered = True
    os.register_at_fork(after_in_child=_kick_after_fork)


def _kick_after_fork() -> None:
    global _pending
    _pending = None  # a run of the parent's does not exist here
    try:
        kick()
    except Exception:  # a worker must start even if the queue cannot be run now
        logger.exception("starting the upload queue failed")


def busy() -> bool:
    """Whether a run is queued or in progress in this process."""
    with _lock:
        return _pending is not None and not _pending.done()
