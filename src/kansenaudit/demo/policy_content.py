# SPDX-License-Identifier: EUPL-1.2
"""The content of the fictional Voorbeeldstad policy set (see :mod:`kansenaudit.demo.policy`).

All names, organisations, figures and judgements are invented. Dutch, because it is what the
municipality and the auditors would write. Titles are constants so that every reference is
checked by the interpreter as well as by the tests.
"""

from __future__ import annotations

import datetime as dt

from kansenaudit.data.catalogue import DOMAINS
from kansenaudit.demo.policy_model import (
    NOT_APPLICABLE,
    DemoActor,
    DemoCitation,
    DemoGoal,
    DemoIndicator,
    DemoIndicatorValue,
    DemoInformationItem,
    DemoJudgement,
    DemoScore,
    DemoTheory,
    DemoTheoryLink,
    DemoTheoryStep,
    DemoUitvraag,
    MeasureRef,
    cite,
)
from kansenaudit.policy.uitvraag import DEFAULT_BUDGET_YEARS, MeasureRow

# The content below is data: laid out by hand for reading, not by the formatter.
# fmt: off

# The demo accounts (kansenaudit.web.demo.content.DEMO_USERS) that assess and review.
ASSESSORS = ("onderzoeker", "projectleider")
REVIEWER = "reviewer"

# --- documents --------------------------------------------------------------------------------
COALITIE = "coalitieakkoord-voorbeeldstad-2022-2026.pdf"
NOTA = "beleidsnota-gelijke-kansen-voor-elk-kind.pdf"
RAADSBRIEF_2024 = "raadsbrief-voortgang-kansenaanpak-2024.docx"
BEGROTING_2025 = "begroting-2025-programma-onderwijs.pdf"
UITVRAAG_ONDERWIJS = "uitvraag-antwoord-directie-onderwijs.docx"
BESTUURSOPDRACHT = "bestuursopdracht-tegengaan-kansenongelijkheid-2023.pdf"
RAADSBRIEF_2023 = "raadsbrief-start-bestuursopdracht-2023.docx"
VOORTGANG_2023 = "voortgangsrapportage-kansengelijkheid-2023.pdf"
JAARVERSLAG_2024 = "jaarverslag-2024-kansengelijkheid.pdf"
RAADSBRIEF_2025 = "raadsbrief-kinderen-in-armoede-2025.docx"
VOORTGANG_2025 = "voortgangsrapportage-kansengelijkheid-2025.docx"

# --- actors -----------------------------------------------------------------------------------
COLLEGE = "College van burgemeester en wethouders"
RAAD = "Gemeenteraad Voorbeeldstad"
ONDERWIJS = "Directie Onderwijs"
ARMOEDE = "Directie Armoede en Schulden"
WONEN = "Directie Wonen"

KINDEREN_ARMOEDE = "kinderen in armoede"
ZONDER_STARTKWALIFICATIE = "jongeren zonder startkwalificatie"
PEUTERS = "peuters met een VVE-indicatie"
GROEP_7_8 = "leerlingen in groep 7 en 8"
OUDERS = "ouders met een laag inkomen"
OVERBEWOOND = "gezinnen in een overbewoonde woning"
SCHULDEN = "huishoudens met problematische schulden"

# --- goals ------------------------------------------------------------------------------------
CA1 = "Ieder kind krijgt dezelfde kansen, ongeacht buurt of inkomen van de ouders"
CA2 = "Een derde minder kinderen die opgroeien in armoede in 2026"
CA3 = "Meer voor- en vroegschoolse educatie in de buurten met de grootste onderwijsachterstand"
BO = "De verschillen in kansen tussen de stadsdelen worden kleiner"
AL1 = "Alle peuters met een VVE-indicatie nemen deel aan voor- en vroegschoolse educatie"
AL2 = "Minder onderadvisering en minder jongeren zonder startkwalificatie"
AL3 = "Alle kinderen in minimahuishoudens doen mee aan sport en cultuur"
AL4 = "Minder kinderen met overgewicht in Nieuw-West en Zuidoost"
AL5 = "Minder gezinnen met kinderen in een overbewoonde woning"
DO1 = "Ten minste 90 procent van de peuters met een VVE-indicatie neemt in 2026 deel aan VVE"
DO2 = "Het aandeel havo/vwo-adviezen in Nieuw-West en Zuidoost stijgt tot het stedelijk gemiddelde"
DO3 = "Minder jongeren verlaten de school zonder startkwalificatie"
DO4 = "Ouders zijn meer betrokken bij de school van hun kind"
DA1 = "Alle rechthebbende huishoudens ontvangen de minimaregelingen zonder aanvraag"
DA2 = "Kinderen in minimahuishoudens doen mee aan sport en cultuur"
DA3 = "Minder huishoudens met problematische schulden"
DW1 = "Minder overbewoonde gezinswoningen in Nieuw-West en Zuidoost"
DW2 = "Meer betaalbare gezinswoningen in de sociale huur"
DW3 = "Elk kind in een overbewoonde woning heeft een rustige plek om huiswerk te maken"

# --- measures ---------------------------------------------------------------------------------
VVE = MeasureRef(ONDERWIJS, "Extra VVE-plaatsen")
SMW = MeasureRef(ONDERWIJS, "Schoolmaatschappelijk werk")
ZOMERSCHOOL = MeasureRef(ONDERWIJS, "Zomerschool")
KANSENAANPAK = MeasureRef(ONDERWIJS, "Kansenaanpak in de buurt")
AUTOMATISCH = MeasureRef(ARMOEDE, "Automatische toekenning minimaregelingen")
KINDPAKKET = MeasureRef(ARMOEDE, "Kindpakket sport en cultuur")
VROEGSIGNALERING = MeasureRef(ARMOEDE, "Vroegsignalering schulden")
SCHULDENFONDS = MeasureRef(ARMOEDE, "Jongerenschuldenfonds")
VERHUISREGELING = MeasureRef(WONEN, "Verhuisregeling grote gezinnen")
NIEUWBOUW = MeasureRef(WONEN, "Nieuwbouw gezinswoningen sociale huur")
ENERGIECOACH = MeasureRef(WONEN, "Energiecoach voor huurders met een laag inkomen")

# --- indicators -------------------------------------------------------------------------------
I_DEELNAME = "Deelname aan VVE van peuters met een indicatie"
I_PLAATSEN = "Extra VVE-plaatsen gerealiseerd"
I_HAVO_BEGROTING = "Leerlingen met havo/vwo-advies in Nieuw-West en Zuidoost"
I_KINDPAKKET = "Kinderen met een automatisch toegekend kindpakket"
I_VROEGSIGNALERING = "Huishoudens bereikt met vroegsignalering van schulden"
I_VERHUISD = "Gezinnen verhuisd via de verhuisregeling"
I_MINIMA = "Minimahuishoudens in Voorbeeldstad"
I_HAVO_ZUIDOOST = "Leerlingen met havo/vwo-advies in Zuidoost"
I_OVERBEWONING = "Overbewoning in Nieuw-West"


def actors() -> tuple[DemoActor, ...]:
    """The actor register: college, raad, directies, stadsdelen, programmes, partners, groups."""
    a = DemoActor
    return (
        a(COLLEGE, "college", "Het college van Voorbeeldstad (fictief)."),
        a(RAAD, "raad", "De gemeenteraad van Voorbeeldstad (fictief)."),
        a(ONDERWIJS, "directie", "Voorschoolse educatie, basis- en voortgezet onderwijs.",
          "Ingrid de Wit, beleidsadviseur (fictief)"),
        a(ARMOEDE, "directie", "Minimaregelingen, schuldhulp en armoedebestrijding.",
          "Hamid el Amrani, programmamanager (fictief)"),
        a(WONEN, "directie", "Woningbouw, woningtoewijzing en afspraken met corporaties.",
          "Sanne Kuipers, beleidsadviseur (fictief)"),
        a("Stadsdeel Nieuw-West", "stadsdeel", "Gebiedscode SD03 in de demostad."),
        a("Stadsdeel Zuidoost", "stadsdeel", "Gebiedscode SD06 in de demostad."),
        a("Stadsdeel Oost", "stadsdeel", "Gebiedscode SD05 in de demostad."),
        a("Programma Kansenaanpak", "programma",
          "Het programma van de directie Onderwijs voor de aandachtsbuurten."),
        a("Programma Armoede en Kinderen", "programma",
          "Het programma van de directie Armoede en Schulden voor gezinnen met kinderen."),
        a("Stichting Openbaar Onderwijs Voorbeeldstad", "partner",
          "Schoolbestuur van 31 openbare basisscholen (fictief)."),
        a("Stichting Katholiek Onderwijs De Brug", "partner",
          "Schoolbestuur van 18 basisscholen en 3 scholen voor voortgezet onderwijs (fictief)."),
        a("Kenniscentrum Ongelijkheid Voorbeeldstad", "partner",
          "Onderzoek naar ongelijkheid door gemeente, hogeschool en universiteit (fictief)."),
        a("Woningcorporatie Thuis in Voorbeeldstad", "partner",
          "Corporatie met 24.000 sociale huurwoningen (fictief)."),
        a("Stichting Meedoen Voorbeeldstad", "partner",
          "Voert het kindpakket voor sport en cultuur uit (fictief)."),
        a(KINDEREN_ARMOEDE, "doelgroep",
          "Kinderen tot 18 jaar in een huishouden met een inkomen tot 120% van het sociaal "
          "minimum."),
        a(ZONDER_STARTKWALIFICATIE, "doelgroep",
          "Jongeren van 16 tot 23 jaar zonder havo-, vwo- of mbo-2-diploma."),
        a(PEUTERS, "doelgroep", "Peuters van 2,5 tot 4 jaar met een indicatie van het "
          "consultatiebureau."),
        a(GROEP_7_8, "doelgroep", "Leerlingen in de laatste twee jaren van de basisschool."),
        a(OUDERS, "doelgroep", "Ouders en verzorgers met een inkomen tot 120% van het sociaal "
          "minimum."),
        a(OVERBEWOOND, "doelgroep", "Gezinnen met kinderen in een woning met te weinig ruimte "
          "per persoon."),
        a(SCHULDEN, "doelgroep", "Huishoudens met betalingsachterstanden op vaste lasten."),
    )


def goals() -> tuple[DemoGoal, ...]:
    """City goals (coalitieakkoord, bestuursopdracht, actielijnen) and directie goals."""
    g = DemoGoal
    return (
        g("CA-1", CA1, "coalitieakkoord", None, COLLEGE, (KINDEREN_ARMOEDE,),
          ("onderwijs", "inkomen"),
          citations=(cite(COALITIE, 1, "Voorbeeldstad wil dat ieder kind dezelfde kansen "
                          "krijgt, ongeacht de buurt waarin het opgroeit of het inkomen van de "
                          "ouders."),)),
        g("CA-2", CA2, "coalitieakkoord", None, COLLEGE, (KINDEREN_ARMOEDE,), ("inkomen",),
          citations=(cite(COALITIE, 3, "Wij verlagen het aantal kinderen dat opgroeit in "
                          "armoede met een derde in 2026."),)),
        g("CA-3", CA3, "coalitieakkoord", None, COLLEGE, (PEUTERS,), ("onderwijs",),
          citations=(cite(COALITIE, 2, "Wij breiden de voor- en vroegschoolse educatie uit in "
                          "de buurten met de grootste onderwijsachterstand."),)),
        g("BO", BO, "bestuursopdracht", CA1, COLLEGE, (), ("onderwijs", "inkomen", "wonen"),
          description="In 2026 is de afstand tussen Nieuw-West en Zuidoost en het stedelijk "
          "gemiddelde kleiner dan bij de nulmeting van 2019.",
          citations=(cite(BESTUURSOPDRACHT, 1, "Doel van de opdracht: de verschillen in kansen "
                          "tussen de stadsdelen worden kleiner."),)),
        g("AL-1", AL1, "actielijn", BO, COLLEGE, (PEUTERS,), ("onderwijs",),
          citations=(cite(BESTUURSOPDRACHT, 2, "Actielijn 1, Sterke start: alle peuters met "
                          "een VVE-indicatie nemen deel aan voor- en vroegschoolse educatie."),)),
        g("AL-2", AL2, "actielijn", BO, COLLEGE, (GROEP_7_8, ZONDER_STARTKWALIFICATIE),
          ("onderwijs",),
          citations=(cite(BESTUURSOPDRACHT, 2, "Actielijn 2, Gelijke kansen op school: minder "
                          "onderadvisering en minder jongeren die de school verlaten zonder "
                          "startkwalificatie."),)),
        g("AL-3", AL3, "actielijn", BO, COLLEGE, (KINDEREN_ARMOEDE,), ("voorzieningen",),
          citations=(cite(BESTUURSOPDRACHT, 2, "Actielijn 3, Iedereen doet mee: alle kinderen "
                          "in minimahuishoudens doen mee aan sport en cultuur."),)),
        g("AL-4", AL4, "actielijn", BO, COLLEGE, (), ("gezondheid",),
          citations=(cite(BESTUURSOPDRACHT, 2, "Actielijn 4, Gezond opgroeien: minder kinderen "
                          "met overgewicht in Nieuw-West en Zuidoost."),)),
        g("AL-5", AL5, "actielijn", BO, COLLEGE, (OVERBEWOOND,), ("wonen",),
          citations=(cite(BESTUURSOPDRACHT, 2, "Actielijn 5, Een thuis om in te leren: minder "
                          "gezinnen met kinderen in een overbewoonde woning."),)),
        g("OND-1", DO1, "directie", AL1, ONDERWIJS, (PEUTERS,), ("onderwijs",),
          citations=(cite(NOTA, 3, "Doel 2: de deelname aan voor- en vroegschoolse educatie "
                          "is in 2026 ten minste 90 procent van de kinderen met een indicatie."),)),
        g("OND-2", DO2, "directie", AL2, ONDERWIJS, (GROEP_7_8,), ("onderwijs",),
          description="Streefjaar 2030.",
          citations=(cite(NOTA, 3, "Doel 1: het aandeel leerlingen met een havo/vwo-advies in "
                          "Nieuw-West en Zuidoost stijgt tot het stedelijk gemiddelde in "
                          "2030."),)),
        g("OND-3", DO3, "directie", AL2, ONDERWIJS, (ZONDER_STARTKWALIFICATIE,),
          ("onderwijs", "werk")),
        g("OND-4", DO4, "directie", None, ONDERWIJS, (OUDERS,), ("onderwijs",),
          description="Een doel van de directie zonder gemeentebreed doel erboven."),
        g("AS-1", DA1, "directie", CA2, ARMOEDE, (OUDERS, KINDEREN_ARMOEDE), ("inkomen",)),
        g("AS-2", DA2, "directie", AL3, ARMOEDE, (KINDEREN_ARMOEDE,),
          ("voorzieningen", "inkomen")),
        g("AS-3", DA3, "directie", None, ARMOEDE, (SCHULDEN,), ("inkomen",),
          description="Een doel van de directie zonder gemeentebreed doel erboven."),
        g("WON-1", DW1, "directie", AL5, WONEN, (OVERBEWOOND,), ("wonen",)),
        g("WON-2", DW2, "directie", AL5, WONEN, (OVERBEWOOND,), ("wonen",)),
        g("WON-3", DW3, "directie", AL5, WONEN, (OVERBEWOOND,), ("wonen", "onderwijs"),
          description="Nog geen maatregel of indicator."),
    )


def _m(
    number: int,
    ref: MeasureRef,
    description: str,
    goals: tuple[str, ...],
    groups: tuple[str, ...],
    domain: str,
    reason: str,
    status: str,
    period: tuple[dt.date, dt.date | None],
    budget: dict[int, float],
    reach: int | None,
    rationale: str = "",
    assumptions: str = "",
    alignment: str = "",
    indicators: str = "",
    evidence: str = "",
) -> MeasureRow:
    """A measure as :func:`~kansenaudit.policy.uitvraag.read_filled` returns it from row
    ``number`` of the workbook."""
    return MeasureRow(
        number=number,
        name=ref.name,
        description=description,
        goals=goals,
        target_groups=groups,
        domain=DOMAINS.get(domain, domain),  # the workbook's dropdown shows the labels
        reason=reason,
        status=status,
        start=period[0],
        end=period[1],
        budget=tuple((year, budget.get(year)) for year in DEFAULT_BUDGET_YEARS),
        reach=reach,
        rationale=rationale,
        assumptions=assumptions,
        alignment=alignment,
        indicators=indicators,
        evidence=evidence,
        row=number + 1,
    )


def _onderwijs() -> tuple[MeasureRow, ...]:
    d = dt.date
    return (
        _m(1, VVE, "Meer plaatsen voor voor- en vroegschoolse educatie in Nieuw-West en "
           "Zuidoost, uitgevoerd door voorscholen en kinderopvang.",
           (DO1, DO2, CA3), (PEUTERS,), "onderwijs", "grootste impact", "lopend",
           (d(2023, 1, 1), d(2026, 12, 31)),
           {2023: 3_200_000.0, 2024: 4_100_000.0, 2025: 4_300_000.0, 2026: 4_300_000.0}, 600,
           "Vroege taalstimulering verkleint de achterstand waarmee kinderen aan groep 3 "
           "beginnen.",
           "Ouders kennen het aanbod; er zijn genoeg pedagogisch medewerkers.",
           "Coalitieakkoord: uitbreiding van VVE in de buurten met de grootste "
           "onderwijsachterstand; actielijn 1 Sterke start.",
           "Deelname aan VVE (nulmeting 2019: 78%, streefwaarde 2026: 90%); aantal extra "
           "plaatsen.",
           "Beleidsnota Gelijke kansen voor elk kind (14-02-2023)."),
        _m(2, SMW, "Schoolmaatschappelijk werkers op basisscholen en scholen voor voortgezet "
           "onderwijs in de aandachtsbuurten.",
           (DO3,), (GROEP_7_8, ZONDER_STARTKWALIFICATIE), "onderwijs", "grootste doelgroep",
           "lopend", (d(2021, 8, 1), None),
           {2023: 1_800_000.0, 2024: 1_800_000.0, 2025: 1_850_000.0, 2026: 1_850_000.0,
            2027: 1_850_000.0}, 5200,
           "Problemen thuis vroeg signaleren voorkomt dat leerlingen uitvallen.",
           "Scholen melden leerlingen tijdig aan.",
           "Actielijn 2: minder jongeren zonder startkwalificatie.",
           "Aantal begeleide leerlingen.", ""),
        _m(3, ZOMERSCHOOL, "Drie weken extra les in taal en rekenen in de zomervakantie voor "
           "leerlingen in groep 7 en 8.",
           (DO2,), (GROEP_7_8,), "onderwijs", "grootste impact", "lopend",
           (d(2023, 7, 1), d(2026, 8, 31)),
           {2023: 650_000.0, 2024: 700_000.0, 2025: 700_000.0, 2026: 700_000.0}, 900,
           "Extra lestijd in de zomer voorkomt terugval in taal en rekenen.",
           "De leerlingen die het het meest nodig hebben, komen ook.",
           "Actielijn 2: minder onderadvisering.",
           "Aantal deelnemers; een nulmeting ontbreekt.",
           "Antwoord op de uitvraag (15-09-2025)."),
        _m(4, KANSENAANPAK, "Scholen, ouders en buurtorganisaties maken per aandachtsbuurt een "
           "plan voor kinderen met de minste kansen.",
           (DO2, DO4), (KINDEREN_ARMOEDE, OUDERS), "onderwijs", "hoogste kosten", "lopend",
           (d(2022, 1, 1), d(2026, 12, 31)),
           {2023: 2_500_000.0, 2024: 2_900_000.0, 2025: 3_000_000.0, 2026: 3_000_000.0}, 3000,
           "Wat in de buurt samen wordt gedaan, sluit beter aan bij wat kinderen nodig hebben.",
           "Ouders en scholen willen samenwerken; de buurtplannen worden uitgevoerd.",
           "Coalitieakkoord: ongelijk investeren.", "", ""),
    )


def _armoede() -> tuple[MeasureRow, ...]:
    d = dt.date
    return (
        _m(1, AUTOMATISCH, "Huishoudens met een inkomen tot 120% van het sociaal minimum "
           "krijgen de minimaregelingen zonder aanvraag, op basis van inkomensgegevens.",
           (DA1, CA2), (OUDERS, KINDEREN_ARMOEDE), "inkomen", "grootste doelgroep", "lopend",
           (d(2023, 1, 1), None),
           {2023: 5_600_000.0, 2024: 6_200_000.0, 2025: 6_500_000.0, 2026: 6_500_000.0,
            2027: 6_500_000.0}, 14_000,
           "Niet-gebruik is de grootste drempel; automatisch toekennen neemt die weg.",
           "De inkomensgegevens zijn actueel en volledig.",
           "Coalitieakkoord: minimaregelingen automatisch toekennen.",
           "Aantal kinderen met een automatisch toegekend kindpakket.",
           "Coalitieakkoord 2022-2026."),
        _m(2, KINDPAKKET, "Een jaarlijks budget per kind voor sportclub, muziekles of "
           "zwemles, uitgevoerd door Stichting Meedoen Voorbeeldstad.",
           (DA2,), (KINDEREN_ARMOEDE,), "voorzieningen", "grootste impact", "lopend",
           (d(2023, 1, 1), None),
           {2023: 2_100_000.0, 2024: 2_400_000.0, 2025: 2_600_000.0, 2026: 2_600_000.0}, 7900,
           "Meedoen aan sport en cultuur versterkt zelfvertrouwen en netwerk van kinderen.",
           "Kinderen gebruiken het budget ook echt.",
           "Actielijn 3: iedereen doet mee.",
           "Aantal kinderen met een kindpakket; gebruik nog niet gemeten.", ""),
        _m(3, VROEGSIGNALERING, "Woningcorporaties, energie- en zorgverzekeraars melden "
           "betalingsachterstanden; de gemeente neemt binnen twee weken contact op.",
           (DA3,), (SCHULDEN,), "inkomen", "grootste impact", "lopend",
           (d(2022, 6, 1), None),
           {2023: 900_000.0, 2024: 950_000.0, 2025: 1_000_000.0, 2026: 1_000_000.0}, 2300,
           "Vroeg ingrijpen voorkomt dat kleine achterstanden problematische schulden worden.",
           "Huishoudens gaan in op het aanbod.", "",
           "Aantal bereikte huishoudens; geen streefwaarde.", ""),
        _m(4, SCHULDENFONDS, "Het fonds nam schulden van jongeren over in ruil voor een "
           "traject naar school of werk.",
           (DA3,), (ZONDER_STARTKWALIFICATIE, SCHULDEN), "werk", "hoogste kosten", "gestopt",
           (d(2021, 1, 1), d(2024, 6, 30)),
           {2023: 1_500_000.0, 2024: 700_000.0, 2025: 0.0}, 150,
           "Zonder schulden kunnen jongeren zich richten op school of werk.",
           "Jongeren maken het traject af.", "",
           "Aantal jongeren in een traject.",
           "Evaluatie Kenniscentrum Ongelijkheid Voorbeeldstad (2024)."),
    )


def _wonen() -> tuple[MeasureRow, ...]:
    d = dt.date
    return (
        _m(1, VERHUISREGELING, "Gezinnen in een overbewoonde woning krijgen voorrang en een "
           "verhuisvergoeding bij een grotere woning van Woningcorporatie Thuis in "
           "Voorbeeldstad.",
           (DW1,), (OVERBEWOOND,), "wonen", "grootste impact", "lopend",
           (d(2023, 9, 1), d(2027, 12, 31)),
           {2023: 250_000.0, 2024: 800_000.0, 2025: 900_000.0, 2026: 900_000.0,
            2027: 900_000.0}, 110,
           "Een grotere woning geeft kinderen rust en ruimte om te leren.",
           "De corporatie heeft genoeg grote woningen beschikbaar.",
           "Actielijn 5: een thuis om in te leren.",
           "Aantal verhuisde gezinnen (streefwaarde 2026: 250).", ""),
        _m(2, NIEUWBOUW, "Bijdrage aan de bouw van sociale huurwoningen met vier of meer "
           "kamers.",
           (DW2,), (OVERBEWOOND,), "wonen", "hoogste kosten", "lopend",
           (d(2023, 1, 1), d(2030, 12, 31)),
           {2023: 4_000_000.0, 2024: 6_000_000.0, 2025: 8_000_000.0, 2026: 8_000_000.0,
            2027: 8_000_000.0}, 1200,
           "Meer grote woningen verminderen overbewoning.",
           "Bouwlocaties komen op tijd beschikbaar.",
           "Actielijn 5.", "Aantal opgeleverde woningen.", ""),
        # Returned without goals or rationale: the "measure without goals" of the demo.
        _m(3, ENERGIECOACH, "Een energiecoach helpt huurders hun energierekening te verlagen.",
           (), (OUDERS,), "wonen", "grootste doelgroep", "lopend",
           (d(2024, 1, 1), None), {2024: 300_000.0, 2025: 350_000.0}, 1500),
    )


def uitvragen() -> tuple[DemoUitvraag, ...]:
    """The three directies' uitvragen, sent in January 2026 (see the dossier's milestones)."""
    d = dt.date
    sent, deadline = d(2026, 1, 15), d(2026, 2, 13)
    return (
        DemoUitvraag(ONDERWIJS, "Olga Onderzoeker, Rekenkamer Voorbeeldstad (demo)", sent,
                     deadline, (), d(2026, 2, 10), "geaccepteerd", _onderwijs()),
        DemoUitvraag(ARMOEDE, "Olga Onderzoeker, Rekenkamer Voorbeeldstad (demo)", sent,
                     deadline, (), d(2026, 2, 12), "geaccepteerd", _armoede()),
        DemoUitvraag(WONEN, "Olga Onderzoeker, Rekenkamer Voorbeeldstad (demo)", sent,
                     deadline, (d(2026, 2, 16),), d(2026, 2, 24), "ontvangen", _wonen()),
    )


def theories() -> tuple[DemoTheory, ...]:
    """Policy theories of six measures; some links cite evidence, others do not."""
    s, link = DemoTheoryStep, DemoTheoryLink
    vve_act = "Voorscholen in Nieuw-West en Zuidoost bieden extra VVE-plaatsen aan"
    vve_out = "Meer peuters met een indicatie nemen deel aan VVE"
    vve_taal = "Kinderen beginnen met minder taalachterstand aan groep 3"
    vve_advies = "Hogere schooladviezen in groep 8"
    aut_act = "De gemeente kent de minimaregelingen automatisch toe op basis van inkomensgegevens"
    aut_out = "Meer rechthebbende huishoudens ontvangen de regelingen"
    aut_geld = "Gezinnen houden meer geld over voor hun kinderen"
    vh_act = "Voorrang en verhuisvergoeding voor gezinnen in een overbewoonde woning"
    vh_out = "Gezinnen verhuizen naar een grotere woning"
    vh_rust = "Kinderen hebben thuis rust en ruimte om te leren"
    zs_act = "Drie weken extra les in de zomervakantie"
    zs_out = "Leerlingen in groep 7 en 8 volgen de zomerschool"
    zs_niveau = "Leerlingen houden hun niveau in taal en rekenen vast"
    # The two measures of the practice study (§4.2): the mirror of practice holds their
    # theories against what residents, partners and civil servants said (coding demo).
    smw_act = "Een schoolmaatschappelijk werker op elke school in de aandachtsbuurten"
    smw_out = "Gezinnen met problemen thuis worden vroeg bereikt"
    smw_hulp = "Problemen thuis, zoals geldzorgen, worden eerder aangepakt"
    vs_act = "Corporaties en energiebedrijven melden betalingsachterstanden; de gemeente belt"
    vs_out = "Huishoudens gaan in op het aanbod van hulp"
    vs_hulp = "Achterstanden worden opgelost voordat ze problematisch worden"
    return (
        DemoTheory(
            VVE,
            (s("activiteit", vve_act), s("output", vve_out), s("outcome", vve_taal),
             s("outcome", vve_advies), s("doel", DO1, DO1), s("doel", DO2, DO2)),
            (
                link(vve_act, vve_out, "Meer plaatsen maken deelname mogelijk als ouders het "
                     "aanbod kennen.",
                     cite(NOTA, 2, "Wij nemen aan dat ouders het aanbod kennen en dat er "
                          "voldoende plaatsen zijn.", "Aanname, niet onderbouwd.")),
                link(vve_out, vve_taal, "Vroege taalstimulering verkleint de achterstand.",
                     cite(NOTA, 2, "Als kinderen met een taalachterstand vroeg voor- en "
                          "vroegschoolse educatie krijgen, beginnen zij met minder achterstand "
                          "aan groep 3.")),
                link(vve_taal, vve_advies, "Een betere start werkt door tot het schooladvies.",
                     cite(NOTA, 2, "Dat leidt tot hogere schooladviezen in groep 8 en zo tot "
                          "meer kansengelijkheid.")),
                link(vve_out, DO1, "De deelname is zelf het doel van de directie."),
                link(vve_advies, DO2, "Hogere adviezen in de aandachtsbuurten verkleinen het "
                     "verschil met het stedelijk gemiddelde."),
            ),
        ),
        DemoTheory(
            AUTOMATISCH,
            (s("activiteit", aut_act), s("output", aut_out), s("outcome", aut_geld),
             s("doel", DA1, DA1), s("doel", CA2, CA2)),
            (
                link(aut_act, aut_out, "Wie niets hoeft aan te vragen, loopt de regeling niet "
                     "mis.",
                     cite(COALITIE, 3, "Ongelijk investeren betekent ook: de minimaregelingen "
                          "automatisch toekennen aan wie er recht op heeft.")),
                link(aut_out, DA1, "Het bereik is het doel van de directie."),
                link(aut_out, aut_geld, "De regelingen vullen het besteedbaar inkomen aan."),
                link(aut_geld, CA2, "Meer te besteden zou minder kinderen in armoede "
                     "betekenen; maar de regelingen tillen het inkomen niet boven de grens."),
            ),
        ),
        DemoTheory(
            VERHUISREGELING,
            (s("activiteit", vh_act), s("output", vh_out), s("outcome", vh_rust),
             s("doel", DW1, DW1)),
            (
                link(vh_act, vh_out, "De vergoeding neemt de kosten van verhuizen weg."),
                link(vh_out, DW1, "Elk verhuisd gezin woont niet meer overbewoond."),
                link(vh_out, vh_rust, "Meer ruimte geeft rust om huiswerk te maken."),
            ),
        ),
        DemoTheory(
            ZOMERSCHOOL,
            (s("activiteit", zs_act), s("output", zs_out), s("outcome", zs_niveau),
             s("doel", DO2, DO2)),
            (
                link(zs_act, zs_out, "Scholen nodigen de leerlingen uit die het nodig hebben."),
                link(zs_out, zs_niveau, "Extra lestijd voorkomt terugval in de zomer.",
                     cite(UITVRAAG_ONDERWIJS, 1, "Bij de zomerschool ontbreekt een nulmeting.",
                          "Het effect is niet te meten zonder nulmeting.")),
                link(zs_niveau, DO2, "Wie zijn niveau vasthoudt, krijgt een hoger advies."),
            ),
        ),
        DemoTheory(
            SMW,
            (s("activiteit", smw_act), s("output", smw_out), s("outcome", smw_hulp),
             s("doel", DO3, DO3)),
            (
                link(smw_act, smw_out, "Een vertrouwd gezicht op school verlaagt de drempel."),
                link(smw_out, smw_hulp, "Wie vroeg bereikt wordt, krijgt sneller hulp."),
                link(smw_hulp, DO3, "Minder problemen thuis betekent minder uitval."),
            ),
        ),
        DemoTheory(
            VROEGSIGNALERING,
            (s("activiteit", vs_act), s("output", vs_out), s("outcome", vs_hulp),
             s("doel", DA3, DA3)),
            (
                link(vs_act, vs_out, "Een telefoontje kort na de melding wordt aangenomen."),
                link(vs_out, vs_hulp, "Vroege hulp voorkomt stapeling van schulden."),
                link(vs_hulp, DA3, "Opgeloste achterstanden worden geen problematische schulden."),
            ),
        ),
    )


def _v(
    kind: str, year: int, value: float, citation: DemoCitation | None = None, note: str = ""
) -> DemoIndicatorValue:
    return DemoIndicatorValue(kind, year, value, citation, note)


def indicators() -> tuple[DemoIndicator, ...]:
    """Manual indicators with values citing reports, and catalogue indicators (baseline and
    target only; the statistics engine gives the realised values)."""
    i = DemoIndicator
    return (
        i(I_DEELNAME, "Aandeel peuters met een VVE-indicatie dat deelneemt aan voor- en "
          "vroegschoolse educatie, op 1 oktober.", "%", "handmatig", "hoger",
          (DO1, AL1), (VVE,),
          (_v("nulmeting", 2019, 78.0, note="Nulmeting volgens de directie Onderwijs."),
           _v("streefwaarde", 2026, 90.0,
              cite(NOTA, 3, "Doel 2: de deelname aan voor- en vroegschoolse educatie is in "
                   "2026 ten minste 90 procent van de kinderen met een indicatie.")),
           _v("realisatie", 2023, 82.0,
              cite(VOORTGANG_2023, 1, "In 2023 nam 82 procent van de peuters met een indicatie "
                   "deel aan voor- en vroegschoolse educatie.")),
           _v("realisatie", 2024, 85.0,
              cite(JAARVERSLAG_2024, 1, "De deelname aan voor- en vroegschoolse educatie "
                   "steeg naar 85 procent van de peuters met een indicatie.")),
           _v("realisatie", 2025, 86.0,
              cite(VOORTGANG_2025, 1, "De deelname aan voor- en vroegschoolse educatie "
                   "bedroeg in 2025 86 procent van de peuters met een indicatie")))),
        i(I_PLAATSEN, "Aantal VVE-plaatsen bovenop het aanbod van 2022.", "aantal",
          "handmatig", "hoger", (DO1,), (VVE,),
          (_v("nulmeting", 2022, 0.0),
           _v("streefwaarde", 2026, 600.0, note="Opgave in de uitvraag."),
           _v("realisatie", 2023, 180.0,
              cite(VOORTGANG_2023, 1, "In 2023 hebben wij 180 extra VVE-plaatsen "
                   "gerealiseerd.")),
           _v("realisatie", 2024, 420.0,
              cite(RAADSBRIEF_2024, 1, "Wij hebben 420 extra VVE-plaatsen gerealiseerd.")))),
        # No baseline value: the budget names a baseline year but no value.
        i(I_HAVO_BEGROTING, "Aandeel leerlingen met een havo/vwo-advies, zoals de begroting "
          "het rapporteert; het gebied en de peildatum staan er niet bij.", "%", "handmatig",
          "hoger", (DO2,), (ZOMERSCHOOL, KANSENAANPAK),
          (_v("streefwaarde", 2025, 48.0,
              cite(BEGROTING_2025, 1, "streefwaarde 2025: 48 procent")),
           _v("realisatie", 2023, 44.0,
              cite(BEGROTING_2025, 1, "realisatie 2023: 44 procent")))),
        i(I_KINDPAKKET, "Aantal kinderen aan wie het kindpakket voor sport en cultuur in het "
          "jaar automatisch is toegekend.", "aantal", "handmatig", "hoger",
          (DA1, DA2), (AUTOMATISCH, KINDPAKKET),
          (_v("nulmeting", 2022, 3100.0, note="Aanvragen in 2022, voor de automatische "
              "toekenning."),
           _v("streefwaarde", 2026, 9000.0),
           _v("realisatie", 2023, 4800.0,
              cite(VOORTGANG_2023, 1, "Via de automatische toekenning ontvingen 4.800 kinderen "
                   "het kindpakket voor sport en cultuur.")),
           _v("realisatie", 2024, 6400.0,
              cite(JAARVERSLAG_2024, 2, "Wij kenden aan 6.400 kinderen automatisch het "
                   "kindpakket toe.")),
           _v("realisatie", 2025, 7900.0,
              cite(VOORTGANG_2025, 2, "In 2025 kregen 7.900 kinderen automatisch het "
                   "kindpakket.")))),
        # No target: the college says so itself.
        i(I_VROEGSIGNALERING, "Aantal huishoudens met wie na een melding van een "
          "betalingsachterstand contact is gelegd.", "aantal", "handmatig", "hoger",
          (DA3,), (VROEGSIGNALERING,),
          (_v("nulmeting", 2023, 1200.0),
           _v("realisatie", 2024, 1850.0,
              cite(RAADSBRIEF_2025, 2, "In 2024 bereikten wij 1.850 huishoudens met "
                   "vroegsignalering van schulden.")),
           _v("realisatie", 2025, 2300.0,
              cite(VOORTGANG_2025, 2, "In 2025 namen 2.300 huishoudens deel aan "
                   "vroegsignalering van schulden.")))),
        i(I_VERHUISD, "Aantal gezinnen dat met de verhuisregeling naar een grotere woning "
          "verhuisde.", "aantal", "handmatig", "hoger", (DW1,), (VERHUISREGELING,),
          (_v("nulmeting", 2023, 0.0, note="De regeling startte in september 2023."),
           _v("streefwaarde", 2026, 250.0),
           _v("realisatie", 2024, 60.0,
              cite(JAARVERSLAG_2024, 2, "In 2024 verhuisden 60 gezinnen via de "
                   "verhuisregeling naar een grotere woning.")),
           _v("realisatie", 2025, 110.0,
              cite(VOORTGANG_2025, 2, "In 2025 verhuisden 110 gezinnen via de "
                   "verhuisregeling.")))),
        i(I_MINIMA, "Aandeel huishoudens met een inkomen tot 120% van het wettelijk sociaal "
          "minimum (indicator van de statistiek).", "%", "catalogus", "lager", (CA2, DA1),
          (AUTOMATISCH,),
          (_v("nulmeting", 2019, 14.1,
              cite(JAARVERSLAG_2024, 1, "Het aandeel minimahuishoudens daalde van 14,1 procent "
                   "in 2019")),
           _v("streefwaarde", 2026, 12.0, note="Afgeleid van het coalitieakkoord.")),
          catalogue_key="minimum_income_households_pct", area_code="GM9999"),
        i(I_HAVO_ZUIDOOST, "Aandeel leerlingen in groep 8 met een definitief schooladvies havo "
          "of hoger, stadsdeel Zuidoost (indicator van de statistiek).", "%", "catalogus",
          "hoger", (DO2, AL2), (ZOMERSCHOOL, KANSENAANPAK),
          (_v("nulmeting", 2019, 45.1),
           _v("streefwaarde", 2026, 52.0),
           _v("streefwaarde", 2030, 59.3, note="Het stedelijk gemiddelde van 2019.")),
          catalogue_key="vo_advice_havo_vwo_pct", area_code="SD06"),
        i(I_OVERBEWONING, "Aandeel huishoudens in stadsdeel Nieuw-West in een woning met te "
          "weinig ruimte per persoon (indicator van de statistiek).", "%", "catalogus",
          "lager", (DW1, AL5), (VERHUISREGELING, NIEUWBOUW),
          (_v("nulmeting", 2019, 11.3), _v("streefwaarde", 2026, 9.0)),
          catalogue_key="overcrowding_pct", area_code="SD03"),
    )


def information_items() -> tuple[DemoInformationItem, ...]:
    """What the college told the council, 2023–2026: plans, outputs and (some) effects."""
    d, item = dt.date, DemoInformationItem
    return (
        item(RAADSBRIEF_2023, "Raadsbrief start uitvoering Bestuursopdracht", d(2023, 5, 16),
             "geen", (BO, AL1, DA1), (VVE, AUTOMATISCH), (),
             "Kondigt aan wat komt; nog geen resultaten."),
        item(VOORTGANG_2023, "Voortgangsrapportage kansengelijkheid 2023", d(2024, 3, 12),
             "outputs", (DO1, DA2, DW1), (VVE, KINDPAKKET, VERHUISREGELING),
             (I_PLAATSEN, I_DEELNAME, I_KINDPAKKET),
             "Plaatsen, deelname en bereik; over effecten verwijst het college naar het "
             "jaarverslag."),
        item(BEGROTING_2025, "Begroting 2025, programma Onderwijs", d(2024, 10, 1), "beide",
             (DO2,), (), (I_HAVO_BEGROTING,),
             "Eén effectindicator met streefwaarde en realisatie, zonder gebied of nulwaarde."),
        item(RAADSBRIEF_2024, "Raadsbrief voortgang Kansenaanpak 2024", d(2024, 11, 5),
             "outputs", (DO1,), (VVE,), (I_PLAATSEN,),
             "Meldt expliciet dat over het effect nog niets te zeggen is."),
        item(JAARVERSLAG_2024, "Jaarverslag 2024, programma Kansengelijkheid", d(2025, 4, 15),
             "beide", (CA2, DO1, DA1, DW1), (VVE, AUTOMATISCH, VERHUISREGELING),
             (I_MINIMA, I_DEELNAME, I_KINDPAKKET, I_VERHUISD)),
        item(RAADSBRIEF_2025, "Raadsbrief Kinderen in armoede 2025", d(2025, 6, 24),
             "effecten", (CA2, DA2, DA3), (AUTOMATISCH, VROEGSIGNALERING),
             (I_MINIMA, I_KINDPAKKET, I_VROEGSIGNALERING),
             "Het college verwacht het doel uit het coalitieakkoord niet te halen."),
        item(VOORTGANG_2025, "Voortgangsrapportage kansengelijkheid 2025", d(2026, 2, 10),
             "beide", (DO1, DO2, DA2, DA3, DW1),
             (VVE, KINDPAKKET, VROEGSIGNALERING, VERHUISREGELING),
             (I_DEELNAME, I_HAVO_ZUIDOOST, I_KINDPAKKET, I_VROEGSIGNALERING, I_VERHUISD)),
    )


# --- judgements -------------------------------------------------------------------------------

# (subject, criterion, score of the first assessor, of the second, consensus, rationale,
# rationale of an assessor who scored differently from the consensus)
_Row = tuple[object, str, object, object, object, str, str]
_NA = NOT_APPLICABLE

_ANALYSEMODEL: tuple[_Row, ...] = (
    (COLLEGE, "C1", 2, 2, 2, "Coalitieakkoord en bestuursopdracht werken kansengelijkheid "
     "gemeentebreed uit.", ""),
    (COLLEGE, "C2", 2, 2, 2, "Beide zijn door het college vastgesteld.", ""),
    (COLLEGE, "C3", 1, 2, 1, "De verschillen tussen stadsdelen zijn beschreven, de oorzaken "
     "niet.", "De nulmeting van 2019 analyseert de verschillen naar groep en buurt."),
    (COLLEGE, "C4", 1, 1, 1, "Eén doel is meetbaar (een derde minder kinderen in armoede), "
     "de actielijnen niet.", ""),
    (COLLEGE, "C5", _NA, _NA, _NA, "Geldt voor directies, niet voor het gemeentebrede "
     "beleid zelf.", ""),
    (COLLEGE, "C6", _NA, 1, _NA, "Het college heeft geen eigen maatregelen; beoordeeld per "
     "directie.", "De bestuursopdracht noemt al een verband tussen actielijnen en doel."),
    (ONDERWIJS, "C1", 2, 2, 2, "De beleidsnota Gelijke kansen voor elk kind is het kader.", ""),
    (ONDERWIJS, "C2", 2, 2, 2, "De nota is vastgesteld op 14 februari 2023.", ""),
    (ONDERWIJS, "C3", 1, 2, 2, "De nota noemt de doelgroep en de oorzaak: taalachterstand "
     "bij de start.", "De analyse beperkt zich tot taal."),
    (ONDERWIJS, "C4", 2, 1, 1, "Twee meetbare doelen, maar de zomerschool heeft geen "
     "nulmeting.", "De doelen in de nota zijn meetbaar met nulmeting 2019."),
    (ONDERWIJS, "C5", 2, 2, 2, "De doelen hangen onder actielijn 1 en 2.", ""),
    (ONDERWIJS, "C6", 1, 1, 1, "Alleen voor VVE is de beleidstheorie uitgewerkt.", ""),
    (ARMOEDE, "C1", 1, 2, 1, "Geen eigen nota; de directie verwijst naar het "
     "coalitieakkoord.", "Het programma Armoede en Kinderen is het kader."),
    (ARMOEDE, "C2", 2, 1, 2, "De regelingen zijn bij raadsbesluit vastgesteld.",
     "Het programma zelf is niet vastgesteld."),
    (ARMOEDE, "C3", 1, 1, 1, "Niet-gebruik is geanalyseerd, de oorzaken van schulden niet.",
     ""),
    (ARMOEDE, "C4", 1, 0, 1, "Bereik is meetbaar; voor schulden ontbreekt een streefwaarde.",
     "Geen enkel doel heeft een streefwaarde."),
    (ARMOEDE, "C5", 1, 1, 1, "Het schuldendoel hangt niet onder een gemeentelijk doel.", ""),
    (ARMOEDE, "C6", 1, 2, 1, "Automatisch toekennen verhoogt het bereik, niet het inkomen "
     "boven de armoedegrens.", "De keten is aannemelijk en geciteerd."),
    (WONEN, "C1", 0, 1, 0, "Kansengelijkheid komt in het woonbeleid niet als thema voor.",
     "Actielijn 5 geeft een kader."),
    (WONEN, "C2", 1, 1, 1, "Alleen de verhuisregeling is vastgesteld.", ""),
    (WONEN, "C3", 0, 0, 0, "Geen analyse van welke gezinnen overbewoond wonen.", ""),
    (WONEN, "C4", 1, 2, 1, "Eén streefwaarde (250 gezinnen), geen nulwaarde voor "
     "overbewoning.", "De statistiek geeft de nulwaarde."),
    (WONEN, "C5", 2, 1, 1, "Twee doelen onder actielijn 5; één maatregel zonder doel.",
     "De doelen sluiten aan op actielijn 5."),
    (WONEN, "C6", 0, 0, 0, "Geen onderbouwing of bewijs voor de verbanden.", ""),
)

_EFFECTLADDER: tuple[_Row, ...] = (
    (VVE, "E", 3, 3, 3, "Deelname stijgt en de onderbouwing is geciteerd; effect op het "
     "advies nog niet zichtbaar.", ""),
    (SMW, "E", 1, 1, 1, "Beschreven, niet onderbouwd.", ""),
    (ZOMERSCHOOL, "E", 1, 2, 1, "Zonder nulmeting geen aanwijzing voor effect.",
     "Landelijk onderzoek naar zomerscholen geeft een onderbouwing."),
    (KANSENAANPAK, "E", 1, 1, 1, "Doel en werkwijze beschreven per buurt.", ""),
    (AUTOMATISCH, "E", 2, 2, 2, "Onderbouwd met het niet-gebruik; bereik stijgt.", ""),
    (KINDPAKKET, "E", 2, 1, 2, "Onderbouwing via meedoen aan sport en cultuur.",
     "Gebruik wordt niet gemeten."),
    (VROEGSIGNALERING, "E", 2, 3, 2, "Aannemelijk; bereik stijgt, effect op schulden "
     "onbekend.", "Het bereik stijgt snel."),
    (SCHULDENFONDS, "E", 3, 2, 3, "De evaluatie van het kenniscentrum laat eerste "
     "aanwijzingen zien.", "De evaluatie had geen vergelijkingsgroep."),
    (VERHUISREGELING, "E", 1, 1, 1, "Beschreven; verband met leren niet onderbouwd.", ""),
    (NIEUWBOUW, "E", 1, 0, 1, "Doel en aanpak beschreven.", "Doelgroep niet beschreven."),
    (ENERGIECOACH, "E", 0, 0, 0, "Geen doel, geen onderbouwing.", ""),
)

_SMART: tuple[_Row, ...] = (
    (CA2, "S", 2, 2, 2, "Wie (kinderen in armoede) en wat (een derde minder).", ""),
    (CA2, "M", 1, 2, 1, "Meetbaar, maar de nulwaarde staat er niet bij.",
     "Met de statistiek meetbaar."),
    (CA2, "A", _NA, 1, _NA, "Niet vast te stellen uit de stukken.",
     "Het akkoord is door de coalitie gesteund."),
    (CA2, "R", 0, 1, 0, "Het college verwacht het doel zelf niet te halen.",
     "Ambitieus maar niet onmogelijk."),
    (CA2, "T", 2, 2, 2, "In 2026.", ""),
    (DO1, "S", 2, 2, 2, "Peuters met een indicatie, deelname aan VVE.", ""),
    (DO1, "M", 2, 2, 2, "Nulmeting 78 procent, streefwaarde 90 procent.", ""),
    (DO1, "A", 2, 1, 2, "Voorscholen onderschrijven het doel in het convenant.",
     "Geen convenant gevonden."),
    (DO1, "R", 2, 2, 2, "86 procent in 2025; 90 procent in 2026 is haalbaar.", ""),
    (DO1, "T", 2, 2, 2, "In 2026.", ""),
    (DA3, "S", 1, 1, 1, "Doelgroep benoemd, beoogde verandering vaag.", ""),
    (DA3, "M", 0, 0, 0, "Geen indicator voor schulden, alleen voor bereik.", ""),
    (DA3, "A", _NA, _NA, _NA, "Niet te beoordelen.", ""),
    (DA3, "R", 1, 0, 1, "Zonder streefwaarde is realisme niet te toetsen.",
     "Niet te toetsen is niet realistisch."),
    (DA3, "T", 0, 0, 0, "Geen termijn.", ""),
)

_INDICATORKWALITEIT: tuple[_Row, ...] = (
    (I_DEELNAME, "I1", 2, 2, 2, "Definitie, eenheid en peildatum liggen vast.", ""),
    (I_DEELNAME, "I2", 2, 1, 2, "Meet het doel van de directie.",
     "Meet deelname, niet het effect op taal."),
    (I_DEELNAME, "I3", 1, 1, 1, "De bron (registratie voorscholen) is niet openbaar.", ""),
    (I_DEELNAME, "I4", 2, 2, 2, "Begrijpelijk percentage.", ""),
    (I_DEELNAME, "I5", 1, 2, 1, "Eenmaal genoemd in een raadsdebat.",
     "Staat in elke voortgangsrapportage."),
    (I_HAVO_BEGROTING, "I1", 0, 1, 0, "Gebied en peildatum ontbreken.",
     "Het gebied blijkt uit de beleidsnota."),
    (I_HAVO_BEGROTING, "I2", 2, 2, 2, "Meet het beoogde effect.", ""),
    (I_HAVO_BEGROTING, "I3", 0, 0, 0, "Wijkt af van de statistiek; niet herhaalbaar.", ""),
    (I_HAVO_BEGROTING, "I4", 1, 2, 1, "Zonder gebied niet goed te begrijpen.",
     "Een percentage is begrijpelijk."),
    (I_HAVO_BEGROTING, "I5", 1, 1, 1, "Alleen in de begroting.", ""),
    (I_VROEGSIGNALERING, "I1", 2, 1, 1, "Eenduidig, maar 'bereikt' is niet gedefinieerd.",
     "Eenduidig omschreven."),
    (I_VROEGSIGNALERING, "I2", 1, 1, 1, "Meet bereik, niet minder schulden.", ""),
    (I_VROEGSIGNALERING, "I3", 2, 2, 2, "Registratie van de gemeente zelf.", ""),
    (I_VROEGSIGNALERING, "I4", 2, 2, 2, "Een aantal huishoudens.", ""),
    (I_VROEGSIGNALERING, "I5", 0, 0, 0, "Zonder streefwaarde kan de raad er niet op sturen.",
     ""),
)

_RAADSINFORMATIE: tuple[_Row, ...] = (
    (VOORTGANG_2023, "R1", 2, 2, 2, "Op tijd voor de voorjaarsnota.", ""),
    (VOORTGANG_2023, "R2", 1, 1, 1, "Schulden en zomerschool ontbreken.", ""),
    (VOORTGANG_2023, "R3", 0, 1, 0, "Alleen prestaties; effecten uitgesteld.",
     "Deelname is een resultaat voor de doelgroep."),
    (VOORTGANG_2023, "R4", 2, 2, 2, "Kort en helder.", ""),
    (VOORTGANG_2023, "R5", 1, 0, 1, "Geen vergelijking met streefwaarden.",
     "Zonder streefwaarden geen sturing."),
    (JAARVERSLAG_2024, "R1", 2, 2, 2, "Bij de jaarrekening.", ""),
    (JAARVERSLAG_2024, "R2", 1, 2, 1, "Het havo/vwo-advies ontbreekt.",
     "Alle programmadoelen komen aan bod."),
    (JAARVERSLAG_2024, "R3", 2, 2, 2, "Meldt effecten met nulmeting.", ""),
    (JAARVERSLAG_2024, "R4", 2, 1, 2, "Cijfers met vergelijking.",
     "Veel cijfers zonder toelichting."),
    (JAARVERSLAG_2024, "R5", 1, 1, 1, "Benoemt een tegenvaller, niet de keuzes.", ""),
    (RAADSBRIEF_2025, "R1", 1, 1, 1, "Na de voorjaarsnota.", ""),
    (RAADSBRIEF_2025, "R2", 1, 1, 1, "Alleen armoede en schulden.", ""),
    (RAADSBRIEF_2025, "R3", 2, 2, 2, "Meldt dat het doel niet wordt gehaald.", ""),
    (RAADSBRIEF_2025, "R4", 2, 2, 2, "Helder.", ""),
    (RAADSBRIEF_2025, "R5", 2, 1, 2, "De raad kan nu bijsturen.",
     "Geen opties voor bijsturing."),
)


def _judgement_citations() -> dict[tuple[str, object], tuple]:
    """The evidence cited with some consensus judgements, by (framework, subject)."""
    vve_theory = cite(NOTA, 2, "Als kinderen met een taalachterstand vroeg voor- en "
                      "vroegschoolse educatie krijgen, beginnen zij met minder achterstand aan "
                      "groep 3.")
    not_reached = cite(RAADSBRIEF_2025, 1, "Dat doel halen wij waarschijnlijk niet.")
    return {
        ("effectladder", VVE): (vve_theory,),
        ("raadsinformatie", VOORTGANG_2023): (
            cite(VOORTGANG_2023, 2, "Over de effecten op kansengelijkheid rapporteren wij in "
                 "het jaarverslag."),
        ),
        ("raadsinformatie", RAADSBRIEF_2025): (not_reached,),
        ("smart", CA2): (not_reached,),
    }


_FRAMEWORK_ROWS = (
    ("analysemodel", "actor", _ANALYSEMODEL),
    ("effectladder", "measure", _EFFECTLADDER),
    ("smart", "goal", _SMART),
    ("indicatorkwaliteit", "indicator", _INDICATORKWALITEIT),
    ("raadsinformatie", "information_item", _RAADSINFORMATIE),
)
# Still awaiting the reviewer, so the workbench shows both states.
_UNSIGNED = {("effectladder", ENERGIECOACH), ("raadsinformatie", RAADSBRIEF_2025)}


def judgements() -> tuple[DemoJudgement, ...]:
    """Judgements on every framework by two assessors, a consensus and (mostly) a sign-off."""
    first, second = ASSESSORS
    evidence = _judgement_citations()
    result = []
    for framework, kind, rows in _FRAMEWORK_ROWS:
        for subject, code, a, b, final, rationale, dissent in rows:
            scores = (
                DemoScore(first, a, rationale if a == final else dissent),
                DemoScore(second, b, rationale if b == final else dissent),
            )
            citations = evidence.get((framework, subject), ())
            signed = (framework, subject) not in _UNSIGNED
            result.append(
                DemoJudgement(
                    framework=framework,
                    subject_kind=kind,
                    subject=subject,  # type: ignore[arg-type]
                    criterion=code,
                    scores=scores,
                    consensus=final,  # type: ignore[arg-type]
                    rationale=rationale,
                    citations=citations,
                    signed_off_by=REVIEWER if signed else None,
                    signed_off_on=dt.date(2026, 3, 18) if signed else None,
                )
            )
    return tuple(result)
# fmt: on
