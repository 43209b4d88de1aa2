# SPDX-License-Identifier: EUPL-1.2
"""The search index reads compounds written with "/" or "." as hyphenated words.

"havo/vwo-advies" was one token to PostgreSQL's parser (a file path), so "havo", "vwo",
"advies" and "vwo-advies" found nothing; only the exact compound did. Both engines now read
"/" and "." between two letters as a hyphen before parsing (``tokens.as_compounds``), so the
whole and every part are indexed, as for "vwo-advies" (docs/methods/search.md).

This migration is the reindex of the dossiers already stored: PostgreSQL recomputes the
generated column from the same regular expression (the index is rebuilt, RUM where it was),
SQLite rebuilds its FTS5 bodies from the pages. ``kansenaudit evidence search-index`` does the
same later (after a restore, say).
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from kansenaudit.ingest.tokens import COMPOUND_SEPARATOR_PATTERN


def _vector(pattern: str | None) -> str:
    text = "text" if pattern is None else f"regexp_replace(text, '{pattern}', '-', 'g')"
    return f"to_tsvector('dutch'::regconfig, {text})"


def _rebuild_pg(schema_editor: BaseDatabaseSchemaEditor, pattern: str | None) -> None:
    from kansenaudit.web.evidence.search_index_pg import ensure_rum_index, has_rum_index

    connection = schema_editor.connection
    rum = has_rum_index(connection)
    for statement in (
        "DROP INDEX IF EXISTS evidence_page_search_rum",
        "DROP INDEX IF EXISTS evidence_page_search_vector",
        "ALTER TABLE evidence_page DROP COLUMN IF EXISTS search_vector",
        "ALTER TABLE evidence_page ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({_vector(pattern)}) STORED",
        "ALTER TABLE evidence_page ALTER COLUMN search_vector SET STORAGE MAIN",
        "CREATE INDEX evidence_page_search_vector ON evidence_page USING gin (search_vector)",
    ):
        schema_editor.execute(statement)
    if rum:
        ensure_rum_index(connection)


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        assert "'" not in COMPOUND_SEPARATOR_PATTERN  # noqa: S101 (a constant, inlined in SQL)
        _rebuild_pg(schema_editor, COMPOUND_SEPARATOR_PATTERN)
    elif vendor == "sqlite":
        from kansenaudit.web.evidence.search import reindex_all

        reindex_all()


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        _rebuild_pg(schema_editor, None)


class Migration(migrations.Migration):
    atomic = True
    dependencies = [("evidence", "0009_job_worker")]

    operations = [migrations.RunPython(forward, backward)]
