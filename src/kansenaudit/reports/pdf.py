# SPDX-License-Identifier: EUPL-1.2
"""The report as an accessible PDF: WeasyPrint's PDF/UA-1 output of the print HTML.

PDF/UA makes WeasyPrint write a tagged PDF (a structure tree with headings, paragraphs, lists,
tables and figures in reading order), the document language from ``<html lang>``, the title
from ``<title>`` shown as the window title, and each figure's alternative text from its
``alt``. Nothing is fetched while rendering: figures are inline data, and any other URL is
refused.
"""

from __future__ import annotations

from kansenaudit.reports.document import Report
from kansenaudit.reports.html import render_html


def render_pdf(report: Report) -> bytes:
    """The whole report as PDF bytes (A4, tagged, PDF/UA-1)."""
    import logging

    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # WeasyPrint logs every CSS property it does not know at WARNING; the report's stylesheet
    # is shared with the web page, so those are expected and not worth a line in the log.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    html = render_html(report, mode="print")
    # Only data URLs (the figures); a link to anything else fails the build instead of
    # reaching the network or the disk.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    document = HTML(string=html, url_fetcher=fetcher, base_url=None)
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
