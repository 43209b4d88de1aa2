"""Writes of the findings chain: norms, findings and their evidence, review and sign-off,
conclusions and recommendations. The wederhoor and the follow-up are in :mod:`.wederhoor`.

The rules (docs/findings.md):

* writing needs EDIT in the dossier, review notes COMMENT, sign-off SIGN_OFF;
* the reviewer who signs off is not the preparer and changed nothing of the finding since
  its last sign-off (preparer ≠ reviewer); open review notes block the sign-off;
* any change after sign-off (text, verdict, norms, evidence) reopens the finding: status
  *heropend*, sign-off cleared, and the history keeps what was signed and what it became;
* evidence is referenced by kind and id and must belong to the same dossier;
* a conclusion may build on other conclusions, never in a cycle.

Every function runs in one transaction, appends to the finding history where it concerns a
finding, and records an audit event last.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansenaudit.findings_logic import chain as chain_lib
from kansenaudit.policy import frameworks as fw_lib
from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.models import Membership
from kansenaudit.web.dossiers.roles import Capability, role_allows
from kansenaudit.web.findings import registry
from kansenaudit.web.findings.models import (
    Conclusion,
    EvidenceRef,
    Finding,
    FindingEvent,
    Norm,
    Recommendation,
    ReviewNote,
)

MAX_TITLE = 300
MAX_TEXT = 40_000
MAX_NOTE = 4000
FRAMEWORK_KEYS = ("analysemodel", "effectladder", "smart", "indicatorkwaliteit", "raadsinformatie")


class FindingsError(ServiceError):
    """A change the findings app refuses; the message is shown as it is."""


# --- helpers ------------------------------------------------------------------------------------


def require(dossier: Any, user: Any, capability: Capability) -> None:
    """Refuse unless ``user`` is a member of ``dossier`` whose role has ``capability``."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise FindingsError(_("Only a logged-in member of the dossier can do this."))
    role = (
        Membership.objects.filter(dossier=dossier, user=user).values_list("role", flat=True).first()
    )
    if not role_allows(role, capability):
        raise FindingsError(
            _("%(user)s may not do this in this dossier."), {"user": user.get_username()}
        )


def clean(text: str, *, limit: int, what: Any, required: bool = True) -> str:
    """``text`` without control characters (other than line breaks) and outer spaces."""
    text = "".join(ch for ch in (text or "") if ch in "\n\t" or ch >= " ").strip()
    text = text.replace("\r", "")
    if required and not text:
        raise FindingsError(_("%(what)s is empty."), {"what": what})
    if len(text) > limit:
        raise FindingsError(
            _("%(what)s is longer than %(limit)s characters."), {"what": what, "limit": limit}
        )
    return text


def _code(code: str) -> str:
    code = clean(code, limit=32, what=_("The code"))
    if any(ch.isspace() for ch in code):
        raise FindingsError(_("A code has no spaces."))
    return code


def _label(user: Any) -> str:
    return user.get_username()[:150]


def content_of(finding: Finding) -> dict[str, Any]:
    """What a sign-off covers: the finding's text, verdict, norms and evidence."""
    return {
        "code": finding.code,
        "title": finding.title,
        "text": finding.text,
        "verdict": finding.verdict,
        "sub_question": finding.sub_question_id,
        "norms": sorted(n.code for n in finding.norms.all()),
        "evidence": sorted(f"{r.kind}:{r.object_id}" for r in finding.refs.all()),
    }


def _event(finding: Finding, actor: Any, action: str, summary: str, **data: Any) -> None:
    FindingEvent.objects.create(
        finding=finding,
        dossier_id=finding.dossier_id,
        actor=actor,
        actor_label=_label(actor),
        action=action,
        summary=summary[:500],
        before=data.get("before"),
        after=data.get("after"),
    )


def _reopen_if_signed(finding: Finding, actor: Any, before: dict[str, Any]) -> bool:
    """A change to a signed-off finding reopens it; the history keeps what was signed."""
    if finding.status != Finding.Status.SIGNED_OFF:
        return False
    signed_by = finding.signed_off_by.get_username() if finding.signed_off_by else ""
    finding.status = Finding.Status.REOPENED
    finding.signed_off_by = None
    finding.signed_off_at = None
    finding.save(update_fields=["status", "signed_off_by", "signed_off_at", "updated_at"])
    _event(
        finding,
        actor,
        FindingEvent.Action.REOPENED,
        f"heropend na aftekening door {signed_by}",
        before=finding.signed_content or before,
        after=content_of(finding),
    )
    return True


def _lock(finding: Finding) -> Finding:
    return Finding.objects.select_for_update().select_related("dossier").get(pk=finding.pk)


def _sub_question(dossier: Any, sub_question: Any) -> Any:
    if sub_question is None:
        return None
    if getattr(sub_question, "dossier_id", None) != dossier.pk:
        raise FindingsError(_("That sub-question belongs to another dossier."))
    return sub_question


def _same_dossier(dossier: Any, objects: Iterable[Any], what: Any) -> list[Any]:
    items = list(objects)
    if any(getattr(o, "dossier_id", None) != dossier.pk for o in items):
        raise FindingsError(_("%(what)s of another dossier cannot be used."), {"what": what})
    return items


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


# --- conclusions and recommendations ------------------------------------------------------------


def conclusion_graph(dossier: Any) -> dict[chain_lib.Node, list[chain_lib.Node]]:
    """The conclusion → conclusion edges of the dossier (the only place a cycle can enter)."""
    through = Conclusion.builds_on.through
    rows = through.objects.filter(from_conclusion__dossier=dossier).values_list(
        "from_conclusion_id", "to_conclusion_id"
    )
    # An edge runs from what carries (the earlier conclusion) to what it carries.
    return chain_lib.adjacency((("conclusion", b), ("conclusion", a)) for a, b in rows)


def _check_no_cycle(dossier: Any, conclusion: Conclusion, builds_on: Iterable[Conclusion]) -> None:
    graph = conclusion_graph(dossier)
    for base in builds_on:
        if chain_lib.would_cycle(graph, ("conclusion", base.pk), ("conclusion", conclusion.pk)):
            raise FindingsError(
                _("%(a)s cannot build on %(b)s: that would make the chain circular."),
                {"a": conclusion.code, "b": base.code},
            )
        graph = {**graph}
        graph.setdefault(("conclusion", base.pk), []).append(("conclusion", conclusion.pk))


def conclusion_create(
    *,
    dossier: Any,
    code: str,
    text: str,
    actor: Any,
    sub_question: Any = None,
    findings: Sequence[Finding] = (),
    builds_on: Sequence[Conclusion] = (),
    is_demo: bool = False,
) -> Conclusion:
    require(dossier, actor, Capability.EDIT)
    findings = _same_dossier(dossier, findings, _("Findings"))
    builds_on = _same_dossier(dossier, builds_on, _("Conclusions"))
    with transaction.atomic():
        code = _code(code)
        if Conclusion.objects.filter(dossier=dossier, code=code).exists():
            raise FindingsError(_("Conclusion %(code)s already exists."), {"code": code})
        conclusion = Conclusion.objects.create(
            dossier=dossier,
            code=code,
            text=clean(text, limit=10_000, what=_("The conclusion")),
            sub_question=_sub_question(dossier, sub_question),
            is_demo=is_demo,
        )
        conclusion.findings.set(findings)
        conclusion.builds_on.set(builds_on)
        audit_record(
            actor=actor,
            action="findings.conclusion_create",
            dossier=dossier,
            target=conclusion,
            summary=f"conclusie {conclusion.code}",
            after={
                "findings": [f.code for f in findings],
                "builds_on": [c.code for c in builds_on],
            },
        )
    return conclusion


def conclusion_link(
    *,
    conclusion: Conclusion,
    actor: Any,
    findings: Sequence[Finding] = (),
    builds_on: Sequence[Conclusion] = (),
) -> Conclusion:
    """Add findings and conclusions that carry ``conclusion``; a cycle is refused."""
    dossier = conclusion.dossier
    require(dossier, actor, Capability.EDIT)
    findings = _same_dossier(dossier, findings, _("Findings"))
    builds_on = _same_dossier(dossier, builds_on, _("Conclusions"))
    with transaction.atomic():
        _check_no_cycle(dossier, conclusion, builds_on)
        conclusion.findings.add(*findings)
        conclusion.builds_on.add(*builds_on)
        audit_record(
            actor=actor,
            action="findings.conclusion_link",
            dossier=dossier,
            target=conclusion,
            summary=f"conclusie {conclusion.code} gekoppeld",
            after={
                "findings": [f.code for f in findings],
                "builds_on": [c.code for c in builds_on],
            },
        )
    return conclusion


def smart_checked(smart: dict[str, Any]) -> dict[str, int]:
    """The SMART check as criterion code → score on the ``smart`` framework's scale."""
    framework = fw_lib.framework("smart")
    allowed = {level.value for level in framework.scale.levels}
    result: dict[str, int] = {}
    for code, score in (smart or {}).items():
        if code not in framework.codes:
            raise FindingsError(_("SMART has no criterion %(code)s."), {"code": str(code)[:16]})
        if score in ("", None):
            continue
        try:
            value = int(score)
        except (TypeError, ValueError):
            raise FindingsError(_("A SMART score is a number on the scale.")) from None
        if value not in allowed:
            raise FindingsError(_("A SMART score is a number on the scale."))
        result[code] = value
    return result


def recommendation_create(
    *,
    dossier: Any,
    code: str,
    text: str,
    addressee: str,
    actor: Any,
    conclusions: Sequence[Conclusion] = (),
    smart: dict[str, Any] | None = None,
    is_demo: bool = False,
) -> Recommendation:
    require(dossier, actor, Capability.EDIT)
    if addressee not in Recommendation.Addressee.values:
        raise FindingsError(
            _("A recommendation is addressed to the college, the council or the organisation.")
        )
    conclusions = _same_dossier(dossier, conclusions, _("Conclusions"))
    if not conclusions:
        raise FindingsError(_("A recommendation follows from at least one conclusion."))
    with transaction.atomic():
        code = _code(code)
        if Recommendation.objects.filter(dossier=dossier, code=code).exists():
            raise FindingsError(_("Recommendation %(code)s already exists."), {"code": code})
        recommendation = Recommendation.objects.create(
            dossier=dossier,
            code=code,
            text=clean(text, limit=10_000, what=_("The recommendation")),
            addressee=addressee,
            smart=smart_checked(smart or {}),
            is_demo=is_demo,
        )
        recommendation.conclusions.set(conclusions)
        audit_record(
            actor=actor,
            action="findings.recommendation_create",
            dossier=dossier,
            target=recommendation,
            summary=f"aanbeveling {recommendation.code}",
            after={"conclusions": [c.code for c in conclusions], "smart": recommendation.smart},
        )
    return recommendation
