"""The bundled demo's policy set (deelvragen 2, 4 and 5): loaded through the workflows, and
showing the findings it was made to show."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kansenaudit.web.demo.services import demo_load
from kansenaudit.web.dossiers.models import Dossier


@pytest.fixture
def demo_policy(db):
    """The whole demo, with the policy workbench's fictional set."""
    return demo_load()


def _login(client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))


def test_demo_policy_set_is_loaded_through_the_workflows(client, demo_policy):
    """Register, uitvraag round trip, judgements with consensus and sign-off, council items."""
    from kansenaudit.demo.policy import demo_policy_set
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
    _the_demo_tells_a_coherent_dated_story(dossier, data)


def test_demo_monitoring_consistency_and_agreement_show_the_intended_findings(demo_policy):
    from kansenaudit.demo.policy import INTENDED_GAPS
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


def _the_demo_tells_a_coherent_dated_story(dossier, data):
    """Issue 12 §8: no request sent and accepted "today" after its deadline, no Amsterdam in
    fictional Voorbeeldstad, every citation with the person who made it."""
    import datetime as dt

    from django.utils import timezone

    from kansenaudit.web.core.models import AuditEvent
    from kansenaudit.web.evidence.models import Citation
    from kansenaudit.web.judgements.models import Judgement
    from kansenaudit.web.uitvraag.models import ReceivedFile, UitvraagRequest

    today = timezone.localdate()
    story_end = dt.date(2026, 3, 31)
    for request in UitvraagRequest.objects.filter(dossier=dossier):
        item = next(u for u in data.uitvragen if u.directie == request.directie.name)
        days = {h.to_status: timezone.localtime(h.at).date() for h in request.history.all()}
        assert days["verstuurd"] == item.sent_on < request.deadline
        assert days["geaccepteerd"] == item.received_on  # accepted on the day it came in
        received = ReceivedFile.objects.get(request=request)
        assert timezone.localtime(received.received_at).date() == item.received_on
        late = item.received_on > request.deadline
        assert late == bool(item.reminders)  # the one that came late was reminded first
    # The policy set's own events happened in the story, not on the day the demo was loaded.
    story = AuditEvent.objects.filter(dossier=dossier, action__startswith="uitvraag.")
    assert story.exists()
    assert all(timezone.localtime(e.occurred_at).date() <= story_end for e in story)
    if today > story_end:  # the day of loading (today) is not the day of the story
        assert not any(timezone.localtime(e.occurred_at).date() == today for e in story)
    signed = Judgement.objects.filter(dossier=dossier, status="afgetekend")
    assert {timezone.localtime(j.signed_off_at).date() for j in signed} == {dt.date(2026, 3, 18)}
    # Voorbeeldstad is the municipality of the demo, nowhere Amsterdam.
    from kansenaudit.web.judgements.selectors import framework_for_judgement

    for judgement in Judgement.objects.filter(dossier=dossier):
        criterion = framework_for_judgement(judgement).criterion(judgement.criterion_code)
        assert "Amsterdam" not in criterion.question
    # "Wie" on the citations page: every demo citation has the researcher who made it.
    assert not Citation.objects.filter(document__dossier=dossier, created_by=None).exists()
