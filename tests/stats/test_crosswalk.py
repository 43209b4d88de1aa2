"""Boundary harmonisation: hand-computed squares and the real Amsterdam 2015 → 2022 buurten."""

from __future__ import annotations

import math
import time

import pytest
from shapely import Polygon, box

from kansenaudit.data.geo import read_area_geometries
from kansenaudit.stats.crosswalk import (
    QUALITY_LEVELS,
    apply_crosswalk,
    build_crosswalk,
)

OLD_BUURTEN = "geo/amsterdam_GEBIED_BUURTEN_oldcodes_wkt.csv"
BUURT_2022 = "geo/amsterdam_indeling_buurt_2022_wgs84.geojson"


@pytest.fixture(scope="module")
def divisions(shared_data):
    old = read_area_geometries(shared_data / OLD_BUURTEN).geometries()
    new = read_area_geometries(shared_data / BUURT_2022).geometries()
    return old, new


@pytest.fixture(scope="module")
def old_to_new(divisions):
    old, new = divisions
    started = time.perf_counter()
    crosswalk = build_crosswalk(
        old, new, source_division="amsterdam-2015", target_division="amsterdam-2022"
    )
    crosswalk.seconds = time.perf_counter() - started
    return crosswalk


# ---------------------------------------------------------------------------- small squares

LEFT, RIGHT, WHOLE = box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 0, 2, 1)


def test_a_rectangle_split_in_two():
    cw = build_crosswalk({"S": WHOLE}, {"L": LEFT, "R": RIGHT}, source_division="old")
    assert [(r.source_code, r.target_code, r.area) for r in cw.rows] == [
        ("S", "L", 1.0),
        ("S", "R", 1.0),
    ]
    assert [(r.share_of_source, r.share_of_target) for r in cw.rows] == [(0.5, 1.0), (0.5, 1.0)]
    assert cw.quality == {"L": "poor", "R": "poor"}
    assert cw.source_coverage == {"S": 1.0}
    assert cw.warnings == []
    counts = apply_crosswalk({"S": 101}, cw)
    assert [(v.target_code, v.value) for v in counts] == [("L", 50.5), ("R", 50.5)]
    assert counts[0].contributions == (("S", 0.5),)
    rates = apply_crosswalk({"S": 0.25}, cw, kind="rate", denominators={"S": 400})
    assert [v.value for v in rates] == [0.25, 0.25]


def test_two_sources_merged_into_one_target():
    cw = build_crosswalk({"L": LEFT, "R": RIGHT}, {"S": WHOLE})
    assert cw.quality == {"S": "exact"}
    (count,) = apply_crosswalk({"L": 30, "R": 10}, cw)
    assert count.value == 40
    assert count.quality == "exact"
    assert count.method == "area"
    # Rate: (0.2 · 300 + 0.6 · 100) / 400 = 0.3, not the plain mean 0.4.
    (rate,) = apply_crosswalk(
        {"L": 0.2, "R": 0.6}, cw, kind="rate", denominators={"L": 300, "R": 100}
    )
    assert math.isclose(rate.value, 0.3)
    assert rate.flags == ()
    # Without denominators the rate is weighted by area (equal here) and says so.
    (by_area,) = apply_crosswalk({"L": 0.2, "R": 0.6}, cw, kind="rate")
    assert math.isclose(by_area.value, 0.4)
    assert by_area.flags == ("rate-weighted-by-area",)


def test_weights_set_the_share_of_the_target_but_not_of_the_source():
    cw = build_crosswalk({"L": LEFT, "R": RIGHT}, {"S": WHOLE}, weights={"L": 300, "R": 100})
    assert cw.method == "dwellings"
    assert [(r.source_code, r.share_of_source, r.share_of_target, r.weight) for r in cw.rows] == [
        ("L", 1.0, 0.75, 300.0),
        ("R", 1.0, 0.25, 100.0),
    ]
    (rate,) = apply_crosswalk({"L": 0.2, "R": 0.6}, cw, kind="rate")
    assert math.isclose(rate.value, 0.3)
    assert rate.flags == ("rate-weighted-by-dwellings",)
    assert "weighted by dwellings" in rate.step
    split = build_crosswalk(
        {"S": WHOLE}, {"L": LEFT, "R": RIGHT}, weights={"S": 10}, weights_name="residents"
    )
    assert [r.weight for r in split.rows] == [5.0, 5.0]
    assert split.method == "residents"


def test_weights_must_be_complete_and_non_negative():
    with pytest.raises(ValueError, match="no weight for 1 source areas: R"):
        build_crosswalk({"L": LEFT, "R": RIGHT}, {"S": WHOLE}, weights={"L": 1})
    with pytest.raises(ValueError, match="≥ 0"):
        build_crosswalk({"L": LEFT, "R": RIGHT}, {"S": WHOLE}, weights={"L": 1, "R": -1})


def test_zero_weights_fall_back_to_area_with_a_warning():
    cw = build_crosswalk({"L": LEFT, "R": RIGHT}, {"S": WHOLE}, weights={"L": 0, "R": 0})
    assert [r.share_of_target for r in cw.rows] == [0.5, 0.5]
    assert cw.warnings == ["target S: its sources have no dwellings; shares by area"]


@pytest.mark.parametrize(
    ("cut", "expected"),
    [
        (10.0, "exact"),  # A is the whole target
        (9.95, "exact"),  # 99.5% of the target from a whole source: a border sliver
        (9.5, "good"),  # 95% from whole sources
        (6.0, "approximate"),  # 60%
        (4.0, "poor"),  # 40%
    ],
)
def test_quality_thresholds(cut, expected):
    # Target T = [0, 10]; source A = [0, cut] lies wholly in T; source B = [cut, 2·10 − cut] is
    # cut in half by T's edge, so it lies only 50% inside.
    sources = {"A": box(0, 0, cut, 1)}
    if cut < 10:
        sources["B"] = box(cut, 0, 20 - cut, 1)
    cw = build_crosswalk(sources, {"T": box(0, 0, 10, 1), "U": box(10, 0, 20, 1)})
    assert cw.quality["T"] == expected


def test_coverage_gaps_and_targets_without_sources():
    cw = build_crosswalk(
        {"S": box(0, 0, 2, 1)},
        {"T": box(0, 0, 1, 1), "EMPTY": box(5, 5, 6, 6)},
        source_division="old",
        target_division="new",
    )
    assert cw.source_coverage == {"S": 0.5}
    assert cw.target_coverage["EMPTY"] == 0.0
    assert cw.quality["EMPTY"] == "none"
    assert cw.warnings == [
        "source S (old): 50.0% of its area lies in no target area",
        "target EMPTY (new): 100.0% of its area lies in no source area",
    ]
    values = {v.target_code: v for v in apply_crosswalk({"S": 10}, cw)}
    assert values["T"].value == 5.0
    assert values["EMPTY"].value is None
    assert values["EMPTY"].contributions == ()


def test_partly_covered_target_is_flagged():
    cw = build_crosswalk({"S": box(0, 0, 1, 1)}, {"T": box(0, 0, 2, 1)})
    assert cw.target_coverage == {"T": 0.5}
    assert cw.quality["T"] == "approximate"  # what there is comes from a whole source ...
    (value,) = apply_crosswalk({"S": 10}, cw)
    assert value.flags == ("target-coverage:0.500",)  # ... but half the target is unknown


def test_missing_sources():
    sources = {"A": box(0, 0, 99.5, 1), "B": box(99.5, 0, 100, 1), "C": box(100, 0, 200, 1)}
    cw = build_crosswalk(sources, {"T": box(0, 0, 100, 1), "U": box(100, 0, 200, 1)})
    values = {v.target_code: v for v in apply_crosswalk({"A": 995, "C": 7}, cw)}
    # B is 0.5% of T: T is computed from A and flagged; nothing is missing for U.
    assert values["T"].value == 995
    assert values["T"].missing_sources == ("B",)
    assert values["T"].flags == ("missing-below-1%:0.0050",)
    assert values["U"].value == 7
    assert values["U"].missing_sources == ()
    # Without A (99.5% of T) there is no value, and it says which source is missing.
    values = {v.target_code: v for v in apply_crosswalk({"B": 5, "C": None}, cw)}
    assert values["T"].value is None
    assert values["T"].missing_sources == ("A",)
    assert values["U"].value is None
    assert values["U"].missing_sources == ("C",)
    # A rate also needs the denominator.
    rates = apply_crosswalk(
        {"A": 0.1, "B": 0.1, "C": 0.1}, cw, kind="rate", denominators={"A": 10, "B": 1}
    )
    assert [(v.value, v.missing_sources) for v in rates] == [(0.1, ()), (None, ("C",))]
    zero = apply_crosswalk({"C": 0.5}, cw, kind="rate", denominators={"C": 0})
    assert (zero[1].value, zero[1].flags) == (None, ("denominator-zero",))
    nan = apply_crosswalk({"A": float("nan"), "B": 1, "C": 1}, cw)
    assert nan[0].missing_sources == ("A",)


def test_identity_crosswalk_of_squares_is_exact():
    squares = {f"Q{i}": box(i, 0, i + 1, 1) for i in range(5)}
    cw = build_crosswalk(squares, squares)
    assert set(cw.quality.values()) == {"exact"}
    assert all(r.source_code == r.target_code for r in cw.rows)


def test_invalid_and_empty_geometries_are_repaired_or_left_out():
    bowtie = Polygon([(0, 0), (2, 1), (2, 0), (0, 1), (0, 0)])
    cw = build_crosswalk({"B": bowtie, "E": Polygon()}, {"T": box(0, 0, 2, 1)})
    assert "source E: empty geometry; left out" in cw.warnings
    assert any(w.startswith("source B: invalid polygon (Self-intersection") for w in cw.warnings)
    # The repaired bow tie is two triangles of 0.5 m², covering half the target.
    assert math.isclose(cw.source_area["B"], 1.0)
    assert math.isclose(cw.target_coverage["T"], 0.5)
    assert cw.quality["T"] == "approximate"


def test_export_rows_and_step_description():
    cw = build_crosswalk(
        {"S": WHOLE}, {"L": LEFT, "R": RIGHT}, source_division="a", target_division="b"
    )
    rows = cw.to_rows()
    assert len(rows) == 2
    assert set(rows[0]) == {
        "source_division",
        "target_division",
        "method",
        "source_code",
        "target_code",
        "intersection_area_m2",
        "share_of_source",
        "share_of_target",
        "weight",
        "target_quality",
    }
    text = cw.step_description()
    assert text.startswith("Harmonised from division a to b by areal interpolation")
    assert "poor 2" in text
    assert "Goodchild & Lam (1980)" in text
    (value, _) = apply_crosswalk({"S": 2}, cw)
    assert value.step == cw.step_description("L")
    assert "target L: quality poor, from S (50.0% of the source" in value.step
    with pytest.raises(ValueError, match="kind"):
        apply_crosswalk({"S": 2}, cw, kind="mean")


def test_empty_inputs():
    cw = build_crosswalk({}, {})
    assert cw.rows == []
    assert cw.quality_counts() == dict.fromkeys(QUALITY_LEVELS, 0)
    assert apply_crosswalk({}, cw) == []


# ---------------------------------------------------------------------------- real files


def test_old_to_2022_buurten_is_fast_and_complete(old_to_new, divisions):
    old, new = divisions
    assert old_to_new.seconds < 3
    assert set(old_to_new.source_area) == set(old)
    assert set(old_to_new.target_area) == set(new)
    assert old_to_new.warnings == []  # no coverage gaps above 1% either way


def test_shares_of_each_source_sum_to_one(old_to_new):
    totals: dict[str, float] = {}
    for row in old_to_new.rows:
        totals[row.source_code] = totals.get(row.source_code, 0) + row.share_of_source
    assert len(totals) == 500
    for code, total in totals.items():
        assert abs(total - 1) < 1e-3, code
        assert math.isclose(total, old_to_new.source_coverage[code], abs_tol=1e-9)
    target_totals: dict[str, float] = {}
    for row in old_to_new.rows:
        target_totals[row.target_code] = target_totals.get(row.target_code, 0) + row.share_of_target
    assert all(math.isclose(t, 1.0) for t in target_totals.values())


def test_quality_flags_are_distributed_sensibly(old_to_new):
    counts = old_to_new.quality_counts()
    assert sum(counts.values()) == 518
    assert counts["none"] == 0
    # The 2022 redivision mostly recoded buurten: most are unchanged, some were split.
    assert counts["exact"] >= 0.8 * 518
    assert 0 < counts["poor"] <= 0.15 * 518
    assert counts["good"] > 0
    assert counts["approximate"] > 0
    # A poor target is mostly made of a piece of a source that was split.
    for target, quality in old_to_new.quality.items():
        main = old_to_new.rows_for_target(target)[0]
        if quality == "poor":
            assert main.share_of_source < 0.9, target
        if quality == "exact":
            assert main.share_of_source > 0.99, target


def test_an_unchanged_buurt_is_exact(old_to_new):
    # Oude Kerk e.o. was A00b and is AE02: same polygon, new code.
    assert old_to_new.quality["AE02"] == "exact"
    main = old_to_new.rows_for_target("AE02")[0]
    assert main.source_code == "A00b"
    assert main.share_of_source > 0.999
    assert main.share_of_target > 0.999
    values = {v.target_code: v for v in apply_crosswalk({"A00b": 1000}, old_to_new)}
    # Other targets lack their sources; AE02 misses only slivers of neighbours (< 1%).
    assert abs(values["AE02"].value - 1000) < 1
    assert values["AE02"].flags[0].startswith("missing-below-1%")
    assert "amsterdam-2015 to amsterdam-2022" in values["AE02"].step


def test_counts_are_conserved(old_to_new, divisions):
    old, _ = divisions
    counts = dict.fromkeys(old, 100.0)
    harmonised = apply_crosswalk(counts, old_to_new)
    assert all(v.value is not None for v in harmonised)
    total = sum(v.value for v in harmonised)
    assert abs(total / sum(counts.values()) - 1) < 1e-4
    # A constant rate stays that rate everywhere.
    rates = apply_crosswalk(dict.fromkeys(old, 0.3), old_to_new, kind="rate", denominators=counts)
    assert all(math.isclose(v.value, 0.3) for v in rates)


def test_identity_crosswalk_of_the_real_buurten_is_exact(divisions):
    _, new = divisions
    cw = build_crosswalk(new, new)
    assert cw.quality_counts()["exact"] == 518
    main = {r.target_code: r for r in cw.rows if r.source_code == r.target_code}
    assert all(r.share_of_source > 0.9999 for r in main.values())
