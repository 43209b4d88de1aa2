"""Council documents: the OpenBesluitvorming API and saved Notubiz meeting responses.

Open Raadsinformatie's old API was switched off on 1 November 2026. Its successor is
OpenBesluitvorming (``https://openbesluitvorming.nl``, no authentication, read-only):

``GET /api/sources?implemented=true``
    The organisations (sources) that are imported: one key per organisation.
``GET /api/search?query=…&organization=<key>&entityType=Document&dateFrom=…&dateTo=…&limit=…``
    Search; ``limit`` is at most 100 and the total count is approximate.
``GET /api/entities/<url-encoded id>``
    One entity: a document (``markdownText``, ``downloadUrl``, ``pdfUrl``, ``meetingId``) or a
    meeting (its agenda). Entity ids contain colons (``document:notubiz:gemeente:soest:1``),
    so they are always URL-encoded as one path segment.
``GET /api/entities/<id>/pdf/page/<n>``
    One rendered PDF page (JPEG).
``GET /api/export/snapshot?source=<key>`` and ``GET /api/export/changes?source=<key>&cursor=…``
    Bulk export as NDJSON, paged with cursor headers.

:class:`OpenBesluitvormingClient` wraps these with an injectable ``fetch`` so tests replay
recorded responses; :func:`pull_council_documents` runs search → entity → meeting → download
and yields :class:`CouncilDocumentRecord` provenance with the bytes. :func:`read_notubiz_meeting`
and :func:`notubiz_records` read a saved Notubiz API response (one meeting) without downloading.

Assumptions about field names
-----------------------------
Only the endpoints and the parameters above are certain (docs/sources/council.md). The field
names follow the API description the project publishes (``API.md`` of the OpenBesluitvorming
repository); where that is silent, or might change, every reader tries several names and
tolerates absence:

* sources: a list under ``sources`` (or ``results``/``data``, or a bare list); per source
  ``key`` (``sourceKey``/``id``), ``label`` (``name``/``title``), ``organizationType``,
  ``supplier``, ``implemented``, ``isAggregate`` and, if present, ``cbsId`` (``GM0363``).
* search: a list under ``results`` (or ``items``/``hits``/``data``); per hit ``entityId``,
  ``entityType``, ``title``, ``organization`` (a display name, not the key), ``sortDate``
  (UTC timestamp), ``date`` (Dutch text such as ``7 november 2024``), ``summary``,
  ``downloadUrl``. Paging is by ``offset``/``limit`` with ``hasMore``; a ``next`` link
  (``next``/``nextUrl``/``links.next``/``_links.next.href``) or a ``nextCursor`` in the body
  is followed instead when the server sends one. ``totalCount`` is never relied on.
* entity: ``entityId``, ``entityType``, ``title``, ``sortDate``/``date``, ``markdownText``,
  ``downloadUrl``, ``pdfUrl``, ``contentType``, ``meetingId``; a meeting adds ``agenda`` (items
  with ``id``, ``number``, ``title``, ``documents`` [``id``, ``name``, ``original_url``] and nested
  ``agenda_items``) and, when present, ``committee`` (a name or an object with ``name``) and
  ``location``. No source key is documented on an entity: the client fills in the key it
  searched with, else it is read from the id (``<type>:<supplier>:<kind>:<key>:<local id>``).
* export: one JSON object per line; cursor headers ``X-Next-Cursor``, ``X-Has-More`` and, on
  the first snapshot page, ``X-Changes-Cursor``.
* errors: a JSON body with ``code`` and ``error`` (Dutch) is quoted in the message; a 429 may
  carry ``retry_after_seconds`` in the body as well as ``Retry-After``.

Dates: ``sortDate`` is a UTC timestamp of a Dutch meeting; it is converted to Europe/Amsterdam
before the calendar date is taken, so a meeting at 00:30 local time keeps its own day.
"""

from __future__ import annotations

import dataclasses
import difflib
import email.utils
import hashlib
import json
import logging
import re
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kansenaudit import safe_json

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_USER_AGENT",
    "MAX_PAGE_SIZE",
    "CouncilAgendaItem",
    "CouncilDocumentRecord",
    "CouncilEntity",
    "CouncilError",
    "CouncilHit",
    "CouncilSource",
    "CouncilSourceNotFound",
    "CouncilWarning",
    "DownloadedDocument",
    "NotubizAgendaItem",
    "NotubizDocument",
    "NotubizMeeting",
    "OpenBesluitvormingClient",
    "doc_type_hint",
    "issuer_hint",
    "notubiz_records",
    "pull_council_documents",
    "read_notubiz_meeting",
    "safe_file_name",
]

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://openbesluitvorming.nl"
DEFAULT_USER_AGENT = "Kansenaudit/0.1 (+https://github.com/kansenaudit/kansenaudit)"
#: The API caps ``limit`` at 100; asking for more is refused here rather than silently capped.
MAX_PAGE_SIZE = 100
#: The export endpoints allow up to 1000 records per page.
MAX_EXPORT_PAGE_SIZE = 1000
ENTITY_TYPES = ("Meeting", "Document", "Motion", "Recording")
RETRY_STATUSES = frozenset({429, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
#: Error bodies are small JSON; a server that streams megabytes of "error" is not read further.
MAX_ERROR_BODY = 1_000_000

Fetch = Callable[[str], tuple[int, dict, bytes]]

_STATUS_MESSAGES = {
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

_DUTCH_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "januari", "februari", "maart", "april", "mei", "juni",
            "juli", "augustus", "september", "oktober", "november", "december",
        ],
        start=1,
    )
}  # fmt: skip

_EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-powerpoint": ".ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "text/html": ".html",
    "text/markdown": ".md",
    "text/plain": ".txt",
    "text/csv": ".csv",
    "application/rtf": ".rtf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
_KNOWN_SUFFIXES = frozenset(_EXTENSIONS.values()) | {".jpeg", ".tif", ".tiff", ".zip"}
_WINDOWS_RESERVED = (
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)


# --- errors and values ----------------------------------------------------------------------


class CouncilError(RuntimeError):
    """A request or file that could not be used; names the URL (or file) and the HTTP status."""

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        code: str | None = None,
    ) -> None:
        self.message = message
        self.url = url
        self.status = status
        self.code = code
        where = " ".join(part for part in (f"HTTP {status}" if status else "", url or "") if part)
        super().__init__(f"{where}: {message}" if where else message)


class CouncilSourceNotFound(CouncilError):
    """No single source for a municipality name; ``suggestions`` lists close names."""

    def __init__(self, message: str, *, url: str | None, suggestions: list[str]) -> None:
        self.suggestions = suggestions
        super().__init__(message, url=url)


@dataclass(frozen=True)
class CouncilSource:
    """One organisation OpenBesluitvorming imports (a gemeente, provincie or waterschap)."""

    key: str
    name: str
    organization_type: str | None = None
    supplier: str | None = None
    implemented: bool | None = None
    is_aggregate: bool = False
    cbs_code: str | None = None
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, raw: dict) -> CouncilSource:
        key = _text(_first(raw, "key", "sourceKey", "source_key", "id"))
        name = _text(_first(raw, "label", "name", "title", "organization", "municipality"))
        implemented = _first(raw, "implemented")
        return cls(
            key=key or "",
            name=name or key or "",
            organization_type=_text(_first(raw, "organizationType", "organization_type", "type")),
            supplier=_text(_first(raw, "supplier")),
            implemented=implemented if isinstance(implemented, bool) else None,
            is_aggregate=bool(_first(raw, "isAggregate", "is_aggregate")),
            cbs_code=_text(_first(raw, "cbsId", "cbs_id", "cbsCode")),
            raw=raw,
        )


@dataclass(frozen=True)
class CouncilHit:
    """One search result. ``date`` is the local calendar date of ``sortDate``."""

    entity_id: str
    entity_type: str | None
    title: str
    date: date | None
    organization: str | None
    summary: str | None
    download_url: str | None
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, raw: dict) -> CouncilHit:
        return cls(
            entity_id=_text(_first(raw, "entityId", "entity_id", "id")) or "",
            entity_type=_text(_first(raw, "entityType", "entity_type", "type")),
            title=_text(_first(raw, "title", "name")) or "",
            date=_entity_date(raw),
            organization=_name_of(_first(raw, "organization", "organisation")),
            summary=_text(_first(raw, "summary")),
            download_url=_text(_first(raw, "downloadUrl", "download_url")),
            raw=raw,
        )


@dataclass(frozen=True)
class CouncilAgendaItem:
    """An agenda item of a meeting, flattened: ``parent_id`` links nested items."""

    id: str
    number: str | None
    title: str
    parent_id: str | None = None
    document_ids: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``"<number> <title>"``, as an agenda prints it."""
        return " ".join(part for part in (self.number, self.title) if part)


@dataclass(frozen=True)
class CouncilEntity:
    """A document, meeting or motion from ``/api/entities/<id>``; ``raw`` keeps the response."""

    entity_id: str
    entity_type: str | None
    title: str
    date: date | None
    source_key: str | None
    meeting_id: str | None = None
    agenda_item: str | None = None
    markdown_text: str | None = None
    download_url: str | None = None
    pdf_url: str | None = None
    content_type: str | None = None
    committee: str | None = None
    location: str | None = None
    agenda: tuple[CouncilAgendaItem, ...] = ()
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, raw: dict, *, source_key: str | None = None) -> CouncilEntity:
        entity_id = _text(_first(raw, "entityId", "entity_id", "id")) or ""
        markdown = _first(raw, "markdownText", "markdown_text", "md_text")
        if isinstance(markdown, list):  # the schema's md_text is a list of page texts
            markdown = "\n\n".join(str(part) for part in markdown if part)
        agenda_item = _first(raw, "agendaItem", "agenda_item", "agendaItemId", "agenda_item_id")
        return cls(
            entity_id=entity_id,
            entity_type=_text(_first(raw, "entityType", "entity_type", "type")),
            title=_text(_first(raw, "title", "name")) or "",
            date=_entity_date(raw),
            source_key=_text(_first(raw, "sourceKey", "source_key"))
            or source_key
            or _source_key_from_id(entity_id),
            meeting_id=_id_of(_first(raw, "meetingId", "meeting_id", "meeting")),
            agenda_item=_name_of(agenda_item),
            markdown_text=markdown if isinstance(markdown, str) and markdown.strip() else None,
            download_url=_text(_first(raw, "downloadUrl", "download_url", "original_url")),
            pdf_url=_text(_first(raw, "pdfUrl", "pdf_url")),
            content_type=_text(_first(raw, "contentType", "content_type")),
            committee=_name_of(_first(raw, "committee", "committeeName", "committee_name")),
            location=_text(_first(raw, "location", "locatie")),
            agenda=tuple(_flatten_agenda(_first(raw, "agenda", "agenda_items") or [], None)),
            raw=raw,
        )

    def agenda_item_for(self, document_id: str) -> CouncilAgendaItem | None:
        """The (first) agenda item of this meeting that lists ``document_id``."""
        return next((item for item in self.agenda if document_id in item.document_ids), None)


@dataclass(frozen=True)
class DownloadedDocument:
    """The bytes of a council document and when, where and with which hash they were fetched."""

    entity: CouncilEntity
    data: bytes = field(repr=False)
    sha256: str
    retrieved_at: str
    url: str
    content_type: str | None

    @property
    def file_name(self) -> str:
        """A safe file name from the title, the id and the type (see :func:`safe_file_name`)."""
        suffix = _suffix(self.content_type, self.url) or ".bin"
        return safe_file_name(self.entity.title, suffix=suffix, ident=self.entity.entity_id)


@dataclass(frozen=True)
class CouncilDocumentRecord:
    """The provenance the evidence store keeps for one council document.

    ``retrieved_at`` and ``sha256`` are None for a record made from a saved Notubiz response
    (nothing was downloaded). ``issuer_hint`` and ``doc_type_hint`` are guesses from the
    meeting and the title, for a human to confirm.
    """

    entity_id: str
    source_key: str
    title: str
    date: date | None
    meeting_id: str | None
    meeting_title: str | None
    meeting_date: date | None
    committee: str | None
    agenda_item_id: str | None
    agenda_item: str | None
    download_url: str | None
    retrieved_at: str | None
    sha256: str | None
    file_name: str
    content_type: str | None
    issuer_hint: str | None
    doc_type_hint: str | None
    origin: str = "openbesluitvorming"

    def to_dict(self) -> dict:
        """JSON-ready: dates as ``YYYY-MM-DD``."""
        return {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in self.__dict__.items()
        }


@dataclass(frozen=True)
class CouncilWarning:
    """A document that was skipped, and why (logged, and given to ``progress``)."""

    entity_id: str
    title: str
    message: str
    url: str | None = None
    status: int | None = None


@dataclass
class _Response:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes


# --- the client -----------------------------------------------------------------------------


class OpenBesluitvormingClient:
    """A polite client of the OpenBesluitvorming API.

    Parameters
    ----------
    base_url : the API host; https only.
    fetch : ``url -> (status, headers, body)``. The default uses ``urllib`` with the
        ``user_agent``, ``timeout`` and ``max_bytes``, refuses anything but https and does not
        follow redirects itself (the client does, with a loop guard). Tests pass recordings.
    user_agent : names the product, as the service asks.
    page_size : search page size; at most :data:`MAX_PAGE_SIZE`.
    max_retries : retries after 429/502/503/504 or a network error, then a :class:`CouncilError`.
    backoff : first wait in seconds without ``Retry-After``; doubles per retry.
    max_retry_wait : a longer ``Retry-After`` is not waited for: the client gives up at once.
    sleep, now : injectable for tests (``time.sleep``, and the clock for ``retrieved_at``).
    max_bytes : largest response read by the default fetch.

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
        fetch: Fetch | None = None,
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
        self.user_agent = user_agent
        self.page_size = page_size
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_retry_wait = max_retry_wait
        self._sleep = sleep
        self._now = now or (lambda: datetime.now(UTC))
        self._fetch: Fetch = fetch or partial(
            _urllib_fetch, user_agent=user_agent, timeout=timeout, max_bytes=max_bytes
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
                if has_more is False or (has_more is None and len(results) < _limit_of(url)):
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

    def _request(self, url: str) -> _Response:
        """GET with redirects (guarded), retries with backoff, and errors that name the URL."""
        current = url
        chain = [url]
        attempt = 0
        while True:
            _require_https(current)
            try:
                status, raw_headers, body = self._fetch(current)
            except CouncilError:
                raise
            except urllib.error.HTTPError as exc:  # an injected urllib-style fetch
                status, raw_headers = exc.code, dict(exc.headers.items()) if exc.headers else {}
                body = exc.read(MAX_ERROR_BODY) if exc.fp else b""
            except OSError as exc:  # URLError, timeouts, refused connections
                if attempt < self.max_retries:
                    self._sleep(self.backoff * 2**attempt)
                    attempt += 1
                    continue
                reason = getattr(exc, "reason", exc)
                raise CouncilError(
                    f"niet bereikbaar na {attempt + 1} pogingen: {reason}", url=current
                ) from exc
            headers = {str(k).lower(): str(v) for k, v in (raw_headers or {}).items()}
            if status in REDIRECT_STATUSES:
                current = self._redirect(current, status, headers, chain)
                continue
            if status in RETRY_STATUSES and attempt < self.max_retries:
                delay = self._retry_delay(headers, body, attempt)
                if delay > self.max_retry_wait:
                    raise CouncilError(
                        f"{_STATUS_MESSAGES.get(status, 'bezet')}; de server vraagt "
                        f"{delay:.0f} s te wachten (meer dan {self.max_retry_wait:.0f} s)",
                        url=current,
                        status=status,
                    )
                logger.info("HTTP %s van %s; opnieuw over %.1f s", status, current, delay)
                self._sleep(delay)
                attempt += 1
                continue
            if not 200 <= status < 300:
                raise _status_error(status, body, current, attempt)
            return _Response(url=current, status=status, headers=headers, body=body)

    def _redirect(self, current: str, status: int, headers: dict, chain: list[str]) -> str:
        location = headers.get("location")
        if not location:
            raise CouncilError("doorverwijzing zonder Location", url=current, status=status)
        target = urllib.parse.urljoin(current, location)
        if target in chain:
            raise CouncilError(
                f"doorverwijzingen in een kring (lus) via {target}", url=chain[0], status=status
            )
        if len(chain) > MAX_REDIRECTS:
            raise CouncilError(
                f"meer dan {MAX_REDIRECTS} doorverwijzingen", url=chain[0], status=status
            )
        chain.append(target)
        return target

    def _retry_delay(self, headers: dict, body: bytes, attempt: int) -> float:
        retry_after = headers.get("retry-after", "").strip()
        if retry_after:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                try:
                    when = email.utils.parsedate_to_datetime(retry_after)
                except (TypeError, ValueError):
                    when = None
                if when is not None:
                    if when.tzinfo is None:
                        when = when.replace(tzinfo=UTC)
                    return max(0.0, (when - self._now()).total_seconds())
        try:  # the documented 429 body carries the wait as well
            seconds = json.loads(body.decode("utf-8")).get("retry_after_seconds")
            if isinstance(seconds, int | float) and not isinstance(seconds, bool):
                return max(0.0, float(seconds))
        except (UnicodeDecodeError, ValueError, AttributeError):
            pass
        return self.backoff * 2**attempt

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


# --- the pipeline ---------------------------------------------------------------------------


def pull_council_documents(
    client: OpenBesluitvormingClient,
    *,
    municipality: str,
    query: str,
    since: date | None,
    until: date | None = None,
    max_results: int = 200,
    progress: Callable[[CouncilHit, CouncilWarning | None], None] | None = None,
) -> Iterator[tuple[CouncilDocumentRecord, bytes]]:
    """Search a municipality's council documents and yield each one with its provenance.

    For every hit: the entity, its meeting (cached; the agenda gives the agenda item) and the
    download. A document whose entity or download fails is skipped: a :class:`CouncilWarning`
    is logged and passed to ``progress(hit, warning)``; ``progress(hit, None)`` follows every
    success. A meeting that cannot be fetched only leaves the meeting fields empty. Errors
    of the search itself (unknown municipality, service down) are raised.
    """
    source = client.find_source(municipality)
    meetings: dict[str, CouncilEntity | None] = {}
    hits = client.search(
        query, organization=source, since=since, until=until, max_results=max_results
    )
    for hit in hits:
        try:
            entity = client.entity(hit.entity_id, source_key=source.key)
            downloaded = client.download(entity)
        except CouncilError as exc:
            warning = CouncilWarning(
                entity_id=hit.entity_id,
                title=hit.title,
                message=exc.message,
                url=exc.url,
                status=exc.status,
            )
            logger.warning(
                "Raadsdocument %s overgeslagen: %s", hit.entity_id, exc, extra={"council": warning}
            )
            if progress is not None:
                progress(hit, warning)
            continue
        meeting = _cached_meeting(client, entity.meeting_id, source.key, meetings)
        yield _record(entity, downloaded, source.key, meeting, hit), downloaded.data
        if progress is not None:
            progress(hit, None)


def _cached_meeting(
    client: OpenBesluitvormingClient,
    meeting_id: str | None,
    source_key: str,
    cache: dict[str, CouncilEntity | None],
) -> CouncilEntity | None:
    if not meeting_id:
        return None
    if meeting_id not in cache:
        try:
            cache[meeting_id] = client.meeting(meeting_id, source_key=source_key)
        except CouncilError as exc:
            # Context only: the document itself is fine, so it is kept without meeting fields.
            logger.warning("Vergadering %s niet opgehaald: %s", meeting_id, exc)
            cache[meeting_id] = None
    return cache[meeting_id]


def _record(
    entity: CouncilEntity,
    downloaded: DownloadedDocument,
    source_key: str,
    meeting: CouncilEntity | None,
    hit: CouncilHit,
) -> CouncilDocumentRecord:
    item = meeting.agenda_item_for(entity.entity_id) if meeting else None
    title = entity.title or hit.title
    meeting_title = meeting.title if meeting else None
    committee = meeting.committee if meeting else None
    return CouncilDocumentRecord(
        entity_id=entity.entity_id,
        source_key=source_key,
        title=title,
        date=entity.date or hit.date,
        meeting_id=entity.meeting_id,
        meeting_title=meeting_title,
        meeting_date=meeting.date if meeting else None,
        committee=committee,
        agenda_item_id=item.id if item else None,
        agenda_item=item.label if item else entity.agenda_item,
        download_url=downloaded.url,
        retrieved_at=downloaded.retrieved_at,
        sha256=downloaded.sha256,
        file_name=downloaded.file_name,
        content_type=downloaded.content_type,
        issuer_hint=issuer_hint(committee, meeting_title),
        doc_type_hint=doc_type_hint(title),
    )


# --- hints and names ------------------------------------------------------------------------

#: Title patterns → document type, first match wins. Letters come before motie: "Raadsbrief
#: motie 890" and "Beantwoording motie …" are letters about a motion, not the motion.
_DOC_TYPE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("amendement", r"^(?:gewijzigd |aangenomen |verworpen )*amendement"),
        ("motie", r"^(?:gewijzigde |aangenomen |verworpen |aangehouden )*motie"),
        ("besluitenlijst", r"besluitenlijst|uitslagenlijst|besluitenoverzicht"),
        ("notulen", r"notulen|\bverslag\b|conceptverslag|woordelijk"),
        ("raadsvoorstel", r"raadsvoorstel|voordracht|collegevoorstel|voorstel aan de raad"),
        ("raadsbesluit", r"raadsbesluit"),
        (
            "raadsbrief",
            r"raadsbrief|raadsinformatiebrief|wethoudersbrief|collegebrief"
            r"|brief (?:van het college |van de wethouder )?aan de (?:gemeente)?raad"
            r"|brief aan de commissie",
        ),
        ("raadsadres", r"raadsadres"),
        ("schriftelijke vragen", r"schriftelijke vragen|\bsv\b|vragen van (?:het )?raadslid"),
        ("brief", r"\bbrief\b|\bbrieven\b"),
        ("agenda", r"(?<!termijn)\bagenda\b"),
        ("motie", r"\bmotie\b"),
        ("amendement", r"\bamendement\b"),
        ("begroting", r"begroting|voorjaarsnota|kadernota"),
        ("jaarverslag", r"jaarverslag|jaarrekening"),
        ("voortgangsrapportage", r"voortgangsrapportage|kwartaalrapportage|\brapportage\b"),
        ("onderzoek", r"rapport|evaluatie|onderzoek"),
    )
)

#: Notubiz document types (``types[].value``) when the title says nothing.
_NOTUBIZ_TYPES = {
    "notulen": "notulen",
    "verslag": "notulen",
    "uitslagenlijst": "besluitenlijst",
    "besluitenlijst": "besluitenlijst",
    "agenda": "agenda",
    "motie": "motie",
    "amendement": "amendement",
    "raadsvoorstel": "raadsvoorstel",
    "raadsbesluit": "raadsbesluit",
    "raadsinformatiebrief": "raadsbrief",
    "brief": "brief",
}


def doc_type_hint(title: str | None, *, supplier_types: Iterable[str] = ()) -> str | None:
    """A guess at the document type from its title, else from the supplier's type labels.

    One of ``raadsvoorstel``, ``raadsbesluit``, ``motie``, ``amendement``, ``raadsbrief``,
    ``brief``, ``raadsadres``, ``schriftelijke vragen``, ``besluitenlijst``, ``agenda``,
    ``notulen``, ``begroting``, ``jaarverslag``, ``voortgangsrapportage``, ``onderzoek``; None
    when nothing matches.

    Examples
    --------
    >>> doc_type_hint("01 Raadsbrief motie 890 (534') ondertekend.pdf")
    'raadsbrief'
    >>> doc_type_hint("Motie 12 Gratis zwemles voor alle kinderen")
    'motie'
    >>> doc_type_hint("Definitief verslag FIN 08 02 2018")
    'notulen'
    >>> doc_type_hint("Termijnagenda, per portefeuille") is None
    True
    >>> doc_type_hint("Commissie Flap", supplier_types=["Uitslagenlijst"])
    'besluitenlijst'
    """
    text = _fold(title or "")
    text = re.sub(r"^[\s\d.)-]+", "", text)  # "01 ", "2. ": list numbering, not content
    for name, pattern in _DOC_TYPE_PATTERNS:
        if pattern.search(text):
            return name
    for label in supplier_types:
        mapped = _NOTUBIZ_TYPES.get(_fold(label))
        if mapped:
            return mapped
    return None


def issuer_hint(*texts: str | None) -> str | None:
    """``commissie``, ``college`` or ``raad`` from a committee or meeting name, else None.

    A committee is checked first because its name usually contains "raad" too.

    Examples
    --------
    >>> issuer_hint("raadscommissie Financiën")
    'commissie'
    >>> issuer_hint(None, "Gemeenteraad 7 november 2024")
    'raad'
    >>> issuer_hint("Collegevergadering B&W")
    'college'
    """
    joined = " ".join(_fold(text) for text in texts if text)
    if "commissie" in joined:
        return "commissie"
    if re.search(r"college|\bb&w\b|burgemeester en wethouders", joined):
        return "college"
    if "raad" in joined:
        return "raad"
    return None


def safe_file_name(title: str | None, *, suffix: str, ident: str | None = None) -> str:
    """A portable file name: ASCII letters, digits, ``_``, ``-`` and ``.``, at most ~150 chars.

    ``ident`` (an entity id) adds its last part, so two documents with the same title do not
    collide. A known extension already in the title is not doubled.

    Examples
    --------
    >>> safe_file_name("Brief college over registreren etniciteit.pdf", suffix=".pdf",
    ...                ident="document:notubiz:gemeente:amsterdam:6124080")
    'Brief_college_over_registreren_etniciteit_6124080.pdf'
    >>> safe_file_name("../../etc/passwd", suffix=".md")
    'etc_passwd.md'
    >>> safe_file_name("Financiën: begroting 2024/2025", suffix=".pdf")
    'Financien_begroting_2024_2025.pdf'
    """
    stem = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode("ascii")
    lowered = stem.lower()
    for known in sorted(_KNOWN_SUFFIXES, key=len, reverse=True):
        if lowered.endswith(known):
            stem = stem[: -len(known)]
            break
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_-")[:120] or "document"
    if stem.upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    if ident:
        tail = re.sub(r"[^A-Za-z0-9_-]+", "_", ident.rsplit(":", 1)[-1]).strip("_-")[:40]
        if tail and not stem.endswith(tail):
            stem = f"{stem}_{tail}"
    clean_suffix = re.sub(r"[^A-Za-z0-9.]", "", suffix)[:10]
    if not clean_suffix.startswith("."):
        clean_suffix = f".{clean_suffix}" if clean_suffix else ".bin"
    return f"{stem}{clean_suffix.lower()}"


# --- Notubiz --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotubizDocument:
    """A document of a Notubiz meeting; ``agenda_item_id`` is None for a meeting-level one."""

    id: str
    title: str
    url: str | None
    agenda_item_id: str | None
    date: date | None
    publication_date: date | None
    last_modified: str | None
    file_name: str | None
    mime_type: str | None
    file_size: int | None
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class NotubizAgendaItem:
    """An agenda item; ``number`` is Notubiz' ``title_prefix`` ("3.", "TKN 2"), ``order`` its
    position; headings ("Algemeen", "BESLOTEN DEEL") have ``heading=True``."""

    id: str
    number: str | None
    order: int | None
    title: str
    heading: bool
    parent_id: str | None
    documents: tuple[NotubizDocument, ...] = ()
    agenda_items: tuple[NotubizAgendaItem, ...] = ()

    @property
    def label(self) -> str:
        return " ".join(part for part in (self.number, self.title) if part)


@dataclass(frozen=True)
class NotubizMeeting:
    """One meeting from a Notubiz API response.

    ``agenda_items`` are the top-level items in file order (nested ones inside);
    ``documents`` are all documents: the meeting's own first, then each agenda item's,
    depth-first in file order, each id once. ``start`` is the planned start as written
    (local Dutch time, no zone).
    """

    id: str
    date: date | None
    start: str | None
    title: str | None
    committee: str | None
    committee_id: str | None
    location: str | None
    organisation_id: str | None
    agenda_items: tuple[NotubizAgendaItem, ...]
    documents: tuple[NotubizDocument, ...]

    def iter_agenda_items(self) -> Iterator[NotubizAgendaItem]:
        """Every agenda item, nested ones after their parent."""
        stack = list(reversed(self.agenda_items))
        while stack:
            item = stack.pop()
            yield item
            stack.extend(reversed(item.agenda_items))


def read_notubiz_meeting(path_or_bytes: str | Path | bytes) -> NotubizMeeting:
    """Read a saved Notubiz meeting response (``/events/meetings/<id>``), tolerant of gaps.

    Accepts the meeting object itself or one wrapped as ``{"meeting": {…}}``. Raises
    :class:`CouncilError` naming the file for unreadable JSON or a response without a meeting.
    """
    if isinstance(path_or_bytes, bytes | bytearray):
        where, body = "<bytes>", bytes(path_or_bytes)
    else:
        where = str(path_or_bytes)
        try:
            body = Path(path_or_bytes).read_bytes()
        except OSError as exc:
            raise CouncilError(f"bestand niet te lezen: {exc.strerror or exc}", url=where) from exc
    raw = _json(body, where)
    if isinstance(raw, dict) and "agenda_items" not in raw and isinstance(raw.get("meeting"), dict):
        raw = raw["meeting"]
    if not isinstance(raw, dict) or raw.get("id") is None:
        raise CouncilError("geen Notubiz-vergadering (object met 'id' verwacht)", url=where)
    attributes = _notubiz_attributes(raw.get("attributes"))
    gremium = raw.get("gremium") if isinstance(raw.get("gremium"), dict) else {}
    plannings = raw.get("plannings") if isinstance(raw.get("plannings"), list) else []
    start = _text(_first(plannings[0], "start_date")) if plannings else None
    start = start or _text(_first(raw, "start_date", "date"))
    title = attributes.get("titel") or attributes.get("title")
    committee = _name_of(gremium) if _first(gremium, "title", "name", "label") else None
    meeting_id = str(raw["id"])
    seen: set[str] = set()
    own = tuple(_notubiz_documents(raw.get("documents"), None, seen))
    items = tuple(_notubiz_item(item, None, seen) for item in _dicts(raw.get("agenda_items")))
    organisation = raw.get("organisation") if isinstance(raw.get("organisation"), dict) else {}
    meeting = NotubizMeeting(
        id=meeting_id,
        date=_parse_date(start),
        start=start,
        title=title or committee,
        committee=committee or title,
        committee_id=_text(gremium.get("id")),
        location=attributes.get("locatie") or attributes.get("location") or None,
        organisation_id=_text(organisation.get("id")),
        agenda_items=items,
        documents=(),
    )
    nested = [doc for item in meeting.iter_agenda_items() for doc in item.documents]
    return dataclasses.replace(meeting, documents=own + tuple(nested))


def notubiz_records(
    meeting: NotubizMeeting, *, source_key: str | None = None
) -> list[CouncilDocumentRecord]:
    """Provenance records for every document of a Notubiz meeting (nothing is downloaded).

    ``entity_id`` is ``notubiz:document:<id>`` and ``source_key`` the given key, else
    ``notubiz:<organisation id>``: a Notubiz response names no OpenBesluitvorming key.
    """
    key = source_key or (
        f"notubiz:{meeting.organisation_id}" if meeting.organisation_id else "notubiz"
    )
    items = {item.id: item for item in meeting.iter_agenda_items()}
    issuer = issuer_hint(meeting.committee, meeting.title)
    records = []
    for doc in meeting.documents:
        item = items.get(doc.agenda_item_id) if doc.agenda_item_id else None
        suffix = _suffix(doc.mime_type, doc.file_name or "") or ".bin"
        records.append(
            CouncilDocumentRecord(
                entity_id=f"notubiz:document:{doc.id}",
                source_key=key,
                title=doc.title,
                date=doc.date or meeting.date,
                meeting_id=f"notubiz:meeting:{meeting.id}",
                meeting_title=meeting.title,
                meeting_date=meeting.date,
                committee=meeting.committee,
                agenda_item_id=doc.agenda_item_id,
                agenda_item=item.label if item else None,
                download_url=doc.url,
                retrieved_at=None,
                sha256=None,
                file_name=safe_file_name(doc.title, suffix=suffix, ident=doc.id),
                content_type=doc.mime_type,
                issuer_hint=issuer,
                doc_type_hint=doc_type_hint(doc.title, supplier_types=doc.types),
                origin="notubiz",
            )
        )
    return records


def _notubiz_item(raw: dict, parent_id: str | None, seen: set[str]) -> NotubizAgendaItem:
    item_id = _text(raw.get("id")) or ""
    type_data = raw.get("type_data") if isinstance(raw.get("type_data"), dict) else {}
    title = _text(_first(raw, "title")) or _text(_first(type_data, "title"))
    if not title:
        attributes = type_data.get("attributes")
        if isinstance(attributes, list):
            # Attribute 1 is the title in Notubiz; otherwise the first text attribute.
            by_id = {a.get("id"): a.get("value") for a in _dicts(attributes)}
            title = _text(by_id.get(1)) or next(
                (_text(v) for v in by_id.values() if _text(v)), None
            )
        elif isinstance(attributes, dict):
            title = _notubiz_attributes(attributes).get("titel")
    order = raw.get("order")
    documents = tuple(_notubiz_documents(raw.get("documents"), item_id, seen))
    return NotubizAgendaItem(
        id=item_id,
        number=_text(_first(type_data, "title_prefix")) or _text(_first(raw, "number")),
        order=order if isinstance(order, int) and not isinstance(order, bool) else None,
        title=title or "",
        heading=bool(_first(type_data, "heading") or _first(raw, "heading")),
        parent_id=parent_id,
        documents=documents,
        agenda_items=tuple(
            _notubiz_item(child, item_id, seen) for child in _dicts(raw.get("agenda_items"))
        ),
    )


def _notubiz_documents(
    raw: object, agenda_item_id: str | None, seen: set[str]
) -> Iterator[NotubizDocument]:
    for doc in _dicts(raw):
        doc_id = _text(doc.get("id"))
        if not doc_id or doc_id in seen:  # one document can hang under several agenda items
            continue
        seen.add(doc_id)
        versions = _dicts(doc.get("versions"))
        version = versions[-1] if versions else {}
        size = version.get("file_size")
        yield NotubizDocument(
            id=doc_id,
            title=_text(doc.get("title")) or _text(version.get("file_name")) or doc_id,
            url=_text(doc.get("url")),
            agenda_item_id=agenda_item_id,
            date=_parse_date(_text(doc.get("date"))),
            publication_date=_parse_date(_text(doc.get("publication_date"))),
            last_modified=_text(doc.get("last_modified")),
            file_name=_text(version.get("file_name")),
            mime_type=_text(version.get("mime_type")),
            file_size=size if isinstance(size, int) and not isinstance(size, bool) else None,
            types=tuple(t for t in (_text(x.get("value")) for x in _dicts(doc.get("types"))) if t),
        )


def _notubiz_attributes(raw: object) -> dict[str, str]:
    # Meetings carry {"Titel": …, "Locatie": …}; other responses a list of {label, value}.
    if isinstance(raw, dict):
        return {str(k).casefold(): str(v).strip() for k, v in raw.items() if _text(v)}
    result: dict[str, str] = {}
    for item in _dicts(raw):
        label = _text(_first(item, "label", "name", "key"))
        value = _text(item.get("value"))
        if label and value:
            result[label.casefold()] = value
    return result


# --- helpers --------------------------------------------------------------------------------


def _urllib_fetch(
    url: str, *, user_agent: str, timeout: float, max_bytes: int
) -> tuple[int, dict, bytes]:
    """GET over https without following redirects (the client follows them, with a guard)."""
    _require_https(url)
    request = urllib.request.Request(  # noqa: S310 - https checked above
        url,
        headers={
            "User-Agent": user_agent,
            "Accept": "application/json, application/x-ndjson;q=0.9, */*;q=0.8",
        },
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return (
                response.status,
                dict(response.headers.items()),
                _read_limited(response, max_bytes, url),
            )
    except urllib.error.HTTPError as exc:
        headers = dict(exc.headers.items()) if exc.headers else {}
        body = exc.read(MAX_ERROR_BODY) if exc.fp else b""
        return exc.code, headers, body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: object,
        newurl: str,
    ) -> None:
        return None  # urllib then raises HTTPError with the 3xx, which _urllib_fetch returns


def _read_limited(response: object, max_bytes: int, url: str) -> bytes:
    body = response.read(max_bytes + 1)  # type: ignore[attr-defined]
    if len(body) > max_bytes:
        raise CouncilError(f"antwoord groter dan {max_bytes} bytes; afgebroken", url=url)
    return body


def _require_https(url: str) -> None:
    if urllib.parse.urlsplit(url).scheme != "https":
        raise CouncilError("alleen https-adressen worden opgehaald", url=url)


def _status_error(status: int, body: bytes, url: str, attempt: int) -> CouncilError:
    message = _STATUS_MESSAGES.get(status) or (
        "serverfout" if status >= 500 else "onverwacht antwoord"
    )
    if status in RETRY_STATUSES and attempt:
        message += f"; opgegeven na {attempt + 1} pogingen"
    code = None
    try:
        payload = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        payload = None
    if isinstance(payload, dict):
        code = _text(payload.get("code"))
        detail = _text(payload.get("error")) or _text(payload.get("message"))
        if code or detail:
            message += f" ({': '.join(part for part in (code, detail) if part)})"
    return CouncilError(message, url=url, status=status, code=code)


def _json(body: bytes, url: str) -> dict | list:
    if not body or not body.strip():
        raise CouncilError("leeg antwoord; JSON verwacht", url=url)
    try:
        payload = safe_json.loads(body.decode("utf-8-sig"))
    except safe_json.JsonNumberError as exc:
        raise CouncilError(str(exc), url=url) from exc
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise CouncilError(f"geen geldige JSON ({exc})", url=url) from exc
    if not isinstance(payload, dict | list):
        raise CouncilError("JSON is geen object of lijst", url=url)
    return payload


def _ndjson(body: bytes, url: str) -> list[dict]:
    records = []
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CouncilError(f"export is geen UTF-8 ({exc})", url=url) from exc
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = safe_json.loads(line)
        except safe_json.JsonNumberError as exc:
            raise CouncilError(f"regel {number}: {exc}", url=url) from exc
        except (json.JSONDecodeError, RecursionError) as exc:
            raise CouncilError(f"regel {number} is geen geldige JSON ({exc})", url=url) from exc
        if not isinstance(record, dict):
            raise CouncilError(f"regel {number} is geen JSON-object", url=url)
        records.append(record)
    return records


def _list_in(payload: dict | list, name: str, url: str) -> list:
    if isinstance(payload, dict):
        for key in (name, "items", "hits", "data", "results"):
            if isinstance(payload.get(key), list):
                return payload[key]
    raise CouncilError(f"antwoord zonder lijst '{name}'", url=url)


def _next_link(page: dict) -> str | None:
    link = _first(page, "next", "nextUrl", "next_url", "nextLink")
    if isinstance(link, str) and link:
        return link
    for container in ("links", "_links"):
        links = page.get(container)
        if isinstance(links, dict):
            nxt = links.get("next")
            if isinstance(nxt, dict):
                nxt = nxt.get("href")
            if isinstance(nxt, str) and nxt:
                return nxt
    return None


def _limit_of(url: str) -> int:
    return _int_param(url, "limit", MAX_PAGE_SIZE)


def _int_param(url: str, name: str, default: int) -> int:
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    try:
        return int(query[name])
    except (KeyError, ValueError):
        return default


def _bool_header(value: str | None) -> bool | None:
    if value is None:
        return None
    folded = value.strip().casefold()
    if folded in ("true", "1", "yes"):
        return True
    if folded in ("false", "0", "no"):
        return False
    return None


def _quote_id(entity_id: str) -> str:
    return urllib.parse.quote(entity_id, safe="")


def _source_key(source: str | CouncilSource) -> str:
    key = source.key if isinstance(source, CouncilSource) else str(source or "").strip()
    if not key:
        raise ValueError("geen bron (source key)")
    return key


def _source_key_from_id(entity_id: str) -> str | None:
    # "document:notubiz:gemeente:soest:12345": type, supplier, kind of body, key, local id.
    parts = entity_id.split(":")
    return parts[3] if len(parts) >= 5 and parts[3] else None


def _iso_date(value: date | datetime | str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as exc:
        raise ValueError(f"{name}: geen datum JJJJ-MM-DD: {value!r}") from exc


def _utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _entity_date(raw: dict) -> date | None:
    stamp = _text(_first(raw, "sortDate", "sort_date", "start_date", "startDate"))
    if stamp:
        parsed = _local_date(stamp)
        if parsed:
            return parsed
    return _parse_date(_text(_first(raw, "date")))


def _local_date(stamp: str) -> date | None:
    """The Dutch calendar date of a UTC timestamp ("2024-11-07 19:00:00", "…T19:00:00Z")."""
    text = stamp.strip().replace("Z", "+00:00")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return _parse_date(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_amsterdam()).date()


def _amsterdam() -> tzinfo:
    try:
        return ZoneInfo("Europe/Amsterdam")
    except ZoneInfoNotFoundError:  # no tz database: the UTC date, off only around midnight
        return UTC


def _parse_date(text: str | None) -> date | None:
    """``2018-02-08``, ``2018-02-08 13:30:00`` or Dutch ``7 november 2024``; else None.

    Examples
    --------
    >>> _parse_date("7 november 2024"), _parse_date("2018-02-08 13:30:00"), _parse_date("")
    (datetime.date(2024, 11, 7), datetime.date(2018, 2, 8), None)
    """
    if not text:
        return None
    text = text.strip()
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    match = re.fullmatch(r"(?:\w+dag\s+)?(\d{1,2})\s+([a-z]+)\s+(\d{4})", text.casefold())
    if match and match.group(2) in _DUTCH_MONTHS:
        try:
            return date(int(match.group(3)), _DUTCH_MONTHS[match.group(2)], int(match.group(1)))
        except ValueError:
            return None
    return None


def _flatten_agenda(items: object, parent_id: str | None) -> Iterator[CouncilAgendaItem]:
    for item in _dicts(items):
        item_id = _id_of(item.get("id")) or ""
        docs = tuple(
            doc_id
            for doc_id in (_id_of(doc.get("id")) for doc in _dicts(item.get("documents")))
            if doc_id
        )
        yield CouncilAgendaItem(
            id=item_id,
            number=_text(_first(item, "number", "title_prefix")),
            title=_text(_first(item, "title", "name")) or "",
            parent_id=parent_id,
            document_ids=docs,
        )
        yield from _flatten_agenda(_first(item, "agenda_items", "agendaItems", "children"), item_id)


def _first(raw: object, *keys: str) -> object:
    """The first of ``keys`` present and not None/empty in a dict."""
    if not isinstance(raw, dict):
        return None
    for key in keys:
        value = raw.get(key)
        if value is not None and value != "":
            return value
    return None


def _text(value: object) -> str | None:
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = str(value).strip()
    return text or None


def _name_of(value: object) -> str | None:
    if isinstance(value, dict):
        return _text(_first(value, "name", "label", "title", "id"))
    return _text(value)


def _id_of(value: object) -> str | None:
    if isinstance(value, dict):
        return _text(_first(value, "id", "entityId", "@id"))
    return _text(value)


def _dicts(value: object) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _norm_name(name: str) -> str:
    folded = re.sub(r"\s+", " ", _fold(name))
    return re.sub(r"^gemeente\s+", "", folded)


def _suffix(content_type: str | None, url_or_name: str) -> str | None:
    if content_type:
        mapped = _EXTENSIONS.get(content_type.split(";", 1)[0].strip().casefold())
        if mapped:
            return mapped
    path = urllib.parse.urlsplit(url_or_name).path if "://" in url_or_name else url_or_name
    match = re.search(r"(\.[A-Za-z0-9]{1,5})$", path)
    if match and match.group(1).casefold() in _KNOWN_SUFFIXES:
        return match.group(1).casefold()
    return None
