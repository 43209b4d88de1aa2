# SPDX-License-Identifier: EUPL-1.2
"""Document ingestion (PDF, DOCX, ODT, HTML, text) into canonical page text. No Django.

The public API::

    from kansenaudit.ingest import extract, extract_isolated, Limits, IngestError

    document = extract_isolated(data, "Raadsvoorstel 2024.pdf")
    for page in document.pages:
        page.number, page.text, page.method

See ``docs/ingest.md`` for formats, the canonical-text invariant, limits and OCR.
"""

from kansenaudit.ingest.canonical import canonicalise, is_canonical, text_sha256
from kansenaudit.ingest.extract import extract, extract_isolated
from kansenaudit.ingest.limits import Limits
from kansenaudit.ingest.model import (
    DocumentMetadata,
    ExtractedDocument,
    ExtractedPage,
    IngestError,
)
from kansenaudit.ingest.sniff import safe_file_name, sniff_format

__all__ = [
    "DocumentMetadata",
    "ExtractedDocument",
    "ExtractedPage",
    "IngestError",
    "Limits",
    "canonicalise",
    "extract",
    "extract_isolated",
    "is_canonical",
    "safe_file_name",
    "sniff_format",
    "text_sha256",
]
