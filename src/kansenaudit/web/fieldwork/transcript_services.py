# SPDX-License-Identifier: EUPL-1.2
"""Transcripts: upload with pseudonymisation, the review of replacements, and the originals.

On upload the file is parsed (``kansenaudit.fieldwork.transcripts``) and pseudonymised
(``kansenaudit.fieldwork.pseudonymise``) with the dossier's person register, so that a person
gets the same pseudonym in every transcript, and an allow-list that keeps the research context
(area names, directies and actors, measure names, glossary terms). Only the pseudonymised text
is stored in the clear (``Transcript.text``); the original text, its turns and the replacements
with their originals are stored encrypted (``TranscriptOriginal``), as is the register
(``PseudonymKey``). Each review decision rebuilds the pseudonymised text from the original.
Log entries say what was done, never an original word.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.fieldwork.isolated import parse_transcript_isolated
from kansenaudit.fieldwork.pseudonymise import KINDS, AllowList, PersonRegister, pseudonymise
from kansenaudit.fieldwork.transcripts import ParsedTranscript, TranscriptError
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.models import Membership
from kansenaudit.web.dossiers.roles import Capability, role_allows
from kansenaudit.web.fieldwork import crypto
from kansenaudit.web.fieldwork.errors import transcript_error_message
from kansenaudit.web.fieldwork.models import (
    Participant,
    PseudonymKey,
    Session,
    Transcript,
    TranscriptOriginal,
    Turn,
)
from kansenaudit.web.fieldwork.services import FieldworkError

# A 3-hour interview is about 30,000 words (~200 kB of text); files above these limits are
# refused before parsing (docs/fieldwork.md).
MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024
MAX_TRANSCRIPT_WORDS = 60_000


@dataclass(frozen=True)
class Rep:
    """One replacement on the ORIGINAL text (kept only encrypted)."""

    start: int
    end: int
    kind: str
    original: str
    pseudonym: str

    def as_list(self) -> list[Any]:
        return [self.start, self.end, self.kind, self.original, self.pseudonym]


# --- helpers ----------------------------------------------------------------------------------


def _require_originals(actor: Any, dossier: Any) -> None:
    """Defence in depth: a signed-in user needs VIEW_ORIGINALS (the CLI operator has it)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    role = (
        Membership.objects.filter(dossier=dossier, user=actor)
        .values_list("role", flat=True)
        .first()
    )
    if not role_allows(role, Capability.VIEW_ORIGINALS):
        raise FieldworkError(_("Only the project leader may see originals and the pseudonym key."))


def _is_demo(dossier: Any) -> bool:
    return bool(getattr(dossier, "is_demo", False))


def load_register(dossier: Any) -> PersonRegister:
    key = PseudonymKey.objects.filter(dossier=dossier).first()
    if key is None:
        return PersonRegister()
    return PersonRegister.from_dict(crypto.decrypt_json(key.token, demo=_is_demo(dossier)))


def _save_register(dossier: Any, register: PersonRegister) -> None:
    PseudonymKey.objects.update_or_create(
        dossier=dossier,
        defaults={"token": crypto.encrypt_json(register.to_dict(), demo=_is_demo(dossier))},
    )


def allow_list_for(dossier: Any) -> AllowList:
    """The research context that must stay readable: areas, directies/actors, measures, terms."""
    from kansenaudit.web.areas.models import Area
    from kansenaudit.web.evidence.models import Term
    from kansenaudit.web.policy.models import Actor, Measure

    terms: set[str] = set(Area.objects.values_list("name", flat=True))
    terms.update(Actor.objects.filter(dossier=dossier).values_list("name", flat=True))
    terms.update(Measure.objects.filter(dossier=dossier).values_list("name", flat=True))
    terms.update(Term.objects.filter(dossier=dossier).values_list("term", flat=True))
    return AllowList(sorted(t for t in terms if t and t.strip()))


def _rebuild(original: str, reps: list[Rep]) -> tuple[str, list[int], list[int], list[list[Any]]]:
    """Apply ``reps`` to ``original``: the new text, the offset-map tables and the spans
    ``[start, end, kind, pseudonym]`` in the new text."""
    parts: list[str] = []
    starts: list[int] = []  # original start of each replacement
    shifts: list[int] = []  # cumulative shift after each replacement
    spans: list[list[Any]] = []
    pos = shift = 0
    for rep in sorted(reps, key=lambda r: r.start):
        if rep.start < pos:
            continue
        parts.append(original[pos : rep.start])
        new_start = rep.start + shift
        parts.append(rep.pseudonym)
        spans.append([new_start, new_start + len(rep.pseudonym), rep.kind, rep.pseudonym])
        shift += len(rep.pseudonym) - (rep.end - rep.start)
        starts.append(rep.end)
        shifts.append(shift)
        pos = rep.end
    parts.append(original[pos:])
    return "".join(parts), starts, shifts, spans


def _mapper(starts: list[int], shifts: list[int]) -> Callable[[int], int]:
    def map_offset(i: int) -> int:
        k = bisect.bisect_right(starts, i)
        return i + (shifts[k - 1] if k else 0)

    return map_offset


def _norm(label: str) -> str:
    """A speaker label or pseudonym compared without case and extra spaces."""
    return " ".join(str(label).split()).casefold()


def participant_matcher(dossier: Any, session: Session | None = None) -> Callable[[str], Any]:
    """A function from a speaker label to the id of the participant it names, or None.

    A label names a participant by their pseudonym ("bewoner  1" is "Bewoner 1": case and
    spaces do not count), or by their role ("Wijkcoach") when exactly one participant has
    that role: among the session's participants first, else in the whole dossier. A role
    two people share links to nobody (the team links such turns by hand)."""
    people = list(
        Participant.objects.filter(dossier=dossier).values_list("pk", "pseudonym", "role")
    )
    in_session = (
        set(session.participants.values_list("pk", flat=True)) if session is not None else set()
    )
    by_pseudonym = {_norm(pseudonym): pk for pk, pseudonym, _role in people}
    roles: dict[str, list[int]] = {}
    for pk, _pseudonym, role in people:
        if role.strip():
            roles.setdefault(_norm(role), []).append(pk)

    def match(label: str) -> Any:
        key = _norm(label)
        if not key:
            return None
        if key in by_pseudonym:
            return by_pseudonym[key]
        holders = roles.get(key, [])
        here = [pk for pk in holders if pk in in_session]
        if len(here) == 1:
            return here[0]
        if not here and len(holders) == 1:
            return holders[0]
        return None

    return match


def _store_turns(
    transcript: Transcript, turns: list[list[Any]], map_offset: Any, text_length: int
) -> None:
    """(Re)write the transcript's turns from the original turns, keeping participant links."""
    existing = {t.number: t.participant_id for t in transcript.turns.all()}
    match = participant_matcher(transcript.dossier, transcript.session)
    transcript.turns.all().delete()
    rows = []
    for number, (_speaker, start, end, label) in enumerate(turns, start=1):
        a = min(map_offset(start), text_length)
        b = max(min(map_offset(end), text_length), a)
        participant_id = existing.get(number) or match(str(label))
        rows.append(
            Turn(
                transcript=transcript,
                number=number,
                speaker=str(label)[:80],
                participant_id=participant_id,
                start=a,
                end=b,
            )
        )
    Turn.objects.bulk_create(rows)


def _speaker_label(speaker: str, reps_by_original: dict[str, str]) -> str:
    """The speaker label as shown: a real name becomes its pseudonym."""
    return reps_by_original.get(speaker, speaker)


def _safe_name(name: str, reps: list[Rep]) -> str:
    for rep in sorted(reps, key=lambda r: -len(r.original)):
        if len(rep.original) >= 3:
            name = name.replace(rep.original, rep.pseudonym)
    return name


_frozen = False


def _freeze_deduce() -> None:
    """Move deduce's lookup tables (millions of objects, loaded once per process) out of the
    garbage collector's reach: otherwise every full collection, and the one at exit, walks them
    all (measured: 54 s to exit a process on this machine under load, 1 s frozen)."""
    global _frozen
    if not _frozen:
        gc.freeze()
        _frozen = True


# --- upload -----------------------------------------------------------------------------------


@transaction.atomic
def transcript_import(
    *,
    session: Session,
    actor: Any,
    data: bytes,
    file_name: str,
    title: str = "",
    is_demo: bool = False,
) -> Transcript:
    """Parse, pseudonymise and store one transcript; all or nothing.

    Refused (``FieldworkError`` naming the file) when the file is empty, too large, unreadable
    or hostile, or when no fieldwork key is configured."""
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise FieldworkError(
            _("%(file)s is larger than %(limit)s MB; split the transcript."),
            {"file": file_name, "limit": MAX_TRANSCRIPT_BYTES // (1024 * 1024)},
        )
    try:
        parsed = parse_transcript_isolated(data, file_name)
    except TranscriptError as exc:
        raise FieldworkError(*transcript_error_message(exc, file_name)) from exc
    if not parsed.text.strip():
        raise FieldworkError(_("%(file)s contains no text."), {"file": file_name})
    transcript, _map_offset = transcript_store(
        session=session,
        actor=actor,
        parsed=parsed,
        sha256=hashlib.sha256(data).hexdigest(),
        file_name=file_name,
        title=title,
        is_demo=is_demo,
    )
    return transcript


def transcript_store(
    *,
    session: Session,
    actor: Any,
    parsed: ParsedTranscript,
    sha256: str,
    file_name: str,
    title: str = "",
    is_demo: bool = False,
    action: str = "fieldwork.transcript_import",
) -> tuple[Transcript, Callable[[int], int]]:
    """Pseudonymise a parsed transcript and store it (the caller's transaction); returns it
    with the map from original to pseudonymised offsets."""
    dossier = session.dossier
    words = len(parsed.text.split())
    if words > MAX_TRANSCRIPT_WORDS:
        raise FieldworkError(
            _("%(file)s has %(words)s words, more than the limit of %(limit)s; split it."),
            {"file": file_name, "words": words, "limit": MAX_TRANSCRIPT_WORDS},
        )
    crypto.encrypt_json("", demo=is_demo or _is_demo(dossier))  # refuse early without a key
    register = load_register(dossier)
    # Labels that are a participant's pseudonym or role (even one two people share) are no
    # names to hide.
    known = {
        _norm(value)
        for row in Participant.objects.filter(dossier=dossier).values_list("pseudonym", "role")
        for value in row
        if value.strip()
    }
    speakers = {t.speaker: "" for t in parsed.turns if t.speaker and _norm(t.speaker) not in known}
    result = pseudonymise(
        parsed.text, register=register, allow=allow_list_for(dossier), speakers=speakers
    )
    _freeze_deduce()
    reps = [Rep(r.start, r.end, str(r.kind), r.original, r.pseudonym) for r in result.replacements]
    text, starts, shifts, spans = _rebuild(parsed.text, reps)
    by_original = {r.original: r.pseudonym for r in reps}
    for label in speakers:
        if label not in by_original and label in register.known_names():
            by_original[label] = register.pseudonym_for("person", label)
    turns = [
        [t.speaker, t.start, t.end, _speaker_label(t.speaker, by_original)] for t in parsed.turns
    ]
    transcript = Transcript.objects.create(
        dossier=dossier,
        session=session,
        title=_safe_name(title.strip() or file_name, reps)[:200],
        file_name=_safe_name(file_name, reps)[:255],
        text=text,
        sha256=sha256,
        is_demo=is_demo,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    map_offset = _mapper(starts, shifts)
    _store_turns(transcript, turns, map_offset, len(text))
    TranscriptOriginal.objects.create(
        transcript=transcript,
        token=crypto.encrypt_json(
            {"original": parsed.text, "turns": turns, "replacements": [r.as_list() for r in reps]},
            demo=is_demo or _is_demo(dossier),
        ),
        spans=spans,
        file_format=str(parsed.file_format),
        warnings=[str(w) for w in parsed.warnings],
    )
    _save_register(dossier, register)
    if session.status in (Session.Status.PLANNED, Session.Status.HELD):
        session.status = Session.Status.TRANSCRIBED
        session.save(update_fields=["status"])
    kinds: dict[str, int] = {}
    for rep in reps:
        kinds[rep.kind] = kinds.get(rep.kind, 0) + 1
    audit_record(
        actor=actor,
        action=action,
        dossier=dossier,
        target=transcript,
        summary=transcript.title,
        after={
            "session": session.pk,
            "file_name": transcript.file_name,
            "format": str(parsed.file_format),
            "words": words,
            "turns": len(turns),
            "replacements": kinds,
        },
    )
    return transcript, map_offset


# --- review -----------------------------------------------------------------------------------


def _payload(transcript: Transcript) -> dict[str, Any]:
    original = TranscriptOriginal.objects.filter(transcript=transcript).first()
    if original is None:
        raise FieldworkError(_("This transcript has no stored original."))
    return dict(crypto.decrypt_json(original.token, demo=transcript.is_demo))


def _apply_review(transcript: Transcript, payload: dict[str, Any], reps: list[Rep]) -> None:
    if transcript.session.status == Session.Status.CODED:
        raise FieldworkError(
            _("The session is coded: the pseudonymised text can no longer change.")
        )
    text, starts, shifts, spans = _rebuild(payload["original"], reps)
    transcript.text = text
    transcript.save(update_fields=["text"])
    _store_turns(transcript, payload["turns"], _mapper(starts, shifts), len(text))
    payload["replacements"] = [r.as_list() for r in reps]
    TranscriptOriginal.objects.filter(transcript=transcript).update(
        token=crypto.encrypt_json(payload, demo=transcript.is_demo), spans=spans
    )


@transaction.atomic
def replacement_add(*, transcript: Transcript, actor: Any, phrase: str, kind: str) -> int:
    """Pseudonymise every occurrence of ``phrase`` (as a whole word) that is still readable in
    the transcript; returns the number of occurrences. The pseudonym comes from the register."""
    phrase = phrase.strip()
    if len(phrase) < 2:
        raise FieldworkError(_("Give the word or name to replace."))
    if kind not in KINDS:
        raise FieldworkError(_("Unknown kind of replacement: %(kind)s"), {"kind": kind})
    payload = _payload(transcript)
    reps = [Rep(*r) for r in payload["replacements"]]
    register = load_register(transcript.dossier)
    pseudonym = register.pseudonym_for(kind, phrase)
    taken = [(r.start, r.end) for r in reps]
    added = 0
    pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")
    for match in pattern.finditer(payload["original"]):
        if any(match.start() < e and s < match.end() for s, e in taken):
            continue
        reps.append(Rep(match.start(), match.end(), kind, phrase, pseudonym))
        added += 1
    if not added:
        raise FieldworkError(_("That text does not occur unreplaced in this transcript."))
    _apply_review(transcript, payload, reps)
    _save_register(transcript.dossier, register)
    audit_record(
        actor=actor,
        action="fieldwork.replacement_add",
        dossier=transcript.dossier,
        target=transcript,
        summary=transcript.title,
        after={"kind": kind, "pseudonym": pseudonym, "occurrences": added},
    )
    return added


@transaction.atomic
def replacement_undo(*, transcript: Transcript, actor: Any, span_index: int) -> int:
    """Undo the replacement at ``span_index`` of the review spans, and every other replacement
    of the same original in this transcript (it was not a name to hide); returns the count."""
    payload = _payload(transcript)
    reps = sorted((Rep(*r) for r in payload["replacements"]), key=lambda r: r.start)
    if not 0 <= span_index < len(reps):
        raise FieldworkError(_("That replacement does not exist (any more)."))
    target = reps[span_index]
    keep = [r for r in reps if r.original != target.original]
    _apply_review(transcript, payload, keep)
    audit_record(
        actor=actor,
        action="fieldwork.replacement_undo",
        dossier=transcript.dossier,
        target=transcript,
        summary=transcript.title,
        after={
            "kind": target.kind,
            "pseudonym": target.pseudonym,
            "occurrences": len(reps) - len(keep),
        },
    )
    return len(reps) - len(keep)


# --- originals --------------------------------------------------------------------------------


@transaction.atomic
def original_view(*, transcript: Transcript, actor: Any) -> dict[str, Any]:
    """The original text and its replacements, for VIEW_ORIGINALS only; the view is logged
    (that it happened, never what it showed)."""
    _require_originals(actor, transcript.dossier)
    payload = _payload(transcript)
    audit_record(
        actor=actor,
        action="fieldwork.original_view",
        dossier=transcript.dossier,
        target=transcript,
        summary=transcript.title,
    )
    return payload


@transaction.atomic
def key_view(*, dossier: Any, actor: Any) -> dict[str, Any]:
    """The dossier's pseudonym key, for VIEW_ORIGINALS only; the view is logged."""
    _require_originals(actor, dossier)
    data = load_register(dossier).to_dict()
    audit_record(
        actor=actor,
        action="fieldwork.key_view",
        dossier=dossier,
        target=None,
        summary=str(_("Pseudonym key viewed")),
    )
    return data
