# SPDX-License-Identifier: EUPL-1.2
"""Compute the state of opportunity: every number of the report, as tables.

One function, :func:`compute_state`, runs the statistics engine (:mod:`kansenaudit.stats`) over
the inputs of a city or the demo and returns a :class:`~kansenaudit.staat.model.StaatResult`.
The web section, the CLI (``kansenaudit staat``) and analysts in a notebook all call this same
function, so a number means the same wherever it appears.

Order of work, and why:

1. *Disclosure first*: every value gets its suppression reason before anything is derived
   from it, so a withheld value never leaks through a gap, a ranking or a map.
2. *Gaps* of each area (and each group) to the city, with intervals where n is known.
3. *Inequality* between areas per indicator, level and year: population-weighted Gini,
   Theil T, mean log deviation and Atkinson, bootstrap intervals, and the split between and
   within stadsdelen.
4. *Change since the baseline* (2019) per area with a test, Benjamini–Hochberg across areas,
   and whether the gap to the city narrowed or widened; *trends* per area.
5. *Projections* of the city value as continuation of trend, and distance to targets.
6. *Stacking* of disadvantages per area with three methods side by side and a sensitivity
   check of the classes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import polars as pl

from kansenaudit.data.catalogue import by_key
from kansenaudit.reporting.formatting import format_number
from kansenaudit.staat.compute.changes import (
    REPORT_FAMILY,
    apply_report_fdr,
    compute_changes,
    compute_trends,
)
from kansenaudit.staat.compute.gaps import compute_gaps, compute_group_gaps
from kansenaudit.staat.compute.inequality import NOT_INTERVAL, compute_inequality
from kansenaudit.staat.compute.projections import compute_projections
from kansenaudit.staat.compute.stacking import STACKING_MIN_POPULATION, compute_stacking
from kansenaudit.staat.compute.values import prepare_values
from kansenaudit.staat.model import StaatInputs, StaatParameters, StaatResult
from kansenaudit.staat.secondary import SECONDARY

__all__ = [
    "NOT_INTERVAL",
    "REPORT_FAMILY",
    "STACKING_MIN_POPULATION",
    "STEPS",
    "Progress",
    "StaatParameters",
    "apply_report_fdr",
    "compute_changes",
    "compute_gaps",
    "compute_group_gaps",
    "compute_inequality",
    "compute_projections",
    "compute_stacking",
    "compute_state",
    "compute_trends",
    "prepare_values",
]


STEPS = (
    "openbaarheid",
    "verschillen",
    "ongelijkheid",
    "veranderingen",
    "trends",
    "projecties",
    "stapeling",
)

Progress = Callable[[str], None]
T = TypeVar("T")


def compute_state(
    inputs: StaatInputs,
    parameters: StaatParameters | None = None,
    *,
    progress: Progress | None = None,
) -> StaatResult:
    """Run every step on ``inputs`` and return all numbers as tables.

    Examples
    --------
    >>> from kansenaudit.staat.inputs_demo import inputs_from_demo
    >>> result = compute_state(inputs_from_demo(), StaatParameters(n_boot=49))
    >>> result.inequality.filter(pl.col("area_level") == "buurt").height > 0
    True
    """
    parameters = parameters or StaatParameters()
    catalogue = by_key(inputs.catalogue)
    warnings: list[str] = []
    timings: dict[str, float] = {}

    def step(label: str, fn: Callable[[], T]) -> T:
        if progress:
            progress(label)
        start = time.perf_counter()
        out = fn()
        timings[label] = time.perf_counter() - start
        return out

    values = step("openbaarheid", lambda: prepare_values(inputs))
    gaps = step("verschillen", lambda: compute_gaps(values, catalogue, parameters.level))
    group_gaps = compute_group_gaps(values, catalogue, parameters.level)
    ineq, decomp = step(
        "ongelijkheid", lambda: compute_inequality(values, inputs, parameters, warnings)
    )
    changes = step(
        "veranderingen", lambda: compute_changes(values, catalogue, parameters, warnings)
    )
    trends = step("trends", lambda: compute_trends(values, parameters))
    changes, trends, family = apply_report_fdr(changes, trends, parameters.alpha)
    if family:
        warnings.append(
            f"Meervoudig toetsen: Benjamini–Hochberg (α = {format_number(parameters.alpha)}) over "
            f"{format_number(family)} toetsen samen, namelijk {REPORT_FAMILY}."
        )
    projection_notes: list[dict] = []
    projections, targets = step(
        "projecties",
        lambda: compute_projections(values, catalogue, parameters, projection_notes),
    )
    for item in projection_notes:
        name = catalogue[item["indicator"]].name
        warnings.append(f"{name}: {item['note']}.")
    stack, sensitivity = step(
        "stapeling", lambda: compute_stacking(values, catalogue, parameters, warnings)
    )
    suppressed = values.filter(
        pl.col("suppressed").is_not_null() & ~pl.col("suppressed").is_in(["missing", SECONDARY])
    ).height
    if suppressed:
        warnings.append(
            f"{format_number(suppressed)} waarden niet getoond wegens te kleine aantallen."
        )
    secondary = values.filter(pl.col("suppressed") == SECONDARY).height
    if secondary:
        warnings.append(
            f"{format_number(secondary)} waarden niet getoond om terugrekenen door aftrekken "
            "te voorkomen."
        )
    withheld = pl.col("suppressed").is_not_null() & (pl.col("suppressed") != "missing")
    shown = values.select(
        "indicator",
        "area_code",
        "area_name",
        "area_level",
        "group",
        "period",
        pl.col("shown_value").alias("value"),
        "n",
        # The counts behind a withheld share would give the share away: blank them too.
        pl.when(withheld).then(None).otherwise(pl.col("numerator")).alias("numerator"),
        pl.when(withheld).then(None).otherwise(pl.col("denominator")).alias("denominator"),
        "suppressed",
        "unit",
        "source",
        "release",
        "source_file",
        "row",
        "flags",
    )
    return StaatResult(
        inputs=inputs,
        parameters=parameters,
        values=shown,
        gaps=gaps,
        inequality=ineq,
        decomposition=decomp,
        changes=changes,
        trends=trends,
        projections=projections,
        targets=targets,
        stacking=stack,
        stacking_sensitivity=sensitivity,
        group_gaps=group_gaps,
        warnings=warnings,
        timings=timings,
    )
