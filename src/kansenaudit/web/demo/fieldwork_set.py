# SPDX-License-Identifier: EUPL-1.2
"""The practice study of Voorbeeldstad (fictional): selection, sessions, participants with
consent (one withdrew) and fictional transcripts for two measures.

Every name in these transcripts is invented; the pseudonymisation replaces them on loading,
as it would for a real upload. The transcripts say that they are fictional.
"""

from __future__ import annotations

import datetime
from typing import Any

from kansenaudit.web.core.services import audit_record

ACTOR = "demo:laden"
SMW = "Schoolmaatschappelijk werk"
VROEG = "Vroegsignalering schulden"
OTHERS = ["Extra VVE-plaatsen", "Kindpakket sport en cultuur", "Zomerschool"]
OTHERS += ["Verhuisregeling grote gezinnen", "Energiecoach voor huurders met een laag inkomen"]

NOTICE = "[Fictief demotranscript – Voorbeeldstad. Alle namen en gegevens zijn verzonnen.]\n\n"

TRANSCRIPTS: list[dict[str, Any]] = [
    {
        "session": 0,
        "file": "interview-ouder-smw.txt",
        "text": NOTICE
        + "I: Hoe kwam u in contact met het schoolmaatschappelijk werk?\n"
        + "Bewoner 1: Via de juf van mijn zoon, juf Annemarie Bakker. Ze zei dat Sanne de Wit "
        "op dinsdag op school zit. Ik woon aan de Lindelaan 14, dus het is vlakbij.\n"
        + "I: En wat leverde het op?\n"
        + "Bewoner 1: Mevrouw De Wit heeft geholpen met de aanvraag bij het Kindpakket sport en "
        "cultuur. Mijn zoon Daan zit nu op voetbal. Zonder haar was dat niet gelukt.\n"
        + "I: Wat kan er beter?\n"
        + "Bewoner 1: Ze is er maar een dag per week. Je kunt haar bellen op 06-12345678, "
        "maar vaak is ze bij een andere school.\n",
    },
    {
        "session": 0,
        "file": "interview-smw-werker.txt",
        "text": NOTICE
        + "I: Wat is uw rol op de scholen?\n"
        + "Partner 1: Ik werk voor Stichting Kansrijk Opgroeien en zit op drie basisscholen. "
        "Mijn collega Mohamed El Amrani doet de scholen in Noord.\n"
        + "I: Hoe komen de kinderen bij u?\n"
        + "Partner 1: Meestal via de leerkracht. Soms mailt een ouder naar "
        "smw.noord@example.org. We zien dat ouders met schulden later komen.\n"
        + "I: Sluit het aan bij de andere maatregelen?\n"
        + "Partner 1: Met Vroegsignalering schulden is er weinig contact. Dat is jammer, want "
        "veel gezinnen hebben betalingsachterstanden.\n",
    },
    {
        "session": 1,
        "file": "interview-bewoner-schulden.txt",
        "text": NOTICE
        + "I: U kreeg een brief van de gemeente over een achterstand?\n"
        + "Bewoner 2: Ja, en daarna belde Peter Janssen van de schuldhulp. Ik was eerst boos, "
        "maar hij hielp met een betalingsregeling.\n"
        + "I: Wat hielp het meest?\n"
        + "Bewoner 2: Dat hij langskwam op de Populierstraat 3. Ik ben geboren op 12 maart "
        "1984 en had nooit eerder hulp gevraagd.\n"
        + "Bewoner 3: Bij mij ging het anders. Ik hoorde niets meer na de eerste brief.\n",
    },
    {
        "session": 2,
        "file": "interview-ambtenaar-schulden.txt",
        "text": NOTICE
        + "I: Hoe is de vroegsignalering ontstaan?\n"
        + "Ambtenaar 1: Na het raadsvoorstel uit 2020. Wethouder Karin Visser wilde dat we "
        "eerder bij gezinnen kwamen. Woningcorporatie Thuis in de Stad levert de signalen.\n"
        + "I: Wordt het effect gemeten?\n"
        + "Ambtenaar 1: We tellen de huisbezoeken, maar niet of de schulden kleiner worden. "
        "Daar zou de monitor beter moeten worden.\n",
    },
]


def load(*, dossier: Any, users: dict[str, Any], documents: dict[str, Any]) -> None:
    from kansenaudit.web.fieldwork import services, transcript_services
    from kansenaudit.web.fieldwork.models import Participant, Session
    from kansenaudit.web.policy.models import Actor, Measure

    measures = {m.name: m for m in Measure.objects.filter(dossier=dossier)}
    if SMW not in measures or VROEG not in measures:
        return
    chosen = [measures[SMW], measures[VROEG]] + [measures[n] for n in OTHERS if n in measures]
    from kansenaudit.web.fieldwork.selection import proposal_for

    proposed = {c.measure_id for c in proposal_for(dossier, n=6).choices}
    chosen = chosen[:6]
    services.selection_confirm(
        dossier=dossier,
        actor=users.get("projectleider"),
        measure_ids=[m.pk for m in chosen],
        swap_reasons={
            m.pk: "Gekozen voor de casestudie: de directie vroeg om verdieping (demo)."
            for m in chosen
            if m.pk not in proposed
        },
        rationale="Zes maatregelen uit drie directies, met de twee casussen voor verdieping "
        "(fictief, demo).",
        n=6,
        is_demo=True,
    )
    onderzoeker = users.get("onderzoeker")
    interviewers = [u for u in (onderzoeker, users.get("projectleider")) if u is not None]
    plan = [
        (
            "Interviews ouders en schoolmaatschappelijk werk",
            SMW,
            datetime.date(2026, 3, 10),
            "Basisschool De Regenboog",
        ),
        (
            "Groepsgesprek bewoners vroegsignalering",
            VROEG,
            datetime.date(2026, 3, 17),
            "Buurthuis De Linde",
        ),
        ("Interview beleidsambtenaar schulden", VROEG, datetime.date(2026, 3, 24), "Stadhuis"),
    ]
    kinds = [Session.Kind.INTERVIEW, Session.Kind.GROUP_INTERVIEW, Session.Kind.INTERVIEW]
    sessions = [
        services.session_save(
            dossier=dossier,
            actor=onderzoeker,
            kind=kind,
            title=title,
            date=date,
            place=place,
            status=Session.Status.HELD,
            measures=[measures[measure]],
            interviewers=interviewers,
            sub_questions=[3] if measure == SMW else [2, 3],
            is_demo=True,
        )
        for (title, measure, date, place), kind in zip(plan, kinds, strict=True)
    ]
    onderwijs = Actor.objects.filter(dossier=dossier, name__icontains="onderwijs").first()
    armoede = Actor.objects.filter(dossier=dossier, name__icontains="armoede").first()
    people = [
        ("Bewoner 1", Participant.Group.RESIDENT, "ouder", None, [0]),
        ("Partner 1", Participant.Group.PARTNER, "schoolmaatschappelijk werker", None, [0]),
        ("Bewoner 2", Participant.Group.RESIDENT, "bewoner", None, [1]),
        ("Bewoner 3", Participant.Group.RESIDENT, "bewoner", None, [1]),
        ("Ambtenaar 1", Participant.Group.CIVIL_SERVANT, "beleidsmedewerker", armoede, [2]),
    ]
    participants = {}
    for pseudonym, group, role, org, session_idx in people:
        p = services.participant_save(
            dossier=dossier,
            actor=onderzoeker,
            pseudonym=pseudonym,
            stakeholder_group=group,
            role=role,
            organisation="Stichting Kansrijk Opgroeien (fictief)" if group == "partner" else "",
            organisation_actor=org,
            sessions=[sessions[i] for i in session_idx],
            is_demo=True,
        )
        services.consent_record(
            participant=p,
            actor=onderzoeker,
            given_on=sessions[session_idx[0]].date or datetime.date(2026, 3, 1),
            scope="quotation_function" if group != "resident" else "quotation",
        )
        participants[pseudonym] = p
    services.contact_set(
        participant=participants["Partner 1"],
        actor=users.get("projectleider"),
        details="Fictief: s.dewit@example.org, 06-00000000 (demo)",
    )
    del onderwijs
    for item in TRANSCRIPTS:
        transcript_services.transcript_import(
            session=sessions[item["session"]],
            actor=onderzoeker,
            data=item["text"].encode("utf-8"),
            file_name=item["file"],
            is_demo=True,
        )
    # Bewoner 3 withdrew after the group interview: their words are left out from now on.
    services.consent_withdraw(
        participant=participants["Bewoner 3"],
        actor=users.get("projectleider"),
        note="Trok toestemming in per telefoon (fictief, demo).",
    )
    audit_record(
        actor=None,
        actor_label=ACTOR,
        action="fieldwork.demo_load",
        dossier=dossier,
        summary="Fictief praktijkonderzoek geladen (demo)",
    )
