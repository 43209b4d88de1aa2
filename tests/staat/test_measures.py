"""Measures that fit what they measure: the side of a share, interval scores, weights, gaps."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from kansenaudit.data.catalogue import AMSTERDAM_CATALOGUE, by_key, measurement_scale
from kansenaudit.reporting.formatting import format_number
from kansenaudit.staat.compute import compute_state
from kansenaudit.staat.inputs_demo import inputs_from_demo
from kansenaudit.staat.model import StaatParameters
from kansenaudit.staat.report import build_numbers, render_html
from kansenaudit.stats import dispersion, inequality


@pytest.fixture(scope="module")
def result():
    return compute_state(inputs_from_demo(), StaatParameters(n_boot=49))


def _cell(result, key, level="wijk", period=2024):
    values = result.values.filter(
        (pl.col("indicator") == key)
        & (pl.col("area_level") == level)
        & (pl.col("period") == period)
        & (pl.col("group") == "totaal")
        & pl.col("value").is_not_null()
    ).sort("area_code")
    row = result.inequality.filter(
        (pl.col("indicator") == key)
        & (pl.col("area_level") == level)
        & (pl.col("period") == period)
    ).row(0, named=True)
    return values, row


def test_a_favourable_share_is_measured_on_its_unfavourable_side(result):
    values, row = _cell(result, "vo_advice_havo_vwo_pct")
    x, w = values["value"].to_numpy(), values["denominator"].to_numpy()
    assert row["side"] == "100 − aandeel (nadelige kant)"
    assert row["gini"] == pytest.approx(inequality.gini(100 - x, w))
    assert row["gini"] != pytest.approx(inequality.gini(x, w))  # the side matters


def test_interval_scores_get_differences_not_ratios(result):
    values, row = _cell(result, "ses_woa_score")
    x, w = values["value"].to_numpy(), values["n"].to_numpy()
    assert row["scale"] == "interval"
    assert row["gini"] is None
    assert row["theil"] is None
    assert "intervalschaal" in row["not_computed"]
    assert row["sd"] == pytest.approx(dispersion.weighted_sd(x, w))
    assert row["sd_low"] <= row["sd"] <= row["sd_high"]
    assert row["iqr"] == pytest.approx(dispersion.quantile_gap(x, w, low=0.25, high=0.75))
    # adding a constant (moving the zero) changes nothing
    assert dispersion.weighted_sd(x + 50, w) == pytest.approx(row["sd"])
    share = result.decomposition.filter(
        (pl.col("indicator") == "ses_woa_score") & (pl.col("measure") == "variantie")
    )
    assert share.height > 0
    assert ((share["between_share"] >= 0) & (share["between_share"] <= 1)).all()
    html = render_html(result)
    assert "Spreiding van scores" in html
    assert "geen betekenisvol nulpunt" in html
    measures = {n["measure"] for n in build_numbers(result) if n["indicator"] == "ses_woa_score"}
    assert {"standaardafwijking", "interkwartielafstand", "p90_min_p10"} <= measures
    assert "gini" not in measures


def test_nothing_is_dropped_silently(result):
    """Every indicator × level × year with shown values has a row, computed or with a reason."""
    shown = (
        result.values.filter(
            ~pl.col("area_level").is_in(["stad", "gemeente"])
            & (pl.col("group") == "totaal")
            & pl.col("value").is_not_null()
            & ~pl.col("indicator").is_in(["inwoners"])
        )
        .select("indicator", "area_level", "period")
        .unique()
    )
    rows = result.inequality.select("indicator", "area_level", "period").unique()
    assert shown.join(rows, on=shown.columns, how="anti").is_empty()
    for row in result.inequality.iter_rows(named=True):
        assert row["gini"] is not None or row["sd"] is not None or row["not_computed"]


def test_gaps_compare_an_area_with_the_rest_of_the_city(result):
    gaps = result.gaps.filter(
        (pl.col("indicator") == "unemployment_pct") & (pl.col("period") == 2024)
    )
    assert set(gaps["reference"].to_list()) == {"rest van de stad"}
    row = gaps.row(0, named=True)
    city = result.values.filter(
        pl.col("area_level").is_in(["stad", "gemeente"])
        & (pl.col("indicator") == "unemployment_pct")
        & (pl.col("period") == 2024)
        & (pl.col("group") == "totaal")
    ).row(0, named=True)
    n, big_n = row["n"], city["n"]
    rest = (big_n * city["value"] - n * row["value"]) / (big_n - n)
    assert row["reference_value"] == pytest.approx(rest)
    assert row["difference"] == pytest.approx(row["value"] - rest)
    groups = result.group_gaps
    assert set(groups["reference"].to_list()) == {"rest van de stad"}


def test_catalogue_scales_and_child_weights():
    cat = by_key(AMSTERDAM_CATALOGUE)
    assert measurement_scale(cat["tevredenheid_buurt"]) == "interval"
    assert measurement_scale(cat["woningbezetting"]) == "ratio"
    for key in ("minimajongeren", "advies_havo_vwo", "eindtoets_score", "sdq_kinderen"):
        assert cat[key].weight == "kinderen"
    assert cat["kinderen"].kind == "count"


def test_dispersion_measures_against_numpy():
    rng = np.random.default_rng(3)
    x = rng.normal(size=25)
    assert dispersion.weighted_sd(x) == pytest.approx(np.std(x))
    for q in (0.1, 0.25, 0.5, 0.9):
        assert dispersion.weighted_quantile(x, q) == pytest.approx(
            np.quantile(x, q, method="hazen")
        )
    # integer weights equal repeating the values
    w = rng.integers(1, 5, size=25)
    assert dispersion.weighted_sd(x, w) == pytest.approx(np.std(np.repeat(x, w)))
    groups = rng.integers(0, 3, size=25)
    share = dispersion.between_variance_share(x, w, groups=groups)
    xs, gs = np.repeat(x, w), np.repeat(groups, w)
    between = sum((gs == g).sum() * (xs[gs == g].mean() - xs.mean()) ** 2 for g in range(3))
    assert share == pytest.approx(between / ((xs - xs.mean()) ** 2).sum())
    with pytest.raises(ValueError, match="finite"):
        dispersion.weighted_sd([1.0, np.nan])


def test_projections_need_five_points_and_stay_within_the_observed_span(result):
    from kansenaudit.stats.projection import MIN_PROJECTION_POINTS

    assert MIN_PROJECTION_POINTS == 5
    proj = result.projections
    assert proj.height > 0
    assert (proj["years_used"] >= 5).all()
    city = result.values.filter(
        pl.col("area_level").is_in(["stad", "gemeente"])
        & (pl.col("group") == "totaal")
        & pl.col("value").is_not_null()
    )
    for (key,), part in proj.group_by(["indicator"]):
        years = sorted(city.filter(pl.col("indicator") == key)["period"].to_list())[-10:]
        span = years[-1] - years[0]
        assert part["year"].max() <= years[-1] + span
    # an indicator with fewer than five years has no projection, and the run says so
    short = city.group_by("indicator").agg(pl.col("period").n_unique().alias("n"))
    for key in short.filter(pl.col("n") < 5)["indicator"].to_list():
        assert proj.filter(pl.col("indicator") == key).is_empty()
        assert any("geen projectie" in w for w in result.warnings)


def test_projection_minimum_on_a_short_series():
    from kansenaudit.staat.compute import compute_projections, prepare_values

    inputs = inputs_from_demo()
    values = prepare_values(inputs)
    keep = values.filter(
        ~(
            pl.col("area_level").is_in(["stad", "gemeente"])
            & (pl.col("indicator") == "unemployment_pct")
            & (pl.col("period") < 2022)
        )
    )
    notes: list[dict] = []
    params = StaatParameters(n_boot=0)
    proj, _ = compute_projections(keep, by_key(inputs.catalogue), params, notes)
    assert proj.filter(pl.col("indicator") == "unemployment_pct").is_empty()
    assert any(n["indicator"] == "unemployment_pct" for n in notes)


def test_benjamini_hochberg_runs_once_over_the_whole_report(result):
    from kansenaudit.stats.multiple_testing import benjamini_hochberg

    changes, trends = result.changes, result.trends
    p = np.concatenate(
        [
            changes["p_value"].fill_null(np.nan).to_numpy(),
            changes["gap_p_value"].fill_null(np.nan).to_numpy(),
            trends["p_value"].fill_null(np.nan).to_numpy(),
        ]
    )
    finite = np.isfinite(p)
    expected = benjamini_hochberg(p[finite], 0.05)[1]
    got = np.concatenate(
        [
            changes["p_adjusted"].fill_null(np.nan).to_numpy(),
            changes["gap_p_adjusted"].fill_null(np.nan).to_numpy(),
            trends["p_adjusted"].fill_null(np.nan).to_numpy(),
        ]
    )[finite]
    assert got == pytest.approx(expected)
    assert any(
        f"over {format_number(int(finite.sum()))} toetsen samen" in w for w in result.warnings
    )
    # not per indicator: corrected alone, one indicator's p-values would come out differently
    one = changes.filter(pl.col("indicator") == "unemployment_pct")
    alone = benjamini_hochberg(one["p_value"].fill_null(np.nan).to_numpy(), 0.05)[1]
    assert one["p_adjusted"].to_numpy() != pytest.approx(alone)
    # a narrowed or widened gap is one whose family-adjusted test is significant
    labelled = changes.filter(pl.col("gap_change").is_in(["kleiner", "groter"]))
    assert labelled.height > 0
    assert (labelled["gap_p_adjusted"] <= 0.05).all()


def test_summary_is_never_stronger_than_the_intervals(result):
    import re

    from kansenaudit.staat.report.page import _main_level
    from kansenaudit.staat.summary import domain_summaries

    levels = {i.key: _main_level(result.values, i.key) for i in result.inputs.catalogue}
    summaries = domain_summaries(result, levels)
    assert len(summaries) >= 4
    names = {i.name: i for i in result.inputs.catalogue}
    checked = 0
    for _domain, items in summaries:
        for name, text in items:
            ind = names[name]
            city = result.changes.filter(
                (pl.col("indicator") == ind.key)
                & pl.col("area_level").is_in(["stad", "gemeente"])
                & (pl.col("group") == "totaal")
            ).row(0, named=True)
            if " steeg " in text or " daalde " in text:
                assert city["significant"]
                assert (city["change"] > 0) == (" steeg " in text)
                checked += 1
            if "niet aantoonbaar" in text:
                assert not city["significant"]
            # every area named as behind has its whole interval on the unfavourable side
            for area in re.findall(r"([A-Z][\w-]+) \(", text.split(", tegen")[0]):
                gaps = result.gaps.filter(
                    (pl.col("indicator") == ind.key)
                    & (pl.col("area_name") == area)
                    & (pl.col("area_level") == levels[ind.key])
                ).sort("period")
                row = gaps.row(-1, named=True)
                if row["difference_low"] is not None and np.isfinite(row["difference_low"]):
                    bound = row["difference_high"] if ind.polarity > 0 else row["difference_low"]
                    assert ind.polarity * bound < 0, (name, area)
    assert checked > 0
    assert "Per domein het belangrijkste" in render_html(result)
