# SPDX-License-Identifier: EUPL-1.2
"""The inputs and results of a state-of-opportunity run, shared by the CLI, web and API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import polars as pl

from kansenaudit.data.catalogue import CatalogueIndicator
from kansenaudit.data.tidy import ReadIssue

LEVEL_ORDER = ("stad", "gemeente", "stadsdeel", "gebied", "wijk", "buurt")
CITY_LEVELS = ("stad", "gemeente")


@dataclass(frozen=True)
class AreaInfo:
    """An area as the report shows it: name, level, parent and (optionally) its shape in RD."""

    code: str
    name: str
    level: str
    parent_code: str | None = None
    geometry: dict | None = None  # GeoJSON geometry in EPSG:28992


@dataclass(frozen=True)
class SourceRecord:
    """One source file behind the numbers: enough to find the exact file again."""

    key: str
    path: str
    origin: str
    sha256: str
    release: str
    retrieved_at: str
    publisher: str = ""

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "file": self.path.rsplit("/", 1)[-1],
            "origin": self.origin,
            "sha256": self.sha256,
            "release": self.release,
            "retrieved_at": self.retrieved_at,
            "publisher": self.publisher,
        }


@dataclass
class StaatInputs:
    """Everything a run needs, already read and validated.

    ``values`` is the tidy table (see :mod:`kansenaudit.data.tidy`) with ``indicator`` holding
    catalogue keys; ``prognoses`` holds publisher forecasts, kept apart from observations.
    """

    city_code: str
    city_name: str
    catalogue: tuple[CatalogueIndicator, ...]
    values: pl.DataFrame
    prognoses: pl.DataFrame
    areas: dict[str, AreaInfo]
    sources: list[SourceRecord] = field(default_factory=list)
    issues: list[ReadIssue] = field(default_factory=list)
    is_demo: bool = False
    label: str = ""
    present_year: int | None = None
    notes: list[str] = field(default_factory=list)
    harmonisation: pl.DataFrame = field(default_factory=pl.DataFrame)  # crosswalk rows


@dataclass(frozen=True)
class StaatParameters:
    """The choices of a run, recorded in ``numbers.json`` so the run can be repeated."""

    baseline_year: int = 2019
    horizon_year: int = 2030
    n_boot: int = 499
    seed: int = 2019
    level: float = 0.95
    alpha: float = 0.05
    atkinson_epsilon: float = 0.5
    # "bca" or "percentile" (docs/methods/bootstrap.md)
    bootstrap_method: Literal["percentile", "basic", "bca"] = "bca"
    stacking_threshold: Literal["worst_decile", "worst_quintile", "worst_quartile"] = (
        "worst_quintile"
    )
    targets: tuple[tuple[str, float, int], ...] = ()  # (indicator key, value, year)

    def as_dict(self) -> dict:
        return {
            "baseline_year": self.baseline_year,
            "horizon_year": self.horizon_year,
            "bootstrap_replicates": self.n_boot,
            "seed": self.seed,
            "confidence_level": self.level,
            "fdr_alpha": self.alpha,
            "atkinson_epsilon": self.atkinson_epsilon,
            "bootstrap_method": self.bootstrap_method,
            "stacking_threshold": self.stacking_threshold,
            "targets": [
                {"indicator": key, "value": value, "year": year}
                for key, value, year in self.targets
            ],
        }


@dataclass
class StaatResult:
    """All numbers of a run as tables (Polars frames), plus what the run noticed."""

    inputs: StaatInputs
    parameters: StaatParameters
    values: pl.DataFrame  # observed values with suppression reason and provenance
    gaps: pl.DataFrame
    inequality: pl.DataFrame
    decomposition: pl.DataFrame
    changes: pl.DataFrame
    trends: pl.DataFrame
    projections: pl.DataFrame
    targets: pl.DataFrame
    stacking: pl.DataFrame
    stacking_sensitivity: pl.DataFrame
    group_gaps: pl.DataFrame
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def tables(self) -> dict[str, pl.DataFrame]:
        """The result tables by file name stem, in report order."""
        return {
            "waarden": self.values,
            "verschillen": self.gaps,
            "groepsverschillen": self.group_gaps,
            "ongelijkheid": self.inequality,
            "decompositie": self.decomposition,
            "veranderingen": self.changes,
            "trends": self.trends,
            "projecties": self.projections,
            "doelen": self.targets,
            "stapeling": self.stacking,
            "stapeling_gevoeligheid": self.stacking_sensitivity,
            "omzetting": self.inputs.harmonisation,
        }
