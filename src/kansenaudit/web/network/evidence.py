# SPDX-License-Identifier: EUPL-1.2
"""The network map's audit checks as evidence a finding can rest on (findings' registry).

A finding cites a map's checks as a whole: the reference is the map's id, its content the
stable ids of the check findings of that map (``net-<map>-<rule>:<keys>``). When the map changes
so that a check fires or stops firing, the finding shows the reference as changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.findings.registry import EvidenceKind


def _maps(dossier: Any, ids: Iterable[int]) -> dict[int, Any]:
    from kansenaudit.web.network.models import NetworkMap

    rows = NetworkMap.objects.filter(dossier=dossier, pk__in=sorted({int(i) for i in ids}))
    return {m.pk: m for m in rows.select_related("measure")}


def _candidates(dossier: Any, words: list[str]) -> Any:
    """The dossier's maps for the findings' evidence picker, matching every word."""
    from kansenaudit.web.findings.registry import matching
    from kansenaudit.web.network.models import NetworkMap

    rows = NetworkMap.objects.filter(dossier=dossier).select_related("measure")
    rows = matching(rows, words, ("measure__name", "version", "description"))
    return rows.order_by("measure__name", "version", "pk")


def _check_ids(network_map: Any) -> list[str]:
    from kansenaudit.web.network.selectors import analysis, finding_id

    return sorted(finding_id(network_map, f) for f in analysis(network_map).findings)


def _label(network_map: Any) -> str:
    ids = _check_ids(network_map)
    rules = sorted({i.split("-", 2)[2].split(":")[0] for i in ids})
    fired = ", ".join(rules) if rules else "geen"
    return f"Netwerkkaart {network_map}: {len(ids)} signalen ({fired})"


CHECK = EvidenceKind(
    key="netwerkcontrole",
    name=_("network map checks"),
    load_many=_maps,
    label=_label,
    url=lambda m: reverse("network:map", args=[m.dossier_id, m.pk]),
    content=lambda m: {"map": m.pk, "version": m.version, "checks": _check_ids(m)},
    candidates=_candidates,
)
