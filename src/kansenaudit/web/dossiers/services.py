# SPDX-License-Identifier: EUPL-1.2
"""Changing dossiers. Each function validates, writes in one transaction and logs the change."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.services import audit_record, snapshot
from kansenaudit.web.dossiers.models import (
    Comment,
    Dossier,
    Membership,
    Milestone,
    PolicyEvent,
    SubQuestion,
)
from kansenaudit.web.dossiers.roles import Role

DOSSIER_FIELDS = [
    "title",
    "municipality_code",
    "municipality_name",
    "period_start",
    "period_end",
    "central_question",
    "status",
]


class DossierError(ServiceError):
    """A user mistake in changing a dossier; the message is meant for the user."""


def _create_logged(
    instance: object,
    *,
    action: str,
    summary: str,
    fields: list[str],
    actor: object | None,
    actor_label: str | None = None,
) -> None:
    """Validate, insert and log a new object of a dossier, in the caller's transaction."""
    _clean(instance)
    instance.save()
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=action,
        dossier=instance.dossier,
        target=instance,
        summary=summary,
        after=snapshot(instance, fields),
    )


def _clean(instance: object) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        messages = [f"{field}: {' '.join(errs)}" for field, errs in exc.message_dict.items()]
        raise DossierError("; ".join(messages)) from exc


@transaction.atomic
def dossier_create(
    *,
    title: str,
    municipality_code: str,
    municipality_name: str = "",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    central_question: str = "",
    is_demo: bool = False,
    creator: object | None = None,
    actor_label: str | None = None,
) -> Dossier:
    """Create a dossier; the creator (if a user) becomes its projectleider."""
    dossier = Dossier(
        title=title.strip(),
        municipality_code=municipality_code.strip().upper(),
        municipality_name=municipality_name.strip(),
        period_start=period_start,
        period_end=period_end,
        central_question=central_question.strip(),
        is_demo=is_demo,
    )
    if period_start and period_end and period_end < period_start:
        raise DossierError(_("The period ends before it begins."))
    _clean(dossier)
    dossier.save()
    # Every dossier follows the research design's terms from the start (editable later).
    from kansenaudit.web.evidence.services import terms_ensure_defaults

    terms_ensure_defaults(dossier)
    # Logged after the writes: the chain lock is held from the first event to the commit
    # (core.services). The creator's membership is a new row of this new dossier, which no
    # other transaction can be waiting for.
    audit_record(
        actor=creator,
        actor_label=actor_label,
        action="dossier.create",
        dossier=dossier,
        target=dossier,
        summary=f"Dossier '{dossier.title}' aangemaakt",
        after=snapshot(dossier, DOSSIER_FIELDS),
    )
    if creator is not None and getattr(creator, "is_authenticated", False):
        membership_set(dossier=dossier, user=creator, role=Role.PROJECTLEIDER, actor=creator)
    return dossier


@transaction.atomic
def dossier_update(*, dossier: Dossier, actor: object, **changes: object) -> Dossier:
    """Change the dossier's own fields; logs before and after of what changed."""
    unknown = set(changes) - set(DOSSIER_FIELDS)
    if unknown:
        raise DossierError(_("Unknown fields: %(fields)s"), {"fields": ", ".join(sorted(unknown))})
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    before = snapshot(dossier, DOSSIER_FIELDS)
    for name, value in changes.items():
        setattr(dossier, name, value.strip() if isinstance(value, str) else value)
    _clean(dossier)
    after = snapshot(dossier, DOSSIER_FIELDS)
    changed = [name for name in DOSSIER_FIELDS if before[name] != after[name]]
    if not changed:
        return dossier
    dossier.save()
    audit_record(
        actor=actor,
        action="dossier.update",
        dossier=dossier,
        target=dossier,
        summary=f"Gewijzigd: {', '.join(changed)}",
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return dossier


@transaction.atomic
def membership_set(
    *,
    dossier: Dossier,
    user: object,
    role: str,
    actor: object | None,
    actor_label: str | None = None,
) -> Membership:
    """Add ``user`` to the team with ``role``, or change their role."""
    if role not in Role.values:
        raise DossierError(
            _("Unknown role '%(role)s'. Choose from: %(roles)s."),
            {"role": role, "roles": ", ".join(Role.values)},
        )
    membership = Membership.objects.filter(dossier=dossier, user=user).first()
    before = {"role": membership.role} if membership else None
    if membership is None:
        membership = Membership.objects.create(dossier=dossier, user=user, role=role)
    elif membership.role != role:
        _guard_last_projectleider(dossier=dossier, leaving=membership)
        membership.role = role
        membership.save(update_fields=["role"])
    else:
        return membership
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action="membership.set",
        dossier=dossier,
        target=membership,
        summary=f"{user.get_username()} is {Role(role).label}",
        before=before,
        after={"user": user.get_username(), "role": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: object) -> None:
    """Remove a member; the last projectleider cannot be removed."""
    _guard_last_projectleider(dossier=membership.dossier, leaving=membership)
    pk = membership.pk
    membership.delete()
    # Logged last: the chain lock is held from here to the commit (core.services).
    audit_record(
        actor=actor,
        action="membership.remove",
        dossier=membership.dossier,
        target=membership,
        target_pk=pk,
        summary=f"{membership.user.get_username()} uit het team verwijderd",
        before={"user": membership.user.get_username(), "role": membership.role},
    )


def _guard_last_projectleider(*, dossier: Dossier, leaving: Membership) -> None:
    if leaving.role != Role.PROJECTLEIDER:
        return
    others = dossier.memberships.filter(role=Role.PROJECTLEIDER).exclude(pk=leaving.pk)
    if not others.exists():
        raise DossierError(_("A dossier keeps at least one project leader."))


def membership_add_by_username(
    *,
    dossier: Dossier,
    username: str,
    role: str,
    actor: object | None,
    actor_label: str | None = None,
) -> Membership:
    """Like :func:`membership_set`, finding the user by name; a clear error when unknown."""
    user = get_user_model().objects.filter(username__iexact=username.strip()).first()
    if user is None:
        raise DossierError(_("There is no user '%(username)s'."), {"username": username})
    return membership_set(
        dossier=dossier, user=user, role=role, actor=actor, actor_label=actor_label
    )


@transaction.atomic
def sub_question_set(
    *,
    dossier: Dossier,
    number: int,
    question: str,
    approach: str = "",
    actor: object | None,
    actor_label: str | None = None,
) -> SubQuestion:
    """Create or change deelvraag ``number``."""
    existing = SubQuestion.objects.filter(dossier=dossier, number=number).first()
    before = snapshot(existing, ["question", "approach"]) if existing else None
    sub = existing or SubQuestion(dossier=dossier, number=number)
    sub.question, sub.approach = question.strip(), approach.strip()
    _clean(sub)
    sub.save()
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action="subquestion.set",
        dossier=dossier,
        target=sub,
        summary=f"Deelvraag {number} vastgelegd",
        before=before,
        after=snapshot(sub, ["question", "approach"]),
    )
    return sub


@transaction.atomic
def milestone_create(
    *,
    dossier: Dossier,
    title: str,
    due_date: dt.date,
    done: bool = False,
    actor: object | None,
    actor_label: str | None = None,
) -> Milestone:
    milestone = Milestone(dossier=dossier, title=title.strip(), due_date=due_date, done=done)
    _create_logged(
        milestone,
        action="milestone.create",
        actor=actor,
        actor_label=actor_label,
        summary=f"Mijlpaal '{milestone.title}' gepland op {due_date}",
        fields=["title", "due_date", "done"],
    )
    return milestone


@transaction.atomic
def milestone_set_done(*, milestone: Milestone, done: bool, actor: object) -> Milestone:
    if milestone.done == done:
        return milestone
    milestone.done = done
    milestone.save(update_fields=["done"])
    audit_record(
        actor=actor,
        action="milestone.done" if done else "milestone.reopen",
        dossier=milestone.dossier,
        target=milestone,
        summary=f"Mijlpaal '{milestone.title}' {'afgerond' if done else 'heropend'}",
        before={"done": not done},
        after={"done": done},
    )
    return milestone


@transaction.atomic
def policy_event_create(
    *,
    dossier: Dossier,
    date: dt.date,
    title: str,
    description: str = "",
    actor: object | None,
    actor_label: str | None = None,
) -> PolicyEvent:
    event = PolicyEvent(
        dossier=dossier, date=date, title=title.strip(), description=description.strip()
    )
    _create_logged(
        event,
        action="timeline.create",
        actor=actor,
        actor_label=actor_label,
        summary=f"Tijdlijn: {event.title}",
        fields=["date", "title"],
    )
    return event


@transaction.atomic
def comment_add(*, dossier: Dossier, author: object, text: str) -> Comment:
    text = text.strip()
    if not text:
        raise DossierError(_("A note may not be empty."))
    comment = Comment(dossier=dossier, author=author, text=text)
    _create_logged(
        comment,
        action="comment.add",
        actor=author,
        summary=f"Reviewnotitie: {text[:80]}",
        fields=["text"],
    )
    return comment
