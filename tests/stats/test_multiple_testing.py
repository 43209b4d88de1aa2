"""Benjamini–Hochberg, checked against statsmodels' fdr_bh."""

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from kansenaudit.stats.multiple_testing import benjamini_hochberg


@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.1])
def test_matches_statsmodels(alpha):
    rng = np.random.default_rng(3)
    # A mix of true effects (small p) and nulls (uniform p), with ties.
    p = np.concatenate([rng.uniform(0, 0.01, 30), rng.uniform(0, 1, 300), [0.02, 0.02, 0.02]])
    rejected, adjusted = benjamini_hochberg(p, alpha)
    sm_rejected, sm_adjusted, _, _ = multipletests(p, alpha=alpha, method="fdr_bh")
    np.testing.assert_array_equal(rejected, sm_rejected)
    np.testing.assert_allclose(adjusted, sm_adjusted, rtol=1e-12)


def test_nan_is_ignored_and_stays_nan():
    p = np.array([0.001, np.nan, 0.04, 0.03, np.nan, 0.5])
    rejected, adjusted = benjamini_hochberg(p)
    ok = ~np.isnan(p)
    sm_rejected, sm_adjusted, _, _ = multipletests(p[ok], method="fdr_bh")
    np.testing.assert_array_equal(rejected[ok], sm_rejected)
    np.testing.assert_allclose(adjusted[ok], sm_adjusted)
    assert np.isnan(adjusted[~ok]).all()
    assert not rejected[~ok].any()


def test_hand_computed_case():
    # Sorted 0.01, 0.02, 0.03, 0.2 with m = 4: m·p/i = 0.04, 0.04, 0.04, 0.2.
    rejected, adjusted = benjamini_hochberg([0.2, 0.03, 0.01, 0.02], alpha=0.04)
    np.testing.assert_allclose(adjusted, [0.2, 0.04, 0.04, 0.04])
    np.testing.assert_array_equal(rejected, [False, True, True, True])


def test_shape_is_kept_and_edge_cases():
    p = np.array([[0.001, 0.5], [np.nan, 0.02]])
    rejected, adjusted = benjamini_hochberg(p)
    assert rejected.shape == adjusted.shape == (2, 2)
    rejected, adjusted = benjamini_hochberg([np.nan, np.nan])
    assert not rejected.any()
    assert np.isnan(adjusted).all()
    rejected, adjusted = benjamini_hochberg([])
    assert rejected.size == 0
    assert benjamini_hochberg(0.01)[0]  # a single test is not adjusted


@pytest.mark.parametrize(
    ("p", "alpha", "message"),
    [
        ([0.1, 1.2], 0.05, "between 0 and 1"),
        ([-0.1], 0.05, "between 0 and 1"),
        ([0.1], 1.5, "alpha"),
    ],
)
def test_invalid_input_raises(p, alpha, message):
    with pytest.raises(ValueError, match=message):
        benjamini_hochberg(p, alpha)
