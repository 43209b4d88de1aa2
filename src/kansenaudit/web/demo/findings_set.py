# SPDX-License-Identifier: EUPL-1.2
"""The demo's findings (fictional, Voorbeeldstad): a normenkader, findings resting on each kind of
existing evidence, conclusions, recommendations, one round of ambtelijk wederhoor with handled
comments, a college reaction with its letter, a nawoord and a follow-up measurement.

Everything goes through the services, acting as the demo users: the researcher drafts, the
reviewer signs off (preparer ≠ reviewer).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

DEMO = "Fictief (demo Voorbeeldstad). "

LETTER = (
    "Reactie van het college van Voorbeeldstad op het rapport Kansengelijkheid (fictief, demo).\n\n"
    "Het college neemt aanbeveling 1 over en stelt in 2027 meetbare doelen met een nulmeting "
    "vast. Aanbeveling 2 neemt het college gedeeltelijk over: de raad ontvangt jaarlijks een "
    "voortgangsbrief, maar niet per maatregel.\n"
)


def _first(model: Any, **filters: Any) -> Any:
    return model.objects.filter(**filters).order_by("pk").first()


def _evidence(dossier: Any) -> dict[str, Any]:
    """One piece of each existing kind of evidence in the demo dossier (where the demo has it)."""
    from kansenaudit.web.council.models import InformationItem
    from kansenaudit.web.evidence.models import Citation
    from kansenaudit.web.indicators.models import IndicatorValue as StatValue
    from kansenaudit.web.judgements.models import Judgement
    from kansenaudit.web.policy.models import IndicatorValue

    found = {
        "citaat": _first(Citation, dossier=dossier, held_for__isnull=True),
        "oordeel": _first(Judgement, dossier=dossier),
        "statistiek": _first(
            StatValue, area__municipality_code=dossier.municipality_code, value__isnull=False
        ),
        "monitoring": _first(IndicatorValue, indicator__dossier=dossier),
        "raadsinformatie": _first(InformationItem, dossier=dossier),
    }
    return {kind: obj for kind, obj in found.items() if obj is not None}


def _letter(dossier: Any) -> Any:
    from kansenaudit.ingest.extract import extract
    from kansenaudit.web.evidence import services as evidence

    data = LETTER.encode("utf-8")
    document, _created = evidence.document_store(
        dossier=dossier,
        extracted=extract(data, "reactie-college-voorbeeldstad.txt", ocr=False),
        data=data,
        actor=None,
        actor_label="demo",
        is_demo=True,
        overrides={
            "title": "Bestuurlijke reactie college (fictief)",
            "doc_type": "anders",
            "issuer": "college",
        },
    )
    return document


def load(*, dossier: Any, users: dict[str, Any], documents: dict[str, Any]) -> None:
    from kansenaudit.web.dossiers.models import SubQuestion
    from kansenaudit.web.findings import services, wederhoor
    from kansenaudit.web.findings.models import Norm

    oz, rv, pl = users["onderzoeker"], users["reviewer"], users["projectleider"]
    sub_questions = list(SubQuestion.objects.filter(dossier=dossier).order_by("number"))
    if not sub_questions:
        return
    services.norms_seed(dossier=dossier, actor=oz)
    norm = services.norm_create(
        dossier=dossier,
        code="raad.1",
        title="De raad krijgt jaarlijks informatie over de effecten van de kansenaanpak",
        source_kind="raad",
        source=DEMO + "Motie over de voortgangsrapportage kansengelijkheid (2023).",
        sub_question=sub_questions[-1],
        actor=oz,
    )
    c4 = Norm.objects.get(dossier=dossier, code="analysemodel.C4")
    evidence = _evidence(dossier)
    texts = {
        "citaat": "Het beleid noemt kansengelijkheid als doel, maar zonder streefwaarde.",
        "oordeel": "Het analysemodel (C1) is met consensus beoordeeld en afgetekend.",
        "statistiek": "Het vroegtijdig schoolverlaten ligt in de wijken boven het stadsgemiddelde.",
        "monitoring": "De realisatie van de monitoringsindicator is gerapporteerd.",
        "raadsinformatie": "De raad kreeg voortgangsinformatie over outputs, niet over effecten.",
    }
    findings = []
    for number, (kind, obj) in enumerate(evidence.items(), start=1):
        sq = sub_questions[(number - 1) % len(sub_questions)]
        finding = services.finding_create(
            dossier=dossier,
            sub_question=sq,
            code=f"B{sq.number}.{number}",
            title=texts[kind].split(",")[0][:120],
            text=f"{DEMO}{texts[kind]}\n\nDe onderbouwing staat in het bewijs hieronder.",
            verdict="deels" if number % 2 else "voldoet_niet",
            norms=[c4] if kind != "raadsinformatie" else [norm],
            actor=oz,
            is_demo=True,
        )
        services.evidence_add(
            finding=finding, kind=kind, object_id=obj.pk, note=DEMO.strip(), actor=oz
        )
        findings.append(finding)
    # Review: a note with a reply, resolved, then sign-off by the reviewer.
    for finding in findings[:3]:
        services.review_request(finding=finding, actor=oz)
    note = services.note_add(finding=findings[0], text="Welk jaar betreft dit?", actor=rv)
    services.note_add(finding=findings[0], text="2024; aangevuld.", parent=note, actor=oz)
    services.note_resolve(note=note, actor=rv)
    for finding in findings[:2]:
        services.sign_off(finding=finding, actor=rv)

    per_question = []
    for sq in sub_questions:
        carried = [f for f in findings if f.sub_question_id == sq.pk]
        if carried:
            per_question.append(
                services.conclusion_create(
                    dossier=dossier,
                    code=f"C{sq.number}",
                    text=f"{DEMO}Conclusie bij deelvraag {sq.number}.",
                    sub_question=sq,
                    findings=carried,
                    actor=oz,
                    is_demo=True,
                )
            )
    overall = services.conclusion_create(
        dossier=dossier,
        code="C0",
        text=DEMO + "Antwoord op de centrale vraag: het beleid is ingericht, de sturing op "
        "effecten ontbreekt.",
        builds_on=per_question,
        actor=oz,
        is_demo=True,
    )
    rec1 = services.recommendation_create(
        dossier=dossier,
        code="A1",
        text=DEMO + "Stel meetbare doelen met een nulmeting en een streefwaarde.",
        addressee="college",
        conclusions=[overall, *per_question[:1]],
        smart={"S": 2, "M": 2, "A": 1, "R": 1, "T": 1},
        actor=oz,
        is_demo=True,
    )
    rec2 = services.recommendation_create(
        dossier=dossier,
        code="A2",
        text=DEMO + "Informeer de raad jaarlijks over de effecten per maatregel.",
        addressee="raad",
        conclusions=[overall],
        actor=oz,
        is_demo=True,
    )

    # Ambtelijk wederhoor: version 1, a named contact comments, the team handles the comments,
    # a corrected version 2 shows what changed.
    until = timezone.localdate() + dt.timedelta(days=21)
    v1 = wederhoor.version_freeze(dossier=dossier, comments_until=until, actor=oz)
    link, _raw = wederhoor.link_create(
        version=v1,
        contact_name="A. Ambtenaar (fictief)",
        contact_role="Beleidsadviseur Directie Onderwijs",
        actor=pl,
    )
    first = findings[0]
    c1 = wederhoor.comment_add(
        link=link, section_key=first.code, paragraph=1, text="Het betreft schooljaar 2024/25."
    )
    c2 = wederhoor.comment_add(
        link=link, section_key=first.code, text="Wij zien dit als een beleidskeuze, geen fout."
    )
    wederhoor.comment_handle(comment=c1, handling="verwerkt", actor=oz)
    wederhoor.comment_handle(
        comment=c2,
        handling="niet_verwerkt",
        reason="Geen feitelijke onjuistheid; de bevinding blijft.",
        actor=oz,
    )
    services.finding_change(
        finding=first,
        title=first.title,
        text=first.text.replace(
            "zonder streefwaarde.", "zonder streefwaarde (schooljaar 2024/25)."
        ),
        verdict=first.verdict,
        norms=list(first.norms.all()),
        sub_question=first.sub_question,
        actor=oz,
    )
    wederhoor.version_freeze(dossier=dossier, comments_until=until, actor=oz)

    # Bestuurlijk wederhoor, nawoord and a first follow-up.
    letter = _letter(dossier)
    wederhoor.reaction_set(
        recommendation=rec1,
        position="overgenomen",
        quote="Het college neemt aanbeveling 1 over",
        letter=letter,
        commitment="Meetbare doelen met nulmeting in 2027.",
        actor=oz,
    )
    wederhoor.reaction_set(
        recommendation=rec2,
        position="deels",
        quote="Aanbeveling 2 neemt het college gedeeltelijk over",
        letter=letter,
        commitment="Jaarlijkse voortgangsbrief, niet per maatregel.",
        actor=oz,
    )
    wederhoor.nawoord_set(
        dossier=dossier,
        text=DEMO + "De rekenkamer waardeert dat het college aanbeveling 1 overneemt en vraagt de "
        "raad erop toe te zien dat de voortgangsbrief ook over effecten rapporteert.",
        actor=pl,
    )
    wederhoor.follow_up_add(
        recommendation=rec1,
        year=timezone.localdate().year,
        status="deels",
        note=DEMO + "Doelen zijn opgesteld, de nulmeting volgt.",
        actor=oz,
    )
