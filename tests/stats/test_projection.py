"""Projections (continuation of trend) against statsmodels, and distance to target."""

import numpy as np
import pytest
import statsmodels.api as sm

from kansenaudit.stats.projection import (
    PROJECTION_LABEL,
    distance_to_target,
    project_linear,
)

YEARS = np.arange(2015, 2025)


@pytest.mark.parametrize("level", [0.8, 0.95])
def test_prediction_intervals_match_statsmodels(level):
    rng = np.random.default_rng(1)
    y = 30 + 0.8 * (YEARS - 2015) + rng.normal(0, 1.5, size=(12, YEARS.size))
    y[rng.random(y.shape) < 0.2] = np.nan
    p = project_linear(YEARS, y, 5, level=level)
    np.testing.assert_array_equal(p.years, np.arange(2025, 2030))
    future = sm.add_constant(p.years, has_constant="add")
    for i in range(y.shape[0]):
        keep = np.isfinite(y[i])
        res = sm.OLS(y[i, keep], sm.add_constant(YEARS[keep].astype(float))).fit()
        frame = res.get_prediction(future).summary_frame(alpha=1 - level)
        np.testing.assert_allclose(p.fit[i], frame["mean"], rtol=1e-9)
        np.testing.assert_allclose(p.lower[i], frame["obs_ci_lower"], rtol=1e-9)
        np.testing.assert_allclose(p.upper[i], frame["obs_ci_upper"], rtol=1e-9)
        assert p.n_points[i] == keep.sum()
    assert p.level == level


def test_explicit_future_years_and_leading_shape():
    y = np.broadcast_to(np.linspace(10, 19, YEARS.size), (2, 3, YEARS.size)).copy()
    y[..., ::2] += 0.3
    p = project_linear(YEARS, y, [2026, 2030])
    assert p.fit.shape == (2, 3, 2)
    np.testing.assert_array_equal(p.years, [2026.0, 2030.0])
    # Further ahead, the interval is wider.
    width = p.upper - p.lower
    assert (width[..., 1] > width[..., 0]).all()


def test_label_says_continuation_of_trend():
    p = project_linear([2019, 2020, 2021], [1.0, 2.0, 4.0], 1)
    assert p.label == PROJECTION_LABEL
    assert "voortzetting van de trend" in p.label


def test_shares_are_clipped_only_for_display():
    p = project_linear([2020, 2021, 2022, 2023], [91.0, 94.0, 96.5, 99.0], 3)
    assert p.fit[-1] > 100.0  # the straight line leaves the possible range...
    assert p.display_fit.max() == 100.0  # ...the chart does not
    assert p.display_upper.max() == 100.0
    assert p.clipped.any()
    assert p.clipped[-1]
    np.testing.assert_array_equal(p.display_lower, np.clip(p.lower, 0, 100))
    means = project_linear([2020, 2021, 2022, 2023], [91.0, 94.0, 96.5, 99.0], 3, kind="mean")
    assert not means.clipped.any()
    np.testing.assert_array_equal(means.display_fit, means.fit)


def test_series_with_too_few_points_are_nan():
    y = np.array([[1.0, np.nan, np.nan, 2.0], [1.0, 2.0, 2.0, 3.0]])
    p = project_linear([2020, 2021, 2022, 2023], y, 2)
    assert np.isnan(p.fit[0]).all()
    assert np.isnan(p.lower[0]).all()
    assert np.isfinite(p.fit[1]).all()
    assert not p.clipped[0].any()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"horizon": 0}, "horizon"),
        ({"horizon": 2, "level": 1.0}, "level"),
        ({"horizon": 2, "kind": "count"}, "kind"),
    ],
)
def test_invalid_projection_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        project_linear([2020, 2021, 2022], [1.0, 2.0, 3.0], **kwargs)


def test_share_values_must_be_percent():
    with pytest.raises(ValueError, match="percent"):
        project_linear([2020, 2021, 2022], [100.0, 120.0, 130.0], 2)


# --- distance to target --------------------------------------------------------------------------


def test_distance_to_target_hand_computed():
    # Lower is better: 30 % now (2024), target 20 % in 2030, trend −1 point a year.
    d = distance_to_target(30.0, 2024, 20.0, 2030, slope=-1.0, polarity=-1)
    assert d.gap_to_target == -10.0
    assert d.years_left == 6.0
    assert d.required_change_per_year == pytest.approx(-10 / 6)
    assert d.projected_at_target_year == 24.0
    assert d.pace_ratio == pytest.approx(0.6)
    assert d.status == "niet op koers"
    assert d.on_track is False


def test_distance_to_target_statuses_vectorised():
    d = distance_to_target(
        [30.0, 30.0, 18.0, 30.0, 30.0, 30.0],
        2024,
        [20.0, 20.0, 20.0, 20.0, 20.0, 40.0],
        [2030, 2030, 2030, 2030, 2022, 2030],
        slope=[-2.0, np.nan, 1.0, -1.0, -1.0, 2.0],
        polarity=[-1, -1, -1, -1, -1, 1],
    )
    assert list(d.status) == [
        "op koers",
        "onbekend: geen trend",
        "doel bereikt",
        "niet op koers",
        "doeljaar verstreken",
        "op koers",
    ]
    np.testing.assert_array_equal(d.on_track, [True, False, True, False, False, True])
    assert np.isnan(d.required_change_per_year[4])
    assert d.projected_at_target_year[5] == pytest.approx(42.0)


def test_distance_to_target_rejects_bad_polarity():
    with pytest.raises(ValueError, match="polarity"):
        distance_to_target(1.0, 2024, 2.0, 2030, polarity=0)
