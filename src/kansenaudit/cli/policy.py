# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit policy …`: export and import the policy registers of a dossier; monitoring and
consistency reports; the measures damaged by the unchanged-save bug of issue #11."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kansenaudit.cli.output import emit, json_option
from kansenaudit.cli.runtime import require_migrated, setup_django


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


@click.group()
def policy() -> None:
    """The policy registers of a dossier: actors, goals, measures, indicators, judgements."""


@policy.command("export")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="FILE.xlsx or FILE.json, or a folder for CSV files.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv", "json"]),
    default=None,
    help="Default: from the extension of --out (a folder: csv).",
)
def export(dossier_id: int, out: Path, fmt: str | None) -> None:
    """Export every register of a dossier: XLSX (one sheet per register), CSV or JSON."""
    dossier = _start(dossier_id)
    from kansenaudit.web.policy import exports

    if fmt is None:
        suffix = out.suffix.lower().lstrip(".")
        fmt = suffix if suffix in ("xlsx", "json") else "csv"
    demo = exports.is_demo(dossier)
    if fmt == "xlsx":
        tables = [*exports.register_tables(dossier), exports.gaps_table(dossier)]
        out.write_bytes(exports.tables_xlsx(dossier, tables, demo=demo))
        written = [str(out)]
    elif fmt == "json":
        data = exports.registers_json(dossier)
        out.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), "utf-8")
        written = [str(out)]
    else:
        if out.exists() and not out.is_dir():
            raise click.ClickException(f"{out} is een bestand; geef een map voor CSV")
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name in (*exports.REGISTERS, exports.GAPS):
            path = out / f"{name}.csv"
            table = exports.register_table(dossier, name)
            path.write_text(exports.table_csv(table, demo=demo), "utf-8")
            written.append(str(path))
    click.echo("\n".join(written))
    if demo:
        click.echo("Let op: fictieve demodata.", err=True)


@policy.command("import")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
def import_(dossier_id: int, file: Path, as_json: bool) -> None:
    """Import registers from FILE.json (the JSON of `policy export --format json`).

    All or nothing: every error names the record and the field, and nothing is imported unless
    the whole file is valid. Records are matched by name, so a second import changes nothing.
    """
    dossier = _start(dossier_id)
    from kansenaudit.web.policy.transfer import (
        MAX_IMPORT_BYTES,
        ImportFileError,
        parse_registers_json,
        registers_import,
    )

    if file.stat().st_size > MAX_IMPORT_BYTES:
        raise click.ClickException(f"{file}: groter dan {MAX_IMPORT_BYTES // 2**20} MB")
    try:
        data = parse_registers_json(file.read_bytes(), str(file))
        report = registers_import(dossier=dossier, data=data, actor=None)
    except ImportFileError as exc:
        if len(exc.errors) == 1 and exc.errors[0].startswith(str(file)):
            raise click.ClickException(exc.errors[0]) from exc
        lines = "\n".join(f"  - {e}" for e in exc.errors)
        raise click.ClickException(
            f"{file}: niets ingelezen, {len(exc.errors)} fout(en):\n{lines}"
        ) from exc
    result = report.as_dict()

    def text() -> str:
        return "\n".join(
            f"{label}: " + (", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "niets")
            for label, counts in result.items()
        )

    emit({"dossier": dossier_id, **result}, as_json, text)


def _status_json(status: object) -> dict:
    d = status.distance
    return {
        "indicator": status.indicator.name,
        "bron": status.indicator.source,
        "nulmeting": list(status.baseline) if status.baseline else None,
        "streefwaarden": [list(t) for t in status.targets],
        "realisaties": [list(r) for r in status.realised],
        "realisaties_uit": status.realised_source,
        "melding": status.message,
        "afstand": None
        if d is None
        else {
            "realisatiejaar": d.realised_year,
            "realisatie": d.realised,
            "streefjaar": d.target_year,
            "streefwaarde": d.target,
            "afstand": d.gap,
            "gehaald": d.reached,
            "voortgang": d.progress,
        },
    }


@policy.command("monitoring")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@json_option
def monitoring_(dossier_id: int, as_json: bool) -> None:
    """The monitoring tree goal → measure → indicator, and the gaps."""
    dossier = _start(dossier_id)
    from kansenaudit.web.policy import selectors

    result = selectors.monitoring(dossier)
    gaps = {
        kind: [str(item) for item in getattr(result.gaps, kind)] for kind in selectors.GAP_KINDS
    }
    data = {
        "dossier": dossier_id,
        "boom": [
            {
                "doel": row.goal.title,
                "niveau": row.goal.level,
                "diepte": row.depth,
                "indicatoren": [_status_json(s) for s in row.indicators],
                "maatregelen": [
                    {
                        "maatregel": m.measure.name,
                        "directie": m.measure.owner.name if m.measure.owner else None,
                        "indicatoren": [_status_json(s) for s in m.indicators],
                    }
                    for m in row.measures
                ],
            }
            for row in result.tree
        ],
        "hiaten": gaps,
    }

    def text() -> str:
        lines = ["Monitoring"]
        for row in result.tree:
            pad = "  " * row.depth
            lines.append(f"{pad}- {row.goal}")
            for s in row.indicators:
                lines.append(f"{pad}    indicator: {_status_line(s)}")
            for m in row.measures:
                lines.append(f"{pad}    maatregel: {m.measure.name}")
                for s in m.indicators:
                    lines.append(f"{pad}      indicator: {_status_line(s)}")
        lines.append(f"Hiaten ({result.gaps.total()}):")
        for kind, label in selectors.GAP_KINDS.items():
            for item in gaps[kind]:
                lines.append(f"  - {label}: {item}")
        return "\n".join(lines)

    emit(data, as_json, text)


def _status_line(status: object) -> str:
    d = status.distance
    if d is None:
        return f"{status.indicator.name} ({status.message or 'geen afstand tot doel'})"
    reached = {True: "gehaald", False: "nog niet gehaald", None: "neutraal"}[d.reached]
    return (
        f"{status.indicator.name}: {d.realised:g} in {d.realised_year}, streefwaarde "
        f"{d.target:g} in {d.target_year}, afstand {d.gap:g} ({reached})"
    )


@policy.command("consistency")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@json_option
def consistency_(dossier_id: int, as_json: bool) -> None:
    """Which city goals each directie's measures serve; goals that do not meet."""
    dossier = _start(dossier_id)
    from kansenaudit.web.policy import selectors

    result = selectors.consistency(dossier)
    names = {d.pk: d.name for d in result.directies}
    names[0] = "(zonder directie)"
    data = {
        "dossier": dossier_id,
        "stadsdoelen": [
            {
                "doel": row.goal.title,
                "niveau": row.goal.level,
                "directies": {
                    names.get(key, str(key)): [
                        {"maatregel": s.measure.name, "via": s.via.title if s.via else None}
                        for s in services
                    ]
                    for key, services in row.by_directie.items()
                },
            }
            for row in result.city_goals
        ],
        "directiedoelen_zonder_stadsdoel": [
            g.title for g in result.directie_goals_without_city_goal
        ],
        "stadsdoelen_zonder_directie": [g.title for g in result.city_goals_unserved],
        "maatregelen_zonder_directie": [m.name for m in result.measures_without_owner],
    }

    def text() -> str:
        lines = ["Stadsdoelen en de directies die ze dienen:"]
        for row in data["stadsdoelen"]:
            served = ", ".join(f"{name} ({len(items)})" for name, items in row["directies"].items())
            lines.append(f"- {row['doel']}: {served or 'geen directie'}")
        lines.append("Directiedoelen zonder stadsdoel:")
        lines += [f"  - {t}" for t in data["directiedoelen_zonder_stadsdoel"]] or ["  (geen)"]
        lines.append("Stadsdoelen die geen directie dient:")
        lines += [f"  - {t}" for t in data["stadsdoelen_zonder_directie"]] or ["  (geen)"]
        return "\n".join(lines)

    emit(data, as_json, text)


@policy.command("damaged-measures")
@click.option("--dossier", "dossier_id", type=int, help="Only this dossier (default: all).")
@json_option
def damaged_measures_(dossier_id: int | None, as_json: bool) -> None:
    """Measures damaged by the unchanged-save bug (issue #11): values to restore. Read-only."""
    setup_django()
    require_migrated()
    dossier = _dossier(dossier_id) if dossier_id is not None else None
    from kansenaudit.web.policy.repair import damaged_measures

    found = damaged_measures(dossier)
    data = {"dossier": dossier_id, "measures": [m.as_json() for m in found]}

    def text() -> str:
        if not found:
            return "Geen beschadigde maatregelen gevonden."
        lines = []
        for m in found:
            sure = "zeker" if m.certain else "mogelijk"
            lines.append(f"Maatregel {m.measure_id} ({m.name}), dossier {m.dossier_id}: {sure}")
            for name, (good, now) in m.restore.items():
                since = "  (sindsdien gewijzigd: controleer)" if name in m.changed_since else ""
                lines.append(f"  {name}: nu {now or '–'}, herstellen naar {good or '–'}{since}")
        return "\n".join(lines)

    emit(data, as_json, text)
