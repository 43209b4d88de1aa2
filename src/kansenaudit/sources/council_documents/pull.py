# SPDX-License-Identifier: EUPL-1.2
"""Search a municipality's council documents and download each one with its provenance.

:func:`pull_council_documents` runs search → entity → meeting → download on an
:class:`~kansenaudit.sources.council_documents.openbesluitvorming.OpenBesluitvormingClient`
and yields a :class:`CouncilDocumentRecord` with the bytes of each document.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import date

from kansenaudit.sources.council_documents.names import doc_type_hint, issuer_hint
from kansenaudit.sources.council_documents.openbesluitvorming import OpenBesluitvormingClient
from kansenaudit.sources.council_documents.records import (
    CouncilDocumentRecord,
    CouncilEntity,
    CouncilError,
    CouncilHit,
    CouncilWarning,
    DownloadedDocument,
)

__all__ = ["pull_council_documents"]

logger = logging.getLogger(__name__)


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
