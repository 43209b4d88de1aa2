# SPDX-License-Identifier: EUPL-1.2
"""Requests to directorates: create, update, change the status by hand, record a reminder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.services import audit_record, snapshot
from kansenaudit.web.policy.models import Actor
from kansenaudit.web.uitvraag.models import Reminder, StatusChange, UitvraagRequest
from kansenaudit.web.uitvraag.services._common import (
    MANUAL_TRANSITIONS,
    REQUEST_FIELDS,
    Status,
    UitvraagError,
    clean_text,
    default_actor_label,
    record_events,
    status_transition,
    user_and_label,
)

if TYPE_CHECKING:
    from kansenaudit.web.dossiers.models import Dossier


@dataclass
class RequestOutcome:
    request: UitvraagRequest
    created: bool
    directie_added: bool


def request_create(
    *,
    dossier: Dossier,
    directie_name: str,
    actor: object | None,
    deadline: dt.date | None = None,
    contact: str = "",
    reuse: bool = False,
    is_demo: bool = False,
    actor_label: str | None = None,
) -> RequestOutcome:
    """A request to the directorate called ``directie_name`` (status *concept*).

    The directorate is looked up in the dossier's actor register by name (case and spacing
    ignored) and added as an actor of kind directie when it is not there; the outcome says so.
    A name that belongs to another kind of actor is refused. With ``reuse`` an existing
    request to the same directorate is returned (its deadline and contact updated when given);
    without it, a second request is refused.
    """
    name = clean_text(directie_name)
    if not name:
        raise UitvraagError(_("Give the name of the directorate."))
    if len(name) > 200:
        raise UitvraagError(_("The name of the directorate is longer than 200 characters."))
    if name.startswith("="):
        raise UitvraagError(_("The name of the directorate may not begin with '='."))
    contact = clean_text(contact)
    if len(contact) > 200:
        raise UitvraagError(_("The contact person is longer than 200 characters."))
    user, label = user_and_label(actor, actor_label)
    events: list[dict] = []  # recorded after the last write (record_events)
    with transaction.atomic():
        directie = Actor.objects.filter(dossier=dossier, name__iexact=name).first()
        added = False
        if directie is not None and directie.kind != Actor.Kind.DIRECTIE:
            raise UitvraagError(
                _("'%(name)s' is in the actor register as %(kind)s, not as a directorate."),
                {"name": directie.name, "kind": directie.get_kind_display()},
            )
        if directie is None:
            directie = Actor.objects.create(
                dossier=dossier,
                name=name,
                kind=Actor.Kind.DIRECTIE,
                contact=contact,
                is_demo=is_demo,
                created_by=user,
            )
            added = True
            events.append(
                {
                    "actor": user,
                    "actor_label": label,
                    "action": "policy.actor_create",
                    "dossier": dossier,
                    "target": directie,
                    "summary": f"Directie toegevoegd aan het actorenregister (uitvraag): {name}",
                    "after": snapshot(directie, ["name", "kind", "contact"]),
                }
            )
        existing = UitvraagRequest.objects.select_for_update().filter(
            dossier=dossier, directie=directie
        )
        request = existing.first()
        if request is not None:
            if not reuse:
                raise UitvraagError(
                    _("There already is a request to directorate %(name)s."),
                    {"name": directie.name},
                )
            before = snapshot(request, REQUEST_FIELDS)
            changed = False
            if deadline is not None and deadline != request.deadline:
                request.deadline, changed = deadline, True
            if contact and contact != request.contact:
                request.contact, changed = contact, True
            if changed:
                request.save()
                events.append(
                    {
                        "actor": user,
                        "actor_label": label,
                        "action": "uitvraag.update",
                        "dossier": dossier,
                        "target": request,
                        "summary": f"Uitvraag {directie.name} bijgewerkt",
                        "before": before,
                        "after": snapshot(request, REQUEST_FIELDS),
                    }
                )
            record_events(events)
            return RequestOutcome(request, False, added)
        request = UitvraagRequest.objects.create(
            dossier=dossier,
            directie=directie,
            deadline=deadline,
            contact=contact,
            is_demo=is_demo,
            created_by=user,
        )
        StatusChange.objects.create(
            request=request,
            from_status="",
            to_status=Status.CONCEPT,
            by=user,
            by_label=(label or default_actor_label())[:150],
            note="aangemaakt",
        )
        events.append(
            {
                "actor": user,
                "actor_label": label,
                "action": "uitvraag.create",
                "dossier": dossier,
                "target": request,
                "summary": f"Uitvraag aangemaakt voor directie {directie.name}"
                + (" (nieuw in het actorenregister)" if added else ""),
                "after": snapshot(request, REQUEST_FIELDS),
            }
        )
        record_events(events)
    return RequestOutcome(request, True, added)


def request_update(
    *,
    request: UitvraagRequest,
    deadline: dt.date | None,
    contact: str,
    actor: object | None,
    actor_label: str | None = None,
) -> UitvraagRequest:
    """Change the deadline and contact person (shown in the template's instructions)."""
    contact = clean_text(contact)
    if len(contact) > 200:
        raise UitvraagError(_("The contact person is longer than 200 characters."))
    user, label = user_and_label(actor, actor_label)
    with transaction.atomic():
        before = snapshot(request, REQUEST_FIELDS)
        request.deadline = deadline
        request.contact = contact
        request.save()
        audit_record(
            actor=user,
            actor_label=label,
            action="uitvraag.update",
            dossier=request.dossier,
            target=request,
            summary=f"Uitvraag {request.directie.name} bijgewerkt",
            before=before,
            after=snapshot(request, REQUEST_FIELDS),
        )
    return request


def status_set(
    *,
    request: UitvraagRequest,
    to: str,
    actor: object | None,
    note: str = "",
    actor_label: str | None = None,
) -> UitvraagRequest:
    """Change the status by hand; only the transitions of :data:`MANUAL_TRANSITIONS`."""
    with transaction.atomic():
        request = UitvraagRequest.objects.select_for_update().get(pk=request.pk)
        allowed = MANUAL_TRANSITIONS.get(request.status, ())
        if to not in allowed:
            choices = ", ".join(allowed) or _("none")
            raise UitvraagError(
                _("The status cannot go from %(from)s to %(to)s; possible: %(choices)s."),
                {"from": request.status, "to": to, "choices": choices},
            )
        if to == Status.VERSTUURD and not request.template_checksum:
            raise UitvraagError(_("Make the template before you send the request."))
        status_transition(request, to, actor=actor, actor_label=actor_label, note=clean_text(note))
    return request


def reminder_record(
    *,
    request: UitvraagRequest,
    sent_on: dt.date,
    actor: object | None,
    note: str = "",
    actor_label: str | None = None,
) -> Reminder:
    """Record that a reminder was sent (the application itself sends no e-mail)."""
    if request.status not in UitvraagRequest.AWAITING:
        raise UitvraagError(_("A reminder belongs to a request that was sent and has no answer."))
    if sent_on > timezone.localdate():
        raise UitvraagError(_("The date of the reminder lies in the future."))
    user, label = user_and_label(actor, actor_label)
    with transaction.atomic():
        reminder = Reminder.objects.create(
            request=request, sent_on=sent_on, note=clean_text(note)[:500], created_by=user
        )
        audit_record(
            actor=user,
            actor_label=label,
            action="uitvraag.reminder",
            dossier=request.dossier,
            target=request,
            summary=f"Herinnering aan directie {request.directie.name} ({sent_on:%d-%m-%Y})",
            after={"sent_on": sent_on.isoformat(), "note": reminder.note},
        )
    return reminder
