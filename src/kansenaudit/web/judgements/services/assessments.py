# SPDX-License-Identifier: EUPL-1.2
"""Starting judgements and writing assessments (submit, change, save) with their evidence."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kansenaudit.policy.frameworks import Framework
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.judgements.models import (
    Assessment,
    Judgement,
    JudgementEvent,
)
from kansenaudit.web.judgements.services._common import (
    JudgementError,
    _assigned_state,
    _attach,
    _blind_after,
    _Changes,
    _check_assessors,
    _check_rationale,
    _check_score,
    _lock,
    _reopen_if_signed,
    _require,
    _user_label,
)
from kansenaudit.web.judgements.services.frameworks import framework_ensure
from kansenaudit.web.judgements.stored_frameworks import (
    framework_of,
    score_label,
)
from kansenaudit.web.judgements.subjects import SUBJECT_KINDS


def judgements_start(
    *,
    dossier: Any,
    framework_key: str,
    subject: models.Model,
    criteria: Iterable[str] | None,
    mode: str,
    actor: Any | None,
    actor_label: str | None = None,
    assessors: Sequence[Any | None] = (),
) -> tuple[list[Judgement], list[str]]:
    """Start judgements of ``subject`` on ``criteria`` (None: all) of a framework.

    ``assessors`` names the assessors in advance, by place (``[first, second]``; None or a
    shorter list leaves a place open to the first member with EDIT who submits).
    Returns the new judgements and the codes skipped because a judgement already existed. The
    subject must be of the framework's kind and belong to ``dossier``.
    """
    if actor is not None and getattr(actor, "is_authenticated", False):
        _require(dossier, actor, Capability.EDIT, _("Start judgements"))
    if mode not in Judgement.Mode.values:
        raise JudgementError(
            _("unknown way of working %(mode)s: choose 'dubbel' or 'enkel'"),
            params={"mode": repr(mode)},
        )
    places = _check_assessors(dossier, mode, assessors)
    record = framework_ensure(dossier=dossier, key=framework_key, actor=actor)
    framework = framework_of(record)
    kind = SUBJECT_KINDS[record.subject_kind]
    if not kind.accepts(subject):
        raise JudgementError(
            _("the framework %(name)s assesses a %(kind)s"),
            params={"name": framework.name, "kind": kind.label},
        )
    if getattr(subject, "dossier_id", None) != dossier.pk:
        raise JudgementError(_("this subject does not belong to this dossier"))
    codes = list(framework.codes) if criteria is None else list(dict.fromkeys(criteria))
    if not codes:
        raise JudgementError(_("choose at least one criterion"))
    unknown = [c for c in codes if c not in framework.codes]
    if unknown:
        raise JudgementError(
            _("the framework %(name)s has no criterion %(codes)s"),
            params={"name": framework.name, "codes": ", ".join(map(repr, unknown))},
        )
    content_type = ContentType.objects.get_for_model(subject)
    created: list[Judgement] = []
    skipped: list[str] = []
    label = str(subject)[:300]
    changes = _Changes(actor=actor, actor_label=actor_label)
    with transaction.atomic():
        existing = set(
            Judgement.objects.filter(
                dossier=dossier,
                framework_key=framework.key,
                content_type=content_type,
                object_id=subject.pk,
            ).values_list("criterion_code", flat=True)
        )
        for code in codes:
            if code in existing:
                skipped.append(code)
                continue
            judgement = Judgement.objects.create(
                dossier=dossier,
                framework_key=framework.key,
                framework_version=record.version,
                criterion_code=code,
                content_type=content_type,
                object_id=subject.pk,
                subject_label=label,
                mode=mode,
                assigned_1=places.get(1),
                assigned_2=places.get(2),
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            after = {
                "framework": framework.key,
                "version": record.version,
                "criterion": code,
                "subject": label,
                "mode": mode,
                **_assigned_state(judgement),
            }
            changes.record(
                judgement,
                action=JudgementEvent.Action.CREATED,
                summary=f"Oordeel gestart: {framework.criterion(code).name} – {label}",
                audit_action="judgements.start",
                audit_summary=f"Oordeel gestart: {framework.key} {code} – {label}",
                after=after,
            )
            created.append(judgement)
        changes.log()
    return created, skipped


def _assessment_state(assessment: Assessment, framework: Framework) -> dict[str, Any]:
    return {
        "assessor": assessment.assessor.get_username(),
        "score": assessment.score,
        "not_applicable": assessment.not_applicable,
        "label": score_label(framework, assessment.score, assessment.not_applicable),
        "rationale": assessment.rationale,
    }


def assessment_refusal(judgement: Judgement, actor: Any) -> str | None:
    """Why ``actor`` cannot submit a (first) assessment of ``judgement`` now (translated), or None.

    The role (EDIT) is checked separately; this is the places: taken, or named for others."""
    assessments = list(judgement.assessments.all())
    if any(a.assessor_id == getattr(actor, "pk", None) for a in assessments):
        return gettext("you have already assessed this judgement")
    if len(assessments) >= judgement.required_assessments:
        return ngettext(
            "this judgement already has %(count)s assessor",
            "this judgement already has %(count)s assessors",
            len(assessments),
        ) % {"count": len(assessments)}
    try:
        _free_slot(judgement, actor, {a.slot for a in assessments})
    except JudgementError as exc:
        return str(exc)
    return None


def _free_slot(judgement: Judgement, actor: Any, used: set[int]) -> int:
    """The place ``actor`` takes: the one named for them, else the first place that is
    neither taken nor named for someone else."""
    assigned = judgement.assigned
    for slot, user_id in assigned.items():
        if user_id == actor.pk:
            return slot
    free = [
        slot
        for slot in range(1, judgement.required_assessments + 1)
        if slot not in used and slot not in assigned
    ]
    if not free:
        names = ", ".join(
            _user_label(user)
            for user in (judgement.assigned_1, judgement.assigned_2)
            if user is not None
        )
        raise JudgementError(_("this judgement is assigned to %(names)s"), params={"names": names})
    return free[0]


def _assessment_write(
    *,
    judgement: Judgement,
    actor: Any,
    score: Any,
    not_applicable: bool,
    rationale: str,
    citations: Iterable[Any],
    change: bool,
) -> Assessment:
    _require(judgement.dossier, actor, Capability.EDIT, _("Assess"))
    record = framework_ensure(dossier=judgement.dossier, key=judgement.framework_key)
    framework = framework_of(record)
    _check_score(framework, score, not_applicable)
    text = _check_rationale(rationale)
    citations = list(citations)
    with transaction.atomic():
        judgement = _lock(judgement)
        assessments = list(judgement.assessments.select_related("assessor"))
        mine = next((a for a in assessments if a.assessor_id == actor.pk), None)
        now = timezone.now()
        if change:
            if mine is None:
                raise JudgementError(_("you have not assessed this judgement yet"))
            before = _assessment_state(mine, framework)
            mine.score, mine.not_applicable, mine.rationale = score, not_applicable, text
            mine.framework_version = record.version
            mine.changed_at = now
            after = _assessment_state(mine, framework)
            if before == after and not citations:
                return mine
            mine.save()
            assessment = mine
            action, verb = JudgementEvent.Action.ASSESSMENT_CHANGED, "gewijzigd"
        else:
            if mine is not None:
                raise JudgementError(
                    _(
                        "you have already assessed this judgement; the same assessor cannot "
                        "assess twice (change your assessment)"
                    )
                )
            if len(assessments) >= judgement.required_assessments:
                others = ", ".join(a.assessor.get_username() for a in assessments)
                raise JudgementError(
                    _("this judgement already has %(count)s assessor(s) (%(names)s)"),
                    params={"count": len(assessments), "names": others},
                )
            slot = _free_slot(judgement, actor, {a.slot for a in assessments})
            assessment = Assessment.objects.create(
                judgement=judgement,
                slot=slot,
                assessor=actor,
                score=score,
                not_applicable=not_applicable,
                rationale=text,
                framework_version=record.version,
                submitted_at=now,
            )
            before = None
            after = _assessment_state(assessment, framework)
            action, verb = JudgementEvent.Action.ASSESSED, "ingediend"
            if judgement.status == Judgement.Status.OPEN:
                judgement.status = Judgement.Status.IN_REVIEW
        cited = _attach(judgement, assessment, citations, actor)
        if cited:
            after = {**after, "citations_added": cited}
        changes = _Changes(actor=actor)
        reopened = _reopen_if_signed(
            judgement, changes, reason=f"beoordeling {assessment.slot} {verb}"
        )
        judgement.save()
        blind = _blind_after(judgement)
        if not blind and not change:
            # The last assessment is in: the citations held for the assessments become
            # ordinary citations of the dossier, and the audit log now says what they are.
            from kansenaudit.web.evidence.services import citations_released

            changes.then(partial(citations_released, judgement, actor))
        changes.record(
            judgement,
            action=action,
            slot=assessment.slot,
            summary=f"Beoordeling {assessment.slot} {verb}",
            audit_action="judgements.assess" if not change else "judgements.assessment_change",
            audit_summary=f"Beoordeling {assessment.slot} {verb}: {judgement}",
            before=before,
            after=after,
            # Withheld from the audit log while another assessment is outstanding.
            audit_before=None if blind or before is None else before,
            audit_after={"slot": assessment.slot, "hidden_until_all_in": True}
            if blind
            else {**after, "slot": assessment.slot, "reopened": reopened},
        )
        changes.log()
    return assessment


def assessment_submit(
    *,
    judgement: Judgement,
    actor: Any,
    score: Any,
    not_applicable: bool = False,
    rationale: str,
    citations: Iterable[Any] = (),
) -> Assessment:
    """Submit ``actor``'s independent assessment. Refused for a member without EDIT, for a
    second assessment by the same assessor, and when all assessors' places are taken."""
    return _assessment_write(
        judgement=judgement,
        actor=actor,
        score=score,
        not_applicable=not_applicable,
        rationale=rationale,
        citations=citations,
        change=False,
    )


def assessment_change(
    *,
    judgement: Judgement,
    actor: Any,
    score: Any,
    not_applicable: bool = False,
    rationale: str,
    citations: Iterable[Any] = (),
) -> Assessment:
    """Change ``actor``'s own assessment (reopens the judgement after sign-off)."""
    return _assessment_write(
        judgement=judgement,
        actor=actor,
        score=score,
        not_applicable=not_applicable,
        rationale=rationale,
        citations=citations,
        change=True,
    )


@dataclass(frozen=True)
class AssessmentSaved:
    """What :func:`assessment_save` did: the assessment, and whether it was a change."""

    assessment: Assessment
    changed: bool  # True: the actor's earlier assessment changed; False: a new one submitted


def assessment_save(
    *,
    judgement: Judgement,
    actor: Any,
    score: Any,
    not_applicable: bool = False,
    rationale: str,
    citations: Iterable[Any] = (),
) -> AssessmentSaved:
    """Submit ``actor``'s assessment, or change it if they have assessed this judgement
    already: the one form of the judgement page. The rules are those of
    :func:`assessment_submit` and :func:`assessment_change`."""
    changed = judgement.assessments.filter(assessor=actor).exists()
    write = assessment_change if changed else assessment_submit
    assessment = write(
        judgement=judgement,
        actor=actor,
        score=score,
        not_applicable=not_applicable,
        rationale=rationale,
        citations=citations,
    )
    return AssessmentSaved(assessment, changed)
