# SPDX-License-Identifier: EUPL-1.2
"""The evidence store's downloads as tables: the citations of a dossier and the term usage."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kansenaudit.reporting.tables import Table

CITATION_COLUMNS = [
    "citaat_id",
    "document_id",
    "document",
    "pagina",
    "start",
    "einde",
    "citaat",
    "notitie",
    "status",
    "door",
    "aangemaakt",
    "sha256_citaat",
]
TERM_COLUMNS = ["term", "jaar", "uitgever", "aantal", "documenten"]


def citations_table(citations: Iterable) -> Table:
    """One row per citation (with its document and author already loaded)."""
    rows = [
        [
            c.pk,
            c.document_id,
            c.document.title,
            c.page_number,
            c.start,
            c.end,
            c.quote,
            c.note,
            c.state,
            c.created_by.get_username() if c.created_by else "",
            c.created_at.isoformat(),
            c.quote_sha256,
        ]
        for c in citations
    ]
    return Table("citaten", CITATION_COLUMNS, rows)


def terms_table(usage: Iterable[Mapping]) -> Table:
    """Occurrences per term, year and issuer, sorted by term, year and issuer."""
    ordered = sorted(usage, key=lambda r: (r["term"], r.get("year") or 0, r.get("issuer") or ""))
    rows = [
        [
            row["term"],
            row.get("year") if row.get("year") is not None else "",
            row.get("issuer") or "",
            int(row["count"]),
            int(row["documents"]),
        ]
        for row in ordered
    ]
    return Table("termgebruik", TERM_COLUMNS, rows)
