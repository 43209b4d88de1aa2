"""The state of opportunity on the demo city, and the CLI that builds it."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import polars as pl
import pytest
from click.testing import CliRunner

from kansenaudit.cli.main import cli
from kansenaudit.demo.city import DEMO_LABEL
from kansenaudit.staat.compute import compute_state
from kansenaudit.staat.inputs_demo import inputs_from_demo
from kansenaudit.staat.model import StaatParameters
from kansenaudit.stats import inequality
from kansenaudit.stats.disclosure import suppression_reason


@pytest.fixture(scope="module")
def result():
    return compute_state(inputs_from_demo(), StaatParameters(n_boot=99))


def test_suppression_follows_the_scalar_rule_everywhere(result):
    from kansenaudit.staat.compute import prepare_values

    prepared = prepare_values(result.inputs)
    for row in prepared.sample(800, seed=1).iter_rows(named=True):
        if row["suppressed"] in ("bevolking<min", "secundair"):
            continue
        reason = suppression_reason(
            value=row["value"],
            n=None if row["n"] is None else int(row["n"]),
            numerator=None if row["numerator"] is None else int(row["numerator"]),
            denominator=None if row["denominator"] is None else int(row["denominator"]),
            min_n=row["min_n"],
        )
        assert reason == row["suppressed"]
    values = result.values
    withheld = values.filter(pl.col("suppressed").is_in(["n<min", "share-edge"]))
    assert withheld.height > 0
    assert withheld["value"].is_null().all()
    # The counts behind a withheld share are not published either (they would give it away).
    assert withheld["numerator"].is_null().all()
    assert withheld["denominator"].is_null().all()
    # A withheld value never reappears in a derived table.
    keys = withheld.select("indicator", "area_code", "group", "period")
    assert result.gaps.join(keys, on=keys.columns, how="inner").is_empty()


def test_inequality_equals_a_direct_call(result):
    values = result.values.filter(
        (pl.col("indicator") == "low_income_households_pct")
        & (pl.col("area_level") == "wijk")
        & (pl.col("period") == 2024)
        & (pl.col("group") == "totaal")
        & pl.col("value").is_not_null()
    ).sort("area_code")
    row = result.inequality.filter(
        (pl.col("indicator") == "low_income_households_pct")
        & (pl.col("area_level") == "wijk")
        & (pl.col("period") == 2024)
    ).row(0, named=True)
    # a share where higher is unfavourable: measured as is, weighted by its own denominator
    x, w = values["value"].to_numpy(), values["denominator"].to_numpy()
    assert row["side"] == "aandeel (nadelige kant)"
    assert row["gini"] == pytest.approx(inequality.gini(x, w))
    assert row["theil"] == pytest.approx(inequality.theil(x, w))
    decomposition = result.decomposition.filter(
        (pl.col("indicator") == "low_income_households_pct")
        & (pl.col("area_level") == "wijk")
        & (pl.col("period") == 2024)
    ).row(0, named=True)
    assert decomposition["between"] + decomposition["within"] == pytest.approx(
        decomposition["total"]
    )


def test_changes_since_2019_are_tested_and_controlled(result):
    changes = result.changes.filter(
        (pl.col("indicator") == "unemployment_pct") & (pl.col("area_level") == "buurt")
    )
    assert (changes["base_year"] == 2019).all()
    assert (changes["year"] == 2025).all()
    p = changes["p_value"].to_numpy()
    adjusted = changes["p_adjusted"].to_numpy()
    ok = np.isfinite(p)
    assert ok.sum() > 20
    assert (adjusted[ok] >= p[ok] - 1e-12).all()
    assert set(changes["gap_change"].unique()) <= {
        "kleiner",
        "groter",
        "geen significante verandering",
        "geen toets: n onbekend",
        "geen gegevens",
    }


def test_stacking_has_three_methods_and_sensitivity(result):
    stack = result.stacking
    assert stack["area_level"][0] in {"wijk", "buurt"}
    assert stack.height >= 25
    assert set(stack["zscore_class"].unique()) >= {1, 5}
    assert (stack["class_min"] <= stack["zscore_class"]).all()
    assert (stack["zscore_class"] <= stack["class_max"]).all()
    assert result.stacking_sensitivity.height > 10


@pytest.mark.slow
def test_cli_staat_demo_writes_labelled_outputs(tmp_path):
    out = tmp_path / "out"
    runner = CliRunner()
    outcome = runner.invoke(
        cli,
        [
            "staat",
            "--demo",
            "--out",
            str(out),
            "--bootstrap",
            "49",
            "--target",
            "unemployment_pct=5:2030",
            "--json",
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    payload = json.loads(outcome.output[outcome.output.index("{") :])
    assert payload["is_demo"] is True
    html = (out / "staat-van-kansengelijkheid.html").read_text(encoding="utf-8")
    assert DEMO_LABEL in html
    numbers = json.loads((out / "numbers.json").read_text(encoding="utf-8"))
    assert numbers["label"] == DEMO_LABEL
    assert numbers["parameters"]["targets"][0]["indicator"] == "unemployment_pct"
    assert any(n["measure"] == "afstand_tot_doel" for n in numbers["numbers"])
    # The project's one CSV convention: BOM, the demo label first, then the header with ";".
    lines = (out / "tabellen" / "waarden.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"\ufeff# {DEMO_LABEL}"
    assert lines[1].startswith("indicator;")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["staat", "--out", "x"], "--city of --demo"),
        (["staat", "--demo", "--city", "amsterdam", "--out", "x"], "--city of --demo"),
        (["staat", "--demo", "--out", "x", "--target", "nope=1:2030"], "onbekende indicator"),
        (["staat", "--demo", "--out", "x", "--target", "bijstand"], "INDICATOR=WAARDE:JAAR"),
        (
            ["staat", "--city", "amsterdam", "--mirror", "/nonexistent", "--out", "x"],
            "spiegelmap bestaat niet",
        ),
    ],
)
def test_cli_staat_user_errors_are_one_line(args, message, tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path))
    outcome = CliRunner().invoke(cli, args)
    assert outcome.exit_code != 0
    assert message in outcome.output
    assert "Traceback" not in outcome.output


@pytest.mark.slow
def test_cli_staat_real_data_as_a_process(shared_data, tmp_path):
    env = {"KANSENAUDIT_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "kansenaudit.cli",
            "staat",
            "--city",
            "amsterdam",
            "--mirror",
            str(shared_data),
            "--out",
            str(tmp_path / "out"),
            "--bootstrap",
            "49",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    payload = json.loads(completed.stdout)
    assert payload["is_demo"] is False
    assert payload["number_count"] > 10_000
