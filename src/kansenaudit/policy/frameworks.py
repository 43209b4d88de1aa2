# SPDX-License-Identifier: EUPL-1.2
"""Assessment frameworks: the criteria and scales auditors score policy, measures and
information against, as data.

Five frameworks ship with the product (see :func:`frameworks`):

* ``analysemodel``: the analysis model for policy design, C1–C6 (research design §4.1.6 and
  §4.1.4), scored voldoet / deels / voldoet niet / n.v.t.;
* ``effectladder``: how well a measure's effect is substantiated, rungs 0–5, with the level
  names of the Dutch recognition system (goed beschreven, goed onderbouwd, effectief volgens
  eerste / goede / sterke aanwijzingen);
* ``smart``: SMART goals;
* ``indicatorkwaliteit``: quality of indicators (Rekenkamer Amsterdam, *Indicatoren
  discriminatie*, 2023);
* ``raadsinformatie``: information to the council (deelvraag 5).

A framework is immutable; a dossier that wants other wording or an extra criterion copies one
with :func:`to_dict`, edits the JSON and reads it back with :func:`from_dict`, which validates
it. User-facing text (names, questions, guidance, scale labels) is Dutch.

The descriptions of effectladder rungs 3–5 follow the project's domain notes and have not been
checked against Van Yperen & Veerman (2008); the framework's ``source`` says so, so that nobody
publishes them unchecked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

__all__ = [
    "SCHEMA",
    "Criterion",
    "Framework",
    "FrameworkError",
    "Level",
    "Scale",
    "framework",
    "frameworks",
    "from_dict",
    "to_dict",
    "validate_framework",
]

SCHEMA = "kansenaudit.framework/1"
SCALE_KINDS = ("ordinal", "nominal")

_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$")


class FrameworkError(ValueError):
    """A framework that does not validate; ``problems`` lists every problem found (Dutch)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("Ongeldig beoordelingskader: " + "; ".join(self.problems))


class Level(NamedTuple):
    """One point of a scale: the stored value, its label and what it means."""

    value: int | str
    label: str
    description: str


@dataclass(frozen=True)
class Scale:
    """The answers a criterion can get.

    Attributes
    ----------
    kind : ``"ordinal"`` (values are whole numbers in increasing order, e.g. effectladder 0–5)
        or ``"nominal"`` (values are text codes without order)
    levels : the possible answers, as (value, label, description)
    not_applicable : label of the answer "not applicable" (``"n.v.t."``) when it is allowed;
        it is not a point on the scale, so agreement statistics treat it as a missing score
    """

    kind: str
    levels: tuple[Level, ...]
    not_applicable: str | None = None

    @property
    def values(self) -> tuple[int | str, ...]:
        """The values in scale order."""
        return tuple(level.value for level in self.levels)

    def label(self, value: int | str) -> str:
        """The label of ``value``; KeyError when it is not on the scale."""
        for level in self.levels:
            if level.value == value and type(level.value) is type(value):
                return level.label
        raise KeyError(f"waarde {value!r} staat niet op de schaal")


@dataclass(frozen=True)
class Criterion:
    """One criterion: a short code (``C1``), a name, the question the auditor answers, and
    guidance on what counts as evidence."""

    code: str
    name: str
    question: str
    guidance: str = ""


@dataclass(frozen=True)
class Framework:
    """An assessment framework: criteria scored on one scale, with its source."""

    key: str
    name: str
    scale: Scale
    criteria: tuple[Criterion, ...]
    source: str
    description: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        """The criterion codes in order."""
        return tuple(c.code for c in self.criteria)

    def criterion(self, code: str) -> Criterion:
        """The criterion with ``code``; KeyError when there is none."""
        for criterion in self.criteria:
            if criterion.code == code:
                return criterion
        raise KeyError(f"kader {self.key!r} heeft geen criterium {code!r}")


# --- the shipped frameworks -------------------------------------------------------------------

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


# --- validation ---------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return not isinstance(value, str) or not value.strip()


def _problems(fw: Framework) -> list[str]:
    problems: list[str] = []
    if not isinstance(fw.key, str) or not _KEY.match(fw.key):
        problems.append(
            f"sleutel {fw.key!r} moet bestaan uit kleine letters, cijfers, '-' of '_' "
            "(maximaal 64 tekens)"
        )
    for name in ("name", "source"):
        if _blank(getattr(fw, name)):
            problems.append(f"veld {name!r} mag niet leeg zijn")
    if not isinstance(fw.description, str):
        problems.append("veld 'description' moet tekst zijn")

    scale = fw.scale
    if scale.kind not in SCALE_KINDS:
        problems.append(f"schaalsoort {scale.kind!r} moet 'ordinal' of 'nominal' zijn")
    if len(scale.levels) < 2:
        problems.append("een schaal heeft minstens twee waarden nodig")
    values = [level.value for level in scale.levels]
    labels = [level.label.strip().casefold() for level in scale.levels if not _blank(level.label)]
    if len(set(map(repr, values))) != len(values):
        problems.append("schaalwaarden komen dubbel voor")
    if len(set(labels)) != len(labels):
        problems.append("schaallabels komen dubbel voor")
    if any(_blank(level.label) for level in scale.levels):
        problems.append("een schaallabel is leeg")
    if scale.kind == "ordinal":
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            problems.append("een ordinale schaal heeft hele getallen als waarden")
        elif values != sorted(values):
            problems.append("de waarden van een ordinale schaal moeten oplopen")
    elif scale.kind == "nominal" and not all(isinstance(v, str) and v.strip() for v in values):
        problems.append("een nominale schaal heeft niet-lege tekstcodes als waarden")
    if scale.not_applicable is not None:
        if _blank(scale.not_applicable):
            problems.append("het label voor 'niet van toepassing' is leeg")
        elif scale.not_applicable.strip().casefold() in labels:
            problems.append("het label voor 'niet van toepassing' is ook een schaalwaarde")

    if not fw.criteria:
        problems.append("een kader heeft minstens één criterium nodig")
    codes = [c.code for c in fw.criteria]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        problems.append(f"criteriumcodes komen dubbel voor: {', '.join(duplicates)}")
    for criterion in fw.criteria:
        if not isinstance(criterion.code, str) or not _CODE.match(criterion.code):
            problems.append(
                f"criteriumcode {criterion.code!r}: letters, cijfers, '.', '-' of '_', "
                "maximaal 16 tekens"
            )
        if _blank(criterion.name):
            problems.append(f"criterium {criterion.code!r}: naam is leeg")
        if _blank(criterion.question):
            problems.append(f"criterium {criterion.code!r}: vraag is leeg")
    return problems


def validate_framework(fw: Framework) -> None:
    """Check a framework: key, non-empty texts, unique criterion codes, a valid scale.

    Raises
    ------
    FrameworkError
        Listing every problem, in Dutch, so an auditor editing JSON can fix them in one go.
    """
    problems = _problems(fw)
    if problems:
        raise FrameworkError(problems)


# --- JSON ---------------------------------------------------------------------------------------


def to_dict(fw: Framework) -> dict[str, Any]:
    """The framework as JSON-able data (``json.dumps`` it to store it with a dossier).

    >>> data = to_dict(framework("smart"))
    >>> data["schema"], [c["code"] for c in data["criteria"]]
    ('kansenaudit.framework/1', ['S', 'M', 'A', 'R', 'T'])
    >>> from_dict(data) == framework("smart")
    True
    """
    return {
        "schema": SCHEMA,
        "key": fw.key,
        "name": fw.name,
        "description": fw.description,
        "source": fw.source,
        "scale": {
            "kind": fw.scale.kind,
            "not_applicable": fw.scale.not_applicable,
            "levels": [
                {"value": lv.value, "label": lv.label, "description": lv.description}
                for lv in fw.scale.levels
            ],
        },
        "criteria": [
            {"code": c.code, "name": c.name, "question": c.question, "guidance": c.guidance}
            for c in fw.criteria
        ],
    }


def _take(
    data: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...], problems: list
) -> dict[str, Any]:
    if not isinstance(data, dict):
        problems.append(f"{where}: verwacht een object, kreeg {type(data).__name__}")
        return {}
    unknown = sorted(set(data) - set(required) - set(optional))
    if unknown:
        problems.append(f"{where}: onbekende velden {', '.join(map(repr, unknown))}")
    missing = [name for name in required if name not in data]
    if missing:
        problems.append(f"{where}: ontbrekende velden {', '.join(map(repr, missing))}")
    return data


def _text(value: Any, where: str, problems: list, *, optional: bool = False) -> str:
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        problems.append(f"{where}: verwacht tekst, kreeg {type(value).__name__}")
        return ""
    return value


def from_dict(data: dict[str, Any]) -> Framework:
    """Read a framework from :func:`to_dict` output (for example an edited JSON file).

    Strict: unknown or missing fields, wrong types and everything :func:`validate_framework`
    checks are errors, because a silently ignored typo would change how a dossier is scored.

    Raises
    ------
    FrameworkError
        Listing every problem found.
    """
    problems: list[str] = []
    top = _take(
        data,
        "kader",
        ("schema", "key", "name", "source", "scale", "criteria"),
        ("description",),
        problems,
    )
    if top and top.get("schema") != SCHEMA:
        problems.append(f"kader: schema moet {SCHEMA!r} zijn, kreeg {top.get('schema')!r}")
    scale_data = _take(
        top.get("scale"), "schaal", ("kind", "levels"), ("not_applicable",), problems
    )
    levels: list[Level] = []
    raw_levels = scale_data.get("levels", [])
    if not isinstance(raw_levels, list):
        problems.append("schaal: 'levels' moet een lijst zijn")
        raw_levels = []
    for i, item in enumerate(raw_levels, start=1):
        where = f"schaalwaarde {i}"
        if isinstance(item, (list, tuple)) and len(item) == 3:
            item = dict(zip(("value", "label", "description"), item, strict=True))
        entry = _take(item, where, ("value", "label"), ("description",), problems)
        value = entry.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            problems.append(f"{where}: waarde moet een geheel getal of tekst zijn")
        levels.append(
            Level(
                value,
                _text(entry.get("label"), f"{where} label", problems),
                _text(entry.get("description"), f"{where} omschrijving", problems, optional=True),
            )
        )
    not_applicable = scale_data.get("not_applicable")
    if not_applicable is not None and not isinstance(not_applicable, str):
        problems.append("schaal: 'not_applicable' moet tekst of null zijn")
        not_applicable = None
    criteria: list[Criterion] = []
    raw_criteria = top.get("criteria", [])
    if not isinstance(raw_criteria, list):
        problems.append("kader: 'criteria' moet een lijst zijn")
        raw_criteria = []
    for i, item in enumerate(raw_criteria, start=1):
        where = f"criterium {i}"
        entry = _take(item, where, ("code", "name", "question"), ("guidance",), problems)
        criteria.append(
            Criterion(
                _text(entry.get("code"), f"{where} code", problems),
                _text(entry.get("name"), f"{where} naam", problems),
                _text(entry.get("question"), f"{where} vraag", problems),
                _text(entry.get("guidance"), f"{where} toelichting", problems, optional=True),
            )
        )
    if problems:
        raise FrameworkError(problems)
    fw = Framework(
        key=_text(top.get("key"), "kader sleutel", problems),
        name=_text(top.get("name"), "kader naam", problems),
        scale=Scale(
            kind=_text(scale_data.get("kind"), "schaal soort", problems),
            levels=tuple(levels),
            not_applicable=not_applicable,
        ),
        criteria=tuple(criteria),
        source=_text(top.get("source"), "kader bron", problems),
        description=_text(top.get("description"), "kader omschrijving", problems, optional=True),
    )
    problems.extend(_problems(fw))
    if problems:
        raise FrameworkError(problems)
    return fw
