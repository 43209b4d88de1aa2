# SPDX-License-Identifier: EUPL-1.2
"""Boundary harmonisation: a crosswalk between two area divisions, and applying it to values.

When a municipality redraws its buurten (Amsterdam did in 2022), a time series can only be
compared on one division. The crosswalk says, for every pair of a source area (old division)
and a target area (new division), how much of the source lies in the target. Figures are then
moved from source to target areas:

* **counts** (residents, pupils, households: extensive variables) are split in proportion to
  the share of each source that lies in the target, and summed;
* **rates** (shares, means: intensive variables) are averaged over the sources that overlap
  the target, weighted by the part of each source's denominator that falls in the target.

This is areal interpolation (Goodchild & Lam 1980), the method of PySAL ``tobler``'s
``area_interpolate`` and of the Longitudinal Tract Database (Logan, Xu & Stults 2014). With
``weights`` (dwellings or residents per source area) the share of the *target* that each source
contributes is weighted by them, as LTDB does with population; the split *within* one source
is still by area, because a per-source total says nothing about where in the source the
dwellings are (uniform density is assumed). Point data (addresses) would do better; that is
dasymetric mapping and is not implemented here.

Every target gets a quality flag, so a reader knows how much of a harmonised figure is
measured and how much is interpolated:

``exact``
    The target is one source or a union of whole sources: at least 99% of it comes from
    sources lying at least 99% inside it. (Two layers digitised separately never match to
    the millimetre; the 1% absorbs slivers along shared borders, which between Amsterdam's
    2015 and 2022 layers stay below 0.05% of an area.)
``good``
    At least 90% of the target comes from sources lying at least 90% inside it.
``approximate``
    At least 50% does.
``poor``
    Less than 50% does: the target is mostly made of pieces of sources that were split, and
    its figure rests on the uniform-density assumption.
``none``
    No source overlaps the target at all.

"Comes from" is measured in the crosswalk's weights (area, or the ``weights`` given), and a
part of the target that lies outside every source counts as not coming from a whole source:
a target half outside the old division is at best ``approximate``.
"""

from kansenaudit.stats.crosswalk.apply import apply_crosswalk
from kansenaudit.stats.crosswalk.build import build_crosswalk
from kansenaudit.stats.crosswalk.model import (
    QUALITY_LEVELS,
    Crosswalk,
    CrosswalkRow,
    HarmonisedValue,
)

__all__ = [
    "QUALITY_LEVELS",
    "Crosswalk",
    "CrosswalkRow",
    "HarmonisedValue",
    "apply_crosswalk",
    "build_crosswalk",
]
