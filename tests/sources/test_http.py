"""The shared HTTP client against a real server on 127.0.0.1: retries, limits, timeouts.

Each test scripts what the server answers per path. Waits between retries go to an injected
``sleep`` (recorded, never slept); only the timeout test waits, for a fraction of a second.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from kansenaudit.sources import USER_AGENT
from kansenaudit.sources.http import CONNECT_RETRY_WAIT, HttpClient, HttpError

NOW = datetime(2026, 11, 20, 9, 30, 0, tzinfo=UTC)
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")

Answer = Callable[[BaseHTTPRequestHandler], None]


class Server:
    """A local HTTP server: ``answers[path]`` is a list of handlers, used in turn (the last
    one repeats); every request is recorded as (path, User-Agent)."""

    def __init__(self) -> None:
        self.answers: dict[str, list[Answer]] = {}
        self.requests: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append((self.path, self.headers.get("User-Agent")))
                queue = server.answers[self.path]
                answer = queue.pop(0) if len(queue) > 1 else queue[0]
                # The client hangs up when a body is too large, as it should.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    answer(self)

            def do_CONNECT(self) -> None:  # a proxy asked to open a tunnel: refuse it
                server.requests.append((f"CONNECT {self.path}", self.headers.get("User-Agent")))
                self.send_error(403)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def server(monkeypatch) -> Iterator[Server]:
    for name in PROXY_VARIABLES:  # the client reads proxies from the environment
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    local = Server()
    thread = threading.Thread(target=local.httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield local
    local.httpd.shutdown()
    local.httpd.server_close()


def reply(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Answer:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def client(sleeps: list[float] | None = None, **options: object) -> HttpClient:
    return HttpClient(
        schemes=("http",),
        sleep=(sleeps.append if sleeps is not None else lambda s: None),
        now=lambda: NOW,
        **options,  # type: ignore[arg-type]
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- retries ---------------------------------------------------------------------------------


def test_retry_after_in_seconds_is_honoured_and_the_user_agent_sent(server):
    server.answers["/data.csv"] = [reply(503, headers={"Retry-After": "7"}), reply(200, b"a;b\n")]
    sleeps: list[float] = []
    assert client(sleeps).get_bytes(server.url("/data.csv")) == b"a;b\n"
    assert sleeps == [7.0]
    assert server.requests == [("/data.csv", USER_AGENT), ("/data.csv", USER_AGENT)]


def test_retry_after_as_an_http_date_is_counted_from_now(server):
    server.answers["/x"] = [
        reply(429, headers={"Retry-After": "Fri, 20 Nov 2026 09:30:30 GMT"}),
        reply(200, b"ok"),
    ]
    sleeps: list[float] = []
    assert client(sleeps).get_bytes(server.url("/x")) == b"ok"
    assert sleeps == [30.0]


def test_without_retry_after_the_wait_doubles_and_the_error_counts_the_attempts(server):
    server.answers["/x"] = [reply(502, b"<html>Bad gateway</html>")]
    sleeps: list[float] = []
    with pytest.raises(HttpError, match="opgegeven na 3 pogingen") as caught:
        client(sleeps, max_retries=2, backoff=0.25).get(server.url("/x"))
    assert sleeps == [0.25, 0.5]
    assert len(server.requests) == 3
    error = caught.value
    assert (error.kind, error.status, error.attempts) == ("status", 502, 3)
    assert error.body == b"<html>Bad gateway</html>"
    assert str(error).startswith(f"HTTP 502 {server.url('/x')}: ")


def test_a_retry_after_beyond_the_cap_is_not_waited_for(server):
    server.answers["/x"] = [reply(429, headers={"Retry-After": "3600"})]
    sleeps: list[float] = []
    with pytest.raises(HttpError, match="3600 s") as caught:
        client(sleeps, max_retry_wait=60).get(server.url("/x"))
    assert caught.value.kind == "retry_wait"
    assert sleeps == []
    assert len(server.requests) == 1


def test_a_client_error_is_not_retried(server):
    server.answers["/x"] = [reply(404, b'{"error": "weg"}')]
    sleeps: list[float] = []
    with pytest.raises(HttpError, match="niet gevonden") as caught:
        client(sleeps).get(server.url("/x"))
    assert (caught.value.status, caught.value.body) == (404, b'{"error": "weg"}')
    assert sleeps == []
    assert len(server.requests) == 1


def test_a_refused_connection_is_tried_once_more_quickly(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    sleeps: list[float] = []
    with pytest.raises(HttpError, match="niet bereikbaar na 2 pogingen") as caught:
        client(sleeps, max_retries=3).get(f"http://127.0.0.1:{free_port()}/x")
    assert caught.value.kind == "unreachable"
    assert sleeps == [CONNECT_RETRY_WAIT]
    assert CONNECT_RETRY_WAIT <= 1


def test_the_proxy_comes_from_the_environment(server, monkeypatch):
    # The CLI tests make every download fail at once through a proxy on a closed port; here
    # the proxy is the local server, which sees the tunnel asked for and refuses it.
    monkeypatch.setenv("HTTPS_PROXY", server.base)
    with pytest.raises(HttpError, match="niet bereikbaar") as caught:
        HttpClient(sleep=lambda s: None).get("https://openbesluitvorming.nl/api/sources")
    assert caught.value.kind == "unreachable"
    assert [path for path, _ in server.requests] == ["CONNECT openbesluitvorming.nl:443"] * 2


# --- limits ----------------------------------------------------------------------------------


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(server):
    def announce_and_stall(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(10**9))
        handler.end_headers()
        handler.wfile.flush()
        time.sleep(5)  # never sends the body: reading it would end in the read timeout

    server.answers["/big"] = [announce_and_stall]
    with pytest.raises(HttpError, match=r"groter dan 1000 bytes \(954 MB aangekondigd\)") as caught:
        client(max_bytes=1000, timeout=3).get(server.url("/big"))
    assert caught.value.kind == "too_large"


def test_a_body_without_length_is_cut_off_when_it_passes_the_limit(server):
    sent = []

    def endless(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"x" * 16_384
        for _ in range(4096):  # 64 MB at most, so a broken client cannot hang the test
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent.append(len(chunk))
        handler.wfile.write(b"0\r\n\r\n")

    server.answers["/stream"] = [endless]
    with pytest.raises(HttpError, match="groter dan 100000 bytes; afgebroken") as caught:
        client(max_bytes=100_000).get(server.url("/stream"))
    assert caught.value.kind == "too_large"
    assert sum(sent) < 64 * 2**20  # the client hung up long before the end


def test_an_error_body_is_kept_only_up_to_one_megabyte(server):
    server.answers["/x"] = [reply(400, b"e" * 1_500_000)]
    with pytest.raises(HttpError) as caught:
        client().get(server.url("/x"))
    assert len(caught.value.body) == 1_000_000


def test_a_silent_server_ends_in_a_timeout(server):
    def silent(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(2)

    server.answers["/slow"] = [silent]
    with pytest.raises(HttpError, match="geen antwoord op tijd") as caught:
        client(timeout=0.2).get(server.url("/slow"))
    assert caught.value.kind == "unreachable"


# --- schemes and redirects -------------------------------------------------------------------


def test_only_the_allowed_schemes_are_fetched_and_redirects_keep_their_scheme(server):
    with pytest.raises(HttpError, match="alleen https-adressen") as caught:
        HttpClient().get(server.url("/x"))  # http, where only https is allowed
    assert caught.value.kind == "scheme"
    assert server.requests == []

    def to_https(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "https://example.org/x"})

    mixed = HttpClient(schemes=("http", "https"), transport=httpx.MockTransport(to_https))
    with pytest.raises(HttpError, match="van http naar https geweigerd") as caught:
        mixed.get("http://example.org/x")
    assert caught.value.kind == "redirect"


@pytest.mark.parametrize("url", ["https:///data.csv", "https://[::1/data.csv"])
def test_an_address_that_is_not_one_is_refused_without_a_request(url):
    asked = []
    mock = httpx.MockTransport(lambda request: asked.append(request) or httpx.Response(200))
    with pytest.raises(HttpError, match="geen geldig adres") as caught:
        HttpClient(transport=mock).get(url)
    assert caught.value.kind == "url"
    assert asked == []


def test_redirects_are_followed_up_to_five(server):
    for number in range(7):
        server.answers[f"/{number}"] = [reply(302, headers={"Location": f"/{number + 1}"})]
    server.answers["/3"] = [reply(200, b"here")]
    response = client().get(server.url("/0"))
    assert (response.url, response.body) == (server.url("/3"), b"here")
    server.answers["/3"] = [reply(302, headers={"Location": "/4"})]
    with pytest.raises(HttpError, match="meer dan 5 doorverwijzingen"):
        client().get(server.url("/0"))


# --- one client ------------------------------------------------------------------------------


def test_no_module_opens_urls_but_the_shared_client():
    """Every download goes through kansenaudit.sources.http (docs/ARCHITECTURE.md)."""
    import re
    from pathlib import Path

    import kansenaudit

    package = Path(kansenaudit.__file__).parent
    other_clients = re.compile(
        r"^\s*(?:import|from)\s+(?:urllib\.request|urllib3|http\.client|requests|httpx)\b",
        re.MULTILINE,
    )
    found = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if other_clients.search(path.read_text(encoding="utf-8"))
    )
    assert found == ["sources/http.py"]
