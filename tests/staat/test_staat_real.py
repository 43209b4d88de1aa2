"""The state of opportunity on the real BBGA and CBS files, checked against independent sums."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from inequality.gini import Gini

from kansenaudit.data.pull import pull
from kansenaudit.staat.compute import compute_state
from kansenaudit.staat.inputs_city import inputs_from_sources
from kansenaudit.staat.model import StaatParameters
from kansenaudit.staat.report import write_report


def _raw_bbga(shared_data: Path, name: str) -> dict[tuple[str, str, int], float]:
    """Independent read of a BBGA CSV with the standard library."""
    out = {}
    with (shared_data / "bbga" / name).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["waarde"].strip():
                key = (row["variabele"].upper(), row["gebiedcode15"], int(row["jaar"]))
                out.setdefault(key, float(row["waarde"]))
    return out


@pytest.fixture(scope="module")
def run(shared_data, tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    pulled = pull("amsterdam", cache_dir=cache, mirror=shared_data)
    inputs = inputs_from_sources(pulled.files)
    result = compute_state(inputs, StaatParameters(n_boot=199, targets=(("bijstand", 5.0, 2030),)))
    out = tmp_path_factory.mktemp("out")
    written = write_report(result, out)
    return inputs, result, out, written


def test_values_equal_the_published_file(run, shared_data):
    _inputs, result, _, _ = run
    raw = _raw_bbga(shared_data, "bbga_2018_gebieden22_DX.csv")
    values = result.values.filter(
        (pl.col("indicator") == "bijstand") & (pl.col("area_level") == "gebied")
    )
    assert values.height > 100
    for row in values.iter_rows(named=True):
        assert row["value"] == pytest.approx(raw[("IWWB_P", row["area_code"], row["period"])])
        assert row["source_file"] == "bbga_2018_gebieden22_DX.csv"
        assert row["row"] > 1


def test_prognoses_are_kept_apart(run):
    inputs, result, _, _ = run
    bbga = result.values.filter(pl.col("source_file").str.starts_with("bbga_"))
    assert bbga["period"].max() <= 2018
    assert not inputs.values["is_prognosis"].any()
    assert any("prognosewaarden van OIS" in note for note in inputs.notes)


def test_gebieden_are_placed_in_stadsdelen_by_their_counts(run, shared_data):
    inputs, _, _, _ = run
    gebieden = _raw_bbga(shared_data, "bbga_2018_gebieden22_DX.csv")
    stadsdelen = _raw_bbga(shared_data, "bbga_2018_stadsdelen.csv")
    sums: dict[str, float] = defaultdict(float)
    for code, area in inputs.areas.items():
        if area.level == "gebied" and code.startswith("DX"):
            assert area.parent_code in {"A", "E", "F", "K", "M", "N", "T"}
            sums[area.parent_code] += gebieden[("BEVTOTAAL", code, 2018)]
    for parent, total in sums.items():
        assert total == pytest.approx(stadsdelen[("BEVTOTAAL", parent, 2018)], abs=1)


def test_weighted_gini_agrees_with_pysal_on_replicated_data(run, shared_data):
    _, result, _, _ = run
    raw = _raw_bbga(shared_data, "bbga_2018_gebieden22_DX.csv")
    row = result.inequality.filter(
        (pl.col("indicator") == "besteedbaar_inkomen")
        & (pl.col("area_level") == "gebied")
        & (pl.col("period") == 2016)
    ).row(0, named=True)
    codes = [f"DX{i:02d}" for i in range(1, 23)]
    income = np.array([raw[("IHHINK_GEM", c, 2016)] for c in codes])
    households = np.array([raw[("BEVHUISHOUDENHH", c, 2016)] for c in codes])
    replicated = np.repeat(income, np.round(households / 50).astype(int))
    assert row["weighted"]
    assert row["areas"] == 22
    assert row["gini"] == pytest.approx(Gini(replicated).g, abs=2e-4)
    assert row["gini_low"] <= row["gini"] <= row["gini_high"]


def test_gaps_to_the_city(run, shared_data):
    _, result, _, _ = run
    raw = _raw_bbga(shared_data, "bbga_2018_stadsdelen.csv")
    row = result.gaps.filter(
        (pl.col("indicator") == "minimajongeren")
        & (pl.col("area_code") == "T")
        & (pl.col("period") == 2016)
    ).row(0, named=True)
    expected = raw[("IMINJONG120_P", "T", 2016)] - raw[("IMINJONG120_P", "STAD", 2016)]
    assert row["difference"] == pytest.approx(expected)
    assert row["difference_low"] is None or np.isnan(row["difference_low"])  # BBGA has no n
    assert "n onbekend" in row["method"]


def test_no_change_since_2019_is_claimed_from_a_2018_release(run):
    _, result, _, _ = run
    assert (result.changes["year"] <= 2018).all()
    assert result.changes["note"].str.contains("geen waarnemingen na 2019").all()


def test_projection_and_target(run):
    _, result, _, _ = run
    projection = result.projections.filter(pl.col("indicator") == "bijstand")
    # No further ahead than the series reaches back (docs/methods/projections.md).
    assert projection["years_used"][0] >= 5
    observed = result.values.filter(
        (pl.col("indicator") == "bijstand")
        & pl.col("area_level").is_in(["stad", "gemeente"])
        & (pl.col("group") == "totaal")
        & pl.col("value").is_not_null()
    )["period"]
    years = sorted(observed.to_list())[-10:]
    assert projection["year"].max() == min(2030, years[-1] + (years[-1] - years[0]))
    assert any("projectie tot" in w for w in result.warnings)
    assert (projection["lower"] <= projection["fit"]).all()
    assert projection["label"][0].startswith("voortzetting van de trend")
    target = result.targets.row(0, named=True)
    assert target["indicator"] == "bijstand"
    assert target["status"] in {"op koers", "niet op koers", "doel bereikt"}


def test_outputs_written_and_traceable(run):
    _inputs, _result, out, written = run
    html = (out / "staat-van-kansengelijkheid.html").read_text(encoding="utf-8")
    assert "<svg" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html
    assert "<script" not in html
    numbers = json.loads((out / "numbers.json").read_text(encoding="utf-8"))
    assert numbers["is_demo"] is False
    assert {s["file"] for s in numbers["sources"]} >= {"bbga_2018_gebieden22_DX.csv"}
    gini = [n for n in numbers["numbers"] if n["measure"] == "gini"]
    assert gini
    assert all("low" in n and "high" in n and n["provenance"] for n in gini)
    assert numbers["parameters"]["bootstrap_replicates"] == 199
    assert (out / "tabellen" / "tabellen.xlsx").stat().st_size > 10_000
    assert written["number_count"] == len(numbers["numbers"])


def test_ses_buurten_are_harmonised_to_2022_gebieden(run):
    inputs, result, _, _ = run
    harmonised = result.values.filter(
        (pl.col("indicator") == "ses_laag_opgeleid")
        & pl.col("area_code").str.contains(r"^G[A-Z]\d\d$")
    )
    assert harmonised.height >= 20
    flags = inputs.values.filter(
        (pl.col("indicator") == "ses_laag_opgeleid")
        & pl.col("area_code").str.contains(r"^G[A-Z]\d\d$")
    )["flags"]
    assert all(any(f.startswith("omgerekend:huishoudens:") for f in row) for row in flags)
    crosswalk = inputs.harmonisation
    assert set(crosswalk["target_quality"].unique()) <= {
        "exact",
        "good",
        "approximate",
        "poor",
        "none",
    }
    shares = crosswalk.group_by("source_code").agg(pl.col("share_of_source").sum())
    # Nearly every old buurt lies wholly in the 2022 gebieden; Westpoort's port buurten lie
    # outside every gebied of 2022 (the layer leaves Westpoort out).
    covered = (shares["share_of_source"] > 0.99).mean()
    assert covered > 0.95
    assert shares["share_of_source"].max() < 1.0001
    # Households are preserved by the count crosswalk.
    households = inputs.values.filter(
        (pl.col("indicator") == "huishoudens") & (pl.col("period") == 2019)
    )
    buurten = households.filter(pl.col("area_level") == "buurt")["value"].sum()
    gebieden = households.filter(pl.col("area_code").str.contains(r"^G[A-Z]\d\d$"))["value"].sum()
    assert gebieden == pytest.approx(buurten, rel=0.01)


def test_old_amsterdam_codes_translate_to_cbs_codes(shared_data):
    from kansenaudit.data.area_codes import cbs_code_of_amsterdam_2015

    names = {}
    with (shared_data / "cbs_ses" / "ses_woa_85163NED_amsterdam_2019.csv").open(
        encoding="utf-8-sig"
    ) as handle:
        for row in csv.reader(handle, delimiter=";"):
            names[row[2].strip()] = row[1].strip().lower()
    matched = total = 0
    with (shared_data / "geo" / "amsterdam_GEBIED_BUURTEN_oldcodes_wkt.csv").open(
        encoding="utf-8-sig"
    ) as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            code = cbs_code_of_amsterdam_2015(row["Buurtcode"])
            if code in names:
                total += 1
                matched += names[code] == row["Buurtnaam"].strip().lower()
    assert total >= 478
    assert matched >= total - 1  # one name differs only by a mis-encoded ë


def test_stacking_leaves_out_tiny_areas(run):
    _, result, _, _ = run
    assert not result.stacking.is_empty()
    assert "B" not in result.stacking["area_code"].to_list()  # Westpoort: a few hundred residents


def test_downloaded_bbga_without_release_keeps_forecasts_apart(shared_data, tmp_path):
    """A BBGA file named without a year: later years than the population data are forecasts."""
    import shutil

    from kansenaudit.data.pull import CachedFile

    path = tmp_path / "bbga.csv"
    shutil.copyfile(shared_data / "bbga" / "bbga_2018_stadsdelen.csv", path)
    item = CachedFile(
        key="bbga",
        kind="bbga",
        path=str(path),
        origin="https://example.invalid/bbga.csv",
        sha256="",
        size=path.stat().st_size,
        retrieved_at="2026-11-28T00:00:00+00:00",
    )
    inputs = inputs_from_sources([item])
    assert inputs.values.height > 0
    assert inputs.values["period"].max() <= 2018
    assert any("uitgavejaar onbekend" in note for note in inputs.notes)


@pytest.mark.slow
def test_cli_runs_from_the_cache_without_intervals(shared_data, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from kansenaudit.cli.main import cli

    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    missing = runner.invoke(cli, ["staat", "--city", "amsterdam", "--cached", "--out", "x"])
    assert missing.exit_code != 0
    assert "data pull" in missing.output
    pulled = runner.invoke(cli, ["data", "pull", "amsterdam", "--mirror", str(shared_data)])
    assert pulled.exit_code == 0, pulled.output
    out = tmp_path / "out"
    outcome = runner.invoke(
        cli,
        ["staat", "--city", "amsterdam", "--cached", "--bootstrap", "0", "--out", str(out)],
    )
    assert outcome.exit_code == 0, outcome.output
    numbers = json.loads((out / "numbers.json").read_text(encoding="utf-8"))
    gini = [n for n in numbers["numbers"] if n["measure"] == "gini"]
    assert gini
    assert all(n["low"] is None for n in gini)
    values = [n for n in numbers["numbers"] if n["measure"] == "waarde"]
    assert all(n["source_file"] for n in values)


def test_the_bbga_minimum_dwellings_rule_is_applied(run):
    """The real 2018 metadata: occupancy (WBEZET) only for areas with at least 100 dwellings."""
    from kansenaudit.staat.compute import prepare_values

    inputs, _result, _, _ = run
    occupancy = next(ind for ind in inputs.catalogue if ind.key == "woningbezetting")
    assert occupancy.min_dwellings == 100
    assert any("Gemiddelde woningbezetting (100 woningen)" in note for note in inputs.notes)
    values = prepare_values(inputs).filter(pl.col("indicator") == "woningbezetting")
    assert values.height > 100
    assert values["dwellings"].is_not_null().sum() > 100
    shown = values.filter(pl.col("shown_value").is_not_null() & pl.col("dwellings").is_not_null())
    assert (shown["dwellings"] >= 100).all()
    few = values.filter(pl.col("dwellings") < 100)
    assert (few["suppressed"].is_in(["woningen<min", "missing"])).all()
