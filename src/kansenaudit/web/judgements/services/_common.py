# SPDX-License-Identifier: EUPL-1.2
"""Shared by the judgements services: the error, role and input checks, the per-transaction
change log, and the steps that assessments and the review both take (attaching evidence, reopening a
signed judgement)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kansenaudit.policy.frameworks import Framework
from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.models import Membership
from kansenaudit.web.dossiers.roles import Capability, role_allows
from kansenaudit.web.judgements.models import (
    Assessment,
    Judgement,
    JudgementEvent,
)

NOT_APPLICABLE = "nvt"  # how forms and files write "not applicable"


MAX_RATIONALE = 20_000


class JudgementError(ServiceError):
    """A change the register refuses; the message is Dutch and can be shown as it is.

    ``problems`` lists every problem (a framework edit can have several)."""

    def __init__(
        self,
        message: Any = "",
        problems: list[str] | None = None,
        *,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, params)
        self._problems = list(problems or [])

    @property
    def problems(self) -> list[str]:
        return self._problems or [str(self)]


def _role(dossier: Any, user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(dossier=dossier, user=user).values_list("role", flat=True).first()
    )


def _require(dossier: Any, user: Any, capability: Capability, doing: Any) -> None:
    """Refuse unless ``user`` is a member of ``dossier`` whose role has ``capability``."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise JudgementError(
            _("%(doing)s can only be done by a logged-in user"), params={"doing": doing}
        )
    if not role_allows(_role(dossier, user), capability):
        raise JudgementError(
            _("%(user)s may not %(doing)s in this dossier"),
            params={"user": user.get_username(), "doing": doing.lower()},
        )


def _user_label(user: Any) -> str:
    return user.get_username() if user is not None else ""


_SAME: Any = object()  # the audit entry stores what the history row stores


class _Changes:
    """The changes of one transaction: each writes a judgement history row at once and an
    audit entry when :meth:`log` is called, last in the transaction.

    On PostgreSQL the first audit entry takes the audit chain's lock until the commit, so no
    other row may be written after it (docs/ARCHITECTURE.md, "log last").
    """

    def __init__(self, *, actor: Any, actor_label: str | None = None) -> None:
        self.actor = actor
        self.actor_label = actor_label
        self._entries: list[Callable[[], object]] = []

    def record(
        self,
        judgement: Judgement,
        *,
        action: str,
        summary: str,
        audit_action: str,
        audit_summary: str,
        before: dict | None = None,
        after: dict | None = None,
        slot: int | None = None,
        audit_before: dict | None = _SAME,
        audit_after: dict | None = _SAME,
    ) -> None:
        """Write the history row of one change now and keep its audit entry for :meth:`log`.

        The audit entry's ``before``/``after`` are the history row's unless given: the audit
        log withholds a blind assessment's content, which the history keeps."""
        user = self.actor if getattr(self.actor, "pk", None) else None
        label = self.actor_label or (_user_label(user) if user is not None else "systeem")
        JudgementEvent.objects.create(
            judgement=judgement,
            dossier_id=judgement.dossier_id,
            actor=user,
            actor_label=label[:150],
            action=action,
            slot=slot,
            summary=summary[:500],
            before=before,
            after=after,
        )
        self.then(
            partial(
                audit_record,
                actor=self.actor,
                actor_label=self.actor_label,
                action=audit_action,
                dossier=judgement.dossier,
                target=judgement,
                summary=audit_summary[:500],
                before=before if audit_before is _SAME else audit_before,
                after=after if audit_after is _SAME else audit_after,
            )
        )

    def then(self, log: Callable[[], object]) -> None:
        """Another audit entry to write at :meth:`log`, in this order."""
        self._entries.append(log)

    def log(self) -> None:
        """Write the audit entries: call it after every other write of the transaction."""
        for entry in self._entries:
            entry()
        self._entries.clear()


def _lock(judgement: Judgement) -> Judgement:
    """Re-read the judgement under a row lock, so two concurrent changes are serialised."""
    return Judgement.objects.select_for_update().get(pk=judgement.pk)


def _check_score(framework: Framework, score: Any, not_applicable: bool) -> None:
    if not_applicable:
        if score is not None:
            raise JudgementError(_("a score and 'not applicable' at the same time is not possible"))
        if not framework.scale.not_applicable:
            raise JudgementError(_("'not applicable' is not allowed on this scale"))
        return
    if isinstance(score, bool) or score not in framework.scale.values:
        raise JudgementError(
            _("score %(score)s is not on the scale; choose from: %(values)s"),
            params={
                "score": repr(score),
                "values": ", ".join(str(v) for v in framework.scale.values),
            },
        )
    # 1 == 1.0 in Python; only the exact type of the scale counts.
    if not any(type(v) is type(score) and v == score for v in framework.scale.values):
        raise JudgementError(
            _("score %(score)s is not on the scale"), params={"score": repr(score)}
        )


def _check_rationale(rationale: str) -> str:
    text = (rationale or "").strip()
    if not text:
        raise JudgementError(_("a rationale is required"))
    if len(text) > MAX_RATIONALE:
        raise JudgementError(
            _("the rationale is too long (more than %(max)s characters)"),
            params={"max": MAX_RATIONALE},
        )
    return text


def _check_assessors(dossier: Any, mode: str, assessors: Sequence[Any | None]) -> dict[int, Any]:
    """The assessors named in advance as {slot: user}, checked: at most one per place of the
    mode, different people, each a member with EDIT."""
    required = 2 if mode == Judgement.Mode.DOUBLE else 1
    named = list(assessors)
    if len(named) > required or sum(a is not None for a in named) > required:
        raise JudgementError(
            _("this way of working has at most %(count)s assessor(s)"),
            params={"count": required},
        )
    places = {slot: user for slot, user in enumerate(named, start=1) if user is not None}
    ids = [user.pk for user in places.values()]
    if len(set(ids)) != len(ids):
        raise JudgementError(_("the two assessors must be different people"))
    for user in places.values():
        if not role_allows(_role(dossier, user), Capability.EDIT):
            raise JudgementError(
                _("%(user)s cannot assess in this dossier (role without edit rights)"),
                params={"user": user.get_username()},
            )
    return places


def _assigned_state(judgement: Judgement) -> dict[str, Any]:
    return {
        "assessor_1": _user_label(judgement.assigned_1) or None,
        "assessor_2": _user_label(judgement.assigned_2) or None,
    }


def _reopen_if_signed(judgement: Judgement, changes: _Changes, *, reason: str) -> bool:
    """After sign-off any change reopens: clear the sign-off, status *heropend*, record it in
    ``changes`` (the caller saves the judgement and logs)."""
    if judgement.status != Judgement.Status.SIGNED_OFF:
        return False
    before = {
        "status": judgement.status,
        "signed_off_by": _user_label(judgement.signed_off_by),
        "signed_off_at": judgement.signed_off_at.isoformat() if judgement.signed_off_at else None,
    }
    judgement.status = Judgement.Status.REOPENED
    judgement.signed_off_by = None
    judgement.signed_off_at = None
    after = {"status": judgement.status, "reason": reason}
    changes.record(
        judgement,
        action=JudgementEvent.Action.REOPENED,
        summary=f"Heropend na aftekenen: {reason}",
        audit_action="judgements.reopen",
        audit_summary=f"Oordeel heropend: {judgement} ({reason})",
        before=before,
        after=after,
    )
    return True


def _attach(
    judgement: Judgement, subject: models.Model, citations: Iterable[Any], actor: Any
) -> list[int]:
    from kansenaudit.web.evidence.selectors import citation_is_held
    from kansenaudit.web.policy.services import PolicyError, evidence_link_add

    added = []
    for citation in citations:
        if citation.dossier_id != judgement.dossier_id:
            raise JudgementError(_("this citation does not belong to this dossier"))
        # A citation held for a blind assessment goes only with its author's assessment of
        # that judgement: anywhere else it would show before the judgement is no longer blind.
        if citation_is_held(citation) and not (
            citation.held_for_id == judgement.pk
            and isinstance(subject, Assessment)
            and citation.created_by_id == getattr(actor, "pk", None)
        ):
            raise JudgementError(
                gettext(
                    "this citation belongs to an assessment that is still blind; "
                    "add it to that assessment"
                )
            )
        try:
            # The caller's own audit entry records the citations, blinded while it must be.
            evidence_link_add(
                dossier=judgement.dossier,
                subject=subject,
                citation=citation,
                actor=actor,
                audit=False,
            )
        except PolicyError as exc:
            raise JudgementError(str(exc)) from exc
        added.append(citation.pk)
    return added


def _blind_after(judgement: Judgement) -> bool:
    return judgement.assessments.count() < judgement.required_assessments
