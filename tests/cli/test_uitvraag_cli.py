"""`kansenaudit uitvraag template | import | status`, in-process against the test database."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kansenaudit.cli.main import cli
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.policy.models import Actor, Measure
from kansenaudit.web.uitvraag.models import ReceivedFile, UitvraagRequest
from tests.helpers.uitvraag_fill import (
    SCHOOLMAATJES,
    ZOMERSCHOOL,
    fill,
    register_state,
    seed_register,
)


@pytest.fixture
def run(db):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def dossier(team):
    seed_register(team["dossier"])
    return team["dossier"]


def _template(run, dossier, tmp_path, directie="Onderwijs") -> bytes:
    out = tmp_path / f"{directie}.xlsx"
    result = run(
        "uitvraag", "template", "--dossier", dossier.pk, "--directie", directie, "--out", out,
        "--deadline", "2026-03-01", "--contact", "J. Jansen",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_template_adds_the_directie_and_says_so(run, dossier, tmp_path):
    out = tmp_path / "onderwijs.xlsx"
    args = ["uitvraag", "template", "--dossier", dossier.pk, "--directie", "Onderwijs"]
    first = run(*args, "--out", out)
    assert first.exit_code == 0, first.output
    assert "toegevoegd aan het actorenregister" in first.output
    assert out.read_bytes()[:2] == b"PK"
    assert Actor.objects.get(dossier=dossier, name="Onderwijs").kind == "directie"
    again = run(*args, "--out", out, "--json")
    data = json.loads(again.output)
    assert data["directie_added"] is False
    assert data["request_created"] is False
    assert data["template_version"] == "1"
    assert UitvraagRequest.objects.count() == 1
    event = AuditEvent.objects.filter(action="uitvraag.create").get()
    assert event.actor_label.startswith("cli:")


def test_template_errors_are_clear(run, team, tmp_path):
    result = run(
        "uitvraag", "template", "--dossier", team["dossier"].pk, "--directie", "X",
        "--out", tmp_path / "x.xlsx",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "nog geen doelen" in result.output
    assert "Traceback" not in result.output
    result = run(
        "uitvraag", "template", "--dossier", 99999, "--directie", "X", "--out", tmp_path / "x.xlsx"
    )
    assert result.exit_code == 1
    assert "dossier 99999 bestaat niet" in result.output
    seed_register(team["dossier"])
    result = run(
        "uitvraag", "template", "--dossier", team["dossier"].pk, "--directie", "X",
        "--out", tmp_path / "x.csv",
    )  # fmt: skip
    assert result.exit_code == 1
    assert ".xlsx" in result.output


def test_import_shows_changes_and_applies_only_with_apply(run, dossier, tmp_path):
    xlsx = _template(run, dossier, tmp_path)
    filled = tmp_path / "terug.xlsx"
    filled.write_bytes(fill(xlsx, {1: SCHOOLMAATJES, 2: ZOMERSCHOOL}))
    check = run("uitvraag", "import", "--dossier", dossier.pk, filled)
    assert check.exit_code == 0, check.output
    assert "Nieuwe maatregel: Schoolmaatjes" in check.output
    assert "--apply" in check.output
    assert not Measure.objects.exists()
    applied = run("uitvraag", "import", "--dossier", dossier.pk, filled, "--apply", "--json")
    assert applied.exit_code == 0, applied.output
    data = json.loads(applied.output)
    assert data["applied"] is True
    assert data["result"]["created"] == ["Schoolmaatjes", "Zomerschool"]
    assert len(data["sha256"]) == 64
    assert Measure.objects.filter(origin="uitvraag").count() == 2
    # Re-import with a change: shown, then applied.
    filled.write_bytes(fill(xlsx, {1: {**SCHOOLMAATJES, "reach": 1500}, 2: ZOMERSCHOOL}))
    diff = json.loads(run("uitvraag", "import", "--dossier", dossier.pk, filled, "--json").output)
    assert [(c["measure"], c["field"], c["old"], c["new"]) for c in diff["changes"]] == [
        ("Schoolmaatjes", "reach", 1200, 1500)
    ]
    assert Measure.objects.get(name="Schoolmaatjes").reach == 1200
    run("uitvraag", "import", "--dossier", dossier.pk, filled, "--apply")
    assert Measure.objects.get(name="Schoolmaatjes").reach == 1500


def test_import_errors_exit_non_zero_and_change_nothing(run, dossier, tmp_path):
    xlsx = _template(run, dossier, tmp_path)
    good = tmp_path / "goed.xlsx"
    good.write_bytes(fill(xlsx, {1: SCHOOLMAATJES}))
    run("uitvraag", "import", "--dossier", dossier.pk, good, "--apply")
    before = register_state(dossier)
    bad = tmp_path / "fout.xlsx"
    bad.write_bytes(fill(xlsx, {1: {**SCHOOLMAATJES, "budget_2025": "veel"}, 11: {"name": "X"}}))
    result = run("uitvraag", "import", "--dossier", dossier.pk, bad, "--apply")
    assert result.exit_code == 1
    assert "Werkblad 'Maatregelen', rij 2, kolom Q" in result.output
    assert "meer dan tien maatregelen" in result.output
    assert "niets ingelezen" in result.output
    assert "Traceback" not in result.output
    data = json.loads(
        run("uitvraag", "import", "--dossier", dossier.pk, bad, "--apply", "--json").output
    )
    assert data["applied"] is False
    assert {"sheet": "Maatregelen", "row": 2, "column": "Q"} in data["error_cells"]
    assert register_state(dossier) == before
    assert ReceivedFile.objects.filter(is_valid=False).count() == 2  # kept, with their hash


def test_import_unknown_directie_and_unreadable_files(run, dossier, tmp_path):
    from kansenaudit.policy.uitvraag import build_template

    other = tmp_path / "jeugd.xlsx"
    other.write_bytes(
        fill(
            build_template(
                dossier_title=dossier.title,
                directie="Jeugd",
                goals=["Betere schoolresultaten"],
                target_groups=["Ouders"],
                domains=["Onderwijs"],
            ),
            {1: {"name": "X"}},
        )
    )
    result = run("uitvraag", "import", "--dossier", dossier.pk, other)
    assert result.exit_code == 1
    assert "onbekende directie 'Jeugd'" in result.output
    csv_file = tmp_path / "lijst.xlsx"
    csv_file.write_text("naam;budget\n")
    result = run("uitvraag", "import", "--dossier", dossier.pk, csv_file, "--json")
    assert result.exit_code == 1
    assert "geen Excel-werkmap" in json.loads(result.output)["errors"][0]
    assert not Measure.objects.exists()


def test_status_lists_requests_and_history(run, dossier, tmp_path):
    assert "Geen uitvragen" in run("uitvraag", "status", "--dossier", dossier.pk).output
    _template(run, dossier, tmp_path)
    text = run("uitvraag", "status", "--dossier", dossier.pk).output
    assert "Onderwijs" in text
    assert "concept" in text
    data = json.loads(run("uitvraag", "status", "--dossier", dossier.pk, "--json").output)
    assert data["requests"][0]["directie"] == "Onderwijs"
    assert data["requests"][0]["deadline"] == "2026-03-01"
    assert [h["naar"] for h in data["history"]] == ["concept"]
    assert data["files"] == []
