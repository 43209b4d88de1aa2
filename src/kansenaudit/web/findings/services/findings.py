# SPDX-License-Identifier: EUPL-1.2
"""Norms, findings and their evidence, review and sign-off (see the package docstring)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansenaudit.policy import frameworks as fw_lib
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.findings import registry
from kansenaudit.web.findings.models import (
    EvidenceRef,
    Finding,
    FindingEvent,
    Norm,
    ReviewNote,
)
from kansenaudit.web.findings.services._common import (
    FRAMEWORK_KEYS,
    MAX_NOTE,
    MAX_TEXT,
    MAX_TITLE,
    FindingsError,
    _code,
    _event,
    _lock,
    _reopen_if_signed,
    _same_dossier,
    _sub_question,
    clean,
    content_of,
    require,
)

# --- the normenkader ------------------------------------------------------------------------------


def norm_create(
    *,
    dossier: Any,
    code: str,
    title: str,
    source_kind: str,
    source: str,
    actor: Any,
    criteria: str = "",
    sub_question: Any = None,
    framework_key: str = "",
    criterion_code: str = "",
) -> Norm:
    require(dossier, actor, Capability.EDIT)
    if source_kind not in Norm.SourceKind.values:
        raise FindingsError(_("Unknown kind of source."))
    with transaction.atomic():
        code = _code(code)
        if Norm.objects.filter(dossier=dossier, code=code).exists():
            raise FindingsError(_("Norm %(code)s already exists."), {"code": code})
        norm = Norm.objects.create(
            dossier=dossier,
            sub_question=_sub_question(dossier, sub_question),
            code=code,
            title=clean(title, limit=MAX_TITLE, what=_("The norm")),
            criteria=clean(criteria, limit=MAX_TEXT, what=_("The criteria"), required=False),
            source_kind=source_kind,
            source=clean(source, limit=500, what=_("The source")),
            framework_key=framework_key,
            criterion_code=criterion_code,
        )
        audit_record(
            actor=actor,
            action="findings.norm_create",
            dossier=dossier,
            target=norm,
            summary=f"norm {norm.code} toegevoegd",
            after={"code": norm.code, "title": norm.title, "source": norm.source},
        )
    return norm


def norms_seed(*, dossier: Any, actor: Any, sub_question: Any = None) -> list[Norm]:
    """One norm per criterion of the assessment frameworks (the dossier's own version where it
    has one, else the shipped one), with the framework's source and version; existing codes
    are kept as they are."""
    from kansenaudit.web.judgements.stored_frameworks import framework_current, framework_of

    require(dossier, actor, Capability.EDIT)
    created: list[Norm] = []
    with transaction.atomic():
        existing = set(Norm.objects.filter(dossier=dossier).values_list("code", flat=True))
        for key in FRAMEWORK_KEYS:
            record = framework_current(dossier, key)
            framework = framework_of(record) if record else fw_lib.framework(key)
            version = record.version if record else 1
            for criterion in framework.criteria:
                code = f"{key}.{criterion.code}"[:32]
                if code in existing:
                    continue
                source = f"{framework.name}, versie {version}. {framework.source}"
                created.append(
                    Norm.objects.create(
                        dossier=dossier,
                        sub_question=_sub_question(dossier, sub_question),
                        code=code,
                        title=f"{criterion.name}: {criterion.question}"[:MAX_TITLE],
                        criteria=criterion.guidance,
                        source_kind=Norm.SourceKind.KADER,
                        source=source[:500],
                        framework_key=key,
                        criterion_code=criterion.code,
                    )
                )
        if created:
            audit_record(
                actor=actor,
                action="findings.norms_seed",
                dossier=dossier,
                summary=f"{len(created)} normen uit de beoordelingskaders",
                after={"codes": [n.code for n in created]},
            )
    return created


def norm_change(
    *, norm: Norm, title: str, criteria: str, source_kind: str, source: str, actor: Any
) -> Norm:
    """Change a norm; a real change raises its version, an unchanged save changes nothing."""
    require(norm.dossier, actor, Capability.EDIT)
    if source_kind not in Norm.SourceKind.values:
        raise FindingsError(_("Unknown kind of source."))
    new = {
        "title": clean(title, limit=MAX_TITLE, what=_("The norm")),
        "criteria": clean(criteria, limit=MAX_TEXT, what=_("The criteria"), required=False),
        "source_kind": source_kind,
        "source": clean(source, limit=500, what=_("The source")),
    }
    with transaction.atomic():
        norm = Norm.objects.select_for_update().get(pk=norm.pk)
        before = {k: getattr(norm, k) for k in new}
        if before == new:
            return norm
        for k, v in new.items():
            setattr(norm, k, v)
        norm.version += 1
        norm.save()
        audit_record(
            actor=actor,
            action="findings.norm_change",
            dossier=norm.dossier,
            target=norm,
            summary=f"norm {norm.code} versie {norm.version}",
            before=before,
            after=new,
        )
    return norm


# --- findings -------------------------------------------------------------------------------------


def _verdict(verdict: str) -> str:
    if verdict not in Finding.Verdict.values:
        raise FindingsError(_("Unknown verdict."))
    return verdict


def finding_create(
    *,
    dossier: Any,
    sub_question: Any,
    code: str,
    title: str,
    text: str,
    actor: Any,
    verdict: str = "",
    norms: Sequence[Norm] = (),
    is_demo: bool = False,
) -> Finding:
    require(dossier, actor, Capability.EDIT)
    if sub_question is None:
        raise FindingsError(_("A finding belongs to a sub-question."))
    norms = _same_dossier(dossier, norms, _("Norms"))
    with transaction.atomic():
        code = _code(code)
        if Finding.objects.filter(dossier=dossier, code=code).exists():
            raise FindingsError(_("Finding %(code)s already exists."), {"code": code})
        finding = Finding.objects.create(
            dossier=dossier,
            sub_question=_sub_question(dossier, sub_question),
            code=code,
            title=clean(title, limit=MAX_TITLE, what=_("The title")),
            text=clean(text, limit=MAX_TEXT, what=_("The text")),
            verdict=_verdict(verdict),
            preparer=actor,
            is_demo=is_demo,
        )
        finding.norms.set(norms)
        after = content_of(finding)
        _event(finding, actor, FindingEvent.Action.CREATED, "opgesteld", after=after)
        audit_record(
            actor=actor,
            action="findings.finding_create",
            dossier=dossier,
            target=finding,
            summary=f"bevinding {finding.code} opgesteld",
            after=after,
        )
    return finding


def finding_change(
    *,
    finding: Finding,
    title: str,
    text: str,
    verdict: str,
    norms: Sequence[Norm],
    sub_question: Any,
    actor: Any,
) -> Finding:
    """Change a finding's content. An unchanged save changes nothing; a change after sign-off
    reopens the finding."""
    require(finding.dossier, actor, Capability.EDIT)
    norms = _same_dossier(finding.dossier, norms, _("Norms"))
    with transaction.atomic():
        finding = _lock(finding)
        before = content_of(finding)
        finding.title = clean(title, limit=MAX_TITLE, what=_("The title"))
        finding.text = clean(text, limit=MAX_TEXT, what=_("The text"))
        finding.verdict = _verdict(verdict)
        finding.sub_question = _sub_question(finding.dossier, sub_question)
        if sorted(n.code for n in norms) == before["norms"] and before == {
            **before,
            "title": finding.title,
            "text": finding.text,
            "verdict": finding.verdict,
            "sub_question": finding.sub_question_id,
        }:
            return finding
        finding.save()
        finding.norms.set(norms)
        after = content_of(finding)
        _event(finding, actor, FindingEvent.Action.CHANGED, "gewijzigd", before=before, after=after)
        _reopen_if_signed(finding, actor, before)
        audit_record(
            actor=actor,
            action="findings.finding_change",
            dossier=finding.dossier,
            target=finding,
            summary=f"bevinding {finding.code} gewijzigd",
            before=before,
            after=after,
        )
    return finding


def evidence_add(
    *, finding: Finding, kind: str, object_id: int, actor: Any, note: str = ""
) -> EvidenceRef:
    """Rest the finding on one piece of evidence of this dossier."""
    require(finding.dossier, actor, Capability.EDIT)
    evidence_kind = registry.kinds().get(kind)
    if evidence_kind is None:
        raise FindingsError(_("Unknown kind of evidence: %(kind)s."), {"kind": str(kind)[:40]})
    try:
        pk = int(object_id)
    except (TypeError, ValueError):
        raise FindingsError(_("An evidence reference is a number.")) from None
    obj = evidence_kind.load_many(finding.dossier, [pk]).get(pk) if pk > 0 else None
    if obj is None:
        raise FindingsError(
            _("There is no %(kind)s %(id)s in this dossier."),
            {"kind": str(evidence_kind.name), "id": pk},
        )
    note = clean(note, limit=500, what=_("The note"), required=False)
    with transaction.atomic():
        finding = _lock(finding)
        before = content_of(finding)
        if finding.refs.filter(kind=kind, object_id=pk).exists():
            raise FindingsError(_("The finding already rests on this evidence."))
        ref = EvidenceRef.objects.create(
            finding=finding,
            kind=kind,
            object_id=pk,
            label=evidence_kind.label(obj)[:500],
            note=note,
            fingerprint=registry.fingerprint(evidence_kind, obj),
        )
        _event(finding, actor, FindingEvent.Action.EVIDENCE, f"{kind}:{pk} {ref.label}"[:500])
        _reopen_if_signed(finding, actor, before)
        audit_record(
            actor=actor,
            action="findings.evidence_add",
            dossier=finding.dossier,
            target=finding,
            summary=f"bewijs {kind}:{pk} bij {finding.code}",
            after={"kind": kind, "id": pk, "label": ref.label},
        )
    return ref


def evidence_add_many(
    *, finding: Finding, refs: list[tuple[str, int]], actor: Any, note: str = ""
) -> list[EvidenceRef]:
    """Rest the finding on every ``(kind, id)`` of ``refs`` (the evidence picker): all or
    nothing, so a refused piece leaves the finding as it was."""
    if not refs:
        raise FindingsError(_("Tick at least one piece of evidence."))
    with transaction.atomic():
        return [
            evidence_add(finding=finding, kind=kind, object_id=pk, actor=actor, note=note)
            for kind, pk in dict.fromkeys(refs)
        ]


def evidence_remove(*, ref: EvidenceRef, actor: Any) -> None:
    finding = ref.finding
    require(finding.dossier, actor, Capability.EDIT)
    with transaction.atomic():
        finding = _lock(finding)
        before = content_of(finding)
        EvidenceRef.objects.filter(pk=ref.pk).delete()
        _event(
            finding,
            actor,
            FindingEvent.Action.EVIDENCE_REMOVED,
            f"{ref.kind}:{ref.object_id} {ref.label}"[:500],
        )
        _reopen_if_signed(finding, actor, before)
        audit_record(
            actor=actor,
            action="findings.evidence_remove",
            dossier=finding.dossier,
            target=finding,
            summary=f"bewijs {ref.kind}:{ref.object_id} weg bij {finding.code}",
            before={"kind": ref.kind, "id": ref.object_id, "label": ref.label},
        )


# --- review and sign-off ----------------------------------------------------------------------


def review_request(*, finding: Finding, actor: Any) -> Finding:
    """Offer a draft (or reopened) finding for review."""
    require(finding.dossier, actor, Capability.EDIT)
    with transaction.atomic():
        finding = _lock(finding)
        if finding.status not in (Finding.Status.DRAFT, Finding.Status.REOPENED):
            raise FindingsError(_("Only a draft or reopened finding can be offered for review."))
        finding.status = Finding.Status.REVIEW
        finding.save(update_fields=["status", "updated_at"])
        _event(finding, actor, FindingEvent.Action.TO_REVIEW, "ter review aangeboden")
        audit_record(
            actor=actor,
            action="findings.review_request",
            dossier=finding.dossier,
            target=finding,
            summary=f"bevinding {finding.code} ter review",
        )
    return finding


def note_add(
    *, finding: Finding, text: str, actor: Any, parent: ReviewNote | None = None
) -> ReviewNote:
    """A review note, or a reply in a note's thread."""
    require(finding.dossier, actor, Capability.COMMENT)
    text = clean(text, limit=MAX_NOTE, what=_("The note"))
    if parent is not None:
        if parent.finding_id != finding.pk:
            raise FindingsError(_("That note belongs to another finding."))
        parent = parent.parent or parent  # a reply to a reply joins the same thread
    with transaction.atomic():
        note = ReviewNote.objects.create(finding=finding, parent=parent, author=actor, text=text)
        _event(finding, actor, FindingEvent.Action.NOTE, text[:500])
        audit_record(
            actor=actor,
            action="findings.note_add",
            dossier=finding.dossier,
            target=finding,
            summary=f"reviewnotitie bij {finding.code}",
            after={"note": note.pk, "parent": parent.pk if parent else None},
        )
    return note


def note_resolve(*, note: ReviewNote, actor: Any) -> ReviewNote:
    finding = note.finding
    require(finding.dossier, actor, Capability.COMMENT)
    if note.parent_id is not None:
        raise FindingsError(_("A thread is resolved at its first note."))
    with transaction.atomic():
        if note.resolved_at is not None:
            raise FindingsError(_("This note has been resolved already."))
        note.resolved_at = timezone.now()
        note.resolved_by = actor
        note.save(update_fields=["resolved_at", "resolved_by"])
        _event(finding, actor, FindingEvent.Action.NOTE_RESOLVED, note.text[:500])
        audit_record(
            actor=actor,
            action="findings.note_resolve",
            dossier=finding.dossier,
            target=finding,
            summary=f"reviewnotitie bij {finding.code} afgehandeld",
        )
    return note


def _contributors(finding: Finding) -> set[int]:
    """Who wrote the finding's current content: its preparer and everyone who changed its
    content since the last sign-off."""
    content = (
        FindingEvent.Action.CREATED,
        FindingEvent.Action.CHANGED,
        FindingEvent.Action.EVIDENCE,
        FindingEvent.Action.EVIDENCE_REMOVED,
    )
    events = FindingEvent.objects.filter(finding=finding).order_by("id")
    last_sign = events.filter(action=FindingEvent.Action.SIGNED_OFF).last()
    if last_sign is not None:
        events = events.filter(id__gt=last_sign.id)
    people = set(events.filter(action__in=content).values_list("actor_id", flat=True))
    return {p for p in {finding.preparer_id, *people} if p is not None}


def sign_off(*, finding: Finding, actor: Any) -> Finding:
    """Sign off a finding in review: by a reviewer who did not write it, with no open review
    notes, on evidence that still exists. The evidence's fingerprints are taken now."""
    require(finding.dossier, actor, Capability.SIGN_OFF)
    with transaction.atomic():
        finding = _lock(finding)
        if finding.status != Finding.Status.REVIEW:
            raise FindingsError(_("Only a finding in review can be signed off."))
        if actor.pk in _contributors(finding):
            raise FindingsError(
                _("You wrote or changed this finding: another reviewer signs it off.")
            )
        if finding.notes.filter(parent__isnull=True, resolved_at__isnull=True).exists():
            raise FindingsError(_("Resolve the open review notes first."))
        refs = list(finding.refs.all())
        kinds = registry.kinds()
        for kind_key in {r.kind for r in refs}:
            kind = kinds.get(kind_key)
            own = [r for r in refs if r.kind == kind_key]
            found = kind.load_many(finding.dossier, [r.object_id for r in own]) if kind else {}
            for ref in own:
                obj = found.get(ref.object_id)
                if obj is None or kind is None:
                    raise FindingsError(
                        _("Evidence %(ref)s no longer exists: remove or replace it first."),
                        {"ref": f"{ref.kind}:{ref.object_id}"},
                    )
                ref.fingerprint = registry.fingerprint(kind, obj)
                ref.save(update_fields=["fingerprint"])
        content = content_of(finding)
        finding.status = Finding.Status.SIGNED_OFF
        finding.signed_off_by = actor
        finding.signed_off_at = timezone.now()
        finding.signed_content = content
        finding.save()
        _event(finding, actor, FindingEvent.Action.SIGNED_OFF, "afgetekend", after=content)
        audit_record(
            actor=actor,
            action="findings.sign_off",
            dossier=finding.dossier,
            target=finding,
            summary=f"bevinding {finding.code} afgetekend",
            after={"status": finding.status},
        )
    return finding
