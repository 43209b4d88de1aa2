# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit findings …`: normenkader, findings, conclusions, recommendations, wederhoor."""

from __future__ import annotations

from pathlib import Path

import click

from kansenaudit.cli.output import emit, json_option
from kansenaudit.cli.runtime import require_migrated, setup_django


def _start(dossier_id: int) -> object:
    setup_django()
    require_migrated()
    from kansenaudit.web.dossiers.selectors import DossierNotFound, operator_dossier

    try:
        return operator_dossier(dossier_id=dossier_id)
    except DossierNotFound as exc:
        raise click.ClickException(f"dossier {dossier_id} bestaat niet") from exc


@click.group()
def findings() -> None:
    """Findings, conclusions and recommendations, their checks and the wederhoor."""


@findings.command("list")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@json_option
def list_(dossier_id: int, as_json: bool) -> None:
    """List the findings of a dossier with status, norms and number of pieces of evidence."""
    dossier = _start(dossier_id)
    from kansenaudit.web.findings import selectors

    rows = [
        {
            "id": f.pk,
            "code": f.code,
            "sub_question": f.sub_question.number,
            "title": f.title,
            "status": f.status,
            "verdict": f.verdict,
            "norms": [n.code for n in f.norms.all()],
            "evidence": f.ref_count,
            "signed_off_by": f.signed_off_by.get_username() if f.signed_off_by else None,
        }
        for f in selectors.findings(dossier, with_norms=True)
    ]

    def text() -> str:
        lines = [f"{len(rows)} bevindingen"]
        for r in rows:
            lines.append(
                f"{r['code']:<8} dv{r['sub_question']}  {r['status']:<10} "
                f"bewijs {r['evidence']:>3}  {r['title']}"
            )
        return "\n".join(lines)

    emit({"dossier": dossier_id, "findings": rows}, as_json, text)


@findings.command("check")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.option("--strict", is_flag=True, help="Exit with code 1 when a check finds a problem.")
@json_option
def check(dossier_id: int, strict: bool, as_json: bool) -> None:
    """Run the quality checks of the chain: findings without evidence, norms and
    sub-questions without findings, evidence changed after sign-off, cycles."""
    dossier = _start(dossier_id)
    from kansenaudit.web.findings import selectors

    result = selectors.checks(dossier)
    data = {"dossier": dossier_id, "problems": result.problems, "checks": result.as_dict()}

    def text() -> str:
        lines = [f"{result.problems} problemen"]
        for name, items in data["checks"].items():
            if items:
                lines.append(f"{name}: {', '.join(items)}")
        return "\n".join(lines)

    emit(data, as_json, text)
    if strict and result.problems:
        raise SystemExit(1)


@findings.command("export")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="FILE.xlsx (trace and normenkader) or FILE.csv (one table).",
)
@click.option(
    "--table",
    type=click.Choice(["keten", "normen", "opvolging"]),
    default="keten",
    show_default=True,
    help="For CSV: which table.",
)
def export(dossier_id: int, out: Path, table: str) -> None:
    """Export the full trace norm → finding → evidence → conclusion → recommendation."""
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise click.ClickException(f"--out: {out.name} moet eindigen op .xlsx of .csv")
    dossier = _start(dossier_id)
    from kansenaudit.web.core.services import audit_record
    from kansenaudit.web.findings import exports, selectors

    if suffix == ".xlsx":
        out.write_bytes(exports.workbook(dossier))
    else:
        if table == "keten":
            chosen = exports.trace_table(dossier)
        elif table == "normen":
            chosen = exports.norm_table(dossier)
        else:
            chosen = exports.follow_table(selectors.follow_up_of_dossier(dossier))
        out.write_text(exports.csv_text(chosen, dossier), encoding="utf-8")
    audit_record(
        actor=None, action="findings.export", dossier=dossier, summary=f"{table} naar {out.name}"
    )
    click.echo(str(out))


@findings.command("wederhoor-status")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@json_option
def wederhoor_status(dossier_id: int, as_json: bool) -> None:
    """Per frozen version of the nota: its links and how its comments were handled."""
    dossier = _start(dossier_id)
    from kansenaudit.web.findings import selectors

    versions = selectors.wederhoor_status(dossier)

    def text() -> str:
        if not versions:
            return "nog geen versie bevroren"
        lines = []
        for v in versions:
            counts = ", ".join(f"{k} {n}" for k, n in v["reacties"].items())
            lines.append(f"versie {v['versie']} (tot {v['reacties_tot']}): {counts}")
            for link in v["links"]:
                state = "actief" if link["actief"] else "niet actief"
                lines.append(f"  {link['contact']}: {state}, verloopt {link['verloopt']}")
        return "\n".join(lines)

    emit({"dossier": dossier_id, "versions": versions}, as_json, text)
