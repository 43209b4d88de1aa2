"""The KWB reader on the real Wijk- en Buurtkaart 2017 tables and the student extract."""

from __future__ import annotations

import csv

import polars as pl
import pytest

from kansenaudit.data.cbs_kwb import KWB_SENTINELS, read_kwb
from kansenaudit.data.tidy import TIDY_SCHEMA, SourceFormatError

WIJKEN = "cbs_kwb/kwb2017_wijken_nl_from_wijkbuurtkaart.csv"
GEMEENTEN = "cbs_kwb/kwb2017_gemeenten_nl_from_wijkbuurtkaart.csv"
EXTRACT = "cbs_kwb/amsterdam_buurten_kwb_extract.csv"
TEXT_COLUMNS = ["WK_CODE", "WK_NAAM", "GM_CODE", "GM_NAAM", "IND_WBI", "WATER"]


def _rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def wijken(shared_data):
    return read_kwb(shared_data / WIJKEN, year=2017)


def test_all_wijken_counts_match_sources_md(wijken, shared_data):
    raw = _rows(shared_data / WIJKEN)
    assert len(raw) == 3159
    water = [r["WK_CODE"] for r in raw if r["WATER"] == "JA"]
    meta = wijken.meta
    assert meta["rows_in_scope"] == 3159
    assert meta["code_column"] == "WK_CODE"
    assert meta["text_columns"] == TEXT_COLUMNS
    assert len(meta["indicators"]) == 36 - len(TEXT_COLUMNS)
    assert meta["indicators"][:3] == ["oad", "sted", "aant_inw"]
    assert len(meta["water_rows"]) == len(water) == 88
    assert [w.code for w in wijken.warnings] == water
    assert all(w.field == "WATER" and w.row for w in wijken.warnings)
    assert wijken.errors == []
    table = wijken.table
    assert table.columns == list(TIDY_SCHEMA)
    assert table["area_code"].n_unique() == 3159 - 88
    assert set(table["area_level"]) == {"wijk"}
    assert set(table["period"]) == {2017}
    assert set(table["release"]) == {"2017"}
    assert table.height == (3159 - 88) * 30


def test_sentinel_rows_match_sources_md(shared_data):
    result = read_kwb(shared_data / WIJKEN, year=2017, include_water=True)
    raw = _rows(shared_data / WIJKEN)
    expected = [
        line
        for line, r in enumerate(raw, start=2)
        if any(v in ("-99999999", "-99999999.0") for v in r.values())
    ]
    assert len(expected) == 564
    assert result.meta["sentinel_rows"] == expected
    flagged = result.table.filter(pl.col("flags").list.contains("sentinel:-99999999"))
    assert sorted(flagged["row"].unique()) == expected
    assert flagged["value"].null_count() == flagged.height
    assert flagged["flags"].list.contains("secret").all()
    assert flagged["flags"].list.contains("missing").all()
    assert result.table["area_code"].n_unique() == 3159
    water = result.table.filter(pl.col("flags").list.contains("water"))
    assert water["row"].n_unique() == 88
    assert result.issues == []


def test_amsterdam_filter_and_values_match_an_independent_read(shared_data):
    result = read_kwb(shared_data / WIJKEN, year=2017, municipality="GM0363")
    raw = [
        (line, r)
        for line, r in enumerate(_rows(shared_data / WIJKEN), start=2)
        if r["GM_CODE"] == "GM0363"
    ]
    assert len(raw) == 100  # SOURCES.md
    assert result.meta["rows_in_scope"] == 100
    [water] = result.warnings
    assert (water.code, water.field) == ("WK036399", "WATER")
    assert water.row == next(line for line, r in raw if r["WK_CODE"] == "WK036399")
    table = result.table
    assert table["area_code"].n_unique() == 99
    got = {(r["row"], r["indicator"]): r for r in table.iter_rows(named=True)}
    checked = 0
    for line, r in raw:
        if r["WATER"] == "JA":
            continue
        for column, cell in r.items():
            if column in TEXT_COLUMNS:
                continue
            row = got[(line, column.lower())]
            assert row["area_code"] == r["WK_CODE"]
            if float(cell) == -99999999:
                assert row["value"] is None
            else:
                assert row["value"] == float(cell)
            checked += 1
    assert checked == 99 * 30
    burgwallen = table.filter(pl.col("area_code") == "WK036300")
    assert dict(burgwallen.select("indicator", "value").rows())["aant_inw"] == 4245
    assert result.meta["area_names"]["WK036300"] == "Burgwallen-Oude Zijde"


def test_float_formatted_sentinel_is_recognised(shared_data):
    result = read_kwb(shared_data / WIJKEN, year=2017, municipality="GM0363")
    ijburg = result.table.filter(
        (pl.col("area_code") == "WK036350") & (pl.col("indicator") == "gem_hh_gr")
    ).row(0, named=True)
    assert ijburg["value"] is None  # written as -99999999.0 in the DBF's float column
    assert ijburg["flags"] == ["secret", "missing", "sentinel:-99999999"]
    assert KWB_SENTINELS[-99999999] == ("secret", "missing")


def test_gemeenten_water_rows_would_duplicate_codes(shared_data):
    raw = _rows(shared_data / GEMEENTEN)
    assert len(raw) == 477
    result = read_kwb(shared_data / GEMEENTEN, year=2017)
    assert result.meta["code_column"] == "GM_CODE"
    assert set(result.table["area_level"]) == {"gemeente"}
    assert result.table.select("indicator", "area_code").is_unique().all()
    assert result.table["area_code"].n_unique() == 477 - 88
    amsterdam = dict(
        result.table.filter(pl.col("area_code") == "GM0363").select("indicator", "value").rows()
    )
    assert amsterdam["aant_inw"] == 844947
    kept = read_kwb(shared_data / GEMEENTEN, year=2017, include_water=True)
    assert not kept.table.select("indicator", "area_code").is_unique().all()


def test_student_extract(shared_data):
    result = read_kwb(shared_data / EXTRACT, year=2020, municipality="GM0363")
    raw = _rows(shared_data / EXTRACT)
    assert len(raw) == 479
    assert result.meta["layout"] == "student-extract"
    assert result.meta["code_column"] == "buurtcode"
    assert result.meta["text_columns"] == ["stadsdeel", "buurtcode", "buurtnaam"]
    assert len(result.meta["indicators"]) == 21
    [warning] = result.warnings
    assert (warning.row, warning.code) == (1, "2020")
    table = result.table
    assert table["area_code"].n_unique() == 479
    assert set(table["area_level"]) == {"buurt"}
    first = dict(
        table.filter(pl.col("area_code") == raw[0]["buurtcode"]).select("indicator", "value").rows()
    )
    assert first["aantal_inwoners"] == float(raw[0]["aantal_inwoners"]) == 1115
    assert first["gemiddelde_huishoudsgrootte"] == 1.4
    elsewhere = read_kwb(shared_data / EXTRACT, year=2020, municipality="GM0599")
    assert elsewhere.table.height == 0
    assert elsewhere.meta["rows_in_scope"] == 0


# --- broken input -------------------------------------------------------------------------


def _write(tmp_path, text: str, name: str = "kwb.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


HEADER = "WK_CODE,WK_NAAM,GM_CODE,WATER,AANT_INW,P_WEST_AL\n"


def test_non_numeric_value_is_an_error_not_a_dropped_row(tmp_path):
    path = _write(
        tmp_path,
        HEADER + "WK036300,A,GM0363,NEE,4245,10\nWK036301,B,GM0363,NEE,12a,11\n"
        "WK036302,C,GM0363,NEE,800,12\n",
    )
    result = read_kwb(path, year=2017)
    [error] = result.errors
    assert (error.file, error.row, error.field, error.code) == (str(path), 3, "AANT_INW", "12a")
    assert "WK036301" in error.message
    bad = result.table.filter((pl.col("row") == 3) & (pl.col("indicator") == "aant_inw"))
    assert bad["flags"].to_list() == [["invalid"]]
    assert result.table.height == 6


def test_unknown_sentinel_is_a_warning(tmp_path):
    path = _write(tmp_path, HEADER + "WK036300,A,GM0363,NEE,-99999995,-99999997\n")
    result = read_kwb(path, year=2020)
    [warning] = result.warnings
    assert (warning.row, warning.field, warning.code) == (2, "AANT_INW", "-99999995")
    assert result.table["flags"].to_list() == [
        ["missing", "sentinel:-99999995"],
        ["secret", "sentinel:-99999997"],
    ]


def test_truncated_file(shared_data, tmp_path):
    text = (shared_data / WIJKEN).read_text(encoding="utf-8")
    cut = text[: text.index("WK000500") + 40]
    result = read_kwb(_write(tmp_path, cut, "cut.csv"), year=2017)
    [error] = result.errors
    assert (error.row, error.code) == (3, "WK000500")
    assert error.file.endswith("cut.csv")
    assert result.table["area_code"].unique().to_list() == ["WK000300"]


def test_wrong_encoding_is_read_with_a_warning(tmp_path):
    path = _write(tmp_path, HEADER + "WK036300,Café,GM0363,NEE,1,2\n", encoding="cp1252")
    result = read_kwb(path, year=2017)
    [warning] = result.warnings
    assert (warning.row, warning.code) == (2, "0xE9")
    assert result.meta["area_names"]["WK036300"] == "Café"


def test_semicolon_file_is_a_format_error(tmp_path):
    path = _write(tmp_path, HEADER.replace(",", ";") + "WK036300;A;GM0363;NEE;1;2\n")
    with pytest.raises(SourceFormatError) as err:
        read_kwb(path, year=2017)
    assert (err.value.file, err.value.row) == (str(path), 1)


def test_missing_code_column_is_a_format_error(tmp_path):
    path = _write(tmp_path, "NAAM,AANT_INW\nA,1\n")
    with pytest.raises(SourceFormatError, match="BU_CODE, WK_CODE of GM_CODE") as err:
        read_kwb(path, year=2017)
    assert (err.value.file, err.value.row) == (str(path), 1)


def test_empty_file_is_a_format_error(tmp_path):
    path = _write(tmp_path, "")
    with pytest.raises(SourceFormatError, match="leeg") as err:
        read_kwb(path, year=2017)
    assert (err.value.file, err.value.row) == (str(path), 1)
