"""The demo run, attacked: no withheld value comes back from what the run publishes."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from kansenaudit.staat import compute
from kansenaudit.staat.inputs_demo import inputs_from_demo
from kansenaudit.staat.secondary import SECONDARY, table_relations
from kansenaudit.stats.secondary import difference_attack, recoverable, solve_recoverable


@pytest.fixture(scope="module")
def inputs():
    return inputs_from_demo()


def _attack(prepared: pl.DataFrame, parents: dict) -> tuple[int, int, int]:
    """(withheld, recoverable by the exact attack, true numerators recovered exactly)."""
    withheld_total = found = exact = 0
    for part in prepared.filter(pl.col("kind") != "count").partition_by(["indicator", "period"]):
        cells = list(zip(part["area_code"].to_list(), part["group"].to_list(), strict=True))
        relations = table_relations(cells, parents)
        reason = part["suppressed"]
        withheld = (reason.is_not_null() & (reason != "missing")).to_numpy()
        unknown = reason.is_not_null().to_numpy()  # what the run does not publish
        withheld_total += int(withheld.sum())
        hit = recoverable(relations, len(cells), unknown) & withheld
        assert not (difference_attack(relations, unknown) & withheld & ~hit).any()
        found += int(hit.sum())
        # The attack proper: solve for the secret numerators from the published ones.
        numerators = part["numerator"].cast(pl.Float64).fill_null(np.nan).to_numpy()
        for cell, derived in solve_recoverable(relations, numerators, unknown).items():
            if withheld[cell] and np.isfinite(numerators[cell]):
                exact += int(abs(derived - numerators[cell]) < 1e-6)
    return withheld_total, found, exact


def test_without_secondary_suppression_the_demo_leaks(inputs, monkeypatch):
    monkeypatch.setattr(
        "kansenaudit.staat.compute.values.apply_secondary", lambda frame, areas: frame
    )
    prepared = compute.prepare_values(inputs)
    parents = {code: area.parent_code for code, area in inputs.areas.items()}
    withheld, found, exact = _attack(prepared, parents)
    assert withheld == 695
    assert found > 400
    assert exact > 400


def test_with_secondary_suppression_nothing_is_recoverable(inputs):
    prepared = compute.prepare_values(inputs)
    parents = {code: area.parent_code for code, area in inputs.areas.items()}
    withheld, found, exact = _attack(prepared, parents)
    assert (found, exact) == (0, 0)
    reasons = prepared["suppressed"].value_counts().to_dicts()
    counts = {r["suppressed"]: r["count"] for r in reasons}
    assert counts["n<min"] == 193
    assert counts["share-edge"] == 502
    assert 0 < counts[SECONDARY] <= 695  # recorded with its own reason
    assert withheld == 695 + counts[SECONDARY]


def test_secondary_cells_are_blank_in_every_output(inputs):
    result = compute.compute_state(inputs, compute.StaatParameters(n_boot=9))
    secondary = result.values.filter(pl.col("suppressed") == SECONDARY)
    assert secondary.height > 0
    assert secondary["value"].is_null().all()
    assert secondary["numerator"].is_null().all()
    assert secondary["denominator"].is_null().all()
    keys = secondary.select("indicator", "area_code", "group", "period")
    assert result.gaps.join(keys, on=keys.columns, how="inner").is_empty()
    city = secondary.filter(pl.col("area_level").is_in(["stad", "gemeente"]))
    city_keys = city.select("indicator", "group", "period")
    assert result.group_gaps.join(city_keys, on=city_keys.columns, how="inner").is_empty()
