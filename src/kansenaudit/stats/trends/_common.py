# SPDX-License-Identifier: EUPL-1.2
"""What the change and gap-change tests share: the kind of value and the two-sided p."""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import special

Kind = Literal["share", "mean"]


def _two_sided_p(z: np.ndarray) -> np.ndarray:
    """2·Φ(−|z|), NaN-preserving."""
    return 2.0 * special.ndtr(-np.abs(z))
