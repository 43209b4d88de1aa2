"""Inequality measures: against PySAL, hand arithmetic, replicated data, invariances, real BBGA."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
from inequality.atkinson import atkinson as pysal_atkinson
from inequality.gini import Gini
from inequality.theil import Theil, TheilD

from kansenaudit.stats.inequality import (
    Decomposition,
    atkinson,
    decompose_by_level,
    generalized_entropy,
    gini,
    gini_coefficient,
    mean_log_deviation,
    theil,
)

RNG_SEED = 20160101


@pytest.fixture
def data():
    rng = np.random.default_rng(RNG_SEED)
    values = rng.lognormal(10, 0.6, 300)
    weights = rng.integers(1, 6, 300)
    groups = rng.choice(np.array(["A", "E", "F", "K", "M", "N", "T"]), 300)
    return values, weights, groups


@pytest.fixture(params=["argsort", "packed-keys"])
def sort_path(request, monkeypatch):
    """Run a test through both ways of sorting (small inputs normally take only the first)."""
    if request.param == "packed-keys":
        monkeypatch.setattr(gini_coefficient, "_PACKED_SORT_MIN", 2)
    return request.param


def _pairwise_gini(x, w):
    """Direct O(n²) definition: Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ)."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    total_weight = w.sum()
    mean = np.dot(w, x) / total_weight
    pairs = np.outer(w, w) * np.abs(x[:, None] - x[None, :])
    return pairs.sum() / (2 * total_weight**2 * mean)


# --- against an independent implementation (PySAL inequality 1.1), unweighted -----------------


def test_gini_matches_pysal(data, sort_path):
    values, _, _ = data
    assert gini(values) == pytest.approx(Gini(values).g, rel=1e-12)
    ties = np.round(values, -3)  # many equal values
    assert gini(ties) == pytest.approx(Gini(ties).g, rel=1e-12)
    with_zeros = np.concatenate([values, np.zeros(20)])
    assert gini(with_zeros) == pytest.approx(Gini(with_zeros).g, rel=1e-12)


def test_theil_matches_pysal(data):
    values, _, _ = data
    assert theil(values) == pytest.approx(float(Theil(values).T), rel=1e-12)


def test_theil_decomposition_matches_pysal(data):
    values, _, groups = data
    ours = theil(values, groups=groups)
    pysal = TheilD(values, groups)
    assert ours.total == pytest.approx(float(pysal.T), rel=1e-12)
    assert ours.between == pytest.approx(float(pysal.bg[0]), rel=1e-10)
    assert ours.within == pytest.approx(float(pysal.wg[0]), rel=1e-10)


@pytest.mark.parametrize("epsilon", [0.5, 1.0, 2.0, 3.5])
def test_atkinson_matches_pysal(data, epsilon):
    values, _, _ = data
    assert atkinson(values, epsilon) == pytest.approx(pysal_atkinson(values, epsilon), rel=1e-10)


# --- hand-computed weighted cases ---------------------------------------------------------------
#
# Three areas with values 10, 20, 40 and populations 1, 2, 1:
#   W = 4, population shares p = (1/4, 1/2, 1/4), mean μ = (10 + 40 + 40) / 4 = 22.5,
#   relative values r = x / μ = (4/9, 8/9, 16/9).

X3 = [10, 20, 40]
W3 = [1, 2, 1]


def test_gini_by_hand():
    # Unordered pairs w_i w_j |x_i − x_j|: (10,20) 1·2·10 = 20, (10,40) 1·1·30 = 30,
    # (20,40) 2·1·20 = 40; the double sum counts each twice: 180.
    # G = 180 / (2 · 4² · 22.5) = 180 / 720 = 0.25.
    assert gini(X3, W3) == pytest.approx(0.25, abs=1e-15)


def test_theil_by_hand():
    # T = Σ p r ln r = ¼·(4/9)·ln(4/9) + ½·(8/9)·ln(8/9) + ¼·(16/9)·ln(16/9)
    expected = (
        0.25 * (4 / 9) * math.log(4 / 9)
        + 0.5 * (8 / 9) * math.log(8 / 9)
        + 0.25 * (16 / 9) * math.log(16 / 9)
    )
    assert theil(X3, W3) == pytest.approx(expected, rel=1e-13)
    assert expected == pytest.approx(0.1133, abs=1e-4)


def test_mean_log_deviation_by_hand():
    # L = Σ p ln(1/r) = ¼·ln(9/4) + ½·ln(9/8) + ¼·ln(9/16)
    expected = 0.25 * math.log(9 / 4) + 0.5 * math.log(9 / 8) + 0.25 * math.log(9 / 16)
    assert mean_log_deviation(X3, W3) == pytest.approx(expected, rel=1e-13)


def test_atkinson_by_hand():
    # ε = 1: geometric mean 10^¼ · 20^½ · 40^¼ = (10·40)^¼ · 20^½ = 20, so A = 1 − 20/22.5 = 1/9.
    assert atkinson(X3, 1, W3) == pytest.approx(1 / 9, rel=1e-13)
    # ε = 2: harmonic mean 1 / (¼/10 + ½/20 + ¼/40) = 1 / 0.05625 = 17.77…, A = 1 − 17.77…/22.5.
    assert atkinson(X3, 2, W3) == pytest.approx(1 - (1 / 0.05625) / 22.5, rel=1e-13)
    # ε = 0.5: ξ = (¼·√10 + ½·√20 + ¼·√40)², A = 1 − ξ/22.5.
    xi = (0.25 * math.sqrt(10) + 0.5 * math.sqrt(20) + 0.25 * math.sqrt(40)) ** 2
    assert atkinson(X3, 0.5, W3) == pytest.approx(1 - xi / 22.5, rel=1e-13)


def test_decomposition_by_hand():
    # Group A = {10 (pop 1), 20 (pop 2)}, group B = {40 (pop 1)}.
    # A: v = 3/4, μ_A = 50/3, s = 50/90 = 5/9. B: v = 1/4, μ_B = 40, s = 40/90 = 4/9.
    # Theil between = Σ s ln(μ_g/μ) = 5/9·ln((50/3)/22.5) + 4/9·ln(40/22.5).
    # Theil within A: r = (10, 20)/(50/3) = (0.6, 1.2) with shares (1/3, 2/3):
    #   T_A = 1/3·0.6·ln 0.6 + 2/3·1.2·ln 1.2; within = s_A·T_A + s_B·0.
    d = theil(X3, W3, groups=["A", "A", "B"])
    between = 5 / 9 * math.log((50 / 3) / 22.5) + 4 / 9 * math.log(40 / 22.5)
    t_a = 1 / 3 * 0.6 * math.log(0.6) + 2 / 3 * 1.2 * math.log(1.2)
    assert d.between == pytest.approx(between, rel=1e-13)
    assert d.within == pytest.approx(5 / 9 * t_a, rel=1e-13)
    assert d.total == pytest.approx(theil(X3, W3), rel=1e-15)
    a, b = d.groups
    assert (a.label, a.n, b.label, b.n) == ("A", 2, "B", 1)
    assert a.population_share == pytest.approx(0.75)
    assert a.mean == pytest.approx(50 / 3)
    assert a.value_share == pytest.approx(5 / 9)
    assert a.index == pytest.approx(t_a)
    assert a.within_contribution == pytest.approx(5 / 9 * t_a)
    assert b.index == 0.0
    # MLD: between = Σ v ln(μ/μ_g) = ¾·ln(22.5/(50/3)) + ¼·ln(22.5/40); within = v_A·L_A.
    m = mean_log_deviation(X3, W3, groups=["A", "A", "B"])
    l_a = 1 / 3 * math.log(1 / 0.6) + 2 / 3 * math.log(1 / 1.2)
    assert m.between == pytest.approx(0.75 * math.log(1.35) + 0.25 * math.log(22.5 / 40))
    assert m.within == pytest.approx(0.75 * l_a, rel=1e-13)


# --- with whole-number weights, the same as the replicated data --------------------------------


def test_integer_weights_equal_replicated_data(data, sort_path):
    values, weights, groups = data
    repeated = np.repeat(values, weights)
    repeated_groups = np.repeat(groups, weights)
    assert gini(values, weights) == pytest.approx(gini(repeated), rel=1e-12)
    assert gini(values, weights) == pytest.approx(Gini(repeated).g, rel=1e-12)
    assert theil(values, weights) == pytest.approx(theil(repeated), rel=1e-12)
    assert mean_log_deviation(values, weights) == pytest.approx(
        mean_log_deviation(repeated), rel=1e-12
    )
    for alpha in (-1.0, 0.5, 2.0):
        assert generalized_entropy(values, alpha, weights) == pytest.approx(
            generalized_entropy(repeated, alpha), rel=1e-12
        )
    for epsilon in (0.5, 1.0, 2.0):
        assert atkinson(values, epsilon, weights) == pytest.approx(
            atkinson(repeated, epsilon), rel=1e-12
        )
    weighted = theil(values, weights, groups=groups)
    replicated = theil(repeated, groups=repeated_groups)
    assert weighted.between == pytest.approx(replicated.between, rel=1e-12)
    assert weighted.within == pytest.approx(replicated.within, rel=1e-12)


def test_weighted_gini_matches_pairwise_definition(data, sort_path):
    values, weights, _ = data
    fractional = weights * 0.37 + 0.01
    assert gini(values, fractional) == pytest.approx(_pairwise_gini(values, fractional), rel=1e-12)


# --- decomposition ------------------------------------------------------------------------------


@pytest.mark.parametrize("alpha", [0.0, 1.0, 2.0, 0.5, -1.0])
def test_decomposition_adds_up_and_parts_are_what_they_claim(data, alpha):
    values, weights, groups = data
    d = generalized_entropy(values, alpha, weights, groups=groups)
    assert isinstance(d, Decomposition)
    assert d.total == pytest.approx(generalized_entropy(values, alpha, weights), rel=1e-14)
    assert d.between + d.within == pytest.approx(d.total, rel=1e-12)
    assert 0 < d.between_share < 1
    # between: the index when every area carries its group mean
    smoothed = np.array([g.mean for g in d.groups])[np.unique(groups, return_inverse=True)[1]]
    assert d.between == pytest.approx(generalized_entropy(smoothed, alpha, weights), rel=1e-10)
    # within: each group's own index, computed on its subset
    for g in d.groups:
        inside = groups == g.label
        assert g.n == int(inside.sum())
        assert g.index == pytest.approx(
            generalized_entropy(values[inside], alpha, weights[inside]), rel=1e-12
        )
        expected_weight = g.population_share ** (1 - alpha) * g.value_share**alpha
        assert g.within_contribution == pytest.approx(expected_weight * g.index, rel=1e-12)
    assert sum(g.population_share for g in d.groups) == pytest.approx(1.0)
    assert sum(g.value_share for g in d.groups) == pytest.approx(1.0)
    assert sum(g.within_contribution for g in d.groups) == pytest.approx(d.within)


def test_decompose_by_level_is_theil_or_mld(data):
    values, weights, groups = data
    assert decompose_by_level(values, weights, groups) == theil(values, weights, groups=groups)
    assert decompose_by_level(values, weights, groups, measure="mld") == mean_log_deviation(
        values, weights, groups=groups
    )
    assert decompose_by_level(values, weights, groups).measure == "theil"
    assert decompose_by_level(values, None, groups, measure="mld").measure == "mld"
    with pytest.raises(ValueError, match="'theil' or 'mld'"):
        decompose_by_level(values, weights, groups, measure="gini")


def test_decomposition_with_one_group_is_all_within_and_with_singletons_all_between(data):
    values, weights, _ = data
    one = theil(values, weights, groups=np.zeros(values.size, dtype=int))
    assert one.between == pytest.approx(0.0, abs=1e-15)
    assert one.within == pytest.approx(one.total, rel=1e-13)
    each = theil(values, weights, groups=np.arange(values.size))
    assert each.within == pytest.approx(0.0, abs=1e-15)
    assert each.between == pytest.approx(each.total, rel=1e-12)
    assert one.between_share == pytest.approx(0.0, abs=1e-13)


def test_theil_decomposition_with_an_all_zero_group():
    d = theil([0, 0, 2, 6], groups=["z", "z", "p", "p"])
    zero_group = d.groups[1]
    assert zero_group.label == "z"
    assert (zero_group.mean, zero_group.value_share, zero_group.index) == (0.0, 0.0, 0.0)
    assert d.between + d.within == pytest.approx(d.total, rel=1e-13)


def test_numeric_group_labels_come_back_as_python_values():
    d = mean_log_deviation([1, 2, 3, 4], groups=[363, 363, 599, 599])
    assert [g.label for g in d.groups] == [363, 599]
    assert type(d.groups[0].label) is int


# --- invariance properties ----------------------------------------------------------------------


MEASURES = {
    "gini": lambda x, w: gini(x, w),
    "theil": lambda x, w: theil(x, w),
    "mld": lambda x, w: mean_log_deviation(x, w),
    "ge2": lambda x, w: generalized_entropy(x, 2, w),
    "atkinson1": lambda x, w: atkinson(x, 1, w),
    "atkinson2": lambda x, w: atkinson(x, 2, w),
}


@pytest.mark.parametrize("name", MEASURES)
def test_scale_replication_weight_scale_and_order_invariance(data, name):
    values, weights, _ = data
    measure = MEASURES[name]
    base = measure(values, weights)
    assert measure(values * 1000, weights) == pytest.approx(base, rel=1e-12)  # euros or k€
    assert measure(values, weights * 7.5) == pytest.approx(base, rel=1e-12)  # persons or %
    twice = measure(np.tile(values, 2), np.tile(weights, 2))  # the city twice over
    assert twice == pytest.approx(base, rel=1e-12)
    order = np.random.default_rng(1).permutation(values.size)
    assert measure(values[order], weights[order]) == pytest.approx(base, rel=1e-12)
    assert measure(np.full(5, 31_500.0), np.arange(1, 6)) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("name", MEASURES)
def test_transfer_principle(name):
    # A transfer from a richer to a poorer area that keeps their order lowers inequality.
    values = np.array([20.0, 30.0, 45.0, 60.0, 90.0])
    weights = np.array([2.0, 1.0, 3.0, 1.0, 2.0])
    after = values.copy()
    after[3] -= 5.0 / weights[3]  # 5 units leave the richer area's people ...
    after[1] += 5.0 / weights[1]  # ... and reach the poorer area's people
    assert MEASURES[name](after, weights) < MEASURES[name](values, weights)


def test_gini_bounds_and_extremes():
    assert gini([0, 0, 0, 10]) == pytest.approx(0.75)  # (n − 1)/n: one area has everything
    assert gini([5]) == 0.0
    assert theil([0, 1]) == pytest.approx(math.log(2))  # zeros use the limit 0 · ln 0 = 0
    assert theil([0, 0, 0, 5], [1, 1, 1, 1]) == pytest.approx(math.log(4))
    assert atkinson([0, 4, 4], 0.5) > 0  # zeros are fine for ε < 1
    assert atkinson([1, 4], 0) == 0.0


def test_atkinson_links_to_generalized_entropy(data):
    values, weights, _ = data
    mld = mean_log_deviation(values, weights)
    assert atkinson(values, 1, weights) == pytest.approx(1 - math.exp(-mld), rel=1e-12)
    # A_ε = 1 − (1 + ε(ε − 1)·GE(1 − ε))^(1/(1 − ε))
    for eps in (0.5, 2.0, 3.0):
        ge = generalized_entropy(values, 1 - eps, weights)
        linked = 1 - (1 + eps * (eps - 1) * ge) ** (1 / (1 - eps))
        assert atkinson(values, eps, weights) == pytest.approx(linked, rel=1e-10)


def test_atkinson_with_large_aversion_does_not_overflow():
    values = np.array([1e-3, 1.0, 1e3, 1e6])
    result = atkinson(values, 60)
    assert 0.99 < result < 1.0


# --- the packed-key sort used for large inputs --------------------------------------------------


def test_packed_sort_is_exact_with_near_ties_and_negative_zero(monkeypatch):
    monkeypatch.setattr(gini_coefficient, "_PACKED_SORT_MIN", 2)
    rng = np.random.default_rng(7)
    base = rng.lognormal(0, 1, 1000)
    # Values that differ only in their last bits, the larger one first so that the packed keys
    # (which drop those bits and keep the position) put them in the wrong order; exact ties;
    # zeros; and a negative zero, whose sign bit would sort it last.
    values = np.concatenate([np.nextafter(base, 10), base, base[:100], np.zeros(5), [-0.0]])
    weights = rng.uniform(0.1, 3, values.size)
    xs, ws = gini_coefficient._sorted_pairs(values, weights)
    order = np.argsort(values, kind="stable")
    np.testing.assert_array_equal(xs, values[order])
    assert sorted(zip(xs.tolist(), ws.tolist(), strict=True)) == sorted(
        zip(values.tolist(), weights.tolist(), strict=True)
    )
    np.testing.assert_array_equal(gini_coefficient._sorted_values(values), np.sort(values))
    assert gini(values, weights) == pytest.approx(_pairwise_gini(values, weights), rel=1e-12)


def test_large_input_takes_packed_path_and_agrees_with_pysal():
    rng = np.random.default_rng(3)
    values = rng.lognormal(10, 0.7, 50_000)  # above _PACKED_SORT_MIN
    assert values.size >= gini_coefficient._PACKED_SORT_MIN
    assert gini(values) == pytest.approx(Gini(values).g, rel=1e-12)
    assert gini(values, np.ones(values.size)) == pytest.approx(Gini(values).g, rel=1e-12)
    strided = np.stack([values, values]).T[:, 0]  # a non-contiguous view
    assert gini(strided, np.ones(values.size)) == pytest.approx(Gini(values).g, rel=1e-12)


# --- input validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: gini([]), "no values"),
        (lambda: theil([1.0, float("nan")]), "1 missing"),
        (lambda: gini([1.0, float("inf")]), "infinite"),
        (lambda: gini([1.0, -2.0]), "non-negative"),
        (lambda: gini([[1.0, 2.0]]), "one-dimensional"),
        (lambda: gini(["a", "b"]), "must be numbers"),
        (lambda: gini([0, 0]), "all values are zero"),
        (lambda: theil([0, 0], [1, 2]), "all values are zero"),
        (lambda: gini([1, 2], [1, 0]), "weights must be positive"),
        (lambda: theil([1, 2], [1, -1]), "weights must be positive"),
        (lambda: gini([1, 2], [1, float("nan")]), "weights contain"),
        (lambda: gini([1, 2], [1, 2, 3]), "2 values but 3 weights"),
        (lambda: mean_log_deviation([0, 1, 2]), "strictly positive"),
        (lambda: atkinson([0, 1, 2], 1), "strictly positive"),
        (lambda: atkinson([0, 1, 2], 2), "strictly positive"),
        (lambda: generalized_entropy([0, 1], -1), "strictly positive"),
        (lambda: atkinson([1, 2], -0.5), "epsilon"),
        (lambda: atkinson([1, 2], float("nan")), "epsilon"),
        (lambda: generalized_entropy([1, 2], float("inf")), "alpha"),
        (lambda: theil([1, 2], groups=["a"]), "2 values but 1 group labels"),
        (lambda: theil([1, 2], groups=[1.0, float("nan")]), "NaN"),
        (lambda: theil([1, 2], groups=np.array([None, None], dtype=object)), "missing"),
        (lambda: theil([1, 2], groups=np.array(["a", None], dtype=object)), "all strings"),
    ],
)
def test_invalid_input_raises_a_clear_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- real data: BBGA 2016, the 22 gebieden of Amsterdam -----------------------------------------

# Gebieden (GGW 2015) by stadsdeel; the test checks this against the BBGA's stadsdeel totals.
STADSDEEL_OF_GEBIED = {
    f"DX{number:02d}": stadsdeel
    for stadsdeel, numbers in {
        "A": (1, 2),
        "E": (3, 4, 5),
        "F": (6, 7, 8, 9),
        "K": (10, 11, 12),
        "M": (13, 14, 15, 16),
        "N": (17, 18, 19),
        "T": (20, 21, 22),
    }.items()
    for number in numbers
}


def _read_bbga(path, year, variables, prefix):
    found = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (
                row["jaar"] == year
                and row["variabele"] in variables
                and row["gebiedcode15"].startswith(prefix)
                and row["waarde"] != ""
            ):
                found[(row["gebiedcode15"], row["variabele"])] = float(row["waarde"])
    return found


@pytest.fixture(scope="module")
def bbga_2016(shared_data):
    path = shared_data / "bbga" / "bbga_2018_gebieden22_DX.csv"
    found = _read_bbga(path, "2016", {"IHHINK_GEM", "BEVTOTAAL"}, "DX")
    codes = [f"DX{number:02d}" for number in range(1, 23)]
    income = np.array([found[(code, "IHHINK_GEM")] for code in codes])
    population = np.array([found[(code, "BEVTOTAAL")] for code in codes])
    return codes, income, population


def test_population_weighted_gini_of_income_across_gebieden_2016(bbga_2016):
    codes, income, population = bbga_2016
    assert len(codes) == 22
    assert population.sum() > 800_000
    result = gini(income, population)
    # independent 1: the O(n²) pairwise definition
    assert result == pytest.approx(_pairwise_gini(income, population), rel=1e-12)
    # independent 2: PySAL on each gebied's income repeated once per 100 residents (rounded)
    repeated = np.repeat(income, np.round(population / 100).astype(int))
    assert result == pytest.approx(Gini(repeated).g, abs=2e-4)
    assert 0.09 < result < 0.12  # gebied means hide most person-level inequality
    assert result != pytest.approx(gini(income), abs=1e-4)  # weighting matters


def test_decomposition_between_and_within_stadsdelen_2016(bbga_2016, shared_data):
    codes, income, population = bbga_2016
    stadsdelen = _read_bbga(
        shared_data / "bbga" / "bbga_2018_stadsdelen.csv", "2016", {"BEVTOTAAL"}, ""
    )
    parents = [STADSDEEL_OF_GEBIED[code] for code in codes]
    for stadsdeel in set(parents):  # the mapping adds up to the published stadsdeel totals
        inside = [p == stadsdeel for p in parents]
        assert population[inside].sum() == stadsdelen[(stadsdeel, "BEVTOTAAL")]
    for measure in ("theil", "mld"):
        d = decompose_by_level(income, population, parents, measure=measure)
        assert d.between + d.within == pytest.approx(d.total, rel=1e-12)
        assert [g.label for g in d.groups] == ["A", "E", "F", "K", "M", "N", "T"]
        assert sum(g.n for g in d.groups) == 22
        assert 0.3 < d.between_share < 0.7


def test_row_versions_agree_with_the_scalar_ones_on_all_zero_samples():
    """gini() and theil() raise on an all-zero sample; their row versions give NaN, never 1."""
    from kansenaudit.stats.inequality import gini_rows, theil_rows

    rows = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 5.0], [1.0, 2.0, 3.0]])
    for scalar, batch in ((gini, gini_rows), (theil, theil_rows)):
        with pytest.raises(ValueError, match="zero"):
            scalar(rows[0])
        got = batch(rows)
        assert np.isnan(got[0])
        assert got[1] == pytest.approx(scalar(rows[1]))
        assert got[2] == pytest.approx(scalar(rows[2]))
    assert gini_rows(rows)[1] == pytest.approx(1 - 1 / 3)  # the maximum for n = 3


def test_group_labels_are_numbered_as_numpy_unique_numbers_them():
    """The fast label encoding gives np.unique's sorted labels and numbering, for any labels."""
    from kansenaudit.stats.inequality._groups import _factorize

    rng = np.random.default_rng(12)
    names = np.array(["Zuidoost", "Zuid", "", "Nieuw-West", "Noord", "Weesp", "é-buurt", "A"])
    cases = [
        names[rng.integers(0, names.size, 5000)],
        names[rng.integers(0, names.size, 5000)].astype(object),
        rng.integers(0, 9, 5000),
        rng.integers(-3, 3, 500),
        rng.integers(0, 10**12, 500),
        np.array(["één"]),
    ]
    for labels in cases:
        expected_labels, expected_inverse = np.unique(labels, return_inverse=True)
        found_labels, found_inverse = _factorize(np.asarray(labels))
        assert found_labels.tolist() == expected_labels.tolist()
        assert np.array_equal(found_inverse, expected_inverse.reshape(-1))


def test_text_labels_give_the_decomposition_of_their_integer_codes():
    rng = np.random.default_rng(3)
    x = rng.lognormal(3, 0.5, 2000)
    codes = rng.integers(0, 7, 2000)
    text = np.array(list("ABCDEFG"))[codes]
    by_text, by_code = theil(x, groups=text), theil(x, groups=codes)
    assert by_text.between == by_code.between
    assert by_text.within == by_code.within


def test_text_label_encoding_falls_back_to_sorting_when_unsure(monkeypatch):
    """Many distinct labels, labels the first ones did not show, a slice: still np.unique's."""
    from kansenaudit.stats.inequality._groups import _factorize, _factorize_text

    rng = np.random.default_rng(4)
    many = np.array([f"buurt {i}" for i in rng.integers(0, 5000, 6000)])
    late = np.array(["A"] * 5000 + ["B", "Nieuw"])
    sliced = np.array(["Zuid", "x", "Noord", "x", "Zuid", "x"])[::2]
    assert _factorize_text(late) is None  # "B" and "Nieuw" only after the first labels
    for labels in (many, late, sliced):
        expected_labels, expected_inverse = np.unique(labels, return_inverse=True)
        found_labels, found_inverse = _factorize(labels)
        assert found_labels.tolist() == expected_labels.tolist()
        assert np.array_equal(found_inverse, expected_inverse.reshape(-1))
