"""The network services on the real database: refusals store nothing, every change is logged,
versions copy whole, measure maps take the organisation map's ties, imports are all or nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.network import selectors, services
from kansenaudit.web.network.models import MapActor, NetworkMap, Tie, TieEvidence
from kansenaudit.web.network.services import NetworkError
from tests.web.network.builders import organisation_map, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(team):
    dossier = team["dossier"]
    reg = register(dossier)
    item, quote = organisation_map(dossier, reg, user=team["users"]["onderzoeker"])
    return {**team, **reg, "map": item, "quote": quote}


def _counts():
    return (
        Tie.objects.count(),
        TieEvidence.objects.count(),
        MapActor.objects.count(),
        NetworkMap.objects.count(),
    )


def test_map_creation_puts_the_register_on_the_map_and_is_logged(world):
    item = world["map"]
    assert set(item.members.values_list("actor__name", flat=True)) == {
        "Directie Jeugd",
        "Buurtteam",
        "Schoolbestuur",
        "Jongeren",
    }
    actions = list(
        AuditEvent.objects.filter(dossier=world["dossier"]).values_list("action", flat=True)
    )
    assert actions.count("network.tie_add") == 3
    assert "network.map_create" in actions
    with pytest.raises(NetworkError, match="already has a version"):
        services.map_create(dossier=world["dossier"], version="2026", actor=None)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"target": "directie"}, "two different actors"),
        ({"amount": Decimal("-1")}, "cannot be negative"),
        ({"kind": "information", "amount": Decimal("5")}, "Only a money tie"),
        ({"start": dt.date(2026, 1, 1), "end": dt.date(2025, 1, 1)}, "ends before it starts"),
        ({"strength": 9}, "from 1 to 5"),
        ({"kind": "bribe"}, "Unknown type"),
        ({"target": "foreign"}, "another dossier"),
        ({"year": 2024, "budget": "budget"}, "another year"),
        ({"citations": "foreign_quote"}, "another dossier"),
    ],
)
def test_bad_ties_are_refused_and_nothing_is_stored(world, change, message):
    from tests.helpers.judgements_support import citation

    other = world["other"]
    foreign = register(other, " B")["partner"]
    values = {"source": world["directie"], "target": world["partner"], "kind": "money"}
    for key, value in change.items():
        if value == "foreign":
            value = foreign
        elif value == "foreign_quote":
            value = [citation(other)]
        elif value in ("directie", "budget"):
            value = world[value]
        values[key] = value
    before, events = _counts(), AuditEvent.objects.count()
    with pytest.raises(NetworkError, match=message):
        services.tie_add(network_map=world["map"], actor=None, **values)
    assert _counts() == before
    assert AuditEvent.objects.count() == events


def test_the_database_refuses_what_the_service_refuses(world):
    from django.db import IntegrityError, transaction

    for bad in (
        {"target": world["directie"]},
        {"amount": Decimal("-1")},
        {"start": dt.date(2026, 1, 1), "end": dt.date(2020, 1, 1)},
    ):
        values = {
            "network_map": world["map"],
            "source": world["directie"],
            "target": world["partner"],
            "kind": "money",
            **bad,
        }
        with pytest.raises(IntegrityError), transaction.atomic():
            Tie.objects.create(**values)


def test_a_new_version_copies_actors_ties_and_evidence_and_compares(world):
    copy = services.map_copy(network_map=world["map"], version="2027", actor=None)
    assert copy.ties.count() == 3
    assert copy.members.count() == 4
    assert TieEvidence.objects.filter(tie__network_map=copy).count() == 1
    services.tie_remove(tie=copy.ties.get(kind="mandate"), actor=None)
    from kansenaudit.network.compare import compare_maps

    result = compare_maps(selectors.network_data(world["map"]), selectors.network_data(copy))
    assert result.ties_removed == ((str(world["directie"].pk), str(world["school"].pk), "mandate"),)
    assert world["map"].ties.count() == 3  # the old version is untouched


def test_a_measure_map_takes_the_organisation_maps_ties_between_its_actors(world):
    measure_map = services.map_create(
        dossier=world["dossier"], measure=world["measure"], version="2026", actor=None
    )
    # The measure's owner and target group start on the map; add the partner.
    services.member_set(
        network_map=measure_map,
        register_actor=world["partner"],
        influence=4,
        stance="supports",
        executes=True,
        actor=None,
    )
    rows = selectors.tie_rows(measure_map)
    assert {(r.tie.kind, r.inherited) for r in rows} == {("money", True), ("accountability", True)}
    data = selectors.network_data(measure_map)
    assert data.owner == str(world["directie"].pk)
    found = {f.id for f in selectors.analysis(measure_map).findings}
    # The partner carries the measure out and accounts for the money (so NW1 and NW2 stay
    # quiet: accountability counts as information back), but has no mandate for it.
    assert found == {f"NW4:{world['partner'].pk}"}


def test_budget_line_links_money_to_the_measure(world):
    measure_map = services.map_create(
        dossier=world["dossier"], measure=world["measure"], version="v1", actor=None
    )
    tie = services.tie_add(
        network_map=measure_map,
        source=world["directie"],
        target=world["partner"],
        kind="money",
        amount=Decimal("400000"),
        budget=world["budget"],
        actor=None,
    )
    assert tie.year == 2025
    assert tie.budget == world["budget"]
    assert tie.network_map.members.filter(actor=world["partner"]).exists()


def test_import_is_all_or_nothing_and_lists_unknown_actors(world):
    item = world["map"]
    before = _counts()
    content = (
        b"From;To;Type\nDirectie Jeugd;Buurtteam;informatie\n"
        b"Directie Jeugd;Onbekende Stichting;geld\nNiemand;Buurtteam;kennis\n"
    )
    with pytest.raises(NetworkError) as refused:
        services.ties_import(network_map=item, content=content, file_name="l.csv", actor=None)
    assert "Onbekende Stichting (rij 3)" in str(refused.value)
    assert "Niemand (rij 4)" in str(refused.value)
    assert _counts() == before
    bad = b"From;To;Type;Amount\nDirectie Jeugd;Buurtteam;geld;-3\n"
    with pytest.raises(NetworkError, match="Rij 2, kolom D"):
        services.ties_import(network_map=item, content=bad, file_name="l.csv", actor=None)
    assert _counts() == before
    good = (
        b"From;To;Type;Start\nDirectie Jeugd;buurtteam;informatie;2024\n"
        b"Buurtteam;Jongeren;samenwerking;\n"
    )
    assert services.ties_import(network_map=item, content=good, file_name="l.csv", actor=None) == 2
    assert item.ties.count() == 5
    event = AuditEvent.objects.filter(action="network.ties_import").get()
    assert event.after["ties"] == 2


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The refusals are matched by their English msgid (the Dutch catalogue is tested apart)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_layout_is_saved_and_used(world):
    item = world["map"]
    key = str(world["directie"].pk)
    services.layout_save(network_map=item, positions={key: [12.3, 45.6]}, actor=None)
    assert selectors.map_json(item, None, {})["nodes"][0]["id"]
    node = next(n for n in selectors.map_json(item, None, {})["nodes"] if n["id"] == key)
    assert (node["x"], node["y"]) == (12.3, 45.6)
    with pytest.raises(NetworkError, match="not on this map"):
        services.layout_save(network_map=item, positions={"999999": [1, 2]}, actor=None)
    with pytest.raises(NetworkError, match="two numbers"):
        services.layout_save(network_map=item, positions={key: ["x", None]}, actor=None)


def test_actors_with_ties_stay_on_the_map_and_in_the_register(world):
    from kansenaudit.web.policy import services as policy
    from kansenaudit.web.policy.services import PolicyError

    member = world["map"].members.get(actor=world["partner"])
    with pytest.raises(NetworkError, match="still has 2 tie"):
        services.member_remove(member=member, actor=None)
    with pytest.raises(PolicyError):
        policy.actor_delete(item=world["partner"], actor=None)
    lonely = world["map"].members.get(actor=world["groep"])
    services.member_remove(member=lonely, actor=None)
    assert not world["map"].members.filter(actor=world["groep"]).exists()


def test_evidence_is_added_once_and_held_citations_are_refused(world):
    tie = world["map"].ties.get(kind="mandate")
    services.tie_evidence_add(tie=tie, citation=world["quote"], actor=None)
    with pytest.raises(NetworkError, match="already supports"):
        services.tie_evidence_add(tie=tie, citation=world["quote"], actor=None)
