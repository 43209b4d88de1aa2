# SPDX-License-Identifier: EUPL-1.2
"""Reads of the fieldwork app. Nothing here decrypts: originals are read only in services
(``original_view``), which log every view."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kansenaudit.web.fieldwork.models import (
    MeasureSelection,
    Participant,
    SelectedMeasure,
    Session,
    Transcript,
    TranscriptJob,
    Turn,
)

WITHDRAWN_MARK = "[…]"


def withdrawn_participant_ids(dossier: Any) -> set[int]:
    """The participants of ``dossier`` who withdrew their consent."""
    return set(
        Participant.objects.filter(dossier=dossier, withdrawn_at__isnull=False).values_list(
            "pk", flat=True
        )
    )


def withdrawn_spans(transcript: Transcript) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of ``transcript.text`` spoken by withdrawn participants.

    Their words must not appear in coding, analysis or any export: callers leave these spans
    out (or mark them withdrawn)."""
    return [
        (start, end)
        for start, end in Turn.objects.filter(
            transcript=transcript, participant__withdrawn_at__isnull=False
        ).values_list("start", "end")
    ]


def redact_withdrawn(text: str, spans: list[tuple[int, int]], *, offset: int = 0) -> str:
    """``text`` (which starts at ``offset`` in the transcript) with withdrawn spans blanked."""
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        a, b = max(start - offset, 0), min(end - offset, len(text))
        if b <= a or a < pos:
            continue
        out.append(text[pos:a])
        out.append(WITHDRAWN_MARK)
        pos = b
    out.append(text[pos:])
    return "".join(out)


def sessions_for(dossier: Any) -> QuerySet[Session]:
    return Session.objects.filter(dossier=dossier).prefetch_related("measures", "interviewers")


def session_in_dossier(dossier: Any, session_id: int) -> Session | None:
    return sessions_for(dossier).filter(pk=session_id).first()


def participants_for(dossier: Any) -> QuerySet[Participant]:
    return Participant.objects.filter(dossier=dossier).select_related("actor", "consent")


def participant_in_dossier(dossier: Any, participant_id: int) -> Participant | None:
    return participants_for(dossier).filter(pk=participant_id).first()


def transcripts_for(dossier: Any) -> QuerySet[Transcript]:
    return Transcript.objects.filter(dossier=dossier).select_related("session")


def transcript_in_dossier(dossier: Any, transcript_id: int) -> Transcript | None:
    return transcripts_for(dossier).filter(pk=transcript_id).first()


def selection_for(dossier: Any) -> MeasureSelection | None:
    return MeasureSelection.objects.filter(dossier=dossier).first()


def selected_measures(dossier: Any) -> list[SelectedMeasure]:
    return list(
        SelectedMeasure.objects.filter(selection__dossier=dossier).select_related(
            "measure", "measure__owner"
        )
    )


def transcript_blocks(transcript: Transcript) -> list[dict[str, Any]]:
    """The transcript as turns for display: speaker and pseudonymised text, withdrawn ones
    replaced by a mark (their words never reach a page)."""
    text = transcript.text
    turns = list(transcript.turns.select_related("participant"))
    if not turns:
        return [{"speaker": "", "text": text, "withdrawn": False}]
    blocks = []
    for turn in turns:
        withdrawn = bool(turn.participant and turn.participant.withdrawn_at)
        blocks.append(
            {
                "number": turn.number,
                "speaker": turn.participant.pseudonym if turn.participant else turn.speaker,
                "text": WITHDRAWN_MARK if withdrawn else text[turn.start : turn.end],
                "withdrawn": withdrawn,
                "start": turn.start,
                "end": turn.end,
            }
        )
    return blocks


def transcript_jobs(session: Session, limit: int = 20) -> QuerySet[TranscriptJob]:
    """The session's latest uploads that are queued, running or failed, newest first; a job
    that ended well is its transcript, listed as such. Never the payload."""
    return (
        TranscriptJob.objects.filter(session=session)
        .exclude(state=TranscriptJob.State.DONE)
        .defer("payload")
        .order_by("-created_at", "-pk")[:limit]
    )
