"""Builders for the network tests: a small register, a citation and a map in a dossier."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kansenaudit.web.network import services
from kansenaudit.web.policy.models import Actor, Goal, Measure, MeasureBudget
from tests.helpers.judgements_support import citation


def register(dossier, suffix=""):
    """Actors, a goal and a measure with a budget (direct ORM: the register is another app's)."""
    directie = Actor.objects.create(
        dossier=dossier, name=f"Directie Jeugd{suffix}", kind="directie"
    )
    partner = Actor.objects.create(dossier=dossier, name=f"Buurtteam{suffix}", kind="partner")
    school = Actor.objects.create(dossier=dossier, name=f"Schoolbestuur{suffix}", kind="partner")
    groep = Actor.objects.create(dossier=dossier, name=f"Jongeren{suffix}", kind="doelgroep")
    goal = Goal.objects.create(dossier=dossier, title=f"Minder uitval{suffix}", level="directie")
    measure = Measure.objects.create(dossier=dossier, name=f"Mentoraat{suffix}", owner=directie)
    measure.goals.add(goal)
    measure.target_groups.add(groep)
    budget = MeasureBudget.objects.create(measure=measure, year=2025, amount=Decimal("400000"))
    return {
        "directie": directie,
        "partner": partner,
        "school": school,
        "groep": groep,
        "goal": goal,
        "measure": measure,
        "budget": budget,
    }


def organisation_map(dossier, reg, *, version="2026", user=None):
    """An organisation map with a money tie (cited), its accountability back and a mandate."""
    item = services.map_create(
        dossier=dossier, version=version, as_of=dt.date(2026, 1, 1), actor=user
    )
    quote = citation(dossier)
    services.tie_add(
        network_map=item,
        source=reg["directie"],
        target=reg["partner"],
        kind="money",
        amount=Decimal("1000"),
        year=2025,
        citations=[quote],
        actor=user,
    )
    services.tie_add(
        network_map=item,
        source=reg["partner"],
        target=reg["directie"],
        kind="accountability",
        actor=user,
    )
    services.tie_add(
        network_map=item,
        source=reg["directie"],
        target=reg["school"],
        kind="mandate",
        start=dt.date(2024, 1, 1),
        actor=user,
    )
    return item, quote
