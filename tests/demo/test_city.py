"""Tests for the fictional demo city generator (no Django needed)."""

import dataclasses
import doctest
import hashlib
import itertools
import json
import math
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from kansenaudit.demo import city as demo_city
from kansenaudit.demo import geometry as demo_geometry
from kansenaudit.demo.city import (
    AREA_LEVELS,
    DEMO_LABEL,
    DEMO_MUNICIPALITY_CODE,
    DEMO_MUNICIPALITY_NAME,
    YEARS,
    DemoCity,
    area_hierarchy,
    generate_demo_city,
)
from kansenaudit.demo.geometry import geometry_area, ring_area

SHARE_KEYS = (
    "low_income_households_pct",
    "minimum_income_households_pct",
    "education_low_pct",
    "education_high_pct",
    "vo_advice_havo_vwo_pct",
    "unemployment_pct",
    "benefits_pct",
    "good_health_pct",
    "overweight_pct",
    "social_rent_pct",
    "overcrowding_pct",
)
MEAN_KEYS = {"avg_standardised_income": 100.0, "ses_woa_score": 0.001}


@pytest.fixture(scope="module")
def city() -> DemoCity:
    return generate_demo_city()


@pytest.fixture(scope="module")
def by_key(city):
    """(indicator, area_code, group, period) -> DemoValue."""
    return {(v.indicator, v.area_code, v.group, v.period): v for v in city.values}


@pytest.fixture(scope="module")
def children(city):
    out = defaultdict(list)
    for area in city.areas:
        if area.parent_code is not None:
            out[area.parent_code].append(area)
    return out


@pytest.fixture(scope="module")
def buurten_of(city):
    """Area code -> codes of the buurten inside it."""
    out = defaultdict(list)
    for code, ancestors in area_hierarchy(city).items():
        if code.startswith("BU"):
            for c in (code, *ancestors):
                out[c].append(code)
    return out


def _digest(city: DemoCity) -> str:
    payload = json.dumps(dataclasses.asdict(city), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


# --- identity, determinism -------------------------------------------------------------


def test_constants_and_identity(city):
    assert DEMO_MUNICIPALITY_CODE == "GM9999"
    assert DEMO_MUNICIPALITY_NAME == "Voorbeeldstad"
    assert tuple(range(2015, 2026)) == YEARS
    assert AREA_LEVELS == ("stad", "stadsdeel", "gebied", "wijk", "buurt")
    assert (city.municipality_code, city.name, city.crs, city.label) == (
        "GM9999",
        "Voorbeeldstad",
        "EPSG:28992",
        DEMO_LABEL,
    )
    assert "geen echte cijfers" in city.label


def test_dataclasses_are_frozen(city):
    with pytest.raises(dataclasses.FrozenInstanceError):
        city.name = "Elders"
    with pytest.raises(dataclasses.FrozenInstanceError):
        city.values[0].value = 1.0


def test_deterministic_for_same_seed(city):
    again = generate_demo_city(2019)
    assert again == city
    assert _digest(again) == _digest(city)


def test_different_seed_differs(city):
    other = generate_demo_city(7)
    assert _digest(other) != _digest(city)
    assert [a.geometry for a in other.areas] != [a.geometry for a in city.areas]
    assert [v.value for v in other.values] != [v.value for v in city.values]


def test_output_uses_plain_python_types(city):
    value = next(v for v in city.values if v.value is not None and v.numerator is not None)
    assert type(value.value) is float
    assert type(value.n) is int
    assert type(value.numerator) is int
    x, y = city.areas[-1].geometry["coordinates"][0][0]
    assert type(x) is float
    assert type(y) is float
    assert type(city.areas[0].population) is int


def test_no_django_import():
    src = Path(demo_city.__file__).resolve().parents[2]
    code = (
        "import sys, kansenaudit.demo.city as m; m.generate_demo_city(3); "
        "assert not any(k.split('.')[0] == 'django' for k in sys.modules), 'django imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(src), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_doctests_pass():
    for module, examples in ((demo_city, 5), (demo_geometry, 1)):
        failed, attempted = doctest.testmod(module)
        assert failed == 0
        assert attempted >= examples


# --- areas ---------------------------------------------------------------------------


def test_counts_per_level(city, children):
    counts = [sum(a.level == level for a in city.areas) for level in AREA_LEVELS]
    assert counts == [1, 6, 12, 30, 90]
    for area in city.areas:
        n = len(children[area.code])
        expected = {"stad": (6, 6), "stadsdeel": (2, 2), "gebied": (2, 3), "wijk": (2, 4)}
        lo, hi = expected.get(area.level, (0, 0))
        assert lo <= n <= hi, (area.code, n)


def test_area_order_codes_and_names(city):
    levels = [AREA_LEVELS.index(a.level) for a in city.areas]
    assert levels == sorted(levels)
    patterns = {
        "stad": r"GM9999",
        "stadsdeel": r"SD\d\d",
        "gebied": r"GB\d\d",
        "wijk": r"WK9999\d\d",
        "buurt": r"BU9999\d\d\d\d",
    }
    for level in AREA_LEVELS:
        areas = [a for a in city.areas if a.level == level]
        codes = [a.code for a in areas]
        assert codes == sorted(codes)
        assert all(re.fullmatch(patterns[level], c) for c in codes)
        names = [a.name for a in areas]
        assert len(set(names)) == len(names)
        assert all(n and n[0].isupper() for n in names)
    for area in city.areas:
        if area.level == "buurt":
            assert area.code[2:8] == area.parent_code[2:8]


def test_hierarchy_consistency(city):
    by_code = {a.code: a for a in city.areas}
    assert len(by_code) == len(city.areas)
    for area in city.areas:
        if area.level == "stad":
            assert area.parent_code is None
            continue
        parent = by_code[area.parent_code]
        assert AREA_LEVELS.index(parent.level) == AREA_LEVELS.index(area.level) - 1
    hierarchy = area_hierarchy(city)
    assert set(hierarchy) == set(by_code)
    for code, ancestors in hierarchy.items():
        level = by_code[code].level
        assert len(ancestors) == AREA_LEVELS.index(level)
        assert [by_code[c].level for c in ancestors] == list(AREA_LEVELS[: len(ancestors)])[::-1]
        if ancestors:
            assert ancestors[0] == by_code[code].parent_code
            assert ancestors[-1] == DEMO_MUNICIPALITY_CODE


def test_small_buurten_exist(city):
    small = [a for a in city.areas if a.level == "buurt" and a.population < 50]
    assert len(small) >= 3
    assert all(a.population >= 1 for a in small)


# --- geometry --------------------------------------------------------------------------


def test_rings_closed_ccw_rounded_and_in_rd(city):
    for area in city.areas:
        geom = area.geometry
        assert geom["type"] == "Polygon"
        ring = geom["coordinates"][0]
        assert len(ring) >= 5
        assert ring[0] == ring[-1]
        assert ring_area(ring) > 0, area.code  # counter-clockwise
        for x, y in ring:
            assert 109000 < x < 123000
            assert 479000 < y < 490000
            assert abs(x * 10 - round(x * 10)) < 1e-6
            assert abs(y * 10 - round(y * 10)) < 1e-6


def test_buurten_tile_the_city(city):
    city_area = geometry_area(city.areas[0].geometry)
    buurt_total = sum(geometry_area(a.geometry) for a in city.areas if a.level == "buurt")
    assert buurt_total == pytest.approx(city_area, rel=1e-3)
    assert city_area == pytest.approx(12_000 * 9_000, rel=0.03)


def test_children_tile_their_parent(city, children):
    for area in city.areas:
        kids = children[area.code]
        if kids:
            total = sum(geometry_area(k.geometry) for k in kids)
            assert total == pytest.approx(geometry_area(area.geometry), rel=1e-6)


def _edges(ring):
    return [(tuple(a), tuple(b)) for a, b in itertools.pairwise(ring)]


def test_shared_borders_match_exactly(city):
    """Every buurt edge is either shared (reversed) with a neighbour or on the city outline."""
    outline = set(_edges(city.areas[0].geometry["coordinates"][0]))
    edges = [
        e for a in city.areas if a.level == "buurt" for e in _edges(a.geometry["coordinates"][0])
    ]
    edge_set = set(edges)
    assert len(edge_set) == len(edges)
    for a, b in edges:
        assert (b, a) in edge_set or (a, b) in outline
    assert outline <= edge_set


def _segments_cross(p, q, r, s):
    def orient(a, b, c):
        return np.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))

    return orient(p, q, r) * orient(p, q, s) < 0 and orient(r, s, p) * orient(r, s, q) < 0


def test_buurt_rings_are_simple(city):
    for area in city.areas:
        if area.level != "buurt":
            continue
        pts = [tuple(p) for p in area.geometry["coordinates"][0][:-1]]
        n = len(pts)
        assert len(set(pts)) == n
        for i in range(n):
            for j in range(i + 2, n):
                if i == 0 and j == n - 1:
                    continue
                assert not _segments_cross(pts[i], pts[(i + 1) % n], pts[j], pts[(j + 1) % n])


# --- population --------------------------------------------------------------------------


def test_population_sums_and_bounds(city, children, by_key):
    for area in city.areas:
        kids = children[area.code]
        if kids:
            assert area.population == sum(k.population for k in kids)
        assert by_key[("population", area.code, "totaal", YEARS[-1])].value == area.population
        for year in YEARS:
            v = by_key[("population", area.code, "totaal", year)]
            if kids:
                assert v.value == sum(
                    by_key[("population", k.code, "totaal", year)].value for k in kids
                )
    assert 250_000 <= city.areas[0].population <= 350_000
    assert all(0 <= a.population <= 6000 for a in city.areas if a.level == "buurt")


def test_population_grows_modestly(by_key):
    first = by_key[("population", "GM9999", "totaal", YEARS[0])].value
    last = by_key[("population", "GM9999", "totaal", YEARS[-1])].value
    assert 1.02 < last / first < 1.25


# --- values ----------------------------------------------------------------------------


def test_indicator_metadata(city):
    keys = [i.key for i in city.indicators]
    assert len(keys) >= 12
    assert len(set(keys)) == len(keys)
    domains = {"inkomen", "onderwijs", "werk", "gezondheid", "wonen", "ses", "bevolking"}
    assert {i.domain for i in city.indicators} == domains
    for ind in city.indicators:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", ind.key)
        assert ind.unit in {"%", "euro", "score", "aantal", "jaren"}
        assert ind.polarity in (-1, 0, 1)
        assert ind.name
        assert ind.definition.endswith(".")
        assert ind.min_n >= 0
    assert {i.key for i in city.indicators} >= set(SHARE_KEYS) | set(MEAN_KEYS) | {"population"}
    assert {i.key for i in city.indicators if i.unit == "%"} == set(SHARE_KEYS)


def test_complete_grid_and_sort_order(city, by_key):
    assert len(by_key) == len(city.values)
    for ind in city.indicators:
        for area in city.areas:
            for year in YEARS:
                assert (ind.key, area.code, "totaal", year) in by_key
    order = {level: i for i, level in enumerate(AREA_LEVELS)}
    keys = [(v.indicator, order[v.area_level], v.area_code, v.group, v.period) for v in city.values]
    assert keys == sorted(keys)
    levels = {a.code: a.level for a in city.areas}
    assert all(levels[v.area_code] == v.area_level for v in city.values)


def test_share_aggregation(city, children, by_key):
    for key in SHARE_KEYS:
        for area in city.areas:
            kids = children[area.code]
            for year in YEARS:
                v = by_key[(key, area.code, "totaal", year)]
                if v.denominator is None:
                    continue
                assert v.n == v.denominator
                assert 0 <= v.numerator <= v.denominator
                if v.denominator:
                    assert v.value == round(100 * v.numerator / v.denominator, 1)
                else:
                    assert v.value is None
                if kids:
                    kid_values = [by_key[(key, k.code, "totaal", year)] for k in kids]
                    assert v.numerator == sum(k.numerator for k in kid_values)
                    assert v.denominator == sum(k.denominator for k in kid_values)


def test_mean_aggregation(city, by_key, buurten_of):
    for key, tolerance in MEAN_KEYS.items():
        for area in city.areas:
            for year in YEARS:
                v = by_key[(key, area.code, "totaal", year)]
                parts = [by_key[(key, b, "totaal", year)] for b in buurten_of[area.code]]
                assert v.n == sum(p.n for p in parts)
                weighted = sum(p.n * p.value for p in parts if p.n) / v.n
                assert v.value == pytest.approx(weighted, abs=tolerance)
                assert v.numerator is None
                assert v.denominator is None


def test_value_bounds(city, by_key):
    for v in city.values:
        if v.value is None:
            continue
        if v.indicator in SHARE_KEYS:
            assert 0.0 <= v.value <= 100.0
        elif v.indicator == "avg_standardised_income":
            assert 15_000 <= v.value <= 90_000
        elif v.indicator == "ses_woa_score":
            assert -1.0 <= v.value <= 1.0
    plausible = {
        "avg_standardised_income": (22_000, 60_000),
        "low_income_households_pct": (5, 35),
        "education_low_pct": (10, 45),
        "unemployment_pct": (2, 15),
        "benefits_pct": (2, 15),
        "good_health_pct": (60, 85),
        "social_rent_pct": (10, 75),
        "ses_woa_score": (-0.6, 0.5),
    }
    stadsdelen = [a.code for a in city.areas if a.level == "stadsdeel"]
    for key, (lo, hi) in plausible.items():
        for code in ["GM9999", *stadsdelen]:
            for year in (2016, 2020, 2024):
                assert lo <= by_key[(key, code, "totaal", year)].value <= hi, (key, code, year)


def test_small_numbers_make_disclosure_rules_bite(city):
    small = [
        v for v in city.values if v.indicator in SHARE_KEYS and v.n is not None and 0 < v.n < 10
    ]
    assert small
    assert {v.area_level for v in small} == {"buurt"}
    empty = [v for v in city.values if v.denominator == 0]
    assert empty
    assert all(v.value is None and v.n == 0 for v in empty)


def test_missing_values_where_documented(by_key, city):
    for area in city.areas:
        for year in YEARS:
            vo = by_key[("vo_advice_havo_vwo_pct", area.code, "totaal", year)]
            assert (vo.n is None) == (year < 2017)
            for key in ("good_health_pct", "overweight_pct"):
                health = by_key[(key, area.code, "totaal", year)]
                assert (health.n is None) == (year not in (2016, 2020, 2024))
    missing = [v for v in city.values if v.n is None]
    assert missing
    assert all(v.value is None and v.numerator is None and v.denominator is None for v in missing)
    assert by_key[("vo_advice_havo_vwo_pct", "GM9999", "totaal", 2017)].value is not None


def test_group_breakdowns(city, by_key):
    migration = ("nederland", "westers", "niet-westers")
    published = {
        "low_income_households_pct": ("migratieachtergrond",),
        "education_low_pct": ("migratieachtergrond",),
        "vo_advice_havo_vwo_pct": ("migratieachtergrond",),
        "unemployment_pct": ("migratieachtergrond", "geslacht"),
        "good_health_pct": ("migratieachtergrond", "geslacht"),
    }
    grouped_levels = {v.area_level for v in city.values if v.group != "totaal"}
    assert grouped_levels == {"stad", "stadsdeel"}
    assert {v.indicator for v in city.values if v.group != "totaal"} == set(published)
    codes = [a.code for a in city.areas if a.level in ("stad", "stadsdeel")]
    for key, dims in published.items():
        for code in codes:
            for year in (2017, 2020, 2024):
                total = by_key[(key, code, "totaal", year)]
                if total.n is None:
                    continue
                for dim in dims:
                    cats = migration if dim == "migratieachtergrond" else ("man", "vrouw")
                    groups = [by_key[(key, code, f"{dim}:{c}", year)] for c in cats]
                    assert sum(g.numerator for g in groups) == total.numerator
                    assert sum(g.denominator for g in groups) == total.denominator
    low = "low_income_households_pct"
    assert (
        by_key[(low, "GM9999", "migratieachtergrond:niet-westers", 2020)].value
        > by_key[(low, "GM9999", "migratieachtergrond:nederland", 2020)].value
    )
    smallest = min(v.n for v in city.values if v.group != "totaal" and v.n is not None)
    assert smallest < 100


def test_low_income_and_ses_strongly_negatively_correlated(city, by_key):
    buurten = [a.code for a in city.areas if a.level == "buurt"]
    for year in (2015, 2020, 2025):
        pairs = [
            (
                by_key[("low_income_households_pct", b, "totaal", year)],
                by_key[("ses_woa_score", b, "totaal", year)],
            )
            for b in buurten
        ]
        x, y = zip(*[(li.value, s.value) for li, s in pairs if li.n and li.n >= 100], strict=True)
        assert len(x) > 80
        assert np.corrcoef(x, y)[0, 1] < -0.5


def test_disadvantaged_stadsdelen_stand_out(city, by_key):
    names = {a.code: a.name for a in city.areas if a.level == "stadsdeel"}
    ranked = sorted(
        names, key=lambda c: by_key[("low_income_households_pct", c, "totaal", 2024)].value
    )
    assert {names[c] for c in ranked[-2:]} == {"Nieuw-West", "Zuidoost"}


def test_policy_timeline(city):
    timeline = city.policy_timeline
    assert 9 <= len(timeline) <= 12
    dates = [d for d, _, _ in timeline]
    assert dates == sorted(dates)
    assert all(re.fullmatch(r"20(1[89]|2[0-6])-\d\d-\d\d", d) for d in dates)
    assert any("nulmeting" in title.lower() and d.startswith("2019") for d, title, _ in timeline)
    assert any("Voorbeeldstad" in title + text for _, title, text in timeline)
    assert all(title and text.endswith((".", "?")) for _, title, text in timeline)


def test_geometry_helpers():
    assert ring_area([[0, 0], [0, 1], [2, 1], [2, 0], [0, 0]]) == -2.0
    square = {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]]}
    assert math.isclose(geometry_area(square), 1.0)
