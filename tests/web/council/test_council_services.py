"""Registering, changing and removing council information items: rules and audit log."""

from __future__ import annotations

import datetime as dt

import pytest

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.council import selectors, services
from kansenaudit.web.council.models import InformationItem
from tests.helpers.council_builders import document, goal, indicator, measure


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


def test_register_takes_title_and_date_from_the_document_and_logs(team):
    dossier, user = team["dossier"], team["users"]["onderzoeker"]
    doc = document(dossier, "Raadsbrief voortgang 2024", dt.date(2024, 11, 5))
    g = goal(dossier, "Gelijke start")
    m = measure(dossier, "Voorschool")
    i = indicator(dossier, "Deelname voorschool")
    item = services.item_register(
        dossier=dossier,
        document=doc,
        reports_on="effecten",
        goals=[g],
        measures=[m],
        indicators=[i],
        actor=user,
    )
    assert (item.title, item.date) == ("Raadsbrief voortgang 2024", dt.date(2024, 11, 5))
    assert list(item.goals.all()) == [g]
    assert item.created_by == user
    event = AuditEvent.objects.get(action="council.item_register")
    assert event.dossier_id == dossier.pk
    assert event.actor == user
    assert event.object_id == str(item.pk)
    assert event.after["goals"] == [g.pk]
    assert event.after["measures"] == [m.pk]
    assert event.after["indicators"] == [i.pk]
    assert event.after["reports_on"] == "effecten"


def test_explicit_title_and_date_win(team):
    dossier = team["dossier"]
    doc = document(dossier, "Begroting 2025", dt.date(2024, 10, 1), "begroting")
    item = services.item_register(
        dossier=dossier,
        document=doc,
        reports_on="outputs",
        title="Begroting 2025, programma Onderwijs",
        date=dt.date(2024, 11, 7),
        actor=None,
    )
    assert item.title == "Begroting 2025, programma Onderwijs"
    assert item.date == dt.date(2024, 11, 7)
    assert AuditEvent.objects.get(action="council.item_register").actor_label.startswith("cli:")


def test_document_of_another_dossier_is_refused(team):
    foreign = document(team["other"], "Geheime brief", dt.date(2024, 1, 1))
    with pytest.raises(services.CouncilError, match="Document: dit document hoort niet"):
        services.item_register(
            dossier=team["dossier"], document=foreign, reports_on="outputs", actor=None
        )
    assert not InformationItem.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="council.").exists()


@pytest.mark.parametrize("kind", ["goals", "measures", "indicators"])
def test_policy_elements_of_another_dossier_are_refused(team, kind):
    dossier, other = team["dossier"], team["other"]
    doc = document(dossier, "Raadsbrief", dt.date(2024, 1, 1))
    foreign = {
        "goals": lambda: goal(other, "Vreemd doel"),
        "measures": lambda: measure(other, "Vreemde maatregel"),
        "indicators": lambda: indicator(other, "Vreemde indicator"),
    }[kind]()
    label = {"goals": "Doel", "measures": "Maatregel", "indicators": "Indicator"}[kind]
    with pytest.raises(services.CouncilError, match=f"{label} „.*” hoort niet bij dit dossier"):
        services.item_register(
            dossier=dossier, document=doc, reports_on="outputs", actor=None, **{kind: [foreign]}
        )
    assert not InformationItem.objects.exists()
    item = services.item_register(dossier=dossier, document=doc, reports_on="outputs", actor=None)
    with pytest.raises(services.CouncilError, match="hoort niet bij dit dossier"):
        services.item_update(item=item, actor=None, **{kind: [foreign]})
    assert getattr(item, kind).count() == 0
    assert not AuditEvent.objects.filter(action="council.item_update").exists()


def test_bad_input_names_the_field(team):
    dossier = team["dossier"]
    doc = document(dossier, "Motie", dt.date(2024, 1, 1), "motie")
    undated = document(dossier, "Ongedateerde brief", None)
    with pytest.raises(services.CouncilError, match="Rapporteert over: „resultaat”"):
        services.item_register(dossier=dossier, document=doc, reports_on="resultaat", actor=None)
    with pytest.raises(services.CouncilError, match="Datum: het document heeft geen datum"):
        services.item_register(dossier=dossier, document=undated, reports_on="geen", actor=None)
    with pytest.raises(services.CouncilError, match="Titel: ten hoogste 300"):
        services.item_register(
            dossier=dossier, document=doc, reports_on="geen", title="x" * 301, actor=None
        )
    item = services.item_register(dossier=dossier, document=doc, reports_on="geen", actor=None)
    with pytest.raises(services.CouncilError, match="al als raadsinformatie geregistreerd"):
        services.item_register(dossier=dossier, document=doc, reports_on="geen", actor=None)
    with pytest.raises(services.CouncilError, match="Titel: vul een titel in"):
        services.item_update(item=item, title="  ", actor=None)
    with pytest.raises(services.CouncilError, match="Datum"):
        services.item_update(item=item, date=None, actor=None)
    assert InformationItem.objects.count() == 1


def test_update_logs_before_and_after_and_skips_no_change(team):
    dossier, user = team["dossier"], team["users"]["projectleider"]
    doc = document(dossier, "Jaarverslag 2023", dt.date(2024, 6, 1), "jaarverslag")
    g1, g2 = goal(dossier, "Doel een"), goal(dossier, "Doel twee")
    item = services.item_register(
        dossier=dossier, document=doc, reports_on="outputs", goals=[g1], actor=user
    )
    services.item_update(item=item, reports_on="beide", goals=[g1, g2], note="Nieuw", actor=user)
    item.refresh_from_db()
    assert item.reports_on == "beide"
    assert set(item.goals.all()) == {g1, g2}
    event = AuditEvent.objects.get(action="council.item_update")
    assert event.before["reports_on"] == "outputs"
    assert event.before["goals"] == [g1.pk]
    assert event.after["reports_on"] == "beide"
    assert event.after["goals"] == sorted([g1.pk, g2.pk])
    assert event.after["note"] == "Nieuw"
    services.item_update(item=item, reports_on="beide", actor=user)
    assert AuditEvent.objects.filter(action="council.item_update").count() == 1


def test_remove_logs_and_keeps_the_document(team):
    dossier = team["dossier"]
    doc = document(dossier, "Raadsvoorstel", dt.date(2023, 1, 1), "raadsvoorstel")
    item = services.item_register(dossier=dossier, document=doc, reports_on="geen", actor=None)
    pk = item.pk
    services.item_remove(item=item, actor=team["users"]["onderzoeker"])
    assert not InformationItem.objects.filter(pk=pk).exists()
    doc.refresh_from_db()
    event = AuditEvent.objects.get(action="council.item_remove")
    assert event.object_id == str(pk)
    assert event.before["title"] == "Raadsvoorstel"
    assert event.after is None


def test_suggestions_are_unregistered_council_documents_of_the_dossier(team):
    dossier = team["dossier"]
    letter = document(dossier, "Raadsbrief A", dt.date(2024, 2, 1), "raadsbrief")
    progress = document(dossier, "Voortgang", dt.date(2023, 2, 1), "voortgangsrapportage")
    document(dossier, "Beleidsnota", dt.date(2023, 1, 1), "beleidsnota")  # not a council type
    document(team["other"], "Brief elders", dt.date(2023, 1, 1), "raadsbrief")
    assert list(selectors.suggested_documents(dossier)) == [progress, letter]
    services.item_register(dossier=dossier, document=letter, reports_on="outputs", actor=None)
    assert list(selectors.suggested_documents(dossier)) == [progress]
    assert selectors.council_summary(dossier)["suggestions"] == 1
