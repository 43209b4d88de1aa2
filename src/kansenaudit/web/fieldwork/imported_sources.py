# SPDX-License-Identifier: EUPL-1.2
"""Sources from other tools (REFI-QDA projects of ATLAS.ti, NVivo, MAXQDA, …) as transcripts.

A text source another tool exported is as confidential as an upload: it goes through the same
pseudonymisation and review (``transcript_services.transcript_store``), its original is kept
encrypted, and only the pseudonymised text is in the clear. The REFI-QDA importer (``coding``)
maps the tool's coded selections through the offset map this returns.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.fieldwork.transcript_turns import find_turns, paragraph_turns
from kansenaudit.fieldwork.transcripts import ParsedTranscript
from kansenaudit.web.fieldwork.models import Session, Transcript
from kansenaudit.web.fieldwork.services import FieldworkError
from kansenaudit.web.fieldwork.transcript_services import transcript_store


@transaction.atomic
def transcript_from_text(
    *, session: Session, actor: Any, text: str, title: str, file_name: str, is_demo: bool = False
) -> tuple[Transcript, Callable[[int], int]]:
    """Pseudonymise and store a text that comes from another tool (a REFI-QDA source) as a
    transcript, like an upload: reviewed on the same page, the original kept encrypted.

    The text is taken as it is (its speaker turns found as in a TXT file), so that offsets
    into it stay meaningful; returns the transcript and the map from offsets in ``text`` to
    offsets in the pseudonymised ``Transcript.text`` (for the tool's coded selections)."""
    if not text.strip():
        raise FieldworkError(_("%(file)s contains no text."), {"file": file_name})
    turns = find_turns(text, set()) or paragraph_turns(text)
    parsed = ParsedTranscript(text=text, turns=tuple(turns), file_format="refi")
    return transcript_store(
        session=session,
        actor=actor,
        parsed=parsed,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        file_name=file_name,
        title=title,
        is_demo=is_demo,
        action="fieldwork.transcript_from_source",
    )
