"""Alpha per code on speaker turns and the unitised alpha on characters (qualitative coding)."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest

from kansenaudit.stats.agreement import (
    OVERALL,
    CodedSpan,
    alpha_by_code,
    krippendorff_alpha,
    unitised_alpha,
)


def random_units(seed: int, n_units: int = 200, coders=("ann", "bob", "cas")):
    rng = np.random.default_rng(seed)
    codes = ["trust", "cost", "access", "waiting"]
    units = {}
    for unit in range(n_units):
        base = {code for code in codes if rng.random() < 0.3}
        present = [coder for coder in coders if rng.random() < 0.85]
        units[unit] = {
            coder: (set(base) if rng.random() < 0.7 else {c for c in codes if rng.random() < 0.3})
            for coder in present
        }
    return units, codes, coders


def reliability(units, coders, code):
    return [
        [(1.0 if code in units[u][c] else 0.0) if c in units[u] else np.nan for u in units]
        for c in coders
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_alpha_per_code_and_overall_equal_the_krippendorff_package(seed):
    units, codes, coders = random_units(seed)
    result = alpha_by_code(units, n_boot=0)
    for code in codes:
        reference = krippendorff.alpha(
            reliability_data=reliability(units, coders, code), level_of_measurement="nominal"
        )
        assert result[code].alpha == pytest.approx(reference, abs=1e-12)
        assert result[code].alpha == pytest.approx(
            krippendorff_alpha(reliability(units, coders, code)), abs=1e-12
        )
    pooled = np.concatenate([np.array(reliability(units, coders, c)) for c in codes], axis=1)
    reference = krippendorff.alpha(reliability_data=pooled, level_of_measurement="nominal")
    assert result[OVERALL].alpha == pytest.approx(reference, abs=1e-12)
    pairable = sum(1 for coders_ in units.values() if len(coders_) >= 2)
    assert result[codes[0]].n_units == pairable
    assert result[OVERALL].n_units == pairable * len(codes)


def test_bootstrap_interval_reproducible_and_around_alpha():
    units, codes, _ = random_units(5, n_units=400)
    first = alpha_by_code(units, n_boot=300, seed=11)
    again = alpha_by_code(units, n_boot=300, seed=11)
    other = alpha_by_code(units, n_boot=300, seed=12)
    assert first == again
    assert first != other
    for key in [*codes, OVERALL]:
        result = first[key]
        assert result.low <= result.alpha <= result.high
        assert result.high - result.low < 0.3
        assert result.n_boot_valid == 300


def test_missing_coders_units_and_codes():
    units = {
        1: {"ann": {"a"}, "bob": {"a"}},
        2: {"ann": {"a"}},  # one coder: not pairable, ignored
        3: {"ann": set(), "bob": {"b"}},
        4: {"ann": set(), "bob": set()},
    }
    result = alpha_by_code(units, codes=["a", "b", "never"], n_boot=0)
    assert result["a"].alpha == 1.0
    assert result["a"].n_units == 3
    assert math.isnan(result["never"].alpha)  # no variation: alpha undefined
    assert math.isnan(result["a"].low)
    assert set(result) == {"a", "b", "never", OVERALL}


def test_perfect_and_opposite_agreement():
    agree = {u: {"x": {"c"} if u % 2 else set(), "y": {"c"} if u % 2 else set()} for u in range(20)}
    assert alpha_by_code(agree, n_boot=0)["c"].alpha == 1.0
    opposite = {
        u: {"x": {"c"} if u % 2 else set(), "y": set() if u % 2 else {"c"}} for u in range(20)
    }
    assert alpha_by_code(opposite, n_boot=0)["c"].alpha < -0.9


@pytest.mark.parametrize(
    "bad", [{"n_boot": 1}, {"n_boot": -1}, {"level_ci": 1.0}, {"n_boot": True}]
)
def test_bad_arguments(bad):
    with pytest.raises(ValueError, match="alpha"):
        alpha_by_code({1: {"a": set(), "b": set()}}, **bad)


def krippendorff_2004_example() -> list[CodedSpan]:
    """The worked example of Krippendorff (2004, §12.4, p. 254): a continuum 150–450."""
    units = [
        (225, 70, 0, "c"),
        (370, 30, 0, "c"),
        (220, 80, 1, "c"),
        (355, 20, 1, "c"),
        (400, 20, 1, "c"),
        (180, 60, 0, "k"),
        (300, 50, 0, "k"),
        (180, 60, 1, "k"),
        (300, 50, 1, "k"),
    ]
    return [
        CodedSpan("doc", coder, code, b - 150, b - 150 + length) for b, length, coder, code in units
    ]


def test_unitised_alpha_reproduces_krippendorffs_example():
    # Reference values as in DKPro Statistics' test of the same example (c: D_o 0.0144,
    # D_e 0.0532, alpha 0.7286; k: alpha 1; overall 0.8591 ± 0.0005).
    result = unitised_alpha(krippendorff_2004_example(), {"doc": 300}, n_boot=0)
    assert result["c"].alpha == pytest.approx(0.7286, abs=1e-4)
    assert result["k"].alpha == pytest.approx(1.0, abs=1e-12)
    assert result[OVERALL].alpha == pytest.approx(0.8591, abs=5e-4)


def test_unitised_alpha_identical_codings_and_documents():
    spans = []
    for coder in ("a", "b"):
        spans += [CodedSpan("d1", coder, "x", 10, 50), CodedSpan("d2", coder, "x", 0, 5)]
        spans += [CodedSpan("d2", coder, "y", 20, 30)]
    result = unitised_alpha(spans, {"d1": 100, "d2": 40}, n_boot=50)
    assert result["x"].alpha == 1.0
    assert result["y"].alpha == 1.0
    assert result[OVERALL].alpha == 1.0
    assert result["x"].n_units == 2
    assert result["x"].n_pairable == 2 * 140


def test_unitised_alpha_order_free_and_merges_overlaps():
    spans = krippendorff_2004_example()
    shuffled = list(reversed(spans))
    assert unitised_alpha(spans, {"doc": 300}, n_boot=0) == unitised_alpha(
        shuffled, {"doc": 300}, n_boot=0
    )
    # One coder marking the same stretch twice, overlapping, is one segment.
    doubled = [*spans, CodedSpan("doc", 0, "c", 75, 100)]
    assert unitised_alpha(doubled, {"doc": 300}, n_boot=0)["c"].alpha == pytest.approx(
        0.7286, abs=1e-4
    )


def test_unitised_alpha_disagreement_and_bootstrap():
    rng = np.random.default_rng(3)
    spans = []
    lengths = {}
    for doc in range(12):
        lengths[doc] = 1000
        for start in range(0, 1000, 100):
            if rng.random() < 0.5:
                end = start + int(rng.integers(20, 80))
                spans.append(CodedSpan(doc, "a", "x", start, end))
                shift = int(rng.integers(-10, 10)) if rng.random() < 0.8 else 40
                spans.append(
                    CodedSpan(doc, "b", "x", max(0, start + shift), min(1000, end + shift))
                )
    result = unitised_alpha(spans, lengths, n_boot=200, seed=1)["x"]
    assert 0.3 < result.alpha < 1.0
    assert result.low <= result.alpha <= result.high
    assert result.n_boot_valid == 200
    assert unitised_alpha(spans, lengths, n_boot=200, seed=1)["x"] == result


def test_unitised_alpha_bad_input_and_undefined():
    with pytest.raises(ValueError, match="outside document"):
        unitised_alpha([CodedSpan("d", "a", "x", 0, 20)], {"d": 10})
    with pytest.raises(ValueError, match="unknown document"):
        unitised_alpha([CodedSpan("e", "a", "x", 0, 2)], {"d": 10})
    result = unitised_alpha([], {"d": 10}, coders=["a", "b"], codes=["x"], n_boot=0)
    assert math.isnan(result["x"].alpha)


def test_the_unitised_cross_term_equals_the_sum_over_all_segment_gap_pairs():
    """The bootstrap's cross term, computed from sorted gaps and per-document totals, is the
    plain double sum over every coded segment and every gap of the weighted continuum."""
    from kansenaudit.stats.agreement.unitised import _cross_parts, _cross_term

    rng = np.random.default_rng(7)
    n_docs = 6
    coded = rng.integers(1, 40, size=25).astype(float)
    gaps = rng.integers(1, 80, size=30).astype(float)
    coded_owner = rng.integers(0, n_docs, size=coded.size)
    gap_owner = rng.integers(0, n_docs, size=gaps.size)
    parts = _cross_parts(coded, coded_owner, gaps, gap_owner, n_docs)
    weights = rng.integers(0, 3, size=(4, n_docs)).astype(float)
    expected = [
        sum(
            w[coded_owner[u]] * coded[u] ** 2 * w[gap_owner[x]] * (gaps[x] - coded[u] + 1)
            for u in range(coded.size)
            for x in range(gaps.size)
            if gaps[x] >= coded[u]
        )
        for w in weights
    ]
    assert _cross_term(weights, parts) == pytest.approx(expected)
