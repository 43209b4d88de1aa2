# SPDX-License-Identifier: EUPL-1.2
"""Inequality split into between and within higher-level areas (e.g. stadsdelen)."""

from __future__ import annotations

from typing import Literal

from numpy.typing import ArrayLike

from kansenaudit.stats.inequality.entropy import Decomposition, mean_log_deviation, theil


def decompose_by_level(
    values: ArrayLike,
    weights: ArrayLike | None,
    parent_codes: ArrayLike,
    measure: Literal["theil", "mld"] = "theil",
) -> Decomposition:
    r"""Split inequality between areas into between and within their parent areas.

    For example: 22 gebieden, each with its mean income and population, and the stadsdeel each
    lies in. *Between* is the inequality that remains when every gebied gets its stadsdeel's
    (population-weighted) mean; *within* is the weighted sum of the inequality among the
    gebieden of each stadsdeel. The two add up to the inequality among all gebieden.

    Parameters
    ----------
    values : one value per area (e.g. per gebied)
    weights : one positive weight per area (residents), or ``None`` to count areas equally
    parent_codes : the code of each area's parent (e.g. stadsdeel ``"A"`` … ``"T"``)
    measure : ``"theil"`` (Theil's T, within weighted by value shares) or ``"mld"`` (mean log
        deviation, within weighted by population shares; needs positive values)

    Returns
    -------
    Decomposition
        ``total``, ``between``, ``within``, ``between_share`` and one
        :class:`GroupContribution` per parent area.

    Notes
    -----
    Theil T: :math:`T = \sum_g s_g \ln(\mu_g/\mu) + \sum_g s_g T_g`; MLD:
    :math:`L = \sum_g v_g \ln(\mu/\mu_g) + \sum_g v_g L_g`, with :math:`v_g` a parent's
    population share and :math:`s_g` its value share. Only these GE measures decompose exactly
    (Shorrocks 1980); the Gini does not. The result measures inequality *between areas*, not
    between persons: inequality inside the smallest areas is not in the data, so the total
    understates person-level inequality.

    References
    ----------
    Shorrocks, A. F. (1980). The class of additively decomposable inequality measures.
    *Econometrica*, 48(3), 613–625.
    Cowell, F. A. (2011). *Measuring Inequality* (3rd ed.). Oxford University Press.

    Examples
    --------
    >>> d = decompose_by_level([30, 40, 50, 50], [100, 100, 200, 200], ["A", "A", "B", "B"])
    >>> abs(d.between + d.within - d.total) < 1e-12
    True
    >>> [(g.label, round(g.population_share, 2)) for g in d.groups]
    [('A', 0.33), ('B', 0.67)]
    """
    if measure == "theil":
        return theil(values, weights, groups=parent_codes)
    if measure == "mld":
        return mean_log_deviation(values, weights, groups=parent_codes)
    raise ValueError(f"decompose_by_level: measure must be 'theil' or 'mld', got {measure!r}")
