# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit network …`: network maps of actors and their flows.

The commands call the same services and selectors as the web pages: an import is all or
nothing with the same Dutch errors, the exports are the same files, and metrics and checks are
computed by :mod:`kansenaudit.network` on the same data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kansenaudit.cli.output import emit, json_option, refused_as_click
from kansenaudit.cli.runtime import require_migrated, setup_django

MAX_IMPORT_FILE = 10 * 1024 * 1024
FORMAT_BY_SUFFIX = {
    ".gexf": "gexf",
    ".graphml": "graphml",
    ".json": "kumu",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".svg": "svg",
    ".png": "png",
}

dossier_option = click.option(
    "--dossier", "dossier_id", required=True, type=int, help="Dossier id."
)
measure_option = click.option(
    "--measure",
    "measure_id",
    type=int,
    default=None,
    help="Measure id: the measure's map instead of the organisation map.",
)
version_option = click.option(
    "--version", "version", default=None, help="Version of the map (default: the newest)."
)


@click.group()
def network() -> None:
    """Network maps: import, export, metrics and audit checks."""


def _dossier(dossier_id: int) -> object:
    from kansenaudit.web.dossiers.selectors import DossierNotFound, operator_dossier

    try:
        return operator_dossier(dossier_id=dossier_id)
    except DossierNotFound as exc:
        raise click.ClickException(f"dossier {dossier_id} bestaat niet") from exc


def _map(dossier_id: int, measure_id: int | None, version: str | None) -> Any:
    from kansenaudit.web.network import selectors

    dossier = _dossier(dossier_id)
    item = selectors.pick_map(dossier, measure_id=measure_id, version=version)
    if item is None:
        what = f"maatregel {measure_id}" if measure_id else "de organisatie"
        suffix = f" met versie {version}" if version else ""
        raise click.ClickException(
            f"dossier {dossier_id} heeft geen netwerkkaart van {what}{suffix}"
        )
    return item


def _notice(item: object) -> str | None:
    from kansenaudit.web.dossiers.selectors import DEMO_NOTICE

    return DEMO_NOTICE if getattr(item, "is_demo", False) else None


@network.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@dossier_option
@measure_option
@version_option
@json_option
def import_(
    file: Path, dossier_id: int, measure_id: int | None, version: str | None, as_json: bool
) -> None:
    """Import an edge list (CSV or XLSX: From, To, Type …) or a graph file (GEXF, GraphML)
    into a map, all ties or none.

    Actors are looked up by name in the dossier's register (a graph file's nodes by their
    label); unknown names are listed and nothing is stored. Graph files with a DTD or entities
    are refused and GEXF is validated against its schema. Without a map for --version, that
    version is made first.
    """
    if file.stat().st_size > MAX_IMPORT_FILE:
        raise click.ClickException(f"{file}: groter dan 10 MB")
    setup_django()
    require_migrated()
    from django.db import transaction

    from kansenaudit.web.network import selectors, services

    dossier = _dossier(dossier_id)
    with refused_as_click(f"{file.name}: "), transaction.atomic():
        item = selectors.pick_map(dossier, measure_id=measure_id, version=version)
        created = False
        if item is None:
            if not version:
                raise click.ClickException(
                    "er is nog geen netwerkkaart; geef met --version de versie die gemaakt wordt"
                )
            measure = selectors.measure_in_dossier(dossier, measure_id) if measure_id else None
            if measure_id and measure is None:
                raise click.ClickException(f"maatregel {measure_id} bestaat niet in dit dossier")
            item = services.map_create(
                dossier=dossier, measure=measure, version=version, with_actors=False, actor=None
            )
            created = True
        count = services.ties_import(
            network_map=item, content=file.read_bytes(), file_name=file.name, actor=None
        )
    data = {"map": item.pk, "version": item.version, "created": created, "ties": count}
    emit(data, as_json, lambda: f"{count} relaties ingelezen op netwerkkaart {item}")


@network.command("export")
@dossier_option
@measure_option
@version_option
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.gexf, .graphml, .json (Kumu), .csv, .xlsx, .svg or .png.",
)
@json_option
def export(
    dossier_id: int, measure_id: int | None, version: str | None, out: Path, as_json: bool
) -> None:
    """Write a map as GEXF 1.3, GraphML, Kumu JSON, CSV, XLSX, SVG or PNG (by the file's
    suffix)."""
    fmt = FORMAT_BY_SUFFIX.get(out.suffix.lower())
    if fmt is None:
        raise click.ClickException(
            f"{out}: kies een bestandsnaam op {', '.join(sorted(FORMAT_BY_SUFFIX))}"
        )
    setup_django()
    require_migrated()
    from kansenaudit.web.network import exports

    item = _map(dossier_id, measure_id, version)
    result = exports.export_map(item, fmt)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(result.content)
    except OSError as exc:
        raise click.ClickException(f"{out}: kan niet schrijven ({exc.strerror or exc})") from exc
    data = {
        "map": item.pk,
        "format": fmt,
        "file": str(out),
        "bytes": len(result.content),
        "notice": _notice(item),
    }
    emit(
        data,
        as_json,
        lambda: (
            f"Netwerkkaart {item} geschreven naar {out} ({fmt})"
            + (f"\nLET OP: {data['notice']}" if data["notice"] else "")
        ),
    )


@network.command("metrics")
@dossier_option
@measure_option
@version_option
@json_option
def metrics(dossier_id: int, measure_id: int | None, version: str | None, as_json: bool) -> None:
    """Density, components, reciprocity and per actor degree, betweenness and brokerage."""
    setup_django()
    require_migrated()
    from kansenaudit.network.metrics import compute_metrics
    from kansenaudit.web.network import selectors

    item = _map(dossier_id, measure_id, version)
    result = compute_metrics(selectors.network_data(item))
    data = {"map": item.pk, "name": str(item), **result.as_dict(), "notice": _notice(item)}

    def text() -> str:
        lines = [
            f"Netwerkkaart {item}: {result.actors} actoren, {result.ties} relaties",
            f"dichtheid {result.density:.3f}, {result.components} component(en), "
            f"wederkerigheid {result.reciprocity:.3f}, {len(result.isolates)} geïsoleerd",
        ]
        for a in result.per_actor[:15]:
            lines.append(
                f"  {a.label}: in {a.total_in}, uit {a.total_out}, "
                f"tussenpositie {a.betweenness:.3f}, makelaar {a.brokerage}"
            )
        return "\n".join(lines)

    emit(data, as_json, text)


@network.command("checks")
@dossier_option
@measure_option
@version_option
@json_option
def checks(dossier_id: int, measure_id: int | None, version: str | None, as_json: bool) -> None:
    """The audit checks of a map (docs/methods/network.md) with every finding's stable id."""
    setup_django()
    require_migrated()
    from kansenaudit.network.checks import run_checks
    from kansenaudit.web.network import selectors

    item = _map(dossier_id, measure_id, version)
    findings = run_checks(selectors.network_data(item))
    data = {
        "map": item.pk,
        "name": str(item),
        "findings": [
            {**f.as_dict(), "id": selectors.finding_id(item, f), "rule_id": f.id} for f in findings
        ],
        "notice": _notice(item),
    }
    emit(
        data,
        as_json,
        lambda: "\n".join(
            [f"Netwerkkaart {item}: {len(findings)} bevinding(en)"]
            + [f"  [{selectors.finding_id(item, f)}] {f.message}" for f in findings]
        ),
    )
