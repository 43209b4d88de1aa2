"""staat.hierarchy: which area lies in which, derived from published counts, on small tables."""

from __future__ import annotations

import polars as pl

from kansenaudit.staat.hierarchy import derive_parents


def counts(rows: list[tuple[str, str, int, float | None]]) -> pl.DataFrame:
    """A tidy table of (indicator, area_code, period, value) rows."""
    indicator, area, period, value = zip(*rows, strict=True)
    return pl.DataFrame(
        {"indicator": indicator, "area_code": area, "period": period, "value": value},
        schema={
            "indicator": pl.Utf8,
            "area_code": pl.Utf8,
            "period": pl.Int64,
            "value": pl.Float64,
        },
    )


# Four gebieden in two stadsdelen: X = g1 + g3, Y = g2 + g4, on two variables.
GEBIEDEN = counts(
    [
        ("BEVTOTAAL", "g1", 2020, 100.0),
        ("BEVTOTAAL", "g2", 2020, 200.0),
        ("BEVTOTAAL", "g3", 2020, 300.0),
        ("BEVTOTAAL", "g4", 2020, 400.0),
        ("BEV0_17", "g1", 2020, 10.0),
        ("BEV0_17", "g2", 2020, 70.0),
        ("BEV0_17", "g3", 2020, 40.0),
        ("BEV0_17", "g4", 2020, 20.0),
    ]
)
STADSDELEN = counts(
    [
        ("BEVTOTAAL", "X", 2020, 400.0),
        ("BEVTOTAAL", "Y", 2020, 600.0),
        ("BEV0_17", "X", 2020, 50.0),
        ("BEV0_17", "Y", 2020, 90.0),
    ]
)


def test_the_nesting_is_found_from_the_counts():
    mapping, used = derive_parents(GEBIEDEN, STADSDELEN)
    assert mapping == {"g1": "X", "g2": "Y", "g3": "X", "g4": "Y"}
    assert sorted(used) == ["BEV0_17@2020", "BEVTOTAAL@2020"]


def test_counts_that_do_not_nest_give_no_hierarchy():
    # No split of the gebieden sums to 401 and 599: nothing is guessed.
    wrong = STADSDELEN.with_columns(
        pl.when(pl.col("area_code") == "X")
        .then(pl.col("value") + 7)
        .otherwise(pl.col("value") - 7)
        .alias("value")
    )
    assert derive_parents(GEBIEDEN, wrong) is None


def test_rounding_within_the_tolerance_is_accepted_and_beyond_it_refused():
    # Published counts are rounded per area: X off by 1 with 4 gebieden (slack 0.5 x 4 = 2).
    rounded = STADSDELEN.with_columns(
        pl.when((pl.col("area_code") == "X") & (pl.col("indicator") == "BEVTOTAAL"))
        .then(pl.col("value") + 1)
        .otherwise(pl.col("value"))
        .alias("value")
    )
    mapping, _used = derive_parents(GEBIEDEN, rounded)
    assert mapping == {"g1": "X", "g2": "Y", "g3": "X", "g4": "Y"}
    assert derive_parents(GEBIEDEN, rounded, tolerance=0.1) is None


def test_a_variable_missing_for_one_area_is_not_used():
    partial = pl.concat(
        [GEBIEDEN, counts([("WVOORRBAG", "g1", 2020, 5.0), ("WVOORRBAG", "g2", 2020, 6.0)])]
    )
    parents = pl.concat([STADSDELEN, counts([("WVOORRBAG", "X", 2020, 999.0)])])
    mapping, used = derive_parents(partial, parents)
    assert "WVOORRBAG@2020" not in used
    assert mapping["g3"] == "X"


def test_an_area_without_any_count_is_left_out():
    # An empty "not assigned" stadsdeel (only missing values) is not a candidate parent.
    parents = pl.concat([STADSDELEN, counts([("BEVTOTAAL", "Z", 2020, None)])])
    mapping, _used = derive_parents(GEBIEDEN, parents)
    assert set(mapping.values()) == {"X", "Y"}


def test_no_variable_in_common_gives_no_hierarchy():
    other = counts([("BEVMAN", "X", 2020, 400.0), ("BEVMAN", "Y", 2020, 600.0)])
    assert derive_parents(GEBIEDEN, other) is None
