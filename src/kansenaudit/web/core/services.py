# SPDX-License-Identifier: EUPL-1.2
"""Writing to the audit log. Every service that changes state calls :func:`audit_record`."""

from __future__ import annotations

import getpass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from kansenaudit.web.core.audit_chain import chain_append_position, event_fields
from kansenaudit.web.core.audit_hash import event_hash
from kansenaudit.web.core.models import AuditEvent

CLI_ACTOR_PREFIX = "cli:"
# Who acted when nobody was signed in (a failed login, a download by an unknown visitor).
ANONYMOUS_LABEL = "anoniem"


def system_actor_label(kind: str = "cli") -> str:
    """Label for changes made without a logged-in user, e.g. ``cli:alice``."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return f"{kind}:{who}"


def audit_record(
    *,
    actor: Any | None,
    action: str,
    dossier: Any | None = None,
    target: models.Model | None = None,
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
    actor_label: str | None = None,
    target_pk: Any = None,
) -> AuditEvent:
    """Append one event to the audit log and return it.

    ``actor`` is the user who acted, or ``None`` for the CLI and loaders, in which case
    ``actor_label`` (default ``cli:<os user>``) says who. Call it inside the same transaction as
    the change it records, so that a change and its log entry are stored together or not at all.
    ``target_pk`` is the target's key when the target was deleted before this call (``delete()``
    clears ``pk``).

    Call it last in the transaction: on PostgreSQL it takes the chain lock until commit. The
    event is linked into the hash chain (``core.audit_chain``): it gets the next id and the hash
    of the newest event, with other writers of the log held off until the transaction commits.
    A transaction that logs first and then writes rows holds the chain lock while it waits for
    those rows; one that wrote the rows first and then logs waits for the chain lock: a deadlock,
    which PostgreSQL breaks by failing one of them. So do every write first, then log.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    label = actor_label or (actor.get_username() if actor is not None else system_actor_label())
    event = AuditEvent(
        actor=actor,
        actor_label=label[:150],
        dossier=dossier,
        action=action,
        object_type=target._meta.label if target is not None else "",
        object_id=str(target_pk if target_pk is not None else target.pk)
        if target is not None
        else "",
        summary=summary[:500],
        before=before,
        after=after,
    )
    with transaction.atomic():
        event.id, event.prev_hash = chain_append_position()
        # The time is taken under the lock, so that it follows the chain as well.
        event.occurred_at = timezone.now()
        event.hash = event_hash(event_fields(event))
        event.save()
    return event


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """A JSON-safe dict of ``fields`` of ``instance`` for the before/after of an event."""
    result: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, models.Model):
            value = str(value.pk)
        result[name] = value
    return result
