"""Stacking of disadvantages: hand-checked matrices, polarity, missing values, sensitivity."""

import numpy as np
import pytest

from kansenaudit.stats.stacking import (
    classify,
    count_beyond_threshold,
    exponential_transform,
    imd_composite,
    sensitivity,
    zscore_composite,
)

# Five areas; A: higher is better, B: higher is worse. Area 0 is worst on both.
A = np.array([10.0, 20.0, 30.0, 40.0, 50.0])
B = np.array([5.0, 4.0, 3.0, 2.0, 1.0])
MATRIX = np.column_stack([A, B])
POLARITY = [+1, -1]


# --- z-score composite ---------------------------------------------------------------------------


def test_zscore_composite_hand_computed():
    r = zscore_composite(MATRIX, POLARITY)
    expected = np.array([2, 1, 0, -1, -2]) / np.sqrt(2)  # sd of (−2,…,2) with divisor 5
    np.testing.assert_allclose(r.components[:, 0], expected)
    np.testing.assert_allclose(r.components[:, 1], expected)
    np.testing.assert_allclose(r.score, expected)
    np.testing.assert_array_equal(r.rank, [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(r.n_available, [2] * 5)


def test_zscore_missing_values_renormalise_weights():
    m = MATRIX.copy()
    m[1, 1] = np.nan
    r = zscore_composite(m, POLARITY, weights=[3, 1])
    b = np.array([5.0, 3.0, 2.0, 1.0])
    z_b0 = (5.0 - b.mean()) / b.std()
    z_a = -(A - A.mean()) / A.std()
    assert r.score[0] == pytest.approx((3 * z_a[0] + z_b0) / 4)
    assert r.score[1] == pytest.approx(z_a[1])  # only A available: its weight becomes 1
    assert r.n_available[1] == 1


def test_zscore_population_weights():
    pop = np.array([100, 100, 100, 100, 400.0])
    r = zscore_composite(MATRIX, POLARITY, population=pop)
    mean = np.average(A, weights=pop)
    sd = np.sqrt(np.average((A - mean) ** 2, weights=pop))
    np.testing.assert_allclose(r.components[:, 0], -(A - mean) / sd)
    assert "inwoners" in r.method


def test_constant_indicator_is_left_out_and_all_missing_area_has_no_score():
    m = np.column_stack([A, np.full(5, 7.0)])
    m[4] = np.nan
    r = zscore_composite(m, [1, 1])
    assert np.isnan(r.components[:, 1]).all()
    assert np.isnan(r.score[4])
    assert r.rank[4] == 0


# --- counting ------------------------------------------------------------------------------------


def test_count_worst_quintile_hand_checked():
    first = np.arange(1.0, 11.0)  # higher is better: areas 0 and 1 are the worst 20 %
    second = np.array([9, 8, 7, 6, np.nan, 5, 4, 3, 2, 10.0])  # higher worse: area 9, then 0
    r = count_beyond_threshold(np.column_stack([first, second]), [1, -1])
    np.testing.assert_array_equal(r.count, [1, 1, 0, 0, 0, 0, 0, 0, 0, 1])
    # Second column has 9 values: 20 % of 9 = 1.8, so only area 9 (the worst) is flagged.
    assert r.flags[9, 1]
    assert not r.flags[0, 1]
    assert r.n_available[4] == 1
    assert r.share[0] == 0.5


def test_count_ties_are_all_flagged():
    col = np.array([1.0, 1.0, 3, 4, 5, 6, 7, 8, 9, 10])  # two worst areas tie
    r = count_beyond_threshold(col[:, None], [1], threshold="worst_decile")
    np.testing.assert_array_equal(np.flatnonzero(r.flags[:, 0]), [0, 1])


def test_count_z_threshold():
    r = count_beyond_threshold(MATRIX, POLARITY, threshold=1.0)
    # Aligned z = ±1.414, ±0.707, 0: only area 0 is ≥ 1 sd on the bad side, on both.
    np.testing.assert_array_equal(r.count, [2, 0, 0, 0, 0])
    assert "sd" in r.method


def test_count_bad_threshold_name():
    with pytest.raises(ValueError, match="threshold"):
        count_beyond_threshold(MATRIX, POLARITY, threshold="worst_third")


# --- IMD style -----------------------------------------------------------------------------------


def test_exponential_transform_endpoints_and_shape():
    assert exponential_transform(1.0) == 100.0
    assert exponential_transform(0.0) == 0.0
    assert exponential_transform(1e-12) == pytest.approx(0.0, abs=1e-9)
    r = np.linspace(0, 1, 101)
    x = exponential_transform(r)
    assert np.all(np.diff(x) > 0)
    # Half the areas score below 16 of 100: the transform stresses the worst tenth.
    assert x[50] < 16 < 50 < x[90]
    with pytest.raises(ValueError, match="between 0 and 1"):
        exponential_transform(1.5)


def test_imd_composite_hand_computed():
    r = imd_composite(MATRIX, POLARITY, weights=[0.5, 0.5])
    scaled = np.array([5, 4, 3, 2, 1]) / 5
    expected = -23 * np.log(1 - scaled * (1 - np.exp(-100 / 23)))
    np.testing.assert_allclose(r.components[:, 0], expected)
    np.testing.assert_allclose(r.score, expected)
    np.testing.assert_array_equal(r.rank, [1, 2, 3, 4, 5])
    assert "eigen gewichten" in r.method


def test_imd_weights_and_missing_values():
    m = np.column_stack([A, B[::-1]])  # the two indicators now disagree
    r = imd_composite(m, POLARITY, weights=[3, 1])
    x = exponential_transform(np.arange(1, 6) / 5)
    np.testing.assert_allclose(r.score, (3 * x[::-1] + x) / 4)
    m[0, 1] = np.nan
    r = imd_composite(m, POLARITY, weights=[3, 1])
    assert r.score[0] == pytest.approx(100.0)  # only A left, where area 0 is the worst
    assert r.components[1, 1] == pytest.approx(exponential_transform(1 / 4))


# --- polarity ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [zscore_composite, imd_composite])
def test_flipping_polarity_and_sign_gives_the_same_result(fn):
    rng = np.random.default_rng(0)
    m = rng.normal(size=(30, 4))
    m[rng.random(m.shape) < 0.1] = np.nan
    pol = np.array([1, -1, 1, -1])
    flipped = m * np.array([1, -1, -1, 1])
    pol_flipped = pol * np.array([1, -1, -1, 1])
    np.testing.assert_allclose(fn(m, pol).score, fn(flipped, pol_flipped).score)
    counted = count_beyond_threshold(m, pol).count
    np.testing.assert_array_equal(counted, count_beyond_threshold(flipped, pol_flipped).count)


def test_polarity_reverses_the_ranking():
    up = zscore_composite(A[:, None], [1])
    down = zscore_composite(A[:, None], [-1])
    np.testing.assert_array_equal(up.rank, [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(down.rank, [5, 4, 3, 2, 1])


@pytest.mark.parametrize(
    ("polarity", "weights", "message"),
    [
        ([1], None, "one polarity"),
        ([1, 0], None, "polarity"),
        ([1, 1], [1, -1], "weights"),
        ([1, 1], [1, 2, 3], "weight"),
    ],
)
def test_invalid_stacking_input(polarity, weights, message):
    with pytest.raises(ValueError, match=message):
        zscore_composite(MATRIX, polarity, weights)


# --- classes -------------------------------------------------------------------------------------


def test_classify_quintiles_ties_and_missing():
    scores = np.array([5, 1, 9, 3, 7, 2, 8, 4, 6, 10, np.nan], dtype=float)
    np.testing.assert_array_equal(classify(scores), [3, 1, 5, 2, 4, 1, 4, 2, 3, 5, 0])
    tied = classify([1.0, 2.0, 2.0, 2.0, 3.0], n_classes=5)
    np.testing.assert_array_equal(tied, [1, 2, 2, 2, 5])  # ties share the lower class


def test_classify_does_not_depend_on_order_and_works_per_row():
    rng = np.random.default_rng(1)
    scores = rng.integers(0, 6, size=200).astype(float)  # many ties
    perm = rng.permutation(200)
    np.testing.assert_array_equal(classify(scores)[perm], classify(scores[perm]))
    both = classify(np.vstack([scores, -scores]))
    np.testing.assert_array_equal(both[0], classify(scores))
    np.testing.assert_array_equal(both[1], classify(-scores))


# --- sensitivity ---------------------------------------------------------------------------------


def _borderline_matrix():
    """Areas 0–8 agree on both indicators; area 9 is best on A and worst on B."""
    a = np.append(np.arange(1.0, 10.0), 9.0)
    b = np.append(np.arange(1.0, 10.0), 1.0)
    return np.column_stack([a, b])


@pytest.mark.parametrize("method", ["zscore", "imd"])
def test_sensitivity_finds_the_area_that_flips(method):
    r = sensitivity(_borderline_matrix(), [1, 1], None, method=method, n_random=50, n_classes=2)
    assert 9 in r.changed_areas
    assert 0 not in r.changed_areas
    assert 8 not in r.changed_areas
    assert r.min_class[9] == 1
    assert r.max_class[9] == 2
    assert 0 < r.share_changed[9] < 1
    assert r.share_changed[0] == 0.0
    assert r.classes.shape == (1 + 2 + 50, 10)
    assert r.alternative_labels[:3] == ("gelijke gewichten", "zonder 0", "zonder 1")


def test_sensitivity_with_given_alternatives_and_names():
    r = sensitivity(
        _borderline_matrix(),
        [1, 1],
        [1, 1],
        method="zscore",
        n_classes=2,
        alternatives={"alleen A": [1, 0], "alleen B": [0, 1]},
        indicator_names=["A", "B"],
    )
    assert r.alternative_labels == ("alleen A", "alleen B")
    assert r.classes[0, 9] == 1
    assert r.classes[1, 9] == 2
    assert r.share_changed[9] == pytest.approx(0.5)


def test_sensitivity_is_reproducible_with_a_seed():
    m = np.random.default_rng(3).normal(size=(40, 5))
    one = sensitivity(m, [1] * 5, None, method="zscore", seed=7)
    two = sensitivity(m, [1] * 5, None, method="zscore", seed=7)
    np.testing.assert_array_equal(one.classes, two.classes)
    assert len(one.alternative_labels) == 1 + 5 + 200


def test_sensitivity_bad_method():
    with pytest.raises(ValueError, match="method"):
        sensitivity(MATRIX, POLARITY, None, method="count")
