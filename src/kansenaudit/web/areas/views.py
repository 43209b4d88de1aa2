# SPDX-License-Identifier: EUPL-1.2
"""The area map: one indicator per area as a choropleth with an accessible table beside it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from kansenaudit.reporting.formatting import format_short
from kansenaudit.reporting.svgmap import MapFeature, render_choropleth_svg
from kansenaudit.web.areas import selectors
from kansenaudit.web.areas.models import AreaLevel
from kansenaudit.web.core.templatetags.ka_format import interface_lang
from kansenaudit.web.indicators import selectors as indicator_selectors
from kansenaudit.web.indicators.models import Indicator

SUPPRESSION_LABELS = {
    "missing": gettext_lazy("unknown"),
    "n<min": gettext_lazy("suppressed: too few cases"),
    "share-edge": gettext_lazy("suppressed: too few cases on one side"),
}


def _pick(options: list, wanted: object, default_index: int = 0) -> object:
    return wanted if wanted in options else (options[default_index] if options else None)


@require_GET
def area_map(request: HttpRequest) -> HttpResponse:
    divisions = selectors.divisions()
    division = _pick(divisions, request.GET.get("indeling"))
    context: dict[str, object] = {
        "divisions": divisions,
        "division": division,
        "levels": AreaLevel.choices[1:],
    }
    if division is None:
        return render(request, "areas/area_map.html", context)
    indicators = list(indicator_selectors.indicators_with_values(division=division))
    keys = [i.key for i in indicators]
    # Open on an indicator of opportunity rather than on the population count.
    default = next((i for i, k in enumerate(keys) if k != "population"), 0)
    key = _pick(keys, request.GET.get("indicator"), default)
    level = _pick([v for v, _label in AreaLevel.choices[1:]], request.GET.get("niveau"), 3)
    context.update(
        {
            "indicators": indicators,
            "level": level,
            "is_demo": selectors.division_is_demo(division=division),
        }
    )
    if key is None:
        return render(request, "areas/area_map.html", context)
    indicator = next(i for i in indicators if i.key == key)
    periods = indicator_selectors.periods_for(indicator=indicator, division=division)
    try:
        period = int(request.GET.get("jaar", ""))
    except ValueError:
        period = None
    period = _pick(periods, period, -1)
    shown = indicator_selectors.values_for_map(
        indicator=indicator, division=division, level=level, period=period
    )
    areas = list(selectors.areas_at_level(division=division, level=level))
    rows, features = [], []
    for area in areas:
        value = shown.get(area.code)
        if value is None or value.value is None:
            reason = value.suppressed if value is not None else "missing"
            label = str(SUPPRESSION_LABELS.get(reason, SUPPRESSION_LABELS["missing"]))
        else:
            unit = "" if indicator.unit == "aantal" else f" {indicator.unit}"
            label = f"{format_short(value.value, lang=interface_lang())}{unit}"
        rows.append({"area": area, "shown": value, "label": label})
        if area.geometry:
            features.append(
                MapFeature(
                    area.code, area.name, area.geometry, value.value if value else None, label
                )
            )
    title = f"{indicator.name}, {AreaLevel(level).label}, {period}"
    svg = render_choropleth_svg(
        features,
        title=title,
        reverse=indicator.polarity == Indicator.Polarity.HIGHER_IS_BETTER,
        missing_label=_("unknown or suppressed (too few cases)"),
        lang=interface_lang(),
    )
    context.update(
        {
            "indicator": indicator,
            "periods": periods,
            "period": period,
            "rows": rows,
            # The SVG is built by our renderer, which escapes every name and label it writes.
            "svg": mark_safe(svg),
            "title": title,
        }
    )
    return render(request, "areas/area_map.html", context)
