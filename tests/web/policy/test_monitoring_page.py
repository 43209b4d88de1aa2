"""Monitoring as tables per goal with progress in words and filters; every gap count on the
overview leads to its list (issue 12 §5)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from kansenaudit.web.policy import monitoring_view, selectors
from tests.helpers.policy_fixtures import build_register


@pytest.fixture
def reg(team):
    return build_register(team["dossier"])


def _page(client, team, **params):
    from django.conf import settings

    client.force_login(team["users"]["meelezer"])
    # English as the language switch chooses it (the browser's Accept-Language is not followed).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("policy:monitoring", args=[team["dossier"].pk])
    response = client.get(url, params)
    return response.status_code, response.content.decode()


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr data-state="(\w+)">', page)


def test_progress_is_told_in_words(team, reg):
    with translation.override("en"):
        result = selectors.monitoring(team["dossier"])
        words = {
            line.status.indicator.name: monitoring_view.progress_in_words(line.status)
            for table in monitoring_view.goal_tables(result)
            for line in table.lines
        }
        loose = monitoring_view.loose_lines(result)
    # Havo-advies: 40 (2019) → 46 (2023), target 50 (2026): 60 % of the way, 4 % to go.
    assert words["Havo-advies"] == (
        "underway",
        "60% of the way from the baseline to the target; still 4 % to go.",
    )
    # Schooluitval, lower is better: 1.5 against a target of 2.0 is reached.
    assert words["Schooluitval"][0] == "reached"
    assert "2024" in words["Schooluitval"][1]
    # No target at all: progress cannot be judged, and it is said so.
    assert [(x.status.indicator.name, x.state) for x in loose] == [
        ("Tevredenheid ouders", "unknown")
    ]


def test_moving_away_from_the_target_is_named(team, reg):
    from kansenaudit.web.policy import services

    indicator = reg["indicators"]["i1"]
    services.indicator_value_set(
        indicator=indicator, kind="realisatie", year=2024, value=37, actor=None
    )
    with translation.override("en"):
        status = selectors.indicator_status(indicator, selectors.StatisticsSource(team["dossier"]))
        state, words = monitoring_view.progress_in_words(status)
    assert state == "away"
    assert "Moved away from the target" in words
    assert "30%" in words


def test_each_indicator_once_per_goal_with_its_unit_and_the_way_it_comes(client, team, reg):
    status, page = _page(client, team)
    assert status == 200
    section = page.split(f'id="doel-{reg["goals"]["d1"].pk}"')[1].split("</section>")[0]
    # Havo-advies follows the goal itself and its measure Schoolmaatje: one row, both named.
    assert section.count("Havo-advies</a>") == 1
    assert "the goal itself, Schoolmaatje" in section
    assert "40 %" in section
    assert "50 %" in section
    assert "46 %" in section
    assert "---------" not in page


def test_filters_by_progress_and_goal(client, team, reg):
    _, everything = _page(client, team)
    _, reached = _page(client, team, state="reached")
    assert set(_rows(reached)) == {"reached"}
    assert len(_rows(reached)) < len(_rows(everything))
    _, one_goal = _page(client, team, goal=str(reg["goals"]["d1"].pk))
    assert f'id="doel-{reg["goals"]["d1"].pk}"' in one_goal
    assert f'id="doel-{reg["goals"]["c2"].pk}"' not in one_goal
    status, _ = _page(client, team, state="nonsense")
    assert status == 400


def test_every_gap_count_on_the_overview_links_to_its_list(client, team, reg):
    client.force_login(team["users"]["meelezer"])
    d = team["dossier"].pk
    overview = client.get(reverse("policy:overview", args=[d])).content.decode()
    monitoring = client.get(reverse("policy:monitoring", args=[d])).content.decode()
    links = re.findall(r'href="[^"]*/beleid/monitoring/#(hiaat-\w+)"', overview)
    assert len(links) == len(selectors.GAP_KINDS)
    for anchor in links:
        assert f'id="{anchor}"' in monitoring


def test_theory_diagrams_on_the_measure_and_for_the_whole_dossier(client, team, reg):
    client.force_login(team["users"]["meelezer"])
    d = team["dossier"].pk
    measure = reg["measures"]["m1"]
    page = client.get(reverse("policy:measure_detail", args=[d, measure.pk])).content.decode()
    assert 'class="chart ka-theory"' in page
    assert 'id="schakels"' in page  # the table stays: the diagram's text alternative
    overview = client.get(reverse("policy:theories", args=[d])).content.decode()
    assert overview.count('class="chart ka-theory"') == 1  # only Schoolmaatje has a theory
    assert "Zomerschool" in overview
    assert "Losse maatregel" in overview
    # a1→o1 has a citation, the other two links do not: two dashed arrows.
    assert len(re.findall(r'<path [^>]*stroke-dasharray="6 4"', overview)) == 2
