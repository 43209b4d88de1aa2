# SPDX-License-Identifier: EUPL-1.2
"""Indicators of the policy register (from the catalogue or kept by hand) and their values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.services import audit_record, snapshot
from kansenaudit.web.evidence.selectors import citation_is_held
from kansenaudit.web.evidence.services import held_refusal
from kansenaudit.web.policy.models import Goal, Indicator, IndicatorValue, Measure
from kansenaudit.web.policy.services._common import (
    PolicyError,
    _all_same_dossier,
    _choice,
    _delete,
    _demo,
    _number,
    _same_dossier,
    _text,
    _user,
    _year,
)

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
# The catalogue's polarity (+1, −1, 0) as an indicator's direction.
POLARITY_FROM_CATALOGUE = {
    1: Indicator.Polarity.HOGER_BETER,
    -1: Indicator.Polarity.LAGER_BETER,
    0: Indicator.Polarity.NEUTRAAL,
}


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

    name = _text(data.get("name"), _("name"), 200, required=True)
    exclude = indicator.pk if indicator is not None else None
    if Indicator.objects.filter(dossier=dossier, name__iexact=name).exclude(pk=exclude).exists():
        raise PolicyError(
            _("There already is an indicator “%(name)s” in this dossier."), {"name": name}
        )
    source = _choice(
        data.get("source") or Indicator.Source.HANDMATIG, Indicator.Source, _("source")
    )
    key = _text(data.get("catalogue_key"), _("catalogue indicator"), 100)
    area = _text(data.get("area_code"), _("area code"), 20)
    values = {
        "name": name,
        "source": source,
        "catalogue_key": key,
        "area_code": area,
        "definition": _text(data.get("definition"), _("definition")),
        "unit": _text(data.get("unit"), _("unit"), 50),
        "polarity": data.get("polarity") or "",
    }
    if source == Indicator.Source.CATALOGUS:
        catalogue = catalogue_indicators()
        if key not in catalogue:
            if key:
                raise PolicyError(
                    _("catalogue indicator: “%(key)s” is not in the indicator catalogue."),
                    {"key": key},
                )
            raise PolicyError(_("catalogue indicator: choose an indicator from the catalogue."))
        item = catalogue[key]
        values["definition"] = values["definition"] or item.definition
        values["unit"] = values["unit"] or item.unit[:50]
        values["polarity"] = values["polarity"] or POLARITY_FROM_CATALOGUE.get(
            item.polarity, Indicator.Polarity.NEUTRAAL
        )
        areas = Area.objects.filter(municipality_code=getattr(dossier, "municipality_code", ""))
        if area and areas.exists() and not areas.filter(code=area).exists():
            raise PolicyError(
                _("area code: “%(area)s” is not an area of this municipality."), {"area": area}
            )
        # Realised values entered by hand stay: for a catalogue indicator they are what the
        # municipality reported, and monitoring compares them with the statistics.
    elif key:
        raise PolicyError(
            _("catalogue indicator: only an indicator with source ‘catalogue’ has one.")
        )
    values["polarity"] = _choice(
        values["polarity"] or Indicator.Polarity.NEUTRAAL, Indicator.Polarity, _("direction")
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
    goal_list = _all_same_dossier(goals, dossier, _("goal"))
    measure_list = _all_same_dossier(measures, dossier, _("measure"))
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
        raise PolicyError(_("unknown fields: %(fields)s"), {"fields": ", ".join(sorted(unknown))})
    dossier = indicator.dossier
    data = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    data.update(changes)
    values = _indicator_values(dossier, data, indicator)
    goal_list = _all_same_dossier(goals, dossier, _("goal")) if goals is not None else None
    measure_list = (
        _all_same_dossier(measures, dossier, _("measure")) if measures is not None else None
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
    (nulmeting). For a catalogue indicator, monitoring takes the realised values from the
    statistics engine; realised values entered by hand are kept as what the municipality
    *reported*, and the years where they differ from the statistics are flagged
    (``selectors.IndicatorStatus.discrepancies``). ``citation`` is where the value was reported.
    """
    kind = _choice(kind, IndicatorValue.Kind, _("kind of value"))
    year = _year(year)
    number = _number(value, _("value"))
    note = _text(note, _("explanation"), 500)
    _same_dossier(citation, indicator.dossier, _("the citation"))
    if citation is not None and citation_is_held(citation):
        raise PolicyError(held_refusal())
    if kind == IndicatorValue.Kind.NULMETING:
        other = indicator.values.filter(kind=kind).exclude(year=year).first()
        if other is not None:
            raise PolicyError(
                _("This indicator already has a baseline (%(year)s); delete that first."),
                {"year": other.year},
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
