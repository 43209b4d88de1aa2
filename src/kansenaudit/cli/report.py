# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit report …`: a dossier's reports from the command line: list, check, build.

``build`` writes the same files as the web page's download buttons (the same services), with
progress on stderr; ``check`` lists the references that cannot be resolved, so a script can
stop before freezing a version.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from kansenaudit.cli.output import emit, json_option, refused_as_click
from kansenaudit.cli.runtime import require_migrated, setup_django

FORMATS = ("docx", "pdf", "html")

dossier_option = click.option(
    "--dossier", "dossier_id", required=True, type=int, help="Dossier id."
)
report_option = click.option("--report", "report_id", required=True, type=int, help="Report id.")


def _dossier(dossier_id: int) -> Any:
    from kansenaudit.web.dossiers.selectors import DossierNotFound, operator_dossier

    try:
        return operator_dossier(dossier_id=dossier_id)
    except DossierNotFound as exc:
        raise click.ClickException(f"dossier {dossier_id} bestaat niet") from exc


def _report(dossier_id: int, report_id: int) -> Any:
    from kansenaudit.web.reports.selectors import report_in_dossier

    found = report_in_dossier(_dossier(dossier_id), report_id)
    if found is None:
        raise click.ClickException(f"rapport {report_id} bestaat niet in dossier {dossier_id}")
    return found


@click.group()
def report() -> None:
    """Reports: the bestuurlijk rapport and the nota van bevindingen."""


@report.command("list")
@dossier_option
@json_option
def list_reports(dossier_id: int, as_json: bool) -> None:
    """List the dossier's reports and their saved versions."""
    setup_django()
    require_migrated()
    from kansenaudit.web.reports.selectors import reports_for_dossier

    rows = [
        {
            "id": r.pk,
            "kind": r.kind,
            "title": r.title,
            "versions": [
                {"number": v.number, "purpose": v.purpose, "sha256": v.sha256}
                for v in r.versions.order_by("number")
            ],
        }
        for r in reports_for_dossier(_dossier(dossier_id))
    ]
    emit(
        {"dossier": dossier_id, "reports": rows},
        as_json,
        lambda: (
            "\n".join(
                f"{r['id']}: {r['title']} ({r['kind']}), {len(r['versions'])} versies" for r in rows
            )
            or "Dit dossier heeft nog geen rapporten."
        ),
    )


@report.command("check")
@dossier_option
@report_option
@json_option
def check(dossier_id: int, report_id: int, as_json: bool) -> None:
    """List the references in the current chapters that cannot be resolved (exit 1 if any)."""
    setup_django()
    require_migrated()
    from kansenaudit.web.reports.selectors import chapter_snapshot
    from kansenaudit.web.reports.services import check_chapters

    found = _report(dossier_id, report_id)
    _document, problems, _resolver = check_chapters(found.dossier, chapter_snapshot(found))
    data = {"report": report_id, "problems": [p.__dict__ for p in problems]}
    emit(
        data,
        as_json,
        lambda: (
            "\n".join(
                f"hoofdstuk {p.chapter}, regel {p.line}: {p.reference} ({p.reason})"
                for p in problems
            )
            or "Alle verwijzingen zijn op te lossen."
        ),
    )
    if problems:
        raise SystemExit(1)


@report.command("build")
@dossier_option
@report_option
@click.option("--version", "number", type=int, help="Version number (default: the newest).")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the files to (made if missing).",
)
@click.option(
    "--format",
    "formats",
    default="docx,pdf,html",
    show_default=True,
    help="Comma-separated: docx, pdf, html.",
)
@json_option
def build(
    dossier_id: int, report_id: int, number: int | None, out: Path, formats: str, as_json: bool
) -> None:
    """Build a saved version as Word, PDF and/or HTML."""
    chosen = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.ClickException(
            f"onbekend formaat: {', '.join(unknown) or '–'} (kies docx, pdf, html)"
        )
    setup_django()
    require_migrated()
    from kansenaudit.web.reports.selectors import latest_version, version_in_report
    from kansenaudit.web.reports.services import version_build

    found = _report(dossier_id, report_id)
    version = latest_version(found) if number is None else version_in_report(found, number)
    if version is None:
        raise click.ClickException(
            "dit rapport heeft nog geen opgeslagen versie"
            if number is None
            else f"versie {number} bestaat niet"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"{out}: kan de map niet maken ({exc.strerror or exc})") from exc
    written = {}
    for file_format in chosen:
        started = time.perf_counter()
        click.echo(f"{file_format.upper()} maken…", err=True)
        with refused_as_click():
            built = version_build(version=version, formats=(file_format,), actor=None)
        path = out / f"{built.file_stem}.{file_format}"
        try:
            path.write_bytes(built.files[file_format])
        except OSError as exc:
            raise click.ClickException(
                f"{path}: kan niet schrijven ({exc.strerror or exc})"
            ) from exc
        written[file_format] = str(path)
        click.echo(f"{path} ({time.perf_counter() - started:.1f} s)", err=True)
    data = {
        "report": report_id,
        "version": version.number,
        "sha256": version.sha256,
        "files": written,
        "problems": [p.__dict__ for p in built.problems],
    }
    emit(data, as_json, lambda: "\n".join(written.values()))


@report.command("bundle")
@dossier_option
@report_option
@click.option(
    "--version", "number", required=True, type=int, help="A version frozen for publication."
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The ZIP file to write (a static site for any web server).",
)
@json_option
def bundle(dossier_id: int, report_id: int, number: int, out: Path, as_json: bool) -> None:
    """Build the publication site of a version frozen for publication, as a ZIP file."""
    setup_django()
    require_migrated()
    from kansenaudit.web.reports.selectors import version_in_report
    from kansenaudit.web.reports.services import publication_bundle

    found = _report(dossier_id, report_id)
    version = version_in_report(found, number)
    if version is None:
        raise click.ClickException(f"versie {number} bestaat niet")
    click.echo("Publicatiebundel maken…", err=True)
    with refused_as_click():
        data = publication_bundle(version=version, actor=None)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"{out}: kan niet schrijven ({exc.strerror or exc})") from exc
    emit(
        {"report": report_id, "version": number, "file": str(out), "bytes": len(data)},
        as_json,
        str(out),
    )
