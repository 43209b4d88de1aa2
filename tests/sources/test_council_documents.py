"""OpenBesluitvorming client and Notubiz reader, against hand-written recordings.

The recordings in fixtures/openbesluitvorming/ are invented from the documented format (see
the README there); the Notubiz meeting is the real file from the shared data folder. The client
is the real one, down to httpx: only the transport is an :class:`httpx.MockTransport` that
replays the recordings.
"""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.parse
from collections import deque
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest

from kansenaudit.sources import council_documents
from kansenaudit.sources.council_documents import (
    MAX_PAGE_SIZE,
    CouncilDocumentRecord,
    CouncilError,
    CouncilSourceNotFound,
    OpenBesluitvormingClient,
    doc_type_hint,
    issuer_hint,
    notubiz_records,
    pull_council_documents,
    read_notubiz_meeting,
    safe_file_name,
)

FIXTURES = Path(__file__).parent / "fixtures" / "openbesluitvorming"
BASE = "https://openbesluitvorming.nl"
DOC_ID = "document:notubiz:gemeente:amsterdam:1203456"
MEETING_ID = "meeting:notubiz:gemeente:amsterdam:998877"
DOC_URL = f"{BASE}/api/entities/document%3Anotubiz%3Agemeente%3Aamsterdam%3A1203456"
MEETING_URL = f"{BASE}/api/entities/meeting%3Anotubiz%3Agemeente%3Aamsterdam%3A998877"
SOURCES_URL = f"{BASE}/api/sources?implemented=true"
SEARCH = (
    f"{BASE}/api/search?query=kansengelijkheid&organization=amsterdam&entityType=Document"
    "&dateFrom=2024-01-01"
)
PDF_BYTES = b"%PDF-1.4\n% invented test bytes\n%%EOF\n"
NOW = datetime(2026, 11, 20, 9, 30, 15, tzinfo=UTC)
JSON = {"Content-Type": "application/json"}


def body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def ok(name: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    return 200, headers or dict(JSON), body(name)


class FakeServer:
    """Replays ``(status, headers, body)`` per exact URL (in order) and records every request."""

    def __init__(self, routes: dict[str, list | tuple]) -> None:
        self.routes = {url: deque(r if isinstance(r, list) else [r]) for url, r in routes.items()}
        self.requests: list[str] = []
        self.headers: list[httpx.Headers] = []
        self.timeouts: list[dict] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.requests.append(url)
        self.headers.append(request.headers)
        self.timeouts.append(request.extensions["timeout"])
        queue = self.routes.get(url)
        if not queue:
            raise AssertionError(f"unexpected request {url}")
        status, headers, content = queue.popleft() if len(queue) > 1 else queue[0]
        return httpx.Response(status, headers=headers, content=content)


def make_client(routes: dict, **kwargs) -> tuple[OpenBesluitvormingClient, FakeServer, list]:
    fetch = FakeServer(routes)
    sleeps: list[float] = []
    client = OpenBesluitvormingClient(
        transport=httpx.MockTransport(fetch), sleep=sleeps.append, now=lambda: NOW, **kwargs
    )
    return client, fetch, sleeps


def params(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


# --- fixtures are marked as invented -----------------------------------------------------------


def test_every_json_recording_says_it_is_invented():
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    assert "hand-written" in readme
    for path in FIXTURES.glob("*.json"):
        if path.name == "search_truncated.json":
            assert b"_comment" in path.read_bytes()
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        assert "Invented" in data["_comment"], path.name
    for path in FIXTURES.glob("*.ndjson"):
        assert path.name in readme


# --- sources ---------------------------------------------------------------------------------


def test_sources_lists_keys_names_and_types():
    client, fetch, _ = make_client({SOURCES_URL: ok("sources.json")})
    sources = client.sources()
    assert fetch.requests == [SOURCES_URL]
    assert [s.key for s in sources][:3] == ["amsterdam", "amstelveen", "utrecht"]
    assert "" not in [s.key for s in sources]  # a source without key is left out
    amsterdam = sources[0]
    assert (amsterdam.name, amsterdam.organization_type, amsterdam.supplier) == (
        "Amsterdam",
        "gemeente",
        "notubiz",
    )
    assert amsterdam.cbs_code == "GM0363"
    assert amsterdam.implemented is True
    client.sources()
    assert len(fetch.requests) == 1  # cached


@pytest.mark.parametrize("name", ["amsterdam", "AMSTERDAM", "Gemeente Amsterdam", "GM0363"])
def test_find_source_is_case_insensitive(name):
    client, _, _ = make_client({SOURCES_URL: ok("sources.json")})
    assert client.find_source(name).key == "amsterdam"


def test_find_source_prefers_the_gemeente_over_the_provincie():
    client, _, _ = make_client({SOURCES_URL: ok("sources.json")})
    assert client.find_source("utrecht").key == "utrecht"
    assert client.find_source("provincie-utrecht").organization_type == "provincie"
    assert client.find_source("'s-hertogenbosch").key == "s-hertogenbosch"


def test_find_source_unknown_lists_close_matches():
    client, _, _ = make_client({SOURCES_URL: ok("sources.json")})
    with pytest.raises(CouncilSourceNotFound) as caught:
        client.find_source("Amsterdm")
    assert "Amsterdm" in str(caught.value)
    assert "Bedoelde u: Amsterdam (amsterdam)" in str(caught.value)
    assert caught.value.suggestions[0] == "Amsterdam (amsterdam)"
    with pytest.raises(CouncilSourceNotFound, match="geen OpenBesluitvorming-bron"):
        client.find_source("Xyzzy")


# --- search ----------------------------------------------------------------------------------


def search_routes() -> dict:
    page3 = f"{SEARCH}&offset=5&limit=100"
    return {
        f"{SEARCH}&offset=0&limit=100": ok("search_page1.json"),
        f"{SEARCH}&offset=2&limit=100": ok("search_page2.json"),
        page3: ok("search_page3.json"),
    }


def test_search_pages_offset_then_next_link_then_last_page():
    client, fetch, _ = make_client(search_routes())
    hits = list(
        client.search(
            "kansengelijkheid", organization="amsterdam", since=date(2024, 1, 1), limit=500
        )
    )
    assert len(fetch.requests) == 3
    for url in fetch.requests:
        query = params(url)
        assert int(query["limit"]) <= MAX_PAGE_SIZE
        assert query["organization"] == "amsterdam"
        assert query["dateFrom"] == "2024-01-01"
        assert query["entityType"] == "Document"
        assert "dateTo" not in query
    # page 2 asked limit=500 in its next link: the client clamps it
    assert params(fetch.requests[2])["limit"] == "100"
    assert params(fetch.requests[1])["offset"] == "2"
    ids = [hit.entity_id for hit in hits]
    assert len(ids) == len(set(ids)) == 5  # the repeated hit on page 2 is dropped
    assert ids[0] == DOC_ID
    assert hits[0].date == date(2024, 3, 13)
    assert hits[0].organization == "Amsterdam"
    assert hits[0].download_url == "https://api.notubiz.nl/document/1203456/1"
    # 23:30 UTC on 31 January is 00:30 on 1 February in Amsterdam
    assert hits[2].date == date(2024, 2, 1)


def test_search_stops_at_max_results_and_asks_only_for_what_is_left():
    routes = {
        f"{SEARCH}&offset=0&limit=3": ok("search_page1.json"),
        f"{SEARCH}&offset=2&limit=1": ok("search_page2.json"),
    }
    client, fetch, _ = make_client(routes)
    hits = list(
        client.search(
            "kansengelijkheid", organization="amsterdam", since="2024-01-01", max_results=3
        )
    )
    assert len(hits) == 3
    assert len(fetch.requests) == 2
    assert params(fetch.requests[1])["limit"] == "1"


def test_search_until_and_datetime_become_bare_dates():
    url = (
        f"{BASE}/api/search?query=jeugd&organization=amsterdam&entityType=Document"
        "&dateFrom=2024-01-01&dateTo=2024-12-31&offset=0&limit=50"
    )
    client, fetch, _ = make_client({url: ok("search_page3.json")}, page_size=50)
    hits = list(
        client.search(
            "jeugd",
            organization="amsterdam",
            since=datetime(2024, 1, 1, 15, 0),
            until=date(2024, 12, 31),
        )
    )
    assert fetch.requests == [url]
    assert len(hits) == 1


def test_search_offset_continues_from_a_next_link():
    first = f"{SEARCH}&offset=0&limit=100"
    linked = f"{SEARCH}&offset=40&limit=100"
    page1 = {"results": [{"entityId": "d:x:gemeente:amsterdam:1"}], "next": linked}
    page2 = {"results": [{"entityId": "d:x:gemeente:amsterdam:2"}], "hasMore": True}
    page3 = {"results": [{"entityId": "d:x:gemeente:amsterdam:3"}], "hasMore": False}
    client, fetch, _ = make_client(
        {
            first: (200, JSON, json.dumps(page1).encode()),
            linked: (200, JSON, json.dumps(page2).encode()),
            f"{SEARCH}&offset=41&limit=100": (200, JSON, json.dumps(page3).encode()),
        }
    )
    hits = client.search("kansengelijkheid", organization="amsterdam", since="2024-01-01")
    assert [h.entity_id[-1] for h in hits] == ["1", "2", "3"]
    assert params(fetch.requests[-1])["offset"] == "41"


def test_search_refuses_bad_arguments():
    client, _, _ = make_client({})
    with pytest.raises(ValueError, match="entity_type"):
        client.search("x", organization="amsterdam", entity_type="document")
    with pytest.raises(ValueError, match="since"):
        client.search("x", organization="amsterdam", since="13-03-2024")
    with pytest.raises(ValueError, match="page_size"):
        OpenBesluitvormingClient(page_size=250)


def test_search_next_link_that_repeats_is_a_loop():
    first = f"{SEARCH}&offset=0&limit=100"
    page = {
        "results": [{"entityId": "document:x:gemeente:amsterdam:1", "title": "a"}],
        "next": f"{SEARCH}&offset=0&limit=100",
    }
    client, _, _ = make_client({first: (200, JSON, json.dumps(page).encode())})
    hits = client.search("kansengelijkheid", organization="amsterdam", since="2024-01-01")
    with pytest.raises(CouncilError, match="lus"):
        list(hits)


def test_search_page_of_only_seen_hits_is_an_error_not_an_endless_loop():
    page = json.dumps(
        {"results": [{"entityId": "document:x:gemeente:amsterdam:1"}], "hasMore": True}
    ).encode()
    routes = {
        f"{SEARCH}&offset=0&limit=100": (200, JSON, page),
        f"{SEARCH}&offset=1&limit=100": (200, JSON, page),
    }
    client, _, _ = make_client(routes)
    hits = client.search("kansengelijkheid", organization="amsterdam", since="2024-01-01")
    with pytest.raises(CouncilError, match="al geziene"):
        list(hits)


def test_search_empty_page_ends_even_when_has_more_claims_otherwise():
    page = json.dumps({"results": [], "totalCount": 40, "hasMore": True}).encode()
    client, fetch, _ = make_client({f"{SEARCH}&offset=0&limit=100": (200, JSON, page)})
    hits = client.search("kansengelijkheid", organization="amsterdam", since="2024-01-01")
    assert list(hits) == []
    assert len(fetch.requests) == 1


def test_search_invalid_json_names_the_url():
    url = f"{SEARCH}&offset=0&limit=100"
    client, _, _ = make_client({url: ok("search_truncated.json")})
    with pytest.raises(CouncilError, match="geen geldige JSON") as caught:
        list(client.search("kansengelijkheid", organization="amsterdam", since="2024-01-01"))
    assert caught.value.url == url
    assert url in str(caught.value)


def test_empty_body_and_missing_results_list_are_errors():
    url = f"{SEARCH}&offset=0&limit=100"
    client, _, _ = make_client({url: (200, JSON, b"  \n")})
    with pytest.raises(CouncilError, match="leeg antwoord"):
        list(client.search("kansengelijkheid", organization="amsterdam", since="2024-01-01"))
    client, _, _ = make_client({url: (200, JSON, b'{"total": 3}')})
    with pytest.raises(CouncilError, match="zonder lijst 'results'"):
        list(client.search("kansengelijkheid", organization="amsterdam", since="2024-01-01"))


# --- entities --------------------------------------------------------------------------------


def test_entity_id_with_colons_is_url_encoded():
    client, fetch, _ = make_client({DOC_URL: ok("entity_document.json")})
    entity = client.entity(DOC_ID)
    assert fetch.requests == [DOC_URL]
    assert "%3A" in fetch.requests[0]
    assert ":" not in urllib.parse.urlsplit(fetch.requests[0]).path
    assert entity.entity_id == DOC_ID
    assert entity.title == "Raadsvoorstel Kansengelijkheid in het onderwijs 2024-2028"
    assert entity.date == date(2024, 3, 13)
    assert entity.source_key == "amsterdam"  # from the id: no key on the entity
    assert entity.meeting_id == MEETING_ID
    assert entity.download_url == "https://api.notubiz.nl/document/1203456/1"
    assert entity.pdf_url.endswith(".pdf")
    assert entity.markdown_text.startswith("# Raadsvoorstel")
    assert entity.raw["entityTypeLabel"] == "Document"


def test_meeting_gives_committee_local_date_and_agenda_item():
    client, _, _ = make_client({MEETING_URL: ok("entity_meeting.json")})
    meeting = client.meeting(MEETING_ID)
    assert meeting.title == "Raadscommissie Onderwijs, Jeugd en Zorg"
    assert meeting.committee == "Commissie Onderwijs, Jeugd en Zorg"
    assert meeting.date == date(2024, 3, 13)
    assert meeting.location == "Raadzaal"
    assert [item.number for item in meeting.agenda] == ["1", "7", "7a"]
    item = meeting.agenda_item_for(DOC_ID)
    assert item.label == "7a Aanpak kansengelijkheid in het onderwijs"
    assert item.parent_id == "agenda_item:notubiz:gemeente:amsterdam:7"


def test_meeting_refuses_a_document_id():
    client, _, _ = make_client({DOC_URL: ok("entity_document.json")})
    with pytest.raises(CouncilError, match="geen vergadering"):
        client.meeting(DOC_ID)


def test_404_names_url_status_and_api_code():
    client, _, _ = make_client({DOC_URL: (404, JSON, body("error_404.json"))})
    with pytest.raises(CouncilError) as caught:
        client.entity(DOC_ID)
    error = caught.value
    assert error.status == 404
    assert error.url == DOC_URL
    assert error.code == "entity_not_found"
    assert str(error).startswith(f"HTTP 404 {DOC_URL}: niet gevonden")


# --- download --------------------------------------------------------------------------------


def test_download_prefers_download_url_and_hashes_the_bytes():
    notubiz = "https://api.notubiz.nl/document/1203456/1"
    client, fetch, _ = make_client(
        {
            DOC_URL: ok("entity_document.json"),
            notubiz: (200, {"Content-Type": "application/pdf"}, PDF_BYTES),
        }
    )
    downloaded = client.download(client.entity(DOC_ID))
    assert fetch.requests[-1] == notubiz
    assert downloaded.data == PDF_BYTES
    assert downloaded.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert downloaded.retrieved_at == "2026-11-20T09:30:15Z"
    assert downloaded.url == notubiz
    assert downloaded.content_type == "application/pdf"
    assert downloaded.file_name == (
        "Raadsvoorstel_Kansengelijkheid_in_het_onderwijs_2024-2028_1203456.pdf"
    )


def test_download_falls_back_to_pdf_url_when_download_url_fails():
    client, _, _ = make_client({DOC_URL: ok("entity_document.json")})
    entity = client.entity(DOC_ID)
    client, fetch, _ = make_client(
        {
            entity.download_url: (410, {}, b""),
            entity.pdf_url: (200, {"Content-Type": "application/pdf"}, PDF_BYTES),
        }
    )
    downloaded = client.download(entity)
    assert fetch.requests == [entity.download_url, entity.pdf_url]
    assert downloaded.url == entity.pdf_url


def test_download_uses_markdown_when_there_is_no_file():
    url = f"{BASE}/api/entities/document%3Aibabs%3Agemeente%3Aamsterdam%3Aab12-cd34"
    client, fetch, _ = make_client({url: ok("entity_document_markdown_only.json")})
    entity = client.entity("document:ibabs:gemeente:amsterdam:ab12-cd34")
    downloaded = client.download(entity)
    assert len(fetch.requests) == 1  # nothing else fetched
    assert downloaded.data == entity.markdown_text.encode("utf-8")
    assert "Financiën".encode() in downloaded.data
    assert downloaded.sha256 == hashlib.sha256(downloaded.data).hexdigest()
    assert downloaded.content_type.startswith("text/markdown")
    assert downloaded.file_name.endswith("_ab12-cd34.md")
    assert downloaded.url == url


def test_download_without_anything_is_an_error():
    entity = council_documents.CouncilEntity.from_api({"entityId": "document:x:gemeente:y:1"})
    client, _, _ = make_client({})
    with pytest.raises(CouncilError, match="geen downloadUrl"):
        client.download(entity)


# --- retries, redirects, transport --------------------------------------------------------------


def test_503_then_success_honours_retry_after():
    client, fetch, sleeps = make_client(
        {
            SOURCES_URL: [
                (503, {"Retry-After": "7"}, b"Service Unavailable"),
                ok("sources.json"),
            ]
        }
    )
    assert client.sources()[0].key == "amsterdam"
    assert sleeps == [7.0]
    assert fetch.requests == [SOURCES_URL, SOURCES_URL]


def test_429_without_header_uses_the_documented_body_then_backoff():
    client, _, sleeps = make_client(
        {
            SOURCES_URL: [
                (429, JSON, body("error_429.json")),
                (503, {}, b""),
                ok("sources.json"),
            ]
        },
        backoff=0.5,
    )
    client.sources()
    assert sleeps == [3.0, 1.0]  # body's retry_after_seconds; then 0.5 * 2**1


def test_retries_end_in_an_error_naming_url_and_status():
    client, fetch, sleeps = make_client({SOURCES_URL: (503, {}, b"")}, max_retries=2)
    with pytest.raises(CouncilError, match="opgegeven na 3 pogingen") as caught:
        client.sources()
    assert caught.value.status == 503
    assert len(fetch.requests) == 3
    assert sleeps == [1.0, 2.0]


def test_retry_after_longer_than_allowed_gives_up_at_once():
    client, fetch, sleeps = make_client(
        {SOURCES_URL: (429, {"Retry-After": "3600"}, b"")}, max_retry_wait=60
    )
    with pytest.raises(CouncilError, match="3600 s"):
        client.sources()
    assert sleeps == []
    assert len(fetch.requests) == 1


def test_network_errors_are_retried_then_reported():
    calls = []

    def broken(request):
        calls.append(str(request.url))
        raise httpx.ConnectTimeout("timed out", request=request)

    client = OpenBesluitvormingClient(
        transport=httpx.MockTransport(broken), sleep=lambda s: None, max_retries=1
    )
    with pytest.raises(CouncilError, match="niet bereikbaar"):
        client.sources()
    assert len(calls) == 2


def test_redirect_is_followed_and_a_loop_is_stopped():
    a = f"{BASE}/a"
    b = f"{BASE}/b"
    client, fetch, _ = make_client(
        {
            DOC_URL: (302, {"Location": "/a"}, b""),
            a: (301, {"Location": b}, b""),
            b: ok("entity_document.json"),
        }
    )
    assert client.entity(DOC_ID).entity_id == DOC_ID
    assert fetch.requests == [DOC_URL, a, b]

    client, _, _ = make_client(
        {DOC_URL: (302, {"Location": "/a"}, b""), a: (302, {"Location": DOC_URL}, b"")}
    )
    with pytest.raises(CouncilError, match="lus") as caught:
        client.entity(DOC_ID)
    assert caught.value.status == 302


def test_redirect_to_http_is_refused():
    client, _, _ = make_client({DOC_URL: (302, {"Location": "http://example.org/x"}, b"")})
    with pytest.raises(CouncilError, match="alleen https"):
        client.entity(DOC_ID)


def test_requests_carry_the_user_agent_accept_and_timeouts():
    client, fetch, _ = make_client({SOURCES_URL: (200, JSON, b"[]")}, timeout=12)
    assert client.sources() == []
    assert fetch.headers[0]["User-Agent"] == council_documents.DEFAULT_USER_AGENT
    assert fetch.headers[0]["User-Agent"].startswith("Kansenaudit/")
    assert fetch.headers[0]["Accept"].startswith("application/json")
    assert fetch.timeouts[0]["read"] == 12
    assert fetch.timeouts[0]["connect"] == 10


def test_http_base_urls_and_oversized_bodies_are_refused():
    with pytest.raises(ValueError, match="https"):
        OpenBesluitvormingClient("http://openbesluitvorming.nl")
    client, _, _ = make_client({SOURCES_URL: (200, JSON, b"x" * 11)}, max_bytes=10)
    with pytest.raises(CouncilError, match="groter dan 10 bytes") as caught:
        client.sources()
    assert caught.value.url == SOURCES_URL


# --- export ----------------------------------------------------------------------------------


def test_snapshot_reads_ndjson_and_follows_the_cursor_header():
    first = f"{BASE}/api/export/snapshot?source=amsterdam"
    second = f"{BASE}/api/export/snapshot?source=amsterdam&cursor=c-2"
    nd = {"Content-Type": "application/x-ndjson"}
    client, fetch, _ = make_client(
        {
            first: ok(
                "snapshot_page1.ndjson",
                {**nd, "X-Next-Cursor": "c-2", "X-Has-More": "true", "X-Changes-Cursor": "ch-0"},
            ),
            second: ok(
                "snapshot_page2.ndjson", {**nd, "X-Next-Cursor": "c-3", "X-Has-More": "false"}
            ),
        }
    )
    records = list(client.snapshot("amsterdam"))
    assert fetch.requests == [first, second]
    assert [r["seq"] for r in records] == [1, 2, 3]
    assert records[2]["op"] == "delete"
    assert records[1]["payload"]["original_url"] == "https://api.notubiz.nl/document/1203456/1"
    assert client.changes_cursor == "ch-0"
    assert client.export_cursor == "c-3"


def test_snapshot_repeating_cursor_is_stopped():
    first = f"{BASE}/api/export/snapshot?source=amsterdam"
    second = f"{BASE}/api/export/snapshot?source=amsterdam&cursor=c-2"
    loop = {"X-Next-Cursor": "c-2", "X-Has-More": "true"}
    client, fetch, _ = make_client(
        {first: ok("snapshot_page1.ndjson", loop), second: ok("snapshot_page2.ndjson", loop)}
    )
    records = client.snapshot("amsterdam")
    with pytest.raises(CouncilError, match="herhaalt zich"):
        list(records)
    assert fetch.requests == [first, second]


def test_changes_from_a_cursor_until_caught_up():
    first = f"{BASE}/api/export/changes?source=amsterdam&cursor=ch-0"
    second = f"{BASE}/api/export/changes?source=amsterdam&cursor=ch-1"
    client, fetch, _ = make_client(
        {
            first: ok("changes_page1.ndjson", {"X-Next-Cursor": "ch-1", "X-Has-More": "true"}),
            second: (200, {"X-Next-Cursor": "ch-1", "X-Has-More": "false"}, b""),
        }
    )
    records = list(client.changes("amsterdam", "ch-0"))
    assert [r["entity_id"] for r in records] == ["document:notubiz:gemeente:amsterdam:1203460"]
    assert fetch.requests == [first, second]
    assert client.export_cursor == "ch-1"


def test_ndjson_with_a_broken_line_names_the_line():
    url = f"{BASE}/api/export/snapshot?source=amsterdam"
    client, _, _ = make_client({url: (200, {}, b'{"seq": 1}\n{"seq": 2\n')})
    with pytest.raises(CouncilError, match="regel 2"):
        list(client.snapshot("amsterdam"))


# --- the pipeline ----------------------------------------------------------------------------


def test_pull_yields_records_and_skips_a_failing_document(caplog):
    failing = "document:notubiz:gemeente:amsterdam:1203460"
    failing_url = f"{BASE}/api/entities/{urllib.parse.quote(failing, safe='')}"
    notubiz = "https://api.notubiz.nl/document/1203456/1"
    search = f"{SEARCH}&offset=0&limit=2"
    client, fetch, _ = make_client(
        {
            SOURCES_URL: ok("sources.json"),
            search: ok("search_page1.json"),
            DOC_URL: ok("entity_document.json"),
            MEETING_URL: ok("entity_meeting.json"),
            notubiz: (200, {"Content-Type": "application/pdf"}, PDF_BYTES),
            failing_url: (404, JSON, body("error_404.json")),
        }
    )
    events = []
    with caplog.at_level(logging.WARNING, logger="kansenaudit.sources.council_documents"):
        pulled = list(
            pull_council_documents(
                client,
                municipality="Amsterdam",
                query="kansengelijkheid",
                since=date(2024, 1, 1),
                max_results=2,
                progress=lambda hit, warning: events.append((hit.entity_id, warning)),
            )
        )
    assert len(pulled) == 1
    record, data = pulled[0]
    assert isinstance(record, CouncilDocumentRecord)
    assert data == PDF_BYTES
    assert record.entity_id == DOC_ID
    assert record.source_key == "amsterdam"
    assert record.title == "Raadsvoorstel Kansengelijkheid in het onderwijs 2024-2028"
    assert record.date == date(2024, 3, 13)
    assert record.meeting_id == MEETING_ID
    assert record.meeting_title == "Raadscommissie Onderwijs, Jeugd en Zorg"
    assert record.meeting_date == date(2024, 3, 13)
    assert record.committee == "Commissie Onderwijs, Jeugd en Zorg"
    assert record.agenda_item == "7a Aanpak kansengelijkheid in het onderwijs"
    assert record.agenda_item_id == "agenda_item:notubiz:gemeente:amsterdam:7a"
    assert record.download_url == notubiz
    assert record.retrieved_at == "2026-11-20T09:30:15Z"
    assert record.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert record.file_name.endswith("_1203456.pdf")
    assert record.issuer_hint == "commissie"
    assert record.doc_type_hint == "raadsvoorstel"
    assert record.to_dict()["meeting_date"] == "2024-03-13"
    json.dumps(record.to_dict())
    # the failing document: skipped with a warning object, logged, the run went on
    assert [entity_id for entity_id, _ in events] == [DOC_ID, failing]
    assert events[0][1] is None
    warning = events[1][1]
    assert warning.status == 404
    assert warning.url == failing_url
    assert warning.title == "Motie 214 Gratis huiswerkbegeleiding"
    assert any(getattr(r, "council", None) == warning for r in caplog.records)
    assert fetch.requests.count(MEETING_URL) == 1


def test_pull_keeps_a_document_whose_meeting_fails():
    notubiz = "https://api.notubiz.nl/document/1203456/1"
    page = {"results": [json.loads(body("search_page1.json"))["results"][0]], "hasMore": False}
    client, _, _ = make_client(
        {
            SOURCES_URL: ok("sources.json"),
            f"{SEARCH}&offset=0&limit=100": (200, JSON, json.dumps(page).encode()),
            DOC_URL: ok("entity_document.json"),
            MEETING_URL: (404, JSON, body("error_404.json")),
            notubiz: (200, {"Content-Type": "application/pdf"}, PDF_BYTES),
        }
    )
    pulled = list(
        pull_council_documents(
            client, municipality="amsterdam", query="kansengelijkheid", since=date(2024, 1, 1)
        )
    )
    [(record, _)] = pulled
    assert record.meeting_id == MEETING_ID
    assert record.meeting_title is None
    assert record.issuer_hint is None


def test_pull_raises_for_an_unknown_municipality():
    client, _, _ = make_client({SOURCES_URL: ok("sources.json")})
    with pytest.raises(CouncilSourceNotFound):
        list(pull_council_documents(client, municipality="Atlantis", query="x", since=None))


# --- hints -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Raadsvoorstel Kansengelijkheid in het onderwijs 2024-2028", "raadsvoorstel"),
        ("Voordracht voor de raadscommissie: vaststellen Kansenaanpak", "raadsvoorstel"),
        ("Motie 214 Gratis huiswerkbegeleiding", "motie"),
        ("Gewijzigde motie 214", "motie"),
        ("Amendement 12 op de begroting: brede school", "amendement"),
        ("Raadsinformatiebrief Voortgang Kansenaanpak", "raadsbrief"),
        ("Brief aan de Raad inzake nadere informatie", "raadsbrief"),
        ("02 Raadsbrief motie 890 (534') ondertekend.pdf", "raadsbrief"),
        ("brief college over registreren etniciteit.pdf", "brief"),
        ("Besluitenlijst raadsvergadering 1 februari 2024", "besluitenlijst"),
        ("Uitslagenlijst FIN 2018 02 08", "besluitenlijst"),
        ("Commissie Agenda (Gewijzigde)", "agenda"),
        ("Conceptverslag FIN 18-01-2018.doc", "notulen"),
        ("Notulen van de raadsvergadering", "notulen"),
        ("Termijnagenda, per portefeuille", None),
        ("Commissie Flap", None),
    ],
)
def test_doc_type_hint(title, expected):
    assert doc_type_hint(title) == expected


def test_issuer_hint():
    assert issuer_hint("raadscommissie Financiën") == "commissie"
    assert issuer_hint(None, "Raadsvergadering 2024-11-07") == "raad"
    assert issuer_hint("Collegevergadering") == "college"
    assert issuer_hint(None, "") is None


def test_safe_file_name_is_portable():
    name = safe_file_name("../Brief: ‘wethouder’ <Financiën>?.PDF", suffix=".pdf", ident="a:b:c")
    assert name == "Brief_wethouder_Financien_c.pdf"
    assert safe_file_name("", suffix="pdf") == "document.pdf"
    assert safe_file_name("CON", suffix=".txt") == "_CON.txt"
    assert len(safe_file_name("x" * 500, suffix=".pdf", ident="id:" + "9" * 99)) <= 170


# --- Notubiz ---------------------------------------------------------------------------------


@pytest.fixture
def notubiz_path(shared_data):
    return shared_data / "documents" / "open_raadsinformatie" / "notubiz_meeting_amsterdam.json"


def independent_walk(raw: dict) -> tuple[list[dict], dict[int, int | None], list[int]]:
    """Documents, document id → agenda item id, and agenda item ids, by plain recursion."""
    documents = list(raw["documents"])
    owner: dict[int, int | None] = {doc["id"]: None for doc in raw["documents"]}
    item_ids: list[int] = []

    def visit(items):
        for item in items:
            item_ids.append(item["id"])
            for doc in item["documents"]:
                documents.append(doc)
                owner.setdefault(doc["id"], item["id"])
            visit(item["agenda_items"])

    visit(raw["agenda_items"])
    return documents, owner, item_ids


def test_real_notubiz_meeting(notubiz_path):
    raw = json.loads(notubiz_path.read_text(encoding="utf-8"))
    documents, owner, item_ids = independent_walk(raw)
    meeting = read_notubiz_meeting(notubiz_path)

    assert meeting.id == str(raw["id"])
    assert meeting.date == date(2018, 2, 8)
    assert meeting.date.isoformat() == raw["plannings"][0]["start_date"][:10]
    assert meeting.committee == raw["attributes"]["Titel"] == "raadscommissie Financiën"
    assert meeting.committee_id == str(raw["gremium"]["id"])
    assert meeting.location is None  # "Locatie" is empty in this response
    assert [item.id for item in meeting.iter_agenda_items()] == [str(i) for i in item_ids]
    assert len(item_ids) == 45

    unique = {doc["id"]: doc for doc in documents}
    assert len(meeting.documents) == len(unique) == 51
    by_id = {doc.id: doc for doc in meeting.documents}
    for doc_id, doc in unique.items():
        parsed = by_id[str(doc_id)]
        assert parsed.title == doc["title"].strip()
        assert parsed.url == doc["url"]
        assert parsed.url.startswith("https://api.notubiz.nl/document/")
        owning = owner[doc_id]
        assert parsed.agenda_item_id == (str(owning) if owning is not None else None)
    assert sum(doc.agenda_item_id is None for doc in meeting.documents) == 2

    items = {item.id: item for item in meeting.iter_agenda_items()}
    tkn = items["3842983"]
    assert tkn.number == "TKN 2"
    assert tkn.title == "Brief aan kabinet over vergroenen OZB. (BD2018-000924)"
    assert len(tkn.documents) == 4
    assert items["3842859"].heading is True


def test_real_notubiz_records(notubiz_path):
    meeting = read_notubiz_meeting(notubiz_path.read_bytes())
    records = notubiz_records(meeting, source_key="amsterdam")
    assert len(records) == 51
    for record in records:
        assert record.title
        assert record.download_url.startswith("https://api.notubiz.nl/document/")
        assert record.source_key == "amsterdam"
        assert record.meeting_date == date(2018, 2, 8)
        assert record.meeting_title == "raadscommissie Financiën"
        assert record.issuer_hint == "commissie"
        assert record.retrieved_at is None
        assert record.sha256 is None
        assert record.origin == "notubiz"
        assert "/" not in record.file_name
        assert record.file_name.endswith(".pdf")
    assert len({r.file_name for r in records}) == 51
    first = records[0]
    assert first.entity_id == "notubiz:document:6183601"
    assert first.doc_type_hint == "besluitenlijst"
    assert first.agenda_item is None
    ozb = next(r for r in records if r.entity_id == "notubiz:document:6124062")
    assert ozb.agenda_item == "TKN 2 Brief aan kabinet over vergroenen OZB. (BD2018-000924)"
    assert ozb.date == date(2018, 2, 8)
    assert notubiz_records(meeting)[0].source_key == "notubiz:281"


def test_notubiz_tolerates_missing_keys_and_a_wrapper():
    minimal = {
        "meeting": {
            "id": 7,
            "attributes": [{"label": "Titel", "value": "Gemeenteraad"}],
            "agenda_items": [
                {
                    "id": 1,
                    "type_data": {"attributes": [{"id": 1, "value": "Opening"}]},
                    "documents": [{"id": 10, "title": "Agenda", "url": "https://x/10"}],
                    "agenda_items": [{"id": 2, "title": "Sub", "documents": [{"id": 11}]}],
                },
                "not an item",
            ],
        }
    }
    meeting = read_notubiz_meeting(json.dumps(minimal).encode())
    assert meeting.title == meeting.committee == "Gemeenteraad"
    assert meeting.date is None
    assert [i.title for i in meeting.iter_agenda_items()] == ["Opening", "Sub"]
    assert [d.id for d in meeting.documents] == ["10", "11"]
    assert meeting.documents[1].agenda_item_id == "2"
    assert meeting.documents[1].url is None
    records = notubiz_records(meeting)
    assert records[0].issuer_hint == "raad"
    assert records[0].doc_type_hint == "agenda"
    assert records[1].download_url is None


def test_notubiz_unreadable_input_names_the_file(tmp_path):
    bad = tmp_path / "meeting.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CouncilError, match="geen geldige JSON") as caught:
        read_notubiz_meeting(bad)
    assert str(bad) in str(caught.value)
    with pytest.raises(CouncilError, match="geen Notubiz-vergadering"):
        read_notubiz_meeting(b'{"documents": []}')
    with pytest.raises(CouncilError, match="niet te lezen"):
        read_notubiz_meeting(tmp_path / "missing.json")
