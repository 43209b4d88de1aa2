# SPDX-License-Identifier: EUPL-1.2
"""A framework as data: its scale with levels, its criteria, and the error of one that does
not validate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class FrameworkError(ValueError):
    """A framework that does not validate; ``problems`` lists every problem found (Dutch)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("Ongeldig beoordelingskader: " + "; ".join(self.problems))


class Level(NamedTuple):
    """One point of a scale: the stored value, its label and what it means."""

    value: int | str
    label: str
    description: str


@dataclass(frozen=True)
class Scale:
    """The answers a criterion can get.

    Attributes
    ----------
    kind : ``"ordinal"`` (values are whole numbers in increasing order, e.g. effectladder 0–5)
        or ``"nominal"`` (values are text codes without order)
    levels : the possible answers, as (value, label, description)
    not_applicable : label of the answer "not applicable" (``"n.v.t."``) when it is allowed;
        it is not a point on the scale, so agreement statistics treat it as a missing score
    """

    kind: str
    levels: tuple[Level, ...]
    not_applicable: str | None = None

    @property
    def values(self) -> tuple[int | str, ...]:
        """The values in scale order."""
        return tuple(level.value for level in self.levels)

    def label(self, value: int | str) -> str:
        """The label of ``value``; KeyError when it is not on the scale."""
        for level in self.levels:
            if level.value == value and type(level.value) is type(value):
                return level.label
        raise KeyError(f"waarde {value!r} staat niet op de schaal")


@dataclass(frozen=True)
class Criterion:
    """One criterion: a short code (``C1``), a name, the question the auditor answers, and
    guidance on what counts as evidence."""

    code: str
    name: str
    question: str
    guidance: str = ""


@dataclass(frozen=True)
class Framework:
    """An assessment framework: criteria scored on one scale, with its source."""

    key: str
    name: str
    scale: Scale
    criteria: tuple[Criterion, ...]
    source: str
    description: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        """The criterion codes in order."""
        return tuple(c.code for c in self.criteria)

    def criterion(self, code: str) -> Criterion:
        """The criterion with ``code``; KeyError when there is none."""
        for criterion in self.criteria:
            if criterion.code == code:
                return criterion
        raise KeyError(f"kader {self.key!r} heeft geen criterium {code!r}")
