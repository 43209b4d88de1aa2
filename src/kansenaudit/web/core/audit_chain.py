# SPDX-License-Identifier: EUPL-1.2
"""The audit log's hash chain: linking a new event (for ``services.audit_record``) and checking
the whole log (``kansenaudit audit verify``, or from Python: :func:`audit_chain_verify`).

What the chain proves. The hashes are plain SHA-256, not keyed: anyone can re-check them, and
no secret has to outlive a key rotation. The chain makes every change to past events that is not
followed by recomputing all later hashes visible as the first broken link: a summary rewritten
with the triggers dropped, an event deleted or re-inserted. Someone with write access to the
database can recompute the chain after a change; that is caught against a head (id and hash)
recorded outside the database earlier: ``audit verify`` prints the head, and
``--expect-head ID:HASH`` fails when the event ID no longer has that hash or is gone. Removing
the newest events leaves a valid, shorter chain: it too shows only against a recorded head.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection

from kansenaudit.web.core.append_only import expected_triggers
from kansenaudit.web.core.audit_hash import GENESIS, HASHED_FIELDS, event_hash
from kansenaudit.web.core.db import read_transaction
from kansenaudit.web.core.models import AuditEvent

TABLE = AuditEvent._meta.db_table
# Key of the PostgreSQL advisory lock that serializes appends (any fixed 64-bit number).
CHAIN_LOCK_KEY = 0x6B61_6E73_6175_6474  # "kansaudt"
_HEAD = re.compile(r"^(\d+):([0-9a-f]{64})$")


@dataclass(frozen=True)
class ChainHead:
    """The newest event: an operator records ``ID:HASH`` elsewhere to check it later."""

    id: int
    hash: str

    def __str__(self) -> str:
        return f"{self.id}:{self.hash}"


@dataclass(frozen=True)
class BrokenLink:
    """The first event whose link does not hold: ``field`` is ``prev_hash`` (the event before
    it was changed or removed, or this one inserted) or ``hash`` (this event was changed)."""

    id: int
    field: str
    expected: str
    found: str

    def __str__(self) -> str:
        what = "hash of the previous event" if self.field == "prev_hash" else "hash"
        return f"event {self.id}: {what} should be {self.expected}, the log has {self.found}"


@dataclass(frozen=True)
class ChainReport:
    """The outcome of :func:`audit_chain_verify`; ``ok`` only when nothing is wrong."""

    events: int
    head: ChainHead | None
    broken: BrokenLink | None = None
    expected_head: ChainHead | None = None
    head_problem: str = ""
    missing_triggers: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken is None and not self.head_problem and not self.missing_triggers

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        data["head"] = str(self.head) if self.head else None
        data["expected_head"] = str(self.expected_head) if self.expected_head else None
        return data


def parse_head(text: str) -> ChainHead:
    """``ID:HASH`` as printed by ``audit verify``; ValueError with the expected form."""
    match = _HEAD.match(text.strip().lower())
    if not match:
        raise ValueError(f"{text!r} is not a head: expected ID:HASH (64 hex digits)")
    return ChainHead(int(match.group(1)), match.group(2))


def event_fields(event: AuditEvent) -> dict[str, Any]:
    """The hashed fields of ``event`` (see ``audit_hash.HASHED_FIELDS``)."""
    return {name: getattr(event, name) for name in HASHED_FIELDS}


def chain_append_position() -> tuple[int, str]:
    """The id and previous hash for a new event, with appends serialized until commit.

    Must run inside the writer's transaction. PostgreSQL: a transaction-level advisory lock,
    taken before the head is read, makes a second writer wait until the first has committed,
    and the id is drawn from the sequence under it, so ids follow the chain. SQLite: the write
    transaction (IMMEDIATE, or a read upgraded to a write) already excludes other writers.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("chain_append_position must run inside the writer's transaction")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        cursor.execute(f"SELECT id, hash FROM {TABLE} ORDER BY id DESC LIMIT 1")  # noqa: S608
        head = cursor.fetchone()
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [TABLE])
            next_id = cursor.fetchone()[0]
        else:
            # AUTOINCREMENT: never reuse an id, even of a row removed around the application.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [TABLE])
            row = cursor.fetchone()
            next_id = max(row[0] if row else 0, head[0] if head else 0) + 1
    return next_id, (head[1] if head else GENESIS)


def missing_triggers() -> list[str]:
    """Append-only triggers that are absent or disabled, as ``table.trigger``."""
    expected = expected_triggers(connection.vendor)
    missing = []
    with connection.cursor() as cursor:
        for table, names in expected.items():
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%s) "
                    "AND NOT tgisinternal AND tgenabled <> 'D'",
                    [table],
                )
            else:
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                    [table],
                )
            present = {row[0] for row in cursor.fetchall()}
            missing += [f"{table}.{name}" for name in names if name not in present]
    return missing


def audit_chain_verify(*, expect_head: ChainHead | None = None) -> ChainReport:
    """Check every event's link in id order and report the first broken one, the head, whether
    ``expect_head`` (recorded earlier) still holds, and which triggers are missing."""
    count, previous, broken, recorded, head = 0, GENESIS, None, None, None
    # One snapshot for the chain and the recorded head, without SQLite's write lock: the whole
    # log is read, and writers must not wait for it (core.db).
    with read_transaction():
        rows = AuditEvent.objects.order_by("id").values_list(*HASHED_FIELDS, "hash")
        for row in rows.iterator(chunk_size=2000):
            fields = dict(zip(HASHED_FIELDS, row[:-1], strict=True))
            stored = row[-1]
            count += 1
            if expect_head is not None and fields["id"] == expect_head.id:
                recorded = stored
            if broken is None:
                if fields["prev_hash"] != previous:
                    broken = BrokenLink(fields["id"], "prev_hash", previous, fields["prev_hash"])
                elif (computed := event_hash(fields)) != stored:
                    broken = BrokenLink(fields["id"], "hash", computed, stored)
            previous = stored
            head = ChainHead(fields["id"], stored)
        problem = ""
        if expect_head is not None:
            if recorded is None:
                problem = f"event {expect_head.id} of the recorded head is not in the log"
            elif recorded != expect_head.hash:
                problem = (
                    f"event {expect_head.id} has hash {recorded}, "
                    f"the recorded head says {expect_head.hash}"
                )
        return ChainReport(
            events=count,
            head=head,
            broken=broken,
            expected_head=expect_head,
            head_problem=problem,
            missing_triggers=missing_triggers(),
        )
