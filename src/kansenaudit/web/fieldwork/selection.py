# SPDX-License-Identifier: EUPL-1.2
"""Profiles of a dossier's measures and the proposed selection for the practice study (§4.2.1).

The method (maximum diversity over domain, directie, target group, budget size, reach and the
effectladder rung of the measure's judgement) lives Django-free in
``kansenaudit.fieldwork.selection``; this module only reads the registers into profiles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kansenaudit.fieldwork.selection import MeasureProfile, propose_selection
from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.judgements.models import Judgement
from kansenaudit.web.policy.models import Measure


class SelectionError(ServiceError):
    """The method cannot make a proposal from these measures."""


@dataclass(frozen=True)
class ProposedMeasure:
    measure_id: int
    name: str
    directie: str
    reasons: list[str]


@dataclass(frozen=True)
class Proposal:
    choices: list[ProposedMeasure]
    covers: dict[str, Any] = field(default_factory=dict)
    misses: dict[str, Any] = field(default_factory=dict)
    profiles: list[MeasureProfile] = field(default_factory=list)


def effect_rungs(dossier: Any) -> dict[int, int]:
    """Measure id → the consensus rung of its effectladder judgement (where there is one)."""
    ct = ContentType.objects.get_for_model(Measure)
    rungs: dict[int, int] = {}
    for object_id, score in Judgement.objects.filter(
        dossier=dossier,
        framework_key="effectladder",
        content_type=ct,
        consensus_score__isnull=False,
    ).values_list("object_id", "consensus_score"):
        if isinstance(score, int):
            rungs[int(object_id)] = max(score, rungs.get(int(object_id), 0))
    return rungs


def measure_profiles(dossier: Any) -> list[MeasureProfile]:
    """One profile per measure of the dossier, from the policy register and the judgements."""
    rungs = effect_rungs(dossier)
    measures = (
        Measure.objects.filter(dossier=dossier)
        .select_related("owner")
        .prefetch_related("target_groups")
        .annotate(budget_total=Sum("budgets__amount"))
    )
    profiles = []
    for m in measures:
        budget = m.budget_total
        profiles.append(
            MeasureProfile(
                key=str(m.pk),
                name=m.name,
                domain=m.domain,
                directie=m.owner.name if m.owner else "",
                target_group=", ".join(sorted(t.name for t in m.target_groups.all())),
                budget=float(budget) if isinstance(budget, (Decimal, int, float)) else None,
                reach=m.reach,
                effect_rung=rungs.get(m.pk),
            )
        )
    return profiles


DIMENSION_LABELS = {
    "domain": gettext_lazy("domain"),
    "directie": gettext_lazy("directie"),
    "target_group": gettext_lazy("target group"),
    "budget_band": gettext_lazy("budget size"),
    "reach_band": gettext_lazy("reach"),
    "effect_rung": gettext_lazy("effectladder rung"),
}
BAND_LABELS = {
    "small": gettext_lazy("small"),
    "medium": gettext_lazy("medium"),
    "large": gettext_lazy("large"),
    "unknown": gettext_lazy("unknown"),
}


def _value_text(dimension: str, value: str) -> str:
    if dimension in ("budget_band", "reach_band") or value == "unknown":
        return str(BAND_LABELS.get(value, value))
    return value


def reason_text(code: str) -> str:
    """The sentence for one of the method's reason codes (``code`` or ``code=value``)."""
    name, _sep, value = code.partition("=")
    if name == "fixed":
        return _("chosen by the team")
    if name == "most_distinct":
        return _("the most distinct measure")
    if name == "max_min_distance":
        return _("distance to the chosen ones %(value)s") % {"value": value.replace(".", ",")}
    if name.startswith("adds_"):
        dimension = name[5:]
        label = DIMENSION_LABELS.get(dimension, dimension)
        return _("adds %(dimension)s: %(value)s") % {
            "dimension": label,
            "value": _value_text(dimension, value),
        }
    return code


def dimension_rows(values: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """``covers`` or ``misses`` as (label, values) rows for a page."""
    return [
        (str(DIMENSION_LABELS.get(k, k)), [_value_text(k, str(v)) for v in vs])
        for k, vs in values.items()
    ]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def proposal_for(
    dossier: Any,
    *,
    n: int = 6,
    fixed: tuple[int, ...] = (),
    excluded: tuple[int, ...] = (),
    only: bool = False,
) -> Proposal:
    """The proposed selection of ``n`` measures; with ``only``, just the ``fixed`` ones."""
    profiles = measure_profiles(dossier)
    if only:
        keep = {str(i) for i in fixed}
        profiles = [p for p in profiles if p.key in keep]
        n = len(profiles)
    by_key = {p.key: p for p in profiles}
    if not profiles:
        return Proposal(choices=[])
    try:
        result = propose_selection(
            profiles,
            n=n,
            fixed=tuple(str(i) for i in fixed if str(i) in by_key),
            excluded=tuple(str(i) for i in excluded),
        )
    except ValueError as exc:
        raise SelectionError(
            gettext_lazy("No selection can be proposed: %(reason)s"), {"reason": str(exc)}
        ) from exc
    choices = [
        ProposedMeasure(
            measure_id=int(c.key),
            name=by_key[c.key].name,
            directie=by_key[c.key].directie,
            reasons=[reason_text(str(r)) for r in c.reasons],
        )
        for c in result.chosen
    ]
    return Proposal(
        choices=choices,
        covers=_jsonable(result.covers),
        misses=_jsonable(result.misses),
        profiles=profiles,
    )
