# SPDX-License-Identifier: EUPL-1.2
"""Reads from the judgements register, with the blindness rule applied.

BLINDNESS: while a judgement still waits for one of its assessments, nobody is given another
person's score or rationale: not the other assessor, not a potential second assessor, not a
reviewer, not an export and not the CLI. Each user sees only their own assessment. The web
pages, the exports, the CLI and the Python API all read assessments through
:func:`visible_assessments` and :func:`judgement_history`, so the rule lives in one place.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from kansenaudit.policy import frameworks as fw_lib
from kansenaudit.policy.frameworks import Framework
from kansenaudit.stats.agreement import (
    AlphaResult,
    AlphaUndefinedWarning,
    Level,
    alpha_bootstrap,
)
from kansenaudit.web.core import audit_text
from kansenaudit.web.evidence.selectors import citations_visible_to
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

HIDDEN = "verborgen tot alle beoordelingen binnen zijn"
N_BOOT = 1000
# Citations offered on an assessment form; older ones are left out of the list.
MAX_CITATION_CHOICES = 500


# --- frameworks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkInfo:
    """A framework as the dossier uses it: the version in force, or the shipped one unused."""

    key: str
    framework: Framework
    subject_kind: str
    version: int  # 0: shipped, not yet copied into the dossier
    record: DossierFramework | None

    @property
    def subject_label(self) -> str:
        return SUBJECT_KINDS[self.subject_kind].label


def dossier_frameworks(dossier: Any) -> list[FrameworkInfo]:
    """The shipped frameworks (copied or not) and the dossier's own, shipped ones first."""
    records: dict[str, DossierFramework] = {}
    for newest in DossierFramework.objects.filter(dossier=dossier).order_by("key", "-version"):
        records.setdefault(newest.key, newest)
    result = []
    for shipped in fw_lib.frameworks():
        record = records.pop(shipped.key, None)
        result.append(
            FrameworkInfo(
                key=shipped.key,
                framework=framework_of(record) if record else shipped,
                subject_kind=record.subject_kind if record else SHIPPED_SUBJECT_KIND[shipped.key],
                version=record.version if record else 0,
                record=record,
            )
        )
    for key in sorted(records):
        record = records[key]
        result.append(
            FrameworkInfo(key, framework_of(record), record.subject_kind, record.version, record)
        )
    return result


def framework_info(dossier: Any, key: str) -> FrameworkInfo | None:
    """One framework of the dossier by key; None when there is none."""
    return next((info for info in dossier_frameworks(dossier) if info.key == key), None)


def framework_versions(dossier: Any, key: str) -> QuerySet[DossierFramework]:
    return DossierFramework.objects.filter(dossier=dossier, key=key).select_related("created_by")


def framework_for_judgement(judgement: Judgement) -> Framework:
    """The framework in force for ``judgement`` (edits never remove what it uses)."""
    record = framework_current(judgement.dossier_id, judgement.framework_key)
    if record is None:  # cannot happen: starting a judgement copies the framework
        return fw_lib.framework(judgement.framework_key)
    return framework_of(record)


# --- judgements and blindness --------------------------------------------------------------------


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


# --- overview matrix ------------------------------------------------------------------------------


def subject_choices(dossier: Any, info: FrameworkInfo) -> list[tuple[int, str]]:
    """The subjects a judgement of ``info`` can be about, as (id, label)."""
    kind = SUBJECT_KINDS[info.subject_kind]
    return [(obj.pk, str(obj)) for obj in kind.queryset(dossier)]


def framework_matrix(
    dossier: Any, info: FrameworkInfo, judgements: list[Judgement] | None = None
) -> dict[str, Any]:
    """Subjects × criteria of one framework: status and consensus score of each cell
    (``judgements``: those of the framework, when the caller has them already)."""
    if judgements is None:
        judgements = list(judgements_for_dossier(dossier, info.key))
    codes = list(info.framework.codes)
    for j in judgements:  # a criterion judged under an older version is kept by edits
        if j.criterion_code not in codes:
            codes.append(j.criterion_code)
    subjects: dict[tuple[int, int], dict[str, Any]] = {}
    for j in judgements:
        key = (j.content_type_id, j.object_id)
        row = subjects.setdefault(key, {"label": j.subject_label, "cells": {}})
        row["cells"][j.criterion_code] = {
            "judgement": j,
            "consensus": score_label(info.framework, j.consensus_score, j.consensus_not_applicable)
            if j.has_consensus
            else "",
        }
    rows = []
    for row in sorted(subjects.values(), key=lambda r: r["label"].lower()):
        rows.append({"label": row["label"], "cells": [row["cells"].get(c) for c in codes]})
    counts: dict[str, int] = {}
    for j in judgements:
        counts[j.status] = counts.get(j.status, 0) + 1
    return {"codes": codes, "rows": rows, "counts": counts, "total": len(judgements)}


# --- agreement ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Agreement:
    """Krippendorff's alpha for one framework, with what it rests on."""

    key: str
    level: str
    alpha: float | None
    low: float | None
    high: float | None
    n_units: int
    n_pairable: int
    n_double: int  # judgements with two assessments in
    n_boot: int
    n_boot_valid: int
    undefined_reason: str
    data: list[list[Any]]  # 2 × units reliability matrix (slot 1, slot 2; None for n.v.t.)
    categories: list[Any]

    @property
    def defined(self) -> bool:
        return self.alpha is not None


def reliability_data(
    dossier: Any, key: str, judgements: list[Judgement] | None = None
) -> tuple[list[list[Any]], int]:
    """The 2 × units matrix of a framework: one column per judgement with two assessments in,
    rows = assessor slot 1 and 2, ``None`` for "n.v.t." (a missing value). ``judgements``: those
    of the framework with their assessments, when the caller has them already."""
    rows: list[list[Any]] = [[], []]
    n_double = 0
    if judgements is None:
        judgements = list(judgements_for_dossier(dossier, key))
    for judgement in sorted(judgements, key=lambda j: j.pk):
        assessments = {a.slot: a for a in judgement.assessments.all()}
        if judgement.mode != Judgement.Mode.DOUBLE or len(assessments) < 2:
            continue
        n_double += 1
        for slot in (1, 2):
            a = assessments[slot]
            rows[slot - 1].append(None if a.not_applicable else a.score)
    return rows, n_double


def _undefined_reason(n_units: int, n_double: int) -> str:
    if n_double == 0:
        return (
            "Niet gedefinieerd: er is nog geen oordeel met twee ingediende beoordelingen. "
            "Alfa vergelijkt de scores van twee beoordelaars per oordeel."
        )
    if n_units == 0:
        return (
            "Niet gedefinieerd: bij geen enkel oordeel gaven beide beoordelaars een score "
            "('n.v.t.' telt als ontbrekend), dus er zijn geen paren om te vergelijken."
        )
    return (
        "Niet gedefinieerd: alle gepaarde scores zijn gelijk (één schaalwaarde), dus er is "
        "geen spreiding om overeenstemming van toeval te onderscheiden. Meer oordelen, met "
        "verschillende scores, maken alfa berekenbaar."
    )


@functools.lru_cache(maxsize=256)
def _alpha_bootstrap(
    data: tuple[tuple[Any, ...], ...], level: Level, n_boot: int, seed: int, categories: tuple
) -> AlphaResult:
    """``alpha_bootstrap`` remembered per process: the same scores and seed always give the
    same result, and the judgements page would otherwise redraw 1,000 samples on every visit."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlphaUndefinedWarning)
        return alpha_bootstrap(
            [list(row) for row in data],
            level,
            n_boot=n_boot,
            seed=seed,
            categories=list(categories),
        )


def agreement(
    dossier: Any,
    key: str,
    *,
    n_boot: int = N_BOOT,
    seed: int = 0,
    info: FrameworkInfo | None = None,
    judgements: list[Judgement] | None = None,
) -> Agreement:
    """Krippendorff's alpha over the judgements of framework ``key`` that have two assessments:
    ordinal metric for an ordinal scale, nominal otherwise, "n.v.t." as missing, with a
    percentile bootstrap interval over judgements (``stats.agreement.alpha_bootstrap``).
    ``info`` and ``judgements`` (those of the framework): when the caller has them already."""
    info = info if info is not None and info.key == key else framework_info(dossier, key)
    if info is None:
        raise LookupError(key)
    framework = info.framework
    level: Level = "ordinal" if framework.scale.kind == "ordinal" else "nominal"
    data, n_double = reliability_data(dossier, key, judgements)
    categories = list(framework.scale.values)
    if n_double == 0:
        return Agreement(key, level, None, None, None, 0, 0, 0, n_boot, 0,
                         _undefined_reason(0, 0), data, categories)  # fmt: skip
    result = _alpha_bootstrap(
        tuple(tuple(row) for row in data), level, n_boot, seed, tuple(categories)
    )

    def finite(value: float) -> float | None:
        return None if value is None or math.isnan(value) else float(value)

    alpha = finite(result.alpha)
    return Agreement(
        key=key,
        level=level,
        alpha=alpha,
        low=finite(result.low),
        high=finite(result.high),
        n_units=result.n_units,
        n_pairable=result.n_pairable,
        n_double=n_double,
        n_boot=result.n_boot,
        n_boot_valid=result.n_boot_valid,
        undefined_reason="" if alpha is not None else _undefined_reason(result.n_units, n_double),
        data=data,
        categories=categories,
    )


def agreement_cross_table(result: Agreement, framework: Framework) -> dict[str, object]:
    """Slot 1 × slot 2 counts of the paired scores, with "n.v.t." as its own row/column;
    every row and column labelled "value – label" by the framework's scale."""
    labels: dict[Any, str] = {lv.value: f"{lv.value} – {lv.label}" for lv in framework.scale.levels}
    labels[None] = framework.scale.not_applicable or "n.v.t."
    keys = [*result.categories, None]
    counts = {(a, b): 0 for a in keys for b in keys}
    for a, b in zip(result.data[0], result.data[1], strict=True):
        counts[(a, b)] = counts.get((a, b), 0) + 1
    return {
        "columns": [labels.get(k, k) for k in keys],
        "rows": [
            {"label": labels.get(a, a), "cells": [counts[(a, b)] for b in keys]} for a in keys
        ],
    }


def agreement_as_dict(result: Agreement) -> dict[str, Any]:
    """JSON-ready form for the CLI and API."""
    return {
        "framework": result.key,
        "level": result.level,
        "alpha": result.alpha,
        "ci_low": result.low,
        "ci_high": result.high,
        "ci_level": 0.95,
        "method": "bootstrap-units-percentile",
        "n_boot": result.n_boot,
        "n_boot_valid": result.n_boot_valid,
        "units": result.n_units,
        "pairable_values": result.n_pairable,
        "judgements_with_two_assessments": result.n_double,
        "undefined_reason": result.undefined_reason or None,
    }


# --- exports ---------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "oordeel_id",
    "kader",
    "kaderversie_start",
    "criterium",
    "criterium_naam",
    "onderwerp_soort",
    "onderwerp_id",
    "onderwerp",
    "werkwijze",
    "status",
    "beoordelaar_1",
    "score_1",
    "motivering_1",
    "ingediend_1",
    "beoordelaar_2",
    "score_2",
    "motivering_2",
    "ingediend_2",
    "consensus",
    "consensus_motivering",
    "consensus_door",
    "consensus_op",
    "afgetekend_door",
    "afgetekend_op",
    "aangemaakt",
]

HISTORY_COLUMNS = [
    "oordeel_id",
    "kader",
    "criterium",
    "onderwerp",
    "tijdstip",
    "wie",
    "wat",
    "samenvatting",
    "voor",
    "na",
]


def _iso(value: Any) -> str:
    return value.isoformat() if value else ""


def export_rows(dossier: Any, viewer: Any | None = None) -> list[dict[str, Any]]:
    """One row per judgement for the XLSX/CSV export; blinded like the pages."""
    frameworks = {info.key: info for info in dossier_frameworks(dossier)}
    rows = []
    for j in judgements_for_dossier(dossier).order_by("framework_key", "subject_label", "pk"):
        info = frameworks.get(j.framework_key)
        framework = info.framework if info else framework_for_judgement(j)
        try:
            criterion_name = framework.criterion(j.criterion_code).name
        except KeyError:
            criterion_name = ""
        row: dict[str, Any] = {
            "oordeel_id": j.pk,
            "kader": j.framework_key,
            "kaderversie_start": j.framework_version,
            "criterium": j.criterion_code,
            "criterium_naam": criterion_name,
            "onderwerp_soort": info.subject_kind if info else "",
            "onderwerp_id": j.object_id,
            "onderwerp": j.subject_label,
            "werkwijze": j.mode,
            "status": j.status,
            "toegewezen_1": j.assigned_1.get_username() if j.assigned_1 else "",
            "toegewezen_2": j.assigned_2.get_username() if j.assigned_2 else "",
        }
        views = {v.slot: v for v in visible_assessments(j, viewer, framework)}
        for slot in (1, 2):
            view = views.get(slot)
            row[f"beoordelaar_{slot}"] = view.assessor if view else ""
            row[f"score_{slot}"] = (view.label if view.visible else HIDDEN) if view else ""
            row[f"motivering_{slot}"] = (view.rationale if view.visible else "") if view else ""
            row[f"ingediend_{slot}"] = _iso(view.submitted_at) if view else ""
        row.update(
            {
                "consensus": score_label(framework, j.consensus_score, j.consensus_not_applicable)
                if j.has_consensus
                else "",
                "consensus_motivering": j.consensus_rationale,
                "consensus_door": j.consensus_by.get_username() if j.consensus_by else "",
                "consensus_op": _iso(j.consensus_at),
                "afgetekend_door": j.signed_off_by.get_username() if j.signed_off_by else "",
                "afgetekend_op": _iso(j.signed_off_at),
                "aangemaakt": _iso(j.created_at),
            }
        )
        rows.append(row)
    return rows


def history_rows(dossier: Any, viewer: Any | None = None) -> list[dict[str, Any]]:
    """One row per history event of every judgement, blinded like the pages."""
    import json

    rows = []
    for j in judgements_for_dossier(dossier).order_by("pk"):
        for entry in judgement_history(j, viewer):
            rows.append(
                {
                    "oordeel_id": j.pk,
                    "kader": j.framework_key,
                    "criterium": j.criterion_code,
                    "onderwerp": j.subject_label,
                    "tijdstip": _iso(entry.occurred_at),
                    "wie": entry.who,
                    "wat": entry.action,
                    "samenvatting": entry.summary,
                    "voor": HIDDEN
                    if entry.hidden
                    else json.dumps(entry.before, ensure_ascii=False)
                    if entry.before is not None
                    else "",
                    "na": HIDDEN
                    if entry.hidden
                    else json.dumps(entry.after, ensure_ascii=False)
                    if entry.after is not None
                    else "",
                }
            )
    return rows


def subject_content_type(info: FrameworkInfo) -> ContentType:
    return ContentType.objects.get_for_model(SUBJECT_KINDS[info.subject_kind].model_class())
