# SPDX-License-Identifier: EUPL-1.2
"""The OpenBesluitvorming API client: sources, search, entities, downloads and bulk export.

See the package docstring (:mod:`kansenaudit.sources.council_documents`) for the endpoints and
the field names it assumes. Requests go through the shared HTTP client
(:mod:`kansenaudit.sources.http`), which retries, honours ``Retry-After`` and limits sizes.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import logging
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime

from kansenaudit.sources.council_documents.fields import (
    _bool_header,
    _first,
    _int_param,
    _iso_date,
    _next_link,
    _norm_name,
    _text,
    _utc_iso,
)
from kansenaudit.sources.council_documents.records import (
    CouncilEntity,
    CouncilError,
    CouncilHit,
    CouncilSource,
    CouncilSourceNotFound,
    DownloadedDocument,
    _json,
    _ndjson,
)
from kansenaudit.sources.http import (
    STATUS_MESSAGES,
    USER_AGENT,
    HttpClient,
    HttpError,
    HttpResponse,
    Transport,
)

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_USER_AGENT", "MAX_PAGE_SIZE", "OpenBesluitvormingClient"]

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://openbesluitvorming.nl"
DEFAULT_USER_AGENT = USER_AGENT
#: The API caps ``limit`` at 100; asking for more is refused here rather than silently capped.
MAX_PAGE_SIZE = 100
#: The export endpoints allow up to 1000 records per page.
MAX_EXPORT_PAGE_SIZE = 1000
ENTITY_TYPES = ("Meeting", "Document", "Motion", "Recording")


class OpenBesluitvormingClient:
    """A polite client of the OpenBesluitvorming API.

    Parameters
    ----------
    base_url : the API host; https only.
    transport : an httpx transport; tests pass an :class:`httpx.MockTransport` that replays
        recordings. Requests go through :class:`kansenaudit.sources.http.HttpClient`: https
        only, redirects followed with a loop guard, timeouts, retries and a size limit.
    user_agent : names the product, as the service asks.
    timeout : seconds to wait for the next bytes of an answer.
    page_size : search page size; at most :data:`MAX_PAGE_SIZE`.
    max_retries : retries after 429/502/503/504 (a failed connection: once), then a
        :class:`CouncilError`.
    backoff : first wait in seconds without ``Retry-After`` (header or the 429 body's
        ``retry_after_seconds``); doubles per retry.
    max_retry_wait : a longer ``Retry-After`` is not waited for: the client gives up at once.
    sleep, now : injectable for tests (``time.sleep``, and the clock for ``retrieved_at``).
    max_bytes : the largest response read.

    Attributes
    ----------
    changes_cursor : the ``X-Changes-Cursor`` of the first page of the last :meth:`snapshot`.
    export_cursor : the last ``X-Next-Cursor`` seen by :meth:`snapshot` or :meth:`changes`;
        store it to resume or to poll for changes later.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        transport: Transport | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float = 60,
        page_size: int = MAX_PAGE_SIZE,
        max_retries: int = 3,
        backoff: float = 1.0,
        max_retry_wait: float = 120,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] | None = None,
        max_bytes: int = 200 * 1024 * 1024,
    ) -> None:
        if urllib.parse.urlsplit(base_url).scheme != "https":
            raise ValueError(f"alleen https-adressen: {base_url!r}")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size moet tussen 1 en {MAX_PAGE_SIZE} liggen")
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size
        self._now = now or (lambda: datetime.now(UTC))
        self._http = HttpClient(
            user_agent=user_agent,
            accept="application/json, application/x-ndjson;q=0.9, */*;q=0.8",
            timeout=timeout,
            max_bytes=max_bytes,
            max_retries=max_retries,
            backoff=backoff,
            max_retry_wait=max_retry_wait,
            retry_hint=_retry_after_in_body,
            sleep=sleep,
            now=self._now,
            transport=transport,
        )
        self._sources: dict[bool, list[CouncilSource]] = {}
        self.changes_cursor: str | None = None
        self.export_cursor: str | None = None

    # URLs

    def url(self, path: str, params: Iterable[tuple[str, object]] = ()) -> str:
        """An API URL: ``path`` under the base URL, with the non-empty ``params`` encoded."""
        pairs = [(key, str(value)) for key, value in params if value is not None and value != ""]
        query = f"?{urllib.parse.urlencode(pairs)}" if pairs else ""
        return f"{self.base_url}{path}{query}"

    def entity_url(self, entity_id: str) -> str:
        """``/api/entities/<id>`` with the id as one encoded segment (``:`` → ``%3A``).

        Examples
        --------
        >>> OpenBesluitvormingClient().entity_url("document:notubiz:gemeente:soest:12345")
        'https://openbesluitvorming.nl/api/entities/document%3Anotubiz%3Agemeente%3Asoest%3A12345'
        """
        return f"{self.base_url}/api/entities/{_quote_id(entity_id)}"

    def pdf_page_url(self, entity_id: str, page: int) -> str:
        """``/api/entities/<id>/pdf/page/<n>`` (a rendered JPEG of page ``page``, from 1)."""
        if page < 1:
            raise ValueError("paginanummers beginnen bij 1")
        return f"{self.entity_url(entity_id)}/pdf/page/{int(page)}"

    # endpoints

    def sources(self, implemented: bool = True) -> list[CouncilSource]:
        """The organisations, cached per client (``implemented=True``: only active imports)."""
        if implemented not in self._sources:
            url = self.url("/api/sources", [("implemented", "true" if implemented else None)])
            payload = self._get_json(url)
            items = payload if isinstance(payload, list) else _list_in(payload, "sources", url)
            found = [CouncilSource.from_api(item) for item in items if isinstance(item, dict)]
            self._sources[implemented] = [source for source in found if source.key]
        return list(self._sources[implemented])

    def find_source(self, municipality: str) -> CouncilSource:
        """The source of a municipality: by name (case-insensitive, "Gemeente " optional), key
        or CBS code. Raises :class:`CouncilSourceNotFound` listing close names."""
        wanted = _norm_name(municipality)
        if not wanted:
            raise ValueError("geef een gemeentenaam")
        sources = self.sources()
        matches = [
            source
            for source in sources
            if wanted in (_norm_name(source.name), source.key.casefold())
            or (source.cbs_code and source.cbs_code.casefold() == wanted)
        ]
        if len(matches) > 1:
            # "Utrecht" and "Groningen" are a gemeente and a provincie: the audit is municipal.
            municipal = [s for s in matches if (s.organization_type or "").casefold() == "gemeente"]
            matches = municipal or matches
        if len(matches) > 1:
            matches = [s for s in matches if not s.is_aggregate] or matches
        url = self.url("/api/sources", [("implemented", "true")])
        if len(matches) == 1:
            return matches[0]
        if matches:
            names = [f"{s.name} ({s.key}, {s.organization_type or '?'})" for s in matches]
            raise CouncilSourceNotFound(
                f"meerdere bronnen heten {municipality!r}: {', '.join(names)}; geef de sleutel",
                url=url,
                suggestions=[s.key for s in matches],
            )
        by_name = {_norm_name(s.name): s for s in sources}
        close = difflib.get_close_matches(wanted, list(by_name), n=5, cutoff=0.6)
        close += [n for n in by_name if wanted in n and n not in close][: 5 - len(close)]
        suggestions = [f"{by_name[n].name} ({by_name[n].key})" for n in close]
        hint = f" Bedoelde u: {', '.join(suggestions)}?" if suggestions else ""
        raise CouncilSourceNotFound(
            f"geen OpenBesluitvorming-bron voor {municipality!r}.{hint}",
            url=url,
            suggestions=suggestions,
        )

    def search(
        self,
        query: str,
        *,
        organization: str | CouncilSource,
        since: date | datetime | str | None = None,
        until: date | datetime | str | None = None,
        entity_type: str | None = "Document",
        limit: int = MAX_PAGE_SIZE,
        max_results: int = 1000,
        sort: str | None = None,
    ) -> Iterator[CouncilHit]:
        """Search hits, page by page, at most ``max_results``; duplicates are dropped.

        ``since``/``until`` become ``dateFrom``/``dateTo`` (``YYYY-MM-DD``, both inclusive).
        ``limit`` is the page size, never more than 100. Pages follow a ``next`` link or
        cursor when the server sends one, else ``offset`` while ``hasMore`` (or, without it,
        while pages are full). Totals are approximate and not used.

        Raises
        ------
        CouncilError
            On an HTTP error, invalid JSON, an empty body, a page without results list, a
            page that was already fetched (loop), or a page of only already-seen results.
        """
        if entity_type is not None and entity_type not in ENTITY_TYPES:
            raise ValueError(f"entity_type moet een van {', '.join(ENTITY_TYPES)} zijn")
        if limit < 1:
            raise ValueError("limit moet minstens 1 zijn")
        if max_results < 0:
            raise ValueError("max_results mag niet negatief zijn")
        page_limit = min(limit, self.page_size, MAX_PAGE_SIZE)
        base_params: list[tuple[str, object]] = [
            ("query", query.strip() if query else None),
            ("organization", _source_key(organization)),
            ("entityType", entity_type),
            ("dateFrom", _iso_date(since, "since")),
            ("dateTo", _iso_date(until, "until")),
            ("sort", sort),
        ]
        return self._search_pages(base_params, page_limit, max_results)

    def _search_pages(
        self, base_params: list[tuple[str, object]], page_limit: int, max_results: int
    ) -> Iterator[CouncilHit]:
        yielded = 0
        offset = 0
        seen_ids: set[str] = set()
        visited: set[str] = set()
        requested = min(page_limit, max_results)
        url: str | None = self.url(
            "/api/search", [*base_params, ("offset", 0), ("limit", requested)]
        )
        while url is not None and yielded < max_results:
            if url in visited:
                raise CouncilError("dezelfde resultatenpagina opnieuw gevraagd (lus)", url=url)
            visited.add(url)
            page = self._get_json(url)
            results = page if isinstance(page, list) else _list_in(page, "results", url)
            fresh = 0
            for raw in results:
                if not isinstance(raw, dict):
                    continue
                hit = CouncilHit.from_api(raw)
                if not hit.entity_id or hit.entity_id in seen_ids:
                    continue
                seen_ids.add(hit.entity_id)
                fresh += 1
                yielded += 1
                yield hit
                if yielded >= max_results:
                    return
            if not results or not isinstance(page, dict):
                # An empty page ends the search: hasMore and totals are estimates.
                return
            if fresh == 0:
                raise CouncilError(
                    "pagina bevat alleen al geziene resultaten; bladeren werkt niet", url=url
                )
            requested = min(page_limit, max_results - yielded)
            link = _next_link(page)
            cursor = _text(_first(page, "nextCursor", "next_cursor"))
            if link:
                url = self._same_host(urllib.parse.urljoin(url, link), requested)
            elif cursor:
                url = self.url(
                    "/api/search", [*base_params, ("cursor", cursor), ("limit", requested)]
                )
            else:
                has_more = page.get("hasMore", page.get("has_more"))
                if has_more is False or (
                    has_more is None and len(results) < _int_param(url, "limit", MAX_PAGE_SIZE)
                ):
                    return
                # From the offset this page was asked with: it may have come from a next link.
                offset = _int_param(url, "offset", offset) + len(results)
                url = self.url(
                    "/api/search", [*base_params, ("offset", offset), ("limit", requested)]
                )

    def entity(self, entity_id: str, *, source_key: str | None = None) -> CouncilEntity:
        """One entity; ``source_key`` fills :attr:`CouncilEntity.source_key` if the API has none."""
        if not isinstance(entity_id, str) or not entity_id.strip():
            raise ValueError("geen entiteit-id")
        url = self.entity_url(entity_id)
        payload = self._get_json(url)
        if not isinstance(payload, dict):
            raise CouncilError("antwoord is geen JSON-object", url=url)
        for wrapper in ("entity", "data"):  # tolerate an enveloped answer
            if "entityId" not in payload and isinstance(payload.get(wrapper), dict):
                payload = payload[wrapper]
        entity = CouncilEntity.from_api(payload, source_key=source_key)
        if not entity.entity_id:
            entity = CouncilEntity.from_api(
                {**payload, "entityId": entity_id}, source_key=source_key
            )
        return entity

    def meeting(self, meeting_id: str, *, source_key: str | None = None) -> CouncilEntity:
        """A meeting (title, date, committee, location, agenda) for a document's context."""
        entity = self.entity(meeting_id, source_key=source_key)
        if entity.entity_type and entity.entity_type.casefold() not in ("meeting", "vergadering"):
            raise CouncilError(
                f"geen vergadering maar {entity.entity_type}", url=self.entity_url(meeting_id)
            )
        return entity

    def pdf_page(self, entity_id: str, page: int) -> bytes:
        """A rendered PDF page as JPEG bytes."""
        return self._request(self.pdf_page_url(entity_id, page)).body

    def download(self, entity: CouncilEntity) -> DownloadedDocument:
        """The document's bytes: ``downloadUrl``, else ``pdfUrl``, else ``markdownText`` (.md).

        When ``downloadUrl`` fails the ``pdfUrl`` is tried (``url`` records which one was
        used). The markdown is only used when the entity has no file URL at all: it is text
        derived by the service, not the published file, and must not stand in for a file that
        failed.
        """
        urls = [u for u in dict.fromkeys((entity.download_url, entity.pdf_url)) if u]
        if not urls:
            if not entity.markdown_text:
                raise CouncilError(
                    "geen downloadUrl, pdfUrl of markdownText",
                    url=self.entity_url(entity.entity_id),
                )
            data = entity.markdown_text.encode("utf-8")
            return self._downloaded(
                entity, data, self.entity_url(entity.entity_id), "text/markdown; charset=utf-8"
            )
        first_error: CouncilError | None = None
        for url in urls:
            absolute = urllib.parse.urljoin(self.base_url + "/", url)
            try:
                response = self._request(absolute)
                if not response.body:
                    raise CouncilError("leeg bestand", url=absolute, status=response.status)
            except CouncilError as exc:
                logger.info("Download %s mislukt: %s", absolute, exc)
                first_error = first_error or exc
                continue
            content_type = response.headers.get("content-type") or entity.content_type
            return self._downloaded(entity, response.body, absolute, content_type)
        assert first_error is not None  # noqa: S101 - the loop ran at least once
        raise first_error

    def _downloaded(
        self, entity: CouncilEntity, data: bytes, url: str, content_type: str | None
    ) -> DownloadedDocument:
        return DownloadedDocument(
            entity=entity,
            data=data,
            sha256=hashlib.sha256(data).hexdigest(),
            retrieved_at=_utc_iso(self._now()),
            url=url,
            content_type=content_type,
        )

    def snapshot(
        self, source: str | CouncilSource, *, cursor: str | None = None, limit: int | None = None
    ) -> Iterator[dict]:
        """Every record of a source's current state (NDJSON export), following ``X-Next-Cursor``.

        Sets :attr:`changes_cursor` from the first page, for :meth:`changes` later.
        """
        return self._export("snapshot", source, cursor, limit)

    def changes(
        self, source: str | CouncilSource, cursor: str | None = None, *, limit: int | None = None
    ) -> Iterator[dict]:
        """Change records since ``cursor`` (None: from the start); :attr:`export_cursor` after."""
        return self._export("changes", source, cursor, limit)

    # plumbing

    def _export(
        self, kind: str, source: str | CouncilSource, cursor: str | None, limit: int | None
    ) -> Iterator[dict]:
        key = _source_key(source)
        if limit is not None and not 1 <= limit <= MAX_EXPORT_PAGE_SIZE:
            raise ValueError(f"limit moet tussen 1 en {MAX_EXPORT_PAGE_SIZE} liggen")
        asked: set[str] = set()
        first = True
        while True:
            url = self.url(
                f"/api/export/{kind}", [("source", key), ("cursor", cursor), ("limit", limit)]
            )
            if cursor is not None:
                if cursor in asked:
                    raise CouncilError(f"exportcursor {cursor!r} herhaalt zich (lus)", url=url)
                asked.add(cursor)
            response = self._request(url)
            if first and kind == "snapshot":
                self.changes_cursor = response.headers.get("x-changes-cursor") or None
            first = False
            records = _ndjson(response.body, url)
            yield from records
            next_cursor = response.headers.get("x-next-cursor") or None
            if next_cursor:
                self.export_cursor = next_cursor
            has_more = _bool_header(response.headers.get("x-has-more"))
            if has_more is False or not next_cursor or (has_more is None and not records):
                return
            cursor = next_cursor

    def _get_json(self, url: str) -> dict | list:
        response = self._request(url)
        return _json(response.body, response.url)

    def _request(self, url: str) -> HttpResponse:
        """GET through the shared client; its errors become :class:`CouncilError`."""
        try:
            return self._http.get(url)
        except HttpError as exc:
            raise _council_error(exc) from exc

    def close(self) -> None:
        """Close the connections (a later request opens new ones)."""
        self._http.close()

    def __enter__(self) -> OpenBesluitvormingClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _same_host(self, url: str, limit: int) -> str:
        # A next link is followed only on the API host, and with a limit the API accepts.
        base = urllib.parse.urlsplit(self.base_url)
        parts = urllib.parse.urlsplit(url)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            raise CouncilError("volgende-pagina-link wijst naar een andere host", url=url)
        pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        fixed = [
            (k, str(min(int(v), limit)) if k == "limit" and v.isdigit() else v) for k, v in pairs
        ]
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(fixed)))


# --- helpers --------------------------------------------------------------------------------


def _council_error(exc: HttpError) -> CouncilError:
    """The shared client's error in the API's terms: its JSON ``code`` and ``error`` quoted."""
    message = exc.message
    if exc.kind == "retry_wait":
        message = f"{STATUS_MESSAGES.get(exc.status or 0, 'bezet')}; {message}"
    payload = _json_or_none(exc.body)
    code = None
    if exc.kind == "status" and isinstance(payload, dict):
        code = _text(payload.get("code"))
        detail = _text(payload.get("error")) or _text(payload.get("message"))
        if code or detail:
            message += f" ({': '.join(part for part in (code, detail) if part)})"
    return CouncilError(message, url=exc.url, status=exc.status, code=code)


def _retry_after_in_body(response: HttpResponse) -> float | None:
    # The documented 429 body carries the wait as well as the Retry-After header.
    payload = _json_or_none(response.body)
    seconds = payload.get("retry_after_seconds") if isinstance(payload, dict) else None
    if isinstance(seconds, int | float) and not isinstance(seconds, bool):
        return float(seconds)
    return None


def _json_or_none(body: bytes) -> object:
    try:
        return json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        return None


def _list_in(payload: dict | list, name: str, url: str) -> list:
    if isinstance(payload, dict):
        for key in (name, "items", "hits", "data", "results"):
            if isinstance(payload.get(key), list):
                return payload[key]
    raise CouncilError(f"antwoord zonder lijst '{name}'", url=url)


def _quote_id(entity_id: str) -> str:
    return urllib.parse.quote(entity_id, safe="")


def _source_key(source: str | CouncilSource) -> str:
    key = source.key if isinstance(source, CouncilSource) else str(source or "").strip()
    if not key:
        raise ValueError("geen bron (source key)")
    return key
