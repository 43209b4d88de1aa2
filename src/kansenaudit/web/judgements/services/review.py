# SPDX-License-Identifier: EUPL-1.2
"""Consensus, sign-off, removing evidence and naming assessors in advance."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
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


def _consensus_state(judgement: Judgement, framework: Framework) -> dict[str, Any] | None:
    return _consensus_snapshot(judgement, framework) if judgement.has_consensus else None


def _consensus_snapshot(judgement: Judgement, framework: Framework) -> dict[str, Any]:
    """The consensus as the history and the audit log store it (the judgement has one)."""
    return {
        "score": judgement.consensus_score,
        "not_applicable": judgement.consensus_not_applicable,
        "label": score_label(
            framework, judgement.consensus_score, judgement.consensus_not_applicable
        ),
        "rationale": judgement.consensus_rationale,
        "by": _user_label(judgement.consensus_by),
    }


def consensus_record(
    *,
    judgement: Judgement,
    actor: Any,
    score: Any,
    not_applicable: bool = False,
    rationale: str,
    citations: Iterable[Any] = (),
) -> Judgement:
    """Record the consensus score and rationale, once every required assessment is in.

    For a single-assessor judgement the assessment is the proposal (the form starts from it).
    A new consensus after sign-off reopens the judgement.
    """
    _require(judgement.dossier, actor, Capability.EDIT, _("Record consensus"))
    framework = framework_of(
        framework_ensure(dossier=judgement.dossier, key=judgement.framework_key)
    )
    _check_score(framework, score, not_applicable)
    text = _check_rationale(rationale)
    citations = list(citations)
    with transaction.atomic():
        judgement = _lock(judgement)
        count = judgement.assessments.count()
        if count < judgement.required_assessments:
            raise JudgementError(
                _(
                    "consensus is possible only when all assessments are in (%(count)s of "
                    "%(required)s)"
                ),
                params={"count": count, "required": judgement.required_assessments},
            )
        before = _consensus_state(judgement, framework)
        judgement.consensus_score = score
        judgement.consensus_not_applicable = not_applicable
        judgement.consensus_rationale = text
        judgement.consensus_by = actor
        previous_at, judgement.consensus_at = judgement.consensus_at, timezone.now()
        after = _consensus_snapshot(judgement, framework)
        if before == after and not citations:
            judgement.consensus_at = previous_at
            return judgement
        changes = _Changes(actor=actor)
        reopened = _reopen_if_signed(judgement, changes, reason="nieuwe consensus")
        if judgement.status in (Judgement.Status.OPEN, Judgement.Status.IN_REVIEW):
            judgement.status = Judgement.Status.CONSENSUS
        judgement.save()
        cited = _attach(judgement, judgement, citations, actor)
        if cited:
            after = {**after, "citations_added": cited}
        changes.record(
            judgement,
            action=JudgementEvent.Action.CONSENSUS,
            summary=f"Consensus: {after['label']}",
            audit_action="judgements.consensus",
            audit_summary=f"Consensus {after['label']}: {judgement}",
            before=before,
            after=after,
            audit_after={**after, "reopened": reopened},
        )
        changes.log()
    return judgement


def sign_off_refusal(judgement: Judgement, actor: Any) -> str | None:
    """Why ``actor`` may not sign off ``judgement`` now (translated), or None when they may.

    The role (SIGN_OFF) is checked separately; this is the state and preparer ≠ reviewer."""
    if not judgement.has_consensus:
        return gettext("sign-off is only possible after a consensus")
    if judgement.status == Judgement.Status.SIGNED_OFF:
        return gettext("this judgement has already been signed off")
    assessors = set(judgement.assessments.values_list("assessor_id", flat=True))
    if getattr(actor, "pk", None) in assessors:
        return gettext("an assessor cannot sign off (preparer ≠ reviewer)")
    if getattr(actor, "pk", None) == judgement.consensus_by_id:
        return gettext("whoever recorded the consensus cannot sign off (preparer ≠ reviewer)")
    return None


def sign_off(*, judgement: Judgement, actor: Any) -> Judgement:
    """Sign off a judgement: SIGN_OFF needed, a consensus, and preparer ≠ reviewer (the
    reviewer is neither an assessor nor the author of the consensus)."""
    _require(judgement.dossier, actor, Capability.SIGN_OFF, _("Sign off"))
    with transaction.atomic():
        judgement = _lock(judgement)
        refusal = sign_off_refusal(judgement, actor)
        if refusal:
            raise JudgementError(refusal)
        before = {"status": judgement.status}
        judgement.status = Judgement.Status.SIGNED_OFF
        judgement.signed_off_by = actor
        judgement.signed_off_at = timezone.now()
        judgement.save()
        after = {
            "status": judgement.status,
            "signed_off_by": actor.get_username(),
            "signed_off_at": judgement.signed_off_at.isoformat(),
        }
        changes = _Changes(actor=actor)
        changes.record(
            judgement,
            action=JudgementEvent.Action.SIGNED_OFF,
            summary="Afgetekend",
            audit_action="judgements.sign_off",
            audit_summary=f"Afgetekend: {judgement}",
            before=before,
            after=after,
        )
        changes.log()
    return judgement


def evidence_remove(*, judgement: Judgement, link: Any, actor: Any) -> Judgement:
    """Detach a citation from an assessment or the consensus of ``judgement``.

    From an assessment only its own assessor may remove evidence (another person's evidence is
    theirs to choose, and is hidden while the judgement is blind); from the consensus any member
    with EDIT. The citation stays in the evidence store. The removal enters the judgement's
    history (blinded like the assessment) and reopens a signed-off judgement.
    """
    _require(judgement.dossier, actor, Capability.EDIT, _("Remove evidence"))
    with transaction.atomic():
        judgement = _lock(judgement)
        subject_ct = link.content_type
        assessment = None
        if subject_ct == ContentType.objects.get_for_model(Assessment):
            assessment = judgement.assessments.filter(pk=link.object_id).first()
            if assessment is None:
                raise JudgementError(_("this evidence does not belong to this judgement"))
            if assessment.assessor_id != actor.pk:
                raise JudgementError(
                    _("only the assessor themselves can remove evidence from an assessment")
                )
        elif subject_ct != ContentType.objects.get_for_model(Judgement) or (
            link.object_id != judgement.pk
        ):
            raise JudgementError(_("this evidence does not belong to this judgement"))
        citation = link.citation
        before = {
            "citation": citation.pk,
            "document": citation.document.title,
            "page": citation.page_number,
            "quote": citation.quote[:500],
        }
        where = f"beoordeling {assessment.slot}" if assessment else "consensus"
        link.delete()
        changes = _Changes(actor=actor)
        reopened = _reopen_if_signed(judgement, changes, reason=f"bewijs verwijderd ({where})")
        judgement.save()
        blind = assessment is not None and _blind_after(judgement)
        changes.record(
            judgement,
            action=JudgementEvent.Action.EVIDENCE_REMOVED,
            slot=assessment.slot if assessment else None,
            summary=f"Bewijs verwijderd bij {where}",
            audit_action="judgements.evidence_remove",
            audit_summary=f"Bewijs verwijderd bij {where}: {judgement}",
            before=before,
            after=None,
            # Like the assessment itself, withheld from the audit log while the judgement is blind.
            audit_before={"hidden_until_all_in": True} if blind else before,
            audit_after={"reopened": reopened},
        )
        changes.log()
    return judgement


def assessors_assign(
    *, judgement: Judgement, assessors: Sequence[Any | None], actor: Any
) -> Judgement:
    """Name (or clear, with None) the assessor of each place of ``judgement`` in advance.

    A place whose assessment is in keeps its assessor: naming someone else there is refused.
    Nobody may be named for one place while they assessed the other.
    """
    _require(judgement.dossier, actor, Capability.EDIT, _("Assign assessors"))
    with transaction.atomic():
        judgement = _lock(judgement)
        places = _check_assessors(judgement.dossier, judgement.mode, assessors)
        done = {a.slot: a.assessor for a in judgement.assessments.select_related("assessor")}
        for slot in range(1, judgement.required_assessments + 1):
            wanted = places.get(slot)
            if slot in done and wanted is not None and wanted.pk != done[slot].pk:
                raise JudgementError(
                    _("assessment %(slot)s has already been submitted by %(user)s"),
                    params={"slot": slot, "user": _user_label(done[slot])},
                )
            if slot in done and wanted is None:
                # A place that is assessed stays as it was (named or not): its assessor is known.
                current = judgement.assigned_1 if slot == 1 else judgement.assigned_2
                if current is not None:
                    places[slot] = current
            other = done.get(3 - slot)
            if wanted is not None and other is not None and other.pk == wanted.pk:
                raise JudgementError(
                    _("%(user)s has already submitted assessment %(slot)s"),
                    params={"user": _user_label(wanted), "slot": 3 - slot},
                )
        before = _assigned_state(judgement)
        judgement.assigned_1, judgement.assigned_2 = places.get(1), places.get(2)
        after = _assigned_state(judgement)
        if before == after:
            return judgement
        judgement.save()
        summary = "Beoordelaars toegewezen: " + (
            ", ".join(name for name in after.values() if name) or "geen"
        )
        changes = _Changes(actor=actor)
        changes.record(
            judgement,
            action=JudgementEvent.Action.ASSIGNED,
            summary=summary,
            audit_action="judgements.assign",
            audit_summary=f"{summary}: {judgement}",
            before=before,
            after=after,
        )
        changes.log()
    return judgement
