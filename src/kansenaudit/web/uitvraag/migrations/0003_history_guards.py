# SPDX-License-Identifier: EUPL-1.2
"""Close the holes the UPDATE/DELETE triggers of 0002 leave in the status history: SQLite's
REPLACE (an existing id is refused) and PostgreSQL's TRUNCATE (``core.append_only``)."""

from django.db import migrations

from kansenaudit.web.core.append_only import APPEND_ONLY_TABLES, append_only_guards

TABLE = "uitvraag_statuschange"


class Migration(migrations.Migration):
    dependencies = [("uitvraag", "0002_history_append_only")]

    operations = [
        append_only_guards(
            table=TABLE, name=APPEND_ONLY_TABLES[TABLE][0], message=APPEND_ONLY_TABLES[TABLE][1]
        )
    ]
