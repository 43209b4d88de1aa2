# SPDX-License-Identifier: EUPL-1.2
"""The hash of one audit event, without Django, so anyone can re-check an exported log.

Each event stores the hash of the event before it (``prev_hash``; the first event
:data:`GENESIS`) and its own ``hash``: SHA-256 over a canonical serialization of its fields and
``prev_hash``. Changing, removing or inserting an event therefore breaks the link to the next
one. The serialization must give the same bytes for the values as written and as read back from
either database:

- the time in UTC, ISO 8601 with microseconds (both databases keep microseconds);
- before/after as the JSON the database holds: keys sorted (PostgreSQL's jsonb reorders them),
  a float without fraction written as the integer of its decimal text, as jsonb gives it back
  (the JSON sent to the database is Python's ``repr``; jsonb keeps that decimal exactly and
  prints ``1e23`` as ``100000000000000000000000`` and ``-0.0`` as ``0``). Not the float's exact
  binary value: ``int(1e23)`` is ``99999999999999991611392``. Below 2**53 the two are the same
  integer, so events hashed before this rule keep their hash;
- the whole as compact JSON with sorted keys, UTF-8, no ASCII escapes.

A field added to the audit log later must be hashed only when it is not empty, so that the
events written before keep their hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64

HASHED_FIELDS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_label",
    "dossier_id",
    "action",
    "object_type",
    "object_id",
    "summary",
    "before",
    "after",
    "prev_hash",
)


def _number_normalised(value: Any) -> Any:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("an audit event cannot hold NaN or infinity")
        # The decimal Python writes (and jsonb keeps), not the binary value (see the module).
        return int(Decimal(repr(value))) if value.is_integer() else value
    if isinstance(value, list):
        return [_number_normalised(item) for item in value]
    if isinstance(value, dict):
        return {key: _number_normalised(item) for key, item in value.items()}
    return value


def canonical_json_value(value: Any) -> Any:
    """``value`` as the database gives it back: JSON types only, string keys, integral floats as
    integers. ``None`` stays ``None`` (SQL NULL)."""
    if value is None:
        return None
    # Through JSON once, as the JSONField does: tuples become lists, integer keys strings.
    return _number_normalised(json.loads(json.dumps(value, allow_nan=False)))


def canonical_time(value: dt.datetime) -> str:
    """A time as UTC ISO 8601 with microseconds; a naive time is refused (it is ambiguous)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("an audit event's time must carry its time zone")
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical_event(fields: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed for an event with ``fields`` (see :data:`HASHED_FIELDS`)."""
    missing = [name for name in HASHED_FIELDS if name not in fields]
    if missing:
        raise ValueError(f"audit event lacks {', '.join(missing)}")
    record = {name: fields[name] for name in HASHED_FIELDS}
    record["occurred_at"] = canonical_time(record["occurred_at"])
    record["before"] = canonical_json_value(record["before"])
    record["after"] = canonical_json_value(record["after"])
    return json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def event_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of :func:`canonical_event`."""
    return hashlib.sha256(canonical_event(fields)).hexdigest()
