"""The history tables (audit log, judgement history, uitvraag status history, report versions) are
append-only in the database itself: every way to rewrite or remove their rows through the
application's own connection is refused and leaves the rows as they were, on SQLite and
PostgreSQL. Dropping the triggers is the one thing the application's role can still do; the audit
log's hash chain detects what happens after (tests/security/test_audit_chain.py)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from kansenaudit.web.core.models import AppendOnlyError, AuditEvent
from kansenaudit.web.judgements.models import JudgementEvent
from kansenaudit.web.judgements.services import judgements_start
from kansenaudit.web.policy.models import Actor, Measure
from kansenaudit.web.reports.models import ReportVersion
from kansenaudit.web.uitvraag.models import StatusChange
from kansenaudit.web.uitvraag.services import request_create

# Each table with a text column that a forger would want to rewrite.
TABLES = {
    "core_auditevent": "summary",
    "judgements_judgementevent": "summary",
    "uitvraag_statuschange": "note",
    "reports_reportversion": "note",
}
BOTH, SQLITE, POSTGRES = ("sqlite", "postgresql"), ("sqlite",), ("postgresql",)

# {t}: table, {c}: column list, {f}: the same columns with the text column forged, {id}: a row.
BYPASSES = {
    "update": (BOTH, "UPDATE {t} SET {col} = 'vervalst'"),
    "update-or-replace": (SQLITE, "UPDATE OR REPLACE {t} SET {col} = 'vervalst'"),
    "delete-row": (BOTH, "DELETE FROM {t} WHERE id = {id}"),
    "delete-all": (BOTH, "DELETE FROM {t}"),  # SQLite's TRUNCATE
    "replace-into": (SQLITE, "REPLACE INTO {t} ({c}) SELECT {f} FROM {t} WHERE id = {id}"),
    "insert-or-replace": (
        SQLITE,
        "INSERT OR REPLACE INTO {t} ({c}) SELECT {f} FROM {t} WHERE id = {id}",
    ),
    "insert-existing-id": (BOTH, "INSERT INTO {t} ({c}) SELECT {f} FROM {t} WHERE id = {id}"),
    "insert-on-conflict-update": (
        BOTH,
        "INSERT INTO {t} ({c}) SELECT {f} FROM {t} WHERE id = {id} "
        "ON CONFLICT (id) DO UPDATE SET {col} = 'vervalst'",
    ),
    "truncate": (POSTGRES, "TRUNCATE {t}"),
    "truncate-cascade": (POSTGRES, "TRUNCATE {t} CASCADE"),
    # All the tables reference the dossier (the status history through its request).
    "truncate-referenced-cascade": (POSTGRES, "TRUNCATE dossiers_dossier CASCADE"),
}
# The triggers' messages, or PostgreSQL's own refusal of a second row with the same key.
REFUSED = r"append-only|duplicate key value"
# A plain TRUNCATE of a table that another table references (report versions: their builds) is
# refused by PostgreSQL itself before any trigger fires; with CASCADE it reaches the trigger, and
# the "truncate-cascade" case proves that the trigger refuses it there.
REFUSED_REFERENCED = REFUSED + r"|cannot truncate a table referenced in a foreign key constraint"


def _cases() -> list:
    return [
        pytest.param(table, statement, id=f"{table}-{name}")
        for name, (engines, statement) in BYPASSES.items()
        if connection.vendor in engines
        for table in TABLES
    ]


@pytest.fixture
def history(team):
    """At least one row in each of the history tables, made through the services."""
    dossier = team["dossier"]
    owner = Actor.objects.create(dossier=dossier, name="Directie Onderwijs", kind="directie")
    measure = Measure.objects.create(dossier=dossier, name="Zomerschool", owner=owner)
    judgements_start(
        dossier=dossier,
        framework_key="effectladder",
        subject=measure,
        criteria=None,
        mode="enkel",
        actor=team["users"]["projectleider"],
    )
    request_create(dossier=dossier, directie_name="Onderwijs", actor=None)
    from kansenaudit.web.reports import services as reports

    report = reports.report_create(
        dossier=dossier, kind="bestuurlijk_rapport", title="Rapport", actor=None
    )
    reports.version_save(report=report, purpose="draft", actor=None, note="concept")
    rows = _rows()
    assert all(rows.values()), rows
    return rows


def _rows() -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        result = {}
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608
            result[table] = cursor.fetchall()
        return result


def _statement(template: str, table: str) -> str:
    column = TABLES[table]
    with connection.cursor() as cursor:
        names = [c.name for c in connection.introspection.get_table_description(cursor, table)]
        cursor.execute(f"SELECT MIN(id) FROM {table}")  # noqa: S608
        first = cursor.fetchone()[0]
    forged = [f"'vervalst' AS {n}" if n == column else n for n in names]
    return template.format(t=table, col=column, c=", ".join(names), f=", ".join(forged), id=first)


@pytest.mark.parametrize(("table", "template"), _cases())
def test_every_bypass_is_refused_and_leaves_the_rows(history, table, template):
    statement = _statement(template, table)
    # Fire the deferred foreign-key checks of the rows just made, or PostgreSQL refuses TRUNCATE
    # for "pending trigger events" and the test would pass for the wrong reason.
    connection.check_constraints()
    pattern = REFUSED_REFERENCED if template == "TRUNCATE {t}" else REFUSED
    refused = pytest.raises(DatabaseError, match=pattern)
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert _rows() == history


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's REPLACE conflict resolution")
def test_every_sqlite_connection_fires_delete_triggers_on_replace(db):
    """Without recursive triggers a REPLACE that removes a conflicting row fires no DELETE
    trigger: every connection the application opens turns them on."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA recursive_triggers")
        assert cursor.fetchone()[0] == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's REPLACE conflict resolution")
def test_replace_on_another_unique_column_is_refused(history):
    """A REPLACE with a new id that collides on the chain's unique previous hash would delete the
    old event; the DELETE trigger (recursive triggers) refuses it."""
    table = "core_auditevent"
    with connection.cursor() as cursor:
        names = [c.name for c in connection.introspection.get_table_description(cursor, table)]
    columns = [n for n in names if n != "id"]
    forged = ", ".join("'vervalst'" if n == "summary" else n for n in columns)
    statement = (
        f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {forged} FROM {table} WHERE id = (SELECT MIN(id) FROM {table})"
    )
    refused = pytest.raises(DatabaseError, match=REFUSED)
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert _rows() == history


def test_appending_is_still_allowed(history):
    """The triggers refuse rewriting, not writing: a new row goes in."""
    from kansenaudit.web.core.services import audit_record

    audit_record(actor=None, action="test.append", summary="nieuw")
    after = _rows()
    assert after["core_auditevent"][: len(history["core_auditevent"])] == history["core_auditevent"]
    assert len(after["core_auditevent"]) == len(history["core_auditevent"]) + 1


# The model of each table and its text column, for the ORM's own ways to rewrite or remove.
MODELS = {
    "core_auditevent": (AuditEvent, "summary"),
    "judgements_judgementevent": (JudgementEvent, "summary"),
    "uitvraag_statuschange": (StatusChange, "note"),
    "reports_reportversion": (ReportVersion, "note"),
}


def _forge_and_save(model, column):
    row = model.objects.order_by("id").first()
    setattr(row, column, "vervalst")
    row.save()


def _save_update_fields(model, column):
    row = model.objects.order_by("id").first()
    setattr(row, column, "vervalst")
    row.save(update_fields=[column])


def _bulk_update(model, column):
    rows = list(model.objects.all())
    for row in rows:
        setattr(row, column, "vervalst")
    model.objects.bulk_update(rows, [column])


ORM_PATHS = {
    "save": _forge_and_save,
    "save-update-fields": _save_update_fields,
    "delete": lambda model, column: model.objects.order_by("id").first().delete(),
    "queryset-update": lambda model, column: model.objects.update(**{column: "vervalst"}),
    "filtered-update": lambda model, column: model.objects.filter(pk__gt=0).update(
        **{column: "vervalst"}
    ),
    "queryset-delete": lambda model, column: model.objects.all().delete(),
    "bulk-update": _bulk_update,
    "update-or-create": lambda model, column: model.objects.update_or_create(
        pk=model.objects.order_by("id").first().pk, defaults={column: "vervalst"}
    ),
}


@pytest.mark.parametrize("path", ORM_PATHS)
@pytest.mark.parametrize("table", MODELS)
def test_every_orm_path_raises_the_one_error(history, table, path):
    """The histories share one model base: every ORM way to rewrite or remove a row
    raises the same AppendOnlyError before any SQL, and the rows stay as they were."""
    model, column = MODELS[table]
    with pytest.raises(AppendOnlyError, match="append-only"), transaction.atomic():
        ORM_PATHS[path](model, column)
    assert _rows() == history
