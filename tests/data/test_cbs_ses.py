"""The SES-WOA reader (CBS table 85163NED) on the real Amsterdam 2019 download."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from kansenaudit.data.cbs_ses import SES_INDICATORS, SES_TABLE_ID, read_ses_woa
from kansenaudit.data.tidy import TIDY_SCHEMA

SES = "cbs_ses/ses_woa_85163NED_amsterdam_2019.csv"
KEYS = [
    "particuliere_huishoudens",
    "opleiding_laag_pct",
    "opleiding_middelbaar_pct",
    "opleiding_hoog_pct",
    "ses_woa_score",
    "ses_woa_spreiding",
]


@pytest.fixture(scope="module")
def ses(shared_data):
    return read_ses_woa(shared_data / SES)


@pytest.fixture(scope="module")
def independent(shared_data):
    """area code -> (line, [six raw cells]) from a plain csv read."""
    with open(shared_data / SES, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    return {fields[2].strip(): (line, fields[3:]) for line, fields in enumerate(rows[1:], 2)}


def test_counts_and_keys(ses):
    table = ses.table
    assert table.columns == list(TIDY_SCHEMA)
    assert ses.issues == []
    assert ses.meta["unmapped"] == []
    assert list(ses.meta["columns"]) == KEYS
    assert sorted(table["indicator"].unique()) == sorted(KEYS)
    assert sorted(SES_INDICATORS.values()) == sorted(KEYS)
    per_level = dict(table.group_by("area_level").agg(pl.col("area_code").n_unique()).rows())
    assert per_level == {"gemeente": 1, "wijk": 99, "buurt": 479}
    assert table.height == 579 * len(KEYS)
    assert set(table["release"]) == {SES_TABLE_ID}
    assert set(table["source"]) == {"CBS SES-WOA"}
    assert table.select("indicator", "area_code", "period", "group").is_unique().all()


def test_n_is_the_number_of_private_households(ses, independent):
    assert ses.table["n"].null_count() == 0
    for row in ses.table.iter_rows(named=True):
        line, cells = independent[row["area_code"]]
        assert row["row"] == line
        assert row["n"] == float(cells[0])


def test_values_match_an_independent_read(ses, independent):
    for row in ses.table.iter_rows(named=True):
        cell = independent[row["area_code"]][1][KEYS.index(row["indicator"])].strip()
        if cell == ".":
            assert row["value"] is None
            assert row["flags"] == ["missing"]
        else:
            assert row["value"] == float(cell)


def test_specific_values_and_the_score_scale(ses):
    wide = ses.table.pivot(on="indicator", index="area_code", values="value")
    amsterdam = wide.filter(pl.col("area_code") == "GM0363").row(0, named=True)
    assert amsterdam["ses_woa_score"] == -0.1
    assert amsterdam["ses_woa_spreiding"] == 1.01
    assert amsterdam["particuliere_huishoudens"] == 457400
    station = wide.filter(pl.col("area_code") == "BU03630100").row(0, named=True)
    assert station["particuliere_huishoudens"] == 0
    assert station["ses_woa_score"] is None
    scores = wide["ses_woa_score"].drop_nulls()
    assert scores.len() == 489
    assert -1.2 < scores.min() < scores.max() < 0.7  # centred on 0 (the NL mean)
    shares = wide.drop_nulls("opleiding_laag_pct").select(
        pl.sum_horizontal("opleiding_laag_pct", "opleiding_middelbaar_pct", "opleiding_hoog_pct")
    )
    assert shares.to_series().is_between(99.85, 100.15).all()
    suppressed = wide.filter(
        pl.col("ses_woa_score").is_null() & (pl.col("particuliere_huishoudens") > 0)
    )
    assert set(suppressed["particuliere_huishoudens"]) == {100.0}


def test_missing_expected_column_is_a_warning(shared_data, tmp_path):
    with open(shared_data / SES, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    path = tmp_path / "no_spread.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL).writerows(r[:-1] for r in rows)
    result = read_ses_woa(path)
    [warning] = result.warnings
    assert warning.file == str(path)
    assert (warning.row, warning.code) == (1, "ses_woa_spreiding")
    assert warning.field == "Spreiding/Spreiding totaal/Waarde (Getal)"
    assert "ses_woa_spreiding" not in set(result.table["indicator"])
    assert result.table.height == 579 * 5


def test_unknown_column_keeps_a_generic_key(shared_data, tmp_path):
    text = (shared_data / SES).read_text(encoding="utf-8-sig")
    path = tmp_path / "renamed.csv"
    path.write_text(
        text.replace("Spreiding/Spreiding totaal/Waarde", "Spreiding/Welvaart/Waarde"),
        encoding="utf-8-sig",
    )
    result = read_ses_woa(path)
    assert result.meta["unmapped"] == ["spreiding_welvaart_waarde"]
    assert "spreiding_welvaart_waarde" in set(result.table["indicator"])
    assert [w.code for w in result.warnings] == ["ses_woa_spreiding"]


def test_bad_value_is_reported_and_n_still_set(shared_data, tmp_path):
    text = (shared_data / SES).read_text(encoding="utf-8-sig")
    path = tmp_path / "bad.csv"
    path.write_text(text.replace('"  -0.022"', '"  n.b."', 1), encoding="utf-8-sig")
    result = read_ses_woa(path)
    [error] = result.errors
    assert (error.file, error.row, error.code) == (str(path), 3, "n.b.")
    bad = result.table.filter(
        (pl.col("area_code") == "WK036300") & (pl.col("indicator") == "ses_woa_score")
    ).row(0, named=True)
    assert bad["value"] is None
    assert bad["flags"] == ["invalid"]
    assert bad["n"] == 2900


# --- the same table through CBS's OData API (data pull) ---------------------------------------


def _as_odata(shared_data):
    """The real 2019 download in the form CBS's OData v3 API serves the table.

    Records with numbered field keys, padded region keys and ``Perioden`` as ``2019JJ00``;
    ``DataProperties`` built from the CSV's own headers (topic groups / title (unit)), with
    field numbers that differ from the column order, as they may in a new release.
    """
    with open(shared_data / SES, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, body = rows[0], rows[1:]
    properties = [
        {"ID": 0, "ParentID": None, "Type": "GeoDimension", "Key": "WijkenEnBuurten"},
        {"ID": 1, "ParentID": None, "Type": "TimeDimension", "Key": "Perioden"},
    ]
    groups: dict[tuple[str, ...], int] = {}
    fields = []
    for position, column in enumerate(header[3:]):
        title, unit = column[: column.rindex(" (")], column[column.rindex(" (") + 2 : -1]
        *path, name = title.split("/")
        parent = None
        for depth in range(len(path)):
            key = tuple(path[: depth + 1])
            if key not in groups:
                groups[key] = len(properties)
                properties.append(
                    {"ID": groups[key], "ParentID": parent, "Type": "TopicGroup",
                     "Key": f"G{groups[key]}", "Title": path[depth]}
                )  # fmt: skip
            parent = groups[key]
        field = f"Veld_{20 - position}"
        fields.append(field)
        properties.append(
            {"ID": len(properties), "ParentID": parent, "Type": "Topic", "Key": field,
             "Title": name, "Unit": unit}
        )  # fmt: skip
    records = []
    for number, row in enumerate(body):
        record = {"ID": number, "WijkenEnBuurten": row[2], "Perioden": f"{row[0]}JJ00"}
        for field, cell in zip(fields, row[3:], strict=True):
            text = cell.strip()
            record[field] = None if text in ("", ".") else float(text)
        records.append(record)
    regions = [{"Key": row[2], "Title": row[1]} for row in body]
    return records, properties, regions


def test_odata_download_reads_as_the_csv_download(shared_data, tmp_path):
    """data pull brings SES-WOA in through the API: the same numbers as the StatLine CSV."""
    import json

    from kansenaudit.data.pull import pull
    from kansenaudit.data.readers import read

    records, properties, regions = _as_odata(shared_data)
    base = "https://opendata.cbs.nl/ODataApi/odata/85163NED"
    first = f"{base}/TypedDataSet?$filter=substringof('0363',WijkenEnBuurten)"
    pages = {
        first: {"value": records[:300], "odata.nextLink": first + "&$skip=300"},
        first + "&$skip=300": {"value": records[300:]},
        f"{base}/DataProperties": {"value": properties},
        f"{base}/WijkenEnBuurten": {"value": regions},
    }
    result = pull(
        "amsterdam",
        cache_dir=tmp_path,
        fetch=lambda url: json.dumps(pages[url]).encode(),
        only=["cbs_ses"],
    )
    (cached,) = result.for_key("cbs_ses")
    assert cached.path.endswith(".json")
    through_api = read("statline_ses", Path(cached.path))
    from_csv = read_ses_woa(shared_data / SES)
    columns = ["indicator", "area_code", "area_level", "group", "period", "value", "n"]
    assert (
        through_api.table.select(columns)
        .sort(columns[:5])
        .equals(from_csv.table.select(columns).sort(columns[:5]), null_equal=True)
    )
    assert through_api.issues == []
    assert through_api.meta["area_names"] == from_csv.meta["area_names"]
    assert set(through_api.table["release"]) == {SES_TABLE_ID}
    missing = through_api.table.filter(pl.col("value").is_null())
    assert missing.height == 450
    assert all(flags == ["missing"] for flags in missing["flags"].to_list())


def test_odata_download_without_field_descriptions_is_refused(tmp_path):
    import json

    from kansenaudit.data.cbs_ses import read_ses_woa_odata
    from kansenaudit.data.tidy import SourceFormatError

    path = tmp_path / "cbs_ses.json"
    path.write_text(json.dumps({"value": [{"WijkenEnBuurten": "GM0363"}]}), encoding="utf-8")
    with pytest.raises(SourceFormatError, match="DataProperties"):
        read_ses_woa_odata(path)
