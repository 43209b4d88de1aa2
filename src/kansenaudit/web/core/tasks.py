# SPDX-License-Identifier: EUPL-1.2
"""Queueing background work: one way for every app (ADR 0015).

A task (``@django_tasks.task``) carries the id of a record the app keeps (an upload, a search);
:func:`enqueue_on_commit` hands it to the configured backend once the transaction that wrote
the record has committed, so a worker in another process never receives an id it cannot read
yet, nor one of a record that was rolled back. The immediate backend (the tests) runs the task
at once in the caller instead: there is no other process to wait for, and inside a test's
transaction a commit never comes.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django_tasks.backends.immediate import ImmediateBackend


def enqueue_on_commit(task: object, *args: object) -> None:
    """Enqueue ``task(*args)`` when the current transaction commits (at once outside one)."""
    if isinstance(task.get_backend(), ImmediateBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(partial(task.enqueue, *args))


def enqueue_each_on_commit(task: object, records: object) -> list[int]:
    """Enqueue ``task(pk)`` for every record of the queryset ``records``, oldest first (by
    ``created_at``); return their ids. For a worker's start: see ADR 0015."""
    ids = list(records.order_by("created_at", "pk").values_list("pk", flat=True))
    for pk in ids:
        enqueue_on_commit(task, pk)
    return ids
