# SPDX-License-Identifier: EUPL-1.2
"""Writes of the coding itself: segments (code a passage, remove it), and the blind double
coding of a sample of transcripts (start, mark done, record the consensus).

Blindness: while a sample transcript waits for a coder, only its two coders may code it, each
sees only their own segments (:mod:`.selectors`), and the audit log records that a passage
was coded but neither where nor with which codes (the audit log is readable by the other
coder). Withdrawal: no passage that touches the words of a participant who withdrew consent
can be coded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.coding import selectors
from kansenaudit.web.coding.models import Code, DoubleCoding, Segment
from kansenaudit.web.coding.services import (
    CodingError,
    Log,
    _actor,
    _create,
    refuse_unless_own_while_blind,
    require,
    user_label,
)
from kansenaudit.web.fieldwork.models import Transcript

MAX_NEW_CODES = 20


def _source_text(
    *, transcript: Transcript | None, document: Any, page_number: int | None
) -> tuple[Any, str]:
    if transcript is not None:
        return transcript.dossier, transcript.text
    from kansenaudit.web.evidence.models import Page

    page = Page.objects.filter(document=document, number=page_number).first()
    if page is None:
        raise CodingError(_("The document has no page %(page)s"), params={"page": page_number})
    return document.dossier, page.text


def _check_sample(transcript: Transcript | None, actor: Any, kind: str) -> DoubleCoding | None:
    if transcript is None:
        return None
    sample = DoubleCoding.objects.select_for_update().filter(transcript=transcript).first()
    if sample is None:
        return None
    if kind == Segment.Kind.CONSENSUS:
        if sample.blind:
            raise CodingError(_("The consensus can only be recorded when both coders are done"))
        return sample
    if sample.blind:
        slot = sample.slot_of(actor)
        if slot is None:
            raise CodingError(
                _("This transcript is being double coded blind; only its two coders code it now")
            )
        if (sample.done_1_at if slot == 1 else sample.done_2_at) is not None:
            raise CodingError(_("You marked your coding of this transcript as done"))
    return sample


def segment_code(
    *,
    actor: Any,
    codes: Iterable[Code],
    start: int,
    end: int,
    transcript: Transcript | None = None,
    document: Any = None,
    page_number: int | None = None,
    new_codes: Iterable[str] = (),
    kind: str = Segment.Kind.CODING,
    snap: bool = True,
) -> Segment:
    """Code the passage ``[start, end)`` of a transcript (or a document page) with ``codes``
    and with new inductive codes named ``new_codes``; the span is widened to whole words."""
    if (transcript is None) == (document is None):
        raise CodingError(_("A segment belongs to a transcript or a document page"))
    dossier, text = _source_text(transcript=transcript, document=document, page_number=page_number)
    require(dossier, actor)
    if snap:
        start, end = selectors.snap_to_words(text, int(start), int(end))
    if not (0 <= start < end <= len(text)):
        raise CodingError(_("Select a passage of the text to code"))
    if transcript is not None and selectors.overlaps(
        selectors.withdrawn_spans(transcript), start, end
    ):
        raise CodingError(
            _("This passage holds words of a participant who withdrew consent: it cannot be coded")
        )
    codes = list(codes)
    if any(c.dossier_id != dossier.pk or not c.active for c in codes):
        raise CodingError(_("Only active codes of this dossier can be applied"))
    names = [n.strip() for n in new_codes if n and n.strip()]
    if len(names) > MAX_NEW_CODES:
        raise CodingError(_("At most 20 new codes at once"))
    if not codes and not names:
        raise CodingError(_("Choose at least one code"))
    log = Log(actor)
    with transaction.atomic():
        sample = _check_sample(transcript, actor, kind)
        blind = sample is not None and sample.blind
        for name in names:
            existing = selectors.active_codes(dossier).filter(name__iexact=name).first()
            codes.append(
                existing
                or _create(
                    log, dossier=dossier, parent=None, origin=Code.Origin.INDUCTIVE, name=name
                )
            )
        segment = Segment.objects.create(
            dossier=dossier,
            transcript=transcript,
            document=document,
            page_number=page_number if document is not None else None,
            start=start,
            end=end,
            coder=_actor(actor),
            coder_label=user_label(actor)[:150],
            kind=kind,
        )
        segment.codes.set({c.pk: c for c in codes}.values())
        source = f"transcript {transcript.pk}" if transcript else f"document {document.pk}"
        log.audit(
            action="coding.segment_coded",
            dossier=dossier,
            target=segment,
            summary=f"Passage gecodeerd in {source}"
            + ("" if blind else f": {', '.join(sorted(c.name for c in codes))}"),
            # Blind: not where, not with which codes (the other coder reads the audit log).
            after={"hidden_until_both_done": True}
            if blind
            else {"start": start, "end": end, "codes": sorted(c.pk for c in codes)},
        )
        log.flush()
    return segment


def segment_remove(*, segment: Segment, actor: Any) -> None:
    """Remove a segment: a coding only by its coder (or the operator), a consensus by any
    member with EDIT."""
    require(segment.dossier, actor)
    if (
        segment.kind == Segment.Kind.CODING
        and actor is not None
        and segment.coder_id is not None
        and segment.coder_id != actor.pk
    ):
        raise CodingError(_("Only the coder can remove their segment"))
    log = Log(actor)
    with transaction.atomic():
        if segment.kind == Segment.Kind.CODING and actor is not None:
            _check_sample(segment.transcript, actor, segment.kind)
        blind = refuse_unless_own_while_blind(segment, actor)
        before = (
            {"hidden_until_both_done": True}
            if blind
            else {
                "start": segment.start,
                "end": segment.end,
                "codes": sorted(segment.codes.values_list("pk", flat=True)),
            }
        )
        pk = segment.pk
        dossier = segment.dossier
        segment.delete()
        log.audit(
            action="coding.segment_removed",
            dossier=dossier,
            target=segment,
            target_pk=pk,
            summary="Gecodeerde passage verwijderd",
            before=before,
        )
        log.flush()


# --- blind double coding -------------------------------------------------------------------------


def double_coding_start(
    *, transcript: Transcript, coder_1: Any, coder_2: Any, actor: Any
) -> DoubleCoding:
    """Put ``transcript`` in the double-coding sample, coded blind by two coders."""
    dossier = transcript.dossier
    require(dossier, actor)
    if coder_1 is None or coder_2 is None or coder_1.pk == coder_2.pk:
        raise CodingError(_("Double coding needs two different coders"))
    allowed = {u.pk for u in selectors.coder_choices(dossier)}
    if coder_1.pk not in allowed or coder_2.pk not in allowed:
        raise CodingError(_("Both coders must be members of the dossier who may edit"))
    log = Log(actor)
    with transaction.atomic():
        if DoubleCoding.objects.filter(transcript=transcript).exists():
            raise CodingError(_("This transcript is already in the double-coding sample"))
        sample = DoubleCoding.objects.create(
            dossier=dossier,
            transcript=transcript,
            coder_1=coder_1,
            coder_2=coder_2,
            created_by=_actor(actor),
        )
        log.audit(
            action="coding.double_coding_started",
            dossier=dossier,
            target=sample,
            summary=f"Dubbel coderen: {transcript.title}",
            after={"coder_1": coder_1.get_username(), "coder_2": coder_2.get_username()},
        )
        log.flush()
    return sample


def double_coding_done(*, sample: DoubleCoding, actor: Any) -> DoubleCoding:
    """The coder ``actor`` marks their blind coding of the transcript as done."""
    require(sample.dossier, actor)
    log = Log(actor)
    with transaction.atomic():
        sample = DoubleCoding.objects.select_for_update().get(pk=sample.pk)
        slot = sample.slot_of(actor)
        if slot is None:
            raise CodingError(_("Only the two coders of this transcript can mark it done"))
        field = "done_1_at" if slot == 1 else "done_2_at"
        if getattr(sample, field) is not None:
            raise CodingError(_("You already marked your coding as done"))
        setattr(sample, field, timezone.now())
        sample.save(update_fields=[field])
        log.audit(
            action="coding.double_coding_done",
            dossier=sample.dossier,
            target=sample,
            summary=f"Codeur {slot} klaar met dubbel coderen",
            after={"slot": slot, "blind": sample.blind},
        )
        log.flush()
    return sample


def consensus_record(
    *, sample: DoubleCoding, actor: Any, choices: Mapping[int, Iterable[Code]]
) -> DoubleCoding:
    """Record the team's consensus: per turn number the codes agreed on. It replaces an
    earlier consensus of the transcript; withdrawn turns are left out."""
    require(sample.dossier, actor)
    transcript = sample.transcript
    turns = {t.number: t for t in selectors.units_of(transcript)}
    log = Log(actor)
    with transaction.atomic():
        sample = DoubleCoding.objects.select_for_update().get(pk=sample.pk)
        if sample.blind:
            raise CodingError(_("The consensus can only be recorded when both coders are done"))
        Segment.objects.filter(transcript=transcript, kind=Segment.Kind.CONSENSUS).delete()
        summary = {}
        for number, codes in sorted(choices.items()):
            codes = list(codes)
            turn = turns.get(number)
            if turn is None:
                raise CodingError(_("The transcript has no turn %(n)s"), params={"n": number})
            if turn.participant is not None and turn.participant.withdrawn_at is not None:
                continue
            if not codes or turn.end <= turn.start:
                continue
            if any(c.dossier_id != sample.dossier_id or not c.active for c in codes):
                raise CodingError(_("Only active codes of this dossier can be applied"))
            segment = Segment.objects.create(
                dossier=sample.dossier,
                transcript=transcript,
                start=turn.start,
                end=turn.end,
                coder=_actor(actor),
                coder_label=user_label(actor)[:150],
                kind=Segment.Kind.CONSENSUS,
            )
            segment.codes.set(codes)
            summary[str(number)] = sorted(c.pk for c in codes)
        sample.consensus_at = timezone.now()
        sample.consensus_by = _actor(actor)
        sample.save(update_fields=["consensus_at", "consensus_by"])
        log.audit(
            action="coding.consensus_recorded",
            dossier=sample.dossier,
            target=sample,
            summary=f"Consensus vastgelegd voor {transcript.title}",
            after={"turns": summary},
        )
        log.flush()
    return sample
