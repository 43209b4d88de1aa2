# SPDX-License-Identifier: EUPL-1.2
"""The fictional Voorbeeldstad network maps: the organisation map in two versions (2019 and
2026) and the maps of the two measures of the practice study, "Schoolmaatschappelijk werk" and
"Vroegsignalering schulden". Ties rest on citations of the demo documents; some deliberately
rest on none (shown as such), and the checks fire where the demo's story says steering breaks:
a school board that gets money without accounting for it, and the programme that carries out
vroegsignalering without informing the directie that owns it.

Everything goes through the network services as the demo researcher ("onderzoeker"), so the
audit log and the citations page show who did the work, as for real work.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from kansenaudit.demo import policy_content as names
from kansenaudit.web.evidence import services as evidence
from kansenaudit.web.evidence.models import Citation, Page
from kansenaudit.web.network import services
from kansenaudit.web.policy.models import Actor, Measure, MeasureBudget

ACTOR = "demo-loader"

# Quotes of the demo documents that the ties rest on (each occurs on exactly one page).
Q_MANDATE = (
    "Het college geeft de directies Onderwijs, Armoede en Schulden en Wonen de opdracht om samen "
    "de kansenongelijkheid in Voorbeeldstad tegen te gaan."
)
Q_REPORTS = (
    "Het college rapporteert jaarlijks in een voortgangsrapportage aan de raad over de "
    "prestaties en, waar mogelijk, over de effecten."
)
Q_INFORMS = "Wij informeren u jaarlijks met een voortgangsrapportage."
Q_KNOWLEDGE = "Het Kenniscentrum Ongelijkheid Voorbeeldstad evalueert de aanpak in 2026."
Q_DIRECTIES = (
    "Elke directie vertaalt de actielijnen in eigen doelen en maatregelen, met indicatoren, een "
    "nulmeting en streefwaarden."
)
Q_HOUSING = (
    "De verhuisregeling voor grote gezinnen is in 2023 voorbereid met Woningcorporatie Thuis in "
    "Voorbeeldstad"
)
Q_SMW = (
    "Wij zetten vier maatregelen in: extra VVE-plaatsen, schoolmaatschappelijk werk, een "
    "zomerschool en de Kansenaanpak in de buurt."
)
Q_REACHED = "In 2024 bereikten wij 1.850 huishoudens met vroegsignalering van schulden."
Q_NO_TARGET = "Een streefwaarde hebben wij hiervoor niet vastgesteld."

OOV = "Stichting Openbaar Onderwijs Voorbeeldstad"
DE_BRUG = "Stichting Katholiek Onderwijs De Brug"
KENNISCENTRUM = "Kenniscentrum Ongelijkheid Voorbeeldstad"
CORPORATIE = "Woningcorporatie Thuis in Voorbeeldstad"
PROGRAMMA_ARMOEDE = "Programma Armoede en Kinderen"


class _Loader:
    def __init__(self, dossier: Any, user: Any) -> None:
        self.dossier = dossier
        self.user = user  # who cites and draws ("Wie" on the citations page and in the log)
        self.actors = {a.name: a for a in Actor.objects.filter(dossier=dossier)}
        self.citations: dict[str, Citation] = {}

    def cite(self, quote: str) -> Citation:
        if quote not in self.citations:
            # The extracted text breaks lines where the PDF did: match any whitespace.
            pattern = re.compile(r"\s+".join(re.escape(word) for word in quote.split()))
            pages = Page.objects.filter(document__dossier=self.dossier).select_related("document")
            found = None
            for page in pages.order_by("document_id", "number"):
                match = pattern.search(page.text)
                if match:
                    found = (page, match)
                    break
            if found is None:  # the demo tests load this set, so a lost quote fails them
                raise ValueError(f"citaat niet gevonden in de demodocumenten: {quote[:60]}")
            page, match = found
            self.citations[quote] = evidence.citation_create(
                document=page.document,
                page_number=page.number,
                start=match.start(),
                end=match.end(),
                actor=self.user,
                actor_label=ACTOR,
                note="Netwerkkaart (demo)",
            )
        return self.citations[quote]

    def tie(
        self, network_map: Any, source: str, target: str, kind: str, *quotes: str, **extra: Any
    ) -> None:
        services.tie_add(
            network_map=network_map,
            source=self.actors[source],
            target=self.actors[target],
            kind=kind,
            citations=[self.cite(q) for q in quotes],
            actor=self.user,
            actor_label=ACTOR,
            **extra,
        )

    def member(
        self, network_map: Any, name: str, influence: int, stance: str, executes: bool = False
    ) -> None:
        services.member_set(
            network_map=network_map,
            register_actor=self.actors[name],
            influence=influence,
            stance=stance,
            executes=executes,
            actor=self.user,
            actor_label=ACTOR,
        )


def _measure(dossier: Any, ref: Any) -> Measure:
    return Measure.objects.get(dossier=dossier, owner__name=ref.directie, name=ref.name)


def load(*, dossier: Any, users: dict[str, Any], documents: dict[str, Any]) -> None:
    """Load the demo maps into ``dossier`` (after the policy set, which made the register)."""
    loader = _Loader(dossier, users["onderzoeker"])
    college, raad = names.COLLEGE, names.RAAD
    onderwijs, armoede, wonen = names.ONDERWIJS, names.ARMOEDE, names.WONEN
    period = {"start": dt.date(2023, 1, 1), "end": dt.date(2026, 12, 31)}

    # The organisation map in 2019: the college steered the directies; no one evaluated.
    old = services.map_create(
        dossier=dossier,
        version="2019",
        as_of=dt.date(2019, 1, 1),
        description="De situatie bij de nulmeting, vóór de Bestuursopdracht (demo).",
        with_actors=False,
        actor=loader.user,
        actor_label=ACTOR,
    )
    for directie in (onderwijs, armoede):
        loader.tie(old, college, directie, "money", start=dt.date(2019, 1, 1))
        loader.tie(old, college, directie, "mandate", start=dt.date(2019, 1, 1))
    loader.tie(old, college, raad, "accountability", start=dt.date(2019, 1, 1))

    # The organisation map now: the bestuursopdracht of 2023 and its reporting lines.
    org = services.map_create(
        dossier=dossier,
        version="2026",
        as_of=dt.date(2026, 1, 1),
        description="Sturing, geld, informatie en kennis rond kansengelijkheid (demo).",
        actor=loader.user,
        actor_label=ACTOR,
    )
    loader.member(org, college, 9, "supports")
    loader.member(org, raad, 8, "supports")
    loader.member(org, onderwijs, 7, "supports")
    loader.member(org, armoede, 7, "supports")
    loader.member(org, wonen, 5, "neutral")
    loader.member(org, KENNISCENTRUM, 3, "supports")
    for directie in (onderwijs, armoede, wonen):
        loader.tie(org, college, directie, "mandate", Q_MANDATE, strength=5, **period)
        loader.tie(org, college, directie, "money", strength=4, **period)
        loader.tie(org, directie, college, "accountability", Q_DIRECTIES, strength=3, **period)
    loader.tie(org, college, raad, "accountability", Q_REPORTS, strength=4, **period)
    loader.tie(org, college, raad, "information", Q_INFORMS, strength=3, **period)
    loader.tie(org, raad, college, "mandate", strength=5, **period)
    loader.tie(
        org,
        KENNISCENTRUM,
        college,
        "knowledge",
        Q_KNOWLEDGE,
        strength=2,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
    )
    loader.tie(
        org, wonen, CORPORATIE, "collaboration", Q_HOUSING, strength=3, start=dt.date(2023, 1, 1)
    )
    loader.tie(org, onderwijs, armoede, "information", strength=2, **period)

    # Schoolmaatschappelijk werk: two school boards carry it out; one does not account for it.
    smw = _measure(dossier, names.SMW)
    budget_2025 = MeasureBudget.objects.get(measure=smw, year=2025)
    smw_map = services.map_create(
        dossier=dossier,
        measure=smw,
        version="2026",
        as_of=dt.date(2026, 1, 1),
        description="Wie financiert, voert uit en rapporteert bij schoolmaatschappelijk werk "
        "(demo).",
        actor=loader.user,
        actor_label=ACTOR,
    )
    loader.member(smw_map, onderwijs, 7, "supports")
    loader.member(smw_map, OOV, 6, "supports", executes=True)
    loader.member(smw_map, DE_BRUG, 5, "neutral", executes=True)
    loader.tie(
        smw_map,
        onderwijs,
        OOV,
        "money",
        Q_SMW,
        amount=Decimal("1100000"),
        year=2025,
        budget=budget_2025,
        strength=4,
    )
    loader.tie(
        smw_map,
        onderwijs,
        DE_BRUG,
        "money",
        Q_SMW,
        amount=Decimal("750000"),
        year=2025,
        budget=budget_2025,
        strength=3,
    )
    loader.tie(smw_map, onderwijs, OOV, "mandate", Q_SMW, strength=4, start=dt.date(2021, 8, 1))
    loader.tie(smw_map, onderwijs, DE_BRUG, "mandate", Q_SMW, strength=4, start=dt.date(2021, 8, 1))
    loader.tie(smw_map, OOV, onderwijs, "accountability", strength=3, start=dt.date(2022, 1, 1))
    loader.tie(smw_map, OOV, onderwijs, "information", strength=3, start=dt.date(2022, 1, 1))
    loader.tie(smw_map, OOV, DE_BRUG, "knowledge", strength=2, start=dt.date(2024, 1, 1))
    loader.tie(smw_map, OOV, names.GROEP_7_8, "collaboration", strength=4)

    # Vroegsignalering schulden: signals come in, the programme acts, the directie hears little.
    vroeg = _measure(dossier, names.VROEGSIGNALERING)
    vroeg_map = services.map_create(
        dossier=dossier,
        measure=vroeg,
        version="2026",
        as_of=dt.date(2026, 1, 1),
        description="Signalen, opdracht en terugkoppeling bij vroegsignalering van schulden "
        "(demo).",
        actor=loader.user,
        actor_label=ACTOR,
    )
    loader.member(vroeg_map, armoede, 7, "supports")
    loader.member(vroeg_map, PROGRAMMA_ARMOEDE, 6, "supports", executes=True)
    loader.member(vroeg_map, CORPORATIE, 4, "neutral")
    loader.tie(
        vroeg_map,
        armoede,
        PROGRAMMA_ARMOEDE,
        "mandate",
        Q_REACHED,
        strength=4,
        start=dt.date(2022, 6, 1),
    )
    loader.tie(
        vroeg_map,
        armoede,
        PROGRAMMA_ARMOEDE,
        "money",
        amount=Decimal("1000000"),
        year=2025,
        budget=MeasureBudget.objects.get(measure=vroeg, year=2025),
        strength=4,
    )
    loader.tie(
        vroeg_map,
        CORPORATIE,
        PROGRAMMA_ARMOEDE,
        "information",
        Q_REACHED,
        strength=4,
        start=dt.date(2022, 6, 1),
    )
    loader.tie(
        vroeg_map,
        PROGRAMMA_ARMOEDE,
        names.SCHULDEN,
        "collaboration",
        Q_REACHED,
        strength=3,
        start=dt.date(2022, 6, 1),
    )
    loader.tie(
        vroeg_map, armoede, raad, "information", Q_NO_TARGET, strength=1, start=dt.date(2025, 1, 1)
    )
