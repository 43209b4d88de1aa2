# SPDX-License-Identifier: EUPL-1.2
"""The uitvraag register of a dossier as tables: requests, status history, received files.

Written as CSV (one table) or XLSX (three sheets) by :mod:`kansenaudit.reporting.tables`, which
guards every text cell against spreadsheet formulas: a directorate called ``+Directie`` or a
note starting with ``@`` arrives as text in both formats.
"""

from __future__ import annotations

from typing import Any

from kansenaudit.reporting.tables import Table
from kansenaudit.web.dossiers.selectors import DEMO_NOTICE
from kansenaudit.web.uitvraag import selectors

TABLES = {
    "aanvragen": (selectors.REQUEST_COLUMNS, selectors.export_requests),
    "historie": (selectors.HISTORY_COLUMNS, selectors.export_history),
    "bestanden": (selectors.FILE_COLUMNS, selectors.export_files),
}


def export_table(dossier: Any, name: str) -> Table:
    """One of :data:`TABLES`; the sheet is named after it (``Aanvragen``)."""
    columns, rows = TABLES[name]
    return Table(name.capitalize(), columns, [[row[c] for c in columns] for row in rows(dossier)])


def export_tables(dossier: Any) -> list[Table]:
    return [export_table(dossier, name) for name in TABLES]


def notice(dossier: Any) -> str | None:
    """The demo notice when the dossier or any of its requests is fictional."""
    demo = bool(dossier.is_demo) or any(r.is_demo for r in selectors.requests_for_dossier(dossier))
    return DEMO_NOTICE if demo else None
