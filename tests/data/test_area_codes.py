"""Amsterdam and CBS area codes, checked against the real area tables in the shared data folder."""

from __future__ import annotations

import csv
import json

import pytest

from kansenaudit.data.area_codes import LEVELS, SCHEMES, AreaCode, classify_area_code, parent_code


@pytest.mark.parametrize(
    ("code", "level", "scheme"),
    [
        ("STAD", "stad", "gebiedcode22"),
        ("A", "stadsdeel", "gebiedcode22"),
        ("B", "stadsdeel", "gebiedcode22"),
        ("S", "stadsdeel", "gebiedcode22"),
        ("Z", "overig", "gebiedcode15"),
        ("DX01", "gebied", "gebiedcode15"),
        ("DX22", "gebied", "gebiedcode15"),
        ("ZX99", "overig", "gebiedcode15"),
        ("A00", "wijk", "gebiedcode15"),
        ("T96", "wijk", "gebiedcode15"),
        ("A00a", "buurt", "gebiedcode15"),
        ("Z99", "overig", "gebiedcode15"),
        ("SAA", "wijk", "gebiedcode15"),
        ("SAA1", "buurt", "gebiedcode15"),
        ("GA01", "gebied", "gebiedcode22"),
        ("GS25", "gebied", "gebiedcode22"),
        ("AA", "wijk", "gebiedcode22"),
        ("AA01", "buurt", "gebiedcode22"),
        ("GM0363", "gemeente", "cbs"),
        ("WK036300", "wijk", "cbs"),
        ("WK0363AA", "wijk", "cbs"),
        ("BU03630000", "buurt", "cbs"),
        ("BU0363AC02", "buurt", "cbs"),
        ("NL00", "land", "cbs"),
        ("NL01", "land", "cbs"),
        ("PV27", "overig", "cbs"),
    ],
)
def test_classify_known_codes(code, level, scheme):
    area = classify_area_code(code)
    assert (area.code, area.level, area.scheme) == (code, level, scheme)
    assert area.level in LEVELS
    assert area.scheme in SCHEMES


def test_municipality():
    assert classify_area_code("BU03630000").municipality == "0363"
    assert classify_area_code("WK059901").municipality == "0599"
    assert classify_area_code("GM0599").municipality == "0599"
    assert classify_area_code("A00a").municipality == "0363"
    assert classify_area_code("NL01").municipality is None


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [(" A00A ", "A00a"), ("stad", "STAD"), ("gm0363    ", "GM0363"), ("dx01", "DX01")],
)
def test_normalisation(raw, normalised):
    assert classify_area_code(raw).code == normalised


@pytest.mark.parametrize(
    "code", ["", "   ", "Q12", "DX00", "GZ01", "GA00", "A0", "BU0363", "XX", "stadje", "Q", "C"]
)
def test_unknown_codes_raise_naming_the_code(code):
    with pytest.raises(ValueError, match="unknown area code") as info:
        classify_area_code(code)
    assert repr(code.strip()) in str(info.value)


def test_unknown_scheme_hint_raises():
    with pytest.raises(ValueError, match="scheme"):
        classify_area_code("A", "gebiedcode99")


def test_hint_settles_nl01_and_shared_codes():
    # NL01 is a buurt in wijk NL (Noord) in 2022 and also CBS's code for the Netherlands.
    assert classify_area_code("NL01", "gebiedcode22") == AreaCode(
        "NL01", "buurt", "gebiedcode22", "0363"
    )
    assert classify_area_code("NL01", "cbs").level == "land"
    assert classify_area_code("A", "gebiedcode15").scheme == "gebiedcode15"
    assert classify_area_code("STAD", "gebiedcode15").scheme == "gebiedcode15"
    # A code that fits only another scheme keeps its own scheme, so callers can notice.
    assert classify_area_code("A00a", "gebiedcode22").scheme == "gebiedcode15"
    assert parent_code("NL01", "gebiedcode22") == "NL"
    assert parent_code("NL01") is None


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("A00a", "A00"),
        ("A00", "A"),
        ("A", "STAD"),
        ("STAD", None),
        ("DX01", None),
        ("ZX99", None),
        ("Z", None),
        ("SAA1", "SAA"),
        ("SAA", "S"),
        ("AA01", "AA"),
        ("AA", "A"),
        ("GA01", "A"),
        ("BU03630100", "WK036301"),
        ("WK036301", "GM0363"),
        ("GM0363", None),
        ("BU0363AA01", "WK0363AA"),
        ("NL01", None),
    ],
)
def test_parent_code(code, parent):
    assert parent_code(code) == parent


def test_parent_code_of_unknown_code_raises():
    with pytest.raises(ValueError, match="'Q12'"):
        parent_code("Q12")


# ----------------------------------------------------------------- against the real files


def _features(path):
    return [feature["properties"] for feature in json.loads(path.read_text("utf-8"))["features"]]


def test_2022_buurt_layer(shared_data):
    rows = _features(shared_data / "geo" / "amsterdam_indeling_buurt_2022_wgs84.geojson")
    assert len(rows) == 518
    for row in rows:
        buurt = classify_area_code(row["Buurtcode"], "gebiedcode22")
        wijk = classify_area_code(row["Wijkcode"], "gebiedcode22")
        stadsdeel = classify_area_code(row["Stadsdeelcode"], "gebiedcode22")
        assert (buurt.level, wijk.level, stadsdeel.level) == ("buurt", "wijk", "stadsdeel")
        assert {buurt.scheme, wijk.scheme, stadsdeel.scheme} == {"gebiedcode22"}
        assert parent_code(row["Buurtcode"], "gebiedcode22") == row["Wijkcode"]
        assert parent_code(row["Wijkcode"], "gebiedcode22") == row["Stadsdeelcode"]
        if row["Gebiedcode"]:  # Westpoort's buurten belong to no gebied
            assert classify_area_code(row["Gebiedcode"]).level == "gebied"
            assert parent_code(row["Gebiedcode"]) == row["Stadsdeelcode"]
        else:
            assert row["Stadsdeelcode"] == "B"
        cbs = classify_area_code(row["CBS_Buurtcode"])
        assert (cbs.level, cbs.scheme, cbs.municipality) == ("buurt", "cbs", "0363")
        assert parent_code(row["CBS_Buurtcode"]) == "WK0363" + row["Wijkcode"]


def test_2022_gebied_layer(shared_data):
    rows = _features(shared_data / "geo" / "amsterdam_indeling_gebied_2022_wgs84.geojson")
    assert len(rows) == 25
    for row in rows:
        assert classify_area_code(row["Gebiedcode"]).level == "gebied"
        assert parent_code(row["Gebiedcode"]) == row["Stadsdeelcode"]


def test_2024_api_buurten(shared_data):
    rows = _features(shared_data / "geo" / "amsterdam_buurten_api_2024_rd28992.geojson")
    assert len(rows) == 518
    for row in rows:
        assert classify_area_code(row["code"], "gebiedcode22").level == "buurt"
        assert classify_area_code(row["cbs_code"]).level == "buurt"
        assert row["cbs_code"] == "BU0363" + row["code"]


def test_old_style_codes(shared_data):
    path = shared_data / "geo" / "amsterdam_GEBIED_BUURTEN_oldcodes_wkt.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len(rows) == 500
    for row in rows:
        buurt = classify_area_code(row["Buurtcode"], "gebiedcode15")
        assert (buurt.level, buurt.scheme) == ("buurt", "gebiedcode15")
        assert classify_area_code(row["Wijkcode"], "gebiedcode15").level == "wijk"
        assert parent_code(row["Buurtcode"], "gebiedcode15") == row["Wijkcode"]
        assert parent_code(row["Wijkcode"], "gebiedcode15") == row["Stadsdeelcode"]
    # Weesp (S) was coded SAA / SAA1 in the old style after the merger.
    assert {row["Wijkcode"][:1] for row in rows if len(row["Wijkcode"]) == 3} >= {"A", "S"}


def test_cbs_buurt_list_for_amsterdam(shared_data):
    path = shared_data / "cbs_other" / "cbs_buurten2022_nl_list.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter=";") if row["GM_2022"] == "GM0363"]
    assert len(rows) == 481
    for row in rows:
        code = "BU" + row["buurtcode2022"].zfill(8)
        assert classify_area_code(code).level == "buurt"
        assert parent_code(code) == row["WK_2022"]
        assert parent_code(row["WK_2022"]) == "GM0363"


def test_bbga_2018_codes(shared_data):
    seen = {}
    for name in ("bbga_2018_gebieden22_DX.csv", "bbga_2018_stadsdelen.csv"):
        with (shared_data / "bbga" / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                seen[row["gebiedcode15"]] = None
    levels = {code: classify_area_code(code, "gebiedcode15").level for code in seen}
    assert sum(level == "gebied" for level in levels.values()) == 22
    assert {code for code, level in levels.items() if level == "stadsdeel"} == set("ABEFKMNT")
    assert {code for code, level in levels.items() if level == "overig"} == {"Z", "ZX99"}
    assert levels["STAD"] == "stad"
