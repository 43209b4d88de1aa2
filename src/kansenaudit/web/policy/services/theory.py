# SPDX-License-Identifier: EUPL-1.2
"""The policy theory of a measure: its steps (activity → output → outcome → goal) and the
links between them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.services import audit_record, snapshot
from kansenaudit.web.policy.models import Goal, Measure, TheoryLink, TheoryStep
from kansenaudit.web.policy.services._common import (
    PolicyError,
    _choice,
    _delete,
    _same_dossier,
    _text,
    _whole,
)

STEP_FIELDS = ["kind", "text", "goal", "order"]


def _rank(kind: str) -> int:
    return TheoryStep.KIND_ORDER[TheoryStep.Kind(kind)]


def _step_values(measure: Measure, data: Mapping[str, Any]) -> dict:
    kind = _choice(data.get("kind"), TheoryStep.Kind, _("kind of step"))
    goal = data.get("goal")
    if goal is not None:
        _same_dossier(goal, measure.dossier, _("the goal"))
        if kind != TheoryStep.Kind.DOEL:
            raise PolicyError(_("Only a step of the kind ‘goal’ can refer to a goal."))
    return {
        "kind": kind,
        "text": _text(data.get("text"), _("description"), 500, required=True),
        "goal": goal,
    }


def theory_step_create(
    *,
    measure: Measure,
    kind: str,
    text: str,
    goal: Goal | None = None,
    order: int | None = None,
    actor: object | None,
    actor_label: str | None = None,
) -> TheoryStep:
    """Add an activity, output, outcome or goal to a measure's policy theory."""
    values = _step_values(measure, {"kind": kind, "text": text, "goal": goal})
    if order is None:
        last = measure.theory_steps.aggregate(m=models.Max("order"))["m"]
        order = 0 if last is None else last + 1
    with transaction.atomic():
        step = TheoryStep.objects.create(
            measure=measure, order=_whole(order, _("order")) or 0, **values
        )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="policy.theory_step_create",
            dossier=measure.dossier,
            target=step,
            summary=f"Beleidstheorie van {measure}: {step}"[:500],
            after=snapshot(step, STEP_FIELDS),
        )
    return step


def theory_step_update(
    *, step: TheoryStep, actor: object | None, actor_label: str | None = None, **changes: Any
) -> TheoryStep:
    """Change a step; its links must still run from an earlier or equal kind to a later one."""
    unknown = set(changes) - set(STEP_FIELDS)
    if unknown:
        raise PolicyError(_("unknown fields: %(fields)s"), {"fields": ", ".join(sorted(unknown))})
    data = {name: getattr(step, name) for name in STEP_FIELDS}
    data.update(changes)
    values = _step_values(step.measure, data)
    rank = _rank(values["kind"])
    for link in step.links_out.select_related("target"):
        if rank > _rank(link.target.kind):
            raise PolicyError(
                _("The link to “%(text)s” would then go back in the chain."),
                {"text": link.target.text},
            )
    for link in step.links_in.select_related("source"):
        if _rank(link.source.kind) > rank:
            raise PolicyError(
                _("The link from “%(text)s” would then go back in the chain."),
                {"text": link.source.text},
            )
    with transaction.atomic():
        before = snapshot(step, STEP_FIELDS)
        for name, value in values.items():
            setattr(step, name, value)
        step.order = _whole(data.get("order"), _("order")) or 0
        step.save()
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="policy.theory_step_update",
            dossier=step.measure.dossier,
            target=step,
            summary=f"Beleidstheorie van {step.measure}: {step}"[:500],
            before=before,
            after=snapshot(step, STEP_FIELDS),
        )
    return step


def theory_step_delete(
    *, step: TheoryStep, actor: object | None, actor_label: str | None = None
) -> None:
    """Remove a step with the links to and from it (and their evidence links)."""
    links = [*step.links_out.all(), *step.links_in.all()]
    _delete(
        step,
        parts=links,
        dossier=step.measure.dossier,
        action="policy.theory_step_delete",
        summary=f"Stap verwijderd uit de beleidstheorie van {step.measure}: {step}",
        before={**snapshot(step, STEP_FIELDS), "links": [link.pk for link in links]},
        actor=actor,
        actor_label=actor_label,
    )


def _link_state(link: TheoryLink) -> dict[str, Any]:
    return {"source": link.source_id, "target": link.target_id, "rationale": link.rationale}


def theory_link_create(
    *,
    source: TheoryStep,
    target: TheoryStep,
    rationale: str,
    actor: object | None,
    actor_label: str | None = None,
) -> TheoryLink:
    """Link two steps of one measure: from an earlier or equal kind to a later one, with why."""
    if source.measure_id != target.measure_id:
        raise PolicyError(_("A link connects two steps of the same measure."))
    if source.pk == target.pk:
        raise PolicyError(_("A step cannot lead to itself."))
    if _rank(source.kind) > _rank(target.kind):
        raise PolicyError(
            _(
                "A link goes forward in the chain activity → output → outcome → goal; "
                "not from %(source)s to %(target)s."
            ),
            {"source": source.get_kind_display(), "target": target.get_kind_display()},
        )
    reason = _text(rationale, _("rationale"), required=True)
    if TheoryLink.objects.filter(source=source, target=target).exists():
        raise PolicyError(_("This link already exists."))
    with transaction.atomic():
        link = TheoryLink.objects.create(
            measure=source.measure, source=source, target=target, rationale=reason
        )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="policy.theory_link_create",
            dossier=source.measure.dossier,
            target=link,
            summary=f"Schakel in de beleidstheorie van {source.measure}: {link}"[:500],
            after=_link_state(link),
        )
    return link


def theory_link_update(
    *, link: TheoryLink, rationale: str, actor: object | None, actor_label: str | None = None
) -> TheoryLink:
    """Change the rationale of a link."""
    reason = _text(rationale, _("rationale"), required=True)
    with transaction.atomic():
        before = _link_state(link)
        link.rationale = reason
        link.save(update_fields=["rationale"])
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="policy.theory_link_update",
            dossier=link.measure.dossier,
            target=link,
            summary=f"Onderbouwing gewijzigd: {link}"[:500],
            before=before,
            after=_link_state(link),
        )
    return link


def theory_link_delete(
    *, link: TheoryLink, actor: object | None, actor_label: str | None = None
) -> None:
    """Remove a link (and its evidence links; the citations stay in the evidence store)."""
    _delete(
        link,
        dossier=link.measure.dossier,
        action="policy.theory_link_delete",
        summary=f"Schakel verwijderd: {link}",
        before=_link_state(link),
        actor=actor,
        actor_label=actor_label,
    )
