"""Shared builders for the judgements tests: policy subjects, a citation, a started judgement."""

from __future__ import annotations

import datetime

from kansenaudit.web.council.models import InformationItem
from kansenaudit.web.policy.models import Actor, Goal, Indicator, Measure


def subjects(dossier, suffix=""):
    """A directie, a measure, a goal and an indicator in ``dossier`` (direct ORM: the policy
    register's own services are another app's business)."""
    directie = Actor.objects.create(
        dossier=dossier, name=f"Directie Onderwijs{suffix}", kind="directie"
    )
    partner = Actor.objects.create(dossier=dossier, name=f"Schoolbestuur{suffix}", kind="partner")
    measure = Measure.objects.create(dossier=dossier, name=f"Zomerschool{suffix}", owner=directie)
    goal = Goal.objects.create(
        dossier=dossier, title=f"Minder schooluitval{suffix}", level="directie"
    )
    indicator = Indicator.objects.create(dossier=dossier, name=f"Uitvalpercentage{suffix}")
    return {
        "directie": directie,
        "partner": partner,
        "measure": measure,
        "goal": goal,
        "indicator": indicator,
    }


def measures(dossier, n, first=1):
    owner = Actor.objects.get_or_create(dossier=dossier, name="Directie Jeugd", kind="directie")[0]
    return [
        Measure.objects.create(dossier=dossier, name=f"Maatregel {i}", owner=owner)
        for i in range(first, first + n)
    ]


def citation(dossier, text="Het beleid is op 1 maart vastgesteld door de raad."):
    """A citation of a small text document in ``dossier``."""
    from kansenaudit.ingest.extract import extract
    from kansenaudit.web.evidence import services as evidence

    data = (text + "\n").encode()
    document, _ = evidence.document_store(
        dossier=dossier,
        extracted=extract(data, f"nota-{dossier.pk}.txt", ocr=False),
        data=data,
        actor=None,
    )
    page = document.pages.get(number=1)
    return evidence.citation_create(
        document=document, page_number=1, start=0, end=len(page.text.split("\n")[0]), actor=None
    )


def information_item(dossier):
    from kansenaudit.web.evidence.models import Citation

    document = citation(dossier).document
    assert Citation.objects.filter(document=document).exists()
    return InformationItem.objects.create(
        dossier=dossier,
        document=document,
        title="Voortgangsbrief",
        date=datetime.date(2025, 3, 1),
        reports_on="outputs",
    )
