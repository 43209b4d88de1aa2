"""Database triggers that make a history table append-only, for migrations to use.

The audit log (core migration 0002) was first; the judgement history and the uitvraag status
history use :func:`append_only_triggers` so that every append-only table is protected the same
way on SQLite and PostgreSQL: the model refuses updates and deletes, and these triggers refuse
them for raw SQL and bulk operations run through the application as well.
"""

from __future__ import annotations

import re

from django.db import migrations

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")
_MESSAGE = re.compile(r"^[a-z -]{1,80}$")

# One PostgreSQL function for every table; the trigger passes its own message.
_PG_FUNCTION = """CREATE OR REPLACE FUNCTION kansenaudit_refuse_change() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION USING MESSAGE = TG_ARGV[0]; END; $$ LANGUAGE plpgsql;"""


def append_only_triggers(*, table: str, name: str, message: str) -> migrations.RunPython:
    """A migration operation that refuses UPDATE and DELETE on ``table`` with ``message``.

    ``name`` prefixes the triggers' names. The values are checked because they become SQL.
    """
    if not (_NAME.match(table) and _NAME.match(name) and _MESSAGE.match(message)):
        raise ValueError("table, trigger name or message not allowed in SQL")
    forward = {
        "sqlite": [
            f"CREATE TRIGGER {name}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END;",
            f"CREATE TRIGGER {name}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END;",
        ],
        "postgresql": [
            _PG_FUNCTION,
            f"CREATE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION kansenaudit_refuse_change('{message}');",
        ],
    }
    backward = {
        "sqlite": [
            f"DROP TRIGGER IF EXISTS {name}_no_update;",
            f"DROP TRIGGER IF EXISTS {name}_no_delete;",
        ],
        # The function stays: other tables' triggers use it.
        "postgresql": [f"DROP TRIGGER IF EXISTS {name}_append_only ON {table};"],
    }

    def run(statements: dict[str, list[str]]):  # noqa: ANN202
        def execute(apps, schema_editor):  # noqa: ANN001, ANN202
            for statement in statements.get(schema_editor.connection.vendor, []):
                schema_editor.execute(statement)

        return execute

    return migrations.RunPython(run(forward), run(backward))
