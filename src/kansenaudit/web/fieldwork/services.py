# SPDX-License-Identifier: EUPL-1.2
"""Writes of the fieldwork app: selection, sessions, participants, consent and contacts.

Transcripts (upload, pseudonymisation, review, originals) are in ``transcript_services``.
Every change is logged with ``audit_record``, last in its transaction. Log entries never hold
an original name, a contact detail or a transcript's words.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.fieldwork import crypto
from kansenaudit.web.fieldwork.models import (
    Consent,
    ContactDetails,
    MeasureSelection,
    Participant,
    SelectedMeasure,
    Session,
)
from kansenaudit.web.fieldwork.selection import proposal_for
from kansenaudit.web.policy.models import Actor, Measure


class FieldworkError(ServiceError):
    """A fieldwork change the service refuses."""


STATUS_ORDER = [s.value for s in Session.Status]


# --- selection --------------------------------------------------------------------------------


@transaction.atomic
def selection_confirm(
    *,
    dossier: Any,
    actor: Any,
    measure_ids: list[int],
    swap_reasons: dict[int, str] | None = None,
    rationale: str = "",
    n: int = 6,
    is_demo: bool = False,
) -> MeasureSelection:
    """Store the selection: the proposal for ``n`` measures with the team's swaps.

    Every chosen measure that the proposal did not contain needs a reason in ``swap_reasons``
    (measure id → reason); it is stored with the proposed measure it replaced."""
    swap_reasons = {int(k): v.strip() for k, v in (swap_reasons or {}).items() if v.strip()}
    measures = {m.pk: m for m in Measure.objects.filter(dossier=dossier, pk__in=measure_ids)}
    if len(measures) != len(set(measure_ids)) or not measures:
        raise FieldworkError(_("Choose measures of this dossier."))
    proposal = proposal_for(dossier, n=n)
    proposed = {c.measure_id: c for c in proposal.choices}
    chosen = list(dict.fromkeys(int(i) for i in measure_ids))
    dropped = [c for c in proposal.choices if c.measure_id not in measures]
    swapped_in = [i for i in chosen if i not in proposed]
    missing = [measures[i].name for i in swapped_in if not swap_reasons.get(i)]
    if missing:
        raise FieldworkError(
            _("Give a reason for each measure the team chose instead of the proposal: %(names)s"),
            {"names": ", ".join(missing)},
        )
    before = None
    selection = MeasureSelection.objects.filter(dossier=dossier).first()
    if selection is not None:
        before = {"measures": [i.measure.name for i in selection.items.select_related("measure")]}
        selection.items.all().delete()
    else:
        selection = MeasureSelection(dossier=dossier)
    final = proposal_for(dossier, n=n, fixed=tuple(chosen), only=True)
    selection.size = n
    selection.rationale = rationale.strip()
    selection.covers = final.covers
    selection.misses = final.misses
    selection.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
    selection.is_demo = is_demo
    selection.save()
    reasons = {c.measure_id: c.reasons for c in final.choices}
    for order, measure_id in enumerate(chosen):
        replaced = ""
        if measure_id in swapped_in and dropped:
            replaced = dropped.pop(0).name
        SelectedMeasure.objects.create(
            selection=selection,
            measure=measures[measure_id],
            order=order,
            reasons="; ".join(reasons.get(measure_id, [])),
            replaced=replaced,
            swap_reason=swap_reasons.get(measure_id, ""),
        )
    audit_record(
        actor=actor,
        action="fieldwork.selection_confirm",
        dossier=dossier,
        target=selection,
        summary=str(_("Selection for the practice study confirmed")),
        before=before,
        after={
            "measures": [measures[i].name for i in chosen],
            "swaps": {measures[i].name: swap_reasons[i] for i in swapped_in},
            "rationale": selection.rationale,
        },
    )
    return selection


# --- sessions ---------------------------------------------------------------------------------


def _session_values(session: Session) -> dict[str, Any]:
    return {
        "kind": session.kind,
        "title": session.title,
        "date": session.date.isoformat() if session.date else None,
        "place": session.place,
        "status": session.status,
        "sub_questions": session.sub_questions,
        "measures": sorted(m.pk for m in session.measures.all()),
        "interviewers": sorted(u.pk for u in session.interviewers.all()),
    }


@transaction.atomic
def session_save(
    *,
    dossier: Any,
    actor: Any,
    session: Session | None = None,
    kind: str,
    title: str,
    date: datetime.date | None = None,
    place: str = "",
    status: str = Session.Status.PLANNED,
    measures: list[Measure] = (),  # type: ignore[assignment]
    interviewers: list[Any] = (),  # type: ignore[assignment]
    sub_questions: list[int] = (),  # type: ignore[assignment]
    is_demo: bool = False,
) -> Session:
    """Create a session, or change ``session``; logs only when something changed."""
    if kind not in Session.Kind.values:
        raise FieldworkError(_("Unknown kind of session: %(kind)s"), {"kind": kind})
    if status not in Session.Status.values:
        raise FieldworkError(_("Unknown status: %(status)s"), {"status": status})
    if not title.strip():
        raise FieldworkError(_("Give the session a title."))
    if any(m.dossier_id != dossier.pk for m in measures):
        raise FieldworkError(_("Choose measures of this dossier."))
    creating = session is None
    before = None if creating else _session_values(session)  # type: ignore[arg-type]
    if session is None:
        session = Session(dossier=dossier, is_demo=is_demo)
    session.kind, session.title, session.date = kind, title.strip(), date
    session.place, session.status = place.strip(), status
    session.sub_questions = sorted({int(q) for q in sub_questions})
    session.save()
    session.measures.set(measures)
    session.interviewers.set(interviewers)
    after = _session_values(session)
    if before == after:
        return session
    audit_record(
        actor=actor,
        action="fieldwork.session_create" if creating else "fieldwork.session_change",
        dossier=dossier,
        target=session,
        summary=session.title,
        before=before,
        after=after,
    )
    return session


# --- participants, consent, contacts ------------------------------------------------------------


def _participant_values(p: Participant) -> dict[str, Any]:
    return {
        "pseudonym": p.pseudonym,
        "stakeholder_group": p.stakeholder_group,
        "role": p.role,
        "organisation": p.organisation,
        "actor": p.actor_id,
        "sessions": sorted(s.pk for s in p.sessions.all()),
    }


@transaction.atomic
def participant_save(
    *,
    dossier: Any,
    actor: Any,
    participant: Participant | None = None,
    pseudonym: str,
    stakeholder_group: str,
    role: str = "",
    organisation: str = "",
    organisation_actor: Actor | None = None,
    sessions: list[Session] = (),  # type: ignore[assignment]
    is_demo: bool = False,
) -> Participant:
    """Create or change a participant (known only by a pseudonym such as "Bewoner 3")."""
    pseudonym = pseudonym.strip()
    if not pseudonym:
        raise FieldworkError(_("Give the participant a pseudonym, such as Bewoner 3."))
    if stakeholder_group not in Participant.Group.values:
        raise FieldworkError(
            _("Unknown stakeholder group: %(group)s"), {"group": stakeholder_group}
        )
    clash = Participant.objects.filter(dossier=dossier, pseudonym=pseudonym)
    if participant is not None:
        clash = clash.exclude(pk=participant.pk)
    if clash.exists():
        raise FieldworkError(
            _("The pseudonym %(pseudonym)s is already used in this dossier."),
            {"pseudonym": pseudonym},
        )
    if organisation_actor is not None and organisation_actor.dossier_id != dossier.pk:
        raise FieldworkError(_("Choose an organisation of this dossier."))
    if any(s.dossier_id != dossier.pk for s in sessions):
        raise FieldworkError(_("Choose sessions of this dossier."))
    creating = participant is None
    before = None if creating else _participant_values(participant)  # type: ignore[arg-type]
    if participant is None:
        participant = Participant(dossier=dossier, is_demo=is_demo)
    participant.pseudonym, participant.stakeholder_group = pseudonym, stakeholder_group
    participant.role, participant.actor = role.strip(), organisation_actor
    participant.organisation = organisation.strip() or (
        organisation_actor.name if organisation_actor else ""
    )
    participant.save()
    participant.sessions.set(sessions)
    after = _participant_values(participant)
    if before == after:
        return participant
    audit_record(
        actor=actor,
        action="fieldwork.participant_create" if creating else "fieldwork.participant_change",
        dossier=dossier,
        target=participant,
        summary=participant.pseudonym,
        before=before,
        after=after,
    )
    return participant


@transaction.atomic
def consent_record(
    *, participant: Participant, actor: Any, given_on: datetime.date, scope: str
) -> Consent:
    """Record (or correct) a participant's consent: its date and scope."""
    if scope not in Consent.Scope.values:
        raise FieldworkError(_("Unknown scope of consent: %(scope)s"), {"scope": scope})
    if participant.withdrawn_at is not None:
        raise FieldworkError(_("%(name)s has withdrawn consent."), {"name": participant.pseudonym})
    consent = Consent.objects.filter(participant=participant).first()
    before = {"given_on": consent.given_on.isoformat(), "scope": consent.scope} if consent else None
    if consent is None:
        consent = Consent(participant=participant)
    consent.given_on, consent.scope = given_on, scope
    consent.save()
    after = {"given_on": given_on.isoformat(), "scope": scope}
    if before != after:
        audit_record(
            actor=actor,
            action="fieldwork.consent_record",
            dossier=participant.dossier,
            target=participant,
            summary=participant.pseudonym,
            before=before,
            after=after,
        )
    return consent


@transaction.atomic
def consent_withdraw(*, participant: Participant, actor: Any, note: str = "") -> Participant:
    """The participant withdraws: from now on their words are left out of every page and export.

    Their turns stay in the transcript (offsets of others' words must not move) but are marked
    withdrawn through ``Participant.withdrawn_at``; ``selectors.withdrawn_spans`` gives them."""
    if participant.withdrawn_at is not None:
        raise FieldworkError(
            _("%(name)s has already withdrawn consent."), {"name": participant.pseudonym}
        )
    participant.withdrawn_at = timezone.now()
    participant.save(update_fields=["withdrawn_at"])
    Consent.objects.filter(participant=participant).update(withdrawal_note=note.strip()[:500])
    turns = participant.turns.count()
    audit_record(
        actor=actor,
        action="fieldwork.consent_withdraw",
        dossier=participant.dossier,
        target=participant,
        summary=participant.pseudonym,
        after={"withdrawn_at": participant.withdrawn_at.isoformat(), "turns_marked": turns},
    )
    return participant


@transaction.atomic
def contact_set(*, participant: Participant, actor: Any, details: str) -> None:
    """Store the participant's contact details, encrypted; the log says only that they changed."""
    details = details.strip()
    if not details:
        ContactDetails.objects.filter(participant=participant).delete()
    else:
        ContactDetails.objects.update_or_create(
            participant=participant,
            defaults={"token": crypto.encrypt_json(details, demo=participant.is_demo)},
        )
    audit_record(
        actor=actor,
        action="fieldwork.contact_set",
        dossier=participant.dossier,
        target=participant,
        summary=participant.pseudonym,
    )


@transaction.atomic
def contact_view(*, participant: Participant, actor: Any) -> str:
    """Decrypt the contact details for someone with VIEW_ORIGINALS; the view is logged."""
    contact = ContactDetails.objects.filter(participant=participant).first()
    if contact is None:
        return ""
    details = str(crypto.decrypt_json(contact.token, demo=participant.is_demo))
    audit_record(
        actor=actor,
        action="fieldwork.contact_view",
        dossier=participant.dossier,
        target=participant,
        summary=participant.pseudonym,
    )
    return details
