# SPDX-License-Identifier: EUPL-1.2
"""Make the judgement history append-only in the database itself, like the audit log."""

from django.db import migrations

from kansenaudit.web.core.append_only import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("judgements", "0001_initial")]

    operations = [
        append_only_triggers(
            table="judgements_judgementevent",
            name="judgementevent",
            message="judgement history is append-only",
        )
    ]
