# SPDX-License-Identifier: EUPL-1.2
"""PostgreSQL: a RUM index on the page vectors, where the server has the RUM extension.

RUM (postgrespro/rum, Debian package ``postgresql-NN-rum``) is GIN with the word positions in the
index, so it can hand out the best-ranked pages first (``ORDER BY search_vector <=> query
LIMIT 20``) and check phrases without reading the pages: search at 100,000 pages no longer
ranks every matching page. Without the extension (a managed server, say) nothing happens here
and search keeps ranking through the GIN index of migration 0002; ``kansenaudit evidence
search-index`` adds the RUM index later, once the extension is there. See
docs/methods/search.md and docs/benchmarks.md.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create_rum_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    from kansenaudit.web.evidence.search_index_pg import ensure_rum_index

    ensure_rum_index(schema_editor.connection)


def drop_rum_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS evidence_page_search_rum")


class Migration(migrations.Migration):
    dependencies = [("evidence", "0003_import_job_attempts")]

    operations = [migrations.RunPython(create_rum_index, drop_rum_index)]
