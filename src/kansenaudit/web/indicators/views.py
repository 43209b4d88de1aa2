# SPDX-License-Identifier: EUPL-1.2
"""The statistics section of a dossier: the state of opportunity in the dossier's municipality.

The numbers are the statistics engine's (see :mod:`kansenaudit.web.indicators.selectors`);
these views pick what one page shows and draw it as SVG with a table beside every chart.
"""

from __future__ import annotations

import math
from dataclasses import replace

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kansenaudit.reporting.svgchart import Series, render_line_chart, render_ranking_chart
from kansenaudit.reporting.svgmap import MapFeature, render_choropleth_svg
from kansenaudit.web.areas.models import AreaLevel
from kansenaudit.web.core.downloads import csv_response
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DEMO_NOTICE, DossierAccess
from kansenaudit.web.indicators import exports, selectors
from kansenaudit.web.indicators.exports import reason_label
from kansenaudit.web.indicators.forms import METHOD_CHOICES, StatisticsForm, group_label
from kansenaudit.web.indicators.selectors import StatisticsChoice, StatisticsResult

TEMPLATE = "indicators/statistics.html"
TOP_STACKING = 10


def _digits(unit: str) -> int:
    return 0 if unit in ("euro", "aantal") else 1 if unit == "%" else 2


def _fmt(value: float | None, digits: int) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return number_format(round(value, digits), decimal_pos=digits)


def _with_unit(text: str, unit: str) -> str:
    if unit == "aantal" or text == "–":
        return text
    return f"{text} %" if unit == "%" else f"{text} {unit}"


def _level_label(level: str) -> str:
    return str(AreaLevel(level).label) if level in AreaLevel.values else level


def _svg(markup: str) -> str:
    # Our renderers escape every name and label they write, so the markup is safe to include.
    return mark_safe(markup)


# --- Parts of the page ---------------------------------------------------------------------


def _map_and_ranking(result: StatisticsResult, choice: StatisticsChoice, title: str) -> dict:
    indicator = result.catalogue[choice.indicator]
    digits, unit = _digits(indicator.unit), indicator.unit
    rows = selectors.area_values(result, choice)
    city = selectors.city_value(result, choice)
    for row in rows:
        row["label"] = (
            _with_unit(_fmt(row["value"], digits), unit)
            if row["value"] is not None
            else reason_label(row["reason"])
        )
        row["interval"] = (
            f"{_fmt(row['low'], digits)} – {_fmt(row['high'], digits)}"
            if row["low"] is not None
            else ""
        )
    features = [
        MapFeature(r["code"], r["name"], r["geometry"], r["value"], r["label"])
        for r in rows
        if r["geometry"]
    ]
    # The renderer needs at least one value for its legend; without any there is no map.
    map_svg = (
        render_choropleth_svg(
            features,
            title=title,
            reverse=indicator.polarity == 1,
            missing_label=_("unknown or suppressed (too few cases)"),
        )
        if any(f.value is not None for f in features)
        else ""
    )
    shown = [r for r in rows if r["value"] is not None]
    # Least favourable first; for a neutral indicator, highest first.
    shown.sort(key=lambda r: r["value"], reverse=indicator.polarity != 1)
    for rank, row in enumerate(shown, start=1):
        row["rank"] = rank
    withheld = [r for r in rows if r["value"] is None]
    city_name = result.inputs.city_name or _("city")
    ranking_svg = render_ranking_chart(
        [(r["name"], r["value"], r["low"], r["high"]) for r in shown],
        title=_("Ranking: %(title)s") % {"title": title},
        description=_(
            "%(count)s areas, least favourable first; lines are 95%% intervals where the "
            "number of cases is known; the dashed line is the value of %(city)s."
        )
        % {"count": len(shown), "city": city_name},
        reference=city,
        reference_label=city_name,
    )
    return {
        "map_svg": _svg(map_svg),
        "ranking_svg": _svg(ranking_svg),
        "ranking": shown + withheld,
        "city_value": _with_unit(_fmt(city, digits), unit),
        "city_name": city_name,
        "shown_count": len(shown),
        "withheld_count": sum(1 for r in withheld if r["reason"] != "missing"),
        "has_data": bool(shown) or any(r["reason"] != "missing" for r in withheld),
    }


def _trend(result: StatisticsResult, choice: StatisticsChoice) -> dict:
    indicator = result.catalogue[choice.indicator]
    digits = _digits(indicator.unit)
    rows = selectors.city_trend(result, choice)
    observed = [r for r in rows if not r["projected"]]
    projected = [r for r in rows if r["projected"]]
    series = []
    if observed:
        series.append(
            Series(
                _("observed"),
                [r["year"] for r in observed],
                [r["value"] for r in observed],
            )
        )
    if observed and projected:
        last = observed[-1]
        series.append(
            Series(
                _("continuation of the trend"),
                [last["year"], *(r["year"] for r in projected)],
                [last["value"], *(r["value"] for r in projected)],
                lower=[last["value"], *(r["low"] for r in projected)],
                upper=[last["value"], *(r["high"] for r in projected)],
                dashed=True,
            )
        )
    for row in rows:
        row["text"] = _fmt(row["value"], digits)
        row["interval"] = (
            f"{_fmt(row.get('low'), digits)} – {_fmt(row.get('high'), digits)}"
            if row["projected"]
            else ""
        )
    city_name = result.inputs.city_name or _("city")
    description = ""
    if observed:
        description = _("%(city)s: %(first)s in %(y1)s, %(last)s in %(y2)s.") % {
            "city": city_name,
            "first": _fmt(observed[0]["value"], digits),
            "y1": observed[0]["year"],
            "last": _fmt(observed[-1]["value"], digits),
            "y2": observed[-1]["year"],
        }
    if projected:
        end = projected[-1]
        description += " " + _(
            "Continuation of the trend to %(year)s: %(fit)s (prediction interval %(low)s – "
            "%(high)s)."
        ) % {
            "year": end["year"],
            "fit": _fmt(end["value"], digits),
            "low": _fmt(end["low"], digits),
            "high": _fmt(end["high"], digits),
        }
    title = _("%(indicator)s in %(city)s") % {"indicator": indicator.name, "city": city_name}
    svg = render_line_chart(series, title=title, description=description, unit=indicator.unit)
    return {
        "trend_svg": _svg(svg),
        "trend_rows": rows,
        "trend_description": description,
        "projection": projected[-1] if projected else None,
        "projection_clipped": any(r.get("clipped") for r in projected),
    }


def _inequality(result: StatisticsResult, choice: StatisticsChoice) -> dict:
    rows = selectors.inequality_over_time(result, choice.indicator, choice.level)
    level_label = _level_label(choice.level)
    if not rows:
        return {
            "inequality": [],
            "inequality_svg": "",
            "between_svg": "",
            "inequality_reason": selectors.inequality_not_computed(
                result, choice.indicator, choice.level
            ),
        }
    years = [r["year"] for r in rows]
    gini_title = _("Gini between %(level)s areas per year") % {"level": level_label}
    between_title = _("Share of inequality (Theil) between stadsdelen")
    gini_svg = render_line_chart(
        [
            Series(
                _("Gini"),
                years,
                [r["gini"] for r in rows],
                lower=[r["gini_low"] for r in rows],
                upper=[r["gini_high"] for r in rows],
            )
        ],
        title=gini_title,
        description=_("Gini %(first)s in %(y1)s and %(last)s in %(y2)s; band: 95%% interval.")
        % {
            "first": _fmt(rows[0]["gini"], 3),
            "y1": rows[0]["year"],
            "last": _fmt(rows[-1]["gini"], 3),
            "y2": rows[-1]["year"],
        },
    )
    with_between = [r for r in rows if r["between_share"] is not None]
    between_svg = ""
    if with_between:
        between_svg = render_line_chart(
            [
                Series(
                    _("share between stadsdelen"),
                    [r["year"] for r in with_between],
                    [100 * r["between_share"] for r in with_between],
                    lower=[100 * r["between_low"] for r in with_between],
                    upper=[100 * r["between_high"] for r in with_between],
                )
            ],
            title=between_title,
            description=_("%(first)s %% in %(y1)s and %(last)s %% in %(y2)s.")
            % {
                "first": _fmt(100 * with_between[0]["between_share"], 1),
                "y1": with_between[0]["year"],
                "last": _fmt(100 * with_between[-1]["between_share"], 1),
                "y2": with_between[-1]["year"],
            },
            unit="%",
        )
    for row in rows:
        row["gini_text"] = _fmt(row["gini"], 3)
        row["gini_interval"] = f"{_fmt(row['gini_low'], 3)} – {_fmt(row['gini_high'], 3)}"
        row["theil_text"] = _fmt(row["theil"], 4)
        row["theil_interval"] = f"{_fmt(row['theil_low'], 4)} – {_fmt(row['theil_high'], 4)}"
        if row["between_share"] is not None:
            row["between_text"] = _fmt(100 * row["between_share"], 1) + " %"
            row["between_interval"] = (
                f"{_fmt(100 * row['between_low'], 1)} – {_fmt(100 * row['between_high'], 1)}"
            )
    return {
        "inequality": rows,
        "inequality_svg": _svg(gini_svg),
        "between_svg": _svg(between_svg),
        "gini_title": gini_title,
        "between_title": between_title,
    }


def _stacking(result: StatisticsResult, choice: StatisticsChoice) -> dict:
    rows = selectors.stacking_rows(result, choice.method)
    facts = selectors.stacking_facts(result)
    if not rows:
        return {"stacking": [], "stacking_facts": facts}
    method_label = str(dict(METHOD_CHOICES)[choice.method])
    digits = 0 if choice.method == "telling" else 2
    for row in rows:
        row["score_text"] = _fmt(row["score"], digits)
        row["label"] = (
            _("rank %(rank)s, score %(score)s") % {"rank": row["rank"], "score": row["score_text"]}
            if row["class"] is None
            else _("rank %(rank)s, class %(class)s (score %(score)s)")
            % {"rank": row["rank"], "class": row["class"], "score": row["score_text"]}
        )
        row["share_text"] = _fmt(
            100 * row["share_changed"] if row["share_changed"] is not None else None, 0
        )
    level_label = _level_label(facts["level"])
    features = [
        MapFeature(r["code"], r["name"], r["geometry"], r["score"], r["label"])
        for r in rows
        if r["geometry"]
    ]
    title = _("Stacking of disadvantages per %(level)s: %(method)s") % {
        "level": level_label,
        "method": method_label,
    }
    svg = (
        render_choropleth_svg(
            features, title=title, missing_label=_("no score (too few indicators shown)")
        )
        if any(f.value is not None for f in features)
        else ""
    )
    return {
        "stacking": rows,
        "stacking_top": rows[:TOP_STACKING],
        "stacking_svg": _svg(svg),
        "stacking_title": title,
        "stacking_facts": facts,
        "stacking_level_label": level_label,
        "method_label": method_label,
    }


def _resolve_year(result: StatisticsResult, choice: StatisticsChoice) -> StatisticsChoice:
    """A year in which the indicator has no figures falls back to the nearest that has."""
    years = selectors.indicator_years(result, choice.indicator)
    if years and choice.year not in years:
        return replace(choice, year=min(years, key=lambda y: (abs(y - choice.year), -y)))
    return choice


def _page(result: StatisticsResult, choice: StatisticsChoice) -> tuple[StatisticsChoice, dict]:
    """Everything the page shows for ``choice``; the year falls back to one with figures."""
    indicator = result.catalogue[choice.indicator]
    notes = []
    resolved = _resolve_year(result, choice)
    if resolved.year != choice.year:
        notes.append(
            _("There are no figures of this indicator for %(year)s; the page shows %(shown)s.")
            % {"year": choice.year, "shown": resolved.year}
        )
    choice = resolved
    level_label = _level_label(choice.level)
    title = f"{indicator.name}, {level_label}, {choice.year}"
    if choice.group != selectors.TOTAL:
        title += f", {group_label(choice.group)}"
    context: dict[str, object] = {
        "indicator": indicator,
        "choice": choice,
        "level_label": level_label,
        "group_text": group_label(choice.group),
        "title": title,
        "digits": _digits(indicator.unit),
    }
    context.update(_map_and_ranking(result, choice, title))
    if not context["has_data"]:
        levels = selectors.levels_with_group(result, choice.indicator, choice.group)
        notes.append(
            _("There are no figures for this group at this level. Available levels: %(levels)s.")
            % {"levels": ", ".join(_level_label(level) for level in levels)}
            if levels
            else _("There are no figures of this indicator for this group.")
        )
    context.update(_trend(result, choice))
    context.update(_inequality(result, choice))
    context.update(_stacking(result, choice))
    context["notes"] = notes
    return choice, context


# --- Views -----------------------------------------------------------------------------------


def _base_context(access: DossierAccess) -> dict[str, object]:
    return {"dossier": access.dossier, "access": access}


@require_GET
@dossier_view(Capability.VIEW)
def statistics(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """Map, ranking, trend with projection, inequality and stacking for one choice."""
    context = _base_context(access)
    result = selectors.statistics_result(municipality_code=access.dossier.municipality_code)
    if result is None:
        context["no_data"] = True
        return render(request, TEMPLATE, context)
    options = selectors.statistics_options(result)
    form = StatisticsForm(request.GET, options=options)
    context.update({"form": form, "is_demo": result.is_demo, "result": result})
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    choice, page = _page(result, form.choice())
    context.update(page)
    query = request.GET.copy()
    query["jaar"] = str(choice.year)
    query.pop("tabel", None)
    for name in ("indicator", "niveau", "groep", "methode"):
        query[name] = form.cleaned_data[name]
    context["query"] = query.urlencode()
    return render(request, TEMPLATE, context)


@require_GET
@dossier_view(Capability.VIEW)
def statistics_csv(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """The numbers of one part of the page as CSV (UTF-8, semicolons, decimal point).

    Withheld values are left empty with their reason; text cells are neutralised against
    spreadsheet formulas.
    """
    table = request.GET.get("tabel") or exports.CSV_TABLES[0]
    result = selectors.statistics_result(municipality_code=access.dossier.municipality_code)
    if table not in exports.CSV_TABLES:
        return HttpResponse(
            _("Unknown table: choose one of %(tables)s.")
            % {"tables": ", ".join(exports.CSV_TABLES)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if result is not None:
        form = StatisticsForm(request.GET, options=selectors.statistics_options(result))
        if not form.is_valid():
            messages = [str(e) for errors in form.errors.values() for e in errors]
            return HttpResponse(
                "\n".join(messages), status=400, content_type="text/plain; charset=utf-8"
            )
        rows = exports.statistics_table(result, _resolve_year(result, form.choice()), table)
    else:
        rows = exports.empty_table(table)
    return csv_response(
        rows,
        file_name=f"statistiek-{access.dossier.pk}-{table}.csv",
        notice=DEMO_NOTICE if access.dossier.is_demo or (result and result.is_demo) else None,
    )
