# SPDX-License-Identifier: EUPL-1.2
"""Saved report versions are append-only in the database itself: UPDATE, DELETE, REPLACE and
TRUNCATE are refused, like the audit log (``core.append_only``)."""

from django.db import migrations

from kansenaudit.web.core.append_only import append_only_guards, append_only_triggers

# Literals, not read from core.append_only, so that this migration never changes afterwards.
TABLE, NAME, MESSAGE = "reports_reportversion", "reportversion", "report versions are append-only"


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        append_only_triggers(table=TABLE, name=NAME, message=MESSAGE),
        append_only_guards(table=TABLE, name=NAME, message=MESSAGE),
    ]
