"""`kansenaudit judgements …`: export (blinded like the pages), agreement, frameworks, import."""

from __future__ import annotations

import csv
import json

import krippendorff
import numpy as np
import pytest
from click.testing import CliRunner

from kansenaudit.cli.main import cli
from kansenaudit.policy.frameworks import framework, to_dict
from kansenaudit.web.judgements import services
from kansenaudit.web.judgements.models import DossierFramework
from tests.helpers.judgements_support import measures

SECRET = "Geheime-motivering-van-de-eerste"


@pytest.fixture
def run(db):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def _double(team, measure, a, b):
    created, _ = services.judgements_start(
        dossier=team["dossier"],
        framework_key="effectladder",
        subject=measure,
        criteria=None,
        mode="dubbel",
        actor=None,
    )
    j = created[0]
    services.assessment_submit(
        judgement=j, actor=team["users"]["projectleider"], score=a, rationale=f"r{a}"
    )
    if b is not None:
        services.assessment_submit(
            judgement=j, actor=team["users"]["onderzoeker"], score=b, rationale=f"r{b}"
        )
    return j


def test_export_csv_and_xlsx_withhold_blind_scores(run, team, tmp_path):
    ms = measures(team["dossier"], 2)
    _double(team, ms[0], 2, 3)
    created, _ = services.judgements_start(
        dossier=team["dossier"],
        framework_key="effectladder",
        subject=ms[1],
        criteria=None,
        mode="dubbel",
        actor=None,
    )
    services.assessment_submit(
        judgement=created[0], actor=team["users"]["projectleider"], score=5, rationale=SECRET
    )
    out = tmp_path / "oordelen.csv"
    result = run(
        "judgements", "export", "--dossier", str(team["dossier"].pk), "--out", str(out), "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["judgements"] == 2
    text = out.read_text(encoding="utf-8-sig")
    history = (tmp_path / "oordelen-historie.csv").read_text(encoding="utf-8-sig")
    assert SECRET not in text
    assert SECRET not in history
    rows = list(csv.DictReader(text.splitlines(), delimiter=";"))
    by_subject = {r["onderwerp"]: r for r in rows}
    assert by_subject["Maatregel 1"]["score_2"].startswith("3 –")
    assert by_subject["Maatregel 2"]["score_1"] == "verborgen tot alle beoordelingen binnen zijn"
    xlsx = tmp_path / "oordelen.xlsx"
    assert (
        run(
            "judgements", "export", "--dossier", str(team["dossier"].pk), "--out", str(xlsx)
        ).exit_code
        == 0
    )
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row]
    assert SECRET not in " ".join(cells)


def test_export_refuses_bad_input(run, team, tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "judgements",
            "export",
            "--dossier",
            str(team["dossier"].pk),
            "--out",
            str(tmp_path / "x.pdf"),
        ],
    )
    assert result.exit_code != 0
    assert ".xlsx of .csv" in result.output
    result = CliRunner().invoke(
        cli, ["judgements", "export", "--dossier", "99999", "--out", str(tmp_path / "x.csv")]
    )
    assert result.exit_code != 0
    assert "dossier 99999 bestaat niet" in result.output
    assert "Traceback" not in result.output


def test_agreement_matches_the_reference(run, team):
    pairs = [(0, 1), (2, 2), (3, 4), (5, 5), (1, 1), (4, 2)]
    for measure, (a, b) in zip(measures(team["dossier"], len(pairs)), pairs, strict=True):
        _double(team, measure, a, b)
    result = run(
        "judgements",
        "agreement",
        "--dossier",
        str(team["dossier"].pk),
        "--framework",
        "effectladder",
        "--n-boot",
        "200",
        "--json",
    )
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)["agreement"]
    expected = krippendorff.alpha(
        reliability_data=np.array([[a for a, _ in pairs], [b for _, b in pairs]], dtype=float),
        level_of_measurement="ordinal",
        value_domain=list(range(6)),
    )
    assert row["alpha"] == pytest.approx(expected, abs=1e-9)
    assert row["units"] == 6
    assert row["pairable_values"] == 12
    assert row["level"] == "ordinal"
    text = run("judgements", "agreement", "--dossier", str(team["dossier"].pk)).output
    assert "effectladder: alfa = " in text
    assert "smart: alfa niet gedefinieerd" in text
    bad = CliRunner().invoke(
        cli, ["judgements", "agreement", "--dossier", str(team["dossier"].pk), "--framework", "x"]
    )
    assert bad.exit_code != 0
    assert "bestaat niet" in bad.output


def test_frameworks_list_and_import(run, team, tmp_path):
    dossier = str(team["dossier"].pk)
    listed = json.loads(run("judgements", "frameworks", "--dossier", dossier, "--json").output)
    assert [f["key"] for f in listed["frameworks"]][:2] == ["analysemodel", "effectladder"]
    data = to_dict(framework("effectladder"))
    data["name"] = "Effectladder (dossier)"
    path = tmp_path / "kader.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("judgements", "framework-import", "--dossier", dossier, str(path), "--json")
    assert json.loads(result.output) == {
        "dossier": team["dossier"].pk,
        "key": "effectladder",
        "version": 2,
        "created": True,
        "subject": "maatregel",
    }
    data["criteria"][0]["code"] = "E 1"
    data["name"] = " "
    path.write_text(json.dumps(data), encoding="utf-8")
    bad = CliRunner().invoke(
        cli, ["judgements", "framework-import", "--dossier", dossier, str(path)]
    )
    assert bad.exit_code != 0
    assert "kader.json: ongeldig beoordelingskader" in bad.output
    assert "'name' mag niet leeg zijn" in bad.output
    assert "criteriumcode 'E 1'" in bad.output
    assert "Traceback" not in bad.output
    path.write_text("{niet json", encoding="utf-8")
    bad = CliRunner().invoke(
        cli, ["judgements", "framework-import", "--dossier", dossier, str(path)]
    )
    assert bad.exit_code != 0
    assert "geen geldige JSON" in bad.output
    assert "regel 1" in bad.output
    new = to_dict(framework("smart"))
    new["key"] = "eigen"
    path.write_text(json.dumps(new), encoding="utf-8")
    bad = CliRunner().invoke(
        cli, ["judgements", "framework-import", "--dossier", dossier, str(path)]
    )
    assert bad.exit_code != 0
    assert "moet zeggen wat het beoordeelt" in bad.output
    ok = run("judgements", "framework-import", "--dossier", dossier, str(path), "--subject", "doel")
    assert ok.exit_code == 0
    assert "versie 1" in ok.output
    assert DossierFramework.objects.filter(key="eigen", subject_kind="doel").exists()
