# SPDX-License-Identifier: EUPL-1.2
"""The tables the findings app exports (web pages and CLI alike), written by
:mod:`kansenaudit.reporting.tables`: the normenkader, the full trace and the follow-up."""

from __future__ import annotations

from typing import Any

from kansenaudit.reporting import tables as writer
from kansenaudit.reporting.tables import Table
from kansenaudit.web.dossiers.selectors import DEMO_NOTICE
from kansenaudit.web.findings import selectors


def norm_table(dossier: Any) -> Table:
    return Table("normenkader", selectors.NORM_COLUMNS, selectors.norm_rows(dossier))


def trace_table(dossier: Any) -> Table:
    return Table("keten", selectors.TRACE_COLUMNS, selectors.trace_rows(dossier))


def follow_table(recs: list[Any]) -> Table:
    return Table("opvolging", selectors.FOLLOW_COLUMNS, selectors.follow_up_rows(recs))


def notice(dossier: Any) -> str | None:
    return DEMO_NOTICE if dossier.is_demo else None


def workbook(dossier: Any) -> bytes:
    """The full trace and the normenkader in one workbook."""
    return writer.xlsx_bytes([trace_table(dossier), norm_table(dossier)], notice=notice(dossier))


def csv_text(table: Table, dossier: Any) -> str:
    return writer.csv_text(table, notice=notice(dossier))
