"""Gaps and their intervals, checked against statsmodels and hand computations."""

import numpy as np
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from kansenaudit.stats.gaps import NO_N, NO_SD, gap, proportion_interval

RNG = np.random.default_rng(7)
N1 = RNG.integers(20, 3000, size=40)
N2 = RNG.integers(500, 80_000, size=40)
X1 = RNG.binomial(N1, RNG.uniform(0.02, 0.9, size=40))
X2 = RNG.binomial(N2, RNG.uniform(0.05, 0.8, size=40))
P1 = 100 * X1 / N1
P2 = 100 * X2 / N2


@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_wilson_matches_statsmodels(level):
    low, high = proportion_interval(P1, N1, level)
    sm_low, sm_high = proportion_confint(X1, N1, alpha=1 - level, method="wilson")
    np.testing.assert_allclose(low, 100 * sm_low, atol=1e-10)
    np.testing.assert_allclose(high, 100 * sm_high, atol=1e-10)


def test_wilson_edges_and_missing_n():
    low, high = proportion_interval([0.0, 100.0, 40.0, 40.0], [50, 50, np.nan, 0])
    sm_low, sm_high = proportion_confint([0, 50], [50, 50], method="wilson")
    np.testing.assert_allclose(low[:2], 100 * sm_low, atol=1e-10)
    np.testing.assert_allclose(high[:2], 100 * sm_high, atol=1e-10)
    assert np.isnan(low[2:]).all()
    assert np.isnan(high[2:]).all()
    assert low[0] == 0.0
    assert high[1] == 100.0


@pytest.mark.parametrize("level", [0.9, 0.95])
def test_share_difference_is_newcombe_and_ratio_is_katz(level):
    r = gap(P1, P2, n=N1, reference_n=N2, level=level)
    d_low, d_high = confint_proportions_2indep(
        X1, N1, X2, N2, method="newcomb", compare="diff", alpha=1 - level
    )
    r_low, r_high = confint_proportions_2indep(
        X1, N1, X2, N2, method="log", compare="ratio", alpha=1 - level
    )
    np.testing.assert_allclose(r.difference, P1 - P2, atol=1e-10)
    np.testing.assert_allclose(r.difference_low, 100 * d_low, atol=1e-9)
    np.testing.assert_allclose(r.difference_high, 100 * d_high, atol=1e-9)
    np.testing.assert_allclose(r.ratio, P1 / P2, rtol=1e-12)
    np.testing.assert_allclose(r.ratio_low, r_low, rtol=1e-10)
    np.testing.assert_allclose(r.ratio_high, r_high, rtol=1e-10)
    assert "Newcombe" in r.method
    assert "Katz" in r.method
    assert r.level == level


def test_scalar_in_scalar_out():
    r = gap(30.0, 20.0, n=200, reference_n=10_000)
    assert isinstance(r.difference, float)
    assert isinstance(r.ratio_high, float)
    assert r.difference_low < 10.0 < r.difference_high
    assert r.ratio_low < 1.5 < r.ratio_high


def test_without_n_there_is_no_interval():
    r = gap([30.0, 10.0], [20.0, 20.0])
    np.testing.assert_allclose(r.difference, [10.0, -10.0])
    np.testing.assert_allclose(r.ratio, [1.5, 0.5])
    for bound in (r.difference_low, r.difference_high, r.ratio_low, r.ratio_high):
        assert np.isnan(bound).all()
    assert r.method == NO_N


def test_partly_unknown_n_gives_nan_only_there():
    r = gap([30.0, 10.0], [20.0, 20.0], n=[100, np.nan], reference_n=[1000, 1000])
    assert np.isfinite(r.difference_low[0])
    assert np.isnan(r.difference_low[1])
    assert "waar n onbekend" in r.method


def test_zero_shares_give_nan_ratio_without_warnings():
    # pytest turns RuntimeWarning into an error, so this also checks the masking.
    r = gap([0.0, 5.0, 0.0], [10.0, 0.0, 0.0], n=[100, 100, 100], reference_n=[500, 500, 500])
    assert r.ratio[0] == 0.0
    assert np.isnan(r.ratio[1])
    assert np.isnan(r.ratio[2])
    assert np.isnan(r.ratio_low).all()  # log method undefined when a share is 0
    assert np.isfinite(r.difference_low).all()  # Newcombe still works


def test_mean_gap_is_welchs_t_interval():
    from scipy import stats as scipy_stats

    r = gap(
        32_000.0, 35_000.0, n=400, reference_n=20_000, kind="mean", sd=9000, reference_sd=12_000
    )
    v1, v2 = 9000**2 / 400, 12_000**2 / 20_000
    se = np.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / 399 + v2**2 / 19_999)
    t = scipy_stats.t.ppf(0.975, df)
    assert t > 1.96  # wider than the normal (z) interval
    assert r.difference == pytest.approx(-3000.0)
    assert r.difference_low == pytest.approx(-3000 - t * se)
    assert r.difference_high == pytest.approx(-3000 + t * se)
    z = 1.959963984540054
    se_log = np.sqrt(9000**2 / (400 * 32_000**2) + 12_000**2 / (20_000 * 35_000**2))
    ratio = 32_000 / 35_000
    assert r.ratio_low == pytest.approx(ratio * np.exp(-z * se_log))
    assert r.ratio_high == pytest.approx(ratio * np.exp(z * se_log))
    assert "Welch" in r.method


def test_mean_without_sd_says_so():
    r = gap(5.0, 4.0, n=100, reference_n=1000, kind="mean")
    assert np.isnan(r.difference_low)
    assert r.method == NO_SD


def test_complement_share_is_city_minus_area():
    # City 20.2 % of 10,000 = 2,020; area 30 % of 200 = 60; rest 1,960 / 9,800 = 20 %.
    r = gap(30.0, 20.2, n=200, reference_n=10_000, reference_includes_area=True)
    plain = gap(30.0, 20.0, n=200, reference_n=9800)
    assert r.reference_value == pytest.approx(20.0)
    assert r.difference == pytest.approx(plain.difference)
    assert r.difference_low == pytest.approx(plain.difference_low)
    assert r.ratio_high == pytest.approx(plain.ratio_high)
    assert "complement" in r.method


def test_complement_falls_back_to_city_where_n_unknown():
    r = gap(
        [30.0, 30.0],
        [20.2, 20.2],
        n=[200, np.nan],
        reference_n=[10_000, 10_000],
        reference_includes_area=True,
    )
    np.testing.assert_allclose(r.reference_value, [20.0, 20.2])
    assert np.isnan(r.difference_low[1])


def test_complement_mean_and_sd_match_the_rest_of_the_city():
    area = RNG.normal(30, 5, size=300)
    rest = RNG.normal(40, 8, size=5000)
    city = np.concatenate([area, rest])
    r = gap(
        area.mean(),
        city.mean(),
        n=area.size,
        reference_n=city.size,
        kind="mean",
        sd=area.std(ddof=1),
        reference_sd=city.std(ddof=1),
        reference_includes_area=True,
    )
    direct = gap(
        area.mean(),
        rest.mean(),
        n=area.size,
        reference_n=rest.size,
        kind="mean",
        sd=area.std(ddof=1),
        reference_sd=rest.std(ddof=1),
    )
    assert r.reference_value == pytest.approx(rest.mean())
    assert r.difference_low == pytest.approx(direct.difference_low, rel=1e-9)
    assert r.ratio_high == pytest.approx(direct.ratio_high, rel=1e-9)


def test_area_inside_city_interval_is_wider_than_naive():
    naive = gap(30.0, 20.2, n=2000, reference_n=10_000)
    rest = gap(30.0, 20.2, n=2000, reference_n=10_000, reference_includes_area=True)
    assert rest.difference > naive.difference  # the city is pulled towards the area
    assert (rest.difference_high - rest.difference_low) > (
        naive.difference_high - naive.difference_low
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": 130.0, "reference": 20.0}, "percent"),
        ({"value": 30.0, "reference": -1.0}, "percent"),
        ({"value": 30.0, "reference": 20.0, "kind": "median"}, "kind"),
        ({"value": 30.0, "reference": 20.0, "level": 95}, "level"),
    ],
)
def test_invalid_input_raises(kwargs, message):
    with pytest.raises(ValueError, match=message):
        gap(**kwargs)


def test_mean_gap_interval_is_welchs_t_interval_as_in_scipy():
    from scipy import stats as scipy_stats

    rng = np.random.default_rng(5)
    a, b = rng.normal(10, 2, size=12), rng.normal(9, 4, size=9)
    r = gap(
        a.mean(),
        b.mean(),
        n=a.size,
        reference_n=b.size,
        sd=a.std(ddof=1),
        reference_sd=b.std(ddof=1),
        kind="mean",
    )
    ci = scipy_stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert r.difference_low == pytest.approx(ci.low)
    assert r.difference_high == pytest.approx(ci.high)
    assert "Welch-t" in r.method
