# SPDX-License-Identifier: EUPL-1.2
"""Inequality between areas, weighted by population, with exact between/within decomposition.

Each area (a gebied, wijk or buurt) is one observation: its value is an area figure such as the
mean disposable household income, and its weight is the number of people it stands for. With
weights every resident of an area counts once, so a large area counts more than a small one; with
whole-number weights the result is exactly that of the data with each area's value repeated
weight times. The measures follow Cowell (2011), *Measuring Inequality*, 3rd ed., Oxford UP:

- :func:`gini`, the Gini coefficient (half the relative mean absolute difference);
- :func:`generalized_entropy`, the family GE(α), with :func:`theil` (Theil T, GE(1)) and
  :func:`mean_log_deviation` (Theil L, GE(0)) as its two members that decompose cleanly;
- :func:`atkinson`, the Atkinson index with inequality aversion ε;
- :func:`decompose_by_level`, GE inequality split into between and within higher-level areas
  (Shorrocks 1980), e.g. between and within stadsdelen.

Everything is vectorised numpy: no Python loop runs over the values. Plain-language explanations
for auditors are in ``docs/methods/inequality.md`` and ``docs/methods/decomposition.md``.
"""

from kansenaudit.stats.inequality.atkinson_index import atkinson
from kansenaudit.stats.inequality.batch import gini_rows, theil_between_share_rows, theil_rows
from kansenaudit.stats.inequality.decomposition import decompose_by_level
from kansenaudit.stats.inequality.entropy import (
    Decomposition,
    GroupContribution,
    generalized_entropy,
    mean_log_deviation,
    theil,
)
from kansenaudit.stats.inequality.gini_coefficient import gini

__all__ = [
    "Decomposition",
    "GroupContribution",
    "atkinson",
    "decompose_by_level",
    "generalized_entropy",
    "gini",
    "gini_rows",
    "mean_log_deviation",
    "theil",
    "theil_between_share_rows",
    "theil_rows",
]
