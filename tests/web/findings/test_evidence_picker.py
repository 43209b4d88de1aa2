"""The evidence picker of a finding: it lists the dossier's evidence per kind of the registry,
searches it on the server, attaches the ticked pieces at once, and never offers a citation held
for an assessment that is still blind. The registry skips a kind whose module is missing, and
the picker lists a kind as soon as its module is there."""

from __future__ import annotations

import dataclasses
import sys
import types

import pytest
from django.urls import reverse

from kansenaudit.ingest.extract import extract
from kansenaudit.web.dossiers.models import SubQuestion
from kansenaudit.web.evidence import services as evidence
from kansenaudit.web.findings import registry, selectors, services
from kansenaudit.web.findings.models import EvidenceRef
from kansenaudit.web.findings.services import FindingsError
from kansenaudit.web.judgements import services as judgements
from kansenaudit.web.policy.models import Measure
from tests.web.findings.builders import evidence_of_every_kind

BLIND_QUOTE = "Het zwembad is alleen op woensdag open voor schoolklassen."


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def w(team):
    dossier, users = team["dossier"], team["users"]
    oz = users["onderzoeker"]
    finding = services.finding_create(
        dossier=dossier,
        sub_question=SubQuestion.objects.get(dossier=dossier, number=1),
        code="B1",
        title="Bevinding",
        text="Tekst.",
        actor=oz,
    )
    objects = evidence_of_every_kind(dossier)
    # A citation onderzoeker made for their blind assessment of a two-assessor judgement.
    measure = Measure.objects.create(dossier=dossier, name="Schoolzwemmen")
    (judgement,), _ = judgements.judgements_start(
        dossier=dossier,
        framework_key="effectladder",
        subject=measure,
        criteria=None,
        mode="dubbel",
        actor=users["projectleider"],
        assessors=[oz, users["projectleider"]],
    )
    data = (BLIND_QUOTE + "\n").encode()
    document, _ = evidence.document_store(
        dossier=dossier, extracted=extract(data, "zwemnota.txt", ocr=False), data=data, actor=None
    )
    blind = evidence.citation_create(
        document=document,
        page_number=1,
        start=0,
        end=len(BLIND_QUOTE),
        actor=oz,
        held_for=judgement,
    )
    return {**team, "finding": finding, "objects": objects, "blind": blind, "oz": oz}


def _offered(groups):
    return {i.value for g in groups for i in g.items}


def test_every_kind_of_the_registry_is_listed_with_its_evidence(w):
    groups = selectors.evidence_choices(w["finding"])
    assert [g.key for g in groups] == list(registry.kinds())
    offered = _offered(groups)
    for kind, obj in w["objects"].items():
        assert f"{kind}:{obj.pk}" in offered, kind


def test_a_citation_held_for_a_blind_assessment_is_never_offered_nor_accepted(w, client):
    blind = f"citaat:{w['blind'].pk}"
    assert blind not in _offered(selectors.evidence_choices(w["finding"]))
    assert blind not in _offered(selectors.evidence_choices(w["finding"], "zwembad woensdag"))
    assert selectors.evidence_picked(w["finding"], [blind]) == []
    # Not even to the assessor who made it: the finding is shared with the whole team.
    client.force_login(w["oz"])
    url = reverse("findings:evidence_pick", args=[w["dossier"].pk, w["finding"].pk])
    page = client.get(url, {"q": "zwembad"}).content.decode()
    assert BLIND_QUOTE not in page
    # A forged post is refused by the service, and nothing is attached.
    response = client.post(url, {"bewijs": [blind], "actie": "koppelen"})
    assert response.status_code == 400
    assert BLIND_QUOTE not in response.content.decode()
    assert not EvidenceRef.objects.filter(finding=w["finding"]).exists()
    with pytest.raises(FindingsError):
        services.evidence_add(
            finding=w["finding"], kind="citaat", object_id=w["blind"].pk, actor=w["oz"]
        )


def test_search_narrows_every_kind_on_the_server(w):
    groups = {g.key: g for g in selectors.evidence_choices(w["finding"], "schoolverlaten 2024")}
    assert [i.value for i in groups["statistiek"].items] == [
        f"statistiek:{w['objects']['statistiek'].pk}"
    ]
    assert groups["citaat"].items == []
    only = selectors.evidence_choices(w["finding"], "", kind="monitoring")
    assert [g.key for g in only] == ["monitoring"]


def test_the_limit_says_there_is_more(w):
    groups = {g.key: g for g in selectors.evidence_choices(w["finding"], limit=1)}
    assert len(groups["citaat"].items) == 1
    assert groups["citaat"].more  # two ordinary citations (the item's letter and the quote)
    assert not groups["raadsinformatie"].more


def test_ticked_pieces_are_attached_at_once_and_no_longer_offered(w, client):
    client.force_login(w["oz"])
    url = reverse("findings:evidence_pick", args=[w["dossier"].pk, w["finding"].pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="bewijs"' in body
    assert "<script src=" in body
    assert "<script>" not in body
    chosen = [f"{k}:{o.pk}" for k, o in w["objects"].items()]
    # A search keeps what was ticked before it.
    searched = client.post(url, {"bewijs": chosen[:2], "q": "schoolverlaten", "actie": "zoeken"})
    assert searched.status_code == 200
    assert body.count(" checked>") + 2 == searched.content.decode().count(" checked>")
    response = client.post(url, {"bewijs": chosen, "note": "Zie de tabel", "actie": "koppelen"})
    assert response.status_code == 302
    assert response["Location"].endswith("#bewijs")
    refs = EvidenceRef.objects.filter(finding=w["finding"])
    assert {f"{r.kind}:{r.object_id}" for r in refs} == set(chosen)
    assert {r.note for r in refs} == {"Zie de tabel"}
    assert not _offered(selectors.evidence_choices(w["finding"])) & set(chosen)


def test_bad_picks_change_nothing(w, client):
    client.force_login(w["oz"])
    url = reverse("findings:evidence_pick", args=[w["dossier"].pk, w["finding"].pk])
    good = f"oordeel:{w['objects']['oordeel'].pk}"
    for bad in ([], [good, "citaat:x"], [good, "onbekend:1"], [good, "citaat:999999"]):
        response = client.post(url, {"bewijs": bad, "actie": "koppelen"})
        assert response.status_code == 400, bad
        assert not EvidenceRef.objects.filter(finding=w["finding"]).exists(), bad


def test_a_reader_cannot_open_the_picker(w, client):
    client.force_login(w["users"]["meelezer"])
    url = reverse("findings:evidence_pick", args=[w["dossier"].pk, w["finding"].pk])
    assert client.get(url).status_code == 403


# --- kinds whose module is missing or appears later ------------------------------------------


@pytest.fixture
def fresh_kinds():
    registry.kinds.cache_clear()
    yield
    registry.kinds.cache_clear()


def test_a_kind_whose_module_is_missing_is_skipped(fresh_kinds, monkeypatch, tmp_path):
    monkeypatch.setattr(
        registry,
        "KIND_PATHS",
        (
            *registry.KIND_PATHS[:1],
            "kansenaudit.web.bestaat_niet.evidence:SEGMENT",  # the app is not there
            "kansenaudit.web.findings.bestaat_niet:SEGMENT",  # the app is, the module is not
            "kansenaudit.web.findings.registry:BESTAAT_NIET",  # the module is, the kind is not
        ),
    )
    assert list(registry.kinds()) == ["citaat"]
    # A module that is there but fails on an import of its own is a bug: it is not hidden.
    (tmp_path / "kapot_bewijs.py").write_text("import bestaat_ook_niet\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "KIND_PATHS", ("kapot_bewijs:SEGMENT",))
    registry.kinds.cache_clear()
    with pytest.raises(ModuleNotFoundError, match="bestaat_ook_niet"):
        registry.kinds()


def test_a_kind_appears_in_the_picker_when_its_module_appears(w, fresh_kinds, monkeypatch):
    from kansenaudit.web.evidence.models import Citation

    path = "kansenaudit.web.coding.nieuw_bewijs:STAND_IN"
    monkeypatch.setattr(registry, "KIND_PATHS", (*registry.KIND_PATHS, path))
    before = [g.key for g in selectors.evidence_choices(w["finding"])]
    assert "stand_in" not in before
    module = types.ModuleType("kansenaudit.web.coding.nieuw_bewijs")
    # A stand-in kind over the citations table (the coding app has the real "segment" kind):
    # only the registry's contract matters here.
    module.STAND_IN = registry.EvidenceKind(
        key="stand_in",
        name="stand-in kind",
        load_many=lambda d, ids: {c.pk: c for c in Citation.objects.filter(dossier=d, pk__in=ids)},
        label=lambda c: f"stand-in {c.pk}",
        url=lambda c: "",
        content=lambda c: {"quote": c.quote_sha256},
    )
    monkeypatch.setitem(sys.modules, module.__name__, module)
    registry.kinds.cache_clear()
    groups = {g.key: g for g in selectors.evidence_choices(w["finding"])}
    # Without candidates it is offered by number, on the finding's page.
    assert groups["stand_in"].listed is False
    assert ("stand_in", "stand-in kind") in registry.kind_choices()
    module.STAND_IN = dataclasses.replace(
        module.STAND_IN, candidates=lambda d, words: Citation.objects.filter(dossier=d)
    )
    registry.kinds.cache_clear()
    groups = {g.key: g for g in selectors.evidence_choices(w["finding"])}
    assert groups["stand_in"].listed is True
    assert groups["stand_in"].items  # the stand-in lists the dossier's citations
