"""A finding can rest on a network map's audit checks (the findings registry's network kind)."""

from __future__ import annotations

import pytest

from kansenaudit.web.findings.registry import fingerprint, kinds
from kansenaudit.web.network import selectors
from tests.web.network.builders import organisation_map, register

pytestmark = pytest.mark.django_db


def test_the_checks_of_a_map_are_evidence_in_its_dossier_only(team):
    dossier = team["dossier"]
    item, _quote = organisation_map(dossier, register(dossier), user=team["users"]["onderzoeker"])
    kind = kinds()["netwerkcontrole"]
    found = kind.load_many(dossier, [item.pk])[item.pk]
    fired = sorted(selectors.finding_id(item, f) for f in selectors.analysis(item).findings)
    assert kind.content(found)["checks"] == fired
    assert kind.label(found).startswith("Netwerkkaart ")
    assert kind.url(found).endswith(f"/netwerk/{item.pk}/")
    assert len(fingerprint(kind, found)) == 64
    assert kind.load_many(team["other"], [item.pk]) == {}


def test_the_findings_picker_lists_the_maps_of_its_dossier_only(team):
    dossier = team["dossier"]
    item, _quote = organisation_map(dossier, register(dossier), user=team["users"]["onderzoeker"])
    kind = kinds()["netwerkcontrole"]
    assert list(kind.candidates(dossier, [])) == [item]
    assert list(kind.candidates(dossier, [item.version])) == [item]
    assert list(kind.candidates(dossier, ["nergens-te-vinden"])) == []
    assert list(kind.candidates(team["other"], [])) == []
