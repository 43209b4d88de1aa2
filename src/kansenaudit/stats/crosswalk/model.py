# SPDX-License-Identifier: EUPL-1.2
"""The crosswalk and its rows, and a harmonised value with the steps that made it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

QUALITY_LEVELS = ("exact", "good", "approximate", "poor", "none")

# Contributions below this share of a target are named only as a count in step descriptions.
_SLIVER = 0.005

_REFERENCES = (
    "Goodchild & Lam (1980), Areal interpolation; Logan, Xu & Stults (2014), LTDB; "
    "PySAL tobler area_interpolate"
)


@dataclass(frozen=True)
class CrosswalkRow:
    """One source × target pair that overlaps.

    Attributes
    ----------
    source_code, target_code : str
    area : float
        Area of the intersection in square metres (in the geometries' unit).
    share_of_source : float
        Fraction of the source (its area, and so under uniform density its weight) that lies
        in the target. Over a source's rows these add up to its coverage, normally 1.
    share_of_target : float
        Fraction of the target's weight (area, or ``weights``) that comes from this source.
        Over a target's rows these add up to 1 (or 0 for a target nothing overlaps).
    weight : float or None
        The source's weight that falls in the target (``weights[source] * share_of_source``);
        None for the area method.
    """

    source_code: str
    target_code: str
    area: float
    share_of_source: float
    share_of_target: float
    weight: float | None = None


@dataclass(frozen=True)
class HarmonisedValue:
    """A value moved to a target area, with everything needed to trace it.

    Attributes
    ----------
    target_code : str
    value : float or None
        None when sources making up 1% or more of the target have no value.
    quality : str
        The target's quality flag in the crosswalk (``exact`` ... ``none``).
    method : str
        ``area`` or the weights' name (``dwellings``), as in the crosswalk.
    contributions : tuple of (str, float)
        ``(source_code, share_of_source)`` of every source with a value that fed the target,
        largest contribution first: the fraction of that source's count (or of its
        denominator, for rates) that went into the target.
    missing_sources : tuple of str
        Overlapping sources without a value (or, for rates, without a denominator).
    flags : tuple of str
        ``missing-below-1%:<share>`` when small missing parts were ignored,
        ``rate-weighted-by-area`` / ``rate-weighted-by-<weights>`` when no denominators were
        given, ``target-coverage:<share>`` when part of the target lies outside every source,
        ``denominator-zero`` when a rate's denominators add up to 0 in the target.
    step : str
        :meth:`Crosswalk.step_description` for the target, to be stored with the value.
    """

    target_code: str
    value: float | None
    quality: str
    method: str
    contributions: tuple[tuple[str, float], ...]
    missing_sources: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    step: str = ""


@dataclass
class Crosswalk:
    """The overlaps of two area divisions and the quality of each target.

    Attributes
    ----------
    rows : list of CrosswalkRow
        Sorted by target, then by decreasing share of the target.
    method : str
        ``area`` or the name of the weights (``dwellings``).
    source_division, target_division : str
    source_area, target_area : dict
        Code → area (m²) of every source and target.
    source_coverage : dict
        Source code → fraction of its area lying in some target.
    target_coverage : dict
        Target code → fraction of its area lying in some source.
    quality : dict
        Target code → quality flag.
    warnings : list of str
        Coverage gaps, repaired or empty geometries, targets without weight.
    """

    rows: list[CrosswalkRow]
    method: str
    source_division: str
    target_division: str
    source_area: dict[str, float]
    target_area: dict[str, float]
    source_coverage: dict[str, float]
    target_coverage: dict[str, float]
    quality: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    _by_target: dict[str, list[CrosswalkRow]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _indexed: int = field(default=-1, init=False, repr=False, compare=False)

    def rows_for_target(self, target_code: str) -> list[CrosswalkRow]:
        """The rows feeding one target, largest share of the target first."""
        if self._by_target is None or self._indexed != len(self.rows):
            index: dict[str, list[CrosswalkRow]] = {}
            for row in self.rows:
                index.setdefault(row.target_code, []).append(row)
            self._by_target, self._indexed = index, len(self.rows)
        return list(self._by_target.get(target_code, []))

    def rows_for_source(self, source_code: str) -> list[CrosswalkRow]:
        """The rows of one source, largest share of the source first."""
        rows = [r for r in self.rows if r.source_code == source_code]
        return sorted(rows, key=lambda r: -r.share_of_source)

    def quality_counts(self) -> dict[str, int]:
        """How many targets have each quality flag (all flags listed, zeros included)."""
        counts = Counter(self.quality.values())
        return {level: counts.get(level, 0) for level in QUALITY_LEVELS}

    def to_rows(self) -> list[dict]:
        """The crosswalk as plain rows for CSV or JSON export (one per source × target pair).

        Examples
        --------
        >>> from shapely import box
        >>> from kansenaudit.stats.crosswalk import build_crosswalk
        >>> cw = build_crosswalk({"S": box(0, 0, 2, 1)}, {"L": box(0, 0, 1, 1),
        ...                       "R": box(1, 0, 2, 1)}, source_division="old")
        >>> cw.to_rows()[0]  # doctest: +NORMALIZE_WHITESPACE
        {'source_division': 'old', 'target_division': '', 'method': 'area',
         'source_code': 'S', 'target_code': 'L', 'intersection_area_m2': 1.0,
         'share_of_source': 0.5, 'share_of_target': 1.0, 'weight': None,
         'target_quality': 'poor'}
        """
        return [
            {
                "source_division": self.source_division,
                "target_division": self.target_division,
                "method": self.method,
                "source_code": r.source_code,
                "target_code": r.target_code,
                "intersection_area_m2": r.area,
                "share_of_source": r.share_of_source,
                "share_of_target": r.share_of_target,
                "weight": r.weight,
                "target_quality": self.quality.get(r.target_code),
            }
            for r in self.rows
        ]

    def step_description(self, target_code: str | None = None) -> str:
        """A sentence recording the harmonisation step, to be kept with each harmonised value.

        It names the method, the two divisions and the quality (of one target, or the counts
        over all targets), so a harmonised figure can be traced back.

        Examples
        --------
        >>> from shapely import box
        >>> from kansenaudit.stats.crosswalk import build_crosswalk
        >>> cw = build_crosswalk({"S": box(0, 0, 2, 1)}, {"L": box(0, 0, 1, 1),
        ...                       "R": box(1, 0, 2, 1)}, source_division="2015",
        ...                      target_division="2022")
        >>> import textwrap
        >>> print(textwrap.fill(cw.step_description("L"), 80))
        Harmonised from division 2015 to 2022 by areal interpolation (by area); target
        L: quality poor, from S (50.0% of the source, 100.0% of the target).
        """
        how = (
            "areal interpolation (by area)"
            if self.method == "area"
            else f"areal interpolation weighted by {self.method} (split by area within sources)"
        )
        text = (
            f"Harmonised from division {self.source_division or '?'} to "
            f"{self.target_division or '?'} by {how}"
        )
        if target_code is None:
            counts = ", ".join(f"{k} {v}" for k, v in self.quality_counts().items() if v)
            return f"{text}; targets by quality: {counts or 'none'} ({_REFERENCES})."
        quality = self.quality.get(target_code, "unknown target")
        rows = self.rows_for_target(target_code)
        # Slivers along shared borders would swamp the list; they are counted, not named.
        main = [r for r in rows if r.share_of_target >= _SLIVER]
        shown = ", ".join(
            f"{r.source_code} ({r.share_of_source:.1%} of the source, "
            f"{r.share_of_target:.1%} of the target)"
            for r in main
        )
        slivers = len(rows) - len(main)
        if slivers:
            shown += f"; {slivers} sliver{'s' if slivers > 1 else ''} below {_SLIVER:.1%}"
        return f"{text}; target {target_code}: quality {quality}, from {shown or 'no source'}."
