# SPDX-License-Identifier: EUPL-1.2
"""Deterministic generator of the fictional demo city Voorbeeldstad.

Everything here is invented: the city, its areas, its figures and its policy
history. The generator only feeds the bundled offline demo and the tests; it
is no source of real statistics. It uses the standard library and numpy only
and reads no files: the same seed always yields the same :class:`DemoCity`.

Model in short
--------------
* Geography: 1 city, 6 stadsdelen, 12 gebieden (2 per stadsdeel), 30 wijken
  (2 or 3 per gebied) and 90 buurten (2-4 per wijk) tiling a warped
  12 x 9 km rectangle in RD New (EPSG:28992); see
  :mod:`kansenaudit.demo.geometry`.
* A latent disadvantage factor per buurt (stadsdeel effect plus a spatially
  smooth field plus noise; Nieuw-West and Zuidoost clearly worse off, Oost
  mixed) drives every indicator, with per-indicator trends in level and in
  the size of the gap between buurten.
* Buurt residents are split into migratieachtergrond x geslacht cells; the
  counts behind each share are drawn per cell and summed upwards, so every
  higher level and every group total adds up exactly.
* Missing by design: ``vo_advice_havo_vwo_pct`` starts in 2017 and the health
  indicators exist only in survey years 2016, 2020 and 2024 (value, n,
  numerator and denominator all ``None``). A share whose denominator is 0
  (tiny buurten) has value ``None`` with ``n == 0``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kansenaudit.demo import geometry as geo

DEMO_MUNICIPALITY_CODE = "GM9999"
DEMO_MUNICIPALITY_NAME = "Voorbeeldstad"
DEMO_LABEL = "Fictieve demodata (Voorbeeldstad) — geen echte cijfers"
AREA_LEVELS = ("stad", "stadsdeel", "gebied", "wijk", "buurt")
YEARS = tuple(range(2015, 2026))

_CRS = "EPSG:28992"
_ORIGIN = (110000.0, 480000.0)
_UNIT = 125.0  # lattice spacing in metres; the city is 96 x 72 units = 12 x 9 km
_SHAPE = (96, 72)
_GM = DEMO_MUNICIPALITY_CODE[2:]

# code, name, column, row (row 1 = north), effect on the disadvantage factor
_STADSDELEN = (
    ("SD01", "Binnenstad", 1, 1, -0.7),
    ("SD02", "West", 0, 1, -0.1),
    ("SD03", "Nieuw-West", 0, 0, 1.1),
    ("SD04", "Zuid", 1, 0, -1.0),
    ("SD05", "Oost", 2, 1, 0.2),
    ("SD06", "Zuidoost", 2, 0, 1.3),
)


def _names(text: str) -> tuple[str, ...]:
    """Split a ``|``-separated list of names."""
    return tuple(text.split("|"))


_GEBIED_NAMES = (
    ("Oude Kern", "Grachtengordel"),
    ("Havenkwartier", "Spoorzone"),
    ("Lelieveld", "Akkerland"),
    ("Parkwijk", "Lindenhof"),
    ("Oostpoort", "Meerzicht"),
    ("Hoogveld", "Dijkzicht"),
)
_WIJK_NAMES = _names(
    "Molenbuurt|Noorderpark|Kerkwijk|Vogelbuurt|Bloemenwijk|Schildersbuurt|Zeeheldenbuurt|"
    "Dichtersbuurt|Componistenbuurt|Boomgaard|Weidebuurt|Slotwijk|Polderwijk|"
    "Stationskwartier|Rozenhof|Kanaalzone|Bomenbuurt|Sterrenwijk|Waterwijk|Zonnehoek|"
    "Marktkwartier|Vaartwijk|Dorpskern|Sluiskwartier|Veldwijk|Hofwijk|Beekwijk|Lanenwijk|"
    "Nieuwland|Oostwaard"
)
_BUURT_NAMES = _names(
    "Lindeplein|Kastanjehof|Berkenhof|Eikenhorst|Wilgenrijk|Populierenlaan|Esdoornpark|"
    "Beukenrode|Iepenhof|Elzenhoek|Meidoornveld|Hazelaarbuurt|Vlierhof|Sparrenbos|"
    "Dennenoord|Merelhof|Lijsterbes|Zwaluwhof|Reigersbos|Meeuwenplein|Kievitsveld|"
    "Koekoekshof|Uilenhorst|Valkenhorst|Zwanenhof|Tulpenhof|Narcissenbuurt|Irishof|"
    "Hyacinthof|Krokushof|Dahliaplein|Asterhof|Anjerbuurt|Klaproosveld|Korenbloemhof|"
    "Vermeerhof|Halsbuurt|Steenhof|Ruysdaelhof|Potterhof|Mondriaanplein|Escherhof|"
    "Vondelhof|Brederohof|Hooftplein|Bilderdijkhof|Multatulihof|Gorterhof|Sweelinckhof|"
    "Mengelberghof|Tromphof|Ruyterkade|Heinplein|Evertsenhof|Heemskerkhof|Oude Haven|"
    "Nieuwe Haven|Kaaihoek|Sluishof|Dijkhof|Molenhoek|Pelmolen|Zaagmolenbuurt|Korenmolen|"
    "Watermolen|Kerkplein|Kloosterhof|Begijnhof|Gasthuishof|Marktveld|Brinkhof|Schoolplein|"
    "Stationsplein|Spoorhaven|Tramremise|Veerhuis|Brughoek|Torenhof|Poortwijk|Wallenhof|"
    "Bolwerk|Schansbuurt|Bastion|Vestinghof|Grachthof|Singelhof|Zuiderhof|Noorderhof|"
    "Westerhof|Oosterhof"
)
# Nearly empty buurten (industry, port, parks), one in each of these stadsdelen.
_SMALL_BUURTEN = (
    ("SD02", "Havengebied", 38),
    ("SD03", "Bedrijventerrein De Hoek", 14),
    ("SD04", "Stadspark", 6),
    ("SD05", "Sportpark De Bongerd", 23),
)
_MIGRATION = ("nederland", "westers", "niet-westers")
_SEXES = ("man", "vrouw")
_SURVEY_YEARS = (2016, 2020, 2024)


@dataclass(frozen=True)
class DemoArea:
    """One area of the demo city.

    Attributes
    ----------
    code : str
        ``GM9999`` (stad), ``SD01`` (stadsdeel), ``GB01`` (gebied),
        ``WK999901`` (wijk) or ``BU99990101`` (buurt).
    name : str
        Fictional Dutch name, unique within its level.
    level : str
        One of :data:`AREA_LEVELS`.
    parent_code : str or None
        Code of the area one level up; ``None`` for the city.
    geometry : dict
        GeoJSON ``Polygon`` in EPSG:28992, exterior ring closed and counter-clockwise.
    population : int
        Residents in the last year of :data:`YEARS`.
    """

    code: str
    name: str
    level: str
    parent_code: str | None
    geometry: dict
    population: int


@dataclass(frozen=True)
class DemoIndicator:
    """Metadata of one demo indicator.

    Attributes
    ----------
    key : str
        Snake-case identifier.
    name : str
        Dutch label.
    domain : str
        ``inkomen``, ``onderwijs``, ``werk``, ``gezondheid``, ``wonen``, ``ses`` or ``bevolking``.
    unit : str
        ``%``, ``euro``, ``score``, ``aantal`` or ``jaren``.
    polarity : int
        +1 if higher is better, -1 if higher is worse, 0 if neutral.
    definition : str
        Dutch one-sentence definition.
    min_n : int
        Minimum ``n`` for publication.
    """

    key: str
    name: str
    domain: str
    unit: str
    polarity: int
    definition: str
    min_n: int = 10


@dataclass(frozen=True)
class DemoValue:
    """One observation: an indicator for an area, group and year.

    Attributes
    ----------
    indicator, area_code, area_level : str
        What and where.
    group : str
        ``"totaal"`` or ``"<dimension>:<category>"``, e.g. ``"geslacht:vrouw"``.
    period : int
        Year.
    value : float or None
        Percentage, euro amount, score or count; ``None`` if not available.
    n : int or None
        Units the value rests on (the denominator for shares, households or
        persons for means).
    numerator, denominator : int or None
        Counts behind a share; ``None`` for other units.
    """

    indicator: str
    area_code: str
    area_level: str
    group: str
    period: int
    value: float | None
    n: int | None
    numerator: int | None
    denominator: int | None


@dataclass(frozen=True)
class DemoCity:
    """The complete demo data set.

    Attributes
    ----------
    municipality_code, name, crs, label : str
        Identity of the fictional municipality and the demo label to display.
    areas : tuple of DemoArea
        City, stadsdelen, gebieden, wijken, buurten; each level sorted by code.
    indicators : tuple of DemoIndicator
        Indicator metadata.
    values : tuple of DemoValue
        Sorted by indicator key, level (in :data:`AREA_LEVELS` order), area
        code, group and period.
    policy_timeline : tuple of (str, str, str)
        ``(ISO date, title, description)`` of the fictional policy history.
    """

    municipality_code: str
    name: str
    crs: str
    label: str
    areas: tuple[DemoArea, ...]
    indicators: tuple[DemoIndicator, ...]
    values: tuple[DemoValue, ...]
    policy_timeline: tuple[tuple[str, str, str], ...]


_I = DemoIndicator
# fmt: off
_INDICATORS: tuple[DemoIndicator, ...] = (
    _I("population", "Aantal inwoners", "bevolking", "aantal", 0,
       "Aantal inwoners dat op 1 januari in het gebied staat ingeschreven.", 0),
    _I("avg_standardised_income", "Gemiddeld gestandaardiseerd huishoudinkomen", "inkomen",
       "euro", 1, "Gemiddeld besteedbaar inkomen van particuliere huishoudens, gecorrigeerd "
       "voor grootte en samenstelling van het huishouden."),
    _I("low_income_households_pct", "Huishoudens met laag inkomen", "inkomen", "%", -1,
       "Aandeel particuliere huishoudens met een inkomen onder de lage-inkomensgrens."),
    _I("minimum_income_households_pct", "Minimahuishoudens (tot 120% WSM)", "inkomen", "%", -1,
       "Aandeel huishoudens met een inkomen tot 120% van het wettelijk sociaal minimum."),
    _I("education_low_pct", "Laagopgeleiden (15-74 jaar)", "onderwijs", "%", -1,
       "Aandeel inwoners van 15 tot en met 74 jaar met hoogstens vmbo, mbo-1 of "
       "havo/vwo-onderbouw als hoogst behaalde opleiding."),
    _I("education_high_pct", "Hoogopgeleiden (15-74 jaar)", "onderwijs", "%", 1,
       "Aandeel inwoners van 15 tot en met 74 jaar met een afgeronde hbo- of wo-opleiding."),
    _I("vo_advice_havo_vwo_pct", "Leerlingen met havo/vwo-advies", "onderwijs", "%", 1,
       "Aandeel leerlingen in groep 8 met een definitief schooladvies havo of hoger."),
    _I("unemployment_pct", "Werkloosheid", "werk", "%", -1,
       "Aandeel werklozen in de beroepsbevolking van 15 tot en met 74 jaar."),
    _I("benefits_pct", "Inwoners met bijstandsuitkering", "werk", "%", -1,
       "Aandeel inwoners van 18 jaar tot de AOW-leeftijd met een bijstandsuitkering."),
    _I("good_health_pct", "Ervaren gezondheid goed of zeer goed", "gezondheid", "%", 1,
       "Aandeel volwassenen dat de eigen gezondheid als goed of zeer goed ervaart "
       "(gezondheidsmonitor)."),
    _I("overweight_pct", "Overgewicht (18+)", "gezondheid", "%", -1,
       "Aandeel volwassenen met een BMI van 25 of hoger (gezondheidsmonitor)."),
    _I("social_rent_pct", "Sociale huurwoningen", "wonen", "%", 0,
       "Aandeel woningen in bezit van woningcorporaties in de totale woningvoorraad."),
    _I("overcrowding_pct", "Overbewoning", "wonen", "%", -1,
       "Aandeel huishoudens dat in een woning woont met te weinig ruimte per persoon."),
    _I("ses_woa_score", "SES-WOA-score", "ses", "score", 1,
       "Gemiddelde sociaaleconomische-statusscore van particuliere huishoudens op basis "
       "van welvaart, opleiding en arbeidsverleden."),
)
# fmt: on


@dataclass(frozen=True)
class _Share:
    """Model of a share: logit p = logit(p0_t) + slope_t * z + migration + sex + noise."""

    key: str
    base: tuple[float, float, float]  # denominator per resident by migration group
    p0: tuple[float, ...]  # reference share per year (nederland, z = 0); 1 value = constant
    level_trend: float  # logit change per decade
    slope: float  # logit change per unit z in 2015
    gap_trend: float  # relative change of the slope per decade (<0 narrows)
    mig: tuple[float, float, float]
    sex: tuple[float, float] = (0.0, 0.0)
    years: tuple[int, ...] = YEARS
    per_household: bool = False
    groups: tuple[str, ...] = ()


_UNEMPLOYMENT = (0.062, 0.056, 0.048, 0.041, 0.037, 0.043, 0.040, 0.034, 0.033, 0.035, 0.036)
_HH = (1.0, 1.0, 1.0)
_MIG = ("migratieachtergrond",)
_MIG_SEX = ("migratieachtergrond", "geslacht")
# fmt: off
_SHARES = (
    # key, base, p0, level_trend, slope, gap_trend, migration effects, options (see _Share)
    _Share("low_income_households_pct", _HH, (0.10,), -0.20, 0.42, 0.15,
           (0.0, 0.35, 0.7), per_household=True, groups=_MIG),
    _Share("minimum_income_households_pct", _HH, (0.11,), -0.10, 0.42, 0.05,
           (0.0, 0.3, 0.8), per_household=True),
    _Share("education_low_pct", (0.74, 0.74, 0.74), (0.19,), -0.30, 0.36, -0.15,
           (0.0, -0.3, 0.7), groups=_MIG),
    _Share("education_high_pct", (0.74, 0.74, 0.74), (0.46,), 0.30, -0.40, 0.10,
           (0.0, 0.4, -0.7)),
    _Share("vo_advice_havo_vwo_pct", (0.0105, 0.009, 0.012), (0.62,), 0.15, -0.40, 0.20,
           (0.0, 0.1, -0.5), years=tuple(range(2017, 2026)), groups=_MIG),
    _Share("unemployment_pct", (0.56, 0.55, 0.48), _UNEMPLOYMENT, 0.0, 0.30, -0.10,
           (0.0, 0.3, 0.7), sex=(0.05, -0.05), groups=_MIG_SEX),
    _Share("benefits_pct", (0.66, 0.66, 0.66), (0.042,), -0.15, 0.42, 0.0,
           (0.0, 0.2, 0.8)),
    _Share("good_health_pct", (0.81, 0.83, 0.78), (0.80,), -0.15, -0.18, 0.15,
           (0.0, -0.1, -0.45), sex=(0.10, -0.10), years=_SURVEY_YEARS, groups=_MIG_SEX),
    _Share("overweight_pct", (0.81, 0.83, 0.78), (0.38,), 0.12, 0.22, 0.05,
           (0.0, -0.1, 0.35), years=_SURVEY_YEARS),
    _Share("social_rent_pct", (1.02, 1.02, 1.02), (0.30,), -0.15, 0.58, 0.0,
           (0.0, 0.1, 0.5), per_household=True),
    _Share("overcrowding_pct", _HH, (0.032,), 0.20, 0.38, 0.10,
           (0.0, 0.3, 0.9), per_household=True),
)
# fmt: on

_POLICY_TIMELINE: tuple[tuple[str, str, str], ...] = (
    (
        "2018-06-14",
        "Coalitieakkoord 'Samen kansen maken'",
        "Het nieuwe college van Voorbeeldstad maakt kansengelijkheid tot speerpunt: ieder kind "
        "krijgt dezelfde kansen, ongeacht buurt, afkomst of inkomen van de ouders.",
    ),
    (
        "2019-02-21",
        "Onderwijsvisie 'Gelijke kansen vanaf de start'",
        "De gemeenteraad stelt een onderwijsvisie vast met extra inzet op voorschoolse educatie, "
        "brede brugklassen en het tegengaan van onderadvisering.",
    ),
    (
        "2019-10-10",
        "Verkenning kansenongelijkheid (nulmeting)",
        "Onderzoek en Statistiek Voorbeeldstad brengt verschillen in inkomen, onderwijs, werk, "
        "gezondheid en wonen tussen buurten en groepen in kaart; 2019 geldt als peiljaar.",
    ),
    (
        "2020-03-05",
        "Bestuursopdracht kansengelijkheid",
        "Het college geeft opdracht tot een domeinoverstijgende aanpak met meetbare doelen per "
        "stadsdeel en een jaarlijkse voortgangsrapportage aan de raad.",
    ),
    (
        "2020-09-17",
        "Oprichting Kenniscentrum Ongelijkheid Voorbeeldstad",
        "Gemeente, hogeschool en universiteit bundelen onderzoek naar ongelijkheid in een "
        "kenniscentrum dat beleid helpt onderbouwen en evalueren.",
    ),
    (
        "2021-04-08",
        "Masterplannen Nieuw-West en Zuidoost",
        "Voor de twee stadsdelen met de grootste achterstanden komen langjarige masterplannen voor "
        "onderwijs, werk, gezondheid, veiligheid en wonen.",
    ),
    (
        "2022-06-09",
        "Coalitieakkoord 'Een eerlijke kans voor iedereen'",
        "Het nieuwe college zet de aanpak voort en kiest voor ongelijk investeren: meer middelen "
        "naar buurten en groepen met de grootste achterstand.",
    ),
    (
        "2023-01-01",
        "Verruiming minimaregelingen",
        "De inkomensgrens voor de gemeentelijke minimaregelingen gaat omhoog en kinderen in "
        "minimahuishoudens krijgen automatisch toegang tot sport en cultuur.",
    ),
    (
        "2024-01-18",
        "Start gebiedsaanpak in twaalf gebieden",
        "Elk gebied krijgt een gebiedsplan met eigen prioriteiten, opgesteld met bewoners, scholen "
        "en maatschappelijke partners.",
    ),
    (
        "2025-05-22",
        "Verdieping ongelijk investeren",
        "De raad vraagt om een verdiepende analyse van de verdeling van middelen over buurten en "
        "om een monitor die laat zien of de verschillen sinds de nulmeting kleiner worden.",
    ),
    (
        "2026-01-29",
        "Tussenbalans kansengelijkheid 2018-2026",
        "Voor de gemeenteraadsverkiezingen maakt het college de balans op: wat is er bereikt sinds "
        "het coalitieakkoord van 2018 en waar zijn de verschillen gegroeid?",
    ),
)

_Entry = tuple[str, str, str, "str | None", geo.Rect]


def _layout(rng: np.random.Generator) -> tuple[list[_Entry], list[int]]:
    """Lay out all areas as lattice rectangles.

    Returns the entries ``(code, name, level, parent_code, rect)`` in output
    order and, per buurt, the index of its stadsdeel.
    """
    nx, ny = _SHAPE
    xs = (0, 32 + int(rng.integers(-4, 5)), 64 + int(rng.integers(-4, 5)), nx)
    ys = (0, 36 + int(rng.integers(-4, 5)), ny)
    three_wijken = {int(i) for i in rng.permutation(12)[:6]}
    counts = [3] * 30
    moves = 0
    while moves < 10:  # move buurten between wijken: 2-4 each, 90 in total
        i, j = (int(k) for k in rng.integers(30, size=2))
        if i != j and counts[i] < 4 and counts[j] > 2:
            counts[i], counts[j], moves = counts[i] + 1, counts[j] - 1, moves + 1
    city: _Entry = (DEMO_MUNICIPALITY_CODE, DEMO_MUNICIPALITY_NAME, "stad", None, (0, 0, nx, ny))
    levels: dict[str, list[_Entry]] = {lvl: [] for lvl in AREA_LEVELS[1:]}
    buurt_sd: list[int] = []
    for sd, (code, name, col, row, _) in enumerate(_STADSDELEN):
        rect = (xs[col], ys[row], xs[col + 1], ys[row + 1])
        levels["stadsdeel"].append((code, name, "stadsdeel", DEMO_MUNICIPALITY_CODE, rect))
        for g, grect in enumerate(geo.split_rect(rect, 2, rng, 12)):
            gcode = f"GB{len(levels['gebied']) + 1:02d}"
            n_wijken = 3 if len(levels["gebied"]) in three_wijken else 2
            levels["gebied"].append((gcode, _GEBIED_NAMES[sd][g], "gebied", code, grect))
            for wrect in geo.split_rect(grect, n_wijken, rng, 8):
                w = len(levels["wijk"]) + 1
                wcode = f"WK{_GM}{w:02d}"
                levels["wijk"].append((wcode, _WIJK_NAMES[w - 1], "wijk", gcode, wrect))
                for b, brect in enumerate(geo.split_rect(wrect, counts[w - 1], rng, 4)):
                    bname = _BUURT_NAMES[len(levels["buurt"])]
                    bcode = f"BU{_GM}{w:02d}{b + 1:02d}"
                    levels["buurt"].append((bcode, bname, "buurt", wcode, brect))
                    buurt_sd.append(sd)
    return [city] + [e for lvl in AREA_LEVELS[1:] for e in levels[lvl]], buurt_sd


def _split_counts(totals: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Split integer totals over the last axis of ``shares`` (largest remainders, exact sums)."""
    shares = np.broadcast_to(shares, (*totals.shape, shares.shape[-1]))
    exact = totals[..., None] * shares / shares.sum(axis=-1, keepdims=True)
    base = np.floor(exact).astype(np.int64)
    rest = totals - base.sum(axis=-1)
    order = np.argsort(base - exact, axis=-1, kind="stable")
    rank = np.argsort(order, axis=-1, kind="stable")
    return base + (rank < rest[..., None])


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: np.ndarray | float) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return np.log(p / (1.0 - p))


_TAU = (np.array(YEARS) - YEARS[0]) / 10.0  # decades since the first year


def _share_probability(spec: _Share, z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Probability per buurt, year, migration group and sex, shape ``(B, T, 3, 2)``."""
    p0 = np.broadcast_to(np.asarray(spec.p0, dtype=float), _TAU.shape)
    slope = spec.slope * (1.0 + spec.gap_trend * _TAU)
    eta = _logit(p0) + spec.level_trend * _TAU + slope * z
    eta = eta + rng.normal(0.0, 0.15, size=(z.shape[0], 1)) + rng.normal(0.0, 0.06, size=z.shape)
    eta = eta[..., None, None] + np.asarray(spec.mig)[:, None] + np.asarray(spec.sex)
    return _expit(eta)


def _simulate(
    rng: np.random.Generator,
    areas_km2: np.ndarray,
    centres_km: np.ndarray,
    buurt_sd: list[int],
    small: dict[int, int],
) -> tuple[np.ndarray, dict[str, tuple[np.ndarray, np.ndarray]], dict[str, np.ndarray]]:
    """Simulate buurt-level data.

    Returns population ``(B, T)``, counts ``key -> (numerator, denominator)``
    of shape ``(B, T, 3, 2)`` and, for means, ``key -> value (B, T)`` plus the
    household counts under the key ``"households"``.
    """
    n_b = len(buurt_sd)
    sd = np.asarray(buurt_sd)
    effect = np.array([s[4] for s in _STADSDELEN])[sd]
    density = np.array([1.5, 1.2, 0.9, 1.1, 1.0, 0.85])[sd] * 2700.0
    pop25 = areas_km2 * density * np.exp(rng.normal(0.0, 0.25, n_b))
    pop25 = np.clip(pop25, 600, rng.uniform(5200.0, 6000.0, n_b))
    growth = np.clip(rng.normal(0.009, 0.004, n_b), -0.003, 0.02)
    growth[rng.permutation(n_b)[:5]] = 0.035  # new-build buurten
    for b, residents in small.items():
        pop25[b], growth[b] = residents, 0.0
    years_back = YEARS[-1] - np.array(YEARS)
    pop = np.rint(np.rint(pop25)[:, None] / (1.0 + growth[:, None]) ** years_back)
    pop = pop.astype(np.int64)

    dist2 = ((centres_km[:, None, :] - centres_km[None, :, :]) ** 2).sum(axis=-1)
    kernel = np.exp(-dist2 / (2.0 * 1.5**2))
    smooth = kernel @ rng.standard_normal(n_b) / kernel.sum(axis=1)
    smooth = (smooth - smooth.mean()) / smooth.std()
    latent = effect + 0.35 * smooth + 0.25 * rng.standard_normal(n_b)
    weights = pop[:, -1] / pop[:, -1].sum()
    mean = float(weights @ latent)
    latent = (latent - mean) / np.sqrt(float(weights @ (latent - mean) ** 2))
    drift = rng.normal(0.0, 0.15, n_b) - 0.15 * np.isin(sd, (1, 4))  # West and Oost gentrify
    z = latent[:, None] + drift[:, None] * _TAU

    nw = _expit(_logit(0.30) + 0.75 * z + rng.normal(0.0, 0.3, (n_b, 1)) + 0.08 * _TAU)
    west = np.clip(0.15 - 0.03 * latent + rng.normal(0.0, 0.02, n_b), 0.06, 0.30)[:, None]
    nl = np.clip(1.0 - nw - west, 0.05, None)
    by_mig = _split_counts(pop, np.stack([nl, np.broadcast_to(west, nl.shape), nw], axis=-1))
    man = np.clip(rng.normal(0.49, 0.01, n_b), 0.45, 0.53)[:, None, None, None]
    cells = _split_counts(by_mig, np.concatenate([man, 1.0 - man], axis=-1))
    hh_size = np.clip(1.85 + 0.18 * latent + rng.normal(0.0, 0.12, n_b), 1.35, 2.8)
    households = np.rint(cells / hh_size[:, None, None, None])

    counts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    probs: dict[str, np.ndarray] = {}
    for spec in _SHARES:
        prob = _share_probability(spec, z, rng)
        base = households if spec.per_household else cells
        den = np.rint(base * np.asarray(spec.base)[:, None]).astype(np.int64)
        if spec.key == "education_high_pct":  # conditional on not being low educated
            low_num, low_den = counts["education_low_pct"]
            cond = np.clip(prob / (1.0 - probs["education_low_pct"]), 0.0, 1.0)
            num = rng.binomial(low_den - low_num, cond)
            den = low_den
        else:
            num = rng.binomial(den, prob)
        counts[spec.key], probs[spec.key] = (num, den), prob

    hh = households.sum(axis=(2, 3))
    income_scale = 32000.0 * 1.028 ** (np.array(YEARS) - YEARS[0])
    income = income_scale * np.exp(
        -0.14 * (1.0 + 0.2 * _TAU) * z
        + rng.normal(0.0, 0.06, (n_b, 1))
        + rng.normal(0.0, 0.02, z.shape)
    )
    ses = 0.0 - 0.22 * (1.0 + 0.1 * _TAU) * z + rng.normal(0.0, 0.05, (n_b, 1))
    ses = ses + rng.normal(0.0, 0.015, z.shape)
    means = {
        "households": hh,
        "avg_standardised_income": np.round(np.clip(income, 15000, 90000), -2),
        "ses_woa_score": np.round(np.clip(ses, -0.9, 0.8), 3),
    }
    return pop, counts, means


def _share_series(
    key: str, area: tuple[str, str], group: str, num: np.ndarray, den: np.ndarray, years: tuple
) -> list[DemoValue]:
    out = []
    for t, year in enumerate(YEARS):
        if year not in years:
            out.append(DemoValue(key, area[0], area[1], group, year, None, None, None, None))
            continue
        n, d = int(num[t]), int(den[t])
        value = round(100.0 * n / d, 1) if d > 0 else None
        out.append(DemoValue(key, area[0], area[1], group, year, value, d, n, d))
    return out


def _area_values(
    area: tuple[str, str],
    idx: np.ndarray,
    pop: np.ndarray,
    counts: dict[str, tuple[np.ndarray, np.ndarray]],
    means: dict[str, np.ndarray],
) -> list[DemoValue]:
    """All values of one area; ``idx`` holds the indices of its buurten."""
    code, level = area
    people = pop[idx].sum(axis=0)
    out = [
        DemoValue(
            "population", code, level, "totaal", year, float(people[t]), int(people[t]), None, None
        )
        for t, year in enumerate(YEARS)
    ]
    hh = means["households"][idx]
    n_hh = hh.sum(axis=0)
    for key, decimals in (("avg_standardised_income", -2), ("ses_woa_score", 3)):
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = (hh * means[key][idx]).sum(axis=0) / n_hh
        for t, year in enumerate(YEARS):
            value = float(round(float(mean[t]), decimals)) if n_hh[t] > 0 else None
            out.append(DemoValue(key, code, level, "totaal", year, value, int(n_hh[t]), None, None))
    for spec in _SHARES:
        num, den = (a[idx].sum(axis=0) for a in counts[spec.key])
        out += _share_series(
            spec.key, area, "totaal", num.sum(axis=(1, 2)), den.sum(axis=(1, 2)), spec.years
        )
        if level not in ("stad", "stadsdeel"):
            continue
        if "geslacht" in spec.groups:
            for s, sex in enumerate(_SEXES):
                out += _share_series(
                    spec.key,
                    area,
                    f"geslacht:{sex}",
                    num[:, :, s].sum(axis=1),
                    den[:, :, s].sum(axis=1),
                    spec.years,
                )
        if "migratieachtergrond" in spec.groups:
            for m, mig in enumerate(_MIGRATION):
                out += _share_series(
                    spec.key,
                    area,
                    f"migratieachtergrond:{mig}",
                    num[:, m].sum(axis=1),
                    den[:, m].sum(axis=1),
                    spec.years,
                )
    return out


def generate_demo_city(seed: int = 2019) -> DemoCity:
    """Generate the fictional demo city Voorbeeldstad.

    Parameters
    ----------
    seed : int, optional
        Seed for :func:`numpy.random.default_rng`. The same seed always gives
        an identical result; the default is the peiljaar of the fictional
        policy (2019).

    Returns
    -------
    DemoCity
        Areas with geometry, indicator metadata, values for 2015-2025 and
        the policy timeline. All numbers are invented.

    Examples
    --------
    >>> city = generate_demo_city()
    >>> city.name, city.municipality_code, city.crs
    ('Voorbeeldstad', 'GM9999', 'EPSG:28992')
    >>> [sum(a.level == level for a in city.areas) for level in AREA_LEVELS]
    [1, 6, 12, 30, 90]
    >>> city.areas[0].population == sum(a.population for a in city.areas if a.level == "buurt")
    True
    >>> generate_demo_city() == city
    True
    """
    rng = np.random.default_rng(seed)
    entries, buurt_sd = _layout(rng)
    coords = geo.warped_lattice(_SHAPE, _ORIGIN, _UNIT, rng)
    buurten = [e for e in entries if e[2] == "buurt"]
    small: dict[int, int] = {}
    for sd_code, name, residents in _SMALL_BUURTEN:
        sd = [s[0] for s in _STADSDELEN].index(sd_code)
        candidates = [b for b, s in enumerate(buurt_sd) if s == sd and b not in small]
        b = candidates[int(rng.integers(len(candidates)))]
        small[b] = residents
        code, _, level, parent, rect = buurten[b]
        buurten[b] = (code, name, level, parent, rect)
    entries = entries[: len(entries) - len(buurten)] + buurten
    km2 = np.array([geo.rect_size(e[4]) for e in buurten]) * (_UNIT / 1000.0) ** 2
    centres = np.array([geo.rect_centre(e[4]) for e in buurten]) * _UNIT / 1000.0
    pop, counts, means = _simulate(rng, km2, centres, buurt_sd, small)

    parents = {e[0]: e[3] for e in entries}
    members: dict[str, list[int]] = {e[0]: [] for e in entries}
    for b, entry in enumerate(buurten):
        code: str | None = entry[0]
        while code is not None:
            members[code].append(b)
            code = parents[code]
    areas, values = [], []
    for code, name, level, parent, rect in entries:
        idx = np.asarray(members[code])
        population = int(pop[idx, -1].sum())
        areas.append(
            DemoArea(code, name, level, parent, geo.rect_polygon(rect, coords), population)
        )
        values += _area_values((code, level), idx, pop, counts, means)
    order = {level: i for i, level in enumerate(AREA_LEVELS)}
    values.sort(key=lambda v: (v.indicator, order[v.area_level], v.area_code, v.group, v.period))
    return DemoCity(
        municipality_code=DEMO_MUNICIPALITY_CODE,
        name=DEMO_MUNICIPALITY_NAME,
        crs=_CRS,
        label=DEMO_LABEL,
        areas=tuple(areas),
        indicators=_INDICATORS,
        values=tuple(values),
        policy_timeline=_POLICY_TIMELINE,
    )


def area_hierarchy(city: DemoCity) -> dict[str, tuple[str, ...]]:
    """Map every area code to its ancestors, from the parent up to the city.

    Parameters
    ----------
    city : DemoCity
        Output of :func:`generate_demo_city`.

    Returns
    -------
    dict of str to tuple of str
        ``{code: (parent, grandparent, ..., city)}``; the city maps to ``()``.

    Examples
    --------
    >>> area_hierarchy(generate_demo_city())["BU99990101"]
    ('WK999901', 'GB01', 'SD01', 'GM9999')
    """
    parents = {a.code: a.parent_code for a in city.areas}
    result: dict[str, tuple[str, ...]] = {}
    for area in city.areas:
        chain: list[str] = []
        parent = area.parent_code
        while parent is not None:
            chain.append(parent)
            parent = parents[parent]
        result[area.code] = tuple(chain)
    return result
