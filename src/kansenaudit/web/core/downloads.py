# SPDX-License-Identifier: EUPL-1.2
"""The one way a view hands over a file: a table as CSV or XLSX, or bytes it already has.

Every export response gets ``Content-Disposition: attachment`` with its file name (the
security-log middleware records each download by that header and the content type, see
:mod:`kansenaudit.web.core.security_log`) and ``Cache-Control: no-store``, because exports hold
a dossier's data and must not stay in a shared cache. The tables themselves are written by
:mod:`kansenaudit.reporting.tables`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from kansenaudit.reporting.tables import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, Table, csv_text
from kansenaudit.reporting.tables import xlsx_bytes as tables_xlsx_bytes

__all__ = ["CSV_CONTENT_TYPE", "XLSX_CONTENT_TYPE", "csv_response", "download", "xlsx_response"]


def download(content: bytes | str, *, file_name: str, content_type: str) -> HttpResponse:
    """``content`` as an attachment named ``file_name``."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    response["Cache-Control"] = "no-store"
    return response


def csv_response(table: Table, *, file_name: str, notice: str | None = None) -> HttpResponse:
    """``table`` as a CSV download (the demo ``notice`` first when the data is fictional)."""
    return download(
        csv_text(table, notice=notice), file_name=file_name, content_type=CSV_CONTENT_TYPE
    )


def xlsx_response(
    tables: Sequence[Table], *, file_name: str, notice: str | None = None
) -> HttpResponse:
    """``tables`` as an XLSX download, one sheet each."""
    return download(
        tables_xlsx_bytes(tables, notice=notice),
        file_name=file_name,
        content_type=XLSX_CONTENT_TYPE,
    )
