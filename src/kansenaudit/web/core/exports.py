# SPDX-License-Identifier: EUPL-1.2
"""The audit log of a dossier as a table, for the CSV download."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from kansenaudit.reporting.tables import Table

AUDIT_LOG_COLUMNS = ["tijd", "wie", "actie", "object", "samenvatting", "voor", "na"]


def _json(value: object) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def _rows(events: Iterable) -> Iterator[list[object]]:
    for event in events:
        yield [
            event.occurred_at.isoformat(),
            event.actor_label,
            event.action,
            f"{event.object_type}#{event.object_id}" if event.object_type else "",
            event.summary,
            _json(event.before),
            _json(event.after),
        ]


def audit_log_table(events: Iterable) -> Table:
    """One row per audit event, oldest first as the query gives them; rows are read lazily."""
    return Table("logboek", AUDIT_LOG_COLUMNS, _rows(events))
