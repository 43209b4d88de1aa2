"""Make the status history of inventory requests append-only in the database itself.

The model already refuses updates and deletes; these triggers also stop raw SQL and bulk
operations, as for the audit log (core 0002, whose PostgreSQL function is reused).
"""

from django.db import migrations

TABLE = "uitvraag_statuschange"

SQLITE_FORWARD = [
    f"""CREATE TRIGGER uitvraag_statuschange_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'status history is append-only'); END;""",
    f"""CREATE TRIGGER uitvraag_statuschange_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'status history is append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS uitvraag_statuschange_no_update;",
    "DROP TRIGGER IF EXISTS uitvraag_statuschange_no_delete;",
]
POSTGRES_FORWARD = [
    f"""CREATE TRIGGER uitvraag_statuschange_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION kansenaudit_append_only();""",
]
POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS uitvraag_statuschange_append_only ON {TABLE};",
]


def _run(statements_by_vendor: dict[str, list[str]]):  # noqa: ANN202
    def run(apps, schema_editor):  # noqa: ANN001, ANN202
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("uitvraag", "0001_initial"), ("core", "0002_append_only_triggers")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
