# SPDX-License-Identifier: EUPL-1.2
"""Writes of the mirror of practice against policy theory (§4.2.5 of the research design).

The rules, as for the judgements:

* the rows of a measure are its policy theory: a row per step and per assumed link
  (:func:`mirror_start`; starting again adds only new elements);
* two members with EDIT each give a verdict, a rationale and the coded segments it rests on
  (:func:`mirror_assess`); until both are in, neither sees the other's (the selectors blind it,
  and the audit log records that a verdict was given, not which);
* the consensus needs both verdicts and rests on segments or citations unless the element was
  not addressed (:func:`mirror_consensus`);
* the sign-off needs SIGN_OFF, a consensus, and a reviewer who neither assessed the row nor
  recorded its consensus (:func:`mirror_sign_off`); a new consensus clears the sign-off.

Every function runs in one transaction and records an audit event last.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.coding import selectors
from kansenaudit.web.coding.models import MirrorAssessment, MirrorRow, Segment
from kansenaudit.web.coding.services import MAX_TEXT, CodingError, require, user_label
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.roles import Capability


def _label_step(step: Any) -> str:
    return f"{step.get_kind_display()}: {step.text}"


def _label_link(link: Any) -> str:
    return f"{link.source.text} → {link.target.text}"


def mirror_start(*, dossier: Any, measure: Any, actor: Any) -> list[MirrorRow]:
    """The rows of ``measure``'s mirror: one per step and per assumed link of its policy theory,
    in the order of the chain. Returns the rows that are new."""
    from kansenaudit.web.policy.models import TheoryStep

    require(dossier, actor)
    if measure.dossier_id != dossier.pk:
        raise CodingError(_("The measure is not in this dossier"))
    steps = sorted(
        measure.theory_steps.all(),
        key=lambda s: (TheoryStep.KIND_ORDER.get(s.kind, 9), s.order, s.pk),
    )
    links = list(measure.theory_links.select_related("source", "target"))
    if not steps and not links:
        raise CodingError(
            _("%(measure)s has no policy theory yet: add its steps and links in the register"),
            params={"measure": measure.name},
        )
    created: list[MirrorRow] = []
    with transaction.atomic():
        have_steps = set(
            MirrorRow.objects.filter(measure=measure, step__isnull=False).values_list(
                "step_id", flat=True
            )
        )
        have_links = set(
            MirrorRow.objects.filter(measure=measure, link__isnull=False).values_list(
                "link_id", flat=True
            )
        )
        order = 0
        for step in steps:
            order += 1
            if step.pk not in have_steps:
                created.append(
                    MirrorRow.objects.create(
                        dossier=dossier,
                        measure=measure,
                        step=step,
                        element=MirrorRow.Element.STEP,
                        label=_label_step(step)[:600],
                        order=order,
                    )
                )
        for link in links:
            order += 1
            if link.pk not in have_links:
                created.append(
                    MirrorRow.objects.create(
                        dossier=dossier,
                        measure=measure,
                        link=link,
                        element=MirrorRow.Element.LINK,
                        label=_label_link(link)[:600],
                        order=order,
                    )
                )
        if created:
            audit_record(
                actor=actor,
                action="coding.mirror_started",
                dossier=dossier,
                target=measure,
                summary=f"Spiegel van de praktijk gestart: {measure.name} ({len(created)} rijen)",
                after={"measure": measure.pk, "rows": [r.pk for r in created]},
            )
    return created


def _clean(verdict: str, rationale: str) -> tuple[str, str]:
    if verdict not in MirrorRow.Verdict.values:
        raise CodingError(_("Unknown verdict %(verdict)s"), params={"verdict": repr(verdict)[:40]})
    text = (rationale or "").strip()
    if not text:
        raise CodingError(_("Give the rationale of the verdict"))
    if len(text) > MAX_TEXT:
        raise CodingError(
            _("The rationale is longer than %(n)s characters"), params={"n": MAX_TEXT}
        )
    return verdict, text


def _check_segments(row: MirrorRow, segments: Iterable[Segment]) -> list[Segment]:
    """The segments, refused unless each is in the dossier, outside the blind part of the
    double-coding sample and clear of withdrawn words."""
    chosen = list(segments)
    if not chosen:
        return []
    blind = selectors.blind_transcript_ids(row.dossier)
    withdrawn = selectors.withdrawn_by_transcript(row.dossier)
    for s in chosen:
        if s.dossier_id != row.dossier_id:
            raise CodingError(_("The segment is not in this dossier"))
        if s.transcript_id in blind:
            raise CodingError(
                _("Segment %(n)s is in a transcript that is still coded blind"),
                params={"n": s.pk},
            )
        if selectors.segment_withdrawn(s, withdrawn):
            raise CodingError(
                _("Segment %(n)s holds words of a participant who withdrew consent"),
                params={"n": s.pk},
            )
    return chosen


def _lock(row: MirrorRow) -> MirrorRow:
    return MirrorRow.objects.select_for_update().select_related("dossier", "measure").get(pk=row.pk)


def mirror_assess(
    *, row: MirrorRow, actor: Any, verdict: str, rationale: str, segments: Iterable[Segment] = ()
) -> MirrorAssessment:
    """Give (or change) ``actor``'s own verdict on ``row``; at most two assessors a row."""
    require(row.dossier, actor)
    if getattr(actor, "pk", None) is None:
        raise CodingError(_("Only a team member can give a verdict"))
    verdict, text = _clean(verdict, rationale)
    with transaction.atomic():
        row = _lock(row)
        if row.consensus_at is not None:
            raise CodingError(
                _("The consensus of this row is recorded: change the consensus instead")
            )
        chosen = _check_segments(row, segments)
        mine = MirrorAssessment.objects.filter(row=row, assessor=actor).first()
        if mine is None:
            used = set(MirrorAssessment.objects.filter(row=row).values_list("slot", flat=True))
            free = [n for n in (1, 2) if n not in used]
            if not free:
                raise CodingError(_("This row already has two assessors"))
            mine = MirrorAssessment(row=row, assessor=actor, slot=free[0])
            action = "coding.mirror_assessed"
        else:
            action = "coding.mirror_assessment_changed"
        mine.verdict, mine.rationale, mine.submitted_at = verdict, text, timezone.now()
        mine.save()
        mine.segments.set(chosen)
        if row.status == MirrorRow.Status.OPEN:
            row.status = MirrorRow.Status.ASSESSING
            row.save(update_fields=["status"])
        # Only that a verdict was given: the other assessor can read the audit log.
        audit_record(
            actor=actor,
            action=action,
            dossier=row.dossier,
            target=row,
            summary=f"Spiegel: beoordeling {mine.slot} gegeven voor rij {row.pk}",
            after={"row": row.pk, "slot": mine.slot},
        )
    return mine


def mirror_consensus(
    *,
    row: MirrorRow,
    actor: Any,
    verdict: str,
    rationale: str,
    segments: Iterable[Segment] = (),
    citations: Iterable[Any] = (),
) -> MirrorRow:
    """Record the team's verdict on ``row`` once both assessors are in; it rests on coded
    segments or citations unless the element was not addressed. Clears a sign-off."""
    require(row.dossier, actor)
    verdict, text = _clean(verdict, rationale)
    chosen_citations = list(citations)
    with transaction.atomic():
        row = _lock(row)
        if MirrorAssessment.objects.filter(row=row).count() < 2:
            raise CodingError(_("The consensus waits for the verdicts of both assessors"))
        chosen = _check_segments(row, segments)
        for c in chosen_citations:
            if c.dossier_id != row.dossier_id:
                raise CodingError(_("The citation is not in this dossier"))
        if verdict != MirrorRow.Verdict.NOT_ADDRESSED and not chosen and not chosen_citations:
            raise CodingError(
                _("A verdict other than 'not addressed' rests on coded segments or citations")
            )
        before = mirror_state(row)
        row.verdict, row.rationale = verdict, text
        row.consensus_by = actor if getattr(actor, "pk", None) else None
        row.consensus_at = timezone.now()
        row.status = MirrorRow.Status.CONSENSUS
        row.signed_off_by, row.signed_off_at = None, None
        row.save()
        row.segments.set(chosen)
        row.citations.set(chosen_citations)
        audit_record(
            actor=actor,
            action="coding.mirror_consensus",
            dossier=row.dossier,
            target=row,
            summary=f"Spiegel: consensus vastgelegd voor rij {row.pk}",
            before=before,
            after=mirror_state(row),
        )
    return row


def mirror_sign_off(*, row: MirrorRow, actor: Any) -> MirrorRow:
    """Sign off the consensus of ``row`` (SIGN_OFF; preparer ≠ reviewer)."""
    require(row.dossier, actor, Capability.SIGN_OFF)
    with transaction.atomic():
        row = _lock(row)
        if row.consensus_at is None:
            raise CodingError(_("Signing off needs a consensus"))
        if row.status == MirrorRow.Status.SIGNED_OFF:
            raise CodingError(_("This row is already signed off"))
        uid = getattr(actor, "pk", None)
        assessors = set(
            MirrorAssessment.objects.filter(row=row).values_list("assessor_id", flat=True)
        )
        if uid is not None and (uid in assessors or uid == row.consensus_by_id):
            raise CodingError(
                _("Who assessed the row or recorded its consensus cannot sign it off")
            )
        row.status = MirrorRow.Status.SIGNED_OFF
        row.signed_off_by = actor if uid else None
        row.signed_off_at = timezone.now()
        row.save(update_fields=["status", "signed_off_by", "signed_off_at"])
        audit_record(
            actor=actor,
            action="coding.mirror_signed_off",
            dossier=row.dossier,
            target=row,
            summary=f"Spiegel: rij {row.pk} afgetekend",
            after={"row": row.pk, "signed_off_by": user_label(actor)},
        )
    return row


def mirror_state(row: MirrorRow) -> dict[str, Any]:
    return {
        "status": row.status,
        "verdict": row.verdict,
        "rationale": row.rationale,
        "segments": sorted(row.segments.values_list("pk", flat=True)) if row.pk else [],
        "citations": sorted(row.citations.values_list("pk", flat=True)) if row.pk else [],
        "signed_off_by": user_label(row.signed_off_by) if row.signed_off_by_id else None,
    }
