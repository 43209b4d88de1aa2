# SPDX-License-Identifier: EUPL-1.2
"""Propose a varied set of measures for the practice study (research design §4.2.1).

Method (``docs/methods/selection.md``): greedy maximum–minimum diversity on Gower's distance.

* Each measure is described by six attributes: domain, directie and target group (nominal),
  budget and reach (numeric, on a log scale because budgets range from thousands to
  millions), and the effectladder rung of its judgement (ordinal 0–5, treated as numeric).
* Gower's distance between two measures is the mean of the per-attribute distances over the
  attributes both have: 0 or 1 for a nominal attribute (same or different, case-insensitive),
  ``|x − y| / range`` for a numeric one (range over all candidate measures). A measure without
  a budget is compared on the other attributes only.
* The fixed measures are chosen first. If there are none, the first choice is the measure
  with the largest mean distance to all others (the most unusual one). Then, until ``n``
  measures are chosen, the candidate whose *smallest* distance to the chosen ones is largest is
  added (max–min). Ties are broken by the larger sum of distances to the chosen ones, then by
  key, so the same register always gives the same proposal.

Reasons are English codes, translated by the app: ``"fixed"``, ``"most_distinct"``,
``"max_min_distance=0.62"``, ``"adds_domain=Onderwijs"``, ``"adds_directie=…"``,
``"adds_target_group=…"``, ``"adds_budget_band=large"``, ``"adds_reach_band=small"``,
``"adds_effect_rung=3"``. Format: ``code`` or ``code=value``.

``covers`` and ``misses`` list, per dimension (``domain``, ``directie``, ``target_group``,
``budget_band``, ``reach_band``, ``effect_rung``), the values the chosen set has and the values
that occur among the candidates but not in the set. Budget and reach bands are the terciles of
the candidates' values (``small``, ``medium``, ``large``); ``unknown`` when missing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "DIMENSIONS",
    "Choice",
    "MeasureProfile",
    "Selection",
    "gower_distance",
    "propose_selection",
]

DIMENSIONS: tuple[str, ...] = (
    "domain",
    "directie",
    "target_group",
    "budget_band",
    "reach_band",
    "effect_rung",
)


@dataclass(frozen=True)
class MeasureProfile:
    """What the selection looks at for one measure; ``key`` identifies it (e.g. its id)."""

    key: str
    name: str
    domain: str
    directie: str
    target_group: str
    budget: float | None
    reach: float | None
    effect_rung: int | None


@dataclass(frozen=True)
class Choice:
    """A chosen measure and why (reason codes, see the module docstring)."""

    key: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Selection:
    """The proposal: chosen measures in order of choice, what they cover and what they miss."""

    chosen: tuple[Choice, ...]
    covers: dict[str, list[str]]
    misses: dict[str, list[str]]


def _log(value: float | None) -> float | None:
    if value is None or not math.isfinite(value) or value < 0:
        return None
    return math.log10(1.0 + value)


class _Space:
    def __init__(self, profiles: Sequence[MeasureProfile]) -> None:
        self.profiles = {p.key: p for p in profiles}
        self.budget = {p.key: _log(p.budget) for p in profiles}
        self.reach = {p.key: _log(p.reach) for p in profiles}
        self.rung = {
            p.key: (float(p.effect_rung) if p.effect_rung is not None else None) for p in profiles
        }
        self.ranges = {
            name: _range(values.values())
            for name, values in (
                ("budget", self.budget),
                ("reach", self.reach),
                ("rung", self.rung),
            )
        }

    def distance(self, a: str, b: str) -> float:
        pa, pb = self.profiles[a], self.profiles[b]
        parts: list[float] = []
        for x, y in (
            (pa.domain, pb.domain),
            (pa.directie, pb.directie),
            (pa.target_group, pb.target_group),
        ):
            if x.strip() and y.strip():
                parts.append(0.0 if x.strip().casefold() == y.strip().casefold() else 1.0)
        for name, values in (("budget", self.budget), ("reach", self.reach), ("rung", self.rung)):
            x_value, y_value = values[a], values[b]
            span = self.ranges[name]
            if x_value is not None and y_value is not None:
                parts.append(abs(x_value - y_value) / span if span > 0 else 0.0)
        return sum(parts) / len(parts) if parts else 0.0


def _range(values: object) -> float:
    present = [v for v in values if v is not None]  # type: ignore[attr-defined]
    return (max(present) - min(present)) if len(present) > 1 else 0.0


def gower_distance(
    a: MeasureProfile, b: MeasureProfile, profiles: Sequence[MeasureProfile]
) -> float:
    """Gower's distance between two measures, with numeric ranges taken over ``profiles``."""
    space = _Space([*profiles, *(p for p in (a, b) if p.key not in {q.key for q in profiles})])
    return space.distance(a.key, b.key)


def _bands(values: dict[str, float | None]) -> dict[str, str]:
    present = sorted(v for v in values.values() if v is not None)
    out = {}
    for key, value in values.items():
        if value is None:
            out[key] = "unknown"
            continue
        if len(present) < 3:
            out[key] = "medium"
            continue
        low = present[(len(present) - 1) // 3]
        high = present[(2 * (len(present) - 1)) // 3]
        out[key] = "small" if value <= low else ("medium" if value <= high else "large")
    return out


def _values(
    profile: MeasureProfile, budget_band: dict[str, str], reach_band: dict[str, str]
) -> dict[str, str]:
    return {
        "domain": profile.domain.strip(),
        "directie": profile.directie.strip(),
        "target_group": profile.target_group.strip(),
        "budget_band": budget_band[profile.key],
        "reach_band": reach_band[profile.key],
        "effect_rung": str(profile.effect_rung) if profile.effect_rung is not None else "unknown",
    }


def propose_selection(
    profiles: Sequence[MeasureProfile],
    n: int = 6,
    *,
    fixed: Sequence[str] = (),
    excluded: Sequence[str] = (),
) -> Selection:
    """Propose ``n`` varied measures (see the module docstring for the method).

    Parameters
    ----------
    profiles : sequence of MeasureProfile
        The candidate measures (keys must be unique).
    n : int
        How many to choose (default 6); fewer when there are fewer candidates.
    fixed : keys that must be in the set (the team's choice); chosen first, in this order.
    excluded : keys that must not be chosen.

    Raises
    ------
    ValueError
        For duplicate keys, an unknown fixed key, a key both fixed and excluded, or ``n < 1``.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    keys = [p.key for p in profiles]
    if len(set(keys)) != len(keys):
        raise ValueError("measure keys must be unique")
    unknown = [key for key in fixed if key not in set(keys)]
    if unknown:
        raise ValueError(f"unknown fixed measure(s): {', '.join(unknown)}")
    both = set(fixed) & set(excluded)
    if both:
        raise ValueError(f"measure(s) both fixed and excluded: {', '.join(sorted(both))}")
    candidates = [p for p in profiles if p.key not in set(excluded)]
    space = _Space(candidates)
    budget_band = _bands(space.budget)
    reach_band = _bands(space.reach)
    values = {p.key: _values(p, budget_band, reach_band) for p in candidates}

    chosen: list[Choice] = []
    seen: dict[str, set[str]] = {dimension: set() for dimension in DIMENSIONS}

    def adds(key: str) -> list[str]:
        reasons = []
        for dimension in DIMENSIONS:
            value = values[key][dimension]
            if value and value != "unknown" and value.casefold() not in seen[dimension]:
                reasons.append(f"adds_{dimension}={value}")
        return reasons

    def take(key: str, first: list[str]) -> None:
        chosen.append(Choice(key, tuple(first + adds(key))))
        for dimension in DIMENSIONS:
            seen[dimension].add(values[key][dimension].casefold())

    for key in dict.fromkeys(fixed):
        take(key, ["fixed"])
    remaining = sorted(key for key in values if key not in {c.key for c in chosen})
    if not chosen and remaining and n > 0:
        means = {
            key: sum(space.distance(key, other) for other in remaining if other != key)
            for key in remaining
        }
        first = max(remaining, key=lambda key: (round(means[key], 12), _neg(key)))
        take(first, ["most_distinct"])
        remaining.remove(first)
    while len(chosen) < max(n, len(set(fixed))) and remaining:
        chosen_keys = [c.key for c in chosen]
        scored = []
        for key in remaining:
            distances = [space.distance(key, other) for other in chosen_keys]
            scored.append((round(min(distances), 12), round(sum(distances), 12), _neg(key), key))
        best = max(scored)
        take(best[3], [f"max_min_distance={best[0]:.2f}"])
        remaining.remove(best[3])

    covers: dict[str, list[str]] = {}
    misses: dict[str, list[str]] = {}
    chosen_set = {c.key for c in chosen}
    for dimension in DIMENSIONS:
        have = {values[key][dimension] for key in chosen_set} - {"", "unknown"}
        every = {values[key][dimension] for key in values} - {"", "unknown"}
        covers[dimension] = sorted(have, key=str.casefold)
        misses[dimension] = sorted(every - have, key=str.casefold)
    return Selection(chosen=tuple(chosen), covers=covers, misses=misses)


def _neg(key: str) -> tuple[int, ...]:
    """Sort key that makes ``max`` prefer the alphabetically first key on ties."""
    return (*(-ord(char) for char in key), 1)
