"""Change since the baseline, linear trends and change in gaps, against independent code."""

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from kansenaudit.stats.gaps import NO_N
from kansenaudit.stats.trends import (
    NARROWED,
    NO_CHANGE,
    NO_DATA,
    NOT_TESTED,
    WIDENED,
    change_since_baseline,
    gap_change,
    linear_trend,
    screen_changes,
)

Z95 = 1.959963984540054
YEARS = np.arange(2010, 2025)


# --- change since baseline -----------------------------------------------------------------------


def test_share_change_test_is_the_pooled_two_proportion_z_test():
    rng = np.random.default_rng(11)
    n1 = rng.integers(50, 5000, size=25)
    n2 = rng.integers(50, 5000, size=25)
    x1 = rng.binomial(n1, 0.3)
    x2 = rng.binomial(n2, 0.33)
    r = change_since_baseline(100 * x1 / n1, 100 * x2 / n2, base_n=n1, n=n2)
    for i in range(25):
        z, p = proportions_ztest([x2[i], x1[i]], [n2[i], n1[i]])
        assert r.z[i] == pytest.approx(z, rel=1e-10)
        assert r.p_value[i] == pytest.approx(p, rel=1e-10)


def test_share_change_interval_uses_the_unpooled_standard_error():
    r = change_since_baseline(20.0, 25.0, base_n=1000, n=800)
    se = np.sqrt(0.2 * 0.8 / 1000 + 0.25 * 0.75 / 800)
    assert r.difference == pytest.approx(5.0)
    assert r.low == pytest.approx(100 * (0.05 - Z95 * se))
    assert r.high == pytest.approx(100 * (0.05 + Z95 * se))
    assert "gepoolde" in r.method


def test_mean_change_is_welch_normal():
    r = change_since_baseline(
        10.0, 11.0, base_n=[100, 400], n=[120, 400], kind="mean", base_sd=4.0, sd=5.0
    )
    se = np.sqrt(np.array([16 / 100 + 25 / 120, 16 / 400 + 25 / 400]))
    np.testing.assert_allclose(r.z, 1.0 / se)
    np.testing.assert_allclose(r.p_value, 2 * stats.norm.sf(1.0 / se))
    np.testing.assert_allclose(r.high - r.low, 2 * Z95 * se)


def test_change_without_n_has_no_test():
    r = change_since_baseline([20.0, 30.0], [25.0, 30.0])
    np.testing.assert_allclose(r.difference, [5.0, 0.0])
    assert np.isnan(r.p_value).all()
    assert np.isnan(r.low).all()
    assert r.method == NO_N


def test_identical_zero_shares_do_not_warn():
    r = change_since_baseline(0.0, 0.0, base_n=100, n=100)
    assert r.difference == 0.0
    assert np.isnan(r.z)
    assert np.isnan(r.p_value)


# --- linear trend --------------------------------------------------------------------------------


def _random_series(shape, nan_share=0.15, seed=5):
    rng = np.random.default_rng(seed)
    slopes = rng.normal(0, 0.5, size=(*shape, 1))
    y = 40 + slopes * (YEARS - 2010) + rng.normal(0, 2, size=(*shape, YEARS.size))
    y[rng.random(y.shape) < nan_share] = np.nan
    return y


def test_linear_trend_matches_linregress():
    y = _random_series((60,))
    r = linear_trend(YEARS, y)
    for i in range(60):
        keep = np.isfinite(y[i])
        ref = stats.linregress(YEARS[keep], y[i, keep])
        assert r.n_points[i] == keep.sum()
        assert r.slope[i] == pytest.approx(ref.slope, rel=1e-9)
        assert r.intercept[i] == pytest.approx(ref.intercept, rel=1e-9)
        assert r.stderr[i] == pytest.approx(ref.stderr, rel=1e-8)
        assert r.p_value[i] == pytest.approx(ref.pvalue, rel=1e-7, abs=1e-14)
    np.testing.assert_allclose(r.t, r.slope / r.stderr)


def test_linear_trend_keeps_leading_shape_and_handles_few_points():
    y = _random_series((4, 3, 2))
    y[0, 0, 0, :] = np.nan
    y[0, 0, 0, [2, 9]] = [1.0, 2.0]  # two points: no trend
    r = linear_trend(YEARS, y)
    assert r.slope.shape == r.p_value.shape == r.n_points.shape == (4, 3, 2)
    assert r.n_points[0, 0, 0] == 2
    assert np.isnan([r.slope[0, 0, 0], r.stderr[0, 0, 0], r.p_value[0, 0, 0]]).all()
    flat = linear_trend(YEARS, y.reshape(-1, YEARS.size))
    np.testing.assert_array_equal(flat.slope.reshape(4, 3, 2), r.slope)


def test_linear_trend_exact_and_constant_series():
    r = linear_trend(YEARS, np.vstack([2.5 * YEARS - 5000, np.full(YEARS.size, 7.0)]))
    assert r.slope[0] == pytest.approx(2.5)
    assert r.t[0] == np.inf
    assert r.p_value[0] == 0.0
    assert r.slope[1] == 0.0
    assert np.isnan(r.t[1])
    assert np.isnan(r.p_value[1])


def test_single_series_gives_scalars():
    r = linear_trend([2019, 2020, 2021, 2022], [1.0, 2.0, 2.5, 4.0])
    assert isinstance(r.slope, float)
    assert isinstance(r.n_points, int)


def test_weighted_trend_matches_statsmodels_wls():
    rng = np.random.default_rng(2)
    y = _random_series((5,), nan_share=0.1, seed=9)
    w = rng.uniform(50, 500, size=(5, YEARS.size))
    r = linear_trend(YEARS, y, weights=w)
    for i in range(5):
        keep = np.isfinite(y[i])
        fit = sm.WLS(y[i, keep], sm.add_constant(YEARS[keep].astype(float)), weights=w[i, keep])
        res = fit.fit()
        assert r.slope[i] == pytest.approx(res.params[1], rel=1e-8)
        assert r.stderr[i] == pytest.approx(res.bse[1], rel=1e-7)
        assert r.p_value[i] == pytest.approx(res.pvalues[1], rel=1e-6)
    assert "WLS" in r.method


def test_zero_weight_drops_a_point():
    y = np.array([1.0, 2.0, 3.5, 4.0, 100.0])
    years = np.arange(2019, 2024)
    with_zero = linear_trend(years, y, weights=[1, 1, 1, 1, 0])
    dropped = linear_trend(years[:4], y[:4])
    assert with_zero.slope == pytest.approx(dropped.slope)
    assert with_zero.n_points == 4


def test_shape_errors():
    with pytest.raises(ValueError, match="columns"):
        linear_trend(YEARS, np.zeros((3, 4)))
    with pytest.raises(ValueError, match="NaN"):
        linear_trend([2019.0, np.nan, 2021.0], np.zeros((2, 3)))
    with pytest.raises(ValueError, match="weights"):
        linear_trend(YEARS, np.zeros((3, YEARS.size)), weights=np.ones(4))


# --- change in gaps ------------------------------------------------------------------------------


def test_gap_change_hand_computed():
    r = gap_change(
        30.0,
        20.0,
        24.0,
        20.0,
        area_base_n=2000,
        reference_base_n=50_000,
        area_now_n=2000,
        reference_now_n=50_000,
        polarity=-1,
    )
    var = 1e4 * (0.3 * 0.7 / 2000 + 0.2 * 0.8 / 50_000 + 0.24 * 0.76 / 2000 + 0.2 * 0.8 / 50_000)
    assert r.change == pytest.approx(-6.0)
    assert r.z == pytest.approx(-6.0 / np.sqrt(var))
    assert r.change_low == pytest.approx(-6.0 - Z95 * np.sqrt(var))
    assert r.classification == NARROWED
    assert r.behind_base
    assert r.behind_now
    assert not r.crossed


def test_gap_change_classes_per_area():
    n = {"area_base_n": 5000, "reference_base_n": 1e5, "area_now_n": 5000, "reference_now_n": 1e5}
    r = gap_change(
        [30.0, 30.0, 30.0, 30.0, np.nan, 25.0],
        [20.0, 20.0, 20.0, 20.0, 20.0, 20.0],
        [22.0, 38.0, 30.4, 12.0, 25.0, 15.0],
        [20.0, 20.0, 20.0, 20.0, 20.0, 20.0],
        **n,
    )
    assert list(r.classification) == [NARROWED, WIDENED, NO_CHANGE, NARROWED, NO_DATA, NO_CHANGE]
    # Area 4 moved from 10 points above to 8 below: smaller in size, and the sign flipped.
    assert r.crossed[3]
    assert not r.crossed[0]
    # Higher is better (polarity +1): area 3 is behind now, not at the base.
    assert not r.behind_base[3]
    assert r.behind_now[3]


def test_gap_change_without_n_is_not_tested():
    r = gap_change([30.0, np.nan], [20.0, 20.0], [25.0, 25.0], [20.0, 20.0])
    assert list(r.classification) == [NOT_TESTED, NO_DATA]
    assert r.method == NO_N


def test_gap_change_fdr_control_flags_fewer_areas():
    rng = np.random.default_rng(4)
    k = 400
    base = rng.uniform(20, 40, k)
    now = base + rng.normal(0, 1.2, k)  # no real change, only noise
    kwargs = {
        "area_base_n": 1500,
        "reference_base_n": 1e6,
        "area_now_n": 1500,
        "reference_now_n": 1e6,
    }
    plain = gap_change(base, 30.0, now, 30.0, control_fdr=False, **kwargs)
    fdr = gap_change(base, 30.0, now, 30.0, **kwargs)
    n_plain = np.isin(plain.classification, [NARROWED, WIDENED]).sum()
    n_fdr = np.isin(fdr.classification, [NARROWED, WIDENED]).sum()
    assert n_fdr < n_plain
    _, sm_adjusted, _, _ = multipletests(fdr.p_value, method="fdr_bh")
    np.testing.assert_allclose(fdr.p_adjusted, sm_adjusted)


def test_gap_change_for_means_and_area_inside_city():
    r = gap_change(
        30_000.0,
        35_000.0,
        31_000.0,
        35_000.0,
        kind="mean",
        area_base_n=400,
        reference_base_n=20_000,
        area_now_n=400,
        reference_now_n=20_000,
        area_base_sd=8000.0,
        reference_base_sd=10_000.0,
        area_now_sd=8000.0,
        reference_now_sd=10_000.0,
    )
    se = np.sqrt(2 * (8000**2 / 400 + 10_000**2 / 20_000))
    assert r.change == pytest.approx(1000.0)
    assert r.z == pytest.approx(1000.0 / se)
    inside = gap_change(
        30.0,
        20.2,
        30.0,
        20.2,
        area_base_n=200,
        reference_base_n=10_000,
        area_now_n=200,
        reference_now_n=10_000,
        reference_includes_area=True,
    )
    assert inside.gap_base == pytest.approx(10.0)


def test_gap_change_rejects_bad_polarity():
    with pytest.raises(ValueError, match="polarity"):
        gap_change(1.0, 2.0, 3.0, 4.0, polarity=2)


# --- screening -----------------------------------------------------------------------------------


def test_screen_changes_matches_statsmodels_and_accepts_results():
    rng = np.random.default_rng(8)
    p = np.concatenate([rng.uniform(0, 0.002, 10), rng.uniform(0, 1, 90)])
    s = screen_changes(p, alpha=0.1)
    sm_rejected, sm_adjusted, _, _ = multipletests(p, alpha=0.1, method="fdr_bh")
    np.testing.assert_array_equal(s.rejected, sm_rejected)
    np.testing.assert_allclose(s.p_adjusted, sm_adjusted)
    assert s.n_tested == 100
    assert s.n_significant == sm_rejected.sum()
    np.testing.assert_array_equal(s.significant_index, np.flatnonzero(sm_rejected))

    changes = change_since_baseline([20.0, 20.0, 20.0], [30.0, 21.0, 20.0], base_n=1000, n=1000)
    s = screen_changes(changes)
    assert s.significant_index.tolist() == [0]
    assert "Benjamini" in s.method
