"""Builders for the coding tests: fieldwork sessions, participants, transcripts and turns made
directly with the ORM (the fieldwork app's own upload is not needed here)."""

from __future__ import annotations

import itertools

from kansenaudit.web.fieldwork.models import Participant, Session, Transcript, Turn

TURNS = [
    ("I1", None, "Hoe ervaart u de hulp van de schoolmaatschappelijk werker?"),
    (
        "R1",
        ("Bewoner 1", "resident"),
        "De schoolmaatschappelijk werker was snel bereikbaar en dacht echt mee over de schulden.",
    ),
    ("I1", None, "Wat kan er beter?"),
    (
        "R2",
        ("Partner 1", "partner"),
        "De wachtlijst is te lang; gezinnen haken af voordat de hulp begint.",
    ),
    (
        "R3",
        ("Ambtenaar 1", "civil_servant"),
        "Wij zien dat de signalering werkt, maar de doorverwijzing naar schuldhulp stokt.",
    ),
]


def transcript(dossier, *, title="Interview 1", turns=TURNS, session=None, measure=None):
    """A transcript of ``turns`` (speaker, (pseudonym, group) or None, text); each turn's span
    is its text after the ``speaker: `` label."""
    if session is None:
        session = Session.objects.create(
            dossier=dossier, kind=Session.Kind.INTERVIEW, title=f"Sessie {title}"
        )
        if measure is not None:
            session.measures.add(measure)
    parts, spans, offset = [], [], 0
    for speaker, who, text in turns:
        label = f"{speaker}: "
        start = offset + len(label)
        parts.append(label + text + "\n\n")
        spans.append((speaker, who, start, start + len(text)))
        offset += len(label) + len(text) + 2
    item = Transcript.objects.create(
        dossier=dossier, session=session, title=title, text="".join(parts)
    )
    for number, (speaker, who, start, end) in enumerate(spans, start=1):
        participant = None
        if who is not None:
            participant, _ = Participant.objects.get_or_create(
                dossier=dossier, pseudonym=who[0], defaults={"stakeholder_group": who[1]}
            )
            participant.sessions.add(session)
        Turn.objects.create(
            transcript=item,
            number=number,
            speaker=speaker,
            participant=participant,
            start=start,
            end=end,
        )
    return item


def turn(item, number):
    return item.turns.get(number=number)


def document(dossier, *, text="Beleidsnota kansengelijkheid: de wachtlijsten worden korter."):
    """A one-page document of the evidence store, made with the ORM."""
    import hashlib

    from kansenaudit.web.evidence.models import Document, Page

    digest = hashlib.sha256(text.encode()).hexdigest()
    item = Document.objects.create(
        dossier=dossier,
        title="Beleidsnota",
        file_name="nota.txt",
        file_format="txt",
        size=len(text),
        sha256=digest,
        page_count=1,
    )
    Page.objects.create(document=item, number=1, text=text, text_sha256=digest)
    return item


def measure_with_theory(dossier, *, name="Schoolmaatschappelijk werk"):
    """A measure with a policy theory of three steps and two assumed links (through the policy
    services); returns (measure, steps, links)."""
    from kansenaudit.web.policy.services import measures, theory

    measure = measures.measure_create(dossier=dossier, name=name, actor=None)
    steps = [
        theory.theory_step_create(measure=measure, kind=kind, text=text, actor=None)
        for kind, text in (
            ("activiteit", "Een schoolmaatschappelijk werker op elke school"),
            ("output", "Gezinnen worden snel bereikt"),
            ("outcome", "Schulden worden eerder aangepakt"),
        )
    ]
    links = [
        theory.theory_link_create(
            source=a,
            target=b,
            rationale="Nabijheid verlaagt de drempel.",
            actor=None,
        )
        for a, b in itertools.pairwise(steps)
    ]
    return measure, steps, links
