# SPDX-License-Identifier: EUPL-1.2
"""Coded segments and cells of the mirror of practice as evidence a finding can rest on
(findings' registry, as the network map's checks in ``web/network/evidence.py``).

Who may see them is decided here, in ``load_many``: a segment of a transcript still coded blind
is not evidence yet (nobody may cite what one coder cannot see), and a mirror cell counts only
once its consensus is recorded. A segment touching the words of a participant who withdrew
consent is still found, so that a finding resting on it shows the reference as changed: its
content then says ``withdrawn`` and carries no text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.findings.registry import EvidenceKind


def _ids(ids: Iterable[int]) -> list[int]:
    return sorted({int(i) for i in ids})


# --- a coded segment ----------------------------------------------------------------------------


def _segments(dossier: Any, ids: Iterable[int]) -> dict[int, Any]:
    from kansenaudit.web.coding import selectors

    rows = selectors.analysable_segments(dossier).filter(pk__in=_ids(ids))
    withdrawn = selectors.withdrawn_by_transcript(dossier)
    found = {}
    for s in rows:
        s.withdrawn = selectors.segment_withdrawn(s, withdrawn)
        found[s.pk] = s
    return found


def _segment_text(segment: Any) -> str:
    if getattr(segment, "withdrawn", False):
        return ""
    if segment.transcript_id is not None:
        return segment.transcript.text[segment.start : segment.end]
    page = segment.document.pages.filter(number=segment.page_number).first()
    return page.text[segment.start : segment.end] if page is not None else ""


def _segment_source(segment: Any) -> str:
    if segment.transcript_id is not None:
        return segment.transcript.title
    return f"{segment.document.title} p. {segment.page_number}"


def _segment_label(segment: Any) -> str:
    from kansenaudit.web.coding.analysis import WITHDRAWN

    codes = ", ".join(c.name for c in segment.codes.all())
    text = WITHDRAWN if getattr(segment, "withdrawn", False) else _segment_text(segment)
    quote = text if len(text) <= 160 else text[:157] + "…"
    return f"{_segment_source(segment)} [{codes}]: “{quote}”"


def _segment_url(segment: Any) -> str:
    if segment.transcript_id is not None:
        url = reverse("coding:transcript", args=[segment.dossier_id, segment.transcript_id])
    else:
        url = reverse(
            "coding:page", args=[segment.dossier_id, segment.document_id, segment.page_number]
        )
    return f"{url}#segment-{segment.pk}"


def _segment_content(segment: Any) -> dict[str, Any]:
    # The hash of the words, not the words: a finding's fingerprint must not keep a quote of a
    # participant who may withdraw later.
    text = _segment_text(segment)
    return {
        "transcript": segment.transcript_id,
        "document": segment.document_id,
        "page": segment.page_number,
        "start": segment.start,
        "end": segment.end,
        "kind": segment.kind,
        "codes": sorted(c.pk for c in segment.codes.all()),
        "withdrawn": bool(getattr(segment, "withdrawn", False)),
        "text_sha256": hashlib.sha256(text.encode()).hexdigest() if text else None,
    }


SEGMENT = EvidenceKind(
    key="segment",
    name=_("coded segment (fieldwork)"),
    load_many=_segments,
    label=_segment_label,
    url=_segment_url,
    content=_segment_content,
)


# --- a cell of the mirror of practice against policy theory --------------------------------------


def _cells(dossier: Any, ids: Iterable[int]) -> dict[int, Any]:
    from kansenaudit.web.coding.models import MirrorRow

    rows = (
        MirrorRow.objects.filter(dossier=dossier, pk__in=_ids(ids), consensus_at__isnull=False)
        .select_related("measure")
        .prefetch_related("segments", "citations")
    )
    return {r.pk: r for r in rows}


def _cell_label(row: Any) -> str:
    return f"Spiegel {row.measure.name}: {row.label} – {row.get_verdict_display()}"


MATRIX_CELL = EvidenceKind(
    key="spiegelcel",
    name=_("cell of the mirror of practice against policy theory"),
    load_many=_cells,
    label=_cell_label,
    url=lambda r: reverse("coding:mirror_row", args=[r.dossier_id, r.pk]),
    content=lambda r: {
        "measure": r.measure_id,
        "element": r.element,
        "label": r.label,
        "verdict": r.verdict,
        "rationale": r.rationale,
        "segments": sorted(s.pk for s in r.segments.all()),
        "citations": sorted(c.pk for c in r.citations.all()),
        "status": r.status,
        "signed_off_at": r.signed_off_at.isoformat() if r.signed_off_at else None,
    },
)
