# SPDX-License-Identifier: EUPL-1.2
"""Judgements, their assessments, history and evidence, read with the blindness rule applied
(see the package docstring)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from kansenaudit.policy.frameworks import Framework
from kansenaudit.web.core import audit_text
from kansenaudit.web.evidence.selectors import citations_visible_to
from kansenaudit.web.judgements.models import (
    Assessment,
    Judgement,
    JudgementEvent,
)
from kansenaudit.web.judgements.selectors.frameworks import framework_for_judgement
from kansenaudit.web.judgements.stored_frameworks import (
    score_label,
)

HIDDEN = "verborgen tot alle beoordelingen binnen zijn"


# Citations offered on an assessment form; older ones are left out of the list.
MAX_CITATION_CHOICES = 500


def judgements_for_dossier(dossier: Any, framework_key: str | None = None) -> QuerySet[Judgement]:
    items = Judgement.objects.filter(dossier=dossier).select_related(
        "consensus_by", "signed_off_by", "content_type", "assigned_1", "assigned_2"
    )
    if framework_key:
        items = items.filter(framework_key=framework_key)
    return items.prefetch_related("assessments__assessor")


def judgement_in_dossier(dossier: Any, judgement_id: int) -> Judgement | None:
    return judgements_for_dossier(dossier).filter(pk=judgement_id).first()


def assessor_choices(dossier: Any) -> list[tuple[int, str]]:
    """The members who may assess (role with EDIT), as (user id, name)."""
    from kansenaudit.web.dossiers.models import Membership
    from kansenaudit.web.dossiers.roles import Capability, role_allows

    members = Membership.objects.filter(dossier=dossier).select_related("user")
    return sorted(
        (
            (m.user_id, m.user.get_full_name() or m.user.get_username())
            for m in members
            if role_allows(m.role, Capability.EDIT) and m.user.is_active
        ),
        key=lambda choice: choice[1].lower(),
    )


def assessors_by_id(dossier: Any, ids: list[int | None]) -> list[Any | None]:
    """The users behind chosen ids, place by place (None stays None); refused unless each is a
    member who may assess (see :func:`assessor_choices`)."""
    from django.contrib.auth import get_user_model

    from kansenaudit.web.judgements.services import JudgementError

    allowed = {pk for pk, _label in assessor_choices(dossier)}
    if any(pk is not None and pk not in allowed for pk in ids):
        raise JudgementError("kies beoordelaars uit het team van dit dossier")
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=[i for i in ids if i])}
    return [users.get(pk) if pk else None for pk in ids]


def awaiting_assessment(dossier: Any, user: Any) -> list[Judgement]:
    """The judgements with a place named for ``user`` that ``user`` has not assessed yet."""
    if not getattr(user, "pk", None):
        return []
    named = Q(assigned_1=user) | Q(assigned_2=user)
    return list(
        judgements_for_dossier(dossier)
        .filter(named)
        .exclude(assessments__assessor=user)
        .order_by("framework_key", "subject_label", "criterion_code", "pk")
    )


def is_blind(judgement: Judgement) -> bool:
    """Whether the judgement still waits for an assessment (so assessments are hidden)."""
    return len(judgement.assessments.all()) < judgement.required_assessments


def blind_judgements(dossier: Any = None) -> QuerySet[Judgement]:
    """The judgements (of ``dossier``, or all) that still wait for an assessment: the query
    form of :func:`is_blind`, for the citations held for them (``Citation.held_for``)."""
    items = (
        Judgement.objects.all() if dossier is None else Judgement.objects.filter(dossier=dossier)
    )
    return items.annotate(submitted=Count("assessments")).filter(
        Q(mode=Judgement.Mode.DOUBLE, submitted__lt=2) | Q(submitted__lt=1)
    )


def may_cite_for(judgement: Judgement, user: Any) -> bool:
    """Whether ``user`` may hold a citation for their assessment of ``judgement``: it is still
    blind, and ``user`` has assessed it or may still take a place (the role is checked apart)."""
    from kansenaudit.web.judgements.services import assessment_refusal

    if not getattr(user, "pk", None) or not is_blind(judgement):
        return False
    if any(a.assessor_id == user.pk for a in judgement.assessments.all()):
        return True
    return assessment_refusal(judgement, user) is None


def cite_for_choices(dossier: Any, user: Any) -> list[Judgement]:
    """The blind judgements ``user`` can cite for (see :func:`may_cite_for`), for the viewer."""
    if not getattr(user, "pk", None):
        return []
    candidates = judgements_for_dossier(dossier).filter(
        pk__in=blind_judgements(dossier).values("pk")
    )
    return [j for j in candidates if may_cite_for(j, user)]


@dataclass(frozen=True)
class AssessmentView:
    """One assessment as a given user may see it."""

    slot: int
    assessor: str
    submitted_at: Any
    changed_at: Any
    visible: bool  # False: score and rationale withheld (blindness)
    mine: bool
    score: Any = None
    not_applicable: bool = False
    label: str = ""
    rationale: str = ""
    assessment: Assessment | None = field(default=None, repr=False)


def visible_assessments(
    judgement: Judgement, viewer: Any | None, framework: Framework | None = None
) -> list[AssessmentView]:
    """The assessments of ``judgement`` as ``viewer`` may see them (None: nobody's own).

    Before every required assessment is in, only the viewer's own assessment carries its
    score and rationale; the others show that they exist, and by whom, but nothing else.
    """
    framework = framework or framework_for_judgement(judgement)
    blind = is_blind(judgement)
    viewer_id = getattr(viewer, "pk", None)
    result = []
    for a in sorted(judgement.assessments.all(), key=lambda a: a.slot):
        mine = viewer_id is not None and a.assessor_id == viewer_id
        visible = mine or not blind
        result.append(
            AssessmentView(
                slot=a.slot,
                assessor=a.assessor.get_username(),
                submitted_at=a.submitted_at,
                changed_at=a.changed_at,
                visible=visible,
                mine=mine,
                score=a.score if visible else None,
                not_applicable=a.not_applicable if visible else False,
                label=score_label(framework, a.score, a.not_applicable) if visible else "",
                rationale=a.rationale if visible else "",
                assessment=a if visible else None,
            )
        )
    return result


@dataclass(frozen=True)
class HistoryEntry:
    occurred_at: Any
    who: str
    action: str
    action_label: str
    summary: str
    before: dict | None
    after: dict | None
    hidden: bool
    changes: list[tuple[str, Any, Any]]


def _changes(before: dict | None, after: dict | None) -> list[tuple[str, Any, Any]]:
    """The fields that differ between ``before`` and ``after``, as people read them:
    (field label, old value or None, new value or None), named by the judgement's and the
    assessment's field labels (core.audit_text)."""
    return [
        (change.label, change.old, change.new)
        for change in audit_text.changes(before, after, Judgement, models_=(Assessment,))
    ]


def judgement_history(judgement: Judgement, viewer: Any | None) -> list[HistoryEntry]:
    """The judgement's history, oldest first; assessment contents blinded as in
    :func:`visible_assessments`."""
    blind = is_blind(judgement)
    own_slots = {
        a.slot for a in judgement.assessments.all() if a.assessor_id == getattr(viewer, "pk", None)
    }
    entries = []
    events = JudgementEvent.objects.filter(judgement=judgement).select_related("actor")
    for event in events.order_by("occurred_at", "id"):
        hidden = blind and event.slot is not None and event.slot not in own_slots
        before = None if hidden else event.before
        after = None if hidden else event.after
        entries.append(
            HistoryEntry(
                occurred_at=event.occurred_at,
                who=(event.actor.get_full_name() if event.actor else "") or event.actor_label,
                action=event.action,
                action_label=str(JudgementEvent.Action(event.action).label),
                summary=event.summary,
                before=before,
                after=after,
                hidden=hidden,
                changes=_changes(before, after),
            )
        )
    return entries


def changes_since_sign_off(judgement: Judgement, viewer: Any | None) -> list[HistoryEntry]:
    """For a reopened judgement: the history from the last sign-off on (what changed)."""
    if judgement.status != Judgement.Status.REOPENED:
        return []
    history = judgement_history(judgement, viewer)
    last = max(
        (i for i, e in enumerate(history) if e.action == JudgementEvent.Action.SIGNED_OFF),
        default=None,
    )
    return history[last + 1 :] if last is not None else []


def evidence_for(obj: Any) -> list[Any]:
    from kansenaudit.web.policy.selectors import evidence_links_for

    return list(evidence_links_for(obj))


def assessment_citations(viewer: Any, dossier: Any) -> list[Any]:
    """The citations ``viewer`` may attach to an assessment, newest first (at most
    ``MAX_CITATION_CHOICES``): the dossier's, and their own held for a blind assessment."""
    return list(
        citations_visible_to(viewer, dossier).order_by("-created_at")[:MAX_CITATION_CHOICES]
    )


def citations_chosen(viewer: Any, dossier: Any, ids: Iterable[Any]) -> list[Any]:
    """The citations with these ids that ``viewer`` may attach; any other id is left out."""
    return list(citations_visible_to(viewer, dossier).filter(pk__in=set(ids)))


def evidence_link(dossier: Any, link_id: int) -> Any | None:
    """An evidence link of one of the dossier's judgements (assessment or consensus), or None."""
    from kansenaudit.web.policy.models import JUDGEMENT_APP, EvidenceLink

    return (
        EvidenceLink.objects.filter(dossier=dossier, content_type__app_label=JUDGEMENT_APP)
        .select_related("content_type", "citation", "citation__document")
        .filter(pk=link_id)
        .first()
    )
