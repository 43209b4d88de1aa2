# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit judgements …`: export and import of the dossier's judgements register.

The commands call the same selectors as the web pages, so the blindness rule holds here too:
while a judgement waits for an assessment, no score or rationale of it is exported.
"""

from __future__ import annotations

from pathlib import Path

import click

from kansenaudit.cli.output import emit, json_option
from kansenaudit.cli.runtime import require_migrated, setup_django

MAX_FRAMEWORK_FILE = 1_000_000


def _dossier(dossier_id: int) -> object:
    from kansenaudit.web.dossiers.selectors import DossierNotFound, operator_dossier

    try:
        return operator_dossier(dossier_id=dossier_id)
    except DossierNotFound as exc:
        raise click.ClickException(f"dossier {dossier_id} bestaat niet") from exc


def _demo_notice(dossier: object) -> str | None:
    from kansenaudit.web.dossiers.selectors import DEMO_NOTICE

    return DEMO_NOTICE if getattr(dossier, "is_demo", False) else None


dossier_option = click.option(
    "--dossier", "dossier_id", required=True, type=int, help="Dossier id."
)


@click.group()
def judgements() -> None:
    """Judgements against the assessment frameworks: export, agreement, frameworks."""


@judgements.command("export")
@dossier_option
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.xlsx (judgements and history as two sheets) or FILE.csv.",
)
@json_option
def export(dossier_id: int, out: Path, as_json: bool) -> None:
    """Write every judgement (and its history) to an XLSX or CSV file.

    A .csv file gets the judgements; the history goes beside it as <name>-historie.csv.
    Scores of judgements that still wait for an assessment are withheld, as on the pages.
    """
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise click.ClickException(f"{out}: kies een bestandsnaam op .xlsx of .csv")
    setup_django()
    require_migrated()
    from kansenaudit.web.judgements import exports

    dossier = _dossier(dossier_id)
    tables = exports.tables(dossier, None)
    demo = bool(getattr(dossier, "is_demo", False))
    written = []
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".xlsx":
            out.write_bytes(exports.xlsx_bytes(tables, demo=demo))
            written.append(out)
        else:
            columns, rows = tables["oordelen"]
            out.write_text(exports.csv_text(columns, rows, demo=demo), encoding="utf-8")
            history = out.with_name(f"{out.stem}-historie.csv")
            columns, hist = tables["historie"]
            history.write_text(exports.csv_text(columns, hist, demo=demo), encoding="utf-8")
            written += [out, history]
    except OSError as exc:
        raise click.ClickException(f"{out}: kan niet schrijven ({exc.strerror or exc})") from exc
    data = {
        "dossier": dossier_id,
        "files": [str(p) for p in written],
        "judgements": len(tables["oordelen"][1]),
        "history_events": len(tables["historie"][1]),
        "notice": _demo_notice(dossier),
    }
    emit(
        data,
        as_json,
        lambda: (
            f"{data['judgements']} oordelen en {data['history_events']} gebeurtenissen "
            f"geschreven naar {', '.join(data['files'])}"
            + (f"\nLET OP: {data['notice']}" if data["notice"] else "")
        ),
    )


def _format_alpha(result: dict) -> str:
    if result["alpha"] is None:
        return f"{result['framework']}: alfa niet gedefinieerd. {result['undefined_reason']}"
    interval = (
        f" (95%-interval {result['ci_low']:.3f} – {result['ci_high']:.3f})"
        if result["ci_low"] is not None
        else ""
    )
    metric = "ordinaal" if result["level"] == "ordinal" else "nominaal"
    return (
        f"{result['framework']}: alfa = {result['alpha']:.3f}{interval}, {metric}; "
        f"{result['units']} eenheden, {result['pairable_values']} paarbare waarden"
    )


@judgements.command("agreement")
@dossier_option
@click.option("--framework", "key", default=None, help="Framework key (default: all).")
@click.option("--n-boot", default=1000, show_default=True, type=click.IntRange(2, 100_000))
@click.option("--seed", default=0, show_default=True, type=int)
@json_option
def agreement(dossier_id: int, key: str | None, n_boot: int, seed: int, as_json: bool) -> None:
    """Krippendorff's alpha per framework, with a bootstrap interval."""
    setup_django()
    require_migrated()
    from kansenaudit.web.judgements import selectors

    dossier = _dossier(dossier_id)
    keys = [info.key for info in selectors.dossier_frameworks(dossier)]
    if key is not None:
        if key not in keys:
            raise click.ClickException(
                f"beoordelingskader {key!r} bestaat niet; bekend zijn: {', '.join(keys)}"
            )
        keys = [key]
    results = [
        selectors.agreement_as_dict(selectors.agreement(dossier, k, n_boot=n_boot, seed=seed))
        for k in keys
    ]
    emit(
        {"dossier": dossier_id, "agreement": results, "notice": _demo_notice(dossier)},
        as_json,
        lambda: "\n".join(_format_alpha(r) for r in results),
    )


@judgements.command("frameworks")
@dossier_option
@json_option
def frameworks(dossier_id: int, as_json: bool) -> None:
    """List the dossier's assessment frameworks and their versions."""
    setup_django()
    require_migrated()
    from kansenaudit.web.judgements import selectors

    dossier = _dossier(dossier_id)
    rows = [
        {
            "key": info.key,
            "name": info.framework.name,
            "version": info.version,
            "subject": info.subject_kind,
            "scale": info.framework.scale.kind,
            "criteria": list(info.framework.codes),
        }
        for info in selectors.dossier_frameworks(dossier)
    ]

    def text() -> str:
        return "\n".join(
            f"{r['key']:<20} v{r['version'] or '-':<3} {r['subject']:<15} "
            f"{','.join(r['criteria'])}  {r['name']}"
            for r in rows
        )

    emit({"dossier": dossier_id, "frameworks": rows}, as_json, text)


@judgements.command("framework-import")
@dossier_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--subject",
    "subject_kind",
    default=None,
    type=click.Choice(["directie", "maatregel", "doel", "indicator", "raadsinformatie"]),
    help="What a NEW framework judges (not needed for an existing key).",
)
@click.option("--note", default="", help="Why this version (kept with it).")
@json_option
def framework_import(
    dossier_id: int, file: Path, subject_kind: str | None, note: str, as_json: bool
) -> None:
    """Import FILE.json (schema kansenaudit.framework/1) as a new framework or a new version.

    The file is validated first; every problem is listed and nothing is stored unless it is
    valid. Criteria and scale values that judgements use cannot be removed.
    """
    if file.stat().st_size > MAX_FRAMEWORK_FILE:
        raise click.ClickException(f"{file}: te groot (meer dan {MAX_FRAMEWORK_FILE} bytes)")
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file}: geen UTF-8-tekst ({exc.reason})") from exc
    setup_django()
    require_migrated()
    from kansenaudit.web.judgements.services import JudgementError, framework_save

    dossier = _dossier(dossier_id)
    try:
        record, created = framework_save(
            dossier=dossier, data=text, actor=None, subject_kind=subject_kind, note=note
        )
    except JudgementError as exc:
        lines = "\n".join(f"  - {p}" for p in exc.problems)
        raise click.ClickException(f"{file}: ongeldig beoordelingskader:\n{lines}") from exc
    data = {
        "dossier": dossier_id,
        "key": record.key,
        "version": record.version,
        "created": created,
        "subject": record.subject_kind,
    }
    emit(
        data,
        as_json,
        f"Kader {record.key} opgeslagen als versie {record.version}"
        if created
        else f"Kader {record.key} ongewijzigd (versie {record.version})",
    )
