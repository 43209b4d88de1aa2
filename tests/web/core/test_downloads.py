"""The one download helper: an attachment with its name, no-store, seen by the security log."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from kansenaudit.reporting.tables import Table
from kansenaudit.web.core.downloads import csv_response, download, xlsx_response
from kansenaudit.web.core.security_log import download_format

TABLE = Table("lijst", ["naam"], [["@SUM(A1)"]])


def test_csv_response_is_an_attachment_the_security_log_records():
    response = csv_response(TABLE, file_name="lijst-1.csv", notice="Fictieve demodata")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lijst-1.csv"'
    assert response["Cache-Control"] == "no-store"
    assert download_format(response) == "csv"
    assert response.content.decode("utf-8").split("\r\n")[:3] == [
        "\ufeff# Fictieve demodata",
        "naam",
        "'@SUM(A1)",
    ]


def test_xlsx_response_and_a_file_name_outside_ascii():
    response = xlsx_response([TABLE], file_name="lijst-1.xlsx")
    assert download_format(response) == "xlsx"
    assert load_workbook(io.BytesIO(response.content))["lijst"]["A2"].value == "'@SUM(A1)"
    odd = download(b"x", file_name='café "1".csv', content_type="text/csv; charset=utf-8")
    assert odd["Content-Disposition"].startswith("attachment; filename*=utf-8''caf%C3%A9")
    assert download_format(odd) == "csv"
