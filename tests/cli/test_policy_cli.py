"""`kansenaudit policy …`: export, import (round trip, re-import, bad files), monitoring,
consistency."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kansenaudit.cli.main import cli
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.dossiers.services import dossier_create
from kansenaudit.web.policy import exports
from kansenaudit.web.policy.models import Actor, Goal, Indicator, Measure, TheoryLink
from tests.helpers.policy_fixtures import build_register


@pytest.fixture
def run(db):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def source(team):
    build_register(team["dossier"])
    return team["dossier"]


def _named(records, name):
    return next(r for r in records if r["name"] == name)


def _registers(dossier):
    """The registers without ids, dates and evidence (which do not travel between dossiers)."""
    data = exports.registers_json(dossier)
    return {k: data[k] for k in ("actors", "goals", "measures", "indicators")}


def test_round_trip_into_a_new_dossier(run, source, tmp_path):
    out = tmp_path / "registers.json"
    result = run("policy", "export", "--dossier", source.pk, "--out", out)
    assert result.exit_code == 0, result.output
    target = dossier_create(title="Nieuw", municipality_code="GM0363", actor_label="test")
    result = run("policy", "import", "--dossier", target.pk, out, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["toegevoegd"]["maatregelen"] == 3
    assert report["toegevoegd"]["schakels"] == 3
    assert _registers(target) == _registers(source)
    assert AuditEvent.objects.filter(dossier=target, action="policy.import").count() == 1
    # A second import changes nothing and duplicates nothing.
    events = AuditEvent.objects.filter(dossier=target).count()
    report = json.loads(run("policy", "import", "--dossier", target.pk, out, "--json").output)
    assert report["toegevoegd"] == {}
    assert report["gewijzigd"] == {}
    assert AuditEvent.objects.filter(dossier=target).count() == events + 1
    assert Measure.objects.filter(dossier=target).count() == 3
    assert TheoryLink.objects.filter(measure__dossier=target).count() == 3


def test_reimport_updates_in_place(run, source, tmp_path):
    out = tmp_path / "registers.json"
    run("policy", "export", "--dossier", source.pk, "--out", out)
    data = json.loads(out.read_text())
    data["goals"][0]["description"] = "Nieuwe toelichting"
    data["measures"][0]["budgets"] = [{"year": 2030, "amount": "5"}]
    out.write_text(json.dumps(data))
    report = json.loads(run("policy", "import", "--dossier", source.pk, out, "--json").output)
    assert report["gewijzigd"] == {"doelen": 1, "maatregelen": 1}
    goal = Goal.objects.get(dossier=source, title=data["goals"][0]["title"])
    assert goal.description == "Nieuwe toelichting"
    measure = Measure.objects.get(dossier=source, name=data["measures"][0]["name"])
    assert [b.year for b in measure.budgets.all()] == [2030]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="iets anders"), "veld 'format'"),
        (
            lambda d: d["goals"][1].update(level="wereld"),
            "doelen[1] “Betere schoolresultaten”, veld 'level'",
        ),
        (
            lambda d: d["goals"][1].update(parent="Bestaat niet"),
            "veld 'parent': “Bestaat niet” bestaat niet",
        ),
        (
            lambda d: d["measures"][0].update(owner="Kinderen 0-12"),
            "veld 'owner': “Kinderen 0-12” is geen directie",
        ),
        (lambda d: d["measures"][0]["budgets"].append({"year": 2031, "amount": "-3"}), "negatief"),
        (lambda d: d["indicators"][0]["values"][0].update(value="veel"), "values[0].value"),
        (lambda d: d["actors"].append(dict(d["actors"][0])), "staat twee keer in het bestand"),
        (
            lambda d: _named(d["measures"], "Schoolmaatje")["theory"]["links"][0].update(
                source="s99"
            ),
            "stap “s99” bestaat niet",
        ),
        (
            lambda d: d["indicators"][0].update(source="catalogus", catalogue_key="onzin"),
            "niet in de indicatorcatalogus",
        ),
    ],
)
def test_bad_files_import_nothing(run, source, tmp_path, change, message):
    out = tmp_path / "registers.json"
    run("policy", "export", "--dossier", source.pk, "--out", out)
    data = json.loads(out.read_text())
    change(data)
    out.write_text(json.dumps(data))
    target = dossier_create(title="Leeg", municipality_code="GM0363", actor_label="test")
    result = CliRunner().invoke(cli, ["policy", "import", "--dossier", str(target.pk), str(out)])
    assert result.exit_code == 1
    assert "niets ingelezen" in result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not Actor.objects.filter(dossier=target).exists()
    assert not Indicator.objects.filter(dossier=target).exists()


def test_not_json_and_unknown_dossier(run, tmp_path):
    bad = tmp_path / "kapot.json"
    bad.write_text("{ niet goed")
    target = dossier_create(title="Leeg", municipality_code="GM0363", actor_label="test")
    result = CliRunner().invoke(cli, ["policy", "import", "--dossier", str(target.pk), str(bad)])
    assert result.exit_code == 1
    assert "geen geldige JSON: op regel 1" in result.output
    result = CliRunner().invoke(cli, ["policy", "monitoring", "--dossier", "9999"])
    assert result.exit_code == 1
    assert "dossier 9999 bestaat niet" in result.output


def test_export_xlsx_and_csv(run, source, tmp_path):
    xlsx = tmp_path / "registers.xlsx"
    assert run("policy", "export", "--dossier", source.pk, "--out", xlsx).exit_code == 0
    book = load_workbook(xlsx)
    assert book.sheetnames[1:9] == list(exports.REGISTERS)
    folder = tmp_path / "csv"
    assert run("policy", "export", "--dossier", source.pk, "--out", folder).exit_code == 0
    assert sorted(p.stem for p in folder.glob("*.csv")) == sorted([*exports.REGISTERS, "hiaten"])
    assert (folder / "doelen.csv").read_text("utf-8-sig").startswith("id;code;doel")


def test_monitoring_and_consistency(run, source):
    data = json.loads(run("policy", "monitoring", "--dossier", source.pk, "--json").output)
    assert data["hiaten"]["goals_without_measures"] == [
        "C2 Minder armoede",
        "D9 Eigen directiedoel",
    ]
    havo = next(row for row in data["boom"] if row["doel"] == "Meer kinderen met havo-advies")
    assert havo["indicatoren"][0]["afstand"]["afstand"] == pytest.approx(4)
    text = run("policy", "monitoring", "--dossier", source.pk).output
    assert "Hiaten (10)" in text
    data = json.loads(run("policy", "consistency", "--dossier", source.pk, "--json").output)
    assert data["stadsdoelen_zonder_directie"] == ["Minder armoede"]
    assert data["directiedoelen_zonder_stadsdoel"] == ["Eigen directiedoel"]
    first = data["stadsdoelen"][0]
    assert first["directies"]["Directie Onderwijs"] == [
        {"maatregel": "Schoolmaatje", "via": "Meer kinderen met havo-advies"}
    ]
    assert (
        "Stadsdoelen die geen directie dient"
        in run("policy", "consistency", "--dossier", source.pk).output
    )
