# SPDX-License-Identifier: EUPL-1.2
"""Measures of the policy register, with the goals they serve, target groups and budgets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.services import audit_record, snapshot
from kansenaudit.web.policy.models import Actor, Goal, Measure, MeasureBudget
from kansenaudit.web.policy.services._common import (
    PolicyError,
    _all_same_dossier,
    _amount,
    _choice,
    _date,
    _delete,
    _demo,
    _same_dossier,
    _text,
    _user,
    _whole,
    _year,
)

MEASURE_FIELDS = [
    "name",
    "description",
    "owner",
    "domain",
    "reason",
    "status",
    "start",
    "end",
    "reach",
    "rationale",
    "assumptions",
    "alignment",
    "indicators_text",
    "evidence_claimed",
    "origin",
    "uitvraag_number",
]
# Free-text fields of a measure: (label in messages, maximum length or 0).
_MEASURE_TEXTS = {
    "description": (_("description"), 0),
    "domain": (_("domain"), 100),
    "reason": (_("reason for the selection"), 100),
    "rationale": (_("rationale"), 0),
    "assumptions": (_("assumptions"), 0),
    "alignment": (_("fit with city-wide policy"), 0),
    "indicators_text": (_("indicators (as stated)"), 0),
    "evidence_claimed": (_("claimed evidence"), 0),
}


def _measure_state(measure: Measure) -> dict[str, Any]:
    state = snapshot(measure, MEASURE_FIELDS)
    state["goals"] = sorted(measure.goals.values_list("pk", flat=True))
    state["target_groups"] = sorted(measure.target_groups.values_list("pk", flat=True))
    state["budgets"] = {str(b.year): str(b.amount) for b in measure.budgets.all()}
    return state


def _measure_values(dossier: models.Model, data: Mapping[str, Any], exclude: int | None) -> dict:
    name = _text(data.get("name"), _("name"), 200, required=True)
    owner = data.get("owner")
    if owner is not None:
        _same_dossier(owner, dossier, _("the owner"))
        if owner.kind != Actor.Kind.DIRECTIE:
            raise PolicyError(
                _("The owner of a measure is a directorate; “%(owner)s” is %(kind)s."),
                {"owner": owner, "kind": owner.get_kind_display()},
            )
    same = Measure.objects.filter(dossier=dossier, name__iexact=name, owner=owner)
    if same.exclude(pk=exclude).exists():
        if owner:
            raise PolicyError(
                _("There already is a measure “%(name)s” of %(owner)s in this dossier."),
                {"name": name, "owner": owner},
            )
        raise PolicyError(
            _("There already is a measure “%(name)s” in this dossier."), {"name": name}
        )
    start = _date(data.get("start"), _("start"))
    end = _date(data.get("end"), _("end"))
    if start and end and end < start:
        raise PolicyError(_("end: the measure ends before the start."))
    values = {
        "name": name,
        "owner": owner,
        "status": _choice(data.get("status"), Measure.Status, _("status"), blank=True),
        "start": start,
        "end": end,
        "reach": _whole(data.get("reach"), _("reach")),
        "origin": _choice(
            data.get("origin") or Measure.Origin.HANDMATIG, Measure.Origin, _("origin")
        ),
        "uitvraag_number": _whole(data.get("uitvraag_number"), _("request number"), 1, 10),
    }
    for field, (label, length) in _MEASURE_TEXTS.items():
        values[field] = _text(data.get(field), label, length)
    return values


def _budgets(budgets: Mapping[object, object] | Iterable[tuple[object, object]]) -> dict:
    pairs = budgets.items() if isinstance(budgets, Mapping) else budgets
    result: dict[int, Decimal] = {}
    for year, amount in pairs:
        y = _year(year, _("budget year"))
        if y in result:
            raise PolicyError(_("budget: the year %(year)s appears twice."), {"year": y})
        result[y] = _amount(amount, format_lazy("{} {}", _("budget"), y))
    return result


def _set_budgets(measure: Measure, budgets: dict[int, Decimal]) -> None:
    measure.budgets.exclude(year__in=list(budgets)).delete()
    for year, amount in budgets.items():
        MeasureBudget.objects.update_or_create(
            measure=measure, year=year, defaults={"amount": amount}
        )


def measure_create(
    *,
    dossier: models.Model,
    name: str,
    owner: Actor | None = None,
    goals: Iterable[Goal] = (),
    target_groups: Iterable[Actor] = (),
    budgets: Mapping[object, object] | None = None,
    actor: object | None,
    actor_label: str | None = None,
    **fields: Any,
) -> Measure:
    """Add a measure of a directie, with the goals it serves, target groups and budgets.

    ``fields`` are the other fields of :class:`Measure` (description, status, start, end,
    reach, rationale, assumptions …). Budgets are ``{year: amount}`` in euro, never negative.
    """
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise PolicyError(_("unknown fields: %(fields)s"), {"fields": ", ".join(sorted(unknown))})
    values = _measure_values(dossier, {**fields, "name": name, "owner": owner}, None)
    goal_list = _all_same_dossier(goals, dossier, _("goal"))
    groups = _all_same_dossier(target_groups, dossier, _("target group"))
    budget_map = _budgets(budgets or {})
    with transaction.atomic():
        measure = Measure.objects.create(
            dossier=dossier, is_demo=_demo(dossier), created_by=_user(actor), **values
        )
        measure.goals.set(goal_list)
        measure.target_groups.set(groups)
        _set_budgets(measure, budget_map)
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="policy.measure_create",
            dossier=dossier,
            target=measure,
            summary=f"Maatregel toegevoegd: {measure}",
            after=_measure_state(measure),
        )
    return measure


def measure_update(
    *,
    measure: Measure,
    actor: object | None,
    actor_label: str | None = None,
    goals: Iterable[Goal] | None = None,
    target_groups: Iterable[Actor] | None = None,
    budgets: Mapping[object, object] | None = None,
    **changes: Any,
) -> Measure:
    """Change a measure; ``goals``, ``target_groups`` and ``budgets``, when given, replace."""
    unknown = set(changes) - set(MEASURE_FIELDS)
    if unknown:
        raise PolicyError(_("unknown fields: %(fields)s"), {"fields": ", ".join(sorted(unknown))})
    dossier = measure.dossier
    data = {name: getattr(measure, name) for name in MEASURE_FIELDS}
    data.update(changes)
    values = _measure_values(dossier, data, measure.pk)
    goal_list = _all_same_dossier(goals, dossier, _("goal")) if goals is not None else None
    groups = (
        _all_same_dossier(target_groups, dossier, _("target group"))
        if target_groups is not None
        else None
    )
    budget_map = _budgets(budgets) if budgets is not None else None
    with transaction.atomic():
        before = _measure_state(measure)
        for name, value in values.items():
            setattr(measure, name, value)
        measure.save()
        if goal_list is not None:
            measure.goals.set(goal_list)
        if groups is not None:
            measure.target_groups.set(groups)
        if budget_map is not None:
            _set_budgets(measure, budget_map)
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="policy.measure_update",
            dossier=dossier,
            target=measure,
            summary=f"Maatregel gewijzigd: {measure}",
            before=before,
            after=_measure_state(measure),
        )
    return measure


def measure_delete(
    *, measure: Measure, actor: object | None, actor_label: str | None = None
) -> None:
    """Remove a measure with its budgets and policy theory, unless others point at it."""
    _delete(
        measure,
        parts=[*measure.theory_steps.all(), *measure.theory_links.all()],
        dossier=measure.dossier,
        action="policy.measure_delete",
        summary=f"Maatregel verwijderd: {measure}",
        before=_measure_state(measure),
        actor=actor,
        actor_label=actor_label,
    )
