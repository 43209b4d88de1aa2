"""Importing council documents into a dossier: OpenBesluitvorming searches and Notubiz meetings.

The business logic behind ``kansenaudit evidence pull-council`` and ``import-notubiz`` (the CLI
only parses its arguments and shows progress): fetch each document, store it through
:func:`kansenaudit.web.evidence.services.document_ingest` with its provenance (source, address,
retrieval time, SHA-256, meeting, agenda item) and report per document what happened. One
document that cannot be fetched or read does not stop the others.

Both functions return ``{"dossier": id, "documents": [{entity_id, title, status, document_id,
message}]}`` (Notubiz adds ``"meeting"``), with status ``toegevoegd``, ``overgeslagen`` (already
in the dossier) or ``mislukt``. ``progress(done, total)`` is called after each document; the
total is ``max_results`` for a search (an upper bound) and the number of documents of a meeting.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from kansenaudit.web.evidence.services import EvidenceError, IngestOutcome, document_ingest

Progress = Callable[[int, int], None]


def import_status(outcome: IngestOutcome) -> str:
    """How one file of an import ended, as the import reports say it."""
    if outcome.created:
        return "toegevoegd"
    return "overgeslagen" if outcome.document else "mislukt"


def _reported(outcome: IngestOutcome) -> dict:
    return {
        "status": import_status(outcome),
        "document_id": outcome.document.pk if outcome.document else None,
        "message": outcome.message,
    }


def _overrides(record: object) -> dict:
    return {
        "title": record.title,
        "date": record.date,
        "issuer": record.issuer_hint,
        "doc_type": record.doc_type_hint,
    }


def council_import(
    client: object,
    *,
    dossier: object,
    municipality: str,
    query: str,
    since: dt.date | None,
    max_results: int,
    progress: Progress | None = None,
) -> dict:
    """Search OpenBesluitvorming and store the documents found, with provenance.

    Raises :class:`kansenaudit.ingest.council.CouncilError` when the search itself fails.
    """
    from kansenaudit.ingest import council as source  # looked up per call: tests replace it

    results = []
    for record, data in source.pull_council_documents(
        client, municipality=municipality, query=query, since=since, max_results=max_results
    ):
        provenance = {
            "bron": "OpenBesluitvorming",
            "entity_id": record.entity_id,
            "source_key": record.source_key,
            "download_url": record.download_url,
            "retrieved_at": record.retrieved_at,
            "sha256": record.sha256,
            "meeting": record.meeting_title,
            "meeting_date": str(record.meeting_date or ""),
            "agenda_item": record.agenda_item,
        }
        outcome = document_ingest(
            dossier=dossier,
            data=data,
            file_name=record.file_name,
            actor=None,
            overrides=_overrides(record),
            provenance=provenance,
        )
        results.append({"entity_id": record.entity_id, "title": record.title, **_reported(outcome)})
        if progress:
            progress(len(results), max_results)
    return {"dossier": dossier.pk, "documents": results}


def notubiz_import(
    data: bytes,
    *,
    dossier: object,
    fetch: Callable[[str], bytes],
    progress: Progress | None = None,
) -> dict:
    """Download and store the documents of a Notubiz meeting (its API's JSON), with provenance.

    Raises :class:`EvidenceError` when ``data`` is not a usable Notubiz meeting.
    """
    from kansenaudit.ingest.council import CouncilError, notubiz_records, read_notubiz_meeting

    try:
        meeting = read_notubiz_meeting(data)
    except (CouncilError, ValueError, KeyError) as exc:
        raise EvidenceError(f"geen bruikbare Notubiz-vergadering: {exc}") from exc
    records = notubiz_records(meeting)
    results = []
    for record in records:
        results.append(_notubiz_document(record, dossier=dossier, fetch=fetch))
        if progress:
            progress(len(results), len(records))
    return {"dossier": dossier.pk, "meeting": meeting.title, "documents": results}


def _notubiz_document(record: object, *, dossier: object, fetch: Callable[[str], bytes]) -> dict:
    row = {"entity_id": record.entity_id, "title": record.title, "document_id": None}
    if not record.download_url:
        return {**row, "status": "mislukt", "message": "geen downloadadres"}
    try:
        content = fetch(record.download_url)
    except Exception as exc:  # one unreachable document does not stop the meeting
        return {**row, "status": "mislukt", "message": str(exc)}
    provenance = {
        "bron": "Notubiz",
        "entity_id": record.entity_id,
        "source_key": record.source_key,
        "download_url": record.download_url,
        "retrieved_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "sha256": hashlib.sha256(content).hexdigest(),
        "meeting": record.meeting_title,
        "meeting_date": str(record.meeting_date or ""),
        "committee": record.committee,
        "agenda_item": record.agenda_item,
    }
    outcome = document_ingest(
        dossier=dossier,
        data=content,
        file_name=record.file_name,
        actor=None,
        overrides=_overrides(record),
        provenance=provenance,
    )
    return {**row, **_reported(outcome)}
