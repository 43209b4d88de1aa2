# SPDX-License-Identifier: EUPL-1.2
"""SQLite: a page's FTS5 row id becomes dossier id × 2³² + page id.

A dossier's pages are then one range of row ids, which FTS5 applies while it walks the index;
before, every search also matched the term of the dossier column on every page of the dossier.
Existing rows get their new row id (FTS5 rewrites an updated row), and the trigger that keeps
the index in step with deleted pages computes the new row id. Nothing changes on PostgreSQL.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SPAN = 2**32  # kansenaudit.web.evidence.search.FTS_ROWID_SPAN, fixed here as of this migration
# The statements hold only that constant, no input (hence the noqa: S608 below).

FORWARD = [
    "DROP TRIGGER IF EXISTS evidence_page_fts_delete",
    f"UPDATE evidence_page_fts SET rowid = dossier_id * {SPAN} + page_id WHERE rowid < {SPAN}",  # noqa: S608
    # Django deletes a document's pages before the document, so its dossier is still there.
    "CREATE TRIGGER evidence_page_fts_delete AFTER DELETE ON evidence_page BEGIN "  # noqa: S608
    "DELETE FROM evidence_page_fts WHERE rowid = "
    f"(SELECT dossier_id FROM evidence_document WHERE id = old.document_id) * {SPAN} + old.id; "
    "END",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS evidence_page_fts_delete",
    f"UPDATE evidence_page_fts SET rowid = page_id WHERE rowid >= {SPAN}",  # noqa: S608
    "CREATE TRIGGER evidence_page_fts_delete AFTER DELETE ON evidence_page "
    "BEGIN DELETE FROM evidence_page_fts WHERE rowid = old.id; END",
]


def _run(schema_editor: BaseDatabaseSchemaEditor, statements: list[str]) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in statements:
            schema_editor.execute(statement)


def forward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, FORWARD)


def backward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0005_import_job_reread")]

    operations = [migrations.RunPython(forward, backward)]
