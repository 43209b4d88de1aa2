# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit evidence …`: import, search and fetch the documents of a dossier."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from kansenaudit.cli.evidence_reading import register as register_reading_commands
from kansenaudit.cli.lookup import operator_document_or_fail, operator_dossier_or_fail
from kansenaudit.cli.output import emit, json_option, refused_as_click
from kansenaudit.cli.runtime import require_migrated, setup_django

SUPPORTED_SUFFIXES = {".pdf", ".docx", ".odt", ".html", ".htm", ".xhtml", ".txt", ".md"}


class _Progress:
    """A progress bar on stderr for ``progress(done, total)`` callbacks; opened at the first."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


@click.group()
def evidence() -> None:
    """The evidence store of a dossier: documents, search, citations, terms, council documents."""


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
    from kansenaudit.web.evidence.council_documents import import_status
    from kansenaudit.web.evidence.services import document_ingest

    dossier = operator_dossier_or_fail(dossier_id)
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
                    "status": import_status(outcome),
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

    from kansenaudit.web.evidence.search import SearchFailed, search

    dossier = operator_dossier_or_fail(dossier_id)
    try:
        result = search(
            dossier,
            query,
            doc_types=list(doc_types) or None,
            issuers=list(issuers) or None,
            years=list(years) or None,
            statuses=list(statuses) or None,
            limit=limit,
        )
    except SearchFailed as exc:  # logged with its cause; on stderr, exit 1, never "0 treffers"
        raise click.ClickException(str(exc)) from exc
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
        lines = [f"{'meer dan ' if result.more else ''}{result.total} treffers"]
        for hit in hits:
            lines.append(f"- {hit['document']} (p. {hit['page']}): {hit['snippet']}")
        return "\n".join(lines)

    # "more": the count stopped at "total"; more pages match (docs/methods/search.md).
    emit(
        {"query": query, "total": result.total, "more": result.more, "hits": hits},
        as_json,
        text,
    )


@evidence.command("search-index")
@click.option("--gin", is_flag=True, help="PostgreSQL: go back from RUM to the GIN index.")
@json_option
def search_index(gin: bool, as_json: bool) -> None:
    """Build the full-text index anew, the fastest this database allows.

    PostgreSQL: the RUM index where the server has the extension (postgresql-NN-rum), which
    ranks from the index; otherwise GIN. SQLite: the FTS5 index rebuilt from the pages.
    """
    setup_django()
    require_migrated()
    from kansenaudit.web.evidence.search import rebuild_index

    outcome = rebuild_index(prefer_gin=gin)

    def text() -> str:
        return f"{outcome['engine']}: index {outcome['index']}, {outcome['pages']} pagina's"

    emit(outcome, as_json, text)


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
    from kansenaudit.sources.council_documents import CouncilError, OpenBesluitvormingClient
    from kansenaudit.web.evidence.council_documents import council_import

    dossier = operator_dossier_or_fail(dossier_id)
    try:
        with _Progress("Raadsdocumenten ophalen") as progress:
            summary = council_import(
                OpenBesluitvormingClient(),
                dossier=dossier,
                municipality=municipality,
                query=query,
                since=since.date() if since else None,
                max_results=max_results,
                progress=progress,
            )
    except CouncilError as exc:
        raise click.ClickException(str(exc)) from exc
    emit(summary, as_json, lambda: _council_text(summary))


def _council_text(summary: dict) -> str:
    lines = [f"{len(summary['documents'])} raadsdocumenten verwerkt"]
    lines += [f"- {d['status']}: {d['title']} {d['message']}" for d in summary["documents"]]
    return "\n".join(lines)


@evidence.command("work", hidden=True, context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def work(args: tuple[str, ...]) -> None:
    """Replaced by `kansenaudit worker`."""
    raise click.ClickException(
        "`kansenaudit evidence work` is replaced by `kansenaudit worker` "
        "(`kansenaudit worker --batch` runs what is queued and stops)."
    )


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
    from kansenaudit.sources.http import HttpClient
    from kansenaudit.web.evidence.council_documents import notubiz_import

    dossier = operator_dossier_or_fail(dossier_id)
    with refused_as_click(), _Progress("Notubiz-documenten") as progress, HttpClient() as http:
        summary = notubiz_import(
            meeting_file.read_bytes(), dossier=dossier, fetch=http.get_bytes, progress=progress
        )
    emit(summary, as_json, lambda: _council_text(summary))


@evidence.command("reread")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.option("--document", "document_id", required=True, type=int, help="Document id.")
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@json_option
def reread(dossier_id: int, document_id: int, file: Path | None, as_json: bool) -> None:
    """Read a stored document again, from its stored file or from FILE (a corrected version).

    Use it after installing Tesseract (scanned pages get their text) or a new version of
    Kansenaudit. The pages are replaced and every citation is checked: still valid, moved with
    its quote, or flagged as changed. Logged in the audit log.
    """
    setup_django()
    require_migrated()
    from kansenaudit.web.evidence.services import (
        document_reingest,
        document_reingest_stored,
    )

    _dossier, document = operator_document_or_fail(dossier_id, document_id)
    with refused_as_click():
        if file is None:
            counts = document_reingest_stored(document=document, actor=None)
        else:
            counts = document_reingest(document=document, data=file.read_bytes(), actor=None)
    document.refresh_from_db()
    payload = {
        "dossier": dossier_id,
        "document_id": document.pk,
        "pages": document.page_count,
        "ocr_pages": document.ocr_pages,
        "sha256": document.sha256,
        "citations": counts,
    }
    emit(
        payload,
        as_json,
        lambda: (
            f"'{document.title}' opnieuw ingelezen: {document.page_count} pagina's; citaties: "
            f"{counts['geldig']} geldig, {counts['verschoven']} verschoven, "
            f"{counts['gewijzigd']} gewijzigd"
        ),
    )


# cite, page and terms live in their own module; they belong to this group.
register_reading_commands(evidence)
