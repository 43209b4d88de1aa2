"""The qualitative-coding commands of `kansenaudit fieldwork …` (agreement, REFI-QDA).

They call the same selectors and services as the web pages, so blindness and withdrawal hold
here too: the blind part of the double-coding sample and the words of participants who
withdrew consent are in no output.
"""

from __future__ import annotations

from pathlib import Path

import click

from kansenaudit.cli.output import emit, json_option, refused_as_click
from kansenaudit.cli.runtime import require_migrated, setup_django

dossier_option = click.option(
    "--dossier", "dossier_id", required=True, type=int, help="Dossier id."
)


def _dossier(dossier_id: int) -> object:
    from kansenaudit.web.dossiers.selectors import DossierNotFound, operator_dossier

    try:
        return operator_dossier(dossier_id=dossier_id)
    except DossierNotFound as exc:
        raise click.ClickException(f"dossier {dossier_id} bestaat niet") from exc


def _notice(dossier: object) -> str | None:
    from kansenaudit.web.dossiers.selectors import DEMO_NOTICE

    return DEMO_NOTICE if getattr(dossier, "is_demo", False) else None


def _fmt(value: float | None) -> str:
    return "n.b." if value is None else f"{value:.3f}".replace(".", ",")


@click.command("agreement")
@dossier_option
@click.option("--n-boot", default=1000, show_default=True, type=click.IntRange(2, 100_000))
@click.option("--seed", default=0, show_default=True, type=int)
@json_option
def agreement(dossier_id: int, n_boot: int, seed: int, as_json: bool) -> None:
    """Krippendorff's alpha of the double coding, per code and overall, with a bootstrap
    interval (units: speaker turns; transcripts still coded blind do not count)."""
    setup_django()
    require_migrated()
    from kansenaudit.web.coding.agreement import dossier_agreement

    dossier = _dossier(dossier_id)
    result = dossier_agreement(dossier, n_boot=n_boot, seed=seed)

    def text() -> str:
        o = result.overall
        lines = [
            f"{result.transcripts} dubbel gecodeerde transcripten, {result.turns} beurten"
            f" ({result.blind} nog blind)",
            f"alle codes: alfa {_fmt(o.alpha)} [{_fmt(o.low)} – {_fmt(o.high)}]",
        ]
        lines += [
            f"{c.code}: alfa {_fmt(c.alpha.alpha)} [{_fmt(c.alpha.low)} – {_fmt(c.alpha.high)}]"
            for c in result.per_code
        ]
        return "\n".join(lines)

    emit(
        {"dossier": dossier_id, "agreement": result.as_dict(), "notice": _notice(dossier)},
        as_json,
        text,
    )


@click.command("export-segments")
@dossier_option
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.xlsx (segments, code × group matrix, co-occurrence) or FILE.csv (segments).",
)
@json_option
def export_segments(dossier_id: int, out: Path, as_json: bool) -> None:
    """Write the coded segments (and for XLSX the matrix and co-occurrence) to a file."""
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise click.ClickException(f"{out}: kies een bestandsnaam op .xlsx of .csv")
    setup_django()
    require_migrated()
    from kansenaudit.reporting.tables import csv_text, xlsx_bytes
    from kansenaudit.web.coding import analysis
    from kansenaudit.web.core.services import audit_record

    dossier = _dossier(dossier_id)
    hits = analysis.hits(dossier)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        out.write_text(
            csv_text(analysis.segment_table(hits), notice=_notice(dossier)), encoding="utf-8"
        )
    else:
        tables = [
            analysis.segment_table(hits),
            analysis.matrix_table(analysis.group_matrix(dossier)),
            analysis.co_occurrence_table(analysis.co_occurrence(dossier)),
        ]
        out.write_bytes(xlsx_bytes(tables, notice=_notice(dossier)))
    audit_record(
        actor=None,
        action="coding.exported",
        dossier=dossier,
        summary=f"Export codering: {out.name}",
        after={"file": out.name, "rows": len(hits)},
    )
    emit({"written": str(out), "segments": len(hits)}, as_json, f"{out} ({len(hits)} segmenten)")


CODING_COMMANDS: list[click.Command] = [agreement, export_segments]
_ = refused_as_click  # used by the REFI-QDA commands
