"""staat.harmonise: CBS buurten of the 2015 division carried to the 2022 gebieden, on squares."""

from __future__ import annotations

import polars as pl
import pytest
import shapely

from kansenaudit.data.geo import AreaGeometry
from kansenaudit.data.tidy import tidy_frame
from kansenaudit.staat.harmonise import harmonise_to_gebieden_2022, old_division_areas


def area(code: str, level: str, box: tuple[float, float, float, float], **extra) -> AreaGeometry:
    return AreaGeometry(
        code=code,
        name=f"naam {code}",
        level=level,
        division=extra.pop("division", "amsterdam-2015"),
        parent_code=None,
        cbs_code=None,
        valid_from=None,
        valid_to=None,
        geometry=shapely.box(*box),
        **extra,
    )


# Wijk A00 of the old division: two buurten side by side, and a Weesp buurt without a CBS code.
BUURTEN_2015 = [
    area("A00a", "buurt", (0, 0, 100, 100)),
    area("A00b", "buurt", (100, 0, 200, 100)),
    area("SAA1", "buurt", (500, 500, 600, 600)),
]
# One 2022 gebied covering both old buurten, in stadsdeel A.
GEBIEDEN_2022 = [
    area(
        "GA01",
        "gebied",
        (0, 0, 200, 100),
        division="amsterdam-2022",
        hierarchy={"stadsdeel": "A"},
    )
]


def ses_values(rows: list[tuple[str, str, float]], *, period: int = 2019) -> pl.DataFrame:
    return tidy_frame(
        {
            "indicator": [r[0] for r in rows],
            "area_code": [r[1] for r in rows],
            "area_level": ["buurt"] * len(rows),
            "period": [period] * len(rows),
            "value": [r[2] for r in rows],
            "source": ["cbs_ses"] * len(rows),
            "source_file": ["ses.csv"] * len(rows),
        }
    )


def test_old_buurten_get_cbs_codes_and_their_wijk_its_union():
    areas = old_division_areas(BUURTEN_2015, {"BU03630001": "Burgwallen-Oost"})
    assert set(areas) == {"BU03630000", "BU03630001", "WK036300"}  # Weesp has no CBS code
    assert areas["BU03630000"].level == "buurt"
    assert areas["BU03630000"].parent_code == "WK036300"
    assert areas["BU03630000"].name == "naam A00a"  # no published name: the layer's
    assert areas["BU03630001"].name == "Burgwallen-Oost"
    wijk = areas["WK036300"]
    assert (wijk.level, wijk.parent_code) == ("wijk", "A")  # the stadsdeel letter of the code
    assert shapely.geometry.shape(wijk.geometry).area == pytest.approx(200 * 100)


def test_counts_are_summed_and_shares_weighted_by_households():
    values = ses_values(
        [
            ("huishoudens", "BU03630000", 100.0),
            ("huishoudens", "BU03630001", 300.0),
            ("aandeel_laag_inkomen", "BU03630000", 0.2),
            ("aandeel_laag_inkomen", "BU03630001", 0.6),
        ]
    )
    table, crosswalk, gebieden = harmonise_to_gebieden_2022(values, BUURTEN_2015, GEBIEDEN_2022)
    rows = {row["indicator"]: row for row in table.iter_rows(named=True)}
    assert set(rows) == {"huishoudens", "aandeel_laag_inkomen"}
    assert rows["huishoudens"]["value"] == pytest.approx(400)
    # (0.2 x 100 + 0.6 x 300) / 400 households
    assert rows["aandeel_laag_inkomen"]["value"] == pytest.approx(0.5)
    for row in rows.values():
        assert (row["area_code"], row["area_level"], row["period"]) == ("GA01", "gebied", 2019)
        assert row["n"] == pytest.approx(400)
        assert (row["source"], row["source_file"]) == ("cbs_ses", "ses.csv")
        assert row["flags"][0].startswith("omgerekend:")
    assert crosswalk["period"].unique().to_list() == [2019]
    assert gebieden["GA01"].parent_code == "A"
    assert gebieden["GA01"].level == "gebied"


def test_each_year_gets_its_own_crosswalk():
    values = pl.concat(
        [
            ses_values([("huishoudens", "BU03630000", 100.0)], period=2019),
            ses_values(
                [("huishoudens", "BU03630000", 50.0), ("huishoudens", "BU03630001", 50.0)],
                period=2021,
            ),
        ]
    )
    table, crosswalk, _ = harmonise_to_gebieden_2022(values, BUURTEN_2015, GEBIEDEN_2022)
    by_year = dict(zip(table["period"], table["value"], strict=True))
    assert by_year == pytest.approx({2019: 100, 2021: 100})
    assert sorted(crosswalk["period"].unique().to_list()) == [2019, 2021]


def test_nothing_at_buurt_level_gives_empty_results():
    values = ses_values([("huishoudens", "BU03630000", 100.0)]).with_columns(
        pl.lit("wijk").alias("area_level")
    )
    table, crosswalk, gebieden = harmonise_to_gebieden_2022(values, BUURTEN_2015, GEBIEDEN_2022)
    assert table.is_empty()
    assert crosswalk.is_empty()
    assert gebieden == {}
