# SPDX-License-Identifier: EUPL-1.2
"""Make the finding history and the frozen versions of the nota append-only in the database
itself, like the audit log and the judgement history (``core.append_only``)."""

from django.db import migrations

from kansenaudit.web.core.append_only import (
    APPEND_ONLY_TABLES,
    append_only_guards,
    append_only_triggers,
)

TABLES = ("findings_findingevent", "findings_notaversion")


class Migration(migrations.Migration):
    dependencies = [("findings", "0001_initial")]

    operations = [
        operation(
            table=table, name=APPEND_ONLY_TABLES[table][0], message=APPEND_ONLY_TABLES[table][1]
        )
        for table in TABLES
        for operation in (append_only_triggers, append_only_guards)
    ]
