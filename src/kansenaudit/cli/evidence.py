"""`kansenaudit evidence …`: import, search and fetch the documents of a dossier."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from kansenaudit.cli.output import emit, json_option
from kansenaudit.cli.runtime import require_migrated, setup_django

SUPPORTED_SUFFIXES = {".pdf", ".docx", ".odt", ".html", ".htm", ".xhtml", ".txt", ".md"}


def _dossier(dossier_id: int) -> object:
    from kansenaudit.web.dossiers.selectors import DossierNotFound, operator_dossier

    try:
        return operator_dossier(dossier_id=dossier_id)
    except DossierNotFound as exc:
        raise click.ClickException(f"dossier {dossier_id} bestaat niet") from exc


def _status(outcome: object) -> str:
    """How one file of an import ended, as the CLI reports it."""
    if outcome.created:
        return "toegevoegd"
    return "overgeslagen" if outcome.document else "mislukt"


@click.group()
def evidence() -> None:
    """The evidence store of a dossier: documents, search, council documents."""


@evidence.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@json_option
def import_(folder: Path, dossier_id: int, as_json: bool) -> None:
    """Import every document in FOLDER (recursively) into a dossier.

    Resumable: files already stored (same SHA-256) are skipped, and each document is stored
    whole or not at all, so an interrupted run can simply be started again. Files that cannot
    be read are reported with the reason; the run goes on.
    """
    setup_django()
    require_migrated()
    from kansenaudit.web.evidence.services import document_ingest

    dossier = _dossier(dossier_id)
    files = sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
    )
    results = []
    with click.progressbar(files, label="Documenten inlezen", file=sys.stderr) as bar:
        for path in bar:
            outcome = document_ingest(
                dossier=dossier, data=path.read_bytes(), file_name=path.name, actor=None
            )
            results.append(
                {
                    "file": str(path.relative_to(folder)),
                    "status": _status(outcome),
                    "document_id": outcome.document.pk if outcome.document else None,
                    "pages": outcome.document.page_count if outcome.document else 0,
                    "message": outcome.message,
                    "warnings": outcome.warnings,
                }
            )
    counts = {
        status: sum(1 for r in results if r["status"] == status)
        for status in ("toegevoegd", "overgeslagen", "mislukt")
    }

    def text() -> str:
        lines = [
            f"{counts['toegevoegd']} toegevoegd, {counts['overgeslagen']} al aanwezig, "
            f"{counts['mislukt']} mislukt"
        ]
        lines += [
            f"  mislukt: {r['file']}: {r['message']}" for r in results if r["status"] == "mislukt"
        ]
        return "\n".join(lines)

    emit({"dossier": dossier_id, "counts": counts, "files": results}, as_json, text)


@evidence.command("search")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.argument("query")
@click.option("--type", "doc_types", multiple=True, help="Only this document type (repeatable).")
@click.option("--issuer", "issuers", multiple=True, help="Only this issuer (repeatable).")
@click.option("--year", "years", multiple=True, type=int, help="Only this year (repeatable).")
@click.option("--status", "statuses", multiple=True, help="Only this formal status.")
@click.option("--limit", default=20, show_default=True, help="Number of hits.")
@json_option
def search_(
    dossier_id: int,
    query: str,
    doc_types: tuple[str, ...],
    issuers: tuple[str, ...],
    years: tuple[int, ...],
    statuses: tuple[str, ...],
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search (Dutch stemming) in a dossier's documents.

    QUERY: words (all must occur), "exact phrases", OR, -word to exclude, kans* for prefixes.
    """
    setup_django()
    require_migrated()
    from django.utils.html import strip_tags

    from kansenaudit.web.evidence.search import search

    dossier = _dossier(dossier_id)
    result = search(
        dossier,
        query,
        doc_types=list(doc_types) or None,
        issuers=list(issuers) or None,
        years=list(years) or None,
        statuses=list(statuses) or None,
        limit=limit,
    )
    hits = [
        {
            "document_id": hit.document_id,
            "document": hit.document_title,
            "page": hit.page_number,
            "snippet": strip_tags(hit.snippet_html),
            "snippet_html": hit.snippet_html,
            "rank": hit.rank,
        }
        for hit in result.hits
    ]

    def text() -> str:
        lines = [f"{result.total} treffers"]
        for hit in hits:
            lines.append(f"- {hit['document']} (p. {hit['page']}): {hit['snippet']}")
        return "\n".join(lines)

    emit({"query": query, "total": result.total, "hits": hits}, as_json, text)


@evidence.command("pull-council")
@click.option("--municipality", required=True, help="Municipality as OpenBesluitvorming names it.")
@click.option("--query", required=True, help="Search words.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only documents from this date.")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.option("--max", "max_results", default=100, show_default=True, help="At most this many.")
@json_option
def pull_council(
    municipality: str,
    query: str,
    since: dt.datetime | None,
    dossier_id: int,
    max_results: int,
    as_json: bool,
) -> None:
    """Search OpenBesluitvorming for council documents and import them with provenance."""
    setup_django()
    require_migrated()
    from kansenaudit.ingest.council import CouncilError, OpenBesluitvormingClient

    dossier = _dossier(dossier_id)
    client = OpenBesluitvormingClient()
    try:
        summary = council_import(
            client,
            dossier=dossier,
            municipality=municipality,
            query=query,
            since=since.date() if since else None,
            max_results=max_results,
        )
    except CouncilError as exc:
        raise click.ClickException(str(exc)) from exc
    emit(summary, as_json, lambda: _council_text(summary))


def council_import(
    client: object,
    *,
    dossier: object,
    municipality: str,
    query: str,
    since: dt.date | None,
    max_results: int,
) -> dict:
    """Fetch and store council documents (shared by the CLI and its tests)."""
    from kansenaudit.ingest.council import pull_council_documents
    from kansenaudit.web.evidence.services import document_ingest

    results = []
    with click.progressbar(
        length=max_results, label="Raadsdocumenten ophalen", file=sys.stderr
    ) as bar:
        for record, data in pull_council_documents(
            client, municipality=municipality, query=query, since=since, max_results=max_results
        ):
            bar.update(1)
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
            overrides = {
                "title": record.title,
                "date": record.date,
                "issuer": record.issuer_hint,
                "doc_type": record.doc_type_hint,
            }
            outcome = document_ingest(
                dossier=dossier,
                data=data,
                file_name=record.file_name,
                actor=None,
                overrides=overrides,
                provenance=provenance,
            )
            results.append(
                {
                    "entity_id": record.entity_id,
                    "title": record.title,
                    "status": _status(outcome),
                    "document_id": outcome.document.pk if outcome.document else None,
                    "message": outcome.message,
                }
            )
    return {"dossier": dossier.pk, "documents": results}


def _council_text(summary: dict) -> str:
    lines = [f"{len(summary['documents'])} raadsdocumenten verwerkt"]
    lines += [f"- {d['status']}: {d['title']} {d['message']}" for d in summary["documents"]]
    return "\n".join(lines)


@evidence.command("work")
@click.option("--limit", type=int, default=None, help="Process at most this many uploads.")
@json_option
def work(limit: int | None, as_json: bool) -> None:
    """Process uploads queued in the web interface (extraction outside the web request)."""
    setup_django()
    require_migrated()
    from kansenaudit.web.evidence.services import jobs_run_queued

    jobs = jobs_run_queued(limit)
    payload = [
        {"id": j.pk, "file": j.file_name, "state": j.state, "message": j.message} for j in jobs
    ]
    emit(payload, as_json, lambda: f"{len(jobs)} uploads verwerkt")


@evidence.command("import-notubiz")
@click.argument("meeting_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@json_option
def import_notubiz(meeting_file: Path, dossier_id: int, as_json: bool) -> None:
    """Import the documents of a Notubiz meeting (its API's JSON) with their meeting context.

    Each document is downloaded from the address in the JSON and stored with provenance
    (meeting, committee, agenda item, address, retrieval time, SHA-256). Documents that cannot
    be downloaded are listed with the reason; the rest is stored.
    """
    setup_django()
    require_migrated()
    from kansenaudit.data.pull import default_fetch

    dossier = _dossier(dossier_id)
    summary = notubiz_import(meeting_file.read_bytes(), dossier=dossier, fetch=default_fetch)
    emit(summary, as_json, lambda: _council_text(summary))


def notubiz_import(data: bytes, *, dossier: object, fetch: object) -> dict:
    """Download and store a Notubiz meeting's documents (shared by the CLI and its tests)."""
    import datetime as _dt
    import hashlib

    from kansenaudit.ingest.council import notubiz_records, read_notubiz_meeting
    from kansenaudit.web.evidence.services import document_ingest

    try:
        meeting = read_notubiz_meeting(data)
    except (ValueError, KeyError) as exc:
        raise click.ClickException(f"geen bruikbare Notubiz-vergadering: {exc}") from exc
    records = notubiz_records(meeting)
    results = []
    with click.progressbar(records, label="Notubiz-documenten", file=sys.stderr) as bar:
        for record in bar:
            row = {"entity_id": record.entity_id, "title": record.title, "document_id": None}
            if not record.download_url:
                results.append({**row, "status": "mislukt", "message": "geen downloadadres"})
                continue
            try:
                content = fetch(record.download_url)
            except Exception as exc:  # one unreachable document does not stop the meeting
                results.append({**row, "status": "mislukt", "message": str(exc)})
                continue
            provenance = {
                "bron": "Notubiz",
                "entity_id": record.entity_id,
                "source_key": record.source_key,
                "download_url": record.download_url,
                "retrieved_at": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
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
                overrides={
                    "title": record.title,
                    "date": record.date,
                    "issuer": record.issuer_hint,
                    "doc_type": record.doc_type_hint,
                },
                provenance=provenance,
            )
            results.append(
                {
                    **row,
                    "status": _status(outcome),
                    "document_id": outcome.document.pk if outcome.document else None,
                    "message": outcome.message,
                }
            )
    return {"dossier": dossier.pk, "meeting": meeting.title, "documents": results}
