"""Krippendorff's alpha: Krippendorff's own worked examples, a naive pairwise re-implementation,
the edge cases, and the unit bootstrap."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest

from kansenaudit.stats.agreement import (
    BOOTSTRAP_METHOD,
    LEVELS,
    AlphaResult,
    AlphaUndefinedWarning,
    alpha_bootstrap,
    krippendorff_alpha,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers,
# twelve units, values 1–5, "." (missing) as None. His results: nominal .743, ordinal .815,
# interval .849, ratio .797.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
K2011_ALPHA = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}

# Krippendorff (2011), section A: two observers, ten units, binary data; alpha = .095.
K2011_BINARY = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]


# --- an independent, deliberately naive implementation ---------------------------------------


def naive_alpha(data, level):
    """Alpha from its pairwise definition, with loops: 1 − D_o / D_e.

    D_o averages δ² over all ordered pairs of values from different coders within a unit (each
    unit's pairs weighted 1/(m_u − 1)); D_e averages δ² over all ordered pairs of pairable
    values anywhere. No coincidence matrix, no vectorisation.
    """
    units = []
    for column in zip(*data, strict=True):
        values = [v for v in column if v is not None and not (isinstance(v, float) and v != v)]
        if len(values) >= 2:
            units.append(values)
    pooled = [v for unit in units for v in unit]
    n = len(pooled)
    freq = {}
    for v in pooled:
        freq[v] = freq.get(v, 0) + 1
    ordered = sorted(freq)

    def delta2(c, k):
        if level == "nominal":
            return 0.0 if c == k else 1.0
        if level == "interval":
            return float(c - k) ** 2
        if level == "ratio":
            return 0.0 if c + k == 0 else ((c - k) / (c + k)) ** 2
        lo, hi = sorted((ordered.index(c), ordered.index(k)))
        between = sum(freq[ordered[g]] for g in range(lo, hi + 1))
        return (between - (freq[c] + freq[k]) / 2) ** 2

    observed = 0.0
    for unit in units:
        m = len(unit)
        for i, j in itertools.permutations(range(m), 2):
            observed += delta2(unit[i], unit[j]) / (m - 1)
    observed /= n
    expected = 0.0
    for i, j in itertools.permutations(range(n), 2):
        expected += delta2(pooled[i], pooled[j])
    expected /= n * (n - 1)
    return 1 - observed / expected


def random_matrix(rng, coders, units, categories, missing):
    data = rng.integers(0, categories, size=(coders, units)).astype(float)
    # Coders agree more often than chance so alpha is far from 0 in some draws.
    truth = rng.integers(0, categories, size=units)
    agree = rng.random((coders, units)) < 0.6
    data[agree] = np.broadcast_to(truth, (coders, units))[agree]
    data[rng.random((coders, units)) < missing] = np.nan
    return data


# --- Krippendorff's worked examples -----------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_krippendorff_2011_example(level):
    assert round(krippendorff_alpha(K2011, level), 3) == K2011_ALPHA[level]
    assert krippendorff_alpha(K2011, level) == pytest.approx(naive_alpha(K2011, level), abs=1e-12)


def test_krippendorff_2011_nominal_exact_fraction():
    # Coincidences: n_c = 9, 13, 10, 5, 3 (n.. = 40); 32 of the 40 pairable values are on the
    # diagonal. α = 1 − (n.. − 1) · 8 / (40² − Σ n_c²) = 1 − 39 · 8 / 1216.
    assert krippendorff_alpha(K2011, "nominal") == pytest.approx(1 - 312 / 1216, abs=1e-15)


def test_krippendorff_2011_binary_example():
    # 4 disagreeing units: o_01 = o_10 = 4, n_0 = 14, n_1 = 6 → α = 1 − 19 · 4 / (14 · 6).
    alpha = krippendorff_alpha(K2011_BINARY, "nominal")
    assert alpha == pytest.approx(1 - 76 / 84, abs=1e-15)
    assert round(alpha, 3) == 0.095


def test_two_coders_nominal_matches_scotts_pi_small_sample_correction():
    # For two coders and no missing values α = 1 − (2n − 1)/(2n) · (1 − π) (Krippendorff 2011).
    rng = np.random.default_rng(3)
    data = random_matrix(rng, 2, 40, 4, 0.0)
    n = data.shape[1]
    p_o = np.mean(data[0] == data[1])
    p = np.array([np.mean(data == c) for c in range(4)])
    pi = (p_o - (p**2).sum()) / (1 - (p**2).sum())
    expected = 1 - (2 * n - 1) / (2 * n) * (1 - pi)
    assert krippendorff_alpha(data, "nominal") == pytest.approx(expected, abs=1e-12)


# --- against the naive implementation on random data ------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_naive_pairwise_computation(level, seed):
    rng = np.random.default_rng(seed)
    data = random_matrix(rng, coders=3 + seed % 2, units=25, categories=6, missing=0.25)
    if level == "ratio" and seed != 2:
        data = data + 1  # no zeros; with seed 2 zeros stay in, and two zeros have distance 0
    expected = naive_alpha(data.tolist(), level)
    assert krippendorff_alpha(data, level) == pytest.approx(expected, abs=1e-10)


@pytest.mark.parametrize("level", LEVELS)
def test_continuous_values_with_many_categories(level):
    rng = np.random.default_rng(9)
    truth = rng.gamma(2.0, 1.0, 40)
    data = np.vstack([truth + rng.normal(0, 0.5, 40), truth + rng.normal(0, 0.5, 40)])
    data = np.abs(data)
    data[0, 3] = np.nan
    assert krippendorff_alpha(data, level) == pytest.approx(
        naive_alpha(data.tolist(), level), abs=1e-10
    )


def test_interval_alpha_is_exact_for_large_values():
    # Shifting all values does not change interval distances; a billion offset must not lose
    # precision through cancellation.
    rng = np.random.default_rng(4)
    data = rng.integers(0, 3, size=(3, 50)).astype(float)
    assert krippendorff_alpha(data + 1e9, "interval") == pytest.approx(
        krippendorff_alpha(data, "interval"), abs=1e-12
    )


def test_none_and_nan_are_both_missing():
    with_nan = [[float("nan") if v is None else v for v in row] for row in K2011]
    as_array = np.array(with_nan, dtype=float)
    for level in LEVELS:
        a = krippendorff_alpha(K2011, level)
        assert krippendorff_alpha(with_nan, level) == a
        assert krippendorff_alpha(as_array, level) == a


def test_order_of_coders_and_units_does_not_matter():
    data = np.array(K2011, dtype=object)
    shuffled = data[[2, 0, 3, 1]][:, [11, 3, 7, 0, 5, 9, 1, 10, 2, 8, 4, 6]]
    for level in LEVELS:
        assert krippendorff_alpha(shuffled, level) == pytest.approx(
            krippendorff_alpha(data, level), abs=1e-12
        )


def test_ordinal_depends_on_ranks_not_on_codes():
    recode = {1: 10, 2: 20, 3: 50, 4: 51, 5: 1000}
    recoded = [[None if v is None else recode[v] for v in row] for row in K2011]
    assert krippendorff_alpha(recoded, "ordinal") == pytest.approx(
        krippendorff_alpha(K2011, "ordinal"), abs=1e-12
    )
    assert krippendorff_alpha(recoded, "interval") != pytest.approx(
        krippendorff_alpha(K2011, "interval"), abs=1e-3
    )


def test_ordinal_text_labels_follow_the_given_categories():
    labels = {1: "impliciet", 2: "beschreven", 3: "onderbouwd", 4: "eerste", 5: "goede"}
    order = ["impliciet", "beschreven", "onderbouwd", "eerste", "goede", "sterke"]
    text = [[None if v is None else labels[v] for v in row] for row in K2011]
    # "sterke" is never used: categories nobody used do not change alpha.
    assert krippendorff_alpha(text, "ordinal", categories=order) == pytest.approx(
        krippendorff_alpha(K2011, "ordinal"), abs=1e-12
    )
    assert krippendorff_alpha(text, "nominal") == pytest.approx(
        krippendorff_alpha(K2011, "nominal"), abs=1e-12
    )
    with pytest.raises(ValueError, match="need `categories`"):
        krippendorff_alpha(text, "ordinal")


def test_unused_categories_do_not_change_nominal_alpha():
    assert krippendorff_alpha(K2011, "nominal", categories=[0, 1, 2, 3, 4, 5, 6]) == pytest.approx(
        krippendorff_alpha(K2011, "nominal"), abs=1e-15
    )


def test_values_outside_the_categories_are_refused():
    with pytest.raises(ValueError, match="not among the categories: 5"):
        krippendorff_alpha(K2011, "nominal", categories=[1, 2, 3, 4])
    with pytest.raises(ValueError, match="duplicates"):
        krippendorff_alpha(K2011, "nominal", categories=[1, 2, 2, 3, 4, 5])


# --- edge cases ------------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_perfect_agreement_is_one(level):
    data = [[1, 2, 3, None, 5], [1, 2, 3, 4, 5], [None, 2, 3, 4, 5]]
    assert krippendorff_alpha(data, level) == 1.0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([[1, None, 3], [None, 2, None]], "no unit was scored by at least two coders"),
        ([[None, None], [None, None]], "no pairable values"),
        ([[2, 2, 2, None], [2, 2, None, 5]], "all pairable values are the same category"),
    ],
)
@pytest.mark.parametrize("level", LEVELS)
def test_undefined_alpha_is_nan_with_a_clear_warning(data, message, level):
    with pytest.warns(AlphaUndefinedWarning, match=message):
        assert math.isnan(krippendorff_alpha(data, level))


def test_one_value_outside_a_unit_does_not_rescue_a_single_category():
    # The 5 is the only value of its unit, so it is not pairable: still no variation.
    with pytest.warns(AlphaUndefinedWarning, match="same category"):
        krippendorff_alpha([[3, 3, 5], [3, 3, None]], "interval")


def test_systematic_disagreement_is_negative():
    assert krippendorff_alpha([[1, 2, 1, 2], [2, 1, 2, 1]], "nominal") < 0


@pytest.mark.parametrize(
    ("data", "level", "kwargs", "message"),
    [
        ([1, 2, 3], "nominal", {}, "coders × units"),
        ([[1, 2], [1]], "nominal", {}, "coders × units"),
        (K2011, "cardinal", {}, "level must be one of"),
        ([["a", "b"], ["a", "a"]], "interval", {}, "must be numbers"),
        ([[1, -2], [1, 2]], "ratio", {}, "≥ 0"),
        ([[1, float("inf")], [1, 2]], "interval", {}, "finite"),
        ([[1, "a"], [1, 2]], "ordinal", {}, "cannot be ordered"),
        (K2011, "nominal", {"categories": [1, None]}, "None or NaN"),
    ],
)
def test_bad_input_is_refused(data, level, kwargs, message):
    with pytest.raises(ValueError, match=message):
        krippendorff_alpha(data, level, **kwargs)


def test_booleans_are_not_interval_numbers():
    with pytest.raises(ValueError, match="must be numbers"):
        krippendorff_alpha([[True, False], [True, True]], "interval")


# --- bootstrap -------------------------------------------------------------------------------


def test_bootstrap_result_for_the_worked_example():
    result = alpha_bootstrap(K2011, "ordinal", n_boot=400, seed=7)
    assert isinstance(result, AlphaResult)
    assert result.alpha == krippendorff_alpha(K2011, "ordinal")
    assert (result.n_units, result.n_pairable) == (11, 40)
    assert (result.level, result.method, result.level_ci, result.n_boot) == (
        "ordinal",
        BOOTSTRAP_METHOD,
        0.95,
        400,
    )
    assert result.low < result.alpha < result.high <= 1
    assert result.n_boot_valid == 400


@pytest.mark.parametrize("level", LEVELS)
def test_bootstrap_replicates_equal_alpha_of_the_resampled_units(level):
    """Redraw the same multinomial counts and recompute alpha on repeated columns, naively."""
    rng = np.random.default_rng(5)
    data = random_matrix(rng, coders=3, units=15, categories=5, missing=0.2) + 1
    n_boot, seed = 60, 11
    result = alpha_bootstrap(data, level, n_boot=n_boot, seed=seed)

    pairable = np.flatnonzero((~np.isnan(data)).sum(axis=0) >= 2)
    draws = np.random.default_rng(seed).multinomial(
        pairable.size, np.full(pairable.size, 1 / pairable.size), size=n_boot
    )
    replicates = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlphaUndefinedWarning)
        for counts in draws:
            columns = np.repeat(pairable, counts)
            replicates.append(naive_alpha(data[:, columns].tolist(), level))
    replicates = np.array(replicates)
    assert result.n_units == pairable.size
    assert result.n_pairable == int((~np.isnan(data[:, pairable])).sum())
    low, high = np.quantile(replicates, [0.025, 0.975])
    assert (result.low, result.high) == (pytest.approx(low), pytest.approx(high))


def test_bootstrap_is_reproducible_and_narrows_with_more_units():
    rng = np.random.default_rng(8)
    small = random_matrix(rng, 2, 20, 4, 0.0)
    large = np.tile(small, 10)
    first = alpha_bootstrap(small, "nominal", n_boot=300, seed=3)
    assert first == alpha_bootstrap(small, "nominal", n_boot=300, seed=3)
    assert first != alpha_bootstrap(small, "nominal", n_boot=300, seed=4)
    wide = alpha_bootstrap(large, "nominal", n_boot=300, seed=3)
    assert wide.high - wide.low < first.high - first.low
    generator = np.random.default_rng(3)
    assert alpha_bootstrap(small, "nominal", n_boot=300, seed=generator) == first


def test_bootstrap_level_ci_changes_the_width():
    narrow = alpha_bootstrap(K2011, "interval", n_boot=300, level_ci=0.5)
    wide = alpha_bootstrap(K2011, "interval", n_boot=300, level_ci=0.99)
    assert wide.low < narrow.low < narrow.high < wide.high


def test_bootstrap_of_perfect_agreement():
    result = alpha_bootstrap([[1, 2, 3, 1], [1, 2, 3, 1]], "nominal", n_boot=200)
    assert (result.alpha, result.low, result.high) == (1.0, 1.0, 1.0)


def test_bootstrap_leaves_out_samples_without_variation():
    # Two units only: about half of the samples repeat one unit and have a single category.
    result = alpha_bootstrap([[1, 2], [1, 2]], "nominal", n_boot=200, seed=0)
    assert 0 < result.n_boot_valid < 200
    assert result.low == result.high == 1.0


def test_bootstrap_undefined_alpha_is_nan_with_warning():
    with pytest.warns(AlphaUndefinedWarning, match="no unit was scored"):
        result = alpha_bootstrap([[1, None], [None, 2]], "nominal", n_boot=10)
    assert math.isnan(result.alpha)
    assert math.isnan(result.low)
    assert math.isnan(result.high)
    assert (result.n_units, result.n_pairable, result.n_boot_valid) == (0, 0, 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_boot": 1}, "n_boot"),
        ({"n_boot": True}, "n_boot"),
        ({"n_boot": 10.0}, "n_boot"),
        ({"level_ci": 1.0}, "level_ci"),
        ({"level_ci": 0}, "level_ci"),
    ],
)
def test_bootstrap_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        alpha_bootstrap(K2011, "nominal", **kwargs)


def test_bootstrap_processes_many_units_in_blocks(monkeypatch):
    from kansenaudit.stats.agreement import matrix as agreement

    rng = np.random.default_rng(1)
    data = random_matrix(rng, 2, 50, 6, 0.1)
    whole = alpha_bootstrap(data, "ordinal", n_boot=50, seed=2)
    monkeypatch.setattr(agreement, "_MAX_BLOCK", 1)  # one sample per block
    in_blocks = alpha_bootstrap(data, "ordinal", n_boot=50, seed=2)
    # The multinomial draws come from the same stream, so the blocks give the same samples.
    assert in_blocks.alpha == whole.alpha
    assert in_blocks.low == pytest.approx(whole.low)
    assert in_blocks.high == pytest.approx(whole.high)
