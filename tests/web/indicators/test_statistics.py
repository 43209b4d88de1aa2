"""The statistics section of a dossier, on the demo: the engine's numbers, shown safely."""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kansenaudit.reporting.formatting import format_short
from kansenaudit.stats.disclosure import suppression_reason
from kansenaudit.stats.inequality import gini, theil
from kansenaudit.web.areas.models import Area
from kansenaudit.web.indicators import selectors
from kansenaudit.web.indicators.models import Indicator, IndicatorValue

CSV_HEADER = [
    "indicator",
    "indicatornaam",
    "jaar",
    "niveau",
    "groep",
    "gebiedscode",
    "gebiedsnaam",
    "waarde",
    "eenheid",
    "interval_onder",
    "interval_boven",
    "n",
    "stadswaarde",
    "reden_niet_getoond",
]
SHARE_EDGE = "onderdrukt: te weinig waarnemingen aan één kant"


@pytest.fixture
def demo(demo_for_module, db):
    """The demo, loaded once for this module (see ``demo_for_module`` in tests/conftest.py)."""
    return demo_for_module


def _login(client, username="meelezer"):
    client.force_login(get_user_model().objects.get(username=username))


def _page(client, demo, **params):
    return client.get(reverse("indicators:statistics", args=[demo.dossier_id]), params)


def _csv(client, demo, **params):
    response = client.get(reverse("indicators:statistics_csv", args=[demo.dossier_id]), params)
    return response, response.content.decode("utf-8-sig")


def _section(page: str, element_id: str) -> str:
    """The HTML of the element with ``element_id`` up to its closing table/section tag."""
    start = page.index(f'id="{element_id}"')
    end = min(i for i in (page.find("</table>", start), page.find("</section>", start)) if i > 0)
    return page[start:end]


def _dutch(value: float, digits: int) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def test_page_shows_map_ranking_trend_inequality_and_stacking(client, demo):
    _login(client)
    response = _page(client, demo)
    assert response.status_code == 200
    page = response.content.decode()
    assert "fictieve demodata" in page
    assert page.count('class="choropleth"') == 2  # the indicator and the stacking map
    assert page.count('class="chart"') >= 3  # ranking, trend, inequality
    assert "Rangorde:" in page
    assert "voortzetting van de trend" in page
    assert 'stroke-dasharray="5 4"' in page  # the projection is dashed
    assert "Ongelijkheid tussen gebieden" in page
    assert "Stapeling van achterstanden" in page
    assert "Klassebereik" in page
    # Every chart has a table as its text alternative.
    for table in ("waarden", "trendtabel", "ongelijkheidstabel", "stapelingstabel"):
        assert f'id="{table}"' in page


def test_dossier_navigation_links_to_the_statistics(client, demo):
    _login(client)
    page = client.get(reverse("dossiers:detail", args=[demo.dossier_id])).content.decode()
    assert reverse("indicators:statistics", args=[demo.dossier_id]) in page
    assert ">Statistiek<" in page


def _shown_with_weights(indicator: str, level: str, year: int):
    """Values that may be shown and their bases, straight from the database.

    The primary rule per value, then secondary suppression over the whole table of the
    indicator and year (computed independently of the engine, by the workbench map's selector).
    """
    item = Indicator.objects.get(key=indicator)
    division = Area.objects.get(code="BU99990101").division
    shown = selectors.values_for_map(indicator=item, division=division, level=level, period=year)
    x, w = [], []
    for _code, v in sorted(shown.items()):
        if v.value is not None:
            assert v.suppressed is None
            assert suppression_reason(value=v.value, n=v.n, min_n=item.min_n) is None
            # the unfavourable side of a share, weighted by the value's own base (its n)
            x.append(100 - v.value if item.polarity > 0 else v.value)
            w.append(v.n)
    return np.array(x), np.array(w)


@pytest.mark.parametrize(
    ("indicator", "level", "year"),
    [("low_income_households_pct", "buurt", 2025), ("vo_advice_havo_vwo_pct", "wijk", 2019)],
)
def test_inequality_table_equals_a_direct_calculation(client, demo, indicator, level, year):
    _login(client)
    page = _page(client, demo, indicator=indicator, niveau=level, jaar=year).content.decode()
    table = _section(page, "ongelijkheidstabel")
    row = re.search(rf'<tr data-year="{year}">(.*?)</tr>', table, flags=re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
    x, w = _shown_with_weights(indicator, level, year)
    assert cells[1].startswith(str(x.size))
    assert cells[2] == _dutch(gini(x, w), 3)
    assert cells[4] == _dutch(theil(x, w), 4)
    low, high = (float(v.replace(",", ".")) for v in cells[3].split(" – "))
    assert low <= gini(x, w) <= high


def test_suppressed_small_area_is_withheld_in_page_and_csv(client, demo):
    _login(client)
    small = (
        IndicatorValue.objects.filter(
            indicator__key="vo_advice_havo_vwo_pct",
            area__level="buurt",
            period=2025,
            group="totaal",
            value__isnull=False,
        )
        .select_related("area")
        .order_by("numerator")
        .first()
    )
    assert small.numerator < 10 or small.denominator - small.numerator < 10
    area = small.area
    params = {"indicator": "vo_advice_havo_vwo_pct", "niveau": "buurt", "jaar": 2025}
    page = _page(client, demo, **params).content.decode()
    row = re.search(rf'<tr data-code="{area.code}">(.*?)</tr>', page, flags=re.S).group(1)
    assert SHARE_EDGE in row
    assert _dutch(small.value, 1) not in row
    assert str(small.denominator) not in row
    tooltip = re.search(rf'data-code="{area.code}"><title>(.*?)</title>', page).group(1)
    assert tooltip == f"{area.name}: {SHARE_EDGE}"
    # Nowhere on the page (tables, map, ranking) is the area named with its value.
    assert f"{area.name}: {format_short(small.value)}" not in page
    assert f"{area.name}: {_dutch(small.value, 1)}" not in page

    response, text = _csv(client, demo, **params)
    assert response.status_code == 200
    rows = {r[5]: r for r in csv.reader(io.StringIO(text), delimiter=";") if len(r) > 5}
    withheld = dict(zip(CSV_HEADER, rows[area.code], strict=True))
    assert withheld["waarde"] == withheld["n"] == withheld["interval_onder"] == ""
    assert withheld["reden_niet_getoond"] == SHARE_EDGE
    assert repr(small.value) not in ";".join(rows[area.code])
    shown = [r for code, r in rows.items() if code != "gebiedscode" and r[7]]
    assert len(shown) > 20
    assert all(r[13] == "" for r in shown)


def test_csv_starts_with_the_header_and_is_safe_from_formulas(client, demo):
    _login(client)
    area = Area.objects.filter(level="wijk").order_by("code").first()
    Area.objects.filter(pk=area.pk).update(name='=HYPERLINK("http://example.org","x")')
    selectors.statistics_cache_clear()  # area names are part of the cached inputs
    try:
        response, text = _csv(client, demo, indicator="ses_woa_score", niveau="wijk")
    finally:
        selectors.statistics_cache_clear()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = text.splitlines()
    assert lines[0].startswith("# Fictieve demodata")
    assert lines[1].split(";") == CSV_HEADER
    rows = list(csv.reader(io.StringIO("\n".join(lines[2:])), delimiter=";"))
    assert len(rows) == 30
    names = {r[5]: r[6] for r in rows}
    assert names[area.code] == '\'=HYPERLINK("http://example.org","x")'
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            if cell.startswith("-"):
                float(cell)  # only numbers may start with a minus sign


@pytest.mark.parametrize("table", ["ongelijkheid", "trend", "stapeling"])
def test_other_tables_download(client, demo, table):
    _login(client)
    response, text = _csv(client, demo, tabel=table, indicator="unemployment_pct")
    assert response.status_code == 200
    lines = text.splitlines()
    assert lines[0].startswith("# Fictieve demodata")
    assert len(lines) > 5
    if table == "trend":
        assert "voortzetting van de trend" in text


def test_non_member_gets_404_and_anonymous_is_sent_to_login(client, demo, make_user):
    for name in ("indicators:statistics", "indicators:statistics_csv"):
        url = reverse(name, args=[demo.dossier_id])
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    client.force_login(make_user("nieuwsgierig"))
    for name in ("indicators:statistics", "indicators:statistics_csv"):
        response = client.get(reverse(name, args=[demo.dossier_id]))
        assert response.status_code == 404
        assert "Voorbeeldstad" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"indicator": "bestaat_niet"}, "Onbekende indicator"),
        ({"indicator": "<script>alert(1)</script>"}, "Onbekende indicator"),
        ({"jaar": "1990"}, "geen cijfers"),
        ({"jaar": "volgend jaar"}, "geen cijfers"),
        ({"niveau": "provincie"}, "Onbekend gebiedsniveau"),
        ({"groep": "iedereen"}, "Onbekende groep"),
        ({"methode": "gevoel"}, "Onbekende methode"),
    ],
)
def test_invalid_choices_give_a_clear_dutch_message(client, demo, params, message):
    _login(client)
    response = _page(client, demo, **params)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "<script>alert(1)</script>" not in page
    assert 'role="alert"' in page
    response, text = _csv(client, demo, **params)
    assert response.status_code == 400
    assert message in text
    response, text = _csv(client, demo, tabel="alles")
    assert response.status_code == 400


def test_year_without_figures_falls_back_to_the_nearest(client, demo):
    _login(client)
    response = _page(client, demo, indicator="good_health_pct", jaar=2025)
    assert response.status_code == 200
    page = response.content.decode()
    assert "geen cijfers voor 2025; de pagina toont 2024" in page
    assert "Ervaren gezondheid goed of zeer goed, wijk, 2024" in page


def test_groups_and_stacking_methods(client, demo):
    _login(client)
    page = _page(
        client,
        demo,
        indicator="low_income_households_pct",
        niveau="stadsdeel",
        groep="migratieachtergrond:niet-westers",
        methode="telling",
    ).content.decode()
    assert "migratieachtergrond: niet-westers" in page
    assert "alleen voor de hele bevolking" in page
    assert "telling van ongunstige indicatoren" in page
    page = _page(
        client,
        demo,
        indicator="low_income_households_pct",
        niveau="buurt",
        groep="migratieachtergrond:westers",
    ).content.decode()
    assert "Voor deze groep zijn er op dit niveau geen cijfers" in page
    assert "Beschikbare niveaus: stadsdeel" in page
    page = _page(
        client, demo, indicator="low_income_households_pct", groep="geslacht:man"
    ).content.decode()
    assert "Van deze indicator zijn er geen cijfers voor deze groep" in page
    for method in ("zscore", "imd"):
        assert _page(client, demo, methode=method).status_code == 200


def test_inputs_from_the_database_match_the_engine_expectations(demo):
    inputs = selectors.statistics_inputs("GM9999")
    assert inputs.is_demo
    assert len(inputs.areas) == 139
    keys = {item.key for item in inputs.catalogue}
    assert "inwoners" in keys
    assert "population" not in keys
    assert inputs.values.height == IndicatorValue.objects.count()
    assert inputs.areas["BU99990101"].parent_code.startswith("WK")


def test_a_second_page_reuses_the_computed_result(client, demo):
    """The engine runs once per version of the data; the next page only cuts out its part."""
    _login(client)
    _page(client, demo, niveau="buurt")  # computes (or reuses) the engine's result
    misses = selectors._computed.cache_info().misses
    response = _page(client, demo, niveau="buurt", indicator="unemployment_pct")
    assert response.status_code == 200
    assert selectors._computed.cache_info().misses == misses


def test_every_indicator_renders_at_every_level(client, demo):
    _login(client)
    result = selectors.statistics_result(municipality_code="GM9999")
    options = selectors.statistics_options(result)
    for _domain, items in options.indicators:
        for item in items:
            for level in options.levels:
                response = _page(client, demo, indicator=item.key, niveau=level)
                assert response.status_code == 200, (item.key, level)
                response, _text = _csv(client, demo, indicator=item.key, niveau=level)
                assert response.status_code == 200, (item.key, level)


def test_workbench_map_values_cannot_be_worked_out_by_subtraction(demo):
    """values_for_map applies secondary suppression over all levels of the division."""
    from kansenaudit.staat.secondary import table_relations
    from kansenaudit.stats.secondary import recoverable

    indicator = Indicator.objects.get(key="vo_advice_havo_vwo_pct")
    division = Area.objects.get(code="BU99990101").division
    levels = ["stad", "stadsdeel", "gebied", "wijk", "buurt"]
    shown = {
        level: selectors.values_for_map(
            indicator=indicator, division=division, level=level, period=2025
        )
        for level in levels
    }
    cells = [(code, "totaal") for level in levels for code in shown[level]]
    values = [shown[level][code] for level in levels for code in shown[level]]
    parents = dict(Area.objects.filter(division=division).values_list("code", "parent__code"))
    unknown = [v.value is None for v in values]
    withheld = np.array([v.suppressed not in (None, "missing") for v in values])
    assert withheld.sum() > 0
    assert any(v.suppressed == "secundair" for v in values)
    assert not (recoverable(table_relations(cells, parents), len(cells), unknown) & withheld).any()


def test_first_request_after_a_load_and_a_restart_does_not_recompute(client, demo, monkeypatch):
    """Loading values computes the statistics ahead (a task); a fresh process only reads them."""
    from types import SimpleNamespace

    from django.core.cache import cache

    from kansenaudit.web.indicators.services import indicator_values_replace

    cache.clear()
    calls = []
    real = selectors._compute
    monkeypatch.setattr(selectors, "_compute", lambda *a: calls.append(a) or real(*a))
    area = Area.objects.get(code="BU99990101")
    indicator = Indicator.objects.get(key="unemployment_pct")
    record = SimpleNamespace(
        indicator="unemployment_pct",
        area_code=area.code,
        group="totaal",
        period=2010,
        value=7.5,
        n=400,
        numerator=30,
        denominator=400,
    )
    indicator_values_replace(
        division=area.division,
        records=[record],
        indicators={"unemployment_pct": indicator},
        source="test",
        release="test-precompute",
    )
    assert len(calls) == 1  # computed once, at the load, by the task
    selectors._computed.cache_clear()  # a restarted web process: nothing in memory

    def refuse(*args):
        raise AssertionError("the first request recomputed the statistics")

    monkeypatch.setattr(selectors, "_compute", refuse)
    _login(client)
    response = _page(client, demo, niveau="buurt")
    assert response.status_code == 200
    assert "Rangorde:" in response.content.decode()


def test_an_interval_score_says_why_no_gini_is_shown(client, demo):
    _login(client)
    page = _page(client, demo, indicator="ses_woa_score", niveau="wijk").content.decode()
    section = page[page.index('id="ongelijkheid"') :]
    assert "intervalschaal" in section[:3000]
