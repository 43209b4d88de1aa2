# SPDX-License-Identifier: EUPL-1.2
"""Importing policy registers from the JSON of :func:`exports.registers_json`.

The import is all or nothing: the file is checked first (structure, choices, references
between its records and to what the dossier already holds) and every error names the record
and the field; then everything is written in one transaction through the services, so each
change has its audit entry. Records are matched by name (actors by name, goals by title,
measures by directie and name, indicators by name, steps by kind and text, links by their
steps, values by kind and year): importing the same file twice changes nothing the second
time. The import adds and updates; it never deletes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from kansenaudit import safe_json
from kansenaudit.web.core.json_errors import json_problem
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.policy import services
from kansenaudit.web.policy.exports import JSON_FORMAT, JSON_VERSION, MEASURE_COLUMNS
from kansenaudit.web.policy.models import (
    Actor,
    Goal,
    Indicator,
    IndicatorValue,
    Measure,
    TheoryLink,
    TheoryStep,
)
from kansenaudit.web.policy.services import PolicyError

# The largest registers file read (the CLI and the web upload): far above any real dossier.
MAX_IMPORT_BYTES = 50 * 2**20


def parse_registers_json(data: bytes, name: str) -> object:
    """The JSON in ``data`` (a file called ``name``), or :class:`ImportFileError` saying why not:
    too large, not UTF-8, not JSON (with line and column), or a number out of bounds (with
    its field)."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError([f"{name}: groter dan {MAX_IMPORT_BYTES // 2**20} MB"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError([f"{name}: geen UTF-8-tekst"]) from exc
    try:
        return safe_json.loads(text)
    except safe_json.JsonNumberError as exc:  # e.g. an integer of 100,000 digits, or 1e400
        raise ImportFileError([f"{name}: {exc}"]) from exc
    except json.JSONDecodeError as exc:
        raise ImportFileError([f"{name}: {json_problem(exc)}"]) from exc
    except RecursionError as exc:  # absurdly deep nesting: hostile, not a registers file
        raise ImportFileError([f"{name}: te diep geneste JSON"]) from exc


class ImportFileError(PolicyError):
    """The file cannot be imported; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            "toegevoegd": dict(self.created),
            "gewijzigd": dict(self.updated),
            "ongewijzigd": dict(self.unchanged),
        }


SECTIONS = {"actors": "actoren", "goals": "doelen", "measures": "maatregelen"}
SECTIONS["indicators"] = "indicatoren"


def _key(text: object) -> str:
    return str(text or "").strip().casefold()


def _where(section: str, index: int, record: object, name_field: str) -> str:
    name = record.get(name_field) if isinstance(record, dict) else None
    label = f" “{name}”" if name else ""
    return f"{SECTIONS.get(section, section)}[{index}]{label}"


def _check_structure(data: object) -> list[str]:
    """Types and required fields: every problem, each with record and field."""
    if not isinstance(data, dict):
        return ["het bestand is geen JSON-object"]
    errors = []
    if data.get("format") != JSON_FORMAT:
        errors.append(f"veld 'format': verwacht “{JSON_FORMAT}”, gevonden “{data.get('format')}”")
    if data.get("version") != JSON_VERSION:
        errors.append(f"veld 'version': versie {data.get('version')} wordt niet ondersteund")
    specs = {
        "actors": ("name", {"name": str, "kind": str}),
        "goals": ("title", {"title": str, "level": str}),
        "measures": ("name", {"name": str}),
        "indicators": ("name", {"name": str}),
    }
    for section, (name_field, required) in specs.items():
        items = data.get(section, [])
        if not isinstance(items, list):
            errors.append(f"{SECTIONS[section]}: verwacht een lijst")
            continue
        seen: set[str] = set()
        for index, record in enumerate(items):
            where = _where(section, index, record, name_field)
            if not isinstance(record, dict):
                errors.append(f"{where}: verwacht een object")
                continue
            for name, kind in required.items():
                if not isinstance(record.get(name), kind) or not str(record.get(name)).strip():
                    errors.append(f"{where}, veld '{name}': ontbreekt of is leeg")
            for name in ("goals", "target_groups", "budgets", "values", "measures", "domains"):
                if name in record and not isinstance(record[name], list):
                    errors.append(f"{where}, veld '{name}': verwacht een lijst")
            ident = _key(record.get(name_field))
            if section == "measures":
                ident = f"{_key(record.get('owner'))}|{ident}"
            if ident in seen:
                errors.append(f"{where}: staat twee keer in het bestand")
            seen.add(ident)
    return errors


def _check_references(data: dict, dossier: models.Model) -> list[str]:
    """Names that must exist, in the file or in the dossier already; choices."""
    errors = []
    actors = {_key(a.get("name")): a.get("kind") for a in data.get("actors", [])}
    for a in Actor.objects.filter(dossier=dossier):
        actors.setdefault(_key(a.name), a.kind)
    goals = {_key(g.get("title")) for g in data.get("goals", [])}
    goals |= {_key(t) for t in Goal.objects.filter(dossier=dossier).values_list("title", flat=True)}
    measures = {(_key(m.get("owner")), _key(m.get("name"))) for m in data.get("measures", [])}
    measures |= {
        (_key(owner), _key(name))
        for name, owner in Measure.objects.filter(dossier=dossier).values_list(
            "name", "owner__name"
        )
    }

    def choice(where: str, name: str, value: object, choices: type[models.TextChoices]) -> None:
        if value not in (None, "") and value not in choices.values:
            errors.append(f"{where}, veld '{name}': onbekende waarde “{value}”")

    def names(where: str, name: str, values: object, known: set | dict) -> None:
        for value in values or []:
            if _key(value) not in known:
                errors.append(f"{where}, veld '{name}': “{value}” bestaat niet")

    for i, a in enumerate(data.get("actors", [])):
        choice(_where("actors", i, a, "name"), "kind", a.get("kind"), Actor.Kind)
    for i, g in enumerate(data.get("goals", [])):
        where = _where("goals", i, g, "title")
        choice(where, "level", g.get("level"), Goal.Level)
        if g.get("parent"):
            names(where, "parent", [g["parent"]], goals)
        if g.get("owner"):
            names(where, "owner", [g["owner"]], actors)
        names(where, "target_groups", g.get("target_groups"), actors)
    for i, m in enumerate(data.get("measures", [])):
        where = _where("measures", i, m, "name")
        owner = m.get("owner")
        if owner:
            if _key(owner) not in actors:
                errors.append(f"{where}, veld 'owner': “{owner}” bestaat niet")
            elif actors[_key(owner)] != Actor.Kind.DIRECTIE:
                errors.append(f"{where}, veld 'owner': “{owner}” is geen directie")
        choice(where, "status", m.get("status"), Measure.Status)
        choice(where, "origin", m.get("origin"), Measure.Origin)
        names(where, "goals", m.get("goals"), goals)
        names(where, "target_groups", m.get("target_groups"), actors)
        for b in m.get("budgets") or []:
            if not isinstance(b, dict) or "year" not in b or "amount" not in b:
                errors.append(f"{where}, veld 'budgets': elk item heeft 'year' en 'amount'")
        theory = m.get("theory") or {}
        if not isinstance(theory, dict):
            errors.append(f"{where}, veld 'theory': verwacht een object")
            continue
        keys = set()
        for j, s in enumerate(theory.get("steps") or []):
            if not isinstance(s, dict):
                errors.append(f"{where}, theory.steps[{j}]: verwacht een object")
                continue
            keys.add(s.get("key"))
            choice(where, f"theory.steps[{j}].kind", s.get("kind"), TheoryStep.Kind)
            if not s.get("kind") or not str(s.get("text") or "").strip():
                errors.append(f"{where}, theory.steps[{j}]: 'kind' en 'text' zijn verplicht")
            if s.get("goal"):
                names(where, f"theory.steps[{j}].goal", [s["goal"]], goals)
        for j, link in enumerate(theory.get("links") or []):
            if not isinstance(link, dict):
                errors.append(f"{where}, theory.links[{j}]: verwacht een object")
                continue
            for end in ("source", "target"):
                if link.get(end) not in keys:
                    errors.append(
                        f"{where}, theory.links[{j}].{end}: stap “{link.get(end)}” bestaat niet"
                    )
    for i, ind in enumerate(data.get("indicators", [])):
        where = _where("indicators", i, ind, "name")
        choice(where, "source", ind.get("source"), Indicator.Source)
        choice(where, "polarity", ind.get("polarity"), Indicator.Polarity)
        names(where, "goals", ind.get("goals"), goals)
        for ref in ind.get("measures") or []:
            if not isinstance(ref, dict) or (_key(ref.get("owner")), _key(ref.get("name"))) not in (
                measures
            ):
                errors.append(f"{where}, veld 'measures': maatregel {ref} bestaat niet")
        for j, v in enumerate(ind.get("values") or []):
            if not isinstance(v, dict):
                errors.append(f"{where}, values[{j}]: verwacht een object")
                continue
            choice(where, f"values[{j}].kind", v.get("kind"), IndicatorValue.Kind)
            for name in ("kind", "year", "value"):
                if v.get(name) in (None, ""):
                    errors.append(f"{where}, values[{j}].{name}: ontbreekt")
            for name, kind in (("year", int), ("value", float)):
                try:
                    kind(str(v.get(name)))
                except ValueError:
                    if v.get(name) not in (None, ""):
                        errors.append(f"{where}, values[{j}].{name}: “{v.get(name)}” is geen getal")
    return errors


def _goal_order(goals: list[dict]) -> list[tuple[int, dict]]:
    """The file's goals with every parent before its children (file order otherwise)."""
    by_title = {_key(g["title"]): i for i, g in enumerate(goals)}
    done: list[int] = []
    state: dict[int, int] = {}

    def visit(i: int) -> None:
        if state.get(i) == 2:
            return
        if state.get(i) == 1:
            raise ImportFileError([f"doelen[{i}] “{goals[i]['title']}”, veld 'parent': kring"])
        state[i] = 1
        parent = by_title.get(_key(goals[i].get("parent")))
        if parent is not None:
            visit(parent)
        state[i] = 2
        done.append(i)

    for i in range(len(goals)):
        visit(i)
    return [(i, goals[i]) for i in done]


class _Importer:
    def __init__(self, dossier: models.Model, actor: object | None, label: str | None) -> None:
        self.dossier = dossier
        self.who = {"actor": actor, "actor_label": label}
        self.report = ImportReport()

    def actor(self, name: object) -> Actor | None:
        if not name:
            return None
        return Actor.objects.get(dossier=self.dossier, name__iexact=str(name).strip())

    def goal(self, title: object) -> Goal | None:
        if not title:
            return None
        return Goal.objects.get(dossier=self.dossier, title__iexact=str(title).strip())

    def measure(self, name: object, owner: object) -> Measure:
        return Measure.objects.get(
            dossier=self.dossier, name__iexact=str(name).strip(), owner=self.actor(owner)
        )

    def count(self, kind: str, created: bool, changed: bool) -> None:
        (
            self.report.created
            if created
            else self.report.updated
            if changed
            else self.report.unchanged
        )[kind] += 1

    def upsert(
        self,
        kind: str,
        item: models.Model | None,
        fields: dict,
        sets: dict,
        create: Callable[..., Any],
        update: Callable[..., Any],
    ) -> models.Model:
        """Create, or update only when a field or a set of links differs."""
        if item is None:
            item = create(**fields, **sets, **self.who)
            self.count(kind, True, False)
            return item
        changed = {k: v for k, v in fields.items() if _differs(getattr(item, k), v)}
        changed_sets = {
            k: v
            for k, v in sets.items()
            if {o.pk for o in getattr(item, k).all()} != {o.pk for o in v}
        }
        if changed or changed_sets:
            item = update(item, **changed, **changed_sets, **self.who)
        self.count(kind, False, bool(changed or changed_sets))
        return item


def _differs(current: object, new: object) -> bool:
    if hasattr(current, "pk") or hasattr(new, "pk"):
        return getattr(current, "pk", None) != getattr(new, "pk", None)
    if hasattr(current, "isoformat"):
        current = current.isoformat()
    return ("" if current is None else str(current)) != ("" if new is None else str(new))


def registers_import(
    *, dossier: models.Model, data: object, actor: object | None, actor_label: str | None = None
) -> ImportReport:
    """Import the registers in ``data`` into ``dossier``: everything or nothing.

    Raises :class:`ImportFileError` with every problem found (record and field named).
    """
    errors = _check_structure(data)
    if not errors:
        errors = _check_references(data, dossier)
    if errors:
        raise ImportFileError(errors)
    run = _Importer(dossier, actor, actor_label)
    try:
        with transaction.atomic():
            _apply(run, data)
            audit_record(
                actor=actor,
                actor_label=actor_label,
                action="policy.import",
                dossier=dossier,
                summary="Beleidsregisters ingelezen",
                after=run.report.as_dict(),
            )
    except PolicyError as exc:
        if isinstance(exc, ImportFileError):
            raise
        raise ImportFileError([str(exc)]) from exc
    return run.report


def _step(where: str, call: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except ImportFileError:
        raise
    except PolicyError as exc:
        raise ImportFileError([f"{where}: {exc}"]) from exc


def _apply(run: _Importer, data: dict) -> None:
    d = run.dossier
    for i, a in enumerate(data.get("actors", [])):
        where = _where("actors", i, a, "name")
        existing = Actor.objects.filter(dossier=d, name__iexact=a["name"].strip()).first()
        fields = {
            "name": a["name"].strip(),
            "kind": a["kind"],
            "description": a.get("description") or "",
            "contact": a.get("contact") or "",
        }
        _step(
            where,
            run.upsert,
            "actoren",
            existing,
            fields,
            {},
            lambda **kw: services.actor_create(dossier=d, **kw),
            lambda item, **kw: services.actor_update(item=item, **kw),
        )
    for i, g in _goal_order(data.get("goals", [])):
        where = _where("goals", i, g, "title")
        existing = Goal.objects.filter(dossier=d, title__iexact=g["title"].strip()).first()
        fields = {
            "title": g["title"].strip(),
            "level": g["level"],
            "code": g.get("code") or "",
            "description": g.get("description") or "",
            "parent": run.goal(g.get("parent")),
            "owner": run.actor(g.get("owner")),
            "domains": g.get("domains") or [],
            "order": g.get("order") or 0,
        }
        sets = {"target_groups": [run.actor(n) for n in g.get("target_groups") or []]}
        _step(
            where,
            run.upsert,
            "doelen",
            existing,
            fields,
            sets,
            lambda **kw: services.goal_create(dossier=d, **kw),
            lambda item, **kw: services.goal_update(goal=item, **kw),
        )
    for i, m in enumerate(data.get("measures", [])):
        where = _where("measures", i, m, "name")
        owner = run.actor(m.get("owner"))
        existing = Measure.objects.filter(
            dossier=d, name__iexact=m["name"].strip(), owner=owner
        ).first()
        fields = {"name": m["name"].strip(), "owner": owner}
        for f, _c in MEASURE_COLUMNS:
            value = m.get(f)
            fields[f] = "" if value is None and f in services._MEASURE_TEXTS else value
        fields["origin"] = fields.get("origin") or Measure.Origin.HANDMATIG
        fields["status"] = fields.get("status") or ""
        sets = {
            "goals": [run.goal(t) for t in m.get("goals") or []],
            "target_groups": [run.actor(n) for n in m.get("target_groups") or []],
        }
        budgets = {b["year"]: b["amount"] for b in m.get("budgets") or []}
        measure = _step(
            where,
            run.upsert,
            "maatregelen",
            existing,
            fields,
            sets,
            lambda budgets=budgets, **kw: services.measure_create(dossier=d, budgets=budgets, **kw),
            lambda item, **kw: services.measure_update(measure=item, **kw),
        )
        current = {str(b.year): str(b.amount) for b in measure.budgets.all()}
        wanted = {
            str(services._year(y)): str(services._amount(a, "bedrag")) for y, a in budgets.items()
        }
        if existing is not None and current != wanted:
            unchanged_before = run.report.unchanged["maatregelen"]
            _step(where, services.measure_update, measure=measure, budgets=budgets, **run.who)
            if unchanged_before:  # only the budgets changed: count the measure as updated
                run.report.unchanged["maatregelen"] -= 1
                run.report.updated["maatregelen"] += 1
                if not run.report.unchanged["maatregelen"]:
                    del run.report.unchanged["maatregelen"]
        _import_theory(run, where, measure, m.get("theory") or {})
    for i, ind in enumerate(data.get("indicators", [])):
        where = _where("indicators", i, ind, "name")
        existing = Indicator.objects.filter(dossier=d, name__iexact=ind["name"].strip()).first()
        fields = {
            "name": ind["name"].strip(),
            "source": ind.get("source") or Indicator.Source.HANDMATIG,
            "catalogue_key": ind.get("catalogue_key") or "",
            "area_code": ind.get("area_code") or "",
            "definition": ind.get("definition") or "",
            "unit": ind.get("unit") or "",
            "polarity": ind.get("polarity") or "",
        }
        sets = {
            "goals": [run.goal(t) for t in ind.get("goals") or []],
            "measures": [
                run.measure(r.get("name"), r.get("owner")) for r in ind.get("measures") or []
            ],
        }
        indicator = _step(
            where,
            run.upsert,
            "indicatoren",
            existing,
            fields,
            sets,
            lambda **kw: services.indicator_create(dossier=d, **kw),
            lambda item, **kw: services.indicator_update(indicator=item, **kw),
        )
        for j, v in enumerate(ind.get("values") or []):
            old = indicator.values.filter(kind=v["kind"], year=v["year"]).first()
            if (
                old is not None
                and old.value == float(v["value"])
                and old.note == (v.get("note") or "")
            ):
                run.count("waarden", False, False)
                continue
            _step(
                f"{where}, values[{j}]",
                services.indicator_value_set,
                indicator=indicator,
                kind=v["kind"],
                year=v["year"],
                value=v["value"],
                note=v.get("note") or "",
                citation=old.citation if old is not None else None,
                **run.who,
            )
            run.count("waarden", old is None, old is not None)


def _import_theory(run: _Importer, where: str, measure: Measure, theory: dict) -> None:
    steps: dict[object, TheoryStep] = {}
    for j, s in enumerate(theory.get("steps") or []):
        text = str(s["text"]).strip()
        goal = run.goal(s.get("goal"))
        step = measure.theory_steps.filter(kind=s["kind"], text=text).first()
        if step is None:
            step = _step(
                f"{where}, theory.steps[{j}]",
                services.theory_step_create,
                measure=measure,
                kind=s["kind"],
                text=text,
                goal=goal,
                order=s.get("order"),
                **run.who,
            )
            run.count("stappen", True, False)
        elif _differs(step.goal, goal) or (s.get("order") is not None and step.order != s["order"]):
            step = _step(
                f"{where}, theory.steps[{j}]",
                services.theory_step_update,
                step=step,
                goal=goal,
                order=s.get("order", step.order),
                **run.who,
            )
            run.count("stappen", False, True)
        else:
            run.count("stappen", False, False)
        steps[s.get("key")] = step
    for j, link in enumerate(theory.get("links") or []):
        source, target = steps[link["source"]], steps[link["target"]]
        rationale = str(link.get("rationale") or "").strip()
        existing = TheoryLink.objects.filter(source=source, target=target).first()
        if existing is None:
            _step(
                f"{where}, theory.links[{j}]",
                services.theory_link_create,
                source=source,
                target=target,
                rationale=rationale,
                **run.who,
            )
            run.count("schakels", True, False)
        elif existing.rationale != rationale:
            _step(
                f"{where}, theory.links[{j}]",
                services.theory_link_update,
                link=existing,
                rationale=rationale,
                **run.who,
            )
            run.count("schakels", False, True)
        else:
            run.count("schakels", False, False)
