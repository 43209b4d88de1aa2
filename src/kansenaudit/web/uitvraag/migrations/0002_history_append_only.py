# SPDX-License-Identifier: EUPL-1.2
"""Make the status history of inventory requests append-only in the database itself."""

from django.db import migrations

from kansenaudit.web.core.append_only import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("uitvraag", "0001_initial")]

    operations = [
        append_only_triggers(
            table="uitvraag_statuschange",
            name="uitvraag_statuschange",
            message="status history is append-only",
        )
    ]
