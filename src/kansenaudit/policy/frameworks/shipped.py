# SPDX-License-Identifier: EUPL-1.2
"""The five frameworks shipped with the product, and looking one up by key."""

from __future__ import annotations

from kansenaudit.policy.frameworks.model import Criterion, Framework, Level, Scale

_MEETS = Scale(
    kind="ordinal",
    levels=(
        Level(0, "voldoet niet", "Aan het criterium wordt niet voldaan."),
        Level(1, "deels", "Aan het criterium wordt gedeeltelijk voldaan."),
        Level(2, "voldoet", "Aan het criterium wordt voldaan."),
    ),
    not_applicable="n.v.t.",
)

_ANALYSIS_MODEL = Framework(
    key="analysemodel",
    name="Analysemodel inrichting beleid",
    description=(
        "Geen toetsend normenkader, maar een analysemodel dat de afwegingen in het beleid "
        "inzichtelijk maakt. Per criterium een oordeel met motivering en bewijs."
    ),
    scale=_MEETS,
    criteria=(
        Criterion(
            "C1",
            "Overkoepelend beleid",
            "Heeft de gemeente - overkoepelend - beleid voor kansengelijkheid?",
            "Zoek een gemeentebreed kader (bijvoorbeeld coalitieakkoord, bestuursopdracht, visie "
            "of programma) waarin kansengelijkheid als thema is uitgewerkt, niet alleen losse "
            "maatregelen.",
        ),
        Criterion(
            "C2",
            "Formeel vastgesteld",
            "Is het beleid formeel vastgesteld?",
            "Noem het besluit: wie heeft het vastgesteld (college of raad), wanneer, en waar het "
            "te vinden is. Een concept of werkdocument is niet vastgesteld.",
        ),
        Criterion(
            "C3",
            "Analyse van doelgroepen en oorzaken",
            "Is het beleid gebaseerd op een analyse van doelgroepen en oorzaken/risicofactoren "
            "voor kansengelijkheid?",
            "Beleidskompas vraag 1 (Wat is het probleem?): oorzaken, omvang, huidig beleid en wat "
            "de evaluatie daarvan leerde. Vraag steeds: hoe weet je dit?",
        ),
        Criterion(
            "C4",
            "Concrete en meetbare doelen",
            "Is het beleid uitgewerkt in concrete en meetbare doelen (en indicatoren)?",
            "Doelen met indicatoren, een nulwaarde en een streefwaarde. Beoordeel 'concreet en "
            "meetbaar waar passend' (zie het SMART-kader): bij complexe problemen kan strikte "
            "SMART-formulering averechts werken.",
        ),
        Criterion(
            "C5",
            "Consistent met gemeentelijk beleid",
            "Is het directiebeleid voor kansengelijkheid consistent met het gemeentelijk beleid?",
            "Vergelijk doelen, doelgroepen en prioriteiten van de directie met het coalitieakkoord "
            "en de Bestuursopdracht Tegengaan Kansenongelijkheid.",
        ),
        Criterion(
            "C6",
            "Aannemelijke beleidstheorie",
            "Zijn de maatregelen aannemelijk verbonden met de doelen (beleidstheorie)?",
            "Gebruik de onderbouwing en aannames uit de uitvraag en de score op de effectladder: "
            "waarom wordt verondersteld dat de maatregel bijdraagt aan het doel?",
        ),
    ),
    source=(
        "Onderzoeksopzet Kansengelijkheid, Rekenkamer Amsterdam (2025), §4.1.6 (C1–C5) en §4.1.4 "
        "(C6). Criteria ontleend aan het Beleidskompas (Kenniscentrum voor beleid en "
        "regelgeving) en de Handleiding onderzoek naar doelmatigheid en doeltreffendheid "
        "(Algemene Rekenkamer, 2023)."
    ),
)

_EFFECT_LADDER = Framework(
    key="effectladder",
    name="Effectladder",
    description=(
        "Hoe sterk is onderbouwd dat een maatregel werkt? Twee beoordelaars scoren elke "
        "maatregel onafhankelijk; de overeenstemming wordt gemeten met Krippendorffs alfa "
        "(ordinaal)."
    ),
    scale=Scale(
        kind="ordinal",
        levels=(
            Level(
                0,
                "impliciete kennis",
                "De aanpak berust op kennis die niet is vastgelegd; doel, doelgroep of "
                "werkwijze zijn niet expliciet beschreven.",
            ),
            Level(
                1,
                "goed beschreven",
                "Doel, doelgroep en aanpak zijn expliciet beschreven.",
            ),
            Level(
                2,
                "goed onderbouwd",
                "Er is een theoretisch aannemelijke onderbouwing waarom de aanpak zou werken.",
            ),
            Level(
                3,
                "effectief volgens eerste aanwijzingen",
                "Uitkomsten bewegen in de beoogde richting (indicatief); ze zijn nog niet aan de "
                "aanpak toe te schrijven.",
            ),
            Level(
                4,
                "effectief volgens goede aanwijzingen",
                "Effecten zijn aan de aanpak toe te schrijven, bijvoorbeeld door vergelijking met "
                "een controlegroep.",
            ),
            Level(
                5,
                "effectief volgens sterke aanwijzingen",
                "Effecten zijn herhaald en robuust aangetoond.",
            ),
        ),
    ),
    criteria=(
        Criterion(
            "E",
            "Trede op de effectladder",
            "Welke trede van de effectladder bereikt de onderbouwing van deze maatregel?",
            "Scoor op basis van de aangeleverde onderbouwing en het bewijs, niet op basis van "
            "wat de directie verwacht. Een trede geldt pas als de lagere treden ook gehaald "
            "zijn.",
        ),
    ),
    source=(
        "Van Yperen & Veerman (2008), Nederlands Jeugdinstituut; niveaus zoals in het "
        "erkenningsstelsel van de Erkenningscommissie Interventies. Omschrijvingen van trede "
        "3–5 nog niet aan de primaire bron getoetst."
    ),
)

_SMART = Framework(
    key="smart",
    name="SMART-doelen",
    description=(
        "Is een doel specifiek, meetbaar, acceptabel, realistisch en tijdgebonden? Het KCBR "
        "wijst erop dat SMART bij complexe problemen averechts kan werken: beoordeel 'concreet "
        "en meetbaar waar passend'."
    ),
    scale=_MEETS,
    criteria=(
        Criterion(
            "S",
            "Specifiek",
            "Is het doel specifiek: wat moet er voor wie veranderen?",
            "Doelgroep en beoogde verandering zijn benoemd, niet alleen de inzet.",
        ),
        Criterion(
            "M",
            "Meetbaar",
            "Is het doel meetbaar: met welke indicator, nulwaarde en streefwaarde?",
            "Er is een indicator met een nulwaarde (baseline) en een streefwaarde.",
        ),
        Criterion(
            "A",
            "Acceptabel",
            "Is het doel acceptabel voor de betrokkenen?",
            "Uitvoerders en partners onderschrijven het doel; blijkt uit afspraken of convenanten.",
        ),
        Criterion(
            "R",
            "Realistisch",
            "Is het doel realistisch, gegeven middelen, tijd en invloed van de gemeente?",
            "Vergelijk de ambitie met budget, bereik en wat de gemeente zelf kan beïnvloeden.",
        ),
        Criterion(
            "T",
            "Tijdgebonden",
            "Is vastgelegd wanneer het doel bereikt moet zijn?",
            "Een einddatum of meetmoment, en zo mogelijk tussendoelen.",
        ),
    ),
    source=(
        "Beleidskompas, Kenniscentrum voor beleid en regelgeving (KCBR), onderdeel 2: Wat is "
        "het beoogde doel?"
    ),
)

_INDICATOR_QUALITY = Framework(
    key="indicatorkwaliteit",
    name="Kwaliteit van indicatoren",
    description="Beoordeling van elke indicator waarmee voortgang of effect wordt gevolgd.",
    scale=_MEETS,
    criteria=(
        Criterion(
            "I1",
            "Formulering",
            "Is de indicator eenduidig geformuleerd?",
            "Definitie, eenheid, bron en meetmoment liggen vast; twee mensen zouden hetzelfde "
            "meten.",
        ),
        Criterion(
            "I2",
            "Relevantie",
            "Zegt de indicator iets over het doel dat hij moet volgen?",
            "De indicator meet de beoogde prestatie of het beoogde effect, niet alleen inzet of "
            "activiteiten.",
        ),
        Criterion(
            "I3",
            "Betrouwbaarheid",
            "Is de meting betrouwbaar en herhaalbaar?",
            "De bron is controleerbaar, de methode is stabiel over de jaren en de aantallen zijn "
            "groot genoeg.",
        ),
        Criterion(
            "I4",
            "Begrijpelijkheid",
            "Is de indicator begrijpelijk voor raadsleden en bewoners?",
            "Zonder technische toelichting te begrijpen, met duidelijke richting (wat is goed?).",
        ),
        Criterion(
            "I5",
            "Gebruik",
            "Wordt de indicator daadwerkelijk gebruikt door de raad?",
            "Blijkt uit raadsstukken, vragen of moties dat de raad de indicator gebruikt om te "
            "volgen en bij te sturen?",
        ),
    ),
    source="Rekenkamer Amsterdam, Indicatoren discriminatie (2023).",
)

_COUNCIL_INFORMATION = Framework(
    key="raadsinformatie",
    name="Informatievoorziening aan de raad",
    description=(
        "In hoeverre stelt de informatievoorziening van het college de raad in staat het beleid "
        "te volgen, te beoordelen en waar nodig bij te sturen?"
    ),
    scale=_MEETS,
    criteria=(
        Criterion(
            "R1",
            "Tijdig",
            "Krijgt de raad de informatie op tijd?",
            "Op tijd voor de besluitvorming waarvoor zij nodig is: begroting, jaarverslag, "
            "voortgangsrapportage, debat.",
        ),
        Criterion(
            "R2",
            "Volledig",
            "Is de informatie volledig?",
            "Alle doelen en maatregelen komen aan bod, ook wat niet volgens plan gaat.",
        ),
        Criterion(
            "R3",
            "Over resultaten en effecten",
            "Gaat de informatie over resultaten en effecten?",
            "Niet alleen over inzet, activiteiten en uitgaven, maar over wat bereikt is voor de "
            "doelgroep.",
        ),
        Criterion(
            "R4",
            "Begrijpelijk",
            "Is de informatie begrijpelijk voor raadsleden?",
            "Helder, beknopt, met toelichting bij cijfers en een vergelijking met doel of "
            "nulwaarde.",
        ),
        Criterion(
            "R5",
            "Maakt sturing mogelijk",
            "Stelt de informatie de raad in staat het beleid te volgen, te beoordelen en bij te "
            "sturen?",
            "Blijkt uit de stukken welke keuzes de raad heeft en wat de gevolgen zijn?",
        ),
    ),
    source="Onderzoeksopzet Kansengelijkheid, Rekenkamer Amsterdam (2025), deelvraag 5.",
)

_SHIPPED: tuple[Framework, ...] = (
    _ANALYSIS_MODEL,
    _EFFECT_LADDER,
    _SMART,
    _INDICATOR_QUALITY,
    _COUNCIL_INFORMATION,
)


def frameworks() -> tuple[Framework, ...]:
    """The frameworks shipped with the product, in a fixed order.

    >>> [f.key for f in frameworks()]
    ['analysemodel', 'effectladder', 'smart', 'indicatorkwaliteit', 'raadsinformatie']
    """
    return _SHIPPED


def framework(key: str) -> Framework:
    """The shipped framework with ``key``.

    Raises
    ------
    KeyError
        When there is none; the message lists the keys that exist.

    >>> framework("effectladder").scale.label(2)
    'goed onderbouwd'
    """
    for item in _SHIPPED:
        if item.key == key:
            return item
    known = ", ".join(item.key for item in _SHIPPED)
    raise KeyError(f"onbekend beoordelingskader {key!r}; bekend zijn: {known}")
