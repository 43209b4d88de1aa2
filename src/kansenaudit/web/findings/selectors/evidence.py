# SPDX-License-Identifier: EUPL-1.2
"""The evidence of findings as it is now: each reference resolved through the registry, with
its label, link and whether it changed since it was attached or signed off."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import islice
from typing import Any

from kansenaudit.web.findings import registry
from kansenaudit.web.findings.models import EvidenceRef, Finding

UNCHANGED, CHANGED, MISSING = "ongewijzigd", "gewijzigd", "ontbreekt"


@dataclass
class RefState:
    """A reference with what it points at now: its label, link and whether it changed."""

    ref: EvidenceRef
    kind_name: str
    label: str
    url: str
    state: str


def ref_states(dossier: Any, refs: list[EvidenceRef], *, detail: bool = False) -> list[RefState]:
    """Resolve ``refs`` through the registry, a few queries per kind however many refs.

    Without ``detail`` the label is the one stored with the reference and there is no link
    (the checks and the exports need only the state; a page of one finding wants both)."""
    kinds = registry.kinds()
    by_kind: dict[str, list[EvidenceRef]] = defaultdict(list)
    for ref in refs:
        by_kind[ref.kind].append(ref)
    found: dict[tuple[str, int], Any] = {}
    for key, own in by_kind.items():
        kind = kinds.get(key)
        if kind is not None:
            for pk, obj in kind.load_many(dossier, [r.object_id for r in own]).items():
                found[(key, pk)] = obj
    states: list[RefState] = []
    for ref in refs:
        kind = kinds.get(ref.kind)
        obj = found.get((ref.kind, ref.object_id))
        if kind is None or obj is None:
            states.append(RefState(ref, ref.kind, ref.label, "", MISSING))
            continue
        now = registry.fingerprint(kind, obj)
        states.append(
            RefState(
                ref,
                str(kind.name),
                kind.label(obj) if detail else ref.label,
                kind.url(obj) if detail else "",
                UNCHANGED if now == ref.fingerprint else CHANGED,
            )
        )
    return states


def finding_states(finding: Finding) -> list[RefState]:
    return ref_states(finding.dossier, list(finding.refs.order_by("kind", "id")), detail=True)


# --- the evidence picker ------------------------------------------------------------------------

PICK_LIMIT = 50
MAX_WORDS = 8


@dataclass
class PickItem:
    """One piece of evidence the picker offers: ``value`` is what its checkbox submits."""

    value: str
    label: str
    url: str


@dataclass
class PickGroup:
    """The offer of one kind: ``more`` when more matched than are shown; ``listed`` False for
    a kind that cannot list its objects (it is attached by number on the finding's page)."""

    key: str
    name: str
    items: list[PickItem]
    more: bool = False
    listed: bool = True


def search_words(query: str) -> list[str]:
    return [word[:100] for word in (query or "").split()][:MAX_WORDS]


def pick_value(value: str) -> tuple[str, int] | None:
    """``"citaat:12"`` as ``("citaat", 12)``, or None when it is not of that form."""
    kind, sep, raw = (value or "").partition(":")
    if not sep or not raw.isdigit() or len(raw) > 12:
        return None
    return kind[:40], int(raw)


def _attached(finding: Finding) -> dict[str, set[int]]:
    found: dict[str, set[int]] = defaultdict(set)
    for kind, pk in finding.refs.values_list("kind", "object_id"):
        found[kind].add(pk)
    return found


def evidence_choices(
    finding: Finding, query: str = "", kind: str = "", limit: int = PICK_LIMIT
) -> list[PickGroup]:
    """Per kind of the registry (or only ``kind``): the evidence of the finding's dossier that
    matches every word of ``query`` and that the finding does not rest on yet, at most ``limit``
    per kind. Each kind decides what is offered (a citation held for a blind assessment never
    is), so the picker offers only what :func:`services.evidence_add` accepts."""
    words = search_words(query)
    attached = _attached(finding)
    groups: list[PickGroup] = []
    for key, evidence_kind in registry.kinds().items():
        if kind and key != kind:
            continue
        if evidence_kind.candidates is None:
            groups.append(PickGroup(key, str(evidence_kind.name), [], listed=False))
            continue
        rows = evidence_kind.candidates(finding.dossier, words)
        if hasattr(rows, "exclude"):
            found = list(rows.exclude(pk__in=attached[key])[: limit + 1])
        else:
            found = list(islice((o for o in rows if o.pk not in attached[key]), limit + 1))
        items = [
            PickItem(f"{key}:{o.pk}", evidence_kind.label(o), evidence_kind.url(o))
            for o in found[:limit]
        ]
        groups.append(PickGroup(key, str(evidence_kind.name), items, more=len(found) > limit))
    return groups


def evidence_picked(finding: Finding, values: list[str]) -> list[PickItem]:
    """The ticked ``values`` that still name evidence the finding may rest on (so that a search
    does not lose what was ticked before it)."""
    kinds = registry.kinds()
    wanted: dict[str, list[int]] = defaultdict(list)
    for value in values:
        parsed = pick_value(value)
        if parsed is not None and parsed[0] in kinds:
            wanted[parsed[0]].append(parsed[1])
    items: list[PickItem] = []
    for key, ids in wanted.items():
        kind = kinds[key]
        for pk, obj in sorted(kind.load_many(finding.dossier, ids).items()):
            items.append(PickItem(f"{key}:{pk}", kind.label(obj), kind.url(obj)))
    return items
