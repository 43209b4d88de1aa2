# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit dossier …`: create, list and show audit dossiers."""

from __future__ import annotations

import datetime as dt

import click

from kansenaudit.cli.output import emit, json_option, refused_as_click
from kansenaudit.cli.runtime import require_migrated, setup_django


@click.group()
def dossier() -> None:
    """Audit dossiers (onderzoeken)."""


@dossier.command("create")
@click.option("--title", required=True, help="Title of the audit.")
@click.option("--municipality", required=True, help="CBS municipality code, e.g. GM0363.")
@click.option("--municipality-name", default="", help="Name of the municipality.")
@click.option("--period-start", type=click.DateTime(["%Y-%m-%d"]), help="Start of the period.")
@click.option("--period-end", type=click.DateTime(["%Y-%m-%d"]), help="End of the period.")
@click.option("--question", default="", help="The central question.")
@json_option
def create(
    title: str,
    municipality: str,
    municipality_name: str,
    period_start: dt.datetime | None,
    period_end: dt.datetime | None,
    question: str,
    as_json: bool,
) -> None:
    """Create a dossier and print its id. Add a projectleider with `kansenaudit user create`."""
    setup_django()
    require_migrated()
    from kansenaudit.web.core.services import system_actor_label
    from kansenaudit.web.dossiers.services import dossier_create

    with refused_as_click():
        created = dossier_create(
            title=title,
            municipality_code=municipality,
            municipality_name=municipality_name,
            period_start=period_start.date() if period_start else None,
            period_end=period_end.date() if period_end else None,
            central_question=question,
            actor_label=system_actor_label(),
        )
    emit({"id": created.pk, "title": created.title}, as_json, str(created.pk))


@dossier.command("list")
@json_option
def list_(as_json: bool) -> None:
    """List all dossiers in the database (the CLI acts as the operator, with full access)."""
    setup_django()
    require_migrated()
    from kansenaudit.web.dossiers.selectors import dossier_summary, operator_dossiers

    rows = [dossier_summary(dossier=d) for d in operator_dossiers()]

    def text() -> str:
        if not rows:
            return "No dossiers yet."
        return "\n".join(
            f"{r['id']:>4}  {r['municipality_code']}  {r['status']:<14} {r['title']}"
            + ("  [demo]" if r["is_demo"] else "")
            for r in rows
        )

    emit(rows, as_json, text)


@dossier.command("show")
@click.argument("dossier_id", type=int)
@json_option
def show(dossier_id: int, as_json: bool) -> None:
    """Show one dossier with its sub-questions, planning and team."""
    setup_django()
    require_migrated()
    from kansenaudit.web.dossiers.selectors import (
        DossierNotFound,
        dossier_as_dict,
        operator_dossier,
    )

    try:
        data = dossier_as_dict(dossier=operator_dossier(dossier_id=dossier_id))
    except DossierNotFound as exc:
        raise click.ClickException(f"No dossier with id {dossier_id}.") from exc

    def text() -> str:
        lines = [f"{data['title']} ({data['municipality_code']})", f"Status: {data['status']}"]
        if data["demo_notice"]:
            lines.append(data["demo_notice"])
        lines += [f"  {s['number']}. {s['question']}" for s in data["sub_questions"]]
        lines += [f"  team: {m['username']} ({m['role']})" for m in data["team"]]
        return "\n".join(lines)

    emit(data, as_json, text)
