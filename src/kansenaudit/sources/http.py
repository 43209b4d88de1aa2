# SPDX-License-Identifier: EUPL-1.2
"""The one HTTP client of every fetcher of published sources: timeouts, retries and limits.

Every download of Kansenaudit (the source files of ``kansenaudit data pull``, CBS OData pages,
OpenBesluitvorming and Notubiz council documents) goes through :class:`HttpClient`, on
`httpx <https://www.python-httpx.org/>`_. It promises:

* **Timeouts**: a connect timeout (10 s) and a read timeout between bytes (60 s).
* **Retries**: a ``429`` or ``502``/``503``/``504`` is asked again up to ``max_retries``
  times. The wait is the server's ``Retry-After`` (seconds or an HTTP date), else a hint the
  caller reads from the body (``retry_hint``), else ``backoff`` doubling per retry. A server
  that asks for longer than ``max_retry_wait`` is not waited for: the client gives up at once.
  A connection that fails (refused, reset, timed out) is tried once more after half a second,
  no more: offline, a command fails within a second rather than after minutes of backoff.
* **Size limits**: a success body larger than ``max_bytes`` is refused before it is read when
  its ``Content-Length`` says so, and cut off as soon as it passes the limit while streaming
  when it does not. Error bodies are read up to 1 MB, for the message.
* **Schemes**: only ``https`` by default (``schemes`` may add ``http``). Redirects are
  followed by the client itself, at most five, never to another scheme, and a loop is
  refused.
* **Identity and proxies**: the product's User-Agent on every request; proxies from the
  environment (``HTTPS_PROXY``, ``NO_PROXY``), as every other HTTP tool.

Every failure is one exception, :class:`HttpError`, which names the URL, the HTTP status if
there was one, and what went wrong (``kind``); callers turn it into their own messages. No
Django: the CLI, the web app's worker and a notebook use the same client.

``sleep`` and ``now`` are injectable, and so is the httpx ``transport``: tests answer with an
:class:`httpx.MockTransport` or a server on 127.0.0.1 and never wait for real.
"""

from __future__ import annotations

import email.utils
import logging
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType

import httpx

from kansenaudit.sources import USER_AGENT

__all__ = [
    "MAX_BYTES",
    "RETRY_STATUSES",
    "USER_AGENT",
    "HttpClient",
    "HttpError",
    "HttpResponse",
    "Transport",
    "fetch_bytes",
]

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
#: The full BBGA is ~100 MB; anything beyond half a gigabyte is suspect.
MAX_BYTES = 512 * 1024 * 1024
#: Error bodies are small JSON or HTML; a server that streams megabytes of "error" is cut off.
MAX_ERROR_BODY = 1_000_000
#: 500 is left out: it is usually a fault in the server that asking again does not cure.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
#: A failed connection is tried once more, after this pause.
CONNECT_RETRY_WAIT = 0.5

STATUS_MESSAGES = {
    400: "verzoek geweigerd",
    401: "geen toegang",
    403: "geen toegang",
    404: "niet gevonden",
    410: "niet meer beschikbaar",
    429: "te veel verzoeken",
    500: "serverfout",
    502: "dienst tijdelijk niet bereikbaar",
    503: "dienst tijdelijk niet beschikbaar",
    504: "dienst reageerde niet op tijd",
}


class HttpError(RuntimeError):
    """A request that failed; ``str()`` is ``"HTTP <status> <url>: <message>"``.

    ``kind`` says what failed: ``url`` (not a valid address), ``scheme`` (a scheme that is
    not allowed), ``unreachable``
    (no connection or no answer in time), ``status`` (an HTTP error status, after any
    retries), ``retry_wait`` (the server asked to wait longer than allowed), ``redirect``
    (a redirect without target, in a loop, too many, or to another scheme) or ``too_large``.
    ``attempts`` counts the requests made; ``body`` holds at most 1 MB of an error response.
    """

    def __init__(
        self,
        message: str,
        *,
        url: str,
        kind: str,
        status: int | None = None,
        attempts: int = 1,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message
        self.url = url
        self.kind = kind
        self.status = status
        self.attempts = attempts
        self.body = body
        self.headers = headers or {}
        where = f"HTTP {status} {url}" if status else url
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class HttpResponse:
    """A successful (2xx) response: the final URL after redirects, lower-case header names."""

    url: str
    status: int
    headers: dict[str, str] = field(repr=False)
    body: bytes = field(repr=False)


RetryHint = Callable[[HttpResponse], float | None]
#: What tests replace: an httpx transport (:class:`httpx.MockTransport`).
Transport = httpx.BaseTransport


class HttpClient:
    """GET requests with timeouts, retries, size limits and guarded redirects.

    Parameters
    ----------
    user_agent : sent with every request (:data:`USER_AGENT`).
    accept : the ``Accept`` header, if any.
    timeout, connect_timeout : seconds to wait for the next bytes, and for a connection.
    max_bytes : the largest success body accepted (:data:`MAX_BYTES`).
    schemes : the URL schemes allowed, ``("https",)`` unless a caller needs ``http`` too.
    max_retries : retries of a 429/502/503/504; a failed connection is retried at most once.
    backoff : the first wait without ``Retry-After``; doubles per retry.
    max_retry_wait : a longer ``Retry-After`` is not waited for; the client gives up at once.
    retry_hint : ``response -> seconds`` read from a retryable error body (after the header).
    sleep, now : injectable for tests (``time.sleep``, and the clock for HTTP dates).
    transport : an httpx transport (tests: :class:`httpx.MockTransport`); proxies from the
        environment apply only without one.

    The httpx client is opened at the first request and kept for the next ones (one
    connection pool); :meth:`close` or a ``with`` block closes it.

    Examples
    --------
    >>> import httpx
    >>> client = HttpClient(transport=httpx.MockTransport(lambda r: httpx.Response(200, text="ok")))
    >>> client.get_bytes("https://example.org/data.csv")
    b'ok'
    >>> client.get_bytes("ftp://example.org/data.csv")
    Traceback (most recent call last):
    ...
    kansenaudit.sources.http.HttpError: ftp://example.org/data.csv: alleen https-adressen worden opgehaald
    """  # noqa: E501

    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        accept: str | None = None,
        timeout: float = READ_TIMEOUT,
        connect_timeout: float = CONNECT_TIMEOUT,
        max_bytes: int = MAX_BYTES,
        schemes: Iterable[str] = ("https",),
        max_retries: int = 3,
        backoff: float = 1.0,
        max_retry_wait: float = 120,
        retry_hint: RetryHint | None = None,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] | None = None,
        transport: Transport | None = None,
    ) -> None:
        self.headers = {"User-Agent": user_agent} | ({"Accept": accept} if accept else {})
        self.timeout = httpx.Timeout(timeout, connect=connect_timeout)
        self.max_bytes = max_bytes
        self.schemes = tuple(schemes)
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_retry_wait = max_retry_wait
        self._retry_hint = retry_hint
        self._sleep = sleep
        self._now = now or (lambda: datetime.now(UTC))
        self._transport = transport
        self._client: httpx.Client | None = None

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections; a later request opens new ones."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def get_bytes(self, url: str) -> bytes:
        """The body of a successful GET; :class:`HttpError` otherwise."""
        return self.get(url).body

    def get(self, url: str) -> HttpResponse:
        """GET ``url``, following redirects and retrying as the class describes."""
        chain = [url]
        current = url
        attempt = 0  # retries made so far (statuses and connections together)
        connect_retried = False
        while True:
            self._check_scheme(current, chain)
            try:
                status, headers, body = self._send(current)
            except httpx.RequestError as exc:  # no connection, timeout, broken answer
                if not connect_retried and attempt < self.max_retries:
                    logger.info("%s niet bereikbaar (%s); nog één poging", current, exc)
                    self._sleep(CONNECT_RETRY_WAIT)
                    connect_retried = True
                    attempt += 1
                    continue
                raise HttpError(
                    _unreachable(exc, attempt + 1), url=current, kind="unreachable"
                ) from exc
            if status in REDIRECT_STATUSES:
                current = self._redirect(current, status, headers, chain)
                continue
            response = HttpResponse(url=current, status=status, headers=headers, body=body)
            if 200 <= status < 300:
                return response
            if status in RETRY_STATUSES and attempt < self.max_retries:
                delay = self._retry_delay(response, attempt)
                if delay > self.max_retry_wait:
                    message = (
                        f"de server vraagt {delay:.0f} s te wachten "
                        f"(meer dan {self.max_retry_wait:.0f} s)"
                    )
                    raise _error_of(response, message, "retry_wait", attempt + 1)
                logger.info("HTTP %s van %s; opnieuw over %.1f s", status, current, delay)
                self._sleep(delay)
                attempt += 1
                continue
            message = STATUS_MESSAGES.get(status) or (
                "serverfout" if status >= 500 else "onverwacht antwoord"
            )
            if status in RETRY_STATUSES and attempt:
                message += f"; opgegeven na {attempt + 1} pogingen"
            raise _error_of(response, message, "status", attempt + 1)

    # plumbing

    def _send(self, url: str) -> tuple[int, dict[str, str], bytes]:
        if self._client is None:
            self._client = httpx.Client(
                headers=self.headers,
                timeout=self.timeout,
                follow_redirects=False,  # followed in get(), with the scheme and loop guard
                transport=self._transport,
                trust_env=self._transport is None,
            )
        with self._client.stream("GET", url) as response:
            status = response.status_code
            headers = {key.lower(): value for key, value in response.headers.items()}
            if status in REDIRECT_STATUSES:
                return status, headers, b""
            if 200 <= status < 300:
                return status, headers, _read_limited(response, self.max_bytes, url)
            return status, headers, _read_limited(response, MAX_ERROR_BODY, url, cut=True)

    def _check_scheme(self, url: str, chain: list[str]) -> None:
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError) as exc:
            raise HttpError(f"geen geldig adres ({exc})", url=url, kind="url") from exc
        scheme = parsed.scheme.casefold()
        if scheme not in self.schemes:
            allowed = "https" if self.schemes == ("https",) else "http(s)"
            raise HttpError(
                f"alleen {allowed}-adressen worden opgehaald",
                url=url,
                kind="scheme",
            )
        if not parsed.host:
            raise HttpError("geen geldig adres (geen host)", url=url, kind="url")
        first = urllib.parse.urlsplit(chain[0]).scheme.casefold()
        if scheme != first:
            raise HttpError(
                f"doorverwijzing van {first} naar {scheme} geweigerd ({url})",
                url=chain[0],
                kind="redirect",
            )

    def _redirect(self, current: str, status: int, headers: dict, chain: list[str]) -> str:
        location = headers.get("location")
        if not location:
            raise HttpError(
                "doorverwijzing zonder Location", url=current, kind="redirect", status=status
            )
        target = urllib.parse.urljoin(current, location)
        if target in chain:
            raise HttpError(
                f"doorverwijzingen in een kring (lus) via {target}",
                url=chain[0],
                kind="redirect",
                status=status,
            )
        if len(chain) > MAX_REDIRECTS:
            raise HttpError(
                f"meer dan {MAX_REDIRECTS} doorverwijzingen",
                url=chain[0],
                kind="redirect",
                status=status,
            )
        chain.append(target)
        return target

    def _retry_delay(self, response: HttpResponse, attempt: int) -> float:
        delay = _retry_after(response.headers.get("retry-after", ""), self._now())
        if delay is None and self._retry_hint is not None:
            delay = self._retry_hint(response)
        return max(0.0, delay) if delay is not None else self.backoff * 2**attempt


def fetch_bytes(url: str, **options: object) -> bytes:
    """The body of one GET with a client made for it (``options`` as for :class:`HttpClient`)."""
    with HttpClient(**options) as client:  # type: ignore[arg-type]
        return client.get_bytes(url)


def _error_of(response: HttpResponse, message: str, kind: str, attempts: int) -> HttpError:
    return HttpError(
        message,
        url=response.url,
        kind=kind,
        status=response.status,
        attempts=attempts,
        body=response.body,
        headers=response.headers,
    )


def _read_limited(response: httpx.Response, limit: int, url: str, *, cut: bool = False) -> bytes:
    """At most ``limit`` bytes of the body: refused (or, with ``cut``, truncated) beyond it."""
    declared = response.headers.get("content-length", "")
    if not cut and declared.isdigit() and int(declared) > limit:
        raise HttpError(
            f"antwoord groter dan {_size(limit)} ({_size(int(declared))} aangekondigd); "
            "niet opgehaald",
            url=url,
            kind="too_large",
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            if cut:
                chunks.append(chunk[: len(chunk) - (size - limit)])
                break
            raise HttpError(
                f"antwoord groter dan {_size(limit)}; afgebroken",
                url=url,
                kind="too_large",
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _retry_after(value: str, now: datetime) -> float | None:
    """Seconds from a ``Retry-After`` value: a number, or an HTTP date (from ``now``).

    Examples
    --------
    >>> now = datetime(2026, 11, 20, 9, 30, 0, tzinfo=UTC)
    >>> _retry_after("7", now), _retry_after("Fri, 20 Nov 2026 09:30:30 GMT", now)
    (7.0, 30.0)
    >>> _retry_after("soon", now) is None
    True
    """
    value = value.strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - now).total_seconds()


def _unreachable(exc: httpx.RequestError, attempts: int) -> str:
    reason = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        reason = f"geen antwoord op tijd ({reason})"
    tries = f" na {attempts} pogingen" if attempts > 1 else ""
    return f"niet bereikbaar{tries}: {reason}"


def _size(count: int) -> str:
    if count >= 2**20:
        return f"{count / 2**20:.0f} MB"
    return f"{count} bytes"
