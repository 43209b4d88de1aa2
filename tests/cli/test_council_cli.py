"""`kansenaudit council …` in-process against the test database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner

from kansenaudit.cli.main import cli
from kansenaudit.ingest.extract import extract
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.council.models import InformationItem
from kansenaudit.web.evidence import services as evidence
from kansenaudit.web.policy.models import Goal


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def run(db):
    runner = CliRunner()

    def invoke(*args: object):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def _document(dossier, title, date, doc_type="raadsbrief"):
    data = f"{title} {dossier.pk}\n".encode()
    stored, _ = evidence.document_store(
        dossier=dossier,
        extracted=extract(data, "brief.txt", ocr=False),
        data=data,
        actor=None,
        overrides={"title": title, "date": date, "doc_type": doc_type},
    )
    return stored


@pytest.fixture
def dossier(team):
    d = team["dossier"]
    Goal.objects.create(dossier=d, title="Gelijke start", code="D1", level="coalitieakkoord")
    Goal.objects.create(dossier=d, title="Taal", level="coalitieakkoord")
    return d


def test_register_items_matrix_and_export(run, dossier, tmp_path):
    doc = _document(dossier, "=Raadsbrief voortgang", dt.date(2024, 11, 5))
    result = run(
        "council", "register", "--dossier", dossier.pk, "--document", doc.pk,
        "--reports-on", "beide", "--goal", "D1", "--goal", "Taal", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    item = InformationItem.objects.get(pk=data["id"])
    assert sorted(g.title for g in item.goals.all()) == ["Gelijke start", "Taal"]
    event = AuditEvent.objects.get(action="council.item_register")
    assert event.actor is None
    assert event.actor_label.startswith("cli:")

    items = json.loads(run("council", "items", "--dossier", dossier.pk, "--json").output)
    assert [(i["date"], i["reports_on"]) for i in items["items"]] == [("2024-11-05", "beide")]
    assert "=Raadsbrief voortgang" in run("council", "items", "--dossier", dossier.pk).output

    matrix = json.loads(run("council", "matrix", "--dossier", dossier.pk, "--json").output)
    assert matrix["years"] == [2024]
    assert [g["cells"]["2024"]["state"] for g in matrix["goals"]] == ["both", "both"]
    assert matrix["goals"][0]["share_on_effects"] == 1.0
    assert "prestaties en effecten (1)" in run("council", "matrix", "--dossier", dossier.pk).output

    out = tmp_path / "raad.csv"
    assert run("council", "export", "--dossier", dossier.pk, "--out", out).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[1][rows[0].index("titel")] == "'=Raadsbrief voortgang"
    out_matrix = tmp_path / "matrix.csv"
    run("council", "export", "--dossier", dossier.pk, "--out", out_matrix, "--table", "matrix")
    assert "doel_code" in out_matrix.read_text(encoding="utf-8-sig")
    xlsx = tmp_path / "raad.xlsx"
    assert run("council", "export", "--dossier", dossier.pk, "--out", xlsx).exit_code == 0
    from openpyxl import load_workbook

    assert load_workbook(xlsx).sheetnames[0] == "Raadsinformatie"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--goal", "Onbekend doel"], "--goal: „Onbekend doel” bestaat niet"),
        (["--measure", "Geen"], "--measure: „Geen” bestaat niet"),
        (["--indicator", "Geen"], "--indicator: „Geen” bestaat niet"),
    ],
)
def test_register_unknown_policy_elements(run, dossier, extra, message):
    doc = _document(dossier, "Brief", dt.date(2024, 1, 1))
    runner = CliRunner()
    args = ["council", "register", "--dossier", dossier.pk, "--document", doc.pk]
    result = runner.invoke(cli, [str(a) for a in [*args, "--reports-on", "outputs", *extra]])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not InformationItem.objects.exists()


def test_register_errors_name_the_field(run, dossier, team):
    runner = CliRunner()
    foreign = _document(team["other"], "Elders", dt.date(2024, 1, 1))
    own = _document(dossier, "Eigen brief", dt.date(2024, 1, 1))

    def invoke(*args):
        return runner.invoke(cli, ["council", "register", *[str(a) for a in args]])

    result = invoke("--dossier", dossier.pk, "--document", foreign.pk, "--reports-on", "geen")
    assert result.exit_code == 1
    assert "--document: document" in result.output
    result = invoke("--dossier", 999999, "--document", own.pk, "--reports-on", "geen")
    assert result.exit_code == 1
    assert "dossier 999999 bestaat niet" in result.output
    result = invoke("--dossier", dossier.pk, "--document", own.pk, "--reports-on", "resultaat")
    assert result.exit_code == 2
    assert "--reports-on" in result.output
    assert (
        invoke("--dossier", dossier.pk, "--document", own.pk, "--reports-on", "geen").exit_code == 0
    )
    result = invoke("--dossier", dossier.pk, "--document", own.pk, "--reports-on", "geen")
    assert result.exit_code == 1
    assert "al als raadsinformatie geregistreerd" in result.output
    result = runner.invoke(
        cli, ["council", "export", "--dossier", str(dossier.pk), "--out", "x.pdf"]
    )
    assert result.exit_code == 1
    assert "--out: x.pdf moet eindigen op .xlsx of .csv" in result.output
