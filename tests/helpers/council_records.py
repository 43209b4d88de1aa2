"""A council document as OpenBesluitvorming describes it, for tests that replace the service."""

from __future__ import annotations

import dataclasses
import datetime as dt

from kansenaudit.sources.council_documents import CouncilDocumentRecord


def council_record(**changes: object) -> CouncilDocumentRecord:
    """A motion on the agenda of a council meeting of 6 March 2025; ``changes`` override."""
    record = CouncilDocumentRecord(
        entity_id="ori:amsterdam:doc:1",
        source_key="amsterdam",
        title="Motie gelijke kansen",
        date=dt.date(2025, 3, 6),
        meeting_id="m1",
        meeting_title="Raadsvergadering",
        meeting_date=dt.date(2025, 3, 6),
        committee="Gemeenteraad",
        agenda_item_id="a1",
        agenda_item="12. Moties",
        download_url="https://example.invalid/motie.txt",
        retrieved_at="2026-11-28T00:00:00+00:00",
        sha256="",
        file_name="motie.txt",
        content_type="text/plain",
        issuer_hint="commissie",
        doc_type_hint="amendement",
        origin="download",
    )
    return dataclasses.replace(record, **changes)
