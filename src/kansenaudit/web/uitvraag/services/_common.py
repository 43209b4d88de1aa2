# SPDX-License-Identifier: EUPL-1.2
"""What the uitvraag services share: the error, the limits, the status transition and the
actor of a change."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from kansenaudit.web.accounts.models import User
from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.uitvraag.models import StatusChange, UitvraagRequest

Status = UitvraagRequest.Status

# Status changes an auditor makes by hand. ONTVANGEN is entered only by receiving a valid file,
# GEACCEPTEERD also by applying one.
MANUAL_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.CONCEPT: (Status.VERSTUURD,),
    Status.VERSTUURD: (),
    Status.ONTVANGEN: (Status.TERUGGESTUURD, Status.GEACCEPTEERD),
    Status.TERUGGESTUURD: (),
    Status.GEACCEPTEERD: (Status.TERUGGESTUURD,),
}
TOKEN_DAYS_MAX = 90
# Uploads through one personal link per hour: enough to correct a file a few times.
TOKEN_UPLOADS_PER_HOUR = 20
REQUEST_FIELDS = ["directie", "status", "deadline", "contact", "template_version"]
MEASURE_FIELDS = [
    "name",
    "description",
    "domain",
    "reason",
    "status",
    "start",
    "end",
    "reach",
    "rationale",
    "assumptions",
    "alignment",
    "indicators_text",
    "evidence_claimed",
    "uitvraag_number",
]


class UitvraagError(ServiceError):
    """A request the workflow refuses; ``str(exc)`` is the sentence to show (active language)."""


def clean_text(text: str) -> str:
    return " ".join((text or "").split())


def user_and_label(actor: object | None, actor_label: str | None) -> tuple[User | None, str | None]:
    user = actor if isinstance(actor, User) and actor.is_authenticated else None
    label = actor_label or (user.get_username() if user is not None else None)
    return user, label


def status_transition(
    request: UitvraagRequest,
    to: str,
    *,
    actor: object | None,
    actor_label: str | None,
    note: str = "",
    events: list[dict] | None = None,
) -> None:
    """Record a status change (history row, date field, audit entry); caller holds a lock.

    With ``events`` the audit entry is appended there, for the caller to record after its last
    write (see :func:`record_events`)."""
    from kansenaudit.web.core.services import system_actor_label

    user, label = user_and_label(actor, actor_label)
    before = request.status
    now = timezone.now()
    request.status = to
    date_field = UitvraagRequest.STATUS_DATE_FIELD.get(UitvraagRequest.Status(to))
    if date_field:
        setattr(request, date_field, now)
    request.save()
    StatusChange.objects.create(
        request=request,
        from_status=before,
        to_status=to,
        by=user,
        by_label=(label or system_actor_label())[:150],
        note=note[:500],
    )
    event: dict[str, Any] = {
        "actor": user,
        "actor_label": label,
        "action": "uitvraag.status",
        "dossier": request.dossier,
        "target": request,
        "summary": f"Uitvraag {request.directie.name}: {before} → {to}"[:500],
        "before": {"status": before},
        "after": {"status": to, "note": note[:500]},
    }
    if events is None:
        audit_record(**event)
    else:
        events.append(event)


def record_events(events: list[dict]) -> None:
    """Record audit events collected during a transaction, in order, after its last write: on
    PostgreSQL the first event takes the chain lock until the commit (core.services)."""
    for event in events:
        audit_record(**event)


def default_actor_label() -> str:
    from kansenaudit.web.core.services import system_actor_label

    return system_actor_label()
