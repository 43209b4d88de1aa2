"""Frameworks as data per dossier: copies, versions, validation, and edits that would strip
existing judgements of their meaning."""

from __future__ import annotations

import copy
import json

import pytest
from django.urls import reverse

from kansenaudit.policy.frameworks import framework, to_dict
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.judgements import selectors, services
from kansenaudit.web.judgements.models import DossierFramework
from kansenaudit.web.judgements.services import JudgementError
from tests.helpers.judgements_support import subjects


def shipped(key):
    return copy.deepcopy(to_dict(framework(key)))


def test_dossier_lists_the_five_shipped_frameworks_without_copying(team):
    infos = selectors.dossier_frameworks(team["dossier"])
    assert [i.key for i in infos] == [
        "analysemodel",
        "effectladder",
        "smart",
        "indicatorkwaliteit",
        "raadsinformatie",
    ]
    assert all(i.version == 0 for i in infos)
    assert not DossierFramework.objects.exists()


def test_edit_makes_a_new_version_and_identical_content_none(team):
    data = shipped("smart")
    data["criteria"][0]["question"] = "Is het doel specifiek genoeg?"
    record, created = services.framework_save(
        dossier=team["dossier"], data=data, actor=team["users"]["onderzoeker"], note="scherper"
    )
    assert created
    assert record.version == 2
    assert DossierFramework.objects.filter(key="smart").count() == 2
    same, created = services.framework_save(dossier=team["dossier"], data=data, actor=None)
    assert not created
    assert same.pk == record.pk
    info = selectors.framework_info(team["dossier"], "smart")
    assert info.version == 2
    assert info.framework.criterion("S").question.endswith("genoeg?")
    assert AuditEvent.objects.filter(action="judgements.framework_save").count() == 1


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{", "geen geldige JSON"),
        ("[]", "verwacht een object"),
        (json.dumps({**shipped("smart"), "schema": "x/2"}), "schema moet"),
        (json.dumps({**shipped("smart"), "criteria": []}), "minstens één criterium"),
    ],
)
def test_invalid_json_is_refused_with_dutch_problems(team, text, problem):
    with pytest.raises(JudgementError) as info:
        services.framework_save(dossier=team["dossier"], data=text, actor=None)
    assert any(problem in p for p in info.value.problems), info.value.problems
    assert not DossierFramework.objects.filter(version__gt=1).exists()


def test_judged_criteria_and_used_values_cannot_disappear(team):
    s = subjects(team["dossier"])
    created, _ = services.judgements_start(
        dossier=team["dossier"],
        framework_key="analysemodel",
        subject=s["directie"],
        criteria=["C2", "C3"],
        mode="dubbel",
        actor=None,
    )
    services.assessment_submit(
        judgement=created[0],
        actor=team["users"]["onderzoeker"],
        score=None,
        not_applicable=True,
        rationale="m",
    )
    services.assessment_submit(
        judgement=created[1], actor=team["users"]["onderzoeker"], score=0, rationale="m"
    )
    data = shipped("analysemodel")
    data["criteria"] = [c for c in data["criteria"] if c["code"] not in ("C2", "C5")]
    data["scale"]["levels"] = data["scale"]["levels"][1:]  # drops 0, which is used
    data["scale"]["not_applicable"] = None  # used too
    with pytest.raises(JudgementError) as info:
        services.framework_save(dossier=team["dossier"], data=data, actor=None)
    problems = " | ".join(info.value.problems)
    assert "criteria met oordelen kunnen niet verdwijnen: C2" in problems
    assert "C5" not in problems.split("verdwijnen: ")[1].split(" |")[0]
    assert "schaalwaarden die in beoordelingen gebruikt zijn" in problems
    assert "0" in problems
    assert "'niet van toepassing'" in problems
    assert DossierFramework.objects.filter(key="analysemodel").count() == 1
    # Removing an unjudged criterion is fine.
    ok = shipped("analysemodel")
    ok["criteria"] = [c for c in ok["criteria"] if c["code"] != "C5"]
    record, created = services.framework_save(dossier=team["dossier"], data=ok, actor=None)
    assert created
    assert record.version == 2


def test_new_framework_needs_a_known_subject_and_keeps_it(team):
    data = shipped("smart")
    data["key"] = "eigen-kader"
    with pytest.raises(JudgementError, match="moet zeggen wat het beoordeelt"):
        services.framework_save(dossier=team["dossier"], data=data, actor=None)
    with pytest.raises(JudgementError, match="onbekend onderwerp"):
        services.framework_save(dossier=team["dossier"], data=data, actor=None, subject_kind="wijk")
    record, _ = services.framework_save(
        dossier=team["dossier"], data=data, actor=None, subject_kind="doel"
    )
    assert record.version == 1
    assert record.subject_kind == "doel"
    data["name"] = "Eigen kader, herzien"
    with pytest.raises(JudgementError, match="onderwerp kan niet veranderen"):
        services.framework_save(
            dossier=team["dossier"], data=data, actor=None, subject_kind="maatregel"
        )
    assert selectors.framework_info(team["dossier"], "eigen-kader").subject_kind == "doel"


def test_meelezer_cannot_edit_through_the_service(team):
    with pytest.raises(JudgementError, match="mag in dit dossier niet"):
        services.framework_save(
            dossier=team["dossier"], data=shipped("smart"), actor=team["users"]["meelezer"]
        )


def test_framework_editor_page_lists_every_problem(client, team):
    client.force_login(team["users"]["onderzoeker"])
    url = reverse("judgements:framework_edit", args=[team["dossier"].pk, "smart"])
    bad = shipped("smart")
    bad["criteria"][1]["code"] = "S"
    bad["name"] = ""
    response = client.post(url, {"json": json.dumps(bad)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "criteriumcodes komen dubbel voor: S" in body
    assert "veld &#x27;name&#x27; mag niet leeg zijn" in body or "veld 'name'" in body
    response = client.post(url, {"json": "{ kapot"})
    assert response.status_code == 400
    assert "geen geldige JSON" in response.content.decode()
    renamed = shipped("smart")
    renamed["key"] = "ander"
    response = client.post(url, {"json": json.dumps(renamed)})
    assert response.status_code == 400
    good = shipped("smart")
    good["name"] = "SMART, dossierversie"
    response = client.post(url, {"json": json.dumps(good), "notitie": "naam"})
    assert response.status_code == 302
    page = client.get(reverse("judgements:framework", args=[team["dossier"].pk, "smart"]))
    assert "SMART, dossierversie" in page.content.decode()
    download = client.get(reverse("judgements:framework_json", args=[team["dossier"].pk, "smart"]))
    assert json.loads(download.content)["name"] == "SMART, dossierversie"
    assert (
        client.get(
            reverse("judgements:framework", args=[team["dossier"].pk, "onbekend"])
        ).status_code
        == 404
    )
