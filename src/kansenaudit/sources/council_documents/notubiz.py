# SPDX-License-Identifier: EUPL-1.2
"""Saved Notubiz meeting responses: the meeting, its agenda and its documents, read offline.

:func:`read_notubiz_meeting` reads a saved response of Notubiz' ``/events/meetings/<id>``;
:func:`notubiz_records` turns its documents into provenance records (nothing is downloaded).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kansenaudit.sources.council_documents.fields import (
    _dicts,
    _first,
    _name_of,
    _parse_date,
    _text,
)
from kansenaudit.sources.council_documents.names import (
    _suffix,
    doc_type_hint,
    issuer_hint,
    safe_file_name,
)
from kansenaudit.sources.council_documents.records import (
    CouncilDocumentRecord,
    CouncilError,
    _json,
)

__all__ = [
    "NotubizAgendaItem",
    "NotubizDocument",
    "NotubizMeeting",
    "notubiz_records",
    "read_notubiz_meeting",
]


@dataclass(frozen=True)
class NotubizDocument:
    """A document of a Notubiz meeting; ``agenda_item_id`` is None for a meeting-level one."""

    id: str
    title: str
    url: str | None
    agenda_item_id: str | None
    date: dt.date | None
    publication_date: dt.date | None
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
    date: dt.date | None
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
    gremium: dict = _mapping(raw.get("gremium"))
    plannings = raw.get("plannings") if isinstance(raw.get("plannings"), list) else []
    start = _text(_first(plannings[0], "start_date")) if plannings else None
    start = start or _text(_first(raw, "start_date", "date"))
    title = attributes.get("titel") or attributes.get("title")
    committee = _name_of(gremium) if _first(gremium, "title", "name", "label") else None
    meeting_id = str(raw["id"])
    seen: set[str] = set()
    own = tuple(_notubiz_documents(raw.get("documents"), None, seen))
    items = tuple(_notubiz_item(item, None, seen) for item in _dicts(raw.get("agenda_items")))
    organisation: dict = _mapping(raw.get("organisation"))
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


def _mapping(value: object) -> dict:
    """``value`` if it is a JSON object, else an empty one (Notubiz leaves fields out or null)."""
    return value if isinstance(value, dict) else {}


def _notubiz_item(raw: dict, parent_id: str | None, seen: set[str]) -> NotubizAgendaItem:
    item_id = _text(raw.get("id")) or ""
    type_data: dict = _mapping(raw.get("type_data"))
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
