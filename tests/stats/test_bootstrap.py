"""Bootstrap intervals: contain the estimate, reproducible, narrow with data, cover."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as scipy_stats

from kansenaudit.stats import bootstrap
from kansenaudit.stats.bootstrap import Interval, bootstrap_interval
from kansenaudit.stats.inequality import gini, mean_log_deviation, theil


def mean(values, weights):
    return float(np.average(values, weights=weights))


@pytest.fixture
def areas():
    rng = np.random.default_rng(11)
    income = rng.lognormal(10.4, 0.25, 60)
    residents = rng.integers(5_000, 60_000, 60)
    stadsdeel = np.repeat(np.array(["A", "E", "F", "K", "M", "N"]), 10)
    return income, residents, stadsdeel


@pytest.mark.parametrize("method", ["percentile", "basic", "bca"])
def test_interval_contains_the_estimate(areas, method):
    income, residents, _ = areas
    iv = bootstrap_interval(gini, income, residents, n_boot=299, method=method)
    assert isinstance(iv, Interval)
    assert iv.estimate == gini(income, residents)
    assert iv.low < iv.estimate < iv.high
    assert (iv.level, iv.n_boot, iv.method) == (0.95, 299, method)
    assert 0 < iv.standard_error < iv.high - iv.low


def test_same_seed_same_interval_other_seed_other_interval(areas):
    income, residents, _ = areas
    first = bootstrap_interval(theil, income, residents, n_boot=199, seed=5)
    again = bootstrap_interval(theil, income, residents, n_boot=199, seed=5)
    other = bootstrap_interval(theil, income, residents, n_boot=199, seed=6)
    assert first == again
    assert other != first
    from_generator = bootstrap_interval(
        theil, income, residents, n_boot=199, seed=np.random.default_rng(5)
    )
    assert from_generator == first


def test_drawing_in_blocks_still_works_and_is_reproducible(areas, monkeypatch):
    income, residents, _ = areas
    monkeypatch.setattr(bootstrap, "_MAX_DRAWN", 100)  # one sample of 60 per block
    first = bootstrap_interval(gini, income, residents, n_boot=50, seed=2)
    assert first == bootstrap_interval(gini, income, residents, n_boot=50, seed=2)
    assert first.low < first.estimate < first.high


def test_interval_narrows_with_more_data():
    rng = np.random.default_rng(3)
    small = rng.normal(50, 10, 25)
    large = rng.normal(50, 10, 400)
    narrow = bootstrap_interval(mean, large, n_boot=299)
    wide = bootstrap_interval(mean, small, n_boot=299)
    # the width shrinks like 1/√n: 4 times narrower for 16 times the data, roughly
    assert (narrow.high - narrow.low) < 0.4 * (wide.high - wide.low)


def test_coverage_of_the_mean_of_normal_data():
    # 200 samples of 40 from N(0, 1): the 90 % percentile interval should contain the true
    # mean 0 about 90 % of the time (a little less: percentile intervals are slightly narrow).
    rng = np.random.default_rng(2024)
    hits = 0
    for _ in range(200):
        sample = rng.normal(0, 1, 40)
        iv = bootstrap_interval(mean, sample, n_boot=199, level=0.9, seed=rng)
        hits += iv.low <= 0 <= iv.high
    assert 0.80 <= hits / 200 <= 0.97


def test_standard_error_of_the_mean_is_close_to_sigma_over_root_n():
    rng = np.random.default_rng(8)
    sample = rng.normal(0, 2, 100)
    iv = bootstrap_interval(mean, sample, n_boot=999)
    assert iv.standard_error == pytest.approx(sample.std() / np.sqrt(100), rel=0.15)


def test_basic_interval_is_the_percentile_interval_reflected_in_the_estimate(areas):
    income, residents, _ = areas
    percentile = bootstrap_interval(gini, income, residents, n_boot=199, seed=9)
    basic = bootstrap_interval(gini, income, residents, n_boot=199, seed=9, method="basic")
    assert basic.low == pytest.approx(2 * percentile.estimate - percentile.high, rel=1e-12)
    assert basic.high == pytest.approx(2 * percentile.estimate - percentile.low, rel=1e-12)


def test_bca_agrees_with_scipy_on_a_skewed_sample():
    rng = np.random.default_rng(21)
    sample = rng.exponential(3.0, 30)
    ours = bootstrap_interval(mean, sample, n_boot=4000, method="bca", seed=1)
    theirs = scipy_stats.bootstrap(
        (sample,), np.mean, n_resamples=4000, method="BCa", random_state=np.random.default_rng(2)
    ).confidence_interval
    width = theirs.high - theirs.low
    # Independent random draws: agreement to a few percent of the width is all one can ask.
    assert ours.low == pytest.approx(theirs.low, abs=0.08 * width)
    assert ours.high == pytest.approx(theirs.high, abs=0.08 * width)
    # On right-skewed data BCa shifts the interval to the right of the percentile interval.
    percentile = bootstrap_interval(mean, sample, n_boot=4000, seed=1)
    assert ours.high > percentile.high


def test_weights_and_groups_travel_with_their_observation(areas):
    income, residents, stadsdeel = areas
    paired_weight = dict(zip(income.tolist(), residents.tolist(), strict=True))
    paired_group = dict(zip(income.tolist(), stadsdeel.tolist(), strict=True))

    def check(values, weights, groups):
        assert [paired_weight[v] for v in values.tolist()] == weights.tolist()
        assert [paired_group[v] for v in values.tolist()] == groups.tolist()
        return float(values.mean())

    bootstrap_interval(check, income, residents, groups=stadsdeel, n_boot=20)


def test_without_weights_the_statistic_gets_none():
    seen = []

    def statistic(values, weights):
        seen.append(weights)
        return float(values.mean())

    bootstrap_interval(statistic, [1.0, 2.0, 3.0], n_boot=5)
    assert seen == [None] * 6  # the estimate and five samples


def test_decomposition_components(areas):
    income, residents, stadsdeel = areas
    parts = {}
    for component in ("total", "between", "within", "between_share"):
        parts[component] = bootstrap_interval(
            theil, income, residents, groups=stadsdeel, component=component, n_boot=199
        )
    d = theil(income, residents, groups=stadsdeel)
    assert parts["between"].estimate == d.between
    assert parts["within"].estimate == d.within
    assert parts["total"].estimate == pytest.approx(theil(income, residents))
    assert parts["between_share"].estimate == pytest.approx(d.between / d.total)
    for interval in parts.values():
        assert 0 <= interval.low <= interval.high
    mld = bootstrap_interval(
        mean_log_deviation, income, residents, groups=stadsdeel, component="within", n_boot=49
    )
    assert mld.estimate == mean_log_deviation(income, residents, groups=stadsdeel).within


def test_decomposition_without_component_asks_for_one(areas):
    income, residents, stadsdeel = areas
    with pytest.raises(TypeError, match="component='total', 'between'"):
        bootstrap_interval(theil, income, residents, groups=stadsdeel, n_boot=10)
    with pytest.raises(ValueError, match="no component 'inbetween'"):
        bootstrap_interval(
            theil, income, residents, groups=stadsdeel, component="inbetween", n_boot=10
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"values": [1.0]}, "at least 2"),
        ({"values": [[1.0, 2.0]]}, "one-dimensional"),
        ({"weights": [1.0, 2.0]}, "3 values but weights"),
        ({"groups": ["a"]}, "3 values but groups"),
        ({"n_boot": 1}, "n_boot"),
        ({"n_boot": 9.5}, "n_boot"),
        ({"n_boot": True}, "n_boot"),
        ({"level": 1.0}, "level"),
        ({"level": 0}, "level"),
        ({"method": "student"}, "method"),
    ],
)
def test_invalid_arguments(kwargs, message):
    arguments = {"values": [1.0, 2.0, 3.0], "n_boot": 10} | kwargs
    values = arguments.pop("values")
    with pytest.raises(ValueError, match=message):
        bootstrap_interval(mean, values, **arguments)


def test_non_finite_statistic_is_reported():
    with pytest.raises(ValueError, match="not finite"):
        bootstrap_interval(lambda v, w: float("nan"), [1.0, 2.0], n_boot=10)


@pytest.mark.parametrize("method", ["percentile", "bca"])
@pytest.mark.parametrize("statistic", ["gini", "theil", "between_share", "sd"])
def test_vectorised_replicates_equal_the_loop(statistic, method):
    """The row-wise fast path gives the same interval as calling the statistic per sample."""
    from kansenaudit.stats import dispersion, inequality

    rng = np.random.default_rng(7)
    x = rng.lognormal(10, 0.4, 40)
    w = rng.integers(50, 5000, 40).astype(float)
    groups = rng.choice(list("ABCDE"), 40)
    if statistic == "between_share":
        fast = bootstrap_interval(
            inequality.theil,
            x,
            w,
            groups=groups,
            component="between_share",
            n_boot=99,
            seed=3,
            method=method,
        )
        slow = bootstrap_interval(
            lambda v, ww, groups: inequality.theil(v, ww, groups=groups),
            x,
            w,
            groups=groups,
            component="between_share",
            n_boot=99,
            seed=3,
            method=method,
        )
    else:
        fn = dispersion.weighted_sd if statistic == "sd" else getattr(inequality, statistic)
        fast = bootstrap_interval(fn, x, w, n_boot=99, seed=3, method=method)
        slow = bootstrap_interval(lambda v, ww: fn(v, ww), x, w, n_boot=99, seed=3, method=method)
    assert fast.low == pytest.approx(slow.low, rel=1e-9)
    assert fast.high == pytest.approx(slow.high, rel=1e-9)
    assert fast.standard_error == pytest.approx(slow.standard_error, rel=1e-9)


def test_reused_draws_are_the_draws_of_the_seed(areas):
    """A second statistic with the same seed reuses the samples; numbers as if drawn afresh."""
    from kansenaudit.stats.bootstrap import _DRAWS, _draw

    income, residents, stadsdeel = areas
    _DRAWS.clear()
    first = bootstrap_interval(gini, income, residents, n_boot=99, seed=8, strata=stadsdeel)
    assert len(_DRAWS) == 1
    (drawn,) = _DRAWS.values()
    fresh = _draw(np.random.default_rng(8), 99, income.size, stadsdeel)
    assert np.array_equal(drawn, fresh)
    assert not drawn.flags.writeable
    again = bootstrap_interval(gini, income, residents, n_boot=99, seed=8, strata=stadsdeel)
    assert again == first
    assert len(_DRAWS) == 1
    from_generator = bootstrap_interval(
        gini, income, residents, n_boot=99, seed=np.random.default_rng(8), strata=stadsdeel
    )
    assert from_generator == first


def test_permutation_shares_equal_the_row_formula():
    """The permutation's shortcut (total Theil once) equals the general row-wise formula."""
    from kansenaudit.stats.inequality import theil_between_share_rows
    from kansenaudit.stats.permutation import _between_shares, _shuffles

    rng = np.random.default_rng(5)
    x = rng.lognormal(3, 0.5, 22)
    w = rng.integers(100, 5000, 22).astype(float)
    codes = rng.integers(0, 7, 22)
    labels = codes[_shuffles(2, 199, 22)]
    expected = theil_between_share_rows(
        np.broadcast_to(x, labels.shape), np.broadcast_to(w, labels.shape), labels
    )
    assert np.allclose(_between_shares(x, w, labels), expected, rtol=1e-12, atol=1e-15)


def test_stratified_bootstrap_keeps_every_stratum_and_its_size():
    from kansenaudit.stats.bootstrap import _draw

    strata = np.array(["a", "a", "b", "b", "b", "c"])
    drawn = _draw(np.random.default_rng(1), 200, strata.size, strata)
    for row in drawn:
        assert sorted(strata[row].tolist()) == sorted(strata.tolist())


def test_permutation_reference_for_the_between_share():
    from kansenaudit.stats.permutation import between_share_permutation

    rng = np.random.default_rng(4)
    x = rng.lognormal(size=40)
    groups = np.repeat(np.arange(8), 5)
    random_groups = between_share_permutation(x, None, groups, n_perm=499, seed=1)
    assert random_groups.p_value > 0.01  # labels unrelated to values: nothing special
    assert random_groups.mean > 0.05  # but the share is far from 0 by chance alone
    ordered = between_share_permutation(np.sort(x), None, groups, n_perm=499, seed=1)
    assert ordered.p_value < 0.01
    assert ordered.observed > ordered.p95
