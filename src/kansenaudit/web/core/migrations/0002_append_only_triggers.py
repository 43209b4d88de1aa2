# SPDX-License-Identifier: EUPL-1.2
"""Make the audit log append-only in the database itself.

The model already refuses updates and deletes; these triggers also stop raw SQL and bulk
operations run through the application. They are created for SQLite and PostgreSQL.
"""

from django.db import migrations

TABLE = "core_auditevent"

SQLITE_FORWARD = [
    f"""CREATE TRIGGER auditevent_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
    f"""CREATE TRIGGER auditevent_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS auditevent_no_update;",
    "DROP TRIGGER IF EXISTS auditevent_no_delete;",
]
POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION kansenaudit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER auditevent_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION kansenaudit_append_only();""",
]
POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS auditevent_append_only ON {TABLE};",
    "DROP FUNCTION IF EXISTS kansenaudit_append_only();",
]


def _run(statements_by_vendor: dict[str, list[str]]):  # noqa: ANN202
    def run(apps, schema_editor):  # noqa: ANN001, ANN202
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
