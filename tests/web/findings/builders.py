"""Evidence of every existing kind in a dossier, for the findings tests (direct ORM for the
other apps' records: their own services are tested in their own apps)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from kansenaudit.web.areas.models import Area
from kansenaudit.web.indicators.models import Indicator as StatIndicator
from kansenaudit.web.indicators.models import IndicatorValue as StatValue
from kansenaudit.web.judgements.models import Judgement
from kansenaudit.web.policy.models import Indicator, IndicatorValue
from tests.helpers.judgements_support import citation, information_item, subjects


def evidence_of_every_kind(dossier, suffix=""):
    """{kind: object} with one object of each existing kind in ``dossier``."""
    s = subjects(dossier, suffix)
    judgement = Judgement.objects.create(
        dossier=dossier,
        framework_key="analysemodel",
        framework_version=1,
        criterion_code="C1",
        content_type=ContentType.objects.get_for_model(s["measure"]),
        object_id=s["measure"].pk,
        subject_label=s["measure"].name,
        mode="enkel",
    )
    area, _ = Area.objects.get_or_create(
        municipality_code=dossier.municipality_code or "GM0363",
        division="test",
        code=f"W{dossier.pk}",
        defaults={"name": f"Wijk {dossier.pk}", "level": "wijk"},
    )
    stat, _ = StatIndicator.objects.get_or_create(
        key="vroegtijdig-schoolverlaten",
        defaults={
            "name": "Vroegtijdig schoolverlaten",
            "domain": "onderwijs",
            "unit": "%",
            "polarity": -1,
        },
    )
    value = StatValue.objects.create(
        indicator=stat, area=area, period=2024, value=4.25, n=1200, source="DUO", release="2025-1"
    )
    policy_indicator = Indicator.objects.create(dossier=dossier, name=f"Bereik{suffix}")
    monitoring = IndicatorValue.objects.create(
        indicator=policy_indicator, kind="realisatie", year=2024, value=812
    )
    return {
        "citaat": citation(dossier),
        "oordeel": judgement,
        "statistiek": value,
        "monitoring": monitoring,
        "raadsinformatie": information_item(dossier),
    }
