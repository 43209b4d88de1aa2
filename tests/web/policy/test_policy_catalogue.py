"""Catalogue indicators take their realised values from the statistics engine."""

from __future__ import annotations

import polars as pl
import pytest

from kansenaudit.web.demo.services import demo_load
from kansenaudit.web.dossiers.models import Dossier
from kansenaudit.web.indicators import selectors as statistics
from kansenaudit.web.policy import selectors
from kansenaudit.web.policy import services as s


@pytest.fixture
def demo(db):
    """The demo city with its statistics, without the policy set (half the load time)."""
    return Dossier.objects.get(pk=demo_load(with_policy=False).dossier_id)


@pytest.fixture
def demo_policy(db):
    return Dossier.objects.get(pk=demo_load().dossier_id)


def test_city_values_equal_the_engines(demo):
    indicator = s.indicator_create(
        dossier=demo,
        name="Werkloosheid (testindicator)",
        source="catalogus",
        catalogue_key="unemployment_pct",
        actor=None,
    )
    s.indicator_value_set(indicator=indicator, kind="nulmeting", year=2015, value=6.0, actor=None)
    s.indicator_value_set(
        indicator=indicator, kind="streefwaarde", year=2030, value=3.0, actor=None
    )
    status = selectors.indicator_status(indicator, selectors.StatisticsSource(demo))
    result = statistics.statistics_result(municipality_code=demo.municipality_code)
    expected = [
        (row["year"], row["value"])
        for row in statistics.city_trend(
            result,
            statistics.StatisticsChoice(indicator="unemployment_pct", year=2025, level="wijk"),
        )
        if not row["projected"]
    ]
    assert status.realised == expected
    assert len(expected) >= 5
    assert status.realised_source == selectors.STATISTICS_LABEL
    assert status.message == ""
    assert indicator.polarity == "lager"  # from the catalogue
    year, value = expected[-1]
    assert status.distance.realised_year == year
    assert status.distance.gap == pytest.approx(value - 3.0)


def test_area_values_equal_the_engines(demo):
    result = statistics.statistics_result(municipality_code=demo.municipality_code)
    area = next(a for a in result.inputs.areas.values() if a.level == "stadsdeel")
    indicator = s.indicator_create(
        dossier=demo,
        name="Havo/vwo-advies in een stadsdeel (testindicator)",
        source="catalogus",
        catalogue_key="vo_advice_havo_vwo_pct",
        area_code=area.code,
        actor=None,
    )
    series = selectors.StatisticsSource(demo).series(indicator.catalogue_key, area.code)
    frame = result.values.filter(
        (pl.col("indicator") == "vo_advice_havo_vwo_pct")
        & (pl.col("area_code") == area.code)
        & (pl.col("group") == statistics.TOTAL)
    ).sort("period")
    assert series.values == [
        (int(r["period"]), r["shown_value"]) for r in frame.iter_rows(named=True)
    ]
    with pytest.raises(s.PolicyError, match="geen gebied van deze gemeente"):
        s.indicator_create(
            dossier=demo,
            name="X",
            source="catalogus",
            catalogue_key="vo_advice_havo_vwo_pct",
            area_code="GEEN",
            actor=None,
        )


def test_without_statistics_says_so(team):
    indicator = s.indicator_create(
        dossier=team["dossier"],
        name="Bijstand",
        source="catalogus",
        catalogue_key="bijstand",
        actor=None,
    )
    status = selectors.indicator_status(indicator, selectors.StatisticsSource(team["dossier"]))
    assert status.realised == []
    assert status.message == selectors.NO_STATISTICS
    assert status.distance is None
    assert selectors.monitoring(team["dossier"]).statistics_available is False


def test_demo_policy_pages_render(client, demo_policy):
    demo = demo_policy
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from kansenaudit.web.policy.models import Goal, Indicator, Measure

    client.force_login(get_user_model().objects.get(username="meelezer"))
    d = demo.pk
    for name in (
        "overview",
        "actors",
        "goals",
        "measures",
        "indicators",
        "monitoring",
        "consistency",
    ):
        response = client.get(reverse(f"policy:{name}", args=[d]))
        assert response.status_code == 200, name
        assert "fictieve" in response.content.decode().lower()
    for goal in Goal.objects.filter(dossier=demo):
        assert client.get(reverse("policy:goal_detail", args=[d, goal.pk])).status_code == 200
    for measure in Measure.objects.filter(dossier=demo):
        assert client.get(reverse("policy:measure_detail", args=[d, measure.pk])).status_code == 200
    for indicator in Indicator.objects.filter(dossier=demo):
        assert (
            client.get(reverse("policy:indicator_detail", args=[d, indicator.pk])).status_code
            == 200
        )
    response = client.get(reverse("policy:export_xlsx", args=[d]))
    assert response["Content-Disposition"].startswith('attachment; filename="demo-')


def test_reported_values_are_compared_with_the_statistics(demo, client):
    """A catalogue indicator whose realised values were also entered as reported: the years
    where the report differs from the statistics beyond rounding are flagged, on the page too."""
    from django.urls import reverse

    from kansenaudit.web.dossiers.models import Membership

    indicator = s.indicator_create(
        dossier=demo,
        name="Werkloosheid (gerapporteerd)",
        source="catalogus",
        catalogue_key="unemployment_pct",
        actor=None,
    )
    series = selectors.indicator_status(indicator, selectors.StatisticsSource(demo)).realised
    (year_a, value_a), (year_b, value_b) = series[-2], series[-1]
    # One reported as the statistics rounded to one decimal, one off by a whole point.
    s.indicator_value_set(
        indicator=indicator, kind="realisatie", year=year_a, value=round(value_a, 1), actor=None
    )
    s.indicator_value_set(
        indicator=indicator, kind="realisatie", year=year_b, value=value_b - 1.0, actor=None
    )
    status = selectors.indicator_status(indicator, selectors.StatisticsSource(demo))
    assert status.realised == series  # the distance still comes from the statistics
    assert status.discrepancies == [(year_b, pytest.approx(value_b - 1.0), value_b)]
    member = Membership.objects.filter(dossier=demo).select_related("user").first().user
    client.force_login(member)
    page = client.get(reverse("policy:indicator_detail", args=[demo.pk, indicator.pk]))
    assert 'id="afwijkingen"' in page.content.decode()
