# SPDX-License-Identifier: EUPL-1.2
"""What building and applying a crosswalk share."""

from __future__ import annotations

# Part of a source (or target) that may lie outside the other division before it is reported.
_GAP_TOLERANCE = 0.01
