# SPDX-License-Identifier: EUPL-1.2
"""Link the audit log into a hash chain and close the holes the first triggers left.

Every event gets the hash of the event before it and its own (``core.audit_hash``); the events
already there are hashed in id order. The UPDATE/DELETE triggers of 0002 are in the way of that,
so they are dropped first and created again at the end, together with the new guards: on SQLite a
BEFORE INSERT trigger refusing an existing id (REPLACE), on PostgreSQL a BEFORE TRUNCATE trigger
(``core.append_only``). On SQLite, adding the columns rebuilds the table, which drops its triggers
anyway: they must be created after the last schema change here.
"""

from django.db import migrations, models
from django.utils import timezone

from kansenaudit.web.core.append_only import (
    APPEND_ONLY_TABLES,
    guard_drop_statements,
    guard_statements,
    run_sql,
    update_delete_drop_statements,
    update_delete_statements,
)
from kansenaudit.web.core.audit_hash import GENESIS, HASHED_FIELDS, event_hash

TABLE = "core_auditevent"
NAME, MESSAGE = APPEND_ONLY_TABLES[TABLE]
OLD_TRIGGERS = {  # those of 0002 (PostgreSQL: with its own function, which stays)
    "sqlite": [
        "DROP TRIGGER IF EXISTS auditevent_no_update;",
        "DROP TRIGGER IF EXISTS auditevent_no_delete;",
    ],
    "postgresql": [f"DROP TRIGGER IF EXISTS auditevent_append_only ON {TABLE};"],
}
TRIGGERS = [
    update_delete_statements(table=TABLE, name=NAME, message=MESSAGE),
    guard_statements(table=TABLE, name=NAME, message=MESSAGE),
]
DROP_TRIGGERS = [
    update_delete_drop_statements(table=TABLE, name=NAME),
    guard_drop_statements(table=TABLE, name=NAME),
]


def hash_existing_events(apps, schema_editor):  # noqa: ANN001, ANN201
    """Hash the events already in the log, oldest (lowest id) first."""
    AuditEvent = apps.get_model("core", "AuditEvent")  # noqa: N806
    db = schema_editor.connection.alias
    previous = GENESIS
    fields = [f for f in HASHED_FIELDS if f != "prev_hash"]
    for row in AuditEvent.objects.using(db).order_by("id").values_list(*fields):
        record = dict(zip(fields, row, strict=True), prev_hash=previous)
        digest = event_hash(record)
        AuditEvent.objects.using(db).filter(pk=record["id"]).update(prev_hash=previous, hash=digest)
        previous = digest


class Migration(migrations.Migration):
    dependencies = [("core", "0003_cache_table")]

    operations = [
        migrations.RunPython(run_sql(OLD_TRIGGERS), run_sql(TRIGGERS[0])),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                default="",
                editable=False,
                max_length=64,
                verbose_name="hash of the previous event",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="occurred_at",
            field=models.DateTimeField(
                db_index=True, default=timezone.now, editable=False, verbose_name="time"
            ),
        ),
        migrations.RunPython(hash_existing_events, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("prev_hash",), name="auditevent_one_successor"
            ),
        ),
        migrations.RunPython(run_sql(*TRIGGERS), run_sql(*DROP_TRIGGERS)),
    ]
