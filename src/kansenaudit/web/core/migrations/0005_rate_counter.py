# SPDX-License-Identifier: EUPL-1.2
"""Shared counters for rate limits, incremented atomically (core.ratelimit)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_hash_chain")]

    operations = [
        migrations.CreateModel(
            name="RateCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=200, unique=True)),
                ("count", models.PositiveIntegerField(default=0)),
                ("window_ends", models.DateTimeField(db_index=True)),
            ],
        ),
    ]
