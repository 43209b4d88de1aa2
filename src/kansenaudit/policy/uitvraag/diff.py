# SPDX-License-Identifier: EUPL-1.2
"""Comparing two imports of the same uitvraag: :func:`diff_measures`."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal

from kansenaudit.policy.uitvraag.spec import FIELD_LABELS, MeasureRow, name_key

__all__ = ["Change", "ChangeKind", "diff_measures"]

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Change:
    """One difference between two imports of the same uitvraag.

    For ``"added"`` and ``"removed"`` ``field`` is None and ``old`` / ``new`` is the whole
    :class:`MeasureRow` (or None); for ``"changed"`` they are the field's old and new value.
    """

    kind: ChangeKind
    measure: str
    field: str | None = None
    old: Any = None
    new: Any = None

    @property
    def label(self) -> str:
        """The Dutch name of the changed field, as in the workbook's header."""
        if self.field is None:
            return ""
        if self.field.startswith("budget_"):
            return f"Budget {self.field.removeprefix('budget_')} (€)"
        return FIELD_LABELS.get(self.field, self.field)

    def __str__(self) -> str:
        if self.kind == "added":
            return f"Nieuwe maatregel: {self.measure}"
        if self.kind == "removed":
            return f"Maatregel vervallen: {self.measure}"
        return f"{self.measure}: {self.label} gewijzigd van {self.old!r} naar {self.new!r}"


def _comparable(measure: MeasureRow) -> dict[str, Any]:
    """The measure's fields in workbook order, budget split per year; number and row left out."""
    out: dict[str, Any] = {}
    for item in fields(MeasureRow):
        value = getattr(measure, item.name)
        if item.name in ("number", "row"):
            continue
        if item.name == "budget":
            for year, amount in value:
                out[f"budget_{year}"] = amount
        elif item.name in ("goals", "target_groups"):
            # The order over the three columns carries no meaning.
            out[item.name] = tuple(sorted(value))
        else:
            out[item.name] = value
    return out


def diff_measures(old: list[MeasureRow], new: list[MeasureRow]) -> list[Change]:
    """What changes when ``new`` (a re-import) replaces ``old``.

    Measures are matched by name, ignoring case and spacing; a renamed measure therefore shows
    as one removed and one added. Row numbers and the order of goals and target groups are
    ignored. A budget year present in only one import counts as empty in the other.

    Returns
    -------
    list of Change
        Removed measures first (in the old order), then per remaining measure its changed
        fields (in the new order, fields in workbook order), with added measures where they
        appear in the new list.

    Raises
    ------
    ValueError
        When one list has two measures with the same name (:func:`read_filled` reports those).

    Examples
    --------
    >>> a = MeasureRow(1, "Schoolmaatjes", status="lopend")
    >>> b = MeasureRow(1, "Schoolmaatjes", status="afgerond")
    >>> for change in diff_measures([a], [b, MeasureRow(2, "Zomerschool")]):
    ...     print(change)
    Schoolmaatjes: Status gewijzigd van 'lopend' naar 'afgerond'
    Nieuwe maatregel: Zomerschool
    """
    for label, items in (("old", old), ("new", new)):
        keys = [name_key(m.name) for m in items]
        if len(set(keys)) != len(keys):
            raise ValueError(f"diff_measures: duplicate measure names in {label}")
    before = {name_key(m.name): m for m in old}
    after_keys = {name_key(m.name) for m in new}
    changes: list[Change] = [
        Change("removed", m.name, old=m) for m in old if name_key(m.name) not in after_keys
    ]
    for measure in new:
        previous = before.get(name_key(measure.name))
        if previous is None:
            changes.append(Change("added", measure.name, new=measure))
            continue
        a, b = _comparable(previous), _comparable(measure)
        ordered = [k for k in b if k in a] + [k for k in b if k not in a]
        ordered += [k for k in a if k not in b]
        for key in ordered:
            if a.get(key) != b.get(key):
                changes.append(Change("changed", measure.name, key, a.get(key), b.get(key)))
    return changes
