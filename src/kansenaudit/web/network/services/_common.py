# SPDX-License-Identifier: EUPL-1.2
"""What the network services share: the error, the acting user and the snapshots logged."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.network.models import NetworkMap, Tie

MAX_INFLUENCE = 10
MAX_AMOUNT = Decimal("999999999999.99")


class NetworkError(ServiceError):
    """A change to a network map that is refused; ``str(exc)`` is the sentence to show."""


def _user(actor: object | None) -> Any:
    return (
        actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
    )


def _demo(dossier: Any) -> bool:
    return bool(getattr(dossier, "is_demo", False))


def _map_snapshot(item: NetworkMap) -> dict[str, Any]:
    return {
        "measure": item.measure_id,
        "version": item.version,
        "as_of": item.as_of.isoformat() if item.as_of else None,
        "description": item.description,
    }


def _tie_snapshot(tie: Tie) -> dict[str, Any]:
    return {
        "map": tie.network_map_id,
        "source": tie.source_id,
        "target": tie.target_id,
        "kind": tie.kind,
        "start": tie.start.isoformat() if tie.start else None,
        "end": tie.end.isoformat() if tie.end else None,
        "strength": tie.strength,
        "amount": str(tie.amount) if tie.amount is not None else None,
        "year": tie.year,
        "budget": tie.budget_id,
        "note": tie.note,
    }
