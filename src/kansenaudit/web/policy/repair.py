# SPDX-License-Identifier: EUPL-1.2
"""Measures damaged by the unchanged-save bug of issue #11 §1, found in the audit log (read-only).

Until the fix, saving a measure through its web form changed it even when nothing was edited:

- every budget amount was multiplied by 100 (``650000.00`` read back as 65,000,000), at each
  save again (×10,000 after two saves), in Dutch and in English;
- in Dutch, the start and end dates were erased (the browser dropped ``01-01-2023``).

Every save is in the audit log as ``policy.measure_update`` with the measure's state before and
after, so the damage can be found and undone: an event whose budgets all went to 100 times (or
10,000 times …) their amount, each year kept, is that bug; a date that went from a value to
empty in such an event, too. A date erased in an event without multiplied budgets is reported
as *possible*: someone may have cleared it on purpose.

For each damaged measure this gives the value to restore (the value before the first damaging
save) and whether the measure still holds the damaged value; a field changed since is left to
the auditor (``changed_since``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.policy.models import Measure

ACTION = "policy.measure_update"
DATE_FIELDS = ("start", "end")


@dataclass
class DamagedMeasure:
    measure_id: int
    dossier_id: int | None
    name: str
    certain: bool  # budgets multiplied: surely this bug; dates only: possibly a deliberate edit
    events: list[int] = field(default_factory=list)
    # field ("start", "end", "budget 2024") → (value to restore, value now)
    restore: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    changed_since: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "measure": self.measure_id,
            "dossier": self.dossier_id,
            "name": self.name,
            "certain": self.certain,
            "events": self.events,
            "restore": {k: {"restore": r, "now": n} for k, (r, n) in self.restore.items()},
            "changed_since": self.changed_since,
        }


def _amount(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _multiplied(before: dict, after: dict) -> bool:
    """Every budget of ``before`` is 100^k times itself in ``after`` (k ≥ 1), same years."""
    if not before or set(before) != set(after):
        return False
    seen = False
    for year, old in before.items():
        old_amount, new_amount = _amount(old), _amount(after[year])
        if old_amount is None or new_amount is None:
            return False
        if old_amount == 0 and new_amount == 0:
            continue
        factor = new_amount / old_amount if old_amount else Decimal(0)
        if factor < 100 or factor != factor.to_integral_value():
            return False
        while factor % 100 == 0 and factor > 1:
            factor /= 100
        if factor != 1:
            return False
        seen = True
    return seen


def _damage(event: AuditEvent) -> tuple[dict[str, tuple], bool]:
    """The fields ``event`` damaged → (before, after), and whether budgets were multiplied."""
    before, after = event.before or {}, event.after or {}
    found: dict[str, tuple] = {}
    old_budgets, new_budgets = before.get("budgets") or {}, after.get("budgets") or {}
    multiplied = _multiplied(old_budgets, new_budgets)
    if multiplied:
        for year in old_budgets:
            if old_budgets[year] != new_budgets[year]:
                found[f"budget {year}"] = (old_budgets[year], new_budgets[year])
    for name in DATE_FIELDS:
        if before.get(name) and not after.get(name):
            found[name] = (before[name], None)
    return found, multiplied


def _current(measure: Measure | None, name: str) -> str | None:
    if measure is None:
        return None
    if name.startswith("budget "):
        year = int(name.split()[1])
        amount = next((b.amount for b in measure.budgets.all() if b.year == year), None)
        return None if amount is None else str(amount)
    value = getattr(measure, name)
    return value.isoformat() if value is not None else None


def damaged_measures(dossier: object | None = None) -> list[DamagedMeasure]:
    """Every measure the bug damaged (in ``dossier``, or everywhere), oldest event first."""
    events = AuditEvent.objects.filter(action=ACTION, object_type="policy.Measure")
    if dossier is not None:
        events = events.filter(dossier=dossier)
    found: dict[int, DamagedMeasure] = {}
    damaged_to: dict[int, dict[str, object]] = {}
    for event in events.order_by("occurred_at", "pk"):
        fields, multiplied = _damage(event)
        if not fields:
            continue
        pk = int(event.object_id)
        entry = found.get(pk)
        if entry is None:
            name = (event.after or {}).get("name") or ""
            entry = found[pk] = DamagedMeasure(pk, event.dossier_id, name, multiplied)
        entry.certain = entry.certain or multiplied
        entry.events.append(event.pk)
        last = damaged_to.setdefault(pk, {})
        for name, (old, new) in fields.items():
            # A second save of a damaged measure damages it again: keep the oldest good value.
            if name not in entry.restore or last.get(name) != old:
                entry.restore[name] = (old, None)
            last[name] = new
    measures = Measure.objects.filter(pk__in=found).prefetch_related("budgets")
    by_pk = {m.pk: m for m in measures}
    for pk, entry in found.items():
        for name, (good, _now) in entry.restore.items():
            now = _current(by_pk.get(pk), name)
            entry.restore[name] = (good, now)
            if now != damaged_to[pk][name]:
                entry.changed_since.append(name)
    return list(found.values())
