# SPDX-License-Identifier: EUPL-1.2
"""``kansenaudit data pull`` and ``kansenaudit staat``: published data in, the report out.

Neither command needs the database: they work on files, so an analyst can run them anywhere.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kansenaudit.cli.output import emit, json_option
from kansenaudit.config import data_dir, env_str


def _mirror(mirror: Path | None) -> Path | None:
    if mirror is not None:
        return mirror
    configured = env_str("KANSENAUDIT_SOURCE_MIRROR")
    return Path(configured) if configured else None


@click.group()
def data() -> None:
    """Published source data: download, verify and cache."""


@data.command("pull")
@click.argument("city", type=click.Choice(["amsterdam"]))
@click.option(
    "--mirror",
    type=click.Path(file_okay=False, path_type=Path),
    help="Take the files from this local folder instead of the internet.",
)
@json_option
def data_pull(city: str, mirror: Path | None, as_json: bool) -> None:
    """Download the newest releases of CITY's sources, verify and cache them.

    Files land in the data folder under sources/CITY with a manifest (origin, SHA-256,
    release, retrieval date). With --mirror (or KANSENAUDIT_SOURCE_MIRROR) nothing is
    downloaded.
    """
    from kansenaudit.data.pull import CITY_SOURCES, PullError, pull

    specs = CITY_SOURCES[city]
    try:
        with click.progressbar(length=len(specs), label="Bronnen ophalen", file=sys.stderr) as bar:
            result = pull(
                city, cache_dir=data_dir(), mirror=_mirror(mirror), progress=lambda _: bar.update(1)
            )
    except PullError as exc:
        raise click.ClickException(str(exc)) from exc
    payload = {
        "city": city,
        "folder": str(result.folder),
        "files": [item.as_dict() for item in result.files],
        "skipped": result.skipped,
        "messages": result.messages,
    }

    def text() -> str:
        lines = [f"{len(result.files)} bestanden in {result.folder}:"]
        lines += [
            f"  {item.key:<15} {Path(item.path).name}  (uitgave {item.release or '?'}, "
            f"sha256 {item.sha256[:12]}…)"
            for item in result.files
        ]
        lines += [f"  overgeslagen: {message}" for message in result.messages]
        return "\n".join(lines)

    emit(payload, as_json, text)


def _parse_target(text: str) -> tuple[str, float, int]:
    try:
        key, rest = text.split("=", 1)
        value, year = rest.split(":", 1)
        return key.strip(), float(value), int(year)
    except ValueError as exc:
        raise click.BadParameter(f"{text!r}: schrijf een doel als INDICATOR=WAARDE:JAAR") from exc


@click.command("staat")
@click.option("--city", type=click.Choice(["amsterdam"]), help="Run on a city's published data.")
@click.option("--demo", is_flag=True, help="Run on the fictional demo city Voorbeeldstad.")
@click.option(
    "--mirror",
    type=click.Path(file_okay=False, path_type=Path),
    help="Take the source files from this local folder (offline).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the report, tables and numbers.json.",
)
@click.option(
    "--cached",
    is_flag=True,
    help="Use the files already in the cache (from an earlier data pull); fetch nothing.",
)
@click.option("--baseline", default=2019, show_default=True, help="Baseline year.")
@click.option("--horizon", default=2030, show_default=True, help="Last year of projections.")
@click.option("--bootstrap", "n_boot", default=499, show_default=True, help="Bootstrap replicates.")
@click.option("--seed", default=2019, show_default=True, help="Random seed (reproducible).")
@click.option(
    "--target",
    "targets",
    multiple=True,
    help="A target as INDICATOR=VALUE:YEAR, e.g. bijstand=5:2030 (repeatable).",
)
@json_option
def staat(
    city: str | None,
    demo: bool,
    mirror: Path | None,
    out: Path,
    cached: bool,
    baseline: int,
    horizon: int,
    n_boot: int,
    seed: int,
    targets: tuple[str, ...],
    as_json: bool,
) -> None:
    """Build the Staat van kansengelijkheid in one run.

    Writes an HTML report in Dutch with charts and maps that work offline, every table as CSV
    and XLSX, and numbers.json with every number, its interval, n, suppression and provenance.
    """
    from kansenaudit.data.pull import PullError, pull
    from kansenaudit.data.tidy import SourceFormatError
    from kansenaudit.staat.compute import STEPS, compute_state
    from kansenaudit.staat.model import StaatParameters
    from kansenaudit.staat.report import write_report

    if demo == bool(city):
        raise click.UsageError("Kies precies één van --city of --demo.")
    if 0 < n_boot < 10 or n_boot < 0:
        raise click.BadParameter(
            "0 (geen intervallen) of minstens 10 trekkingen", param_hint="--bootstrap"
        )
    parameters = StaatParameters(
        baseline_year=baseline,
        horizon_year=horizon,
        n_boot=n_boot,
        seed=seed,
        targets=tuple(_parse_target(t) for t in targets),
    )
    err = sys.stderr
    with click.progressbar(length=len(STEPS) + 3, label="Staat berekenen", file=err) as bar:
        try:
            if demo:
                from kansenaudit.staat.inputs_demo import inputs_from_demo

                inputs = inputs_from_demo(seed)
            else:
                from kansenaudit.staat.inputs_city import inputs_from_sources

                if cached:
                    from kansenaudit.data.pull import cached_files

                    files = cached_files(data_dir() / "sources" / (city or ""))
                    if not files:
                        raise PullError(
                            "geen bestanden in de cache: draai eerst `kansenaudit data pull`"
                        )
                else:
                    files = pull(city or "", cache_dir=data_dir(), mirror=_mirror(mirror)).files
                inputs = inputs_from_sources(files)
        except (PullError, SourceFormatError) as exc:
            raise click.ClickException(str(exc)) from exc
        bar.update(2)
        unknown = [
            key
            for key, _, _ in parameters.targets
            if key not in {ind.key for ind in inputs.catalogue}
        ]
        if unknown:
            raise click.BadParameter(
                f"onbekende indicator(en): {', '.join(unknown)}", param_hint="--target"
            )
        result = compute_state(inputs, parameters, progress=lambda _: bar.update(1))
        written = write_report(result, out)
        bar.update(1)
    payload = {
        **written,
        "city": inputs.city_name,
        "is_demo": inputs.is_demo,
        "warnings": result.warnings,
        "issues": len(inputs.issues),
        "timings_seconds": {k: round(v, 3) for k, v in result.timings.items()},
    }

    def text() -> str:
        lines = [
            f"Staat van kansengelijkheid voor {inputs.city_name}"
            + (" (fictieve demodata)" if inputs.is_demo else ""),
            f"  rapport:  {written['report']}",
            f"  getallen: {written['numbers']} ({written['number_count']} getallen)",
            f"  tabellen: {Path(written['tables'][0]).parent}",
        ]
        if inputs.issues:
            lines.append(f"  {len(inputs.issues)} meldingen bij het inlezen (zie numbers.json)")
        return "\n".join(lines)

    emit(payload, as_json, text)
