# SPDX-License-Identifier: EUPL-1.2
"""The database cache table (settings.CACHES): shared counters such as rate limits.

``createcachetable`` is idempotent and creates the table for the configured database cache, so
that ``kansenaudit migrate`` is the one step a deployment needs.
"""

from django.apps.registry import Apps
from django.core.management import call_command
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def create_cache_table(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from django.conf import settings

    table = schema_editor.connection.ops.quote_name(settings.CACHE_TABLE)
    schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_append_only_triggers")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
