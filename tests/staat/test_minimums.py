"""The BBGA metadata's area-size minimums: taken from the metadata, applied to the values."""

from __future__ import annotations

from types import SimpleNamespace

import polars as pl

from kansenaudit.data.catalogue import AMSTERDAM_CATALOGUE, by_key
from kansenaudit.data.tidy import TIDY_SCHEMA
from kansenaudit.staat.compute import prepare_values
from kansenaudit.staat.inputs_city import bbga_minimums
from kansenaudit.staat.model import AreaInfo, StaatInputs


def test_the_metadata_minimum_replaces_the_catalogue_rule_and_is_noted():
    metadata = {
        "WBEZET": SimpleNamespace(min_population=None, min_dwellings=250),
        "IWWB_P": SimpleNamespace(min_population=None, min_dwellings=None),
    }
    notes: list[str] = []
    catalogue = by_key(bbga_minimums(AMSTERDAM_CATALOGUE, metadata, notes))  # type: ignore[arg-type]
    assert by_key(AMSTERDAM_CATALOGUE)["woningbezetting"].min_dwellings == 100
    assert catalogue["woningbezetting"].min_dwellings == 250
    assert catalogue["bijstand"] == by_key(AMSTERDAM_CATALOGUE)["bijstand"]
    assert len(notes) == 1
    assert "Gemiddelde woningbezetting (250 woningen)" in notes[0]


def test_without_a_minimum_in_the_metadata_nothing_changes():
    notes: list[str] = []
    assert bbga_minimums(AMSTERDAM_CATALOGUE, {}, notes) == AMSTERDAM_CATALOGUE  # type: ignore[arg-type]
    assert notes == []


def _tidy(rows: list[dict]) -> pl.DataFrame:
    base = {
        "group": "totaal",
        "period": 2020,
        "n": None,
        "numerator": None,
        "denominator": None,
        "source": "generated",
        "release": "test",
        "source_file": "generated.csv",
        "row": 1,
        "is_prognosis": False,
        "flags": [],
    }
    return pl.DataFrame([{**base, **row} for row in rows], schema=TIDY_SCHEMA)


def test_values_of_areas_with_too_few_dwellings_are_withheld():
    """Generated gebieden: occupancy is shown only where the area has 100 dwellings or more."""
    dwellings = {"G1": 40.0, "G2": 99.0, "G3": 100.0, "G4": 5000.0, "G5": None}
    rows = []
    for code, homes in dwellings.items():
        rows.append(
            {"indicator": "woningbezetting", "area_code": code, "area_level": "gebied",
             "value": 2.1}
        )  # fmt: skip
        if homes is not None:
            rows.append(
                {"indicator": "woningen", "area_code": code, "area_level": "gebied",
                 "value": homes}
            )  # fmt: skip
    inputs = StaatInputs(
        city_code="GM0000",
        city_name="Teststad",
        catalogue=AMSTERDAM_CATALOGUE,
        values=_tidy(rows),
        prognoses=_tidy([]),
        areas={code: AreaInfo(code, f"Gebied {code}", "gebied") for code in dwellings},
    )
    values = prepare_values(inputs).filter(pl.col("indicator") == "woningbezetting")
    reasons = dict(zip(values["area_code"], values["suppressed"], strict=True))
    # G5: the number of dwellings is not known, so the rule cannot be applied (as for residents).
    assert reasons == {"G1": "woningen<min", "G2": "woningen<min", "G3": None, "G4": None,
                       "G5": None}  # fmt: skip
    shown = values.filter(pl.col("shown_value").is_not_null())
    assert sorted(shown["area_code"]) == ["G3", "G4", "G5"]
