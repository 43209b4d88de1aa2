# SPDX-License-Identifier: EUPL-1.2
"""The full-text search index of the evidence pages, one per database engine.

PostgreSQL: a stored generated column ``search_vector = to_tsvector('dutch', text)`` with a GIN
index; the database keeps both up to date. The column is not in the model on purpose (it exists
on PostgreSQL only); it is stored rather than an expression index because ranking reads every
matching page's vector, and recomputing it from the text made ranking 50 times slower. STORAGE
MAIN keeps the vector in the row (the text goes to TOAST first): another 3× for ranking.

SQLite: the FTS5 table ``evidence_page_fts`` whose ``body`` holds the page text as Dutch lexemes
(kept up to date by :mod:`kansenaudit.web.evidence.search`), filled here from the pages already
stored; its ``dossier_id`` column is indexed so that FTS5 restricts a search to one dossier
itself. A trigger removes a deleted page from it, so a cascade that forgets to unindex leaves no
stems of deleted text behind. See docs/methods/search.md.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

PG_FORWARD = [
    "ALTER TABLE evidence_page ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('dutch'::regconfig, text)) STORED",
    "ALTER TABLE evidence_page ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX evidence_page_search_vector ON evidence_page USING gin (search_vector)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS evidence_page_search_vector",
    "ALTER TABLE evidence_page DROP COLUMN IF EXISTS search_vector",
]
# remove_diacritics 0: PostgreSQL's Dutch stemmer folds only ä ë ï ö ü á é í ó ú (and the body
# is folded already); the tokenchars keep lexemes like 12.000, e-mail, -2025 one token each.
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE evidence_page_fts USING fts5("
    "page_id UNINDEXED, dossier_id, body, "
    "tokenize = \"unicode61 remove_diacritics 0 tokenchars '-./@+'\")",
    "CREATE TRIGGER evidence_page_fts_delete AFTER DELETE ON evidence_page "
    "BEGIN DELETE FROM evidence_page_fts WHERE rowid = old.id; END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS evidence_page_fts_delete",
    "DROP TABLE IF EXISTS evidence_page_fts",
]
INSERT = "INSERT INTO evidence_page_fts (rowid, page_id, dossier_id, body) VALUES (%s, %s, %s, %s)"


def create_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in PG_FORWARD:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        from kansenaudit.web.evidence.search import fts_body

        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
        Page = apps.get_model("evidence", "Page")
        rows = Page.objects.order_by("pk").values_list("pk", "document__dossier_id", "text")
        batch = []
        with schema_editor.connection.cursor() as cursor:
            for pk, dossier_id, text in rows.iterator(chunk_size=1000):
                batch.append((pk, pk, dossier_id, fts_body(text)))
                if len(batch) == 1000:
                    cursor.executemany(INSERT, batch)
                    batch = []
            if batch:
                cursor.executemany(INSERT, batch)


def drop_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    statements = {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
