"""The reads the policy pages call for evidence: which object a widget key names, the citations
the register may cite, and the links the widget may remove."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from kansenaudit.web.judgements.models import Judgement
from kansenaudit.web.policy import selectors
from kansenaudit.web.policy import services as s
from kansenaudit.web.policy.models import EvidenceLink
from tests.helpers.policy_fixtures import make_citation


@pytest.fixture
def register(team):
    dossier = team["dossier"]
    goal = s.goal_create(dossier=dossier, title="Gelijke kansen", level="directie", actor=None)
    measure = s.measure_create(dossier=dossier, name="Bijles", actor=None)
    step = s.theory_step_create(measure=measure, kind="activiteit", text="Bijles", actor=None)
    other = s.goal_create(dossier=team["other"], title="Geheim", level="directie", actor=None)
    return {"dossier": dossier, "goal": goal, "step": step, "other": other}


def test_a_widget_key_names_an_object_of_this_dossier_only(register):
    dossier, goal, step = register["dossier"], register["goal"], register["step"]
    assert selectors.evidence_subject(dossier, selectors.subject_key(goal)) == goal
    # Through its measure: a theory step belongs to the measure's dossier.
    assert selectors.evidence_subject(dossier, selectors.subject_key(step)) == step
    other_key = selectors.subject_key(register["other"])
    assert selectors.evidence_subject(dossier, other_key) is None
    assert selectors.evidence_subject(register["other"].dossier, other_key) == register["other"]
    for bad in (
        "auth.user:1",
        "core.auditevent:1",
        "policy.evidencelink:1",
        f"policy.goal:{goal.pk + 1000}",
        "policy.goal:x",
        "policy.nomodel:1",
        "nonsense",
        "",
    ):
        assert selectors.evidence_subject(dossier, bad) is None, bad


def test_the_register_cites_its_own_dossiers_citations_in_document_order(register, team):
    dossier = register["dossier"]
    later = make_citation(dossier, quote="toetsscores", title="B-rapport")
    earlier_place = make_citation(dossier, quote="Uit onderzoek", title="A-rapport")
    foreign = make_citation(team["other"], title="Elders")
    assert selectors.register_citations(dossier) == [earlier_place, later]
    assert selectors.register_citation(dossier, str(later.pk)) == later
    assert selectors.register_citation(dossier, foreign.pk) is None
    assert selectors.register_citation(dossier, "geen getal") is None


def test_the_widget_removes_register_links_but_not_a_judgements(register, team):
    dossier, goal = register["dossier"], register["goal"]
    citation = make_citation(dossier)
    link = s.evidence_link_add(dossier=dossier, subject=goal, citation=citation, actor=None)
    # A judgement's evidence is attached by the judgement services; here only its row matters.
    judgement_link = EvidenceLink.objects.create(
        dossier=dossier,
        citation=citation,
        content_type=ContentType.objects.get_for_model(Judgement),
        object_id=1,
    )
    foreign = make_citation(team["other"], title="Elders")
    foreign_link = s.evidence_link_add(
        dossier=team["other"], subject=register["other"], citation=foreign, actor=None
    )
    removable = set(selectors.removable_evidence_links(dossier))
    assert link in removable
    assert judgement_link not in removable
    assert foreign_link not in removable


def test_the_dossier_of_a_subject_is_found_through_its_measure(register):
    assert selectors.dossier_id_of(register["goal"]) == register["dossier"].pk
    assert selectors.dossier_id_of(register["step"]) == register["dossier"].pk
    assert selectors.dossier_id_of(object()) is None


def test_register_entries_are_named_by_title_or_code_within_the_dossier(register):
    from kansenaudit.web.policy.models import Goal, Measure

    dossier = register["dossier"]
    goal = register["goal"]
    coded = s.goal_create(
        dossier=dossier, code="G7", title="Minder uitval", level="directie", actor=None
    )
    assert selectors.named_in_dossier(dossier, Goal, "title", "Gelijke kansen") == [goal]
    assert selectors.named_in_dossier(dossier, Goal, "title", "G7") == [coded]
    assert selectors.named_in_dossier(dossier, Goal, "title", "Geheim") == []  # other dossier
    owner = s.actor_create(dossier=dossier, name="Directie Jeugd", kind="directie", actor=None)
    s.measure_create(dossier=dossier, name="Bijles", owner=owner, actor=None)
    assert len(selectors.named_in_dossier(dossier, Measure, "name", "Bijles")) == 2  # ambiguous
