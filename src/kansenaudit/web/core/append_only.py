# SPDX-License-Identifier: EUPL-1.2
"""Append-only history tables: the model base that refuses changes through the ORM, and the
database triggers that refuse them for everything else, for migrations to use.

:class:`AppendOnlyModel` (with :class:`AppendOnlyQuerySet`) is the one ORM guard of the audit
log, the judgement history and the uitvraag status history; each refusal raises the one
:class:`AppendOnlyError`.

The audit log (core migration 0002) was first; the judgement history and the uitvraag status
history use :func:`append_only_triggers` so that every append-only table is protected the same
way on SQLite and PostgreSQL: the model refuses updates and deletes, and these triggers refuse
them for raw SQL and bulk operations run through the application as well.

UPDATE and DELETE triggers alone leave three holes, closed by :func:`append_only_guards`:

- SQLite's ``REPLACE INTO`` / ``INSERT OR REPLACE`` deletes the conflicting row without firing
  DELETE triggers unless ``PRAGMA recursive_triggers`` is on (every connection of the application
  turns it on, see ``settings._database``); a BEFORE INSERT trigger refuses a row whose id already
  exists, so a REPLACE on the key is refused even on a connection without the pragma;
- PostgreSQL's ``TRUNCATE`` (also through ``TRUNCATE other_table CASCADE``) fires no row
  triggers; a statement-level BEFORE TRUNCATE trigger refuses it.

What the application's database role can still do is drop or disable the triggers, since it owns
the tables; ``kansenaudit audit verify`` reports missing triggers, and the audit log's hash chain
shows what was changed after.
"""

from __future__ import annotations

import re

from django.db import migrations, models

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")
_MESSAGE = re.compile(r"^[a-z -]{1,80}$")

# One PostgreSQL function for every table; the trigger passes its own message.
_PG_FUNCTION = """CREATE OR REPLACE FUNCTION kansenaudit_refuse_change() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION USING MESSAGE = TG_ARGV[0]; END; $$ LANGUAGE plpgsql;"""


# The append-only tables: table -> (trigger name prefix, message).
APPEND_ONLY_TABLES: dict[str, tuple[str, str]] = {
    "core_auditevent": ("auditevent", "audit log is append-only"),
    "judgements_judgementevent": ("judgementevent", "judgement history is append-only"),
    "uitvraag_statuschange": ("uitvraag_statuschange", "status history is append-only"),
    "reports_reportversion": ("reportversion", "report versions are append-only"),
    "findings_findingevent": ("findingevent", "finding history is append-only"),
    "findings_notaversion": ("notaversion", "frozen versions are append-only"),
    "coding_codeevent": ("codeevent", "codebook history is append-only"),
}


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a row of an append-only history."""


def _refused(model: type[models.Model], doing: str) -> AppendOnlyError:
    return AppendOnlyError(f"{model._meta.label} is append-only: rows cannot be {doing}")


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses the bulk paths that rewrite or remove rows."""

    def update(self, **kwargs: object) -> int:
        raise _refused(self.model, "changed")

    def bulk_update(self, *args: object, **kwargs: object) -> int:
        raise _refused(self.model, "changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise _refused(self.model, "deleted")


class AppendOnlyModel(models.Model):
    """A row that is inserted once and never changed or removed.

    ``save()`` only inserts (an instance read from the database, or saved once, is refused) and
    ``delete()`` is refused; the manager refuses ``update``, ``bulk_update`` and ``delete``. The
    triggers below refuse the same for raw SQL.
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise _refused(type(self), "changed")
        # Never an UPDATE, even when the id is set beforehand (the audit log hashes it).
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise _refused(type(self), "deleted")


def expected_triggers(vendor: str) -> dict[str, list[str]]:
    """The triggers every append-only table must have on ``vendor``, by table."""
    suffixes = {
        "sqlite": ["no_update", "no_delete", "no_reinsert"],
        "postgresql": ["append_only", "no_truncate"],
    }.get(vendor, [])
    return {
        table: [f"{name}_{suffix}" for suffix in suffixes]
        for table, (name, _message) in APPEND_ONLY_TABLES.items()
    }


def _check(table: str, name: str, message: str) -> None:
    if not (_NAME.match(table) and _NAME.match(name) and _MESSAGE.match(message)):
        raise ValueError("table, trigger name or message not allowed in SQL")


def update_delete_statements(*, table: str, name: str, message: str) -> dict[str, list[str]]:
    """SQL per vendor of the triggers that refuse UPDATE and DELETE (the first protection)."""
    _check(table, name, message)
    return {
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


def update_delete_drop_statements(*, table: str, name: str) -> dict[str, list[str]]:
    """SQL per vendor that drops the UPDATE and DELETE triggers (the function stays: other
    tables' triggers use it)."""
    _check(table, name, "x")
    return {
        "sqlite": [
            f"DROP TRIGGER IF EXISTS {name}_no_update;",
            f"DROP TRIGGER IF EXISTS {name}_no_delete;",
        ],
        "postgresql": [f"DROP TRIGGER IF EXISTS {name}_append_only ON {table};"],
    }


def guard_statements(*, table: str, name: str, message: str) -> dict[str, list[str]]:
    """SQL per vendor of the triggers that refuse re-inserting an existing id (SQLite, where
    REPLACE would otherwise rewrite the row) and TRUNCATE (PostgreSQL)."""
    _check(table, name, message)
    return {
        "sqlite": [
            # The names are checked by _check: not injectable.
            f"CREATE TRIGGER {name}_no_reinsert BEFORE INSERT ON {table} "  # noqa: S608
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END;",
        ],
        "postgresql": [
            _PG_FUNCTION,
            f"CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION kansenaudit_refuse_change('{message}');",
        ],
    }


def guard_drop_statements(*, table: str, name: str) -> dict[str, list[str]]:
    """SQL per vendor that drops the triggers of :func:`guard_statements`."""
    _check(table, name, "x")
    return {
        "sqlite": [f"DROP TRIGGER IF EXISTS {name}_no_reinsert;"],
        "postgresql": [f"DROP TRIGGER IF EXISTS {name}_no_truncate ON {table};"],
    }


def run_sql(*statement_sets: dict[str, list[str]]):  # noqa: ANN201
    """A ``RunPython`` function that executes the statements for the connection's vendor."""

    def execute(apps, schema_editor):  # noqa: ANN001, ANN202
        for statements in statement_sets:
            for statement in statements.get(schema_editor.connection.vendor, []):
                schema_editor.execute(statement)

    return execute


def append_only_triggers(*, table: str, name: str, message: str) -> migrations.RunPython:
    """A migration operation that refuses UPDATE and DELETE on ``table`` with ``message``.

    ``name`` prefixes the triggers' names. The values are checked because they become SQL.
    """
    return migrations.RunPython(
        run_sql(update_delete_statements(table=table, name=name, message=message)),
        run_sql(update_delete_drop_statements(table=table, name=name)),
    )


def append_only_guards(*, table: str, name: str, message: str) -> migrations.RunPython:
    """A migration operation that adds :func:`guard_statements` to ``table``."""
    return migrations.RunPython(
        run_sql(guard_statements(table=table, name=name, message=message)),
        run_sql(guard_drop_statements(table=table, name=name)),
    )
