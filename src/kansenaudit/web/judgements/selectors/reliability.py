# SPDX-License-Identifier: EUPL-1.2
"""Agreement between the two assessors of double judgements (Krippendorff's alpha)."""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass
from typing import Any

from kansenaudit.policy.frameworks import Framework
from kansenaudit.stats.agreement import (
    AlphaResult,
    AlphaUndefinedWarning,
    Level,
    alpha_bootstrap,
)
from kansenaudit.web.judgements.models import (
    Judgement,
)
from kansenaudit.web.judgements.selectors.blindness import judgements_for_dossier
from kansenaudit.web.judgements.selectors.frameworks import FrameworkInfo, framework_info

N_BOOT = 1000


@dataclass(frozen=True)
class Agreement:
    """Krippendorff's alpha for one framework, with what it rests on."""

    key: str
    level: str
    alpha: float | None
    low: float | None
    high: float | None
    n_units: int
    n_pairable: int
    n_double: int  # judgements with two assessments in
    n_boot: int
    n_boot_valid: int
    undefined_reason: str
    data: list[list[Any]]  # 2 × units reliability matrix (slot 1, slot 2; None for n.v.t.)
    categories: list[Any]

    @property
    def defined(self) -> bool:
        return self.alpha is not None


def reliability_data(
    dossier: Any, key: str, judgements: list[Judgement] | None = None
) -> tuple[list[list[Any]], int]:
    """The 2 × units matrix of a framework: one column per judgement with two assessments in,
    rows = assessor slot 1 and 2, ``None`` for "n.v.t." (a missing value). ``judgements``: those
    of the framework with their assessments, when the caller has them already."""
    rows: list[list[Any]] = [[], []]
    n_double = 0
    if judgements is None:
        judgements = list(judgements_for_dossier(dossier, key))
    for judgement in sorted(judgements, key=lambda j: j.pk):
        assessments = {a.slot: a for a in judgement.assessments.all()}
        if judgement.mode != Judgement.Mode.DOUBLE or len(assessments) < 2:
            continue
        n_double += 1
        for slot in (1, 2):
            a = assessments[slot]
            rows[slot - 1].append(None if a.not_applicable else a.score)
    return rows, n_double


def _undefined_reason(n_units: int, n_double: int) -> str:
    if n_double == 0:
        return (
            "Niet gedefinieerd: er is nog geen oordeel met twee ingediende beoordelingen. "
            "Alfa vergelijkt de scores van twee beoordelaars per oordeel."
        )
    if n_units == 0:
        return (
            "Niet gedefinieerd: bij geen enkel oordeel gaven beide beoordelaars een score "
            "('n.v.t.' telt als ontbrekend), dus er zijn geen paren om te vergelijken."
        )
    return (
        "Niet gedefinieerd: alle gepaarde scores zijn gelijk (één schaalwaarde), dus er is "
        "geen spreiding om overeenstemming van toeval te onderscheiden. Meer oordelen, met "
        "verschillende scores, maken alfa berekenbaar."
    )


@functools.lru_cache(maxsize=256)
def _alpha_bootstrap(
    data: tuple[tuple[Any, ...], ...], level: Level, n_boot: int, seed: int, categories: tuple
) -> AlphaResult:
    """``alpha_bootstrap`` remembered per process: the same scores and seed always give the
    same result, and the judgements page would otherwise redraw 1,000 samples on every visit."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlphaUndefinedWarning)
        return alpha_bootstrap(
            [list(row) for row in data],
            level,
            n_boot=n_boot,
            seed=seed,
            categories=list(categories),
        )


def agreement(
    dossier: Any,
    key: str,
    *,
    n_boot: int = N_BOOT,
    seed: int = 0,
    info: FrameworkInfo | None = None,
    judgements: list[Judgement] | None = None,
) -> Agreement:
    """Krippendorff's alpha over the judgements of framework ``key`` that have two assessments:
    ordinal metric for an ordinal scale, nominal otherwise, "n.v.t." as missing, with a
    percentile bootstrap interval over judgements (``stats.agreement.alpha_bootstrap``).
    ``info`` and ``judgements`` (those of the framework): when the caller has them already."""
    info = info if info is not None and info.key == key else framework_info(dossier, key)
    if info is None:
        raise LookupError(key)
    framework = info.framework
    level: Level = "ordinal" if framework.scale.kind == "ordinal" else "nominal"
    data, n_double = reliability_data(dossier, key, judgements)
    categories = list(framework.scale.values)
    if n_double == 0:
        return Agreement(key, level, None, None, None, 0, 0, 0, n_boot, 0,
                         _undefined_reason(0, 0), data, categories)  # fmt: skip
    result = _alpha_bootstrap(
        tuple(tuple(row) for row in data), level, n_boot, seed, tuple(categories)
    )

    def finite(value: float) -> float | None:
        return None if value is None or math.isnan(value) else float(value)

    alpha = finite(result.alpha)
    return Agreement(
        key=key,
        level=level,
        alpha=alpha,
        low=finite(result.low),
        high=finite(result.high),
        n_units=result.n_units,
        n_pairable=result.n_pairable,
        n_double=n_double,
        n_boot=result.n_boot,
        n_boot_valid=result.n_boot_valid,
        undefined_reason="" if alpha is not None else _undefined_reason(result.n_units, n_double),
        data=data,
        categories=categories,
    )


def agreement_cross_table(result: Agreement, framework: Framework) -> dict[str, object]:
    """Slot 1 × slot 2 counts of the paired scores, with "n.v.t." as its own row/column;
    every row and column labelled "value – label" by the framework's scale."""
    labels: dict[Any, str] = {lv.value: f"{lv.value} – {lv.label}" for lv in framework.scale.levels}
    labels[None] = framework.scale.not_applicable or "n.v.t."
    keys = [*result.categories, None]
    counts = {(a, b): 0 for a in keys for b in keys}
    for a, b in zip(result.data[0], result.data[1], strict=True):
        counts[(a, b)] = counts.get((a, b), 0) + 1
    return {
        "columns": [labels.get(k, k) for k in keys],
        "rows": [
            {"label": labels.get(a, a), "cells": [counts[(a, b)] for b in keys]} for a in keys
        ],
    }


def agreement_as_dict(result: Agreement) -> dict[str, Any]:
    """JSON-ready form for the CLI and API."""
    return {
        "framework": result.key,
        "level": result.level,
        "alpha": result.alpha,
        "ci_low": result.low,
        "ci_high": result.high,
        "ci_level": 0.95,
        "method": "bootstrap-units-percentile",
        "n_boot": result.n_boot,
        "n_boot_valid": result.n_boot_valid,
        "units": result.n_units,
        "pairable_values": result.n_pairable,
        "judgements_with_two_assessments": result.n_double,
        "undefined_reason": result.undefined_reason or None,
    }
