"""Selecting measures for the practice study: diverse, deterministic, honest about gaps."""

from __future__ import annotations

import itertools
import random

import pytest

from kansenaudit.fieldwork.selection import (
    DIMENSIONS,
    MeasureProfile,
    gower_distance,
    propose_selection,
)


def register() -> list[MeasureProfile]:
    rows = [
        (
            "smw",
            "Schoolmaatschappelijk werk",
            "onderwijs",
            "Directie Onderwijs",
            "leerlingen",
            4.2e6,
            3000,
            3,
        ),
        (
            "vve",
            "Voorschoolse educatie",
            "onderwijs",
            "Directie Onderwijs",
            "peuters",
            12e6,
            5000,
            4,
        ),
        (
            "bt",
            "Brede Talentontwikkeling",
            "onderwijs",
            "Directie Onderwijs",
            "leerlingen",
            2e6,
            8000,
            2,
        ),
        (
            "vs",
            "Vroegsignalering schulden",
            "inkomen",
            "Directie Armoede en Schulden",
            "huishoudens",
            3e6,
            6000,
            3,
        ),
        ("sp", "Stadspas", "inkomen", "Directie Armoede en Schulden", "minima", 20e6, 90000, 1),
        (
            "kr",
            "Kindregeling",
            "inkomen",
            "Directie Armoede en Schulden",
            "kinderen",
            9e6,
            25000,
            None,
        ),
        ("jz", "Jongerenwerk", "jeugd", "Directie Jeugd", "jongeren", 7e6, None, 2),
        ("okt", "Ouder- en Kindteam", "jeugd", "Directie Jeugd", "gezinnen", 30e6, 40000, 3),
        ("wp", "Werkleerbanen", "werk", "Directie WPI", "werkzoekenden", 5e6, 800, 5),
        ("gz", "Gezonde school", "gezondheid", "GGD", "leerlingen", None, 12000, 1),
    ]
    return [MeasureProfile(*row) for row in rows]


def test_six_measures_cover_every_domain_and_directie():
    selection = propose_selection(register())
    chosen = [choice.key for choice in selection.chosen]
    assert len(chosen) == 6
    assert len(set(chosen)) == 6
    assert set(selection.covers["domain"]) == {
        "gezondheid",
        "inkomen",
        "jeugd",
        "onderwijs",
        "werk",
    }
    assert selection.misses["domain"] == []
    assert set(selection.covers) == set(DIMENSIONS) == set(selection.misses)
    first = selection.chosen[0]
    assert first.reasons[0] == "most_distinct"
    for choice in selection.chosen[1:]:
        assert choice.reasons[0].startswith("max_min_distance=")


def test_deterministic_and_independent_of_input_order():
    profiles = register()
    expected = propose_selection(profiles)
    shuffled = list(profiles)
    random.Random(4).shuffle(shuffled)
    assert propose_selection(shuffled) == expected
    assert propose_selection(profiles) == expected


def test_fixed_first_excluded_never():
    selection = propose_selection(register(), 4, fixed=["smw", "vs"], excluded=["sp", "okt"])
    keys = [choice.key for choice in selection.chosen]
    assert keys[:2] == ["smw", "vs"]
    assert selection.chosen[0].reasons[0] == "fixed"
    assert "sp" not in keys
    assert "okt" not in keys
    assert len(keys) == 4
    # What the candidates have but the set lacks is reported.
    all_targets = {p.target_group for p in register() if p.key not in {"sp", "okt"}}
    assert (
        set(selection.covers["target_group"]) | set(selection.misses["target_group"]) == all_targets
    )


def test_greedy_max_min_beats_random_sets_on_spread():
    profiles = register()
    by_key = {p.key: p for p in profiles}
    chosen = [c.key for c in propose_selection(profiles, 4).chosen]

    def min_distance(keys):
        return min(
            gower_distance(by_key[a], by_key[b], profiles)
            for a, b in itertools.combinations(keys, 2)
        )

    ours = min_distance(chosen)
    others = [min_distance(keys) for keys in itertools.combinations(by_key, 4)]
    # Greedy max-min is within a factor 2 of the best possible (Ravi et al. 1994) and here at
    # least as good as three quarters of all possible sets.
    assert ours >= 0.5 * max(others)
    assert sum(ours >= value for value in others) >= 0.75 * len(others)


def test_gower_distance_properties():
    profiles = register()
    a, b = profiles[0], profiles[3]
    assert gower_distance(a, a, profiles) == 0
    assert gower_distance(a, b, profiles) == gower_distance(b, a, profiles)
    assert 0 <= gower_distance(a, b, profiles) <= 1


def test_fewer_candidates_than_asked_and_bad_input():
    assert len(propose_selection(register()[:3], 6).chosen) == 3
    with pytest.raises(ValueError, match="unknown fixed"):
        propose_selection(register(), fixed=["nope"])
    with pytest.raises(ValueError, match="both fixed and excluded"):
        propose_selection(register(), fixed=["smw"], excluded=["smw"])
    with pytest.raises(ValueError, match="unique"):
        propose_selection([*register(), register()[0]])
    with pytest.raises(ValueError, match="at least 1"):
        propose_selection(register(), 0)
