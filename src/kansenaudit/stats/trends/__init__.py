# SPDX-License-Identifier: EUPL-1.2
"""Trends since the 2019 baseline: change between two years, linear trends, change in gaps.

Everything is vectorised: pass one value per area (or a 2-D array series × years) and get arrays
back; scalar input gives floats. Shares are in percent (0–100); changes in percentage points.
See ``docs/methods/trends.md``.
"""

from kansenaudit.stats.trends._common import Kind
from kansenaudit.stats.trends.baseline import (
    ChangeResult,
    ScreenResult,
    change_since_baseline,
    screen_changes,
)
from kansenaudit.stats.trends.gap_changes import (
    NARROWED,
    NO_CHANGE,
    NO_DATA,
    NOT_TESTED,
    WIDENED,
    GapChangeResult,
    gap_change,
)
from kansenaudit.stats.trends.linear import TrendResult, linear_trend, ols_fit

__all__ = [
    "NARROWED",
    "NOT_TESTED",
    "NO_CHANGE",
    "NO_DATA",
    "WIDENED",
    "ChangeResult",
    "GapChangeResult",
    "Kind",
    "ScreenResult",
    "TrendResult",
    "change_since_baseline",
    "gap_change",
    "linear_trend",
    "ols_fit",
    "screen_changes",
]
