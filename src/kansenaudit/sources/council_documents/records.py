# SPDX-License-Identifier: EUPL-1.2
"""The values of council documents: sources, search hits, entities, downloads and provenance.

:class:`CouncilDocumentRecord` is what the evidence store keeps of each document, whether it
came from OpenBesluitvorming (:mod:`.openbesluitvorming`) or a saved Notubiz meeting
(:mod:`.notubiz`). :class:`CouncilError` is the one error of the package.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from kansenaudit import safe_json
from kansenaudit.sources.council_documents.fields import (
    _dicts,
    _entity_date,
    _first,
    _id_of,
    _name_of,
    _source_key_from_id,
    _text,
)
from kansenaudit.sources.council_documents.names import _suffix, safe_file_name


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
    date: dt.date | None
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
    date: dt.date | None
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
    date: dt.date | None
    meeting_id: str | None
    meeting_title: str | None
    meeting_date: dt.date | None
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
            key: value.isoformat() if isinstance(value, dt.date) else value
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
