"""Writes to the policy register. Every function runs in one transaction with its audit entry.

The register of a dossier: actors, goals (a hierarchy), measures with their budgets, the policy
theory of each measure (steps and links), indicators with their values, and evidence links from
any of these to a citation of the evidence store. Every function checks that everything it
connects belongs to the same dossier and refuses with a Dutch :class:`PolicyError` otherwise.
Deleting an element that others still point at is refused with a message naming them.

``actor`` is always the user who acts (``None`` for the CLI and loaders, with ``actor_label``);
the register entry a function changes is ``item`` (or named after its model).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError

from kansenaudit.web.core.services import audit_record, snapshot
from kansenaudit.web.policy.models import (
    Actor,
    EvidenceLink,
    Goal,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureBudget,
    TheoryLink,
    TheoryStep,
)

MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_AMOUNT = Decimal("999999999999.99")

# The order of the goal hierarchy: a goal serves a goal of the same or an earlier level.
GOAL_LEVEL_ORDER = {level: rank for rank, level in enumerate(Goal.Level.values)}

ACTOR_FIELDS = ["name", "kind", "description", "contact"]
GOAL_FIELDS = ["code", "title", "description", "level", "parent", "owner", "domains", "order"]
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
    "description": ("beschrijving", 0),
    "domain": ("domein", 100),
    "reason": ("reden voor selectie", 100),
    "rationale": ("onderbouwing", 0),
    "assumptions": ("aannames", 0),
    "alignment": ("aansluiting op stedelijk beleid", 0),
    "indicators_text": ("indicatoren (zoals gerapporteerd)", 0),
    "evidence_claimed": ("geclaimd bewijs", 0),
}
STEP_FIELDS = ["kind", "text", "goal", "order"]
INDICATOR_FIELDS = [
    "name",
    "definition",
    "unit",
    "source",
    "catalogue_key",
    "area_code",
    "polarity",
]
VALUE_FIELDS = ["kind", "year", "value", "note", "citation"]

# Reverse relations whose rows belong to the element and go with it when it is deleted; any
# other reference (a sub-goal, a measure serving a goal, a council item …) blocks the delete.
OWNED_RELATIONS = {"budgets", "theory_steps", "theory_links", "values", "links_out", "links_in"}
# The catalogue's polarity (+1, −1, 0) as an indicator's direction.
POLARITY_FROM_CATALOGUE = {
    1: Indicator.Polarity.HOGER_BETER,
    -1: Indicator.Polarity.LAGER_BETER,
    0: Indicator.Polarity.NEUTRAAL,
}


class PolicyError(ValueError):
    """A change the register refuses; the message is Dutch and can be shown as it is."""


def _dossier_id_of(subject: models.Model) -> int | None:
    """The dossier a subject belongs to (directly, or through its measure or judgement)."""
    for path in (
        "dossier_id",
        "measure.dossier_id",
        "indicator.dossier_id",
        "judgement.dossier_id",
    ):
        value: object = subject
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is not None:
            return int(value)
    return None


# --- Checking input ---------------------------------------------------------------------------


def _same_dossier(item: models.Model | None, dossier: models.Model, what: str) -> None:
    if item is not None and _dossier_id_of(item) != dossier.pk:
        raise PolicyError(f"{what} hoort niet bij dit dossier")


def _all_same_dossier(items: Iterable[models.Model], dossier: models.Model, what: str) -> list:
    items = list(items or [])
    for item in items:
        _same_dossier(item, dossier, f"{what} “{item}”")
    return items


def _text(value: object, label: str, max_length: int = 0, *, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise PolicyError(f"{label} is verplicht")
    if max_length and len(text) > max_length:
        raise PolicyError(f"{label} is te lang (hoogstens {max_length} tekens)")
    return text


def _choice(
    value: object, choices: type[models.TextChoices], label: str, *, blank: bool = False
) -> str:
    text = "" if value is None else str(value).strip()
    if blank and not text:
        return ""
    if text not in choices.values:
        allowed = ", ".join(choices.values)
        raise PolicyError(f"{label}: onbekende waarde “{text}” (kies uit {allowed})")
    return text


def _year(value: object, label: str = "jaar") -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise PolicyError(f"{label}: “{value}” is geen jaartal") from exc
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PolicyError(f"{label}: {year} ligt niet tussen {MIN_YEAR} en {MAX_YEAR}")
    return year


def _date(value: object, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise PolicyError(f"{label}: “{value}” is geen datum (jjjj-mm-dd)") from exc


def _whole(value: object, label: str, low: int = 0, high: int | None = None) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise PolicyError(f"{label}: “{value}” is geen geheel getal") from exc
    if number < low or (high is not None and number > high):
        bound = f"tussen {low} en {high}" if high is not None else f"{low} of meer"
        raise PolicyError(f"{label}: {number} moet {bound} zijn")
    return number


def _amount(value: object, label: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise PolicyError(f"{label}: “{value}” is geen bedrag") from exc
    if not amount.is_finite():
        raise PolicyError(f"{label}: “{value}” is geen bedrag")
    if amount < 0:
        raise PolicyError(f"{label}: een begroting kan niet negatief zijn")
    if amount > MAX_AMOUNT:
        raise PolicyError(f"{label}: bedrag te groot")
    return amount.quantize(Decimal("0.01"))


def _number(value: object, label: str) -> float:
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError) as exc:
        raise PolicyError(f"{label}: “{value}” is geen getal") from exc
    if not math.isfinite(number):
        raise PolicyError(f"{label}: “{value}” is geen eindig getal")
    return number


def _domains(value: object) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        raise PolicyError("domeinen: geef een lijst van woorden")
    return [str(v).strip()[:100] for v in value if str(v).strip()]


def _demo(dossier: models.Model) -> bool:
    return bool(getattr(dossier, "is_demo", False))


def _user(actor: object | None) -> object | None:
    return (
        actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
    )


def _label(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


# --- Deleting ---------------------------------------------------------------------------------


def references(item: models.Model) -> list[str]:
    """What still points at ``item`` (other than its own parts), e.g. ``["2 doelen"]``."""
    found = []
    for rel in item._meta.related_objects:
        if getattr(rel, "hidden", False) or not rel.get_accessor_name():
            continue
        accessor = rel.get_accessor_name()
        if accessor in OWNED_RELATIONS and rel.related_model._meta.app_label == "policy":
            continue
        if rel.one_to_one:
            count = int(rel.related_model.objects.filter(**{rel.field.name: item}).exists())
        else:
            count = getattr(item, accessor).count()
        if count:
            meta = rel.related_model._meta
            name = meta.verbose_name if count == 1 else meta.verbose_name_plural
            found.append(f"{count} {name}")
    return found


def _evidence_of(subjects: Iterable[models.Model]) -> models.QuerySet[EvidenceLink]:
    query = models.Q(pk__in=[])
    for subject in subjects:
        query |= models.Q(
            content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
        )
    return EvidenceLink.objects.filter(query)


def _delete(
    item: models.Model,
    *,
    parts: Iterable[models.Model] = (),
    dossier: models.Model,
    action: str,
    summary: str,
    before: dict[str, Any],
    actor: object | None,
    actor_label: str | None,
) -> None:
    """Delete ``item`` and the evidence links of it and its ``parts``, or refuse when in use."""
    used = references(item)
    if used:
        raise PolicyError(
            f"“{item}” is niet verwijderd: het wordt nog gebruikt door {', '.join(used)}. "
            "Haal die verwijzingen eerst weg."
        )
    with transaction.atomic():
        links = _evidence_of([item, *parts])
        before = {**before, "evidence": sorted(links.values_list("citation_id", flat=True))}
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action=action,
            dossier=dossier,
            target=item,
            summary=summary[:500],
            before=before,
        )
        links.delete()
        try:
            item.delete()
        except (ProtectedError, RestrictedError) as exc:
            names = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
            raise PolicyError(
                f"“{item}” is niet verwijderd: het wordt nog gebruikt door {', '.join(names)}."
            ) from exc


# --- Actors -----------------------------------------------------------------------------------


def _actor_values(dossier: models.Model, data: Mapping[str, Any], exclude: int | None) -> dict:
    name = _text(data.get("name"), "naam", 200, required=True)
    if Actor.objects.filter(dossier=dossier, name__iexact=name).exclude(pk=exclude).exists():
        raise PolicyError(f"er is al een actor “{name}” in dit dossier")
    return {
        "name": name,
        "kind": _choice(data.get("kind"), Actor.Kind, "soort"),
        "description": _text(data.get("description"), "beschrijving"),
        "contact": _text(data.get("contact"), "contactpersoon", 200),
    }


def actor_create(
    *,
    dossier: models.Model,
    name: str,
    kind: str,
    description: str = "",
    contact: str = "",
    actor: object | None,
    actor_label: str | None = None,
) -> Actor:
    """Add an actor (directie, stadsdeel, partner, target group …) to the dossier's register."""
    values = _actor_values(
        dossier, {"name": name, "kind": kind, "description": description, "contact": contact}, None
    )
    with transaction.atomic():
        item = Actor.objects.create(
            dossier=dossier, is_demo=_demo(dossier), created_by=_user(actor), **values
        )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="policy.actor_create",
            dossier=dossier,
            target=item,
            summary=f"Actor toegevoegd: {item.name} ({item.get_kind_display()})",
            after=snapshot(item, ACTOR_FIELDS),
        )
    return item


def actor_update(
    *, item: Actor, actor: object | None, actor_label: str | None = None, **changes: Any
) -> Actor:
    """Change an actor; a directie that owns measures keeps its kind."""
    unknown = set(changes) - set(ACTOR_FIELDS)
    if unknown:
        raise PolicyError(f"onbekende velden: {', '.join(sorted(unknown))}")
    data = {**snapshot(item, ACTOR_FIELDS), **changes}
    values = _actor_values(item.dossier, data, item.pk)
    if (
        item.kind == Actor.Kind.DIRECTIE
        and values["kind"] != Actor.Kind.DIRECTIE
        and item.owned_measures.exists()
    ):
        raise PolicyError(
            f"“{item}” is eigenaar van maatregelen en moet daarom een directie blijven"
        )
    with transaction.atomic():
        before = snapshot(item, ACTOR_FIELDS)
        for name, value in values.items():
            setattr(item, name, value)
        item.save()
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="policy.actor_update",
            dossier=item.dossier,
            target=item,
            summary=f"Actor gewijzigd: {item.name}",
            before=before,
            after=snapshot(item, ACTOR_FIELDS),
        )
    return item


def actor_delete(*, item: Actor, actor: object | None, actor_label: str | None = None) -> None:
    """Remove an actor that no goal, measure or other register entry points at."""
    _delete(
        item,
        dossier=item.dossier,
        action="policy.actor_delete",
        summary=f"Actor verwijderd: {item.name}",
        before=snapshot(item, ACTOR_FIELDS),
        actor=actor,
        actor_label=actor_label,
    )


# --- Goals ------------------------------------------------------------------------------------


def _goal_state(goal: Goal) -> dict[str, Any]:
    state = snapshot(goal, GOAL_FIELDS)
    state["target_groups"] = sorted(goal.target_groups.values_list("pk", flat=True))
    return state


def _check_goal_place(goal: Goal | None, level: str, parent: Goal | None) -> None:
    """A goal serves a goal of the same or an earlier level, and never (indirectly) itself."""
    if parent is not None:
        if GOAL_LEVEL_ORDER[parent.level] > GOAL_LEVEL_ORDER[level]:
            raise PolicyError(
                f"een doel op niveau “{_label(Goal.Level, level)}” kan geen doel op het lagere "
                f"niveau “{_label(Goal.Level, parent.level)}” dienen"
            )
        seen: set[int] = set()
        node: Goal | None = parent
        while node is not None and node.pk not in seen:
            if goal is not None and node.pk == goal.pk:
                raise PolicyError(
                    f"“{parent}” dient (via andere doelen) al “{goal}”: dat zou een kring geven"
                )
            seen.add(node.pk)
            node = node.parent
    if goal is not None and goal.pk:
        for child in goal.children.all():
            if GOAL_LEVEL_ORDER[child.level] < GOAL_LEVEL_ORDER[level]:
                raise PolicyError(
                    f"het subdoel “{child}” ligt op een hoger niveau dan "
                    f"“{_label(Goal.Level, level)}”; pas eerst dat doel aan"
                )


def _goal_values(dossier: models.Model, data: Mapping[str, Any], goal: Goal | None) -> dict:
    title = _text(data.get("title"), "doel", 300, required=True)
    exclude = goal.pk if goal is not None else None
    if Goal.objects.filter(dossier=dossier, title__iexact=title).exclude(pk=exclude).exists():
        raise PolicyError(f"er is al een doel “{title}” in dit dossier")
    level = _choice(data.get("level"), Goal.Level, "niveau")
    parent = data.get("parent")
    owner = data.get("owner")
    _same_dossier(parent, dossier, "het bovenliggende doel")
    _same_dossier(owner, dossier, "de eigenaar")
    _check_goal_place(goal, level, parent)
    return {
        "code": _text(data.get("code"), "code", 30),
        "title": title,
        "description": _text(data.get("description"), "beschrijving"),
        "level": level,
        "parent": parent,
        "owner": owner,
        "domains": _domains(data.get("domains")),
        "order": _whole(data.get("order"), "volgorde") or 0,
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
    groups = _all_same_dossier(target_groups, dossier, "doelgroep")
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
        raise PolicyError(f"onbekende velden: {', '.join(sorted(unknown))}")
    data = {name: getattr(goal, name) for name in GOAL_FIELDS}
    data.update(changes)
    values = _goal_values(goal.dossier, data, goal)
    groups = (
        _all_same_dossier(target_groups, goal.dossier, "doelgroep")
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


# --- Measures ---------------------------------------------------------------------------------


def _measure_state(measure: Measure) -> dict[str, Any]:
    state = snapshot(measure, MEASURE_FIELDS)
    state["goals"] = sorted(measure.goals.values_list("pk", flat=True))
    state["target_groups"] = sorted(measure.target_groups.values_list("pk", flat=True))
    state["budgets"] = {str(b.year): str(b.amount) for b in measure.budgets.all()}
    return state


def _measure_values(dossier: models.Model, data: Mapping[str, Any], exclude: int | None) -> dict:
    name = _text(data.get("name"), "naam", 200, required=True)
    owner = data.get("owner")
    if owner is not None:
        _same_dossier(owner, dossier, "de eigenaar")
        if owner.kind != Actor.Kind.DIRECTIE:
            raise PolicyError(
                f"de eigenaar van een maatregel is een directie; “{owner}” is "
                f"{owner.get_kind_display()}"
            )
    same = Measure.objects.filter(dossier=dossier, name__iexact=name, owner=owner)
    if same.exclude(pk=exclude).exists():
        whose = f" van {owner}" if owner else ""
        raise PolicyError(f"er is al een maatregel “{name}”{whose} in dit dossier")
    start = _date(data.get("start"), "start")
    end = _date(data.get("end"), "einde")
    if start and end and end < start:
        raise PolicyError("einde: de maatregel eindigt vóór de start")
    values = {
        "name": name,
        "owner": owner,
        "status": _choice(data.get("status"), Measure.Status, "status", blank=True),
        "start": start,
        "end": end,
        "reach": _whole(data.get("reach"), "bereik"),
        "origin": _choice(
            data.get("origin") or Measure.Origin.HANDMATIG, Measure.Origin, "herkomst"
        ),
        "uitvraag_number": _whole(data.get("uitvraag_number"), "uitvraagnummer", 1, 10),
    }
    for field, (label, length) in _MEASURE_TEXTS.items():
        values[field] = _text(data.get(field), label, length)
    return values


def _budgets(budgets: Mapping[object, object] | Iterable[tuple[object, object]]) -> dict:
    pairs = budgets.items() if isinstance(budgets, Mapping) else budgets
    result: dict[int, Decimal] = {}
    for year, amount in pairs:
        y = _year(year, "begrotingsjaar")
        if y in result:
            raise PolicyError(f"begroting: het jaar {y} staat er twee keer in")
        result[y] = _amount(amount, f"begroting {y}")
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
        raise PolicyError(f"onbekende velden: {', '.join(sorted(unknown))}")
    values = _measure_values(dossier, {**fields, "name": name, "owner": owner}, None)
    goal_list = _all_same_dossier(goals, dossier, "doel")
    groups = _all_same_dossier(target_groups, dossier, "doelgroep")
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
        raise PolicyError(f"onbekende velden: {', '.join(sorted(unknown))}")
    dossier = measure.dossier
    data = {name: getattr(measure, name) for name in MEASURE_FIELDS}
    data.update(changes)
    values = _measure_values(dossier, data, measure.pk)
    goal_list = _all_same_dossier(goals, dossier, "doel") if goals is not None else None
    groups = (
        _all_same_dossier(target_groups, dossier, "doelgroep")
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


# --- Policy theory ----------------------------------------------------------------------------


def _rank(kind: str) -> int:
    return TheoryStep.KIND_ORDER[TheoryStep.Kind(kind)]


def _step_values(measure: Measure, data: Mapping[str, Any]) -> dict:
    kind = _choice(data.get("kind"), TheoryStep.Kind, "soort stap")
    goal = data.get("goal")
    if goal is not None:
        _same_dossier(goal, measure.dossier, "het doel")
        if kind != TheoryStep.Kind.DOEL:
            raise PolicyError("alleen een stap van de soort ‘doel’ kan naar een doel verwijzen")
    return {
        "kind": kind,
        "text": _text(data.get("text"), "beschrijving", 500, required=True),
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
            measure=measure, order=_whole(order, "volgorde") or 0, **values
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
        raise PolicyError(f"onbekende velden: {', '.join(sorted(unknown))}")
    data = {name: getattr(step, name) for name in STEP_FIELDS}
    data.update(changes)
    values = _step_values(step.measure, data)
    rank = _rank(values["kind"])
    for link in step.links_out.select_related("target"):
        if rank > _rank(link.target.kind):
            raise PolicyError(
                f"de schakel naar “{link.target.text}” zou dan terug in de keten gaan"
            )
    for link in step.links_in.select_related("source"):
        if _rank(link.source.kind) > rank:
            raise PolicyError(f"de schakel van “{link.source.text}” zou dan terug in de keten gaan")
    with transaction.atomic():
        before = snapshot(step, STEP_FIELDS)
        for name, value in values.items():
            setattr(step, name, value)
        step.order = _whole(data.get("order"), "volgorde") or 0
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
        raise PolicyError("een schakel verbindt twee stappen van dezelfde maatregel")
    if source.pk == target.pk:
        raise PolicyError("een stap kan niet naar zichzelf leiden")
    if _rank(source.kind) > _rank(target.kind):
        raise PolicyError(
            f"een schakel gaat vooruit in de keten activiteit → output → outcome → doel; "
            f"niet van {source.get_kind_display()} naar {target.get_kind_display()}"
        )
    reason = _text(rationale, "onderbouwing", required=True)
    if TheoryLink.objects.filter(source=source, target=target).exists():
        raise PolicyError("deze schakel bestaat al")
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
    reason = _text(rationale, "onderbouwing", required=True)
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


# --- Indicators -------------------------------------------------------------------------------


def _indicator_state(indicator: Indicator) -> dict[str, Any]:
    state = snapshot(indicator, INDICATOR_FIELDS)
    state["goals"] = sorted(indicator.goals.values_list("pk", flat=True))
    state["measures"] = sorted(indicator.measures.values_list("pk", flat=True))
    return state


def _indicator_values(
    dossier: models.Model, data: Mapping[str, Any], indicator: Indicator | None
) -> dict:
    from kansenaudit.web.areas.models import Area
    from kansenaudit.web.policy.selectors import catalogue_indicators

    name = _text(data.get("name"), "naam", 200, required=True)
    exclude = indicator.pk if indicator is not None else None
    if Indicator.objects.filter(dossier=dossier, name__iexact=name).exclude(pk=exclude).exists():
        raise PolicyError(f"er is al een indicator “{name}” in dit dossier")
    source = _choice(data.get("source") or Indicator.Source.HANDMATIG, Indicator.Source, "bron")
    key = _text(data.get("catalogue_key"), "catalogusindicator", 100)
    area = _text(data.get("area_code"), "gebiedscode", 20)
    values = {
        "name": name,
        "source": source,
        "catalogue_key": key,
        "area_code": area,
        "definition": _text(data.get("definition"), "definitie"),
        "unit": _text(data.get("unit"), "eenheid", 50),
        "polarity": data.get("polarity") or "",
    }
    if source == Indicator.Source.CATALOGUS:
        catalogue = catalogue_indicators()
        if key not in catalogue:
            raise PolicyError(
                f"catalogusindicator: “{key}” staat niet in de indicatorcatalogus"
                if key
                else "catalogusindicator: kies een indicator uit de catalogus"
            )
        item = catalogue[key]
        values["definition"] = values["definition"] or item.definition
        values["unit"] = values["unit"] or item.unit[:50]
        values["polarity"] = values["polarity"] or POLARITY_FROM_CATALOGUE.get(
            item.polarity, Indicator.Polarity.NEUTRAAL
        )
        areas = Area.objects.filter(municipality_code=getattr(dossier, "municipality_code", ""))
        if area and areas.exists() and not areas.filter(code=area).exists():
            raise PolicyError(f"gebiedscode: “{area}” is geen gebied van deze gemeente")
        if (
            indicator is not None
            and indicator.values.filter(kind=IndicatorValue.Kind.REALISATIE).exists()
        ):
            raise PolicyError(
                "deze indicator heeft handmatige realisaties; verwijder die eerst, want bij een "
                "catalogusindicator komen de realisaties uit de statistiek"
            )
    elif key:
        raise PolicyError(
            "catalogusindicator: alleen een indicator met bron ‘catalogus’ heeft er één"
        )
    values["polarity"] = _choice(
        values["polarity"] or Indicator.Polarity.NEUTRAAL, Indicator.Polarity, "richting"
    )
    return values


def indicator_create(
    *,
    dossier: models.Model,
    name: str,
    source: str = Indicator.Source.HANDMATIG,
    catalogue_key: str = "",
    area_code: str = "",
    definition: str = "",
    unit: str = "",
    polarity: str = "",
    goals: Iterable[Goal] = (),
    measures: Iterable[Measure] = (),
    actor: object | None,
    actor_label: str | None = None,
) -> Indicator:
    """Add an indicator: a catalogue indicator of the statistics engine, or one kept by hand.

    For a catalogue indicator, an empty definition, unit or direction is taken from the
    catalogue, and ``area_code`` (empty: the whole city) must be an area of the municipality.
    """
    values = _indicator_values(
        dossier,
        {
            "name": name,
            "source": source,
            "catalogue_key": catalogue_key,
            "area_code": area_code,
            "definition": definition,
            "unit": unit,
            "polarity": polarity,
        },
        None,
    )
    goal_list = _all_same_dossier(goals, dossier, "doel")
    measure_list = _all_same_dossier(measures, dossier, "maatregel")
    with transaction.atomic():
        indicator = Indicator.objects.create(
            dossier=dossier, is_demo=_demo(dossier), created_by=_user(actor), **values
        )
        indicator.goals.set(goal_list)
        indicator.measures.set(measure_list)
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="policy.indicator_create",
            dossier=dossier,
            target=indicator,
            summary=f"Indicator toegevoegd: {indicator}",
            after=_indicator_state(indicator),
        )
    return indicator


def indicator_update(
    *,
    indicator: Indicator,
    actor: object | None,
    actor_label: str | None = None,
    goals: Iterable[Goal] | None = None,
    measures: Iterable[Measure] | None = None,
    **changes: Any,
) -> Indicator:
    """Change an indicator; ``goals`` and ``measures``, when given, replace the links."""
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise PolicyError(f"onbekende velden: {', '.join(sorted(unknown))}")
    dossier = indicator.dossier
    data = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    data.update(changes)
    values = _indicator_values(dossier, data, indicator)
    goal_list = _all_same_dossier(goals, dossier, "doel") if goals is not None else None
    measure_list = (
        _all_same_dossier(measures, dossier, "maatregel") if measures is not None else None
    )
    with transaction.atomic():
        before = _indicator_state(indicator)
        for name, value in values.items():
            setattr(indicator, name, value)
        indicator.save()
        if goal_list is not None:
            indicator.goals.set(goal_list)
        if measure_list is not None:
            indicator.measures.set(measure_list)
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="policy.indicator_update",
            dossier=dossier,
            target=indicator,
            summary=f"Indicator gewijzigd: {indicator}",
            before=before,
            after=_indicator_state(indicator),
        )
    return indicator


def indicator_delete(
    *, indicator: Indicator, actor: object | None, actor_label: str | None = None
) -> None:
    """Remove an indicator with its values, unless others (council items …) point at it."""
    _delete(
        indicator,
        parts=list(indicator.values.all()),
        dossier=indicator.dossier,
        action="policy.indicator_delete",
        summary=f"Indicator verwijderd: {indicator}",
        before=_indicator_state(indicator),
        actor=actor,
        actor_label=actor_label,
    )


def _value_state(value: IndicatorValue) -> dict[str, Any]:
    return snapshot(value, VALUE_FIELDS)


def indicator_value_set(
    *,
    indicator: Indicator,
    kind: str,
    year: object,
    value: object,
    note: str = "",
    citation: models.Model | None = None,
    actor: object | None,
    actor_label: str | None = None,
) -> IndicatorValue:
    """Record the baseline, a target or a realised value of an indicator in one year.

    A value of the same kind and year is replaced. An indicator has at most one baseline
    (nulmeting). The realised values of a catalogue indicator come from the statistics engine
    and are not entered by hand. ``citation`` is where the value was reported.
    """
    kind = _choice(kind, IndicatorValue.Kind, "soort waarde")
    year = _year(year)
    number = _number(value, "waarde")
    note = _text(note, "toelichting", 500)
    _same_dossier(citation, indicator.dossier, "het citaat")
    if kind == IndicatorValue.Kind.REALISATIE and indicator.source == Indicator.Source.CATALOGUS:
        raise PolicyError(
            "de gerealiseerde waarden van een catalogusindicator komen uit de statistiek; "
            "voer alleen nulmeting en streefwaarden in"
        )
    if kind == IndicatorValue.Kind.NULMETING:
        other = indicator.values.filter(kind=kind).exclude(year=year).first()
        if other is not None:
            raise PolicyError(
                f"deze indicator heeft al een nulmeting ({other.year}); verwijder die eerst"
            )
    with transaction.atomic():
        item = indicator.values.filter(kind=kind, year=year).first()
        before = _value_state(item) if item is not None else None
        if item is None:
            item = IndicatorValue(indicator=indicator, kind=kind, year=year)
        item.value, item.note, item.citation = number, note, citation
        item.save()
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="policy.indicator_value_set",
            dossier=indicator.dossier,
            target=item,
            summary=f"{indicator}: {item.get_kind_display()} {year} = {number:g}"[:500],
            before=before,
            after=_value_state(item),
        )
    return item


def indicator_value_delete(
    *, value: IndicatorValue, actor: object | None, actor_label: str | None = None
) -> None:
    """Remove one value of an indicator."""
    _delete(
        value,
        dossier=value.indicator.dossier,
        action="policy.indicator_value_delete",
        summary=f"Waarde verwijderd: {value}",
        before=_value_state(value),
        actor=actor,
        actor_label=actor_label,
    )


# --- Evidence links ---------------------------------------------------------------------------


def evidence_link_add(
    *,
    dossier: models.Model,
    subject: models.Model,
    citation: models.Model,
    actor: object | None,
    note: str = "",
    actor_label: str | None = None,
) -> EvidenceLink:
    """Attach a citation of the evidence store to a register object (goal, measure, link, …).

    Subject and citation must both belong to ``dossier``: evidence never crosses dossiers.
    Linking the same citation twice to the same subject returns the existing link.
    """
    if _dossier_id_of(subject) != dossier.pk:
        raise PolicyError("dit onderdeel hoort niet bij dit dossier")
    if citation.dossier_id != dossier.pk:
        raise PolicyError("dit citaat hoort niet bij dit dossier")
    content_type = ContentType.objects.get_for_model(subject)
    with transaction.atomic():
        link, created = EvidenceLink.objects.get_or_create(
            citation=citation,
            content_type=content_type,
            object_id=subject.pk,
            defaults={
                "dossier": dossier,
                "note": note[:500],
                "created_by": actor if getattr(actor, "pk", None) else None,
            },
        )
        if created:
            audit_record(
                actor=actor,
                actor_label=actor_label,
                action="policy.evidence_add",
                dossier=dossier,
                target=link,
                summary=f"Bewijs bij {subject}: {citation}"[:500],
                after={
                    "subject": f"{content_type.app_label}.{content_type.model}:{subject.pk}",
                    "citation": citation.pk,
                    "note": note[:500],
                },
            )
    return link


def evidence_link_remove(*, link: EvidenceLink, actor: object | None) -> None:
    """Detach a citation from its subject (the citation itself stays in the evidence store)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="policy.evidence_remove",
            dossier=link.dossier,
            target=link,
            summary=f"Bewijs verwijderd: {link.citation}"[:500],
            before={
                "subject": f"{link.content_type.app_label}.{link.content_type.model}:"
                f"{link.object_id}",
                "citation": link.citation_id,
                "note": link.note,
            },
        )
        link.delete()
