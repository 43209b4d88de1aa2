# SPDX-License-Identifier: EUPL-1.2
"""Council documents: the OpenBesluitvorming API and saved Notubiz meeting responses. No Django.

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

Modules
-------
:mod:`.openbesluitvorming`
    :class:`OpenBesluitvormingClient`, over the shared HTTP client (:mod:`kansenaudit.sources.http`)
    with an injectable ``transport`` so tests replay recorded responses.
:mod:`.pull`
    :func:`pull_council_documents`: search → entity → meeting → download, yielding
    :class:`CouncilDocumentRecord` provenance with the bytes.
:mod:`.notubiz`
    :func:`read_notubiz_meeting` and :func:`notubiz_records` read a saved Notubiz API response
    (one meeting) without downloading.
:mod:`.records`, :mod:`.names`, :mod:`.fields`
    The values and the error (:class:`CouncilError`); the type, issuer and file-name hints; the
    tolerant readers of fields and dates.
"""

from kansenaudit.sources.council_documents.names import (
    doc_type_hint,
    issuer_hint,
    safe_file_name,
)
from kansenaudit.sources.council_documents.notubiz import (
    NotubizAgendaItem,
    NotubizDocument,
    NotubizMeeting,
    notubiz_records,
    read_notubiz_meeting,
)
from kansenaudit.sources.council_documents.openbesluitvorming import (
    DEFAULT_BASE_URL,
    DEFAULT_USER_AGENT,
    MAX_PAGE_SIZE,
    OpenBesluitvormingClient,
)
from kansenaudit.sources.council_documents.pull import pull_council_documents
from kansenaudit.sources.council_documents.records import (
    CouncilAgendaItem,
    CouncilDocumentRecord,
    CouncilEntity,
    CouncilError,
    CouncilHit,
    CouncilSource,
    CouncilSourceNotFound,
    CouncilWarning,
    DownloadedDocument,
)

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
