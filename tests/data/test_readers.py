"""``readers.verify`` / ``readers.read``: one entry point per kind of source, on the real files."""

from __future__ import annotations

import json
import shutil

import pytest

from kansenaudit.data import readers
from kansenaudit.data.cbs_ses import SES_INDICATORS
from kansenaudit.data.tidy import SourceFormatError

BBGA_FILES = ["bbga/bbga_2018_stadsdelen.csv", "bbga/bbga_2018_gebieden22_DX.csv"]
BBGA_METADATA = "bbga/bbga_2018_metadata.csv"
SES = "cbs_ses/ses_woa_85163NED_amsterdam_2019.csv"
KWB = "cbs_kwb/kwb2017_wijken_nl_from_wijkbuurtkaart.csv"
GEO_BUURT = "geo/amsterdam_indeling_buurt_2022_wgs84.geojson"


@pytest.mark.parametrize("relative", BBGA_FILES)
def test_verify_bbga_reports_the_release_of_the_real_file(shared_data, relative):
    assert readers.verify("bbga", shared_data / relative) == "2018"


def test_read_bbga_gives_the_tidy_table_with_the_release(shared_data):
    result = readers.read("bbga", shared_data / BBGA_FILES[0])
    assert result.table.height > 0
    assert set(result.table["release"].unique()) == {"2018"}


def test_verify_bbga_metadata_has_no_release(shared_data):
    assert readers.verify("bbga_metadata", shared_data / BBGA_METADATA) == ""


def test_verify_bbga_refuses_metadata_and_html(shared_data, tmp_path):
    with pytest.raises(SourceFormatError, match="jaar"):
        readers.verify("bbga", shared_data / BBGA_METADATA)
    page = tmp_path / "bbga_2018_stadsdelen.csv"
    page.write_text("<html><body>Niet gevonden</body></html>\n", encoding="utf-8")
    with pytest.raises(SourceFormatError) as caught:
        readers.verify("bbga", page)
    assert page.name in str(caught.value)


def test_verify_kwb_takes_the_year_from_the_file_name(shared_data):
    assert readers.verify("kwb", shared_data / KWB) == "2017"


def test_verify_kwb_without_year_in_the_name_names_the_file(shared_data, tmp_path):
    renamed = tmp_path / "wijken_nl_from_wijkbuurtkaart.csv"
    shutil.copyfile(shared_data / KWB, renamed)
    with pytest.raises(SourceFormatError) as caught:
        readers.verify("kwb", renamed)
    assert renamed.name in str(caught.value)
    assert "kwbJJJJ" in str(caught.value)
    # The same bytes under a name with the year are fine: only the name was the problem.
    named = tmp_path / "kwb-2017_wijken.csv"
    shutil.copyfile(shared_data / KWB, named)
    assert readers.verify("kwb", named) == "2017"


def test_unknown_kind_is_a_value_error(shared_data):
    with pytest.raises(ValueError, match="onbekende soort bron 'bbga_2018'"):
        readers.verify("bbga_2018", shared_data / BBGA_FILES[0])
    with pytest.raises(ValueError, match="geen tabellezer"):
        readers.read("geometries", shared_data / GEO_BUURT)
    with pytest.raises(ValueError, match="geen tabellezer"):
        readers.read("nonsense", shared_data / BBGA_FILES[0])


def test_read_statline_ses_has_the_six_indicators(shared_data):
    result = readers.read("statline_ses", shared_data / SES)
    assert set(result.table["indicator"].unique()) == set(SES_INDICATORS.values())
    assert len(SES_INDICATORS) == 6
    amsterdam = result.table.filter(
        (result.table["area_code"] == "GM0363") & (result.table["indicator"] == "ses_woa_score")
    )
    assert amsterdam["value"].to_list() == [-0.1]  # first data line of the real download


def test_verify_statline_ses_reports_the_table_id(shared_data):
    assert readers.verify("statline_ses", shared_data / SES) == "85163NED"


def test_verify_geometries_of_the_real_buurten(shared_data):
    assert readers.verify("geometries", shared_data / GEO_BUURT) == "amsterdam-2022"


def test_verify_geometries_without_features_raises(tmp_path):
    empty = tmp_path / "amsterdam_indeling_buurt_leeg.geojson"
    empty.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    with pytest.raises(SourceFormatError) as caught:
        readers.verify("geometries", empty)
    assert empty.name in str(caught.value)


def test_verify_geometries_of_a_file_that_is_not_json_raises(tmp_path):
    page = tmp_path / "INDELING_BUURT.geojson"
    page.write_text("<html>502 Bad Gateway</html>", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="JSON"):
        readers.verify("geometries", page)
