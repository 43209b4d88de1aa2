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
def demo(db):
    """The city, the documents and the team; without the policy set (half the load time)."""
    return demo_load(with_policy=False)


@pytest.fixture
def demo_policy(db):
    """The whole demo, with the policy workbench's fictional set."""
    return demo_load()


def _login(client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))


def test_demo_loads_once(demo):
    assert demo.created
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


# --- the policy workbench's demo set (deelvragen 2, 4 and 5) ------------------------------------


def test_demo_policy_set_is_loaded_through_the_workflows(client, demo_policy):
    """Register, uitvraag round trip, judgements with consensus and sign-off, council items."""
    from kansenaudit.data.demo_policy import demo_policy_set
    from kansenaudit.web.core.models import AuditEvent
    from kansenaudit.web.council.models import InformationItem
    from kansenaudit.web.judgements.models import Judgement
    from kansenaudit.web.policy.models import Goal, Measure
    from kansenaudit.web.uitvraag.models import ReceivedFile, UitvraagRequest

    data = demo_policy_set()
    dossier = Dossier.objects.get(pk=demo_policy.dossier_id)
    assert Goal.objects.filter(dossier=dossier).count() == len(data.goals)
    assert Goal.objects.filter(dossier=dossier, is_demo=True).count() == len(data.goals)
    # Every directie's measures came in through a validated, applied uitvraag workbook.
    measures = Measure.objects.filter(dossier=dossier)
    assert measures.count() == sum(len(u.measures) for u in data.uitvragen) == 11
    assert set(measures.values_list("origin", flat=True)) == {"uitvraag"}
    requests = UitvraagRequest.objects.filter(dossier=dossier)
    assert requests.count() == 3
    assert all(
        f.is_valid and f.applied_at for f in ReceivedFile.objects.filter(request__in=requests)
    )
    # Judgements: two blind assessments each, a consensus, and mostly a sign-off.
    judgements = Judgement.objects.filter(dossier=dossier)
    assert judgements.count() == len(data.judgements)
    assert all(j.assessments.count() == 2 for j in judgements)
    signed = judgements.filter(status="afgetekend").count()
    assert signed == sum(1 for j in data.judgements if j.signed_off_by)
    assert 0 < signed < judgements.count()
    assert InformationItem.objects.filter(dossier=dossier).count() == len(data.information_items)
    # Everything was written through the services, so the audit log has it.
    actions = set(AuditEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert {
        "policy.goal_create",
        "policy.evidence_add",
        "uitvraag.receive",
        "uitvraag.apply",
        "council.item_register",
    } <= actions
    # The workbench's pages show the set, labelled as fictional.
    _login(client, "meelezer")
    for name in (
        "policy:overview",
        "policy:monitoring",
        "policy:consistency",
        "uitvraag:requests",
        "judgements:overview",
        "council:items",
        "council:matrix",
        "council:timeline",
    ):
        response = client.get(reverse(name, args=[demo_policy.dossier_id]))
        assert response.status_code == 200, name
        assert "fictieve demodata" in response.content.decode().lower(), name


def test_demo_monitoring_consistency_and_agreement_show_the_intended_findings(demo_policy):
    from kansenaudit.data.demo_policy import INTENDED_GAPS
    from kansenaudit.web.judgements.selectors import agreement
    from kansenaudit.web.policy.selectors import consistency, monitoring

    dossier = Dossier.objects.get(pk=demo_policy.dossier_id)
    gaps = monitoring(dossier).gaps
    assert INTENDED_GAPS["goal_without_measures"] in [g.title for g in gaps.goals_without_measures]
    assert INTENDED_GAPS["indicator_without_target"] in [
        i.name for i in gaps.indicators_without_target
    ]
    assert gaps.links_without_evidence  # some theory links rest on no document
    result = consistency(dossier)
    assert INTENDED_GAPS["city_goal_no_directie_serves"] in [
        g.title for g in result.city_goals_unserved
    ]
    unserved = {g.title for g in result.directie_goals_without_city_goal}
    assert set(INTENDED_GAPS["directie_goals_without_city_goal"]) <= unserved
    for key in ("analysemodel", "effectladder", "smart"):
        figure = agreement(dossier, key, n_boot=99)
        assert figure.alpha is not None, key
        assert 0 < figure.alpha < 1, key
