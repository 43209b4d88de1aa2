"""``kansenaudit data pull``: fetch, verify and cache a city's sources (mirror and download).

The mirror tests use the real published files in the shared data folder (copied into
``tmp_path`` where a test changes them). The download tests never touch the internet: ``fetch``
is a recorded-response stub that serves the real file bytes for the official addresses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import httpx
import pytest

from kansenaudit.data import pull as pull_module
from kansenaudit.data.pull import (
    CITY_SOURCES,
    CachedFile,
    PullError,
    cached_files,
    default_fetch,
    pull,
)
from kansenaudit.data.readers import read

# The files of the shared folder that the Amsterdam mirror patterns should pick, by source key.
MIRROR_FILES = {
    "bbga/bbga_2018_gebieden22_DX.csv": "bbga",
    "bbga/bbga_2018_stadsdelen.csv": "bbga",
    "bbga/bbga_2018_metadata.csv": "bbga_metadata",
    "geo/amsterdam_indeling_buurt_2022_wgs84.geojson": "geo_buurten",
    "geo/amsterdam_indeling_gebied_2022_wgs84.geojson": "geo_gebieden",
    "geo/amsterdam_GEBIED_STADSDELEN_wkt.csv": "geo_stadsdelen",
    "geo/amsterdam_GEBIED_BUURTEN_oldcodes_wkt.csv": "geo_buurten_2015",
    "cbs_ses/ses_woa_85163NED_amsterdam_2019.csv": "cbs_ses",
    "cbs_kwb/kwb2017_wijken_nl_from_wijkbuurtkaart.csv": "cbs_kwb",
}
BBGA_GEBIEDEN = "bbga/bbga_2018_gebieden22_DX.csv"
BBGA_STADSDELEN = "bbga/bbga_2018_stadsdelen.csv"
BBGA_METADATA = "bbga/bbga_2018_metadata.csv"
GEO_BUURT = "geo/amsterdam_indeling_buurt_2022_wgs84.geojson"
GEO_GEBIED = "geo/amsterdam_indeling_gebied_2022_wgs84.geojson"
SES = "cbs_ses/ses_woa_85163NED_amsterdam_2019.csv"
ALL_KEYS = [spec.key for spec in CITY_SOURCES["amsterdam"]]
REQUIRED = {"bbga", "bbga_metadata"}
OPTIONAL = {"cbs_ses", "cbs_kwb", "geo_stadsdelen", "geo_gebieden"}

HTML_ERROR_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>\n"
    b"<body><h1>Service Unavailable</h1><p>Probeer het later opnieuw.</p></body></html>\n"
)

# The official addresses (as configured in CITY_SOURCES) that the download tests answer.
BBGA_URL = "https://onderzoek.amsterdam.nl/static/datasets/bbga_latest_and_greatest.csv"
META_URL = "https://onderzoek.amsterdam.nl/static/datasets/metadata_latest_and_greatest.csv"
DCAT_URL = "https://api.data.amsterdam.nl/dcatd/datasets/G5JpqNbhweXZSw"
GEO_BUURT_URL = (
    "https://maps.amsterdam.nl/open_geodata/geojson_lnglat.php?KAART=INDELING_BUURT"
    "&NAAM=&THEMA=gebiedsindeling"
)
GEO_GEBIED_URL = (
    "https://maps.amsterdam.nl/open_geodata/geojson_lnglat.php?KAART=INDELING_GEBIED"
    "&NAAM=&THEMA=gebiedsindeling"
)
SES_PAGE_1 = (
    "https://opendata.cbs.nl/ODataApi/odata/85163NED/TypedDataSet"
    "?$filter=substringof('0363',WijkenEnBuurten)"
)
SES_PAGE_2 = SES_PAGE_1 + "&$skip=2"
SES_PROPERTIES_URL = "https://opendata.cbs.nl/ODataApi/odata/85163NED/DataProperties"
SES_REGIONS_URL = "https://opendata.cbs.nl/ODataApi/odata/85163NED/WijkenEnBuurten"
# Where the (fake) DCAT catalogue says the files are.
BBGA_ACCESS_URL = "https://files.example.org/bbga/bbga_latest_and_greatest.csv"
META_ACCESS_URL = "https://files.example.org/bbga/metadata_latest_and_greatest.csv"

# INVENTED records in the style of the CBS OData v3 TypedDataSet of 85163NED (field names with
# a numeric suffix, dimension keys padded with spaces, Perioden "2019JJ00", null = missing).
# The values are made up for this test; they are not CBS figures.
SES_RECORDS_PAGE_1 = [
    {
        "ID": 0,
        "WijkenEnBuurten": "GM0363    ",
        "Gemeentenaam_1": "Amsterdam                               ",
        "SoortRegio_2": "Gemeente  ",
        "Perioden": "2019JJ00",
        "ParticuliereHuishoudens_3": 111111,
        "GemiddeldeSESWOAScore_7": -0.123,
    },
    {
        "ID": 1,
        "WijkenEnBuurten": "WK036300  ",
        "Gemeentenaam_1": "Amsterdam                               ",
        "SoortRegio_2": "Wijk      ",
        "Perioden": "2019JJ00",
        "ParticuliereHuishoudens_3": 2222,
        "GemiddeldeSESWOAScore_7": 0.045,
    },
]
SES_RECORDS_PAGE_2 = [
    {
        "ID": 2,
        "WijkenEnBuurten": "BU03630000",
        "Gemeentenaam_1": "Amsterdam                               ",
        "SoortRegio_2": "Buurt     ",
        "Perioden": "2019JJ00",
        "ParticuliereHuishoudens_3": 333,
        "GemiddeldeSESWOAScore_7": None,
    },
]


# INVENTED field descriptions in the style of the v3 DataProperties of 85163NED: they say what
# the numbered fields above are (topic group path, title, unit), as CBS's API does.
SES_PROPERTIES = [
    {"ID": 0, "ParentID": None, "Type": "GeoDimension", "Key": "WijkenEnBuurten",
     "Title": "Wijken en buurten"},
    {"ID": 1, "ParentID": None, "Type": "TimeDimension", "Key": "Perioden", "Title": "Perioden"},
    {"ID": 2, "ParentID": None, "Type": "Topic", "Key": "ParticuliereHuishoudens_3",
     "Title": "Particuliere huishoudens", "Unit": "aantal"},
    {"ID": 3, "ParentID": None, "Type": "TopicGroup", "Key": "SESWOA", "Title": "SES-WOA"},
    {"ID": 4, "ParentID": 3, "Type": "TopicGroup", "Key": "Totaalscore", "Title": "Totaalscore"},
    {"ID": 5, "ParentID": 4, "Type": "Topic", "Key": "GemiddeldeSESWOAScore_7",
     "Title": "Gemiddelde score", "Unit": "getal"},
]  # fmt: skip
SES_REGIONS = [
    {"Key": "GM0363    ", "Title": "Amsterdam"},
    {"Key": "WK036300  ", "Title": "Burgwallen-Oude Zijde"},
    {"Key": "BU03630000", "Title": "Kop Zeedijk"},
]


def spec(key: str):
    return next(item for item in CITY_SOURCES["amsterdam"] if item.key == key)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_mirror(shared_data: Path, target: Path, exclude: tuple[str, ...] = ()) -> Path:
    """A writable copy of the mirror files of the shared folder (minus ``exclude``)."""
    for relative in MIRROR_FILES:
        if relative in exclude:
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared_data / relative, destination)
    return target


def snapshot(folder: Path) -> tuple[str, dict[str, bytes]]:
    """The manifest text and the bytes of every file under ``folder`` (the whole cache)."""
    manifest = (folder / "manifest.json").read_text(encoding="utf-8")
    files = {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "manifest.json"
    }
    return manifest, files


def manifest_records(folder: Path) -> list[dict]:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["files"]


def by_path(files: list[CachedFile]) -> list[CachedFile]:
    return sorted(files, key=lambda item: item.path)


class RecordedFetch:
    """``url -> bytes`` from a dict; an exception in the dict is raised; unknown URLs are 404."""

    def __init__(self, responses: dict[str, bytes | Exception]) -> None:
        self.responses = responses
        self.calls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        answer = self.responses.get(url)
        if answer is None:
            raise PullError(f"{url}: HTTP 404")
        if isinstance(answer, Exception):
            raise answer
        return answer


def catalogue(*distributions: tuple[str, str]) -> bytes:
    return json.dumps(
        {
            "dct:title": "Basisbestand Gebieden Amsterdam (BBGA)",
            "dcat:distribution": [
                {"dct:title": title, "dcat:accessURL": url, "dcat:mediaType": "text/csv"}
                for title, url in distributions
            ],
        }
    ).encode()


def http_503(url: str) -> PullError:
    return PullError(f"{url}: HTTP 503")


# --- 1. a mirror pull of the real files ------------------------------------------------------


def test_mirror_pull_caches_every_source_with_provenance(shared_data, tmp_path):
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    progress: list[str] = []
    result = pull("amsterdam", cache_dir=tmp_path, mirror=shared_data, progress=progress.append)
    folder = tmp_path / "sources" / "amsterdam"

    assert result.city == "amsterdam"
    assert result.folder == folder
    assert progress == ALL_KEYS
    assert result.skipped == []
    assert result.messages == []
    # Exactly the expected files, each under its source key; nothing else in the shared folder
    # (e.g. the DataPunt test fixtures bbga_tableau_sample_… / bbga_metadata_datapunt_…).
    assert {item.origin: item.key for item in result.files} == {
        str(shared_data / relative): key for relative, key in MIRROR_FILES.items()
    }
    assert {item.key for item in result.files} >= REQUIRED | OPTIONAL
    assert len(result.for_key("bbga")) == 2

    for item in result.files:
        original = Path(item.origin)
        cached = Path(item.path)
        assert cached == folder / item.key / original.name
        assert item.sha256 == sha256_of(original), item.path
        assert cached.read_bytes() == original.read_bytes(), item.path
        assert item.size == original.stat().st_size
        assert item.kind == spec(item.key).kind
        assert item.publisher == spec(item.key).publisher
        moment = dt.datetime.fromisoformat(item.retrieved_at)
        assert moment.utcoffset() == dt.timedelta(0)
        assert started <= moment <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)

    releases = {Path(item.origin).name: item.release for item in result.files}
    assert releases["bbga_2018_gebieden22_DX.csv"] == "2018"
    assert releases["bbga_2018_stadsdelen.csv"] == "2018"
    assert releases["ses_woa_85163NED_amsterdam_2019.csv"] == "85163NED"
    assert releases["kwb2017_wijken_nl_from_wijkbuurtkaart.csv"] == "2017"

    payload = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    dt.datetime.fromisoformat(payload["written_at"])
    assert payload["files"] == [item.as_dict() for item in by_path(result.files)]
    for record in payload["files"]:
        assert record["origin"].startswith(str(shared_data))
        assert record["retrieved_at"]
    assert by_path(cached_files(folder)) == by_path(result.files)
    assert not list(folder.rglob("*.part"))


def test_cached_files_leaves_out_vanished_files_and_tolerates_a_broken_manifest(
    shared_data, tmp_path
):
    mirror = make_mirror(shared_data, tmp_path / "mirror")
    result = pull("amsterdam", cache_dir=tmp_path / "cache", mirror=mirror, only=["cbs_ses"])
    folder = result.folder
    assert [item.key for item in cached_files(folder)] == ["cbs_ses"]
    Path(result.files[0].path).unlink()
    assert cached_files(folder) == []
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")
    assert cached_files(folder) == []
    assert cached_files(tmp_path / "nowhere") == []


# --- 2. idempotence ---------------------------------------------------------------------------


def test_second_pull_is_idempotent_and_a_changed_file_is_cached_anew(
    shared_data, tmp_path, monkeypatch
):
    mirror = make_mirror(shared_data, tmp_path / "mirror")
    cache = tmp_path / "cache"
    monkeypatch.setattr(pull_module, "_now", lambda: "2025-01-01T00:00:00+00:00")
    first = pull("amsterdam", cache_dir=cache, mirror=mirror)
    folder = first.folder
    assert {item.retrieved_at for item in first.files} == {"2025-01-01T00:00:00+00:00"}

    monkeypatch.setattr(pull_module, "_now", lambda: "2025-06-01T00:00:00+00:00")
    second = pull("amsterdam", cache_dir=cache, mirror=mirror)
    assert by_path(second.files) == by_path(first.files)  # same hashes, same retrieved_at
    assert manifest_records(folder) == [item.as_dict() for item in by_path(first.files)]

    # A new release of one file in the mirror: that file, and only that one, is cached anew.
    changed = mirror / BBGA_STADSDELEN
    old_bytes = changed.read_bytes()
    new_bytes = old_bytes.replace(b"2015,STAD,BBC_P,20\n", b"2015,STAD,BBC_P,21\n", 1)
    assert new_bytes != old_bytes
    changed.write_bytes(new_bytes)
    monkeypatch.setattr(pull_module, "_now", lambda: "2025-12-01T00:00:00+00:00")
    third = pull("amsterdam", cache_dir=cache, mirror=mirror)

    before = {item.path: item for item in first.files}
    for item in third.files:
        if Path(item.path).name == changed.name:
            assert item.sha256 == hashlib.sha256(new_bytes).hexdigest()
            assert item.sha256 != before[item.path].sha256
            assert item.retrieved_at == "2025-12-01T00:00:00+00:00"
            assert item.release == "2018"
            assert Path(item.path).read_bytes() == new_bytes
        else:
            assert item == before[item.path]
    assert manifest_records(folder) == [item.as_dict() for item in by_path(third.files)]
    assert by_path(cached_files(folder)) == by_path(third.files)


def test_pull_of_one_source_keeps_the_others_in_the_manifest(shared_data, tmp_path, monkeypatch):
    mirror = make_mirror(shared_data, tmp_path / "mirror")
    cache = tmp_path / "cache"
    everything = pull(
        "amsterdam", cache_dir=cache, mirror=mirror, only=["geo_gebieden", "cbs_ses", "cbs_kwb"]
    )
    (mirror / GEO_GEBIED).write_bytes(
        json.dumps(json.loads((mirror / GEO_GEBIED).read_bytes()), indent=1).encode()
    )
    monkeypatch.setattr(pull_module, "_now", lambda: "2030-01-01T00:00:00+00:00")
    progress: list[str] = []
    only = pull(
        "amsterdam", cache_dir=cache, mirror=mirror, only=["geo_gebieden"], progress=progress.append
    )
    assert progress == ["geo_gebieden"]
    assert [item.key for item in only.files] == ["geo_gebieden"]
    assert only.files[0].sha256 == sha256_of(mirror / GEO_GEBIED)
    assert only.files[0].retrieved_at == "2030-01-01T00:00:00+00:00"
    expected = {item.path: item for item in everything.files}
    expected[only.files[0].path] = only.files[0]
    assert by_path(cached_files(only.folder)) == by_path(list(expected.values()))


# --- 3. a mirror without a source -------------------------------------------------------------


def test_mirror_without_a_required_source_is_an_error_naming_source_and_folder(
    shared_data, tmp_path
):
    mirror = make_mirror(shared_data, tmp_path / "mirror", exclude=(BBGA_GEBIEDEN, BBGA_STADSDELEN))
    with pytest.raises(PullError) as caught:
        pull("amsterdam", cache_dir=tmp_path / "cache", mirror=mirror)
    message = str(caught.value)
    assert spec("bbga").title in message
    assert str(mirror) in message
    assert "bbga_latest_and_greatest*.csv" in message
    assert cached_files(tmp_path / "cache" / "sources" / "amsterdam") == []


def test_mirror_without_an_optional_source_skips_it_with_a_message(shared_data, tmp_path):
    mirror = make_mirror(shared_data, tmp_path / "mirror", exclude=(SES,))
    result = pull("amsterdam", cache_dir=tmp_path / "cache", mirror=mirror)
    assert result.skipped == ["cbs_ses"]
    assert len(result.messages) == 1
    message = result.messages[0]
    assert message.startswith("cbs_ses")
    assert str(mirror) in message
    assert "ses_woa_85163NED*.csv" in message
    assert result.for_key("cbs_ses") == []
    assert {item.key for item in result.files} == set(ALL_KEYS) - {"cbs_ses"}
    assert "cbs_ses" not in {record["key"] for record in manifest_records(result.folder)}


# --- 4. a corrupt file in the mirror ----------------------------------------------------------


def _truncated(relative: str, size: int):
    return lambda shared: (shared / relative).read_bytes()[:size]


CORRUPTIONS = {
    "bbga-html-error-page": (BBGA_STADSDELEN, lambda shared: HTML_ERROR_PAGE),
    "bbga-empty": (BBGA_GEBIEDEN, lambda shared: b""),
    "bbga-cut-in-header": (BBGA_STADSDELEN, _truncated(BBGA_STADSDELEN, 12)),
    "metadata-html-error-page": (BBGA_METADATA, lambda shared: HTML_ERROR_PAGE),
    "geojson-html-error-page": (GEO_BUURT, lambda shared: HTML_ERROR_PAGE),
    "geojson-truncated": (GEO_BUURT, _truncated(GEO_BUURT, 4000)),
}


@pytest.mark.parametrize("case", list(CORRUPTIONS))
def test_corrupt_mirror_file_is_refused_and_the_good_cache_is_untouched(
    shared_data, tmp_path, case
):
    relative, make_bad = CORRUPTIONS[case]
    key = MIRROR_FILES[relative]
    mirror = make_mirror(shared_data, tmp_path / "mirror")
    cache = tmp_path / "cache"
    good = pull("amsterdam", cache_dir=cache, mirror=mirror, only=[key])
    before = snapshot(good.folder)

    (mirror / relative).write_bytes(make_bad(shared_data))
    if spec(key).required:
        with pytest.raises(PullError) as caught:
            pull("amsterdam", cache_dir=cache, mirror=mirror, only=[key])
        message = str(caught.value)
    else:  # an optional source is skipped with the same message, the good cache kept
        result = pull("amsterdam", cache_dir=cache, mirror=mirror, only=[key])
        assert result.skipped == [key]
        message = " ".join(result.messages)
    assert Path(relative).name in message
    assert spec(key).title in message

    assert snapshot(good.folder) == before
    assert by_path(cached_files(good.folder)) == by_path(good.files)
    for item in good.files:
        assert sha256_of(Path(item.path)) == item.sha256


def test_corrupt_optional_file_is_skipped_and_the_cached_file_is_not_replaced(
    shared_data, tmp_path
):
    mirror = make_mirror(shared_data, tmp_path / "mirror")
    cache = tmp_path / "cache"
    good = pull("amsterdam", cache_dir=cache, mirror=mirror, only=["geo_gebieden"])
    (cached,) = good.files
    original = Path(cached.path).read_bytes()
    (mirror / GEO_GEBIED).write_bytes(b'{"type": "FeatureCollection", "features": [')
    result = pull("amsterdam", cache_dir=cache, mirror=mirror, only=["geo_gebieden"])
    assert result.skipped == ["geo_gebieden"]
    assert result.files == []
    (message,) = result.messages
    assert message.startswith("geo_gebieden")
    assert Path(GEO_GEBIED).name in message
    assert Path(cached.path).read_bytes() == original


def test_corrupt_optional_file_keeps_the_earlier_manifest_entry(shared_data, tmp_path):
    mirror = make_mirror(shared_data, tmp_path / "mirror")
    cache = tmp_path / "cache"
    good = pull("amsterdam", cache_dir=cache, mirror=mirror)
    (mirror / GEO_GEBIED).write_bytes(HTML_ERROR_PAGE)
    result = pull("amsterdam", cache_dir=cache, mirror=mirror)
    assert result.skipped == ["geo_gebieden"]
    assert by_path(cached_files(good.folder)) == by_path(good.files)


def test_failed_pull_never_leaves_a_cached_file_that_differs_from_its_manifest_hash(
    shared_data, tmp_path
):
    mirror = make_mirror(shared_data, tmp_path / "mirror")
    cache = tmp_path / "cache"
    good = pull("amsterdam", cache_dir=cache, mirror=mirror, only=["bbga"])
    gebieden = mirror / BBGA_GEBIEDEN
    gebieden.write_bytes(
        gebieden.read_bytes().replace(b"2015,STAD,BBC_P,20\n", b"2015,STAD,BBC_P,21\n", 1)
    )
    (mirror / BBGA_STADSDELEN).write_bytes(HTML_ERROR_PAGE)
    with pytest.raises(PullError, match=r"bbga_2018_stadsdelen\.csv"):
        pull("amsterdam", cache_dir=cache, mirror=mirror, only=["bbga"])
    for item in cached_files(good.folder):
        assert sha256_of(Path(item.path)) == item.sha256, item.path


def test_bbga_cut_in_the_middle_of_a_line_is_refused(shared_data, tmp_path):
    mirror = make_mirror(shared_data, tmp_path / "mirror")
    cache = tmp_path / "cache"
    good = pull("amsterdam", cache_dir=cache, mirror=mirror, only=["bbga"])
    before = snapshot(good.folder)
    data = (mirror / BBGA_STADSDELEN).read_bytes()
    cut = data.index(b"\n", len(data) // 2) - 3  # inside a line, not at a line end
    (mirror / BBGA_STADSDELEN).write_bytes(data[:cut])
    with pytest.raises(PullError):
        pull("amsterdam", cache_dir=cache, mirror=mirror, only=["bbga"])
    assert snapshot(good.folder) == before


# --- 5. downloads through an injected fetch ---------------------------------------------------


def test_official_addresses_are_the_ones_the_download_tests_answer():
    assert spec("bbga").urls == (BBGA_URL, f"dcat:{DCAT_URL}#bbga!metadata")
    assert spec("bbga_metadata").urls == (META_URL, f"dcat:{DCAT_URL}#metadata")
    assert spec("geo_buurten").urls == (GEO_BUURT_URL,)
    assert spec("geo_gebieden").urls == (GEO_GEBIED_URL,)
    assert spec("cbs_ses").urls == (f"odata:{SES_PAGE_1}",)
    assert spec("cbs_kwb").urls == ()
    assert spec("geo_stadsdelen").urls == ()


@pytest.fixture
def recorded(shared_data):
    """Recorded answers for every official address (the geo_gebieden server is down)."""
    return RecordedFetch(
        {
            BBGA_URL: http_503(BBGA_URL),
            DCAT_URL: catalogue(
                ("BBGA kerncijfers (lang formaat)", BBGA_ACCESS_URL),
                ("Metadata", META_ACCESS_URL),
            ),
            BBGA_ACCESS_URL: (shared_data / BBGA_STADSDELEN).read_bytes(),
            META_URL: (shared_data / BBGA_METADATA).read_bytes(),
            GEO_BUURT_URL: (shared_data / GEO_BUURT).read_bytes(),
            GEO_GEBIED_URL: http_503(GEO_GEBIED_URL),
            SES_PAGE_1: json.dumps(
                {"odata.metadata": "…", "value": SES_RECORDS_PAGE_1, "odata.nextLink": SES_PAGE_2}
            ).encode(),
            SES_PAGE_2: json.dumps({"value": SES_RECORDS_PAGE_2}).encode(),
            SES_PROPERTIES_URL: json.dumps({"value": SES_PROPERTIES}).encode(),
            SES_REGIONS_URL: json.dumps({"value": SES_REGIONS}).encode(),
        }
    )


def test_download_caches_the_fetched_bytes_with_their_urls(
    shared_data, tmp_path, recorded, monkeypatch
):
    written: dict[str, object] = {}
    real_verify = pull_module._verify

    def spying_verify(kind: str, path: Path) -> str:
        if kind == "statline_ses":
            written[path.name] = json.loads(path.read_text(encoding="utf-8"))
        return real_verify(kind, path)

    monkeypatch.setattr(pull_module, "_verify", spying_verify)
    result = pull("amsterdam", cache_dir=tmp_path, fetch=recorded)
    folder = result.folder

    # Every address was asked for once, in the order of the sources; the BBGA address failed
    # with HTTP 503, so the DCAT catalogue was read and its distribution fetched.
    assert recorded.calls == [
        BBGA_URL,
        DCAT_URL,
        BBGA_ACCESS_URL,
        META_URL,
        GEO_BUURT_URL,
        GEO_GEBIED_URL,
        SES_PAGE_1,
        SES_PAGE_2,
        SES_PROPERTIES_URL,
        SES_REGIONS_URL,
    ]
    assert {item.key for item in result.files} == {
        "bbga",
        "bbga_metadata",
        "geo_buurten",
        "cbs_ses",
    }

    expected = {
        "bbga": (BBGA_ACCESS_URL, BBGA_STADSDELEN, "bbga.csv"),
        "bbga_metadata": (META_URL, BBGA_METADATA, "bbga_metadata.csv"),
        "geo_buurten": (GEO_BUURT_URL, GEO_BUURT, "geo_buurten.geojson"),
    }
    for key, (origin, relative, name) in expected.items():
        (item,) = result.for_key(key)
        assert item.origin == origin
        assert Path(item.path) == folder / key / name
        assert Path(item.path).read_bytes() == (shared_data / relative).read_bytes()
        assert item.sha256 == sha256_of(shared_data / relative)
        assert item.size == (shared_data / relative).stat().st_size
        dt.datetime.fromisoformat(item.retrieved_at)
    assert result.for_key("geo_buurten")[0].release == "amsterdam-2022"

    # Optional sources: the geo server's 503 and the missing addresses are reported, not fatal.
    # Sources without an official address (cbs_kwb, geo_stadsdelen …) need a mirror.
    without_url = {item.key for item in CITY_SOURCES["amsterdam"] if not item.urls}
    assert {"cbs_kwb", "geo_stadsdelen"} <= without_url
    assert set(result.skipped) == {"geo_gebieden"} | without_url
    messages = {message.split(":", 1)[0]: message for message in result.messages}
    assert set(messages) == set(result.skipped)
    assert GEO_GEBIED_URL in messages["geo_gebieden"]
    assert "HTTP 503" in messages["geo_gebieden"]
    for key in without_url:
        assert "geen officieel downloadadres bekend" in messages[key], key
        assert not list((folder / key).iterdir())

    # SES through OData: both pages were fetched and saved as one JSON list with the padding
    # stripped, together with the table's field descriptions and area names; the SES reader
    # recognises the fields by those descriptions, so the newest SES-WOA comes in by the API.
    stripped = [
        {name: value.strip() if isinstance(value, str) else value for name, value in rec.items()}
        for rec in SES_RECORDS_PAGE_1 + SES_RECORDS_PAGE_2
    ]
    assert stripped[0]["WijkenEnBuurten"] == "GM0363"
    assert written["cbs_ses.json"]["value"] == stripped
    assert written["cbs_ses.json"]["DataProperties"] == SES_PROPERTIES
    (ses,) = result.for_key("cbs_ses")
    assert ses.origin == SES_PAGE_1
    assert ses.release == "85163NED"
    table = read("statline_ses", Path(ses.path)).table
    assert table.select("indicator", "area_code", "period", "value", "n").rows() == [
        ("particuliere_huishoudens", "GM0363", 2019, 111111.0, 111111.0),
        ("ses_woa_score", "GM0363", 2019, -0.123, 111111.0),
        ("particuliere_huishoudens", "WK036300", 2019, 2222.0, 2222.0),
        ("ses_woa_score", "WK036300", 2019, 0.045, 2222.0),
        ("particuliere_huishoudens", "BU03630000", 2019, 333.0, 333.0),
        ("ses_woa_score", "BU03630000", 2019, None, 333.0),
    ]

    assert manifest_records(folder) == [item.as_dict() for item in by_path(result.files)]
    assert by_path(cached_files(folder)) == by_path(result.files)


def test_download_is_idempotent(tmp_path, recorded, monkeypatch):
    monkeypatch.setattr(pull_module, "_now", lambda: "2025-01-01T00:00:00+00:00")
    first = pull("amsterdam", cache_dir=tmp_path, fetch=recorded, only=["bbga_metadata"])
    monkeypatch.setattr(pull_module, "_now", lambda: "2026-01-01T00:00:00+00:00")
    second = pull("amsterdam", cache_dir=tmp_path, fetch=recorded, only=["bbga_metadata"])
    assert second.files == first.files
    assert second.files[0].retrieved_at == "2025-01-01T00:00:00+00:00"


@pytest.mark.parametrize(
    ("catalogue_answer", "expected"),
    [
        (None, f"{DCAT_URL}: HTTP 503"),
        (b"<html>onderhoud</html>", "geen geldige DCAT-catalogus"),
        (catalogue(("Metadata", META_ACCESS_URL)), "geen distributie met 'bbga!metadata'"),
    ],
    ids=["catalogue-down", "catalogue-not-json", "catalogue-without-bbga"],
)
def test_required_source_failing_at_every_address_is_an_error(tmp_path, catalogue_answer, expected):
    fetch = RecordedFetch(
        {BBGA_URL: http_503(BBGA_URL), DCAT_URL: catalogue_answer or http_503(DCAT_URL)}
    )
    with pytest.raises(PullError) as caught:
        pull("amsterdam", cache_dir=tmp_path, fetch=fetch)
    message = str(caught.value)
    assert spec("bbga").title in message
    assert f"{BBGA_URL}: HTTP 503" in message
    assert expected in message
    assert fetch.calls[:2] == [BBGA_URL, DCAT_URL]
    assert BBGA_ACCESS_URL not in fetch.calls
    assert not (tmp_path / "sources" / "amsterdam" / "manifest.json").exists()


def test_download_of_an_html_page_never_enters_the_cache(shared_data, tmp_path):
    good = RecordedFetch({META_URL: (shared_data / BBGA_METADATA).read_bytes()})
    first = pull("amsterdam", cache_dir=tmp_path, fetch=good, only=["bbga_metadata"])
    before = snapshot(first.folder)
    broken = RecordedFetch({META_URL: HTML_ERROR_PAGE, DCAT_URL: http_503(DCAT_URL)})
    with pytest.raises(PullError, match=r"bbga_metadata\.csv is onbruikbaar"):
        pull("amsterdam", cache_dir=tmp_path, fetch=broken, only=["bbga_metadata"])
    assert snapshot(first.folder) == before


def test_unusable_download_falls_back_to_the_next_address(shared_data, tmp_path):
    fetch = RecordedFetch(
        {
            BBGA_URL: HTML_ERROR_PAGE,
            DCAT_URL: catalogue(("BBGA kerncijfers", BBGA_ACCESS_URL)),
            BBGA_ACCESS_URL: (shared_data / BBGA_STADSDELEN).read_bytes(),
        }
    )
    result = pull("amsterdam", cache_dir=tmp_path, fetch=fetch, only=["bbga"])
    assert [item.origin for item in result.files] == [BBGA_ACCESS_URL]


def test_dcat_picks_the_data_distribution_not_the_metadata(shared_data, tmp_path):
    fetch = RecordedFetch(
        {
            BBGA_URL: http_503(BBGA_URL),
            DCAT_URL: catalogue(
                ("BBGA metadata", META_ACCESS_URL), ("BBGA kerncijfers", BBGA_ACCESS_URL)
            ),
            META_ACCESS_URL: (shared_data / BBGA_METADATA).read_bytes(),
            BBGA_ACCESS_URL: (shared_data / BBGA_STADSDELEN).read_bytes(),
        }
    )
    result = pull("amsterdam", cache_dir=tmp_path, fetch=fetch, only=["bbga"])
    assert [item.origin for item in result.files] == [BBGA_ACCESS_URL]


# --- 6. default_fetch -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://onderzoek.amsterdam.nl/static/datasets/bbga_latest_and_greatest.csv",
        "file:///etc/passwd",
        "ftp://example.org/bbga.csv",
        "/work/shared/data/bbga/bbga_2018_stadsdelen.csv",
    ],
)
def test_default_fetch_refuses_anything_but_https(url, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("default_fetch opened a connection")

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", no_network)
    with pytest.raises(PullError) as caught:
        default_fetch(url)
    assert url in str(caught.value)


def test_default_fetch_asks_again_after_a_503_with_retry_after(monkeypatch):
    answers = [
        httpx.Response(503, headers={"Retry-After": "0"}, text="Service Unavailable"),
        httpx.Response(200, content=b"bbga"),
    ]
    asked = []

    def handle_request(transport, request: httpx.Request) -> httpx.Response:
        asked.append((str(request.url), request.headers["User-Agent"]))
        return answers.pop(0)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle_request)
    assert default_fetch(BBGA_URL) == b"bbga"
    assert [url for url, _ in asked] == [BBGA_URL, BBGA_URL]
    assert all(agent.startswith("Kansenaudit/") for _, agent in asked)


def test_default_fetch_names_url_and_status_of_a_failure(monkeypatch):
    def handle_request(transport, request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, text="Not Found")

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle_request)
    with pytest.raises(PullError, match="HTTP 404") as caught:
        default_fetch(BBGA_URL)
    assert BBGA_URL in str(caught.value)


# --- 7. bad arguments -------------------------------------------------------------------------


def test_unknown_city_names_the_known_cities(tmp_path):
    with pytest.raises(PullError) as caught:
        pull("rotterdam", cache_dir=tmp_path)
    assert "rotterdam" in str(caught.value)
    assert "amsterdam" in str(caught.value)
    assert not (tmp_path / "sources").exists()


def test_mirror_that_does_not_exist_is_an_error(tmp_path):
    missing = tmp_path / "no-such-mirror"
    with pytest.raises(PullError) as caught:
        pull("amsterdam", cache_dir=tmp_path / "cache", mirror=missing)
    assert str(missing) in str(caught.value)
    assert not (tmp_path / "cache").exists()
