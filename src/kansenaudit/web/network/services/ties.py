# SPDX-License-Identifier: EUPL-1.2
"""Ties of a map and the citations that support them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.network.graph import TIE_KINDS
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.network.models import MapActor, NetworkMap, Tie, TieEvidence
from kansenaudit.web.network.services._common import (
    MAX_AMOUNT,
    NetworkError,
    _tie_snapshot,
    _user,
)
from kansenaudit.web.policy.models import Actor, MeasureBudget

# --- ties -------------------------------------------------------------------------------------


def _check_tie(
    network_map: NetworkMap,
    *,
    source: Actor,
    target: Actor,
    kind: str,
    start: dt.date | None,
    end: dt.date | None,
    strength: int | None,
    amount: Decimal | None,
    year: int | None,
    budget: MeasureBudget | None,
) -> None:
    for item in (source, target):
        if item.dossier_id != network_map.dossier_id:
            raise NetworkError(_("%(actor)s is an actor of another dossier."), {"actor": item.name})
    if source.pk == target.pk:
        raise NetworkError(_("A tie must run between two different actors."))
    if kind not in TIE_KINDS:
        raise NetworkError(_("Unknown type of tie: %(kind)s."), {"kind": kind})
    if start and end and end < start:
        raise NetworkError(_("The period ends before it starts."))
    if strength is not None and not 1 <= strength <= 5:
        raise NetworkError(_("Strength is a whole number from 1 to 5."))
    if amount is not None:
        if kind != "money":
            raise NetworkError(_("Only a money tie has an amount."))
        if amount < 0:
            raise NetworkError(_("An amount cannot be negative."))
        if amount > MAX_AMOUNT:
            raise NetworkError(_("The amount is too large."))
    if year is not None and not 1900 <= year <= 2100:
        raise NetworkError(_("The year must lie between 1900 and 2100."))
    if budget is not None:
        if kind != "money":
            raise NetworkError(_("Only a money tie refers to a budget line."))
        if budget.measure.dossier_id != network_map.dossier_id or (
            network_map.measure_id and budget.measure_id != network_map.measure_id
        ):
            raise NetworkError(_("The budget line belongs to another measure."))
        if year is not None and budget.year != year:
            raise NetworkError(_("The budget line is of another year than the tie."))


def tie_add(
    *,
    network_map: NetworkMap,
    source: Actor,
    target: Actor,
    kind: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    strength: int | None = None,
    amount: Decimal | None = None,
    year: int | None = None,
    budget: MeasureBudget | None = None,
    note: str = "",
    citations: list[Any] = (),  # type: ignore[assignment]
    actor: object | None,
    actor_label: str | None = None,
) -> Tie:
    """Add a tie; its actors are put on the map when they are not on it yet."""
    _check_tie(
        network_map,
        source=source,
        target=target,
        kind=kind,
        start=start,
        end=end,
        strength=strength,
        amount=amount,
        year=year,
        budget=budget,
    )
    if budget is not None and year is None:
        year = budget.year
    for citation in citations:
        _check_citation(network_map, citation)
    with transaction.atomic():
        for item in (source, target):
            MapActor.objects.get_or_create(network_map=network_map, actor=item)
        tie = Tie.objects.create(
            network_map=network_map,
            source=source,
            target=target,
            kind=kind,
            start=start,
            end=end,
            strength=strength,
            amount=amount,
            year=year,
            budget=budget,
            note=note.strip(),
            created_by=_user(actor),
        )
        TieEvidence.objects.bulk_create(
            [
                TieEvidence(tie=tie, citation=c, created_by=_user(actor))
                for c in dict.fromkeys(citations)
            ]
        )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="network.tie_add",
            dossier=network_map.dossier,
            target=tie,
            summary=f"Relatie toegevoegd op {network_map}: {source.name} → {target.name} ({kind})",
            after={**_tie_snapshot(tie), "evidence": [c.pk for c in citations]},
        )
    return tie


def tie_remove(*, tie: Tie, actor: object | None, actor_label: str | None = None) -> None:
    network_map = tie.network_map
    before = {
        **_tie_snapshot(tie),
        "evidence": list(tie.evidence.values_list("citation_id", flat=True)),
    }
    with transaction.atomic():
        pk = tie.pk
        tie.delete()
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="network.tie_remove",
            dossier=network_map.dossier,
            target=None,
            target_pk=pk,
            summary=f"Relatie verwijderd van {network_map}",
            before=before,
        )


def _check_citation(network_map: NetworkMap, citation: Any) -> None:
    from kansenaudit.web.evidence.selectors import citation_is_held

    if citation.dossier_id != network_map.dossier_id:
        raise NetworkError(_("The citation belongs to another dossier."))
    if citation_is_held(citation):
        raise NetworkError(
            _("This citation is held for a blind assessment and cannot be used yet.")
        )


def tie_evidence_add(
    *,
    tie: Tie,
    citation: Any,
    note: str = "",
    actor: object | None,
    actor_label: str | None = None,
) -> TieEvidence:
    """Let a citation of the evidence store support a tie."""
    _check_citation(tie.network_map, citation)
    if TieEvidence.objects.filter(tie=tie, citation=citation).exists():
        raise NetworkError(_("This citation already supports the tie."))
    with transaction.atomic():
        item = TieEvidence.objects.create(
            tie=tie, citation=citation, note=note.strip()[:500], created_by=_user(actor)
        )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="network.tie_evidence_add",
            dossier=tie.network_map.dossier,
            target=item,
            summary=f"Bewijs bij relatie {tie}: {citation}",
            after={"tie": tie.pk, "citation": citation.pk, "note": item.note},
        )
    return item


def tie_update(
    *,
    tie: Tie,
    source: Actor,
    target: Actor,
    kind: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    strength: int | None = None,
    amount: Decimal | None = None,
    year: int | None = None,
    budget: MeasureBudget | None = None,
    note: str = "",
    actor: object | None,
    actor_label: str | None = None,
) -> Tie:
    """Change a tie's ends, type, period, strength, amount, budget line or note (its evidence
    is added separately). The same checks as :func:`tie_add`; the log holds the fields before
    and after, so a save that changes nothing logs no difference."""
    network_map = tie.network_map
    _check_tie(
        network_map,
        source=source,
        target=target,
        kind=kind,
        start=start,
        end=end,
        strength=strength,
        amount=amount,
        year=year,
        budget=budget,
    )
    if budget is not None and year is None:
        year = budget.year
    if amount is not None:  # as stored, so an unchanged amount compares equal in the log
        amount = amount.quantize(Decimal("0.01"))
    before = _tie_snapshot(tie)
    tie.source, tie.target, tie.kind = source, target, kind
    tie.start, tie.end, tie.strength = start, end, strength
    tie.amount, tie.year, tie.budget = amount, year, budget
    tie.note = note.strip()
    after = _tie_snapshot(tie)
    changed = sorted(k for k in after if after[k] != before[k])
    with transaction.atomic():
        for item in (source, target):
            MapActor.objects.get_or_create(network_map=network_map, actor=item)
        tie.save()
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="network.tie_update",
            dossier=network_map.dossier,
            target=tie,
            summary=f"Relatie gewijzigd op {network_map}: {source.name} → {target.name} ({kind})",
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return tie
