"""The StatLine CSV reader on the real downloads and on broken copies of them."""

from __future__ import annotations

import csv

import polars as pl
import pytest

from kansenaudit.data.cbs_statline import (
    CBS_SYMBOLS,
    indicator_key,
    parse_period,
    read_statline_csv,
)
from kansenaudit.data.tidy import TIDY_SCHEMA, SourceFormatError

SES = "cbs_ses/ses_woa_85163NED_amsterdam_2019.csv"
TRANSPOSED = "cbs_other/nabijheid_voorzieningen_2021_statline_transposed_sample_aa_en_hunze.csv"


@pytest.fixture(scope="module")
def ses_rows(shared_data):
    """The SES download read independently with the csv module: (line, fields) per data row."""
    with open(shared_data / SES, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    return rows[0], list(enumerate(rows[1:], start=2))


@pytest.fixture(scope="module")
def ses(shared_data):
    return read_statline_csv(shared_data / SES, table_id="85163NED")


def _ses_text(shared_data) -> str:
    return (shared_data / SES).read_text(encoding="utf-8-sig")


# --- the regular layout, real file --------------------------------------------------------


def test_regular_layout_counts_match_sources_md(ses):
    table = ses.table
    assert table.columns == list(TIDY_SCHEMA)
    assert ses.meta["layout"] == "regular"
    assert ses.meta["separator"] == ";"
    assert ses.meta["encoding"] == "utf-8"
    assert ses.meta["decimal_mark"] == "."
    assert ses.issues == []
    levels = dict(table.group_by("area_level").agg(pl.col("area_code").n_unique()).iter_rows())
    assert levels == {"gemeente": 1, "wijk": 99, "buurt": 479}  # 579 rows in SOURCES.md
    assert table.height == 579 * 6
    assert set(table["period"]) == {2019}
    assert set(table["group"]) == {"totaal"}
    assert set(table["release"]) == {"85163NED"}
    assert set(table["source_file"]) == {"ses_woa_85163NED_amsterdam_2019.csv"}


def test_original_headers_are_kept_in_meta(ses, ses_rows):
    header, _ = ses_rows
    assert list(ses.meta["columns"].values()) == header[3:]
    assert ses.meta["columns"]["ses_woa_totaalscore_gemiddelde_score"] == (
        "SES-WOA/Totaalscore/Gemiddelde score (Getal)"
    )
    assert ses.meta["units"]["opleidingsniveau_laag_waarde_pct"] == "%"
    assert ses.meta["area_names"]["GM0363"] == "Amsterdam"


def test_every_value_matches_an_independent_csv_read(ses, ses_rows):
    _, rows = ses_rows
    keys = list(ses.meta["columns"])
    got = {
        (r["row"], r["indicator"]): (r["area_code"], r["value"], r["flags"])
        for r in ses.table.iter_rows(named=True)
    }
    assert len(got) == ses.table.height
    for line, fields in rows:
        for key, cell in zip(keys, fields[3:], strict=True):
            code, value, flags = got[(line, key)]
            assert code == fields[2].strip()
            if cell.strip() == ".":
                assert value is None, (line, key)
                assert flags == ["missing"]
            else:
                assert value == float(cell), (line, key)
                assert flags == []


def test_specific_values(ses):
    def value(code: str, key: str) -> float | None:
        rows = ses.table.filter((pl.col("area_code") == code) & (pl.col("indicator") == key))
        assert rows.height == 1
        return rows["value"][0]

    assert value("GM0363", "particuliere_huishoudens") == 457400
    assert value("GM0363", "ses_woa_totaalscore_gemiddelde_score") == -0.1
    assert value("WK036300", "opleidingsniveau_hoog_waarde_pct") == 58.2
    assert value("BU03630100", "particuliere_huishoudens") == 0  # Stationsplein e.o.
    assert value("BU03630100", "opleidingsniveau_laag_waarde_pct") is None
    row = ses.table.filter(pl.col("area_code") == "BU03639801")["row"].unique().to_list()
    assert row == [580]  # the last line of the file


def test_missing_symbol_count_matches_the_file(ses, ses_rows):
    _, rows = ses_rows
    dots = sum(1 for _, fields in rows for cell in fields[3:] if cell.strip() == ".")
    missing = ses.table.filter(pl.col("flags").list.contains("missing"))
    assert missing.height == dots == 450
    assert missing["value"].null_count() == dots


# --- the transposed layout, real file -----------------------------------------------------


@pytest.fixture(scope="module")
def transposed(shared_data):
    return read_statline_csv(shared_data / TRANSPOSED)


def test_transposed_layout_is_detected(transposed):
    meta = transposed.meta
    assert meta["layout"] == "transposed"
    assert meta["decimal_mark"] == ","
    assert meta["title"].startswith("Nabijheid voorzieningen")
    assert meta["footer"] == ["Bron: CBS"]
    assert len(meta["columns"]) == 110
    assert transposed.table.height == 110 * 8
    levels = dict(transposed.table.select("area_code", "area_level").unique().iter_rows())
    assert levels == {
        "NL00": "land",
        "GM1680": "gemeente",
        "WK168000": "wijk",
        "WK168001": "wijk",
        "BU16800000": "buurt",
        "BU16800009": "buurt",
        "BU16800100": "buurt",
        "BU16800109": "buurt",
    }
    assert meta["area_names"]["WK168000"] == "Wijk 00 Annen"
    assert "Regioaanduiding|Soort regio" in meta["region_attributes"]


def test_transposed_period_comes_from_the_title_with_a_warning(transposed, shared_data):
    assert set(transposed.table["period"]) == {2021}
    [warning] = transposed.warnings
    assert (warning.row, warning.field, warning.code) == (1, "titel", "2021")
    assert warning.file.endswith(TRANSPOSED.split("/")[1])
    given = read_statline_csv(shared_data / TRANSPOSED, period=2021)
    assert given.issues == []
    assert given.table.equals(transposed.table)


def test_transposed_values_match_an_independent_read(transposed, shared_data):
    with open(shared_data / TRANSPOSED, encoding="utf-8-sig", newline="") as handle:
        lines = list(enumerate(csv.reader(handle, delimiter=";"), start=1))
    codes = next(f for _, f in lines if f and f[0] == "Regioaanduiding|Codering")[2:]
    topics = [
        (n, f) for n, f in lines if len(f) == 10 and ("|" in f[0] or f[0].startswith("Afstand"))
    ]
    topics = [(n, f) for n, f in topics if not f[0].startswith("Regioaanduiding")]
    assert len(topics) == 110
    got = {(r["row"], r["area_code"]): r for r in transposed.table.iter_rows(named=True)}
    for line, fields in topics:
        for code, cell in zip(codes, fields[2:], strict=True):
            row = got[(line, code)]
            if cell == ".":
                assert row["value"] is None
                assert "missing" in row["flags"]
            else:
                assert row["value"] == float(cell.replace(",", "."))
                assert "decimal-comma" in row["flags"]
    # "Afstand tot huisartsenpraktijk" for Aa en Hunze is 2,5 km
    key = "gezondheid_en_welzijn_huisartsenpraktijk_afstand_tot_huisartsenpraktijk"
    assert transposed.meta["units"][key] == "km"
    assert got[(9, "GM1680")]["value"] == 2.5
    assert got[(9, "GM1680")]["indicator"] == key


def test_transposed_without_codering_row_uses_names(shared_data, tmp_path):
    text = (shared_data / TRANSPOSED).read_text(encoding="utf-8-sig")
    kept = [line for line in text.splitlines() if "Regioaanduiding|Codering" not in line]
    path = tmp_path / "no_codes.csv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = read_statline_csv(path, period=2021)
    assert set(result.table["area_level"]) == {"overig"}
    assert "Aa en Hunze" in set(result.table["area_code"])
    named = [i for i in result.warnings if i.code == "Aa en Hunze"]
    assert named[0].row == 4
    assert named[0].file == str(path)


def test_transposed_without_any_year_needs_period(shared_data, tmp_path):
    text = (shared_data / TRANSPOSED).read_text(encoding="utf-8-sig")
    path = tmp_path / "no_year.csv"
    path.write_text(text.replace("buurtcijfers 2021", "buurtcijfers"), encoding="utf-8")
    with pytest.raises(SourceFormatError) as err:
        read_statline_csv(path)
    assert err.value.file == str(path)
    assert err.value.field == "Perioden"
    assert err.value.row == 4
    assert "no_year.csv" in str(err.value)


# --- separators, symbols, periods ---------------------------------------------------------


def test_comma_and_tab_separated_copies_read_the_same(ses, ses_rows, tmp_path):
    header, rows = ses_rows
    for separator, name in ((",", "comma.csv"), ("\t", "tab.csv")):
        path = tmp_path / name
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=separator, quoting=csv.QUOTE_ALL)
            writer.writerow(header)
            writer.writerows(fields for _, fields in rows)
        result = read_statline_csv(path, table_id="85163NED")
        assert result.meta["separator"] == separator
        assert result.meta["encoding"] == "utf-8"
        assert result.table.drop("source_file").equals(ses.table.drop("source_file"))


def _small(tmp_path, lines: list[str], name: str = "small.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


HEADER = '"Perioden";"Wijken en buurten";"Regiocode (gemeente, wijk, buurt) (code)";"Score (Getal)"'


def test_statistical_symbols_become_flags(tmp_path):
    cells = [".", "x", "-", "", "?", "1,5", "  2.25", "abc"]
    lines = [HEADER] + [
        f'"2019";"Buurt {i}";"BU036300{i:02d}";"{cell}"' for i, cell in enumerate(cells)
    ]
    result = read_statline_csv(_small(tmp_path, lines))
    got = [(r["value"], r["flags"]) for r in result.table.iter_rows(named=True)]
    assert got == [
        (None, ["missing"]),
        (None, ["secret"]),
        (0.0, ["nil"]),
        (None, ["not-applicable"]),
        (None, ["unreliable"]),
        (1.5, ["decimal-comma"]),
        (2.25, []),
        (None, ["invalid"]),
    ]
    [error] = result.errors
    assert error.file == str(tmp_path / "small.csv")
    assert (error.row, error.field, error.code) == (9, "Score (Getal)", "abc")
    assert "BU03630007" in error.message
    assert set(CBS_SYMBOLS) >= {".", "x", "-", ""}


def test_period_formats(tmp_path):
    lines = [
        HEADER,
        '"2019JJ00";"A";"BU03630000";"1"',
        '"2020*";"A";"BU03630000";"2"',
        '"2019KW01";"A";"BU03630000";"3"',
        '"2021";"A";"BU03630000";"4"',
    ]
    result = read_statline_csv(_small(tmp_path, lines))
    assert result.table.select("period", "value", "row").rows() == [
        (2019, 1.0, 2),
        (2020, 2.0, 3),
        (2021, 4.0, 5),
    ]
    assert result.table["flags"].to_list()[1] == ["provisional"]
    [error] = result.errors
    assert (error.row, error.field, error.code) == (4, "Perioden", "2019KW01")
    assert error.file.endswith("small.csv")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2019", (2019, [])), ("2019JJ00", (2019, [])), ("2020**", (2020, ["provisional"]))],
)
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["2019MM01", "2018/2019", "19", "", "2019-2020"])
def test_parse_period_refuses_non_years(text):
    with pytest.raises(ValueError, match="geen jaarperiode"):
        parse_period(text)


def test_indicator_keys_are_unique_within_a_file(tmp_path):
    lines = [
        '"Perioden";"Regio\'s";"Codering (code)";"Laag (%)";"Laag (%)"',
        '"2019";"Amsterdam";"GM0363";"1";"2"',
    ]
    result = read_statline_csv(_small(tmp_path, lines))
    assert list(result.meta["columns"]) == ["laag_pct", "laag_pct_2"]
    [warning] = result.warnings
    assert (warning.row, warning.code) == (1, "laag_pct_2")
    assert indicator_key("Particuliere huishoudens (Aantal)") == "particuliere_huishoudens"


def test_other_dimensions_become_groups(tmp_path):
    lines = [
        '"Geslacht";"Perioden";"Regio\'s";"Codering (code)";"Inwoners (aantal)"',
        '"Totaal mannen en vrouwen";"2019";"Amsterdam";"GM0363";"10"',
        '"Vrouwen";"2019";"Amsterdam";"GM0363";"6"',
    ]
    result = read_statline_csv(_small(tmp_path, lines))
    assert result.table["group"].to_list() == ["totaal", "geslacht:Vrouwen"]
    assert result.meta["dimensions"] == ["Geslacht"]


# --- broken input -------------------------------------------------------------------------


def test_wrong_separator_is_a_format_error(shared_data, tmp_path):
    path = tmp_path / "pipes.csv"
    path.write_text(_ses_text(shared_data).replace('";"', '"|"'), encoding="utf-8")
    with pytest.raises(SourceFormatError) as err:
        read_statline_csv(path)
    assert err.value.file == str(path)
    assert err.value.row == 1
    assert "pipes.csv, regel 1" in str(err.value)
    assert "scheidingsteken" in str(err.value)


def test_truncated_file_reports_the_last_line_and_keeps_the_rest(shared_data, tmp_path):
    text = _ses_text(shared_data)
    path = tmp_path / "truncated.csv"
    path.write_text(text[: text.rindex('"   0.131"') + 5], encoding="utf-8")
    result = read_statline_csv(path)
    [error] = result.errors
    assert error.file == str(path)
    assert (error.row, error.code) == (579, "BU03639800")
    assert "afgebroken" in error.message
    assert result.table["area_code"].n_unique() == 577


def test_wrong_encoding_warns_with_line_and_byte(shared_data, tmp_path):
    text = _ses_text(shared_data).replace('"Oude Kerk e.o."', '"Oude Kërk e.o."')
    path = tmp_path / "cp1252.csv"
    path.write_bytes(text.encode("cp1252"))
    result = read_statline_csv(path)
    [warning] = result.warnings
    assert warning.file == str(path)
    assert (warning.row, warning.code) == (5, "0xEB")
    assert result.meta["encoding"] == "cp1252"
    assert result.meta["area_names"]["BU03630001"] == "Oude Kërk e.o."
    assert result.table.height == 579 * 6


def test_non_numeric_value_is_flagged_not_dropped(shared_data, tmp_path):
    text = _ses_text(shared_data).replace('"  -0.022"', '"  -0,02,2"', 1)
    path = tmp_path / "bad_value.csv"
    path.write_text(text, encoding="utf-8-sig")
    result = read_statline_csv(path)
    [error] = result.errors
    assert error.file == str(path)
    assert (error.row, error.code) == (3, "-0,02,2")
    assert error.field == "SES-WOA/Totaalscore/Gemiddelde score (Getal)"
    assert "WK036300" in error.message
    bad = result.table.filter((pl.col("row") == 3) & pl.col("flags").list.contains("invalid"))
    assert bad.height == 1
    assert bad["value"][0] is None
    assert result.table.height == 579 * 6


def test_missing_code_column_uses_names_and_warns(ses_rows, tmp_path):
    header, rows = ses_rows
    path = tmp_path / "no_code.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerow(header[:2] + header[3:])
        writer.writerows(fields[:2] + fields[3:] for _, fields in rows)
    result = read_statline_csv(path)
    assert set(result.table["area_level"]) == {"overig"}
    first = result.warnings[0]
    assert (first.file, first.row, first.field) == (str(path), 1, "Wijken en buurten")
    per_name = {i.code: i for i in result.warnings if i.code and "naam gebruikt" in i.message}
    assert per_name["Amsterdam"].row == 2
    assert len(per_name) == 574
    # Wijken and buurten share names (Frankendael, Betondorp, …): each repeat is reported
    repeats = [i for i in result.warnings if "komt al voor" in i.message]
    assert {i.code for i in repeats} == {
        "Frankendael",
        "Betondorp",
        "Kadoelen",
        "De Punt",
        "Middelveldsche Akerpolder",
    }
    assert all(i.row and i.file == str(path) for i in repeats)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_empty_file_is_a_format_error(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(SourceFormatError) as err:
        read_statline_csv(path)
    assert (err.value.file, err.value.row) == (str(path), 1)
    assert "leeg" in str(err.value)


def test_header_without_topics_or_period_is_a_format_error(tmp_path):
    no_topics = _small(tmp_path, ['"Perioden";"Regio\'s";"Iets"', '"2019";"A";"1"'], "a.csv")
    with pytest.raises(SourceFormatError, match="onderwerpkolommen") as err:
        read_statline_csv(no_topics)
    assert err.value.row == 1
    no_period = _small(tmp_path, ['"Regio\'s";"Codering (code)";"X (%)"', '"A";"GM0363";"1"'])
    with pytest.raises(SourceFormatError, match="Perioden"):
        read_statline_csv(no_period)
    assert read_statline_csv(no_period, period=2020).table["period"].to_list() == [2020]
