# SPDX-License-Identifier: EUPL-1.2
r"""Agreement between assessors and coders: Krippendorff's alpha, with a bootstrap interval.

Two auditors score the same measures on, say, the effectladder (0–5). Before their scores are
used, the audit should show that the scale is applied consistently: Krippendorff's alpha
measures how far the assessors agree beyond what chance would give, for any number of
assessors, with missing scores, and for nominal, ordinal, interval and ratio data. Plain-language
explanation for auditors: ``docs/methods/agreement.md``.

The package has one module per family, and this module is the public interface:

* :mod:`.matrix` — alpha of a reliability matrix (assessors × units) at any level of
  measurement, and its bootstrap interval (:func:`krippendorff_alpha`, :func:`alpha_bootstrap`);
* :mod:`.codes` — qualitative coding on units (speaker turns): nominal alpha per code and
  overall (:func:`alpha_by_code`);
* :mod:`.unitised` — Krippendorff's unitised alpha on characters (:func:`unitised_alpha`).
"""

from __future__ import annotations

from kansenaudit.stats.agreement.codes import OVERALL, alpha_by_code
from kansenaudit.stats.agreement.matrix import (
    BOOTSTRAP_METHOD,
    LEVELS,
    AlphaResult,
    AlphaUndefinedWarning,
    Level,
    alpha_bootstrap,
    krippendorff_alpha,
)
from kansenaudit.stats.agreement.unitised import UNITISED_METHOD, CodedSpan, unitised_alpha

__all__ = [
    "BOOTSTRAP_METHOD",
    "LEVELS",
    "OVERALL",
    "UNITISED_METHOD",
    "AlphaResult",
    "AlphaUndefinedWarning",
    "CodedSpan",
    "Level",
    "alpha_bootstrap",
    "alpha_by_code",
    "krippendorff_alpha",
    "unitised_alpha",
]
