# SPDX-License-Identifier: EUPL-1.2
"""Write the *Staat van kansengelijkheid*: HTML report, CSV and XLSX tables, ``numbers.json``.

Everything the report shows comes from the :class:`StaatResult` tables, and ``numbers.json``
holds every number with its interval, n, suppression reason and provenance (source file,
release, retrieval date, code version, parameters), so a reader can trace any figure in the
report back to a line in a published file. The HTML has no scripts and loads nothing from the
internet: charts and maps are inline SVG.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from importlib import metadata
from pathlib import Path

import polars as pl
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from kansenaudit.data.catalogue import DOMAINS, CatalogueIndicator, by_key
from kansenaudit.reporting.formatting import (
    format_date,
    format_datetime,
    format_figure,
    format_number,
    format_percent,
)
from kansenaudit.reporting.svgchart import Series, render_line_chart, render_ranking_chart
from kansenaudit.reporting.svgmap import MapFeature, render_choropleth_svg
from kansenaudit.staat.compute import NOT_INTERVAL
from kansenaudit.staat.model import CITY_LEVELS, LEVEL_ORDER, StaatResult
from kansenaudit.staat.secondary import SECONDARY
from kansenaudit.staat.summary import domain_summaries

REPORT_NAME = "staat-van-kansengelijkheid.html"
# The legend of the stacking map: the five classes of the z-score composite (fifths of areas).
STACKING_CLASSES = (
    "klasse 1 (minste achterstand)",
    "klasse 2",
    "klasse 3",
    "klasse 4",
    "klasse 5 (meeste achterstand)",
)


def code_version() -> str:
    try:
        return metadata.version("kansenaudit")
    except metadata.PackageNotFoundError:  # running from a checkout without install
        return "onbekend"


def _clean(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _fmt(value: object, unit: str = "") -> str:
    """A figure as a Dutch reader writes it (decimals by size, no exponent), '%' for shares.

    >>> _fmt(12.345, "%"), _fmt(22869.0), _fmt(None), _fmt(-1.7e-05)
    ('12,3\xa0%', '22.869', '–', '> −0,001')
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    text = format_figure(float(value))  # type: ignore[arg-type]
    return f"{text}\u00a0%" if unit == "%" else text


def _pct(value: object) -> str:
    """A fraction as a whole percentage: 0.253 → '25 %'.

    >>> _pct(0.253), _pct(None)
    ('25\xa0%', '–')
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return format_percent(float(value) * 100, decimals=0)  # type: ignore[arg-type]


def _moment(value: object) -> str:
    """An ISO time stamp (retrieval of a source) in the one date-time style, in UTC.

    >>> _moment("2026-12-07T23:11:49+00:00"), _moment(""), _moment("gisteren")
    ('7 december 2026 23:11 UTC', '–', 'gisteren')
    """
    if not value:
        return "–"
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return format_datetime(moment) + (" UTC" if moment.tzinfo is not None else "")


def _num(value: object) -> str:
    """A count or a parameter in text: '1.234', '0,05'."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return format_number(value)  # type: ignore[arg-type]


# --- numbers.json -------------------------------------------------------------------------


def _provenance(result: StaatResult) -> dict[str, list[dict]]:
    """Per indicator: the source files its values came from (file, release, retrieval)."""
    by_file = {record.path.rsplit("/", 1)[-1]: record for record in result.inputs.sources}
    out: dict[str, list[dict]] = {}
    pairs = result.values.select("indicator", "source_file", "release").unique()
    for key, source_file, release in pairs.iter_rows():
        record = by_file.get(source_file)
        out.setdefault(key, []).append(
            {
                "source_file": source_file,
                "release": release,
                "retrieved_at": record.retrieved_at if record else "",
                "sha256": record.sha256 if record else "",
            }
        )
    return out


def _rows(frame: pl.DataFrame) -> list[dict]:
    return frame.to_dicts() if not frame.is_empty() else []


def build_numbers(result: StaatResult) -> list[dict]:
    """Every number of the run as a flat record (see docs/staat.md for the fields)."""
    provenance = _provenance(result)
    numbers: list[dict] = []

    def add(measure: str, row: dict, value: object, **extra: object) -> None:
        key = row.get("indicator", "")
        record = {
            "measure": measure,
            "indicator": key,
            "area_code": row.get("area_code"),
            "area_level": row.get("area_level"),
            "group": row.get("group", "totaal"),
            "period": row.get("period", row.get("year")),
            "value": _clean(value),
            **{k: _clean(v) for k, v in extra.items()},
        }
        record["provenance"] = provenance.get(key, [])
        numbers.append(record)

    for row in _rows(result.values):
        add(
            "waarde",
            row,
            row["value"],
            n=row["n"],
            suppressed=row["suppressed"],
            source_file=row["source_file"],
            source_row=row["row"],
            flags=row["flags"],
        )
    for row in _rows(result.gaps):
        add(
            "verschil_met_stad",
            row,
            row["difference"],
            low=row["difference_low"],
            high=row["difference_high"],
            n=row["n"],
            method=row["method"],
        )
        add(
            "verhouding_met_stad",
            row,
            row["ratio"],
            low=row["ratio_low"],
            high=row["ratio_high"],
            n=row["n"],
            method=row["method"],
        )
    for row in _rows(result.group_gaps):
        add(
            "verschil_groep_met_totaal",
            row,
            row["difference"],
            low=row["difference_low"],
            high=row["difference_high"],
            n=row["n"],
            method=row["method"],
        )
    for row in _rows(result.inequality):
        common = {
            "n": row["areas"],
            "weighted": row["weighted"],
            "weight_basis": row.get("weight_basis"),
            "scale": row.get("scale"),
            "side": row.get("side") or None,
        }
        if row.get("scale") == "interval":
            add(
                "standaardafwijking",
                row,
                row["sd"],
                low=row["sd_low"],
                high=row["sd_high"],
                **common,
            )
            add("interkwartielafstand", row, row["iqr"], **common)
            add("p90_min_p10", row, row["p90_p10"], **common)
            continue
        if row["gini"] is None:
            add("niet_berekend", row, None, reason=row.get("not_computed"), **common)
            continue
        for measure in ("gini", "theil"):
            add(
                measure,
                row,
                row[measure],
                low=row[f"{measure}_low"],
                high=row[f"{measure}_high"],
                **common,
            )
        add("mld", row, row["mld"], **common)
        add("atkinson", row, row["atkinson"], epsilon=result.parameters.atkinson_epsilon, **common)
    for row in _rows(result.decomposition):
        measure = row.get("measure", "theil")
        add(
            f"{measure}_aandeel_tussen_stadsdelen",
            row,
            row["between_share"],
            low=row["between_share_low"],
            high=row["between_share_high"],
            between=row["between"],
            within=row["within"],
            chance_mean=row.get("chance_share_mean"),
            chance_p95=row.get("chance_share_p95"),
            chance_p_value=row.get("chance_p_value"),
        )
    for row in _rows(result.changes):
        add(
            "verandering_sinds_basisjaar",
            row,
            row["change"],
            low=row["change_low"],
            high=row["change_high"],
            base_year=row["base_year"],
            p_value=row["p_value"],
            p_adjusted=row["p_adjusted"],
            significant=row["significant"],
            gap_change=row["gap_change"],
            note=row["note"],
            method=row["method"],
        )
    for row in _rows(result.trends):
        add(
            "trend_per_jaar",
            row,
            row["slope_per_year"],
            se=row["slope_se"],
            p_value=row["p_value"],
            p_adjusted=row.get("p_adjusted"),
            significant=row.get("significant"),
            years_used=row["years_used"],
            window=row["window"],
        )
    for row in _rows(result.projections):
        add(
            "projectie",
            row,
            row["fit"],
            low=row["lower"],
            high=row["upper"],
            label=row["label"],
            clipped=row["clipped"],
        )
    for row in _rows(result.targets):
        add(
            "afstand_tot_doel",
            row,
            row["gap_to_target"],
            target=row["target_value"],
            target_year=row["target_year"],
            required_change_per_year=row["required_change_per_year"],
            status=row["status"],
        )
    for row in _rows(result.stacking):
        # Stacking combines indicators: it carries their keys and their sources together.
        keys = [k.strip() for k in (row.get("indicators") or "").split(",") if k.strip()]
        combined = [p for key in keys for p in provenance.get(key, [])]
        base = {**row, "indicator": "stapeling"}
        for measure, value, extra in (
            (
                "stapeling_zscore",
                row["zscore_score"],
                {
                    "rank": row["zscore_rank"],
                    "class": row["zscore_class"],
                    "class_min": row["class_min"],
                    "class_max": row["class_max"],
                },
            ),
            (
                "stapeling_imd",
                row["imd_score"],
                {"rank": row["imd_rank"], "class": row["imd_class"]},
            ),
            ("stapeling_telling", row["count_unfavourable"], {"n": row["indicators_available"]}),
        ):
            add(measure, base, value, indicators=keys, **extra)
            numbers[-1]["provenance"] = combined
    return numbers


def _source_date() -> str | None:
    """The SOURCE_DATE_EPOCH convention of reproducible builds, else no date at all."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).isoformat()


def write_numbers(result: StaatResult, path: Path) -> int:
    inputs = result.inputs
    payload = {
        "title": f"Staat van kansengelijkheid — {inputs.city_name}",
        # No wall-clock time: the same inputs and seed give a byte-identical file. The date of
        # the data is in ``sources`` (retrieved_at); SOURCE_DATE_EPOCH may pin a date.
        "generated_at": _source_date(),
        "code_version": code_version(),
        "city": {"code": inputs.city_code, "name": inputs.city_name},
        "is_demo": inputs.is_demo,
        "label": inputs.label,
        "parameters": result.parameters.as_dict(),
        "sources": [record.as_dict() for record in inputs.sources],
        "notes": inputs.notes,
        "warnings": result.warnings,
        "issues": [issue.as_dict() for issue in inputs.issues],
        "numbers": build_numbers(result),
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, allow_nan=False), encoding="utf-8")
    return len(payload["numbers"])


# --- tables -------------------------------------------------------------------------------


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    return frame.with_columns(pl.col(name).list.join(";") for name in lists)


def write_tables(result: StaatResult, folder: Path) -> list[Path]:
    """Every result table as CSV and all of them as sheets of one XLSX (one writer for both).

    The files follow the project's export convention (:mod:`kansenaudit.reporting.tables`):
    semicolons, UTF-8 with BOM, text guarded against formulas, the demo label first.
    """
    from kansenaudit.reporting.tables import Table, csv_text, xlsx_bytes

    folder.mkdir(parents=True, exist_ok=True)
    notice = result.inputs.label if result.inputs.is_demo else None
    written = []
    sheets = []
    for name, frame in result.tables().items():
        if frame.is_empty():
            continue
        flat = _flat(frame)
        table = Table(name, flat.columns, list(flat.iter_rows()))
        path = folder / f"{name}.csv"
        path.write_text(csv_text(table, notice=notice), encoding="utf-8", newline="")
        written.append(path)
        sheets.append(table)
    xlsx = folder / "tabellen.xlsx"
    xlsx.write_bytes(xlsx_bytes(sheets, notice=notice))
    written.append(xlsx)
    return written


# --- HTML ---------------------------------------------------------------------------------


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("kansenaudit.staat", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = _fmt
    env.filters["pct"] = _pct
    env.filters["num"] = _num
    env.filters["moment"] = _moment
    return env


def _main_level(values: pl.DataFrame, key: str) -> str | None:
    levels = set(
        values.filter((pl.col("indicator") == key) & pl.col("value").is_not_null())["area_level"]
    )
    candidates = [lvl for lvl in LEVEL_ORDER if lvl in levels and lvl not in CITY_LEVELS]
    # The finest level with at most 60 areas reads well in a ranking.
    for level in reversed(candidates):
        count = values.filter((pl.col("indicator") == key) & (pl.col("area_level") == level))[
            "area_code"
        ].n_unique()
        if count <= 60:
            return level
    return candidates[0] if candidates else None


def _indicator_section(result: StaatResult, ind: CatalogueIndicator) -> dict | None:
    values = result.values.filter((pl.col("indicator") == ind.key) & (pl.col("group") == "totaal"))
    if values.is_empty() or ind.kind == "count":
        return None
    shown = values.filter(pl.col("value").is_not_null())
    if shown.is_empty():
        return None
    city = shown.filter(pl.col("area_level").is_in(CITY_LEVELS)).sort("period")
    level = _main_level(values, ind.key)
    section: dict = {"indicator": ind, "level": level, "charts": [], "tables": []}
    latest = int(shown["period"].max())
    section["latest"] = latest
    # Trend of the city with its projection.
    projections = (
        result.projections.filter(pl.col("indicator") == ind.key)
        if not result.projections.is_empty()
        else pl.DataFrame()
    )
    series = [Series("stad", city["period"].to_list(), city["value"].to_list())]
    if not projections.is_empty():
        series.append(
            Series(
                "voortzetting van de trend",
                projections["year"].to_list(),
                projections["fit"].to_list(),
                projections["lower"].to_list(),
                projections["upper"].to_list(),
                dashed=True,
            )
        )
    if city.height:
        section["trend_svg"] = Markup(  # noqa: S704 - escaped by the renderer
            render_line_chart(
                series,
                title=f"{ind.name}: stad en voortzetting van de trend",
                description=(
                    f"{ind.name} in {result.inputs.city_name} per jaar "
                    f"({int(city['period'].min())}–{int(city['period'].max())}), met een "
                    "gestreepte voortzetting van de trend en het voorspellingsinterval."
                ),
                unit=ind.unit,
            )
        )
        section["city_rows"] = list(zip(city["period"], city["value"], strict=True))
        section["projection_rows"] = projections.select("year", "fit", "lower", "upper").rows()
        section["projection_clipped"] = (
            bool(projections["clipped"].any()) if projections.height else False
        )
        section["projection_points"] = (
            int(projections["years_used"][0]) if projections.height else 0
        )
    if level is not None:
        at_level = values.filter(
            (pl.col("area_level") == level) & (pl.col("period") == latest)
        ).sort("value", descending=ind.polarity == -1, nulls_last=True)
        if at_level.is_empty():
            year_rows = values.filter(pl.col("area_level") == level)
            latest_level = int(year_rows["period"].max()) if year_rows.height else latest
            at_level = values.filter(
                (pl.col("area_level") == level) & (pl.col("period") == latest_level)
            ).sort("value", descending=ind.polarity == -1, nulls_last=True)
        gaps = (
            result.gaps.filter(
                (pl.col("indicator") == ind.key)
                & (pl.col("area_level") == level)
                & (pl.col("group") == "totaal")
            )
            if not result.gaps.is_empty()
            else pl.DataFrame()
        )
        intervals = {}
        if not gaps.is_empty():
            for row in gaps.iter_rows(named=True):
                intervals[(row["area_code"], row["period"])] = (
                    row["city_value"] + row["difference_low"]
                    if row["difference_low"] is not None
                    else None,
                    row["city_value"] + row["difference_high"]
                    if row["difference_high"] is not None
                    else None,
                )
        year = int(at_level["period"].max()) if at_level.height else latest
        city_value = city.filter(pl.col("period") == year)["value"]
        reference = float(city_value[0]) if city_value.len() else None
        ranking = []
        table = []
        for row in at_level.iter_rows(named=True):
            low, high = intervals.get((row["area_code"], row["period"]), (None, None))
            table.append((row["area_name"], row["value"], low, high, row["suppressed"]))
            if row["value"] is not None:
                ranking.append((row["area_name"], row["value"], low, high))
        section["year"] = year
        section["ranking_rows"] = table
        section["ranking_svg"] = Markup(  # noqa: S704
            render_ranking_chart(
                ranking,
                title=f"{ind.name} per {level}, {year}",
                description=(
                    f"{ind.name} per {level} in {year}, gesorteerd van ongunstig naar gunstig, "
                    "met 95%-intervallen waar het aantal waarnemingen bekend is; de "
                    "gestreepte lijn is de stad."
                ),
                reference=reference,
            )
        )
        section["map_svg"] = _map(result, ind, year)
    return section


def _map(result: StaatResult, ind: CatalogueIndicator, year: int) -> Markup | None:
    areas = result.inputs.areas
    values = result.values.filter(
        (pl.col("indicator") == ind.key)
        & (pl.col("group") == "totaal")
        & (pl.col("period") == year)
    )
    for level in reversed(LEVEL_ORDER):
        rows = values.filter(pl.col("area_level") == level)
        features = []
        for row in rows.iter_rows(named=True):
            area = areas.get(row["area_code"])
            if area is None or area.geometry is None:
                continue
            label = (
                _fmt(row["value"], ind.unit)
                if row["value"] is not None
                else f"niet getoond ({row['suppressed']})"
            )
            features.append(
                MapFeature(row["area_code"], area.name, area.geometry, row["value"], label)
            )
        if len(features) >= 3:
            return Markup(  # noqa: S704 - render_choropleth_svg escapes all text
                render_choropleth_svg(
                    features,
                    title=f"Kaart: {ind.name} per {level}, {year}",
                    reverse=ind.polarity == 1,
                    missing_label="onbekend of niet getoond (te weinig waarnemingen)",
                )
            )
    return None


def _stacking_map(result: StaatResult) -> Markup | None:
    if result.stacking.is_empty():
        return None
    features = []
    for row in result.stacking.iter_rows(named=True):
        area = result.inputs.areas.get(row["area_code"])
        if area is None or area.geometry is None:
            continue
        features.append(
            MapFeature(
                row["area_code"],
                area.name,
                area.geometry,
                float(row["zscore_class"]) if row["zscore_class"] else None,
                f"klasse {row['zscore_class']} ({row['class_min']}–{row['class_max']})",
            )
        )
    if len(features) < 3:
        return None
    # The classes are drawn as classes (1-5, one colour each), never re-binned into quantiles.
    return Markup(  # noqa: S704
        render_choropleth_svg(
            features,
            title=(
                "Stapeling van achterstanden (z-score-samenstelling, klasse 5 = meest; tussen "
                "haakjes het bereik van de klasse bij andere keuzes)"
            ),
            missing_label="geen score",
            classes=STACKING_CLASSES,
        )
    )


def render_html(result: StaatResult) -> str:
    catalogue = by_key(result.inputs.catalogue)
    sections_by_domain = []
    for domain, label in DOMAINS.items():
        sections = [
            section
            for ind in result.inputs.catalogue
            if ind.domain == domain and (section := _indicator_section(result, ind))
        ]
        if sections:
            sections_by_domain.append((label, sections))
    inequality_latest = []
    dispersion_latest = []
    not_computed = []
    if not result.inequality.is_empty():
        latest = (
            result.inequality.sort("period")
            .group_by(["indicator", "area_level"], maintain_order=True)
            .last()
        )
        for row in latest.sort("indicator", "area_level").iter_rows(named=True):
            share = None
            if not result.decomposition.is_empty():
                match = result.decomposition.filter(
                    (pl.col("indicator") == row["indicator"])
                    & (pl.col("area_level") == row["area_level"])
                    & (pl.col("period") == row["period"])
                )
                if match.height:
                    share = match.row(0, named=True)
            item = (catalogue[row["indicator"]], row, share)
            if row["scale"] == "interval":
                dispersion_latest.append(item)
            elif row["gini"] is not None:
                inequality_latest.append(item)
            else:
                not_computed.append(item)
    changes = []
    if not result.changes.is_empty():
        city_changes = result.changes.filter(
            pl.col("area_level").is_in(CITY_LEVELS) & (pl.col("group") == "totaal")
        )
        for row in city_changes.sort("indicator").iter_rows(named=True):
            areas = result.changes.filter(
                (pl.col("indicator") == row["indicator"])
                & ~pl.col("area_level").is_in(CITY_LEVELS)
                & (pl.col("group") == "totaal")
            )
            counts = areas["gap_change"].value_counts() if areas.height else pl.DataFrame()
            summary = {r[0]: r[1] for r in counts.iter_rows()} if counts.height else {}
            changes.append(
                (
                    catalogue[row["indicator"]],
                    row,
                    summary,
                    int(areas["significant"].sum()) if areas.height else 0,
                )
            )
    stacking_rows = result.stacking.head(15).to_dicts() if not result.stacking.is_empty() else []
    template = _environment().get_template("staat.html")
    return template.render(
        inputs=result.inputs,
        parameters=result.parameters,
        result=result,
        sections_by_domain=sections_by_domain,
        inequality_latest=inequality_latest,
        dispersion_latest=dispersion_latest,
        not_computed=not_computed,
        not_interval=NOT_INTERVAL,
        changes=changes,
        stacking_rows=stacking_rows,
        stacking_map=_stacking_map(result),
        sensitivity=result.stacking_sensitivity.to_dicts()[:12]
        if not result.stacking_sensitivity.is_empty()
        else [],
        version=code_version(),
        generated=format_date(dt.date.today()),
        suppressed=result.values.filter(
            pl.col("suppressed").is_not_null() & ~pl.col("suppressed").is_in(["missing", SECONDARY])
        ).height,
        summaries=domain_summaries(
            result,
            {ind.key: _main_level(result.values, ind.key) for ind in result.inputs.catalogue},
        ),
        suppressed_secondary=result.values.filter(pl.col("suppressed") == SECONDARY).height,
        without_base=result.values.filter(
            pl.col("value").is_not_null()
            & pl.col("n").is_null()
            & pl.col("denominator").is_null()
            & (pl.col("unit") != "aantal")
        ).height,
        changes_other_window=[
            (ind.name, row["base_year"], row["year"])
            for ind, row, _summary, _significant in changes
            if row["base_year"] != result.parameters.baseline_year
            or row["year"] <= result.parameters.baseline_year
        ],
    )


def write_report(result: StaatResult, out: Path) -> dict[str, object]:
    """Write everything into ``out``; return what was written (paths and counts)."""
    out.mkdir(parents=True, exist_ok=True)
    html = out / REPORT_NAME
    html.write_text(render_html(result), encoding="utf-8")
    tables = write_tables(result, out / "tabellen")
    count = write_numbers(result, out / "numbers.json")
    return {
        "report": str(html),
        "numbers": str(out / "numbers.json"),
        "number_count": count,
        "tables": [str(path) for path in tables],
    }
