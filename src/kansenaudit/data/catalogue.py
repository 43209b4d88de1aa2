# SPDX-License-Identifier: EUPL-1.2
"""The indicator catalogue: which published figures measure equality of opportunity, and how.

Each :class:`CatalogueIndicator` says what an indicator means (definition, unit, which direction
is favourable), where its numbers come from (source variables in the BBGA of OIS Amsterdam or
in CBS tables), how small an area may be before a value is withheld, and what an auditor should
keep in mind when reading it. The catalogue is data, not code paths: the state-of-opportunity
run (:mod:`kansenaudit.staat`) and the web statistics section read it, and
``docs/indicators/<key>.md`` is generated from it (``make docs``; a test keeps the pages
current).

Polarity is the auditors' judgement of which direction is favourable for equality of
opportunity; it sometimes differs from the colour palette OIS uses in its own maps (for example
a PRO/VMBO-BK school advice is not "bad" in itself, but a high share of low advice in an area
signals fewer opportunities). Where it differs, ``notes`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "AMSTERDAM_CATALOGUE",
    "DOMAINS",
    "CatalogueIndicator",
    "SourceVariable",
    "by_key",
    "catalogue_for_demo",
]

DOMAINS: dict[str, str] = {
    "onderwijs": "Onderwijs",
    "inkomen": "Inkomen en armoede",
    "werk": "Werk",
    "gezondheid": "Gezondheid",
    "wonen": "Wonen",
    "ses": "Sociaaleconomische status",
    "voorzieningen": "Voorzieningen en participatie",
    "veiligheid": "Veiligheid",
    "bevolking": "Bevolking (context)",
}

SOURCES: dict[str, str] = {
    "bbga": "OIS Amsterdam, Basisbestand Gebieden Amsterdam (BBGA)",
    "cbs_ses": "CBS, SES-WOA per wijk en buurt (tabel 85163NED)",
    "cbs_kwb": "CBS, Kerncijfers wijken en buurten",
    "demo": "Voorbeeldstad (fictieve demodata)",
}


@dataclass(frozen=True)
class SourceVariable:
    """Where an indicator's values come from: a source and its own variable name."""

    source: str  # a key of SOURCES
    variable: str


@dataclass(frozen=True)
class CatalogueIndicator:
    """One indicator of the state of opportunity.

    Attributes
    ----------
    key : snake-case identifier, stable across releases
    name : Dutch label as shown to auditors
    domain : a key of :data:`DOMAINS`
    definition : Dutch definition (from the publisher where it has one)
    unit : ``%``, ``euro``, ``score``, ``index``, ``rapportcijfer``, ``aantal``, ``gemiddelde``
    polarity : +1 higher is favourable, −1 higher is unfavourable, 0 neutral (context)
    kind : ``share`` (a percentage of persons or households), ``mean`` or ``index`` — decides
        which interval and test the statistics engine uses
    sources : source variables, first match wins
    min_n : minimum number of cases behind a value before it may be shown
    min_population : minimum residents in an area before its value is shown (OIS practice)
    min_dwellings : minimum dwellings in an area before its value is shown (OIS practice for
        figures per dwelling; the BBGA metadata's ``SD minimum WvoorrBAG`` overrides it where
        it gives one)
    weight : the population the value refers to, for population-weighted inequality:
        ``inwoners``, ``huishoudens``, ``woningen``, ``kinderen`` (indicators about children
        and pupils); used where the value's own base (denominator or n) is not published
    notes : what an auditor should know (breaks in series, survey years, polarity choices)
    """

    key: str
    name: str
    domain: str
    definition: str
    unit: str
    polarity: int
    kind: str
    sources: tuple[SourceVariable, ...]
    min_n: int = 10
    min_population: int = 0
    min_dwellings: int = 0
    weight: str = "inwoners"
    notes: str = ""
    tags: tuple[str, ...] = field(default=())

    def variable_for(self, source: str) -> str | None:
        """The source variable of this indicator in ``source``, if it has one."""
        for item in self.sources:
            if item.source == source:
                return item.variable
        return None


def _bbga(variable: str) -> tuple[SourceVariable, ...]:
    return (SourceVariable("bbga", variable),)


_C = CatalogueIndicator
_SURVEY = (
    "Uitkomst van een steekproefenquête (Amsterdamse Gezondheidsmonitor of Staat van de Stad); "
    "alleen in enquêtejaren beschikbaar en met steekproefonzekerheid die OIS niet meelevert."
)
# fmt: off
AMSTERDAM_CATALOGUE: tuple[CatalogueIndicator, ...] = (
    # --- inkomen en armoede ---
    _C("besteedbaar_inkomen", "Gemiddeld besteedbaar huishoudinkomen", "inkomen",
       "Gemiddeld besteedbaar inkomen van particuliere huishoudens met een inkomen over het "
       "hele jaar (euro, prijzen van het jaar).", "euro", 1, "mean", _bbga("IHHINK_GEM"),
       weight="huishoudens",
       notes="Niet gecorrigeerd voor inflatie of huishoudsamenstelling; vergelijk jaren niet "
             "zonder prijsindex."),
    _C("minimahuishoudens", "Minimahuishoudens (tot 120% WSM)", "inkomen",
       "Aandeel huishoudens met een inkomen tot 120% van het wettelijk sociaal minimum en "
       "weinig vermogen.", "%", -1, "share", _bbga("IMINHH120_P"), weight="huishoudens"),
    _C("minimajongeren", "Kinderen en jongeren in minimahuishoudens", "inkomen",
       "Aandeel jongeren tot 18 jaar dat opgroeit in een huishouden met een inkomen tot 120% "
       "van het wettelijk sociaal minimum en weinig vermogen.", "%", -1, "share",
       _bbga("IMINJONG120_P"), weight="kinderen",
       notes="Kernindicator voor kansengelijkheid: armoede in de jeugd voorspelt latere "
             "onderwijs- en inkomensuitkomsten."),
    _C("langdurig_minima", "Langdurig minimahuishoudens", "inkomen",
       "Aandeel huishoudens dat drie jaar of langer een inkomen tot 120% van het wettelijk "
       "sociaal minimum heeft en weinig vermogen.", "%", -1, "share",
       _bbga("ILANGMINHH120_P"), weight="huishoudens"),
    _C("lage_inkomens", "Huishoudens met een laag inkomen", "inkomen",
       "Aandeel huishoudens met een inkomen tot 120% van het wettelijk sociaal minimum "
       "(ongeacht vermogen).", "%", -1, "share", _bbga("ILAAGHH120_P"), weight="huishoudens"),
    _C("bijstand", "Inwoners met bijstand", "inkomen",
       "Aandeel inwoners van 15 tot 65 jaar met een bijstandsuitkering.", "%", -1, "share",
       _bbga("IWWB_P")),
    _C("schuldhulp", "Huishoudens in schuldhulpverlening", "inkomen",
       "Aandeel huishoudens met een lopend traject gemeentelijke schuldhulpverlening.", "%", -1,
       "share", _bbga("ISHV_P"), weight="huishoudens",
       notes="Meet bereik van de hulp, niet de omvang van schulden: een hoger aandeel kan ook "
             "betekenen dat de hulp mensen beter bereikt."),
    # --- onderwijs ---
    _C("advies_havo_vwo", "Basisschooladvies havo of vwo", "onderwijs",
       "Aandeel leerlingen in groep 8 met een basisschooladvies havo, havo/vwo of vwo (CBS, "
       "naar woonadres).", "%", 1, "share", _bbga("OHVWO_P"), weight="kinderen",
       notes="Reeks vanaf 2012 (CBS); de oudere reeks OHAVOVWO_P is anders afgebakend."),
    _C("advies_pro_vmbo_bk", "Basisschooladvies praktijkonderwijs of vmbo-b/k", "onderwijs",
       "Aandeel leerlingen in groep 8 met een advies praktijkonderwijs of vmbo basis/kader.",
       "%", -1, "share", _bbga("OPROVMBOBK_P"), weight="kinderen",
       notes="OIS kleurt dit neutraal-positief; voor kansengelijkheid lezen wij een hoog aandeel "
             "lage adviezen als minder kansen (polariteit −1)."),
    _C("eindtoets_score", "Gemiddelde eindtoetsscore (Cito)", "onderwijs",
       "Gemiddelde score op de Cito-eindtoets van leerlingen in groep 8, naar woonadres.",
       "score", 1, "mean", _bbga("OCITOSCORE_GEM"), weight="kinderen",
       notes="Vanaf 2015 kiezen scholen verschillende eindtoetsen; de Citoscore dekt niet alle "
             "leerlingen."),
    _C("gewichtenleerlingen", "Gewichtenleerlingen in het basisonderwijs", "onderwijs",
       "Aandeel basisschoolleerlingen met een leerlinggewicht (ouders met een lage opleiding).",
       "%", -1, "share", _bbga("OLLGEW_P"), weight="kinderen",
       notes="Een achtergrondkenmerk, geen uitkomst: gebruik het als maat voor de start, niet "
             "voor resultaat."),
    _C("startkwalificatie", "Jongeren met startkwalificatie", "onderwijs",
       "Aandeel jongeren van 18 tot 22 jaar met een startkwalificatie (havo, vwo of mbo-2 of "
       "hoger).", "%", 1, "share", _bbga("OSTARTKWAL_P")),
    _C("voortijdig_laagopgeleid", "Laagopgeleide schoolverlaters", "onderwijs",
       "Aandeel jongeren van 18 tot 22 jaar dat geen onderwijs volgt en geen startkwalificatie "
       "heeft.", "%", -1, "share", _bbga("OLSV_P")),
    _C("vve_deelname", "Deelname voor- en vroegschoolse educatie", "onderwijs",
       "Aandeel peuters met een VVE-indicatie dat aan VVE deelneemt.", "%", 1, "share",
       _bbga("OVVEDEELN_P"), weight="kinderen",
       notes="Bereik van een maatregel; de noemer (kinderen met een indicatie) is klein in "
             "sommige gebieden."),
    _C("laagopgeleiden", "Laagopgeleide inwoners", "onderwijs",
       "Aandeel inwoners van 15 tot 65 jaar met hoogstens basisonderwijs, vmbo of mbo-1.",
       "%", -1, "share", _bbga("BEVOPLLAAG_P")),
    _C("ouders_laagopgeleid", "Basisschoolleerlingen met laagopgeleide ouders", "onderwijs",
       "Aandeel basisschoolleerlingen van wie de ouders laagopgeleid zijn.", "%", -1, "share",
       _bbga("O_OPLPO_L_P"), weight="kinderen",
       notes="Achtergrondkenmerk (herkomst), geen uitkomst."),
    # --- werk ---
    _C("werkloosheid", "Geregistreerde werkloosheid", "werk",
       "Aandeel niet-werkende werkzoekenden (ingeschreven bij UWV) in de potentiële "
       "beroepsbevolking van 15 tot 65 jaar.", "%", -1, "share", _bbga("PREGWERKL_P")),
    _C("jeugdwerkloosheid", "Jeugdwerkloosheid", "werk",
       "Aandeel werklozen in de beroepsbevolking van 15 tot en met 26 jaar.", "%", -1, "share",
       _bbga("PJEUGDW_P")),
    _C("arbeidsparticipatie", "Netto arbeidsparticipatie", "werk",
       "Aandeel werkenden in de bevolking van 15 tot 75 jaar.", "%", 1, "share",
       _bbga("PWERKEND_P")),
    # --- gezondheid ---
    _C("ervaren_gezondheid", "Ervaren gezondheid (zeer) goed", "gezondheid",
       "Aandeel volwassenen dat de eigen gezondheid als goed of zeer goed ervaart.", "%", 1,
       "share", _bbga("WZGEZOND_P"), notes=_SURVEY),
    _C("overgewicht", "Overgewicht of obesitas bij volwassenen", "gezondheid",
       "Aandeel volwassenen met een BMI van 25 of hoger.", "%", -1, "share",
       _bbga("WZZWAAR_P"), notes=_SURVEY),
    _C("overgewicht_kinderen", "Overgewicht bij 10-jarigen", "gezondheid",
       "Aandeel kinderen van 10 jaar met overgewicht of obesitas (jeugdgezondheidszorg).",
       "%", -1, "share", _bbga("WZZWAAR10_P"), weight="kinderen"),
    _C("psychische_klachten", "Ernstige psychische klachten", "gezondheid",
       "Aandeel volwassenen met een hoog risico op angst of depressie (K10-schaal).", "%", -1,
       "share", _bbga("WZDEPR_P"), notes=_SURVEY),
    _C("eenzaamheid", "(Zeer) ernstig eenzaam", "gezondheid",
       "Aandeel volwassenen dat zich ernstig of zeer ernstig eenzaam voelt.", "%", -1, "share",
       _bbga("PEENZ_P"), notes=_SURVEY),
    _C("sdq_kinderen", "Verhoogde psychosociale problemen bij 10-jarigen", "gezondheid",
       "Aandeel 10-jarigen met een (matig) verhoogde score op de Strengths and Difficulties "
       "Questionnaire.", "%", -1, "share", _bbga("OSDQ10_P"), weight="kinderen"),
    # --- wonen ---
    _C("corporatiewoningen", "Corporatiewoningen", "wonen",
       "Aandeel woningen in bezit van woningcorporaties.", "%", 0, "share",
       _bbga("WCORHUUR_P"), weight="woningen",
       notes="Contextindicator: betaalbare woningen zijn een voorwaarde voor gemengde wijken, "
             "maar een hoog aandeel is geen achterstand op zich."),
    _C("woningbezetting", "Gemiddelde woningbezetting", "wonen",
       "Gemiddeld aantal bewoners per woning.", "gemiddelde", -1, "mean", _bbga("WBEZET"),
       weight="woningen", min_dwellings=100,
       notes="Indicatie van krap wonen; hangt ook af van huishoudsamenstelling."),
    _C("tevredenheid_buurt", "Tevredenheid met de eigen buurt", "wonen",
       "Gemiddeld rapportcijfer (1-10) dat bewoners hun buurt geven.", "rapportcijfer", 1,
       "mean", _bbga("LBUURT_R"), notes=_SURVEY),
    # --- veiligheid ---
    _C("onveiligheidsbeleving", "Onveiligheidsbeleving", "veiligheid",
       "Index van onveiligheidsgevoelens (Amsterdam 2014 = 100); hoger is onveiliger.",
       "index", -1, "index", _bbga("VBELEVING_I")),
    _C("veiligheidsindex", "Veiligheidsindex", "veiligheid",
       "Samengestelde index van criminaliteit, overlast en onveiligheidsbeleving (Amsterdam "
       "2014 = 100); hoger is onveiliger.", "index", -1, "index", _bbga("VVEILIGH_I")),
    # --- voorzieningen en participatie ---
    _C("sportvereniging_kinderen", "10-jarigen lid van een sportvereniging", "voorzieningen",
       "Aandeel kinderen van 10 jaar dat lid is van een sportvereniging.", "%", 1, "share",
       _bbga("SRCLUB10_P"), weight="kinderen"),
    _C("culturele_participatie", "Culturele participatie", "voorzieningen",
       "Aandeel volwassenen dat in het afgelopen jaar ten minste vier culturele voorzieningen "
       "bezocht.", "%", 1, "share", _bbga("SRUIT4_P"), notes=_SURVEY),
    _C("leefsituatie_index", "Standaard leefsituatie-index", "voorzieningen",
       "Samengestelde index van de leefsituatie (wonen, gezondheid, participatie, vrije tijd); "
       "Amsterdam = 100.", "index", 1, "index", _bbga("WZSLI_I"), notes=_SURVEY),
    # --- SES ---
    _C("ses_woa", "SES-WOA-score", "ses",
       "Gemiddelde sociaaleconomische status van particuliere huishoudens op basis van "
       "welvaart, opleidingsniveau en arbeidsverleden (CBS; 0 = Nederlands gemiddelde).",
       "score", 1, "mean", (SourceVariable("cbs_ses", "ses_woa_score"),), weight="huishoudens",
       notes="Score zonder eenheid; alleen binnen één CBS-jaargang vergelijkbaar."),
    _C("ses_laag_opgeleid", "Laag opleidingsniveau (SES-WOA)", "ses",
       "Aandeel personen in particuliere huishoudens met een laag opleidingsniveau (CBS, "
       "tabel 85163NED).", "%", -1, "share",
       (SourceVariable("cbs_ses", "opleiding_laag_pct"),), weight="huishoudens"),
    # --- bevolking (context and weights) ---
    _C("inwoners", "Aantal inwoners", "bevolking",
       "Aantal personen ingeschreven in de Basisregistratie Personen op 1 januari.", "aantal",
       0, "count", (SourceVariable("bbga", "BEVTOTAAL"), SourceVariable("cbs_kwb", "aant_inw")),
       min_n=0, notes="Gebruikt als gewicht voor bevolkingsgewogen ongelijkheidsmaten."),
    _C("huishoudens", "Aantal huishoudens", "bevolking",
       "Aantal huishoudens op 1 januari.", "aantal", 0, "count",
       (SourceVariable("bbga", "BEVHUISHOUDENHH"),
        SourceVariable("cbs_ses", "particuliere_huishoudens")), min_n=0,
       notes="Gewicht voor indicatoren over huishoudens."),
    _C("kinderen", "Aantal kinderen (0 tot en met 17 jaar)", "bevolking",
       "Aantal inwoners van 0 tot en met 17 jaar op 1 januari.", "aantal", 0, "count",
       _bbga("BEV0_17"), min_n=0,
       notes="Gewicht voor indicatoren over kinderen en leerlingen (zij zijn de bevolking "
             "waarover die indicatoren gaan)."),
    _C("woningen", "Woningvoorraad", "bevolking", "Aantal woningen volgens de BAG.", "aantal",
       0, "count", _bbga("WVOORRBAG"), min_n=0, notes="Gewicht voor woningindicatoren."),
    _C("niet_westerse_achtergrond", "Inwoners met een niet-westerse migratieachtergrond",
       "bevolking", "Aandeel inwoners met een niet-westerse migratieachtergrond.", "%", 0,
       "share", (SourceVariable("bbga", "BEVNW_P"), SourceVariable("cbs_kwb", "p_n_w_al")),
       notes="Samenstelling van de bevolking, geen uitkomst; alleen als context."),
)
# fmt: on

WEIGHT_INDICATORS = {
    "inwoners": "inwoners",
    "huishoudens": "huishoudens",
    "woningen": "woningen",
    "kinderen": "kinderen",
}

#: Units of scores without a meaningful zero (an interval scale).
INTERVAL_UNITS = ("score", "index", "rapportcijfer")


def measurement_scale(indicator: CatalogueIndicator) -> str:
    """``share``, ``ratio`` (a true zero: euro, persons per dwelling), ``interval`` or ``count``.

    Ratio measures of inequality (Gini, Theil, MLD, Atkinson) are computed for shares and
    ratio-scale means only; interval-scale scores get differences-based measures instead
    (:mod:`kansenaudit.stats.dispersion`).

    Examples
    --------
    >>> [measurement_scale(by_key(AMSTERDAM_CATALOGUE)[k])
    ...  for k in ("bijstand", "besteedbaar_inkomen", "eindtoets_score", "ses_woa", "inwoners")]
    ['share', 'ratio', 'interval', 'interval', 'count']
    """
    if indicator.kind == "count":
        return "count"
    if indicator.kind == "share":
        return "share"
    if indicator.kind == "index" or indicator.unit in INTERVAL_UNITS:
        return "interval"
    return "ratio"


def by_key(catalogue: tuple[CatalogueIndicator, ...]) -> dict[str, CatalogueIndicator]:
    """Index a catalogue by key.

    Examples
    --------
    >>> by_key(AMSTERDAM_CATALOGUE)["bijstand"].variable_for("bbga")
    'IWWB_P'
    """
    return {item.key: item for item in catalogue}


def catalogue_for_demo(indicators: tuple) -> tuple[CatalogueIndicator, ...]:
    """The catalogue of the fictional demo city, built from its indicator metadata.

    ``indicators`` are :class:`kansenaudit.demo.city.DemoIndicator` objects; the demo's
    ``population`` indicator becomes the population weight ``inwoners``.

    Examples
    --------
    >>> from kansenaudit.demo.city import generate_demo_city
    >>> demo = catalogue_for_demo(generate_demo_city().indicators)
    >>> by_key(demo)["inwoners"].sources[0].variable
    'population'
    """
    result = []
    for ind in indicators:
        key = "inwoners" if ind.key == "population" else ind.key
        kind = "share" if ind.unit == "%" else ("count" if ind.unit == "aantal" else "mean")
        result.append(
            CatalogueIndicator(
                key=key,
                name=ind.name,
                domain=ind.domain,
                definition=ind.definition,
                unit=ind.unit,
                polarity=ind.polarity,
                kind=kind,
                sources=(SourceVariable("demo", ind.key),),
                min_n=ind.min_n,
                notes="Fictieve demodata (Voorbeeldstad) — geen echte cijfers.",
            )
        )
    return tuple(result)
