# SPDX-License-Identifier: EUPL-1.2
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
@click.option("--unitised", is_flag=True, help="Also the unitised alpha on characters.")
@json_option
def agreement(dossier_id: int, n_boot: int, seed: int, unitised: bool, as_json: bool) -> None:
    """Krippendorff's alpha of the double coding, per code and overall, with a bootstrap
    interval (units: speaker turns; transcripts still coded blind do not count)."""
    setup_django()
    require_migrated()
    from kansenaudit.web.coding.agreement import dossier_agreement

    dossier = _dossier(dossier_id)
    result = dossier_agreement(dossier, n_boot=n_boot, seed=seed, with_unitised=unitised)

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


def _export(dossier_id: int, out: Path, as_json: bool, kind: str) -> None:
    setup_django()
    require_migrated()
    from kansenaudit.web.coding import refi

    dossier = _dossier(dossier_id)
    with refused_as_click(f"{out}: "):
        data = (
            refi.export_qdpx(dossier, actor=None)
            if kind == "qdpx"
            else refi.export_qdc(dossier, actor=None)
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    emit({"written": str(out), "bytes": len(data)}, as_json, f"{out} ({len(data)} bytes)")


out_option = click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path)
)


@click.command("export-qdpx")
@dossier_option
@out_option
@json_option
def export_qdpx(dossier_id: int, out: Path, as_json: bool) -> None:
    """Write the dossier's transcripts and coding as a REFI-QDA project (.qdpx).

    Transcripts still coded blind have no selections; the words of participants who withdrew
    consent are blanked out (same length, so every offset stays)."""
    _export(dossier_id, out, as_json, "qdpx")


@click.command("export-qdc")
@dossier_option
@out_option
@json_option
def export_qdc(dossier_id: int, out: Path, as_json: bool) -> None:
    """Write the dossier's codebook as a REFI-QDA codebook (.qdc)."""
    _export(dossier_id, out, as_json, "qdc")


def _import(dossier_id: int, path: Path, as_json: bool, kind: str) -> None:
    setup_django()
    require_migrated()
    from kansenaudit.web.coding import refi

    dossier = _dossier(dossier_id)
    data = path.read_bytes()
    with refused_as_click():
        if kind == "qdpx":
            report = refi.import_qdpx(dossier=dossier, actor=None, data=data, file_name=path.name)
        else:
            report = refi.import_qdc(dossier=dossier, actor=None, data=data, file_name=path.name)
    result = report.as_dict()

    def text() -> str:
        lines = [
            f"{part}: {v['created']} nieuw, {v['existing']} al aanwezig"
            for part, v in result.items()
            if part != "issues"
        ]
        lines += [f"let op – {i['element']}: {i['message']}" for i in report.issues]
        return "\n".join(lines)

    emit({"dossier": dossier_id, "file": str(path), **result}, as_json, text)


file_argument = click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))


@click.command("import-qdpx")
@dossier_option
@file_argument
@click.option(
    "--sources",
    is_flag=True,
    help="Deprecated, no effect: new sources are always imported, pseudonymised like uploads.",
)
@json_option
def import_qdpx(dossier_id: int, path: Path, sources: bool, as_json: bool) -> None:
    """Import a REFI-QDA project: codes, sources, coded selections, memos.

    New sources are pseudonymised and put up for review like uploaded transcripts, and their
    coded selections are moved onto the same words. All or nothing; what is already here (by
    GUID) is left as it is; everything not imported is listed by element."""
    _import(dossier_id, path, as_json, "qdpx")


@click.command("import-qdc")
@dossier_option
@file_argument
@json_option
def import_qdc(dossier_id: int, path: Path, as_json: bool) -> None:
    """Import a REFI-QDA codebook (.qdc): codes with their hierarchy and colours."""
    _import(dossier_id, path, as_json, "qdc")


@click.command("mirror")
@dossier_option
@click.option("--measure", "measure_id", type=int, help="Only this measure (its id).")
@click.option(
    "--start",
    is_flag=True,
    help="First add the rows of the policy theory of the measure(s) that are not in it yet.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.xlsx (summary per measure and the rows) or FILE.csv (the rows).",
)
@json_option
def mirror(
    dossier_id: int, measure_id: int | None, start: bool, out: Path | None, as_json: bool
) -> None:
    """The mirror of practice against policy theory (§4.2.5): per measure the consensus
    verdicts on the steps and assumed links of its policy theory; the rows to a file."""
    if out is not None and out.suffix.lower() not in (".xlsx", ".csv"):
        raise click.ClickException(f"{out}: kies een bestandsnaam op .xlsx of .csv")
    setup_django()
    require_migrated()
    from kansenaudit.reporting.tables import Table, csv_text, xlsx_bytes
    from kansenaudit.web.coding import mirror_selectors, mirror_services
    from kansenaudit.web.core.services import audit_record

    dossier = _dossier(dossier_id)
    measures = mirror_selectors.mirror_measures(dossier)
    if measure_id is not None:
        measure = mirror_selectors.measure_in_dossier(dossier, measure_id)
        if measure is None:
            raise click.ClickException(f"maatregel {measure_id} staat niet in dossier {dossier_id}")
        measures = [measure]
    if start:
        with refused_as_click(""):
            for m in measures:
                if measure_id is None and not m.theory_steps.exists():
                    continue  # a selected measure without a policy theory has no rows yet
                mirror_services.mirror_start(dossier=dossier, measure=m, actor=None)
    table = mirror_selectors.mirror_table(dossier, measures)
    rows = list(table.rows)
    summaries = [
        s for s in mirror_selectors.summary(dossier) if s.measure.pk in {m.pk for m in measures}
    ]
    payload: dict[str, object] = {
        "dossier": dossier_id,
        "rows": len(rows),
        "measures": [
            {
                "id": s.measure.pk,
                "name": s.measure.name,
                "selected": s.selected,
                "rows": s.rows,
                "verdicts": dict(
                    zip([str(v.value) for v in mirror_selectors.VERDICTS], s.verdicts, strict=True)
                ),
                "without_consensus": s.open,
                "signed_off": s.signed_off,
            }
            for s in summaries
        ],
        "notice": _notice(dossier),
    }
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        whole = Table(table.name, table.columns, rows)
        if out.suffix.lower() == ".csv":
            out.write_text(csv_text(whole, notice=_notice(dossier)), encoding="utf-8")
        else:
            tables = [mirror_selectors.summary_table(dossier), whole]
            out.write_bytes(xlsx_bytes(tables, notice=_notice(dossier)))
        audit_record(
            actor=None,
            action="coding.exported",
            dossier=dossier,
            summary=f"Export spiegel van de praktijk: {out.name}",
            after={"file": out.name, "rows": len(rows)},
        )
        payload["written"] = str(out)

    def text() -> str:
        names = [mirror_selectors.VERDICT_NL[v] for v in mirror_selectors.VERDICTS]
        lines = [
            f"{s.measure.name}: {s.rows} rijen; "
            + ", ".join(f"{n} {k}" for n, k in zip(s.verdicts, names, strict=True))
            + f"; zonder consensus {s.open}, afgetekend {s.signed_off}"
            for s in summaries
        ]
        if out is not None:
            lines.append(f"{out} ({len(rows)} rijen)")
        return "\n".join(lines) or "geen maatregelen met een beleidstheorie"

    emit(payload, as_json, text)


CODING_COMMANDS: list[click.Command] = [
    mirror,
    agreement,
    export_segments,
    export_qdpx,
    export_qdc,
    import_qdpx,
    import_qdc,
]
