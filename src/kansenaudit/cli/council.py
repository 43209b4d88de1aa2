# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit council …`: the dossier's council register, its matrix, export and registration."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from kansenaudit.cli.output import emit, json_option, refused_as_click
from kansenaudit.cli.runtime import require_migrated, setup_django

REPORTS_ON = ("outputs", "effecten", "beide", "geen")


def _dossier(dossier_id: int) -> object:
    from kansenaudit.web.dossiers.selectors import DossierNotFound, operator_dossier

    try:
        return operator_dossier(dossier_id=dossier_id)
    except DossierNotFound as exc:
        raise click.ClickException(f"dossier {dossier_id} bestaat niet") from exc


def _start(dossier_id: int) -> object:
    setup_django()
    require_migrated()
    return _dossier(dossier_id)


def _item_json(item: object) -> dict:
    return {
        "id": item.pk,
        "date": item.date.isoformat(),
        "title": item.title,
        "reports_on": item.reports_on,
        "document_id": item.document_id,
        "goals": [str(g) for g in item.goals.all()],
        "measures": [str(m) for m in item.measures.all()],
        "indicators": [str(i) for i in item.indicators.all()],
        "note": item.note,
        "is_demo": item.is_demo,
    }


@click.group()
def council() -> None:
    """Information to the council: the items, their timeline and matrix."""


@council.command("items")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@json_option
def items_(dossier_id: int, as_json: bool) -> None:
    """List the information items of a dossier in date order."""
    dossier = _start(dossier_id)
    from kansenaudit.web.council import selectors

    rows = [_item_json(i) for i in selectors.items_for_dossier(dossier)]

    def text() -> str:
        lines = [f"{len(rows)} items"]
        for row in rows:
            goals = f" [{'; '.join(row['goals'])}]" if row["goals"] else ""
            lines.append(f"{row['date']}  {row['reports_on']:<8}  {row['title']}{goals}")
        return "\n".join(lines)

    emit({"dossier": dossier_id, "items": rows}, as_json, text)


@council.command("matrix")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@json_option
def matrix_(dossier_id: int, as_json: bool) -> None:
    """Goals × years: what the council was told about each goal in each year."""
    dossier = _start(dossier_id)
    from kansenaudit.web.council import exports, selectors

    result = selectors.matrix(dossier)
    data = {
        "dossier": dossier_id,
        "years": list(result.years),
        "years_without_information": list(result.years_without_information),
        "goals": [
            {
                "goal": str(row.goal),
                "goal_id": row.goal.pk,
                "cells": {
                    str(c.year): {
                        "state": c.state,
                        "items": c.count,
                        "outputs": c.outputs,
                        "effects": c.effects,
                    }
                    for c in row.cells
                },
                "items": row.summary.count,
                "first": row.summary.first,
                "last": row.summary.last,
                "share_on_effects": row.summary.share_on_effects,
            }
            for row in result.rows
        ],
    }

    def text() -> str:
        table = exports.matrix_table(result)
        lines = ["\t".join(table.columns)]
        lines += ["\t".join(str(v) for v in row) for row in table.rows]
        if result.years_without_information:
            years = ", ".join(str(y) for y in result.years_without_information)
            lines.append(f"jaren zonder informatie: {years}")
        return "\n".join(lines)

    emit(data, as_json, text)


@council.command("export")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="FILE.xlsx (items, matrix, gaps) or FILE.csv.",
)
@click.option(
    "--table",
    type=click.Choice(["items", "matrix"]),
    default="items",
    show_default=True,
    help="For CSV: which table.",
)
def export(dossier_id: int, out: Path, table: str) -> None:
    """Export the council register as XLSX (every table) or CSV (one table)."""
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise click.ClickException(f"--out: {out.name} moet eindigen op .xlsx of .csv")
    dossier = _start(dossier_id)
    from kansenaudit.web.council import exports

    if suffix == ".xlsx":
        out.write_bytes(exports.workbook_bytes(dossier))
    else:
        content = exports.items_csv(dossier) if table == "items" else exports.matrix_csv(dossier)
        out.write_text(content, encoding="utf-8")
    click.echo(str(out))


def _lookup(kind: str, dossier: object, values: tuple[str, ...], option: str) -> list:
    """Policy elements of the dossier by name (or code for goals); an unknown one is an error."""
    from kansenaudit.web.policy.selectors import register_entries_named

    found = []
    for value in values:
        matches = register_entries_named(dossier, kind, value)
        if len(matches) != 1:
            problem = "bestaat niet" if not matches else "is niet eenduidig"
            raise click.ClickException(f"{option}: „{value}” {problem} in dossier {dossier.pk}")
        found.append(matches[0])
    return found


@council.command("register")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.option("--document", "document_id", required=True, type=int, help="Document id.")
@click.option(
    "--reports-on",
    "reports_on",
    required=True,
    type=click.Choice(REPORTS_ON),
    help="Outputs, effects, both or neither.",
)
@click.option("--goal", "goals", multiple=True, help="Goal title or code (repeatable).")
@click.option("--measure", "measures", multiple=True, help="Measure name (repeatable).")
@click.option("--indicator", "indicators", multiple=True, help="Indicator name (repeatable).")
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), help="Date the council got it.")
@click.option("--title", default="", help="Title (default: the document's).")
@click.option("--note", default="", help="Note.")
@json_option
def register(
    dossier_id: int,
    document_id: int,
    reports_on: str,
    goals: tuple[str, ...],
    measures: tuple[str, ...],
    indicators: tuple[str, ...],
    date: dt.datetime | None,
    title: str,
    note: str,
    as_json: bool,
) -> None:
    """Register a document of the evidence store as information to the council."""
    dossier = _start(dossier_id)
    from kansenaudit.web.council import services
    from kansenaudit.web.evidence.selectors import document_in_dossier

    document = document_in_dossier(dossier, document_id)
    if document is None:
        raise click.ClickException(
            f"--document: document {document_id} bestaat niet in dossier {dossier_id}"
        )
    with refused_as_click():
        item = services.item_register(
            dossier=dossier,
            document=document,
            reports_on=reports_on,
            title=title,
            date=date.date() if date else None,
            goals=_lookup("goal", dossier, goals, "--goal"),
            measures=_lookup("measure", dossier, measures, "--measure"),
            indicators=_lookup("indicator", dossier, indicators, "--indicator"),
            note=note,
            actor=None,
        )
    emit(_item_json(item), as_json, lambda: f"{item.pk}\t{item}")
