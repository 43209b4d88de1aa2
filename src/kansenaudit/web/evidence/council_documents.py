# SPDX-License-Identifier: EUPL-1.2
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
import logging
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from kansenaudit.web.evidence.services import (
    STALE_JOB_MINUTES,
    EvidenceError,
    IngestOutcome,
    document_ingest,
)

Progress = Callable[[int, int], None]
logger = logging.getLogger("kansenaudit.evidence")


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

    Raises :class:`kansenaudit.sources.council_documents.CouncilError` when the search itself fails.
    """
    from kansenaudit.sources import council_documents  # looked up per call: tests replace it

    results = []
    for record, data in council_documents.pull_council_documents(
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
    from kansenaudit.sources.council_documents import (
        CouncilError,
        notubiz_records,
        read_notubiz_meeting,
    )

    try:
        meeting = read_notubiz_meeting(data)
    except (CouncilError, ValueError, KeyError) as exc:
        raise EvidenceError(_("not a usable Notubiz meeting: %(error)s"), {"error": exc}) from exc
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


# --- Searches asked for in the web interface, run by a worker (tasks.run_council_pull) -----

MAX_PULL_RESULTS = 100  # OpenBesluitvorming pages at most 100; more needs the CLI's --max


def council_pull_queue(
    *,
    dossier: object,
    municipality: str,
    query: str,
    since: dt.date | None,
    max_results: int,
    actor: object | None,
) -> object:
    """Queue a search of OpenBesluitvorming for a worker (:func:`council_pull_run`); logged."""
    from django.db import transaction

    from kansenaudit.web.core.services import audit_record
    from kansenaudit.web.core.tasks import enqueue_on_commit
    from kansenaudit.web.evidence.models import CouncilPull
    from kansenaudit.web.evidence.tasks import run_council_pull

    municipality, query = " ".join(municipality.split()), " ".join(query.split())
    if not municipality or not query:
        raise EvidenceError(_("give a municipality and search words"))
    if not 1 <= int(max_results) <= MAX_PULL_RESULTS:
        raise EvidenceError(
            _("at most 1 to %(max)s documents per search"), {"max": MAX_PULL_RESULTS}
        )
    with transaction.atomic():
        pull = CouncilPull.objects.create(
            dossier=dossier,
            municipality=municipality[:100],
            query=query[:200],
            since=since,
            max_results=int(max_results),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            action="evidence.council_pull",
            dossier=dossier,
            target=pull,
            summary=f"Raadsdocumenten zoeken: {municipality}, “{query}”"[:500],
            after={
                "municipality": pull.municipality,
                "query": pull.query,
                "since": str(since or ""),
                "max_results": pull.max_results,
            },
        )
    enqueue_on_commit(run_council_pull, pull.pk)
    return pull


def council_pulls_recover() -> list[int]:
    """At a worker's start: fail the searches cut off by a process that is gone, and enqueue a
    task for every queued one (a second task for a search ends at once); return their ids.

    A search is not run twice: its documents are stored one by one, and the auditor sees what
    came in and can start it again.
    """
    from django.db.models import Q
    from django.utils import timezone

    from kansenaudit.web.core.tasks import enqueue_each_on_commit
    from kansenaudit.web.evidence import processes
    from kansenaudit.web.evidence.models import CouncilPull
    from kansenaudit.web.evidence.tasks import run_council_pull

    # A search left running by a process that is gone (or, on another host, for longer than
    # any search takes): say so rather than show it running.
    cut_off = timezone.now() - dt.timedelta(minutes=STALE_JOB_MINUTES)
    running = CouncilPull.objects.filter(state=CouncilPull.State.RUNNING)
    dead = [pk for pk, worker in running.values_list("pk", "worker") if processes.is_gone(worker)]
    running.filter(Q(pk__in=dead) | Q(started_at__lt=cut_off)).update(
        state=CouncilPull.State.FAILED,
        message="onderbroken (de server stopte); start de zoekopdracht opnieuw",
        finished_at=timezone.now(),
    )
    return enqueue_each_on_commit(
        run_council_pull, CouncilPull.objects.filter(state=CouncilPull.State.QUEUED)
    )


def council_pull_run(pull: object, client_factory: Callable[[], object] | None = None) -> object:
    """Run one queued search (the worker's task); it is claimed atomically, so it runs once.

    A search that fails as a whole (the service unreachable, an unknown municipality) ends as
    *mislukt* with the reason; a document that fails is counted and the others go on.
    """
    from django.utils import timezone
    from django.utils.translation import gettext

    from kansenaudit.sources.council_documents import CouncilError, OpenBesluitvormingClient
    from kansenaudit.web.evidence import processes
    from kansenaudit.web.evidence.ingest_messages import council_message
    from kansenaudit.web.evidence.models import CouncilPull

    claimed = CouncilPull.objects.filter(pk=pull.pk, state=CouncilPull.State.QUEUED).update(
        state=CouncilPull.State.RUNNING, started_at=timezone.now(), worker=processes.identity()
    )
    if not claimed:
        return CouncilPull.objects.get(pk=pull.pk)  # another worker took it, or it is done
    pull.refresh_from_db()
    try:
        summary = council_import(
            (client_factory or OpenBesluitvormingClient)(),
            dossier=pull.dossier,
            municipality=pull.municipality,
            query=pull.query,
            since=pull.since,
            max_results=pull.max_results,
        )
    except (CouncilError, OSError) as exc:
        pull.state = CouncilPull.State.FAILED
        pull.message = council_message(exc, pull.municipality)[:2000]
    except Exception:  # a search never stays "bezig": its state says what happened
        logger.exception("council search %s failed", pull.pk)
        pull.state = CouncilPull.State.FAILED
        pull.message = gettext(
            "The search failed unexpectedly. Try again; if it fails again, tell the "
            "administrator (the details are in the application's log)."
        )
    else:
        statuses = [d["status"] for d in summary["documents"]]
        pull.added = statuses.count("toegevoegd")
        pull.skipped = statuses.count("overgeslagen")
        pull.failed = statuses.count("mislukt")
        pull.state = CouncilPull.State.DONE
        pull.message = "; ".join(
            f"{d['title']}: {d['message']}" for d in summary["documents"] if d["message"]
        )[:2000]
    pull.finished_at = timezone.now()
    pull.save()
    return pull
