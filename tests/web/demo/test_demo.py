"""The bundled demo: loads once, is labelled as fictional wherever it shows, and maps work."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from kansenaudit.web.areas.models import Area
from kansenaudit.web.demo.services import demo_load
from kansenaudit.web.dossiers.models import Dossier
from kansenaudit.web.indicators.models import IndicatorValue


@pytest.fixture
def demo(demo_for_module, db):
    """The city, the documents and the team, loaded once for the module (no policy set)."""
    return demo_for_module


def _login(client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))


def test_demo_loads_once(demo):
    from django.contrib.auth import get_user_model

    assert demo.created
    # The demo's published password is meant to be used as is: no forced change.
    users = get_user_model().objects.all()
    assert users.exists()
    assert not users.filter(must_change_password=True).exists()
    assert Area.objects.filter(is_demo=True).count() == demo.areas == 139
    assert IndicatorValue.objects.count() == demo.values > 20000
    again = demo_load()
    assert not again.created
    assert again.dossier_id == demo.dossier_id
    assert IndicatorValue.objects.count() == demo.values
    assert Dossier.objects.filter(is_demo=True).count() == 2


def test_demo_dossier_is_modelled_on_the_research_design(demo):
    dossier = Dossier.objects.get(pk=demo.dossier_id)
    assert "kansengelijkheid" in dossier.central_question
    assert dossier.sub_questions.count() == 5
    assert dossier.milestones.count() >= 5
    assert dossier.policy_events.count() >= 8
    assert set(dossier.memberships.values_list("role", flat=True)) == {
        "projectleider",
        "onderzoeker",
        "reviewer",
        "meelezer",
    }


@pytest.mark.parametrize("username", ["projectleider", "onderzoeker", "reviewer", "meelezer"])
def test_every_role_sees_the_demo_labelled_but_not_the_confidential_dossier(client, demo, username):
    _login(client, username)
    listing = client.get(reverse("dossiers:list")).content.decode()
    assert "Kansengelijkheid in Voorbeeldstad" in listing
    assert "Jeugdhulp" not in listing
    page = client.get(reverse("dossiers:detail", args=[demo.dossier_id])).content.decode()
    assert "fictieve demodata" in page


def test_exports_carry_the_demo_label(client, demo):
    _login(client, "projectleider")
    export = json.loads(client.get(reverse("dossiers:export", args=[demo.dossier_id])).content)
    assert export["is_demo"]
    assert "Fictieve demodata" in export["demo_notice"]
    csv = client.get(reverse("dossiers:audit_log_csv", args=[demo.dossier_id])).content
    assert "Fictieve demodata" in csv.decode("utf-8-sig").splitlines()[0]


def test_area_map_shows_an_svg_and_suppresses_small_areas(client, demo):
    _login(client, "meelezer")
    page = client.get(
        reverse("areas:map"),
        {
            "indicator": "low_income_households_pct",
            "niveau": "buurt",
            "jaar": "2025",
        },
    ).content.decode()
    assert "<svg" in page
    assert page.count("<path") == 90
    assert "onderdrukt: te weinig waarnemingen" in page
    assert "fictieve demodata" in page
