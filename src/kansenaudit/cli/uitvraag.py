# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit uitvraag …`: the inventory request workbook out and its validated import back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from kansenaudit.cli.lookup import operator_dossier_or_fail
from kansenaudit.cli.output import emit, json_option, refused_as_click
from kansenaudit.cli.runtime import require_migrated, setup_django


def _change_dict(change: object) -> dict:
    def plain(value: object) -> object:
        if hasattr(value, "name") and hasattr(value, "row"):  # a whole MeasureRow
            return value.name
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, tuple):
            return list(value)
        return value

    return {
        "kind": change.kind,
        "measure": change.measure,
        "field": change.field,
        "label": change.label,
        "old": plain(change.old),
        "new": plain(change.new),
        "text": str(change),
    }


@click.group()
def uitvraag() -> None:
    """The uitvraag: a workbook per directie (template) and its validated import."""


@uitvraag.command("template")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.option("--directie", required=True, help="Name of the directie (added if unknown).")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the workbook (.xlsx).",
)
@click.option("--deadline", type=click.DateTime(["%Y-%m-%d"]), help="Deadline (YYYY-MM-DD).")
@click.option("--contact", default="", help="Contact person of the audit team.")
@click.option(
    "--new-version",
    is_flag=True,
    help="Take the lists from the register again for a request that was already sent.",
)
@json_option
def template(
    dossier_id: int,
    directie: str,
    out: Path,
    deadline: dt.datetime | None,
    contact: str,
    new_version: bool,
    as_json: bool,
) -> None:
    """Write the uitvraag workbook for one directie (creating or reusing its request)."""
    setup_django()
    require_migrated()
    from kansenaudit.web.uitvraag import selectors, services

    dossier = operator_dossier_or_fail(dossier_id)
    if out.suffix.lower() != ".xlsx":
        raise click.ClickException(f"{out}: gebruik de extensie .xlsx")
    with refused_as_click():
        outcome = services.request_create(
            dossier=dossier,
            directie_name=directie,
            deadline=deadline.date() if deadline else None,
            contact=contact,
            actor=None,
            reuse=True,
        )
        built = services.template_build(
            request=outcome.request, actor=None, refresh=True if new_version else None
        )
    try:
        out.write_bytes(built.data)
    except OSError as exc:
        raise click.ClickException(f"{out}: kan niet schrijven ({exc.strerror})") from exc
    request = selectors.request_in_dossier(dossier, outcome.request.pk)  # as written
    data = {
        "dossier": dossier_id,
        "request": request.pk,
        "directie": request.directie.name,
        "directie_added": outcome.directie_added,
        "request_created": outcome.created,
        "status": request.status,
        "template_version": request.template_version,
        "template_checksum": request.template_checksum,
        "new_version": built.new_version,
        "file": str(out),
    }

    def text() -> str:
        lines = []
        if outcome.directie_added:
            lines.append(f"Directie '{request.directie.name}' toegevoegd aan het actorenregister.")
        lines.append(
            ("Uitvraag aangemaakt" if outcome.created else "Bestaande uitvraag gebruikt")
            + f" (id {request.pk}, status {request.status})."
        )
        if built.new_version:
            lines.append(f"Nieuwe sjabloonversie {request.template_version}.")
        lines.append(f"Sjabloon versie {request.template_version} geschreven naar {out}.")
        return "\n".join(lines)

    emit(data, as_json, text)


@uitvraag.command("import")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--apply", "do_apply", is_flag=True, help="Apply the changes (only if valid).")
@json_option
def import_(dossier_id: int, file: Path, do_apply: bool, as_json: bool) -> None:
    """Check a filled-in workbook, show what it would change, and apply it with --apply.

    The directie is read from the workbook; its request must exist in the dossier. Every
    error is named by sheet, row and column; nothing is applied unless the whole file is
    valid. Exit code 1 when the file has errors or cannot be applied.
    """
    setup_django()
    require_migrated()
    from kansenaudit.policy.uitvraag import MAX_BYTES, read_filled
    from kansenaudit.web.uitvraag import checks, selectors, services
    from kansenaudit.web.uitvraag.models import ReceivedFile

    dossier = operator_dossier_or_fail(dossier_id)
    if file.stat().st_size > MAX_BYTES:
        raise click.ClickException(f"{file}: groter dan {MAX_BYTES // 2**20} MB; niet gelezen")
    data = file.read_bytes()
    # The workbook names its directie; a file that cannot be read at all is reported as is.
    first = read_filled(data)
    request = selectors.request_for_directie(dossier, first.directie) if first.directie else None
    if request is None:
        if first.directie:
            errors = [
                f"Werkblad 'Meta': onbekende directie {first.directie!r}: er is in dossier "
                f"{dossier_id} geen uitvraag aan deze directie"
            ]
        else:
            errors = [e.message for e in first.errors] or ["geen uitvraagsjabloon"]
        payload = {"dossier": dossier_id, "file": str(file), "valid": False, "errors": errors}
        emit(payload, as_json, lambda: f"{file}: niet ingelezen\n" + "\n".join(errors))
        raise SystemExit(1)
    with refused_as_click(f"{file}: "):
        received = services.receive(
            request=request,
            data=data,
            file_name=file.name,
            actor=None,
            channel=ReceivedFile.Channel.CLI,
        )
    plan = checks.preview(received=received)
    payload: dict = {
        "dossier": dossier_id,
        "request": request.pk,
        "directie": request.directie.name,
        "file": str(file),
        "received_file": received.pk,
        "sha256": received.sha256,
        "valid": received.is_valid,
        "errors": [e.message for e in plan.errors],
        "error_cells": [{"sheet": e.sheet, "row": e.row, "column": e.column} for e in plan.errors],
        "changes": [_change_dict(c) for c in plan.changes],
        "removed_blocked": [
            {"measure": r.name, "referred_by": r.blockers} for r in plan.removed if r.blockers
        ],
        "new_target_groups": plan.new_target_groups,
        "applied": False,
    }
    failed = bool(plan.errors)
    if do_apply and not failed:
        try:
            outcome = services.apply(received=received, actor=None)
        except services.UitvraagError as exc:
            payload["problems"] = [str(exc)]
            failed = True
        else:
            payload["applied"] = True
            payload["result"] = {
                "created": outcome.created,
                "updated": outcome.updated,
                "removed": outcome.removed,
                "target_groups_added": outcome.target_groups_added,
            }
    elif not plan.can_apply:
        payload["problems"] = plan.problems

    def text() -> str:
        lines = [f"{file} (sha256 {received.sha256[:12]}…), directie {request.directie.name}:"]
        if plan.errors:
            lines.append(f"{len(plan.errors)} fouten; er is niets ingelezen:")
            lines += [f"  {e.message}" for e in plan.errors]
            return "\n".join(lines)
        if plan.changes:
            lines.append("Wijzigingen:")
            lines += [f"  {c}" for c in plan.changes]
        else:
            lines.append("Geen wijzigingen ten opzichte van het register.")
        for name in plan.new_target_groups:
            lines.append(f"  Nieuwe doelgroep in het actorenregister: {name}")
        for problem in payload.get("problems", []):
            lines.append(f"Niet ingelezen: {problem}")
        if payload["applied"]:
            lines.append("Ingelezen.")
        elif not do_apply and plan.can_apply:
            lines.append("Niets ingelezen; gebruik --apply om deze wijzigingen door te voeren.")
        return "\n".join(lines)

    emit(payload, as_json, text)
    if failed:
        raise SystemExit(1)


@uitvraag.command("status")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@json_option
def status(dossier_id: int, as_json: bool) -> None:
    """The requests of a dossier with their status, dates and hashes (and the history)."""
    setup_django()
    require_migrated()
    from kansenaudit.web.uitvraag import selectors

    dossier = operator_dossier_or_fail(dossier_id)
    rows = selectors.export_requests(dossier)
    data = {
        "dossier": dossier_id,
        "requests": rows,
        "history": selectors.export_history(dossier),
        "files": selectors.export_files(dossier),
    }

    def text() -> str:
        if not rows:
            return "Geen uitvragen in dit dossier."
        lines = []
        for r in rows:
            late = " TE LAAT" if r["te_laat"] else ""
            lines.append(
                f"{r['id']:>4}  {r['directie']:<30} {r['status']:<14} "
                f"deadline {r['deadline'] or '-':<10} bestanden {r['bestanden']} "
                f"(geldig {r['geldige_bestanden']}){late}"
            )
        return "\n".join(lines)

    emit(data, as_json, text)
