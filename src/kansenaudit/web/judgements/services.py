# SPDX-License-Identifier: EUPL-1.2
"""Writes to the judgements register. Every function runs in one transaction, appends to the
judgement history and records an audit event.

The rules (see docs/judgements.md):

* an assessor needs EDIT in the dossier; a judgement has one or two assessors, who differ;
  they may be named in advance per place (:func:`assessors_assign`), and a named place is
  taken only by its assessor;
* an assessor submits once (:func:`assessment_submit`) and may then change their assessment
  (:func:`assessment_change`);
* consensus needs EDIT and every required assessment;
* sign-off needs SIGN_OFF, a consensus, and a reviewer who is neither an assessor nor the
  consensus author (preparer ≠ reviewer);
* evidence is removed by :func:`evidence_remove`: from an assessment only by its assessor, from
  the consensus by a member with EDIT;
* any change after sign-off (an assessment, the consensus, evidence) reopens the judgement:
  status *heropend*, sign-off cleared, and the history keeps what changed.

While a judgement still waits for an assessment, the audit log records that an assessment was
submitted but not its score or rationale (the audit log is readable by the other assessor); the
judgement history keeps the full content and :mod:`.selectors` blinds it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kansenaudit import safe_json
from kansenaudit.policy import frameworks as fw_lib
from kansenaudit.policy.frameworks import Framework, FrameworkError
from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.json_errors import json_problem
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.models import Membership
from kansenaudit.web.dossiers.roles import Capability, role_allows
from kansenaudit.web.judgements.models import (
    Assessment,
    DossierFramework,
    Judgement,
    JudgementEvent,
)
from kansenaudit.web.judgements.stored_frameworks import (
    framework_current,
    framework_of,
    score_label,
)
from kansenaudit.web.judgements.subjects import SHIPPED_SUBJECT_KIND, SUBJECT_KINDS

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


# --- helpers ------------------------------------------------------------------------------------


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


# --- frameworks -------------------------------------------------------------------------------


def framework_ensure(
    *, dossier: Any, key: str, actor: Any | None = None, actor_label: str | None = None
) -> DossierFramework:
    """The dossier's framework ``key``; a shipped framework is copied on first use."""
    record = framework_current(dossier, key)
    if record is not None:
        return record
    if key not in SHIPPED_SUBJECT_KIND:
        raise JudgementError(
            _("assessment framework %(key)s does not exist in this dossier"),
            params={"key": repr(key)},
        )
    shipped = fw_lib.framework(key)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = DossierFramework.objects.create(
                    dossier=dossier,
                    key=key,
                    version=1,
                    name=shipped.name,
                    subject_kind=SHIPPED_SUBJECT_KIND[key],
                    data=fw_lib.to_dict(shipped),
                    note="meegeleverd kader",
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
        except IntegrityError:  # copied at the same moment by another request
            return framework_current(dossier, key)
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="judgements.framework_copy",
            dossier=dossier,
            target=record,
            summary=f"Beoordelingskader {shipped.name} overgenomen (versie 1)",
            after={"key": key, "version": 1},
        )
    return record


def parse_framework_json(text: str) -> dict[str, Any]:
    """Parse the JSON text of a framework; a syntax error names its line and column (Dutch)."""
    try:
        data = safe_json.loads(text)
    except safe_json.JsonNumberError as exc:  # e.g. an integer of 100,000 digits, or 1e400
        raise JudgementError(str(exc)) from exc
    except RecursionError as exc:
        raise JudgementError(
            gettext("the JSON is nested too deeply; remove the extra levels of brackets")
        ) from exc
    except json.JSONDecodeError as exc:
        raise JudgementError(json_problem(exc)) from exc
    return data


def _used_in_framework(dossier: Any, key: str) -> tuple[set[str], set[Any], bool]:
    """Criterion codes judged, scale values used, and whether "n.v.t." was used, in ``key``."""
    judgements = Judgement.objects.filter(dossier=dossier, framework_key=key)
    codes = set(judgements.values_list("criterion_code", flat=True))
    values: set[Any] = set()
    not_applicable = False
    for score, nvt in judgements.values_list("consensus_score", "consensus_not_applicable"):
        not_applicable |= nvt
        if score is not None:
            values.add(score)
    for score, nvt in Assessment.objects.filter(judgement__in=judgements).values_list(
        "score", "not_applicable"
    ):
        not_applicable |= nvt
        if score is not None:
            values.add(score)
    return codes, values, not_applicable


def framework_save(
    *,
    dossier: Any,
    data: dict[str, Any] | str,
    actor: Any | None,
    subject_kind: str | None = None,
    note: str = "",
    actor_label: str | None = None,
) -> tuple[DossierFramework, bool]:
    """Store an edited or imported framework as the next version; returns (record, created).

    ``data`` is the framework in the ``kansenaudit.framework/1`` schema (a dict or JSON text).
    It is validated by :func:`kansenaudit.policy.frameworks.from_dict`. An edit may not remove
    a criterion that has judgements, a scale value that an assessment or consensus uses, or
    "n.v.t." when it was used: existing judgements never lose their meaning silently. A new key
    adds a framework to the dossier and needs ``subject_kind``. Identical content adds nothing.

    Raises
    ------
    JudgementError
        With ``problems`` listing every problem (Dutch).
    """
    if actor is not None and getattr(actor, "is_authenticated", False):
        _require(dossier, actor, Capability.EDIT, _("Change assessment frameworks"))
    if isinstance(data, str):
        data = parse_framework_json(data)
    try:
        framework = fw_lib.from_dict(data)
    except FrameworkError as exc:
        raise JudgementError(str(exc), exc.problems) from exc
    problems: list[str] = []
    with transaction.atomic():
        current = framework_current(dossier, framework.key)
        if current is None and framework.key in SHIPPED_SUBJECT_KIND:
            current = framework_ensure(
                dossier=dossier, key=framework.key, actor=actor, actor_label=actor_label
            )
        if current is not None:
            if subject_kind and subject_kind != current.subject_kind:
                problems.append(
                    gettext("the subject cannot change: this framework assesses %(kind)s")
                    % {"kind": SUBJECT_KINDS[current.subject_kind].label}
                )
            kind = current.subject_kind
            codes, values, used_nvt = _used_in_framework(dossier, framework.key)
            missing = sorted(codes - set(framework.codes))
            if missing:
                problems.append(
                    gettext("criteria with judgements cannot disappear: %(codes)s")
                    % {"codes": ", ".join(missing)}
                )
            scale_values = set(framework.scale.values)
            gone = sorted(
                (repr(v) for v in values if v not in scale_values or isinstance(v, bool)),
            )
            if gone:
                problems.append(
                    gettext("scale values used in assessments cannot disappear: %(values)s")
                    % {"values": ", ".join(gone)}
                )
            if used_nvt and not framework.scale.not_applicable:
                problems.append(
                    gettext("'not applicable' has been used in assessments and must remain")
                )
        else:
            if not subject_kind:
                problems.append(
                    gettext("a new framework must say what it assesses: %(kinds)s")
                    % {"kinds": ", ".join(sorted(SUBJECT_KINDS))}
                )
            elif subject_kind not in SUBJECT_KINDS:
                problems.append(
                    gettext("unknown subject %(kind)s; choose from: %(kinds)s")
                    % {"kind": repr(subject_kind), "kinds": ", ".join(sorted(SUBJECT_KINDS))}
                )
            kind = subject_kind or ""
        if problems:
            raise JudgementError(
                _("Invalid assessment framework: %(problems)s"),
                problems,
                params={"problems": "; ".join(problems)},
            )
        normalised = fw_lib.to_dict(framework)
        if current is not None and current.data == normalised:
            return current, False
        version = (current.version + 1) if current is not None else 1
        record = DossierFramework.objects.create(
            dossier=dossier,
            key=framework.key,
            version=version,
            name=framework.name,
            subject_kind=kind,
            data=normalised,
            note=note[:500],
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="judgements.framework_save",
            dossier=dossier,
            target=record,
            summary=f"Beoordelingskader {framework.name}: versie {version}",
            before={"version": current.version, "codes": list(framework_of(current).codes)}
            if current is not None
            else None,
            after={"version": version, "codes": list(framework.codes), "note": note[:500]},
        )
    return record, True


# --- scores -------------------------------------------------------------------------------------


def score_from_text(framework: Framework, text: str) -> tuple[Any, bool]:
    """Turn a form's or file's answer into (value, not_applicable); JudgementError if invalid."""
    raw = (text or "").strip()
    if raw == "":
        raise JudgementError(_("choose a score"))
    if raw.lower() in (NOT_APPLICABLE, "n.v.t."):
        if not framework.scale.not_applicable:
            raise JudgementError(_("'not applicable' is not allowed on this scale"))
        return None, True
    for value in framework.scale.values:
        if str(value) == raw:
            return value, False
    raise JudgementError(
        _("score %(score)s is not on the scale; choose from: %(values)s"),
        params={"score": repr(raw), "values": ", ".join(str(v) for v in framework.scale.values)},
    )


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


# --- starting judgements ----------------------------------------------------------------------


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


# --- assessments --------------------------------------------------------------------------------


def _assessment_state(assessment: Assessment, framework: Framework) -> dict[str, Any]:
    return {
        "assessor": assessment.assessor.get_username(),
        "score": assessment.score,
        "not_applicable": assessment.not_applicable,
        "label": score_label(framework, assessment.score, assessment.not_applicable),
        "rationale": assessment.rationale,
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


def assessment_refusal(judgement: Judgement, actor: Any) -> str | None:
    """Why ``actor`` cannot submit a (first) assessment of ``judgement`` now (Dutch), or None.

    The role (EDIT) is checked separately; this is the places: taken, or named for others."""
    assessments = list(judgement.assessments.all())
    if any(a.assessor_id == getattr(actor, "pk", None) for a in assessments):
        return "u heeft dit oordeel al beoordeeld"
    if len(assessments) >= judgement.required_assessments:
        return f"dit oordeel heeft al {len(assessments)} beoordelaar(s)"
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


# --- consensus and sign-off ---------------------------------------------------------------------


def _consensus_state(judgement: Judgement, framework: Framework) -> dict[str, Any] | None:
    if not judgement.has_consensus:
        return None
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
        after = _consensus_state(judgement, framework)
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
    """Why ``actor`` may not sign off ``judgement`` now (Dutch), or None when they may.

    The role (SIGN_OFF) is checked separately; this is the state and preparer ≠ reviewer."""
    if not judgement.has_consensus:
        return "aftekenen kan pas na een consensus"
    if judgement.status == Judgement.Status.SIGNED_OFF:
        return "dit oordeel is al afgetekend"
    assessors = set(judgement.assessments.values_list("assessor_id", flat=True))
    if getattr(actor, "pk", None) in assessors:
        return "wie beoordeeld heeft, kan niet aftekenen (opsteller ≠ reviewer)"
    if getattr(actor, "pk", None) == judgement.consensus_by_id:
        return "wie de consensus heeft vastgelegd, kan niet aftekenen (opsteller ≠ reviewer)"
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


# --- evidence -----------------------------------------------------------------------------------


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


# --- assignment ---------------------------------------------------------------------------------


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
