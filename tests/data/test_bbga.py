"""The BBGA readers: the real 2018 files, both real metadata layouts, and hostile input."""

from __future__ import annotations

import csv
import time

import polars as pl
import pytest

from kansenaudit.data.bbga import (
    BBGAMetadata,
    VariableMeta,
    check_variables,
    read_bbga,
    read_bbga_metadata,
)
from kansenaudit.data.tidy import TIDY_SCHEMA, SourceFormatError

HEADER = "jaar,gebiedcode15,variabele,waarde\n"


@pytest.fixture(scope="module")
def bbga_dir(shared_data):
    return shared_data / "bbga"


@pytest.fixture(scope="module")
def gebieden(bbga_dir):
    started = time.perf_counter()
    result = read_bbga(bbga_dir / "bbga_2018_gebieden22_DX.csv")
    result.meta["seconds"] = time.perf_counter() - started
    return result


@pytest.fixture(scope="module")
def stadsdelen(bbga_dir):
    return read_bbga(bbga_dir / "bbga_2018_stadsdelen.csv")


@pytest.fixture(scope="module")
def metadata_2018(bbga_dir):
    return read_bbga_metadata(bbga_dir / "bbga_2018_metadata.csv")


@pytest.fixture(scope="module")
def metadata_datapunt(bbga_dir):
    return read_bbga_metadata(bbga_dir / "bbga_metadata_datapunt_testdata.csv")


def _raw_rows(path, delimiter=","):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def _write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def _issue(result, row):
    found = [issue for issue in result.issues if issue.row == row]
    assert len(found) == 1, [str(issue) for issue in result.issues]
    return found[0]


# --------------------------------------------------------------------- the real 2018 files


def test_gebieden_file_reads_completely_and_fast(gebieden):
    assert gebieden.table.columns == list(TIDY_SCHEMA)
    assert gebieden.table.schema == pl.Schema(TIDY_SCHEMA)
    assert gebieden.issues == []
    meta = gebieden.meta
    assert (meta["rows_read"], meta["rows_kept"]) == (136_677, 136_677)
    assert (meta["release"], meta["present_year"], meta["scheme"]) == ("2018", 2018, "gebiedcode15")
    assert (meta["separator"], meta["encoding"]) == (",", "utf-8")
    assert len(meta["sha256"]) == 64
    assert meta["seconds"] < 2.0  # about 0.2 s on a laptop; generous for a loaded CI runner


def test_gebieden_areas_years_variables(gebieden):
    table = gebieden.table
    areas = set(table.get_column("area_code").unique())
    assert areas == {f"DX{i:02d}" for i in range(1, 23)} | {"ZX99", "STAD"}
    levels = dict(table.group_by("area_code").agg(pl.col("area_level").first()).iter_rows())
    assert levels["STAD"] == "stad"
    assert levels["ZX99"] == "overig"
    assert levels["DX07"] == "gebied"
    assert (table["period"].min(), table["period"].max()) == (2001, 2039)
    assert table["indicator"].n_unique() == 742
    # 2001 and 2002 hold only the income-inequality measures.
    early = set(table.filter(pl.col("period") < 2005)["indicator"].unique())
    assert early == {"IGINI", "ITHEIL", "IHHINK_GEM"}
    assert set(table["source_file"].unique()) == {"bbga_2018_gebieden22_DX.csv"}
    assert set(table["source"].unique()) == {"OIS Amsterdam, BBGA"}
    assert set(table["group"].unique()) == {"totaal"}


def test_gebieden_prognoses_are_kept_apart(gebieden):
    table = gebieden.table
    by_name = table["indicator"].str.contains("PROG")
    assert table.filter(pl.col("period") > 2018)["is_prognosis"].all()
    assert table.filter(by_name)["is_prognosis"].all()
    assert not table.filter(~by_name & (pl.col("period") <= 2018))["is_prognosis"].any()
    assert table["is_prognosis"].sum() == by_name.sum() == 12 * 21 * 24
    # BEV_PROG2016 starts in 2018: a prognosis by name, not by year.
    row = table.filter((pl.col("indicator") == "BEV_PROG2016") & (pl.col("period") == 2018))
    assert row["flags"].to_list()[0] == ["prognosis:name"]
    late = table.filter(pl.col("period") > 2018)["flags"].to_list()
    assert all("prognosis:year" in flags for flags in late)


def test_gebieden_every_value_matches_the_raw_file(gebieden, bbga_dir):
    raw = _raw_rows(bbga_dir / "bbga_2018_gebieden22_DX.csv")
    table = gebieden.table.sort("row")
    assert table["row"].to_list() == list(range(2, len(raw) + 2))
    assert table["indicator"].to_list() == [r["variabele"] for r in raw]
    assert table["area_code"].to_list() == [r["gebiedcode15"] for r in raw]
    assert table["period"].to_list() == [int(r["jaar"]) for r in raw]
    expected = [float(r["waarde"]) if r["waarde"] else None for r in raw]
    assert table["value"].to_list() == expected
    missing = table.filter(pl.col("flags").list.contains("missing"))
    assert missing.height == sum(not r["waarde"] for r in raw) == 4140
    assert missing["value"].null_count() == missing.height


def test_bevtotaal_stad_2018(gebieden, stadsdelen, bbga_dir):
    raw = _raw_rows(bbga_dir / "bbga_2018_gebieden22_DX.csv")
    [line] = [
        i + 2
        for i, r in enumerate(raw)
        if (r["jaar"], r["gebiedcode15"], r["variabele"]) == ("2018", "STAD", "BEVTOTAAL")
    ]
    for result in (gebieden, stadsdelen):
        hit = result.table.filter(
            (pl.col("indicator") == "BEVTOTAAL")
            & (pl.col("area_code") == "STAD")
            & (pl.col("period") == 2018)
        )
        assert hit["value"].to_list() == [854_316.0]
    assert gebieden.table.filter(pl.col("row") == line)["indicator"].to_list() == ["BEVTOTAAL"]


def test_stadsdelen_file(stadsdelen):
    table = stadsdelen.table
    assert stadsdelen.issues == []
    assert (stadsdelen.meta["rows_read"], stadsdelen.meta["rows_kept"]) == (57_027, 57_027)
    assert set(table["area_code"].unique()) == set("ABEFKMNTZ") | {"STAD"}
    levels = dict(table.group_by("area_code").agg(pl.col("area_level").first()).iter_rows())
    assert levels["Z"] == "overig"
    assert levels["K"] == "stadsdeel"
    assert table["indicator"].n_unique() == 742
    # The eight real stadsdelen add up to the city; Z ("not assigned") has no population and
    # only scattered values (school and survey figures, a prognosis from 2026 on).
    population = table.filter((pl.col("indicator") == "BEVTOTAAL") & (pl.col("period") == 2018))
    parts = population.filter(pl.col("area_level") == "stadsdeel")["value"].sum()
    assert parts == population.filter(pl.col("area_code") == "STAD")["value"].item()
    z = table.filter(pl.col("area_code") == "Z")
    assert z.filter(pl.col("indicator") == "BEVTOTAAL")["value"].null_count() == 14
    observed = z.filter(~pl.col("is_prognosis") & pl.col("value").is_not_null())
    assert observed.height == 197


def test_semicolon_sample(bbga_dir):
    path = bbga_dir / "bbga_tableau_sample_datapunt_testdata.csv"
    result = read_bbga(path)
    table = result.table
    assert result.issues == []
    assert (result.meta["separator"], result.meta["release"], result.meta["present_year"]) == (
        ";",
        "",
        None,
    )
    assert table.height == 64
    assert set(table["area_code"].unique()) == {"STAD"}
    assert (table["period"].min(), table["period"].max()) == (2008, 2019)
    assert table["indicator"].n_unique() == 6
    assert not table["is_prognosis"].any()  # no release year, no PROG variables
    raw = _raw_rows(path, delimiter=";")
    assert table["value"].to_list() == [float(r["waarde"]) for r in raw]
    later = read_bbga(path, release="2018")
    assert later.meta["present_year"] == 2018
    assert later.table.filter(pl.col("period") == 2019)["is_prognosis"].all()
    assert later.table["is_prognosis"].sum() == 5
    assert set(later.table["release"].unique()) == {"2018"}
    explicit = read_bbga(path, release="2019", present_year=2015)
    assert explicit.table.filter(pl.col("period") > 2015)["is_prognosis"].all()


# --------------------------------------------------------------------- the real metadata


def test_metadata_2018(metadata_2018):
    assert len(metadata_2018) == 757
    assert metadata_2018.meta["rows_read"] == 757
    # One row has an unquoted comma in Labelkort ("Eigen woning (65+, 1-10)"): repaired.
    [issue] = metadata_2018.issues
    assert (issue.row, issue.field, issue.code) == (394, "labelkort", "WWONING65_R")
    assert issue.file.endswith("bbga_2018_metadata.csv")
    repaired = metadata_2018["WWONING65_R"]
    assert repaired.label_short == "Eigen woning (65+, 1-10)"
    assert (repaired.unit_code, repaired.unit, repaired.polarity) == (
        "3",
        "rapportcijfer (1-10)",
        1,
    )
    assert repaired.frequency == "1 keer in de twee jaar in de oneven jaren"
    bev = metadata_2018["bevtotaal"]
    assert (bev.theme, bev.label, bev.unit, bev.polarity) == (
        "Bevolking",
        "Bevolking totaal",
        "aantal",
        0,
    )
    assert bev.reference_date == "1 januari"  # "1  januari" in the file
    assert bev.label_en is None
    assert metadata_2018["BEVMUTNL_P"].min_population == 500
    assert metadata_2018["WBEZET"].min_dwellings == 100
    assert metadata_2018["WZGEDWONGENV04_P"].label == "Seksualiteit: gedwongen (% 4e klas VO)"


@pytest.mark.parametrize(
    ("variable", "polarity", "unit"),
    [
        ("WZGEZOND_P", 1, "%"),
        ("WZROOK_P", -1, "%"),
        ("IWWB_P", -1, "%"),
        ("BEVTOTAAL", 0, "aantal"),
        ("IGINI", -1, "coëfficiënt"),
        ("VVEILIGH_I", -1, "index"),
        ("IHHINK_GEM", 1, "gemiddelde (euro)"),
        ("BHHORECA_1000INW", 1, "per 1.000 inwoners"),
        ("VBRAND_P", -1, "per 1.000 woningen"),
        ("LHOMOTOL_5", 1, "score (1-5)"),
        ("OROPP", 0, "ha"),
    ],
)
def test_metadata_polarity_and_unit(metadata_2018, metadata_datapunt, variable, polarity, unit):
    for metadata in (metadata_2018, metadata_datapunt):
        assert (metadata[variable].polarity, metadata[variable].unit) == (polarity, unit)


def test_metadata_datapunt(metadata_datapunt):
    assert len(metadata_datapunt) == 792
    assert metadata_datapunt.issues == []
    assert metadata_datapunt.meta["columns"] == 26
    bev = metadata_datapunt["BEVTOTAAL"]
    assert bev.label_en == "Population"
    assert bev.definition_en.startswith("Number of people registered in Amsterdam")
    ses = metadata_datapunt["SKSES_GEM"]
    assert (ses.theme, ses.min_population, ses.min_dwellings) == ("Sociale kracht", 800, None)
    themes = {item.theme for item in metadata_datapunt.values()}
    assert len(themes) == 23


def test_data_and_metadata_agree(gebieden, metadata_2018, metadata_datapunt):
    for metadata in (metadata_2018, metadata_datapunt):
        assert metadata.missing_variables(gebieden.table) == []
        assert check_variables(gebieden, metadata) == []


def test_check_variables_names_first_row(gebieden, bbga_dir):
    raw = _raw_rows(bbga_dir / "bbga_2018_gebieden22_DX.csv")
    first = next(i + 2 for i, r in enumerate(raw) if r["variabele"] == "BEVTOTAAL")
    metadata = BBGAMetadata({"IWWB_P": VariableMeta("IWWB_P")})
    issues = {issue.code: issue for issue in check_variables(gebieden, metadata)}
    assert len(issues) == 741
    issue = issues["BEVTOTAAL"]
    assert (issue.file, issue.row, issue.severity) == (
        "bbga_2018_gebieden22_DX.csv",
        first,
        "warning",
    )
    assert "BEVTOTAAL" in metadata.missing_variables(gebieden.table)


# --------------------------------------------------------------------- hostile input


def test_semicolon_and_comma_give_the_same_table(tmp_path):
    rows = ["2018,STAD,BEVTOTAAL,854316", "2018,A,iwwb_p ,7.5", "2030,DX01,X_PROG2018,3"]
    comma = read_bbga(_write(tmp_path, "comma.csv", HEADER + "\n".join(rows) + "\n"))
    semi = read_bbga(
        _write(
            tmp_path,
            "semi.csv",
            HEADER.replace(",", ";") + "\n".join(r.replace(",", ";") for r in rows) + "\n",
        )
    )
    assert (comma.meta["separator"], semi.meta["separator"]) == (",", ";")
    assert comma.table.drop("source_file").equals(semi.table.drop("source_file"))
    assert comma.table["indicator"].to_list() == ["BEVTOTAAL", "IWWB_P", "X_PROG2018"]
    assert comma.issues == semi.issues == []


def test_bom_quotes_crlf_and_header_case(tmp_path):
    content = '\ufeff"JAAR";"GebiedCode15";"Variabele";"Waarde"\r\n"2018";"STAD";"X";"1,5"\r\n'
    result = read_bbga(_write(tmp_path, "bom.csv", content))
    assert result.meta["encoding"] == "utf-8-sig"
    assert result.issues == []
    assert result.table.select("indicator", "area_code", "period", "value").rows() == [
        ("X", "STAD", 2018, 1.5)
    ]
    assert result.table["flags"].to_list() == [["decimal-comma"]]


def test_quoted_decimal_comma_in_comma_file(tmp_path):
    result = read_bbga(_write(tmp_path, "q.csv", HEADER + '2018,STAD,X,"12,5"\n2018,A,X,3\n'))
    assert result.table["value"].to_list() == [12.5, 3.0]
    assert result.table["flags"].to_list() == [["decimal-comma"], []]


def test_cp1252_fallback_warns_with_file_row_and_byte(tmp_path):
    content = (HEADER + "2018,STAD,X,1\n2018,STAD,café,2\n").encode("cp1252")
    result = read_bbga(_write(tmp_path, "ansi.csv", content))
    assert result.meta["encoding"] == "cp1252"
    issue = _issue(result, 3)
    assert issue.file.endswith("ansi.csv")
    assert "ansi.csv" in issue.message
    assert issue.code == "0xE9"
    assert "cp1252" in issue.message
    assert result.table["indicator"].to_list() == ["X", "CAFÉ"]


def test_truncated_last_line(tmp_path):
    result = read_bbga(_write(tmp_path, "cut.csv", HEADER + "2018,STAD,X,1\n2018,STAD,BEVTO"))
    issue = _issue(result, 3)
    assert (issue.file.endswith("cut.csv"), issue.code) == (True, "2018,STAD,BEVTO")
    assert "truncated" in issue.message
    assert result.table["row"].to_list() == [2]


def test_last_line_without_line_break_is_kept_and_flagged(tmp_path):
    result = read_bbga(_write(tmp_path, "nolf.csv", HEADER + "2018,STAD,X,1\n2018,A,X,8543"))
    assert result.table["value"].to_list() == [1.0, 8543.0]
    assert result.table["flags"].to_list() == [[], ["possibly-truncated"]]
    issue = _issue(result, 3)
    assert issue.code == "2018,A,X,8543"
    assert "cut off" in issue.message


def test_file_cut_inside_a_utf8_character(tmp_path):
    content = (HEADER + "2018,STAD,X,1\n2018,STAD,caf").encode() + "é".encode()[:1]
    result = read_bbga(_write(tmp_path, "mid.csv", content))
    assert result.meta["encoding"] == "utf-8"
    assert any("truncated" in issue.message and issue.row == 3 for issue in result.issues)
    assert result.table.height == 1


def test_unknown_area_code(tmp_path):
    result = read_bbga(_write(tmp_path, "area.csv", HEADER + "2018,STAD,X,1\n2018,QQ9,X,2\n"))
    issue = _issue(result, 3)
    assert (issue.file.endswith("area.csv"), issue.field, issue.code) == (
        True,
        "gebiedcode15",
        "QQ9",
    )
    assert issue.severity == "warning"
    assert "QQ9" in issue.message
    assert result.table.height == 1


def test_non_numeric_values_are_skipped_missing_tokens_are_null(tmp_path):
    body = "2018,A,X,abc\n2018,B,X,NA\n2018,E,X,.\n2018,F,X,\n2018,K,X,na\n2018,M,X,inf\n"
    result = read_bbga(_write(tmp_path, "val.csv", HEADER + body))
    bad = {issue.row: issue for issue in result.issues}
    assert set(bad) == {2, 7}
    assert (bad[2].field, bad[2].code) == ("waarde", "abc")
    assert (bad[7].field, bad[7].code) == ("waarde", "inf")
    assert result.table["area_code"].to_list() == ["B", "E", "F", "K"]
    assert result.table["value"].null_count() == 4
    assert result.table["flags"].to_list() == [["missing"]] * 4


def test_year_as_text(tmp_path):
    body = "2018,A,X,1\ntwintig,A,X,2\n2018.0,B,X,3\n99999,B,Y,4\n"
    result = read_bbga(_write(tmp_path, "year.csv", HEADER + body))
    assert [(i.row, i.field, i.code) for i in result.issues] == [
        (3, "jaar", "twintig"),
        (4, "jaar", "2018.0"),
        (5, "jaar", "99999"),
    ]
    assert all(i.file.endswith("year.csv") for i in result.issues)
    assert result.table.height == 1


def test_wrong_field_count_and_blank_lines(tmp_path):
    body = "2018,A,X,1\n2018,A,Y\n\n2018,A,Z,1,2\n2018,A,W,4\n"
    result = read_bbga(_write(tmp_path, "shape.csv", HEADER + body))
    assert [(i.row, i.code) for i in result.issues] == [
        (3, "2018,A,Y"),
        (4, None),
        (5, "2018,A,Z,1,2"),
    ]
    assert "found 3" in result.issues[0].message
    assert "found 5" in result.issues[2].message
    assert result.table["row"].to_list() == [2, 6]
    assert result.meta["rows_read"] == result.meta["rows_kept"] + len(result.issues)


def test_missing_column(tmp_path):
    path = _write(tmp_path, "nocol.csv", "jaar,gebiedcode15,variabele\n2018,STAD,X\n")
    with pytest.raises(SourceFormatError) as info:
        read_bbga(path)
    error = info.value
    assert (error.row, error.field) == (1, "waarde")
    assert "nocol.csv" in str(error)
    assert "waarde" in str(error)
    with pytest.raises(SourceFormatError, match="gebiedcode15"):
        read_bbga(_write(tmp_path, "noarea.csv", "jaar,gebied,variabele,waarde\n"))


def test_empty_file_and_unreadable_path(tmp_path):
    with pytest.raises(SourceFormatError, match="empty") as info:
        read_bbga(_write(tmp_path, "empty.csv", ""))
    assert info.value.row == 1
    assert "empty.csv" in str(info.value)
    with pytest.raises(SourceFormatError, match=r"absent\.csv"):
        read_bbga(tmp_path / "absent.csv")


def test_header_only(tmp_path):
    result = read_bbga(_write(tmp_path, "head.csv", HEADER))
    assert result.table.height == 0
    assert result.table.schema == pl.Schema(TIDY_SCHEMA)
    [issue] = result.issues
    assert (issue.file.endswith("head.csv"), issue.row) == (True, 1)
    assert issue.code == HEADER.strip()
    assert result.meta["rows_read"] == 0


def test_duplicates_keep_the_first(tmp_path):
    body = "2018,STAD,X,1\n2018,STAD,x,2\n2018,A,X,5\n2018,STAD,X,1\n"
    result = read_bbga(_write(tmp_path, "dup.csv", HEADER + body))
    assert result.table.select("area_code", "value", "row").rows() == [
        ("STAD", 1.0, 2),
        ("A", 5.0, 4),
    ]
    assert [(i.row, i.code) for i in result.issues] == [(3, "X"), (5, "X")]
    assert "line 2" in result.issues[0].message
    assert "different value" in result.issues[0].message
    assert "same value" in result.issues[1].message


def test_many_bad_rows_are_all_reported(tmp_path):
    body = "".join(f"2018,Q{i % 7},X{i},1\n" for i in range(1000))
    result = read_bbga(_write(tmp_path, "many.csv", HEADER + body))
    assert result.table.height == 0
    assert [issue.row for issue in result.issues] == list(range(2, 1002))


def test_gebiedcode22_with_new_column_name_and_mixed_codes(tmp_path):
    content = (
        "jaar;gebiedcode22;indicatorDefinitieId;waarde\n"
        "2023;NL01;BEVTOTAAL;100\n2023;GA01;BEVTOTAAL;2000\n2023;A00a;BEVTOTAAL;5\n"
    )
    result = read_bbga(_write(tmp_path, "bbga_2023_new.csv", content))
    assert result.meta["scheme"] == "gebiedcode22"
    assert result.meta["release"] == "2023"
    assert result.table["area_level"].to_list() == ["buurt", "gebied", "buurt"]
    [issue] = result.issues
    assert (issue.row, issue.field, issue.code) == (4, "gebiedcode22", "A00a")


def test_prognosis_variables_are_never_observations(tmp_path):
    body = "2015,STAD,BEV_PROG2015,800000\n2018,STAD,BEVTOTAAL,854316\n2019,STAD,BEVTOTAAL,860000\n"
    result = read_bbga(_write(tmp_path, "bbga_2018_x.csv", HEADER + body))
    assert result.table["is_prognosis"].to_list() == [True, False, True]
    assert result.table["flags"].to_list() == [["prognosis:name"], [], ["prognosis:year"]]


# --------------------------------------------------------------------- hostile metadata


def test_metadata_repairs_duplicates_and_short_rows(tmp_path):
    content = (
        "Variabele;THEMA;Label;Labelkort;Rekeneenheid;Kleurenpalet;SD minimum Bevtotaal\n"
        "A_P;Wonen;Tevreden;Eigen woning (65+;1-10);3;1;0\n"
        "B;Bevolking;Aantal;Aantal;2;9;.\n"
        "b;Bevolking;Nog eens;;2;9;\n"
        "C_P;Werk\n"
        ";Werk;Geen naam;;1;2;0\n"
    )
    metadata = read_bbga_metadata(_write(tmp_path, "meta.csv", content))
    assert metadata.meta["separator"] == ";"
    assert sorted(metadata) == ["A_P", "B", "C_P"]
    assert metadata["A_P"].label_short == "Eigen woning (65+,1-10)"
    assert (metadata["A_P"].unit, metadata["A_P"].polarity) == ("rapportcijfer (1-10)", 1)
    assert metadata["C_P"].label is None
    assert "c_p" in metadata
    assert "D" not in metadata
    found = [(i.row, i.field, i.code) for i in metadata.issues]
    assert found == [
        (2, "labelkort", "A_P"),
        (4, "Variabele", "B"),
        (5, None, "C_P"),
        (6, "Variabele", None),
    ]
    assert all(i.file.endswith("meta.csv") for i in metadata.issues)


def test_metadata_without_variable_column_or_content(tmp_path):
    with pytest.raises(SourceFormatError, match="Variabele") as info:
        read_bbga_metadata(_write(tmp_path, "m1.csv", "Thema,Label\nA,B\n"))
    assert info.value.row == 1
    with pytest.raises(SourceFormatError, match="empty"):
        read_bbga_metadata(_write(tmp_path, "m2.csv", "\n"))
    metadata = read_bbga_metadata(_write(tmp_path, "m3.csv", "Variabele,Label\n"))
    assert len(metadata) == 0
    assert metadata.issues == []


def test_tab_separated_and_padded_quotes(tmp_path):
    tab = read_bbga(_write(tmp_path, "tab.csv", HEADER.replace(",", "\t") + '2018\t"A"\tX\t2,5\n'))
    assert tab.meta["separator"] == "\t"
    assert tab.table.select("area_code", "value").rows() == [("A", 2.5)]
    padded = read_bbga(_write(tmp_path, "pad.csv", HEADER + ' "2018" , "STAD" ,X,1\n'))
    assert padded.issues == []
    assert padded.table.select("area_code", "period").rows() == [("STAD", 2018)]


def test_utf16_and_old_mac_line_ends(tmp_path):
    utf16 = read_bbga(_write(tmp_path, "u16.csv", (HEADER + "2018,STAD,X,1\n").encode("utf-16")))
    assert utf16.meta["encoding"] == "utf-16"
    assert utf16.table["value"].to_list() == [1.0]
    mac = read_bbga(
        _write(tmp_path, "mac.csv", (HEADER + "2018,STAD,X,1\r2018,A,X,2\r").replace("\n", "\r"))
    )
    assert mac.table["row"].to_list() == [2, 3]
    assert mac.issues == []
