"""Policy register services: validation, dossier boundaries, audit entries, refusal to delete
what is in use; monitoring gaps, distance to target and consistency by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.policy import selectors
from kansenaudit.web.policy import services as s
from kansenaudit.web.policy.models import Actor, EvidenceLink, Goal, Measure, TheoryLink
from tests.helpers.policy_fixtures import build_register, make_citation


@pytest.fixture
def reg(team):
    return build_register(team["dossier"], team["users"]["onderzoeker"])


def test_every_write_is_in_the_audit_log(team, reg):
    actions = set(
        AuditEvent.objects.filter(
            dossier=team["dossier"], action__startswith="policy."
        ).values_list("action", flat=True)
    )
    assert {
        "policy.actor_create",
        "policy.goal_create",
        "policy.measure_create",
        "policy.theory_step_create",
        "policy.theory_link_create",
        "policy.indicator_create",
        "policy.indicator_value_set",
        "policy.evidence_add",
    } <= actions
    event = AuditEvent.objects.get(
        action="policy.measure_create", object_id=str(reg["measures"]["m1"].pk)
    )
    assert event.actor == team["users"]["onderzoeker"]
    assert event.after["budgets"] == {"2024": "100000.00", "2025": "120000.00"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "", "kind": "directie"}, "naam is verplicht"),
        ({"name": "X", "kind": "koning"}, "onbekende waarde"),
        ({"name": "directie onderwijs", "kind": "directie"}, "er is al een actor"),
    ],
)
def test_actor_validation(team, reg, kwargs, message):
    with pytest.raises(s.PolicyError, match=message):
        s.actor_create(dossier=team["dossier"], actor=None, **kwargs)


def test_goal_hierarchy_rules(team, reg):
    g = reg["goals"]
    # A city goal cannot serve a directie goal (lower level).
    with pytest.raises(s.PolicyError, match="lagere"):
        s.goal_create(
            dossier=team["dossier"],
            title="Nieuw",
            level="coalitieakkoord",
            parent=g["d1"],
            actor=None,
        )
    # A directie goal may serve a city goal directly.
    direct = s.goal_create(
        dossier=team["dossier"], title="Direct", level="directie", parent=g["c2"], actor=None
    )
    assert direct.parent == g["c2"]
    # No cycles: C1 cannot serve B1 (B1 serves C1); same-level cycle between two directie goals.
    with pytest.raises(s.PolicyError):
        s.goal_update(goal=g["c1"], parent=g["b1"], actor=None)
    with pytest.raises(s.PolicyError, match="kring"):
        s.goal_update(
            goal=g["d1"],
            parent=s.goal_create(
                dossier=team["dossier"],
                title="Onder D1",
                level="directie",
                parent=g["d1"],
                actor=None,
            ),
            actor=None,
        )
    # Raising a goal's level above its children is refused.
    with pytest.raises(s.PolicyError, match="subdoel"):
        s.goal_update(goal=g["d1"], level="programma", actor=None)
    g["d1"].refresh_from_db()
    assert g["d1"].parent == g["b1"]


def test_nothing_crosses_dossiers(team, reg):
    other = team["other"]
    foreign_goal = s.goal_create(
        dossier=other, title="Ander doel", level="coalitieakkoord", actor=None
    )
    foreign_actor = s.actor_create(
        dossier=other, name="Andere directie", kind="directie", actor=None
    )
    d = team["dossier"]
    with pytest.raises(s.PolicyError, match="hoort niet bij dit dossier"):
        s.goal_create(dossier=d, title="X", level="directie", parent=foreign_goal, actor=None)
    with pytest.raises(s.PolicyError, match="hoort niet bij dit dossier"):
        s.measure_create(dossier=d, name="X", owner=foreign_actor, actor=None)
    with pytest.raises(s.PolicyError, match="hoort niet bij dit dossier"):
        s.measure_update(measure=reg["measures"]["m1"], goals=[foreign_goal], actor=None)
    with pytest.raises(s.PolicyError, match="hoort niet bij dit dossier"):
        s.indicator_create(dossier=d, name="X", goals=[foreign_goal], actor=None)
    foreign_citation = make_citation(other, title="Ander document")
    with pytest.raises(s.PolicyError, match="hoort niet bij dit dossier"):
        s.indicator_value_set(
            indicator=reg["indicators"]["i3"],
            kind="streefwaarde",
            year=2025,
            value=1,
            citation=foreign_citation,
            actor=None,
        )
    with pytest.raises(s.PolicyError, match="hoort niet bij dit dossier"):
        s.evidence_link_add(
            dossier=d, subject=reg["goals"]["c1"], citation=foreign_citation, actor=None
        )
    assert reg["measures"]["m1"].goals.get() == reg["goals"]["d1"]


def test_measure_rules(team, reg):
    a, d = reg["actors"], team["dossier"]
    with pytest.raises(s.PolicyError, match="directie"):
        s.measure_create(dossier=d, name="X", owner=a["besturen"], actor=None)
    with pytest.raises(s.PolicyError, match="negatief"):
        s.measure_create(dossier=d, name="X", owner=a["jeugd"], budgets={2024: -1}, actor=None)
    with pytest.raises(s.PolicyError, match="geen jaartal"):
        s.measure_create(dossier=d, name="X", budgets={"twintig": 5}, actor=None)
    with pytest.raises(s.PolicyError, match="vóór de start"):
        s.measure_create(dossier=d, name="X", start="2025-01-01", end="2024-01-01", actor=None)
    with pytest.raises(s.PolicyError, match="er is al een maatregel"):
        s.measure_create(dossier=d, name="schoolmaatje", owner=a["onderwijs"], actor=None)
    # The same name under another directie is another measure.
    s.measure_create(dossier=d, name="Schoolmaatje", owner=a["jeugd"], actor=None)
    m1 = s.measure_update(measure=reg["measures"]["m1"], budgets={2025: "99.5"}, actor=None)
    assert [(b.year, b.amount) for b in m1.budgets.all()] == [(2025, Decimal("99.50"))]
    with pytest.raises(s.PolicyError, match="directie blijven"):
        s.actor_update(item=a["onderwijs"], kind="partner", actor=None)
    assert Measure.objects.filter(dossier=d).count() == 4


def test_theory_links_go_forward_with_a_rationale(team, reg):
    t, m2 = reg["steps"], reg["measures"]["m2"]
    with pytest.raises(s.PolicyError, match="vooruit"):
        s.theory_link_create(source=t["oc1"], target=t["a1"], rationale="terug", actor=None)
    with pytest.raises(s.PolicyError, match="onderbouwing is verplicht"):
        s.theory_link_create(source=t["a1"], target=t["oc1"], rationale="  ", actor=None)
    with pytest.raises(s.PolicyError, match="bestaat al"):
        s.theory_link_create(source=t["a1"], target=t["o1"], rationale="nog eens", actor=None)
    other = s.theory_step_create(measure=m2, kind="output", text="Lessen", actor=None)
    with pytest.raises(s.PolicyError, match="dezelfde maatregel"):
        s.theory_link_create(source=t["a1"], target=other, rationale="x", actor=None)
    with pytest.raises(s.PolicyError, match="alleen een stap"):
        s.theory_step_create(
            measure=m2, kind="output", text="Y", goal=reg["goals"]["b1"], actor=None
        )
    # Equal kinds may be linked (sub-steps); changing a step's kind may not reverse a link.
    extra = s.theory_step_create(
        measure=reg["measures"]["m1"], kind="activiteit", text="Werven", actor=None
    )
    s.theory_link_create(source=extra, target=t["a1"], rationale="eerst werven", actor=None)
    with pytest.raises(s.PolicyError, match="terug in de keten"):
        s.theory_step_update(step=t["a1"], kind="outcome", actor=None)


def test_indicator_rules(team, reg):
    d, i1 = team["dossier"], reg["indicators"]["i1"]
    with pytest.raises(s.PolicyError, match="al een nulmeting"):
        s.indicator_value_set(indicator=i1, kind="nulmeting", year=2020, value=1, actor=None)
    # The same baseline year is replaced, not duplicated.
    s.indicator_value_set(indicator=i1, kind="nulmeting", year=2019, value=41, actor=None)
    assert i1.values.filter(kind="nulmeting").get().value == 41
    with pytest.raises(s.PolicyError, match="geen getal"):
        s.indicator_value_set(
            indicator=i1, kind="streefwaarde", year=2030, value="veel", actor=None
        )
    with pytest.raises(s.PolicyError, match="niet in de indicatorcatalogus"):
        s.indicator_create(
            dossier=d, name="X", source="catalogus", catalogue_key="bestaat_niet", actor=None
        )
    with pytest.raises(s.PolicyError, match="alleen een indicator met bron"):
        s.indicator_create(dossier=d, name="X", catalogue_key="bijstand", actor=None)
    item = s.indicator_create(
        dossier=d, name="Bijstand", source="catalogus", catalogue_key="bijstand", actor=None
    )
    assert item.polarity == "lager"
    assert item.unit
    assert item.definition
    # A realised value of a catalogue indicator is kept as reported (compared in monitoring),
    # and an indicator with realised values may become a catalogue indicator.
    reported = s.indicator_value_set(
        indicator=item, kind="realisatie", year=2023, value=5, actor=None
    )
    assert reported.kind == "realisatie"
    assert i1.values.filter(kind="realisatie").exists()
    changed = s.indicator_update(
        indicator=i1, source="catalogus", catalogue_key="bijstand", actor=None
    )
    assert changed.values.filter(kind="realisatie").count() == 2


def test_delete_in_use_is_refused_with_a_message(team, reg):
    g, a, m = reg["goals"], reg["actors"], reg["measures"]
    with pytest.raises(s.PolicyError, match="nog gebruikt door"):
        s.goal_delete(goal=g["c1"], actor=None)  # has a sub-goal
    with pytest.raises(s.PolicyError, match="nog gebruikt door"):
        s.goal_delete(goal=g["d1"], actor=None)  # measures, indicators, a theory step
    with pytest.raises(s.PolicyError, match="nog gebruikt door"):
        s.actor_delete(item=a["onderwijs"], actor=None)
    with pytest.raises(s.PolicyError, match="nog gebruikt door"):
        s.measure_delete(measure=m["m1"], actor=None)  # an indicator measures it
    assert Goal.objects.filter(pk=g["c1"].pk).exists()
    # Unused: deleted with its own parts and evidence links, and logged.
    s.actor_delete(item=a["besturen"], actor=None)
    s.indicator_update(indicator=reg["indicators"]["i1"], measures=[], actor=None)
    link = reg["links"]["a1o1"]
    assert EvidenceLink.objects.filter(object_id=link.pk).exists()
    s.measure_delete(measure=m["m1"], actor=None)
    assert not TheoryLink.objects.filter(pk=link.pk).exists()
    assert (
        not EvidenceLink.objects.filter(dossier=team["dossier"])
        .exclude(object_id=reg["indicators"]["i2"].pk)
        .exists()
    )
    event = AuditEvent.objects.get(action="policy.measure_delete")
    assert event.before["evidence"] == [reg["citation"].pk]
    assert not Actor.objects.filter(name="Schoolbesturen").exists()


def test_monitoring_gaps_by_hand(team, reg):
    gaps = selectors.monitoring_gaps(team["dossier"])
    g, m, i, links = reg["goals"], reg["measures"], reg["indicators"], reg["links"]
    assert gaps.goals_without_measures == [g["c2"], g["d2"]]
    assert gaps.measures_without_goals == [m["m3"]]
    assert gaps.goals_without_indicators == [g["c2"], g["d2"]]
    assert gaps.indicators_without_baseline == [i["i2"], i["i3"]]
    assert gaps.indicators_without_target == [i["i3"]]
    assert gaps.links_without_evidence == [links["o1oc1"], links["oc1g1"]]
    assert gaps.total() == 2 + 1 + 2 + 2 + 1 + 2
    # Attaching evidence closes that gap.
    s.evidence_link_add(
        dossier=team["dossier"], subject=links["o1oc1"], citation=reg["citation"], actor=None
    )
    assert selectors.monitoring_gaps(team["dossier"]).links_without_evidence == [links["oc1g1"]]


def test_distance_to_target_by_hand(team, reg):
    result = selectors.monitoring(team["dossier"])
    rows = {row.goal.code: row for row in result.tree}
    assert [r.depth for r in result.tree] == [0, 1, 2, 0, 0]
    d1 = rows["C1.1.1"]
    havo = d1.indicators[0]
    assert havo.baseline == (2019, 40)
    assert havo.targets == [(2022, 45), (2026, 50)]
    assert havo.realised_source == "register"
    d = havo.distance
    # Latest realised 46 (2023); the first target in or after 2023 is 50 (2026).
    assert (d.realised_year, d.realised, d.target_year, d.target) == (2023, 46, 2026, 50)
    assert d.gap == pytest.approx(4)
    assert d.reached is False
    assert d.progress == pytest.approx((46 - 40) / (50 - 40))
    assert [mr.measure.name for mr in d1.measures] == ["Schoolmaatje"]
    assert d1.measures[0].indicators[0].indicator.name == "Havo-advies"
    uitval = rows["C1.1"].indicators[0].distance
    # Lower is better: realised 1.5 against target 2.0 is reached; gap = 1.5 − 2.0.
    assert uitval.gap == pytest.approx(-0.5)
    assert uitval.reached is True
    assert uitval.progress is None
    assert [mr.measure.name for mr in result.measures_without_goals] == ["Losse maatregel"]
    assert [st.indicator.name for st in result.indicators_unlinked] == ["Tevredenheid ouders"]


def test_distance_with_targets_before_the_latest_year_and_neutral():
    d = selectors.distance_to_target(
        polarity="neutraal", baseline=None, targets=[(2020, 10.0)], realised=[(2024, 12.0)]
    )
    assert (d.target_year, d.gap, d.reached) == (2020, -2.0, None)
    assert (
        selectors.distance_to_target(
            polarity="hoger", baseline=None, targets=[], realised=[(2024, 1.0)]
        )
        is None
    )


def test_consistency_by_hand(team, reg):
    result = selectors.consistency(team["dossier"])
    g, a = reg["goals"], reg["actors"]
    rows = {row.goal.pk: row for row in result.city_goals}
    assert [row.goal for row in result.city_goals] == [g["c1"], g["b1"], g["c2"]]
    c1 = rows[g["c1"].pk].by_directie
    assert [(sv.measure.name, sv.via) for sv in c1[a["onderwijs"].pk]] == [
        ("Schoolmaatje", g["d1"])
    ]
    assert [(sv.measure.name, sv.via) for sv in c1[a["jeugd"].pk]] == [("Zomerschool", g["b1"])]
    b1 = rows[g["b1"].pk].by_directie
    assert [(sv.measure.name, sv.via) for sv in b1[a["jeugd"].pk]] == [("Zomerschool", None)]
    assert result.city_goals_unserved == [g["c2"]]
    assert result.directie_goals_without_city_goal == [g["d2"]]
    directies = [d.name for d in result.directies]
    matrix = {goal.title: counts for goal, _depth, counts in result.matrix()}
    assert matrix["Minder armoede"] == [0, 0]
    assert dict(zip(directies, matrix["Gelijke kansen voor ieder kind"], strict=True)) == {
        "Directie Jeugd": 1,
        "Directie Onderwijs": 1,
    }
