# SPDX-License-Identifier: EUPL-1.2
"""Goals of the policy register: a hierarchy in which a goal serves a goal of the same or
an earlier level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.services import audit_record, snapshot
from kansenaudit.web.policy.models import Actor, Goal
from kansenaudit.web.policy.services._common import (
    PolicyError,
    _all_same_dossier,
    _choice,
    _delete,
    _demo,
    _domains,
    _label,
    _same_dossier,
    _text,
    _user,
    _whole,
)

# The order of the goal hierarchy: a goal serves a goal of the same or an earlier level.
GOAL_LEVEL_ORDER = {level: rank for rank, level in enumerate(Goal.Level.values)}
GOAL_FIELDS = ["code", "title", "description", "level", "parent", "owner", "domains", "order"]


def _goal_state(goal: Goal) -> dict[str, Any]:
    state = snapshot(goal, GOAL_FIELDS)
    state["target_groups"] = sorted(goal.target_groups.values_list("pk", flat=True))
    return state


def _check_goal_place(goal: Goal | None, level: str, parent: Goal | None) -> None:
    """A goal serves a goal of the same or an earlier level, and never (indirectly) itself."""
    if parent is not None:
        if GOAL_LEVEL_ORDER[parent.level] > GOAL_LEVEL_ORDER[level]:
            raise PolicyError(
                _(
                    "A goal at level “%(level)s” cannot serve a goal at the lower level "
                    "“%(parent)s”."
                ),
                {"level": _label(Goal.Level, level), "parent": _label(Goal.Level, parent.level)},
            )
        seen: set[int] = set()
        node: Goal | None = parent
        while node is not None and node.pk not in seen:
            if goal is not None and node.pk == goal.pk:
                raise PolicyError(
                    _(
                        "“%(parent)s” already serves “%(goal)s” (through other goals): that would "
                        "make a cycle."
                    ),
                    {"parent": parent, "goal": goal},
                )
            seen.add(node.pk)
            node = node.parent
    if goal is not None and goal.pk:
        for child in goal.children.all():
            if GOAL_LEVEL_ORDER[child.level] < GOAL_LEVEL_ORDER[level]:
                raise PolicyError(
                    _(
                        "The sub-goal “%(child)s” is at a higher level than “%(level)s”; change "
                        "that goal first."
                    ),
                    {"child": child, "level": _label(Goal.Level, level)},
                )


def _goal_values(dossier: models.Model, data: Mapping[str, Any], goal: Goal | None) -> dict:
    title = _text(data.get("title"), _("goal"), 300, required=True)
    exclude = goal.pk if goal is not None else None
    if Goal.objects.filter(dossier=dossier, title__iexact=title).exclude(pk=exclude).exists():
        raise PolicyError(
            _("There already is a goal “%(title)s” in this dossier."), {"title": title}
        )
    level = _choice(data.get("level"), Goal.Level, _("level"))
    parent = data.get("parent")
    owner = data.get("owner")
    _same_dossier(parent, dossier, _("the parent goal"))
    _same_dossier(owner, dossier, _("the owner"))
    _check_goal_place(goal, level, parent)
    return {
        "code": _text(data.get("code"), _("code"), 30),
        "title": title,
        "description": _text(data.get("description"), _("description")),
        "level": level,
        "parent": parent,
        "owner": owner,
        "domains": _domains(data.get("domains")),
        "order": _whole(data.get("order"), _("order")) or 0,
    }


def goal_create(
    *,
    dossier: models.Model,
    title: str,
    level: str,
    code: str = "",
    description: str = "",
    parent: Goal | None = None,
    owner: Actor | None = None,
    target_groups: Iterable[Actor] = (),
    domains: Iterable[str] | str = (),
    order: int = 0,
    actor: object | None,
    actor_label: str | None = None,
) -> Goal:
    """Add a goal; ``parent`` is the goal it serves (same or earlier level, same dossier)."""
    values = _goal_values(
        dossier,
        {
            "title": title,
            "level": level,
            "code": code,
            "description": description,
            "parent": parent,
            "owner": owner,
            "domains": list(domains) if not isinstance(domains, str) else domains,
            "order": order,
        },
        None,
    )
    groups = _all_same_dossier(target_groups, dossier, _("target group"))
    with transaction.atomic():
        goal = Goal.objects.create(
            dossier=dossier, is_demo=_demo(dossier), created_by=_user(actor), **values
        )
        goal.target_groups.set(groups)
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="policy.goal_create",
            dossier=dossier,
            target=goal,
            summary=f"Doel toegevoegd: {goal}",
            after=_goal_state(goal),
        )
    return goal


def goal_update(
    *,
    goal: Goal,
    actor: object | None,
    actor_label: str | None = None,
    target_groups: Iterable[Actor] | None = None,
    **changes: Any,
) -> Goal:
    """Change a goal (its place in the hierarchy is checked again)."""
    unknown = set(changes) - set(GOAL_FIELDS)
    if unknown:
        raise PolicyError(_("unknown fields: %(fields)s"), {"fields": ", ".join(sorted(unknown))})
    data = {name: getattr(goal, name) for name in GOAL_FIELDS}
    data.update(changes)
    values = _goal_values(goal.dossier, data, goal)
    groups = (
        _all_same_dossier(target_groups, goal.dossier, _("target group"))
        if target_groups is not None
        else None
    )
    with transaction.atomic():
        before = _goal_state(goal)
        for name, value in values.items():
            setattr(goal, name, value)
        goal.save()
        if groups is not None:
            goal.target_groups.set(groups)
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="policy.goal_update",
            dossier=goal.dossier,
            target=goal,
            summary=f"Doel gewijzigd: {goal}",
            before=before,
            after=_goal_state(goal),
        )
    return goal


def goal_delete(*, goal: Goal, actor: object | None, actor_label: str | None = None) -> None:
    """Remove a goal that no sub-goal, measure, indicator or other entry points at."""
    _delete(
        goal,
        dossier=goal.dossier,
        action="policy.goal_delete",
        summary=f"Doel verwijderd: {goal}",
        before=_goal_state(goal),
        actor=actor,
        actor_label=actor_label,
    )
