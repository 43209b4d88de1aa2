# SPDX-License-Identifier: EUPL-1.2
"""The HTML report: one self-contained page, charts and maps as inline SVG, no scripts."""

from __future__ import annotations

import datetime as dt
import math

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
from kansenaudit.staat.report.numbers import code_version
from kansenaudit.staat.secondary import SECONDARY
from kansenaudit.staat.summary import domain_summaries

# The legend of the stacking map: the five classes of the z-score composite (fifths of areas).
STACKING_CLASSES = (
    "klasse 1 (minste achterstand)",
    "klasse 2",
    "klasse 3",
    "klasse 4",
    "klasse 5 (meeste achterstand)",
)


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
