"""Assessment frameworks: the shipped content, validation, and the JSON round trip."""

from __future__ import annotations

import copy
import dataclasses
import json
import subprocess
import sys

import pytest

from kansenaudit.policy.frameworks import (
    SCHEMA,
    Criterion,
    Framework,
    FrameworkError,
    Level,
    Scale,
    framework,
    frameworks,
    from_dict,
    to_dict,
    validate_framework,
)


def test_shipped_frameworks_validate_and_have_unique_keys():
    keys = [fw.key for fw in frameworks()]
    assert keys == [
        "analysemodel",
        "effectladder",
        "smart",
        "indicatorkwaliteit",
        "raadsinformatie",
    ]
    for fw in frameworks():
        validate_framework(fw)
        assert framework(fw.key) is fw


def test_analysis_model_has_c1_to_c6_with_the_design_wording():
    fw = framework("analysemodel")
    assert fw.codes == ("C1", "C2", "C3", "C4", "C5", "C6")
    assert fw.criterion("C2").question == "Is het beleid formeel vastgesteld?"
    assert "oorzaken/risicofactoren" in fw.criterion("C3").question
    assert "concrete en meetbare doelen (en indicatoren)" in fw.criterion("C4").question
    assert "consistent met het gemeentelijk beleid" in fw.criterion("C5").question
    assert "beleidstheorie" in fw.criterion("C6").question
    assert [lv.label for lv in fw.scale.levels] == ["voldoet niet", "deels", "voldoet"]
    assert fw.scale.kind == "ordinal"
    assert fw.scale.not_applicable == "n.v.t."
    assert "§4.1.6" in fw.source


def test_effectladder_has_rungs_0_to_5_with_the_recognition_levels():
    fw = framework("effectladder")
    assert fw.scale.values == (0, 1, 2, 3, 4, 5)
    assert [fw.scale.label(v) for v in range(6)] == [
        "impliciete kennis",
        "goed beschreven",
        "goed onderbouwd",
        "effectief volgens eerste aanwijzingen",
        "effectief volgens goede aanwijzingen",
        "effectief volgens sterke aanwijzingen",
    ]
    assert fw.scale.not_applicable is None
    assert "Van Yperen & Veerman (2008)" in fw.source
    assert "nog niet aan de primaire bron getoetst" in fw.source


def test_smart_indicator_and_council_criteria():
    assert [c.name for c in framework("smart").criteria] == [
        "Specifiek",
        "Meetbaar",
        "Acceptabel",
        "Realistisch",
        "Tijdgebonden",
    ]
    assert "averechts" in framework("smart").description
    assert [c.name for c in framework("indicatorkwaliteit").criteria] == [
        "Formulering",
        "Relevantie",
        "Betrouwbaarheid",
        "Begrijpelijkheid",
        "Gebruik",
    ]
    assert [c.name for c in framework("raadsinformatie").criteria] == [
        "Tijdig",
        "Volledig",
        "Over resultaten en effecten",
        "Begrijpelijk",
        "Maakt sturing mogelijk",
    ]


def test_every_criterion_has_a_question_and_guidance():
    for fw in frameworks():
        for criterion in fw.criteria:
            assert criterion.question.endswith("?"), (fw.key, criterion.code)
            assert criterion.guidance.strip(), (fw.key, criterion.code)


def test_unknown_keys_and_values():
    with pytest.raises(KeyError, match="onbekend beoordelingskader 'swot'; bekend zijn: "):
        framework("swot")
    with pytest.raises(KeyError, match="geen criterium 'C9'"):
        framework("analysemodel").criterion("C9")
    with pytest.raises(KeyError, match="staat niet op de schaal"):
        framework("effectladder").scale.label(6)
    with pytest.raises(KeyError):
        framework("effectladder").scale.label(True)  # a bool is not the value 1


def test_frameworks_are_immutable():
    fw = framework("smart")
    with pytest.raises(dataclasses.FrozenInstanceError):
        fw.name = "Anders"
    assert isinstance(fw.criteria, tuple)
    assert isinstance(fw.scale.levels[0], tuple)


@pytest.mark.parametrize("key", [fw.key for fw in frameworks()])
def test_json_round_trip(key):
    fw = framework(key)
    data = json.loads(json.dumps(to_dict(fw), ensure_ascii=False))
    assert data["schema"] == SCHEMA
    assert from_dict(data) == fw


def test_edited_copy_for_a_dossier():
    data = to_dict(framework("analysemodel"))
    data["key"] = "analysemodel-dossier-12"
    data["criteria"].append(
        {"code": "C7", "name": "Evaluatie", "question": "Wordt het beleid geëvalueerd?"}
    )
    data["scale"]["levels"][1] = [1, "gedeeltelijk", "Deels voldaan."]  # a list is accepted too
    fw = from_dict(data)
    assert fw.codes[-1] == "C7"
    assert fw.criterion("C7").guidance == ""
    assert fw.scale.label(1) == "gedeeltelijk"
    assert fw != framework("analysemodel")


def broken(mutate):
    data = copy.deepcopy(to_dict(framework("analysemodel")))
    mutate(data)
    return data


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (lambda d: d["criteria"][1].update(code="C1"), "criteriumcodes komen dubbel voor: C1"),
        (lambda d: d.update(key="Analyse Model"), "sleutel 'Analyse Model'"),
        (lambda d: d.update(schema="iets/2"), "schema moet 'kansenaudit.framework/1' zijn"),
        (lambda d: d.update(name=" "), "veld 'name' mag niet leeg zijn"),
        (lambda d: d.update(extra=1), "onbekende velden 'extra'"),
        (lambda d: d.pop("source"), "ontbrekende velden 'source'"),
        (lambda d: d.update(criteria=[]), "minstens één criterium"),
        (lambda d: d.update(criteria={}), "'criteria' moet een lijst zijn"),
        (lambda d: d["criteria"][0].update(question=""), "criterium 'C1': vraag is leeg"),
        (lambda d: d["criteria"][0].update(name=3), "criterium 1 naam: verwacht tekst"),
        (lambda d: d["criteria"][0].update(code="C 1"), "criteriumcode 'C 1'"),
        (lambda d: d["scale"].update(kind="interval"), "schaalsoort 'interval'"),
        (lambda d: d["scale"]["levels"].pop(), None),  # two levels remain: still valid
        (lambda d: d["scale"].update(levels=d["scale"]["levels"][:1]), "minstens twee waarden"),
        (lambda d: d["scale"]["levels"][2].update(value=1), "schaalwaarden komen dubbel voor"),
        (lambda d: d["scale"]["levels"][2].update(label="Deels"), "schaallabels komen dubbel"),
        (lambda d: d["scale"]["levels"][0].update(value=5), "moeten oplopen"),
        (lambda d: d["scale"]["levels"][0].update(value="nul"), "hele getallen"),
        (lambda d: d["scale"]["levels"][0].update(value=True), "geheel getal of tekst"),
        (lambda d: d["scale"]["levels"][0].update(value=0.5), "geheel getal of tekst"),
        (lambda d: d["scale"].update(not_applicable="deels"), "ook een schaalwaarde"),
        (lambda d: d["scale"].update(not_applicable=0), "tekst of null"),
        (lambda d: d["scale"]["levels"].append("x"), "schaalwaarde 4: verwacht een object"),
    ],
)
def test_from_dict_validates(mutate, problem):
    data = broken(mutate)
    if problem is None:
        from_dict(data)
        return
    with pytest.raises(FrameworkError) as info:
        from_dict(data)
    assert any(problem in p for p in info.value.problems), info.value.problems
    assert str(info.value).startswith("Ongeldig beoordelingskader: ")


def test_nominal_scale():
    scale = Scale(
        "nominal",
        (Level("ja", "ja", ""), Level("nee", "nee", ""), Level("onbekend", "onbekend", "")),
    )
    fw = Framework("aanwezig", "Aanwezig", scale, (Criterion("A", "Aanwezig", "Is het er?"),), "x")
    validate_framework(fw)
    assert from_dict(to_dict(fw)) == fw
    bad = dataclasses.replace(
        fw, scale=Scale("nominal", (Level(1, "een", ""), Level(2, "twee", "")))
    )
    with pytest.raises(FrameworkError, match="niet-lege tekstcodes"):
        validate_framework(bad)


def test_all_problems_are_listed_at_once():
    data = broken(lambda d: (d.update(key="X Y", name=""), d["criteria"][0].update(code="C2")))
    with pytest.raises(FrameworkError) as info:
        from_dict(data)
    assert len(info.value.problems) == 3


def test_from_dict_needs_an_object():
    with pytest.raises(FrameworkError, match="verwacht een object"):
        from_dict([])


@pytest.mark.parametrize(
    "module",
    ["kansenaudit.policy", "kansenaudit.policy.frameworks", "kansenaudit.policy.uitvraag"],
)
def test_policy_layer_does_not_import_django(module):
    code = (
        f"import {module}, sys; "
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'django')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == ""
