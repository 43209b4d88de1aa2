# SPDX-License-Identifier: EUPL-1.2
"""Text of the demo dossier, modelled on the Rekenkamer Amsterdam research design (2025) but
about the fictional city Voorbeeldstad. Dutch, because it is what the auditors would write."""

import datetime as dt

DOSSIER_TITLE = "Kansengelijkheid in Voorbeeldstad (demo)"
CENTRAL_QUESTION = (
    "Welk beleid voert de gemeente Voorbeeldstad om kansengelijkheid te bevorderen en hoe "
    "draagt dit bij aan het vergroten van kansengelijkheid?"
)
PERIOD = (dt.date(2019, 1, 1), dt.date(2026, 6, 30))

SUB_QUESTIONS = [
    (
        "Wat is de staat van kansengelijkheid in Voorbeeldstad?",
        "Bestaande data (gemeentelijke basisbestanden, CBS): mate en spreiding over groepen, "
        "wijken en stadsdelen; stapeling van achterstanden; ontwikkeling sinds de nulmeting "
        "van 2019 en prognoses. SES-score als meetlat.",
    ),
    (
        "Hoe heeft de gemeente haar aanpak van kansengelijkheid ingericht en onderbouwd?",
        "Documentanalyse (coalitieakkoorden, visies, bestuursopdracht, masterplannen, "
        "raadsstukken); uitvraag bij directies (maximaal tien maatregelen per directie, met "
        "onderbouwing); interviews over proces en samenwerking; analysemodel inrichting beleid "
        "(criteria C1–C6); effectladder; netwerkkaart.",
    ),
    (
        "Hoe ervaren bewoners, samenwerkingspartners en ambtenaren de uitvoering van "
        "beleidsmaatregelen in de praktijk en de bijdrage daarvan aan kansengelijkheid, en wat "
        "zijn aanknopingspunten voor verbetering?",
        "Selectie van maatregelen; document- en contextanalyse per maatregel; interviews met "
        "ambtenaren en partners; interviews, focusgroepen en veldbezoeken met bewoners; "
        "spiegeling van ervaringen aan doelen en aannames; netwerkkaart per maatregel.",
    ),
    (
        "Hoe monitort het college de realisatie van de doelstellingen voor kansengelijkheid?",
        "Welke prestaties en resultaten worden gemeten (indicatoren met nulmeting, streefwaarde "
        "en realisatie); is doelbereik zichtbaar; waarop stuurt het college.",
    ),
    (
        "In hoeverre stelt de informatievoorziening van het college de raad in staat om het "
        "beleid effectief te volgen en bij te sturen?",
        "Analyse van raadsinformatie: welke informatie, wanneer en hoe; over prestaties of "
        "effecten; begrijpelijk en bruikbaar om bij te sturen.",
    ),
]

MILESTONES = [
    ("Start onderzoek", dt.date(2025, 11, 25), True),
    ("Uitvraag verstuurd aan directies", dt.date(2026, 1, 15), True),
    ("Afronding beleidsonderzoek (deel 1)", dt.date(2026, 6, 30), False),
    ("Afronding praktijkonderzoek (deel 2)", dt.date(2026, 10, 31), False),
    ("Nota van bevindingen naar ambtelijk wederhoor", dt.date(2026, 12, 1), False),
    ("Bestuurlijk wederhoor", dt.date(2027, 1, 31), False),
    ("Publicatie", dt.date(2027, 3, 15), False),
]

COMMENT = (
    "Let op bij deelvraag 1: de indeling in gebieden is in 2022 gewijzigd; vergelijkingen met "
    "de nulmeting van 2019 vragen om een omrekening. (Demo-notitie)"
)

DEMO_PASSWORD = "voorbeeldstad-demo"  # noqa: S105 - printed by `make demo`; demo mode only
DEMO_USERS = [
    # username, full name, role in the demo dossier (None: site administrator, no membership)
    ("projectleider", "Pim Projectleider", "projectleider"),
    ("onderzoeker", "Olga Onderzoeker", "onderzoeker"),
    ("reviewer", "Rik Reviewer", "reviewer"),
    ("meelezer", "Mila Meelezer", "meelezer"),
    ("beheerder", "Bea Beheerder", None),
]
# A second dossier none of the demo accounts above can see, to show that confidentiality holds.
CONFIDENTIAL_TITLE = "Jeugdhulp in Voorbeeldstad (vertrouwelijk, demo)"
CONFIDENTIAL_OWNER = ("ander-team", "Anna Ander", "projectleider")
