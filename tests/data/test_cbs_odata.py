"""CBS OData v3/v4: paging over recorded pages, error handling, and the tidy conversion.

The recorded pages in ``fixtures/cbs_odata`` are hand-written in the documented format (not
real data); the real saved v3 page comes from the shared data folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import polars as pl
import pytest

from kansenaudit.data.cbs_odata import (
    DEFAULT_USER_AGENT,
    ODataError,
    fetch_odata,
    observations_to_tidy,
    observations_url,
    odata_to_tidy,
    read_odata_json,
    typed_dataset_url,
)
from kansenaudit.data.tidy import TIDY_SCHEMA, SourceFormatError
from kansenaudit.sources.http import HttpClient

FIXTURES = Path(__file__).parent / "fixtures" / "cbs_odata"
REAL_PAGE = "cbs_odata/84489NED_woonplaatsen_2020_TypedDataSet.json"
V3_FIRST = typed_dataset_url("85163NED")
V3_SECOND = V3_FIRST + "&$skip=3"
V4_FIRST = observations_url("85163NED")
V4_SECOND = V4_FIRST + "?$skip=3"


class Recorded:
    """A fetch that serves recorded pages by URL and remembers what was asked."""

    def __init__(self, pages: dict[str, bytes]) -> None:
        self.pages = pages
        self.asked: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.asked.append(url)
        return self.pages[url]


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def v3_pages():
    return Recorded({V3_FIRST: _fixture("v3_page1.json"), V3_SECOND: _fixture("v3_page2.json")})


@pytest.fixture
def v4_pages():
    return Recorded({V4_FIRST: _fixture("v4_page1.json"), V4_SECOND: _fixture("v4_page2.json")})


# --- URLs ---------------------------------------------------------------------------------


def test_urls():
    assert V3_FIRST == "https://opendata.cbs.nl/ODataApi/odata/85163NED/TypedDataSet?$format=json"
    assert V4_FIRST == "https://datasets.cbs.nl/odata/v1/CBS/85163NED/Observations"
    assert typed_dataset_url("85163NED", select=["A", "B"]).endswith("&$select=A,B")
    assert observations_url("X1234", base="https://example.org/v1/").startswith(
        "https://example.org/v1/X1234/Observations"
    )
    assert "&$filter=Perioden%20eq%20'2019JJ00'" in typed_dataset_url(
        "85163NED", filter="Perioden eq '2019JJ00'"
    )


@pytest.mark.parametrize("table_id", ["../etc", "85163NED/TypedDataSet", "", "a b"])
def test_table_id_is_checked(table_id):
    with pytest.raises(ValueError, match="tabelnummer"):
        typed_dataset_url(table_id)
    with pytest.raises(ValueError, match="tabelnummer"):
        observations_url(table_id)


# --- paging -------------------------------------------------------------------------------


def test_v3_follows_next_link_and_strips_padding(v3_pages):
    records = fetch_odata(V3_FIRST, fetch=v3_pages)
    assert v3_pages.asked == [V3_FIRST, V3_SECOND]
    assert [r["ID"] for r in records] == [0, 1, 2, 3, 4, 5]
    assert records[0]["WijkenEnBuurten"] == "GM0363"
    assert records[0]["Gemeentenaam_1"] == "Amsterdam"
    assert records[2]["GemiddeldeScore_3"] is None
    assert records[3]["GemiddeldeScore_3"] == "0.056"  # a padded numeric string


def test_v4_follows_at_odata_next_link(v4_pages):
    records = fetch_odata(V4_FIRST, fetch=v4_pages)
    assert v4_pages.asked == [V4_FIRST, V4_SECOND]
    assert len(records) == 7
    assert records[5]["Geslacht"] == "3000"


def test_relative_next_link_is_resolved():
    pages = Recorded(
        {
            "https://x.org/a/T": b'{"value": [{"n": 1}], "@odata.nextLink": "T?$skip=1"}',
            "https://x.org/a/T?$skip=1": b'{"value": [{"n": 2}]}',
        }
    )
    assert fetch_odata("https://x.org/a/T", fetch=pages) == [{"n": 1}, {"n": 2}]
    assert pages.asked == ["https://x.org/a/T", "https://x.org/a/T?$skip=1"]


def test_next_link_loop_is_an_error():
    page = json.loads(_fixture("v3_page1.json"))
    page["odata.nextLink"] = V3_FIRST  # points back at itself
    pages = Recorded({V3_FIRST: json.dumps(page).encode()})
    with pytest.raises(ODataError, match="lus") as err:
        fetch_odata(V3_FIRST, fetch=pages)
    assert err.value.url == V3_FIRST
    assert V3_FIRST in str(err.value)
    assert pages.asked == [V3_FIRST]


def test_two_page_loop_is_an_error(v3_pages):
    page = json.loads(_fixture("v3_page2.json"))
    page["odata.nextLink"] = V3_FIRST
    v3_pages.pages[V3_SECOND] = json.dumps(page).encode()
    with pytest.raises(ODataError, match="lus"):
        fetch_odata(V3_FIRST, fetch=v3_pages)
    assert v3_pages.asked == [V3_FIRST, V3_SECOND]


def test_max_pages(v3_pages):
    with pytest.raises(ODataError, match="meer dan 1 pagina") as err:
        fetch_odata(V3_FIRST, fetch=v3_pages, max_pages=1)
    assert err.value.url == V3_SECOND


def _client(handler) -> HttpClient:
    """The shared HTTP client, answering from ``handler`` and never waiting between retries."""
    return HttpClient(transport=httpx.MockTransport(handler), sleep=lambda seconds: None)


def test_http_error_names_url_and_status(v3_pages):
    def failing(request: httpx.Request) -> httpx.Response:
        if str(request.url) == V3_SECOND:
            return httpx.Response(503, text="Service Unavailable")
        return httpx.Response(200, content=v3_pages(str(request.url)))

    with pytest.raises(ODataError) as err:
        fetch_odata(V3_FIRST, fetch=_client(failing).get_bytes)
    assert err.value.status == 503
    assert err.value.url == V3_SECOND
    assert str(err.value).startswith(f"HTTP 503 {V3_SECOND}")


def test_network_error_names_url():
    def failing(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Name or service not known", request=request)

    with pytest.raises(ODataError, match="niet bereikbaar") as err:
        fetch_odata(V4_FIRST, fetch=_client(failing).get_bytes)
    assert err.value.url == V4_FIRST
    assert err.value.status is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"value": [', "geen geldige JSON"),
        (b"<html>Bad gateway</html>", "geen geldige JSON"),
        (b'{"odata.metadata": "x"}', "zonder lijst 'value'"),
        (b'{"value": {"a": 1}}', "zonder lijst 'value'"),
        (b"[1, 2]", "zonder lijst 'value'"),
        (b'{"value": [{"a": 1}, 2]}', "record 2 in 'value' is geen object"),
        (_fixture("v3_error.json"), "query could not be executed"),
        (b'{"error": {"code": "1", "message": "Dataset not found"}}', "Dataset not found"),
    ],
)
def test_bad_page_is_an_error(v3_pages, body, message):
    v3_pages.pages[V3_SECOND] = body
    with pytest.raises(ODataError, match=message) as err:
        fetch_odata(V3_FIRST, fetch=v3_pages)
    assert err.value.url == V3_SECOND


def test_default_fetch_sends_user_agent_and_timeout(monkeypatch):
    seen = {}

    def handle_request(transport, request: httpx.Request) -> httpx.Response:
        # The default client, down to its transport: only the socket is left out.
        seen["agent"] = request.headers["User-Agent"]
        seen["timeout"] = request.extensions["timeout"]["read"]
        seen["url"] = str(request.url)
        return httpx.Response(200, content=b'{"value": [{"A": " b "}]}')

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle_request)
    assert fetch_odata(V4_FIRST) == [{"A": "b"}]
    assert seen == {"agent": DEFAULT_USER_AGENT, "timeout": 60, "url": V4_FIRST}
    fetch_odata(V4_FIRST, user_agent="Test/1.0")
    assert seen["agent"] == "Test/1.0"


def test_default_fetch_refuses_other_schemes():
    with pytest.raises(ODataError, match="http"):
        fetch_odata("file:///etc/passwd")


# --- v3 to tidy ---------------------------------------------------------------------------


def test_v3_records_to_tidy(v3_pages):
    records = fetch_odata(V3_FIRST, fetch=v3_pages)
    result = odata_to_tidy(
        records,
        region_field="WijkenEnBuurten",
        period_field="Perioden",
        measures={
            "ParticuliereHuishoudens_2": "particuliere_huishoudens",
            "GemiddeldeScore_3": "ses_woa_score",
        },
        source="CBS SES-WOA",
        release="85163NED",
        table_id="85163NED",
    )
    table = result.table
    assert table.columns == list(TIDY_SCHEMA)
    assert set(table["source_file"]) == {"85163NED_TypedDataSet"}
    score = table.filter(pl.col("indicator") == "ses_woa_score")
    assert score.select("area_code", "area_level", "value", "row").rows() == [
        ("GM0363", "gemeente", -0.1, 1),
        ("WK036300", "wijk", -0.022, 2),
        ("BU03630100", "buurt", None, 3),
        ("BU03630101", "buurt", 0.056, 4),
        ("BU03630103", "buurt", None, 6),
    ]
    assert score["flags"].to_list() == [[], [], ["missing"], [], ["invalid"]]
    period_error, value_error = result.errors
    assert (period_error.row, period_error.field, period_error.code) == (5, "Perioden", "2019KW01")
    assert (value_error.row, value_error.field, value_error.code) == (
        6,
        "GemiddeldeScore_3",
        "n.b.",
    )
    assert value_error.file == "85163NED_TypedDataSet"
    assert "BU03630103" in value_error.message


def test_v3_measure_absent_everywhere_is_one_error():
    records = [{"RegioS": "GM0363", "Perioden": "2019JJ00", "A": 1}]
    result = odata_to_tidy(
        records,
        region_field="RegioS",
        period_field="Perioden",
        measures=["A", "Typo"],
        source="CBS",
        release="1",
        table_id="12345NED",
        source_file="page.json",
    )
    [error] = result.errors
    assert (error.file, error.field, error.code) == ("page.json", "Typo", "Typo")
    assert result.table["indicator"].to_list() == ["A"]


def test_v3_record_without_region_is_reported():
    records = [{"RegioS": "  ", "Perioden": "2019JJ00", "A": 1}]
    result = odata_to_tidy(
        records,
        region_field="RegioS",
        period_field="Perioden",
        measures=["A"],
        source="CBS",
        release="1",
        table_id="12345NED",
    )
    [error] = result.errors
    assert (error.row, error.field) == (1, "RegioS")
    assert result.table.height == 0


# --- v4 to tidy ---------------------------------------------------------------------------


def test_v4_observations_to_tidy(v4_pages):
    records = fetch_odata(V4_FIRST, fetch=v4_pages)
    result = observations_to_tidy(
        records,
        source="CBS SES-WOA",
        release="85163NED",
        table_id="85163NED",
        measures={"M001234": "ses_woa_score"},
    )
    assert result.meta["region_field"] == "WijkenEnBuurten"
    assert result.meta["skipped_measures"] == {"M009999": 1}
    rows = result.table.select("area_code", "period", "group", "value", "flags", "row").rows()
    assert rows == [
        ("GM0363", 2019, "totaal", -0.1, [], 1),
        ("WK036300", 2019, "totaal", -0.022, [], 2),
        ("BU03630100", 2019, "totaal", None, ["not-applicable"], 3),
        ("BU03630101", 2019, "totaal", None, ["secret"], 4),
        ("BU03630102", 2019, "totaal", None, ["missing"], 5),
        ("BU03630103", 2020, "Geslacht:3000", 0.3, ["attribute:Provisional"], 6),
    ]
    assert set(result.table["indicator"]) == {"ses_woa_score"}
    [warning] = result.warnings
    assert (warning.row, warning.field, warning.code) == (6, "ValueAttribute", "Provisional")
    assert warning.file == "85163NED_Observations"


def test_v4_without_measure_filter_keeps_codes(v4_pages):
    records = fetch_odata(V4_FIRST, fetch=v4_pages)
    result = observations_to_tidy(records, source="CBS", release="x", table_id="85163NED")
    assert sorted(result.table["indicator"].unique()) == ["M001234", "M009999"]
    assert result.table.height == 7


def test_v4_bad_records_are_reported():
    records = [
        {"Measure": "", "Value": 1, "RegioS": "GM0363", "Perioden": "2019JJ00"},
        {"Measure": "M1", "Value": 1, "RegioS": "GM0363", "Perioden": "2019MM01"},
        {"Measure": "M1", "Value": "veel", "RegioS": "GM0363", "Perioden": "2019JJ00"},
        {"Measure": "M1", "Value": True, "RegioS": "GM0363", "Perioden": "2019JJ00"},
    ]
    result = observations_to_tidy(records, source="CBS", release="x", table_id="T1234")
    assert [(e.row, e.field, e.code) for e in result.errors] == [
        (1, "Measure", None),
        (2, "Perioden", "2019MM01"),
        (3, "M1", "veel"),
        (4, "M1", "True"),
    ]
    assert result.table["flags"].to_list() == [["invalid"], ["invalid"]]


# --- the real saved v3 page ---------------------------------------------------------------


def test_real_saved_page(shared_data):
    records = read_odata_json(shared_data / REAL_PAGE)
    raw = json.loads((shared_data / REAL_PAGE).read_text(encoding="utf-8"))
    assert len(records) == len(raw["value"]) == 2500  # SOURCES.md
    assert "odata.nextLink" not in raw
    assert raw["value"][0]["Naam_2"] != "Almelo"  # padded in the file
    for got, original in zip(records, raw["value"], strict=True):
        assert set(got) == set(original)
        for key, value in original.items():
            assert got[key] == (value.strip() if isinstance(value, str) else value)
    assert records[0] == {
        "ID": 0,
        "Woonplaatsen": "WP1925",
        "Woonplaatscode_1": "WP1925",
        "Naam_2": "Almelo",
        "Code_3": "GM0141",
        "Naam_4": "Overijssel",
        "Code_5": "PV23",
        "Naam_6": "Oost-Nederland",
        "Code_7": "LD02",
    }
    amsterdam = [r for r in records if r["Code_3"] == "GM0363"]
    assert amsterdam
    assert all(r["Code_7"] == "LD03" for r in amsterdam)


def test_real_page_through_the_tidy_conversion(shared_data):
    """A classification table without period: the codes become areas of level ``overig``."""
    records = read_odata_json(shared_data / REAL_PAGE)
    result = odata_to_tidy(
        records,
        region_field="Woonplaatsen",
        period_field=None,
        period=2020,
        measures={"ID": "record_id"},
        source="CBS",
        release="2020",
        table_id="84489NED",
    )
    assert result.issues == []
    assert result.table.height == 2500
    assert set(result.table["area_level"]) == {"overig"}
    assert result.table["value"].to_list() == [float(r["ID"]) for r in records]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "geen geldige JSON"),
        (b'{"value": [', "geen geldige JSON"),
        (b'{"odata.metadata": "x"}', "value"),
    ],
)
def test_bad_saved_page_is_a_format_error(tmp_path, content, message):
    path = tmp_path / "page.json"
    path.write_bytes(content)
    with pytest.raises(SourceFormatError, match=message) as err:
        read_odata_json(path)
    assert (err.value.file, err.value.row) == (str(path), 1)
    assert str(err.value).startswith("page.json, regel 1")
