"""The audit log's hash chain: an untouched log verifies; every change made around the
application (triggers dropped, a summary rewritten, an event deleted or re-inserted) is named as
the first broken link by ``kansenaudit audit verify``; a recomputed chain fails against a head
recorded earlier; concurrent writers keep one chain, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.db import connection, connections, transaction

from kansenaudit.cli.main import cli
from kansenaudit.web.core.append_only import (
    APPEND_ONLY_TABLES,
    guard_drop_statements,
    update_delete_drop_statements,
)
from kansenaudit.web.core.audit_chain import ChainHead, audit_chain_verify, event_fields
from kansenaudit.web.core.audit_hash import GENESIS, HASHED_FIELDS, event_hash
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.core.services import audit_record

TABLE = "core_auditevent"
WRITERS, EVENTS_PER_WRITER = 3, 15


def _sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _drop_triggers() -> None:
    """What the application's role can do, since it owns the table. Inside the test's
    transaction, so the triggers are back for the next test (DDL is transactional on both)."""
    name = APPEND_ONLY_TABLES[TABLE][0]
    for statements in (
        update_delete_drop_statements(table=TABLE, name=name),
        guard_drop_statements(table=TABLE, name=name),
    ):
        for statement in statements[connection.vendor]:
            _sql(statement)


@pytest.fixture
def log(team):
    """A log of a few events (the team fixture's) plus three more; returns the events by id."""
    for n in range(3):
        audit_record(actor=None, action="test.event", dossier=team["dossier"], summary=f"nr {n}")
    events = list(AuditEvent.objects.order_by("id"))
    assert len(events) >= 6
    return events


def _verify(*args: str):
    result = CliRunner().invoke(cli, ["audit", "verify", "--json", *args], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)  # --json: only JSON on stdout


def test_an_untouched_log_verifies(log):
    report = audit_chain_verify()
    assert report.ok, report
    assert report.events == len(log)
    assert report.head == ChainHead(log[-1].id, log[-1].hash)
    assert log[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(log))
    code, data = _verify("--expect-head", str(report.head))
    assert code == 0
    assert data["ok"] is True
    assert data["head"] == f"{log[-1].id}:{log[-1].hash}"


def test_the_hash_survives_the_round_trip_through_the_database(db):
    """PostgreSQL's jsonb reorders keys and rewrites numbers; times keep microseconds."""
    value = {
        "z": 1,
        "a": {"y": [1e20, -0.0, 0.1, 1.5e-7, 2.0], "x": (1, "twee")},
        3: "sleutel als getal",
        "é": "ü\u00a0€",
    }
    written = audit_record(actor=None, action="test.json", before=value, after={"b": None})
    read = AuditEvent.objects.get(pk=written.pk)
    assert read.hash == written.hash == event_hash(event_fields(read))
    assert read.occurred_at == written.occurred_at
    assert audit_chain_verify().ok


# Numbers at the edges of what JSON and the databases hold: a whole float of 2**53 or more is not
# the integer its repr shows (1e23 is 99999999999999991611392 in binary), and PostgreSQL's jsonb
# gives back the decimal as written; the smallest and largest floats, negative zero and big
# integers; and the same inside lists and objects.
EXTREME_NUMBERS = [
    1e23,
    -1e23,
    1e308,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    2.0**53 + 2,
    9007199254740993.0,
    2**64 + 1,
    -(10**40),
    -0.0,
    0.1,
    1e-7,
    5e-324,
    2.2250738585072014e-308,
    123456789.125,
    [1e22, 1e23, [1e300, -0.0, {"x": 1e25}]],
    {"diep": {"nog dieper": [3e40, 0.3, 7.0]}},
]


@pytest.mark.parametrize("value", EXTREME_NUMBERS, ids=repr)
def test_extreme_numbers_keep_their_hash_through_the_database(db, value):
    """The hash computed from the value as written equals the one computed from what the
    database gives back, so ``audit verify`` does not report tampering that never happened."""
    written = audit_record(
        actor=None, action="test.number", before={"waarde": value}, after={"value": value}
    )
    read = AuditEvent.objects.get(pk=written.pk)
    assert event_hash(event_fields(read)) == written.hash == read.hash
    report = audit_chain_verify()
    assert report.broken is None, report
    _code, data = _verify()
    assert data["broken"] is None, data


def test_numbers_below_two_to_the_53_keep_their_canonical_form():
    """Events hashed before the fix (and by the migration that chained the existing log) still
    verify: a whole float below 2**53 is written as that integer, as it always was."""
    from kansenaudit.web.core.audit_hash import canonical_json_value

    values = [0.0, -0.0, 1.0, 1e15, 2.0**53 - 1, -(2.0**53 - 1), 1e16 - 2, 12345.0]
    assert canonical_json_value({"v": values}) == {"v": [int(v) for v in values]}
    assert canonical_json_value([0.1, 1.5, 1e-7]) == [0.1, 1.5, 1e-7]


def test_dropping_the_triggers_is_possible_and_reported(log):
    _drop_triggers()
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken is None  # nothing changed yet: the chain itself holds
    assert sorted(report.missing_triggers) == sorted(
        f"{TABLE}.{APPEND_ONLY_TABLES[TABLE][0]}_{suffix}"
        for suffix in (
            ("no_update", "no_delete", "no_reinsert")
            if connection.vendor == "sqlite"
            else ("append_only", "no_truncate")
        )
    )
    code, data = _verify()
    assert code == 1
    assert data["missing_triggers"] == report.missing_triggers


def _rewrite(events):
    _sql(f"UPDATE {TABLE} SET summary = 'vervalst' WHERE id = %s", [events[2].id])  # noqa: S608
    return events[2].id, "hash"


def _delete_middle(events):
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [events[2].id])  # noqa: S608
    return events[3].id, "prev_hash"


def _reinsert(events):
    """Delete an event and insert it again under its own id and hashes, with another summary."""
    victim = events[2]
    columns = ["id", *[f for f in HASHED_FIELDS if f != "id"], "hash"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {TABLE} WHERE id = %s",  # noqa: S608
            [victim.id],
        )
        row = dict(zip(columns, cursor.fetchone(), strict=True))
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [victim.id])  # noqa: S608
        row["summary"] = "vervalst"
        cursor.execute(
            f"INSERT INTO {TABLE} ({', '.join(columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            [row[c] for c in columns],
        )
    return victim.id, "hash"


def _append_forged(events):
    """A new event added by raw SQL with a made-up link."""
    _sql(
        f"INSERT INTO {TABLE} (occurred_at, actor_label, action, object_type, object_id, "  # noqa: S608
        "summary, prev_hash, hash) VALUES (%s, 'x', 'x', '', '', 'ingevoegd', %s, %s)",
        [events[-1].occurred_at, "1" * 64, "2" * 64],
    )
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True)[0], "prev_hash"


@pytest.mark.parametrize("tamper", [_rewrite, _delete_middle, _reinsert, _append_forged])
def test_verify_names_the_first_broken_link(log, tamper):
    _drop_triggers()
    broken_id, field = tamper(log)
    report = audit_chain_verify()
    assert not report.ok
    assert (report.broken.id, report.broken.field) == (broken_id, field)
    assert report.broken.expected != report.broken.found
    if tamper is _delete_middle:  # the link points at the removed event
        assert (report.broken.expected, report.broken.found) == (log[1].hash, log[2].hash)
    code, data = _verify()
    assert code == 1
    assert data["broken"]["id"] == broken_id
    text = CliRunner().invoke(cli, ["audit", "verify"], catch_exceptions=False)
    assert text.exit_code == 1
    assert f"event {broken_id}" in text.stdout


def test_a_recomputed_chain_fails_the_recorded_head(log):
    recorded = audit_chain_verify().head
    _drop_triggers()
    _rewrite(log)
    previous = log[1].hash
    for event in AuditEvent.objects.order_by("id")[2:]:
        fields = event_fields(event) | {"prev_hash": previous}
        previous = event_hash(fields)
        _sql(
            f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
            [fields["prev_hash"], previous, event.id],
        )
    assert audit_chain_verify().broken is None  # the chain alone cannot tell
    report = audit_chain_verify(expect_head=recorded)
    assert report.head_problem.startswith(f"event {recorded.id} has hash ")
    assert not report.ok
    code, data = _verify("--expect-head", str(recorded))
    assert code == 1
    assert data["head_problem"] == report.head_problem


def test_removing_the_newest_events_fails_the_recorded_head(log):
    recorded = audit_chain_verify().head
    _drop_triggers()
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [recorded.id])  # noqa: S608
    report = audit_chain_verify(expect_head=recorded)
    assert report.broken is None
    assert report.head_problem == f"event {recorded.id} of the recorded head is not in the log"


def test_a_bad_expected_head_is_a_usage_error(db):
    result = CliRunner().invoke(cli, ["audit", "verify", "--expect-head", "12:abc"])
    assert result.exit_code == 2
    assert "ID:HASH" in result.output
    assert "Traceback" not in result.output


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's advisory lock")
def test_postgres_append_holds_the_chain_lock_until_commit(db):
    """A second writer waits for the first to commit before it reads the head."""
    audit_record(actor=None, action="test.lock")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
            "AND pid = pg_backend_pid() AND granted"
        )
        assert cursor.fetchone()[0] == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serializes its writers")
@pytest.mark.django_db(transaction=True)
def test_postgres_concurrent_writers_keep_one_chain():
    """Writers on their own connections, started together, each committing its events: the
    advisory lock keeps one chain (without it two would read the same head, and the unique
    previous hash would refuse one of them)."""
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait(timeout=60)
            for i in range(EVENTS_PER_WRITER):
                audit_record(actor=None, action="test.parallel", summary=f"{n} {i}")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    report = audit_chain_verify()
    assert report.ok, report
    assert report.events == WRITERS * EVENTS_PER_WRITER


# --- A real database, real processes ------------------------------------------------------


def _fresh_database(tmp_path: Path) -> tuple[dict, object, object]:
    """Environment for processes with their own database, a DB-API connect function for it,
    and a function that removes it."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KANSENAUDIT_") and k not in ("DJANGO_SETTINGS_MODULE",)
    }
    env.update(
        {
            "KANSENAUDIT_DATA_DIR": str(tmp_path / "data"),
            "KANSENAUDIT_SECRET_KEY": "chain-test-" + "k3y" * 20,
        }
    )
    if connection.vendor == "postgresql":
        import psycopg

        # DATABASE_URL's own database need not exist; like Django when it creates the test
        # database, connect to the server's maintenance database.
        server = env["DATABASE_URL"].rpartition("/")[0]
        base = f"{server}/postgres"
        name = f"kansenaudit_chain_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{server}/{name}"

        def drop() -> None:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return env, (lambda: psycopg.connect(env["DATABASE_URL"])), drop
    env.pop("DATABASE_URL", None)
    path = tmp_path / "data" / "kansenaudit.sqlite3"
    return env, (lambda: sqlite3.connect(path)), (lambda: None)


WRITER = (
    "import sys\n"
    "from kansenaudit.cli.runtime import setup_django\n"
    "setup_django()\n"
    "from kansenaudit.web.core.services import audit_record\n"
    "for i in range(15):\n"
    "    audit_record(actor=None, action='test.parallel', summary=f'{sys.argv[1]} {i}')\n"
)


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="a fresh PostgreSQL database costs some 40 s of migrations; the test above runs "
    "concurrent writers on PostgreSQL",
)
def test_real_processes_migrate_write_concurrently_and_verify(tmp_path: Path):
    """Events written before the chain existed are hashed by the migration; three processes
    writing at once keep one chain; the CLI as a real process names a tampered event."""
    env, connect, drop = _fresh_database(tmp_path)
    exe = [sys.executable, "-m", "kansenaudit.cli"]

    def call(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*exe, *args], env=env, capture_output=True, text=True, timeout=300, check=False
        )

    try:
        # Only as far as the log before the chain (and what it needs), then events in it.
        assert call("manage", "migrate", "core", "0003").returncode == 0
        pg = connection.vendor == "postgresql"
        when = "'2025-01-02 03:04:05.123456+00'" if pg else "'2025-01-02 03:04:05.123456'"
        with connect() as db:
            for n in range(3):
                db.execute(
                    "INSERT INTO core_auditevent (occurred_at, actor_label, action, object_type,"  # noqa: S608
                    " object_id, summary, before, after) VALUES "
                    f"({when}, 'cli:oud', 'old.event', '', '', 'oud {n}', "
                    """'{"b": 1, "a": [1.0, 2.5, 1e20]}', NULL)"""
                )
            db.commit()
        migrated = call("migrate")
        assert migrated.returncode == 0, migrated.stderr
        writers = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER, str(w)], env=env, stderr=subprocess.PIPE
            )
            for w in range(3)
        ]
        for writer in writers:
            _out, err = writer.communicate(timeout=300)
            assert writer.returncode == 0, err.decode()
        verified = call("audit", "verify", "--json")
        assert verified.returncode == 0, verified.stdout + verified.stderr
        report = json.loads(verified.stdout)
        assert report["events"] == 3 + 3 * 15
        with connect() as db:
            db.execute(
                "DROP TRIGGER auditevent_append_only ON core_auditevent"
                if pg
                else "DROP TRIGGER auditevent_no_update"
            )
            db.execute("UPDATE core_auditevent SET summary = 'vervalst' WHERE id = 2")
            db.commit()
        tampered = call("audit", "verify")
        assert tampered.returncode == 1
        assert "event 2: hash should be" in tampered.stdout
        assert "Traceback" not in tampered.stderr
    finally:
        drop()


@pytest.mark.django_db(transaction=True)
def test_verify_reads_without_holding_the_write_lock(monkeypatch):
    """``audit verify`` reads the whole log, which may take minutes: meanwhile another
    connection writes at once. On SQLite a transaction that begins IMMEDIATE would hold the
    write lock from its start; the other connection does not wait for it here (no busy
    timeout), so it would fail instead."""
    from kansenaudit.web.core import audit_chain

    outcome: list[object] = []

    def write_on_another_connection() -> None:
        try:
            other = connections["default"]  # a thread has a connection of its own
            other.ensure_connection()
            with other.cursor() as cursor:
                if other.vendor == "sqlite":
                    cursor.execute("PRAGMA busy_timeout = 0")
                else:
                    cursor.execute("SET lock_timeout = '1ms'")
            with transaction.atomic(), other.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO kansenaudit_cache (cache_key, value, expires) VALUES (%s, %s, %s)",
                    ["verify-test", "x", "2999-01-01 00:00:00+00:00"],
                )
            outcome.append("written")
        except Exception as exc:  # reported below
            outcome.append(exc)
        finally:
            connections.close_all()

    original = audit_chain.missing_triggers

    def during_verify() -> list[str]:
        assert connection.in_atomic_block  # still inside verify's read transaction
        writer = threading.Thread(target=write_on_another_connection)
        writer.start()
        writer.join(timeout=60)
        return original()

    monkeypatch.setattr(audit_chain, "missing_triggers", during_verify)
    report = audit_chain.audit_chain_verify()
    assert outcome == ["written"]
    assert report.broken is None
