# SPDX-License-Identifier: EUPL-1.2
"""The demo's qualitative coding (fictional, Voorbeeldstad): a codebook with deductive codes
from the policy theory of the two measures of the practice study and inductive codes,
double-coded transcripts by the two demo assessors with a consensus, so that an alpha shows,
and the mirror of practice against policy theory of both measures (two verdicts per row, a
consensus resting on coded segments, the first measure signed off by the reviewer).

It runs after the fieldwork demo and works from whatever transcripts that left in the dossier;
without transcripts it only writes the codebook. The codes are applied by keyword rules on the
pseudonymised text, the second coder deviating on purpose now and then (disagreement is what
the comparison view is for).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from kansenaudit.web.coding import segments, selectors, services
from kansenaudit.web.coding.models import Code, DoubleCoding
from kansenaudit.web.fieldwork.models import Transcript

CODERS = ("onderzoeker", "projectleider")  # the demo's two assessors
MEASURES = ("Schoolmaatschappelijk werk", "Vroegsignalering schulden")
SAMPLE = 2  # transcripts double coded

# name, colour, definition, keywords (lower case, matched as word beginnings)
INDUCTIVE = [
    ("Wachttijd", "#e31a1c", "Ervaringen met wachten op hulp.", ("wacht", "maanden", "duurde")),
    (
        "Bereikbaarheid",
        "#1f78b4",
        "Hoe makkelijk men de hulp vindt en bereikt.",
        ("bereikbaar", "spreekuur", "drempel", "laagdrempelig", "binnenlopen", "langs"),
    ),
    ("Vertrouwen", "#33a02c", "Vertrouwen in de hulpverlener.", ("vertrouw", "veilig", "luister")),
    ("Schaamte", "#fb9a99", "Schaamte of angst om hulp te vragen.", ("schaam", "durf", "bang")),
    (
        "Samenwerking",
        "#a6cee3",
        "Samenwerking tussen school, wijkteam en partners; doorverwijzing.",
        ("samenwerk", "wijkteam", "overleg", "doorverwijz", "verwijz"),
    ),
    (
        "Geldzorgen",
        "#ff7f00",
        "Schulden, betalingsachterstanden en geldzorgen.",
        ("schuld", "geld", "rekening", "betaal", "betalings", "achterstand", "incasso"),
    ),
    (
        "Onbedoeld effect",
        "#6a3d9a",
        "Effecten die de maatregel niet beoogde, ook averechtse.",
        ("averechts", "stigma", "afgehaakt", "afhaken", "juist niet"),
    ),
]
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


def _codebook(dossier: Any) -> dict[str, Code]:
    from kansenaudit.web.policy.models import Measure

    measures = list(Measure.objects.filter(dossier=dossier, name__in=MEASURES))
    services.codes_from_policy_theory(dossier=dossier, actor=None, measures=measures)
    found = {}
    for name, colour, definition, keywords in INDUCTIVE:
        found[name] = services.code_create(
            dossier=dossier,
            actor=None,
            name=name,
            colour=colour,
            definition=definition,
            inclusion="Trefwoorden (demo): " + ", ".join(keywords),
        )
    return found


def _codes_for(text: str, codes: dict[str, Code]) -> list[Code]:
    low = text.lower()
    return [
        codes[name]
        for name, _c, _d, keywords in INDUCTIVE
        if any(re.search(r"\b" + re.escape(k), low) for k in keywords)
    ]


def _first_sentence_with(text: str, start: int, end: int, codes: list[Code]) -> tuple[int, int]:
    """The span of the first sentence of the turn that carries one of the keywords."""
    words = [k for name, _c, _d, ks in INDUCTIVE if name in {c.name for c in codes} for k in ks]
    for m in _SENTENCE.finditer(text, start, end):
        if any(k in m.group(0).lower() for k in words):
            return m.start(), m.end()
    return start, end


def _code_transcript(item: Transcript, coder: Any, codes: dict[str, Code], *, second: bool) -> None:
    for i, turn in enumerate(selectors.turns_of(item)):
        if turn.participant is None or turn.participant.withdrawn_at is not None:
            continue
        if turn.end <= turn.start:
            continue
        chosen = _codes_for(item.text[turn.start : turn.end], codes)
        start, end = turn.start, turn.end
        if second:
            # The second coder now and then misses a code or sees trust where the first did not.
            if i % 4 == 3 and chosen:
                chosen = chosen[:-1]
            if i % 6 == 5 and codes["Vertrouwen"] not in chosen:
                chosen.append(codes["Vertrouwen"])
            if chosen:
                start, end = _first_sentence_with(item.text, turn.start, turn.end, chosen)
        if chosen:
            segments.segment_code(
                actor=coder, codes=chosen, start=start, end=end, transcript=item, snap=False
            )


def load(*, dossier: Any, users: dict[str, Any], documents: dict[str, Any]) -> None:
    """Write the demo coding into ``dossier`` (once: nothing if it already has codes)."""
    if Code.objects.filter(dossier=dossier).exists():
        return
    one, two = users.get(CODERS[0]), users.get(CODERS[1])
    with transaction.atomic():
        codes = _codebook(dossier)
        if one is None or two is None:
            return
        items = list(selectors.transcripts(dossier).order_by("pk"))
        for n, item in enumerate(items):
            if n < SAMPLE:
                sample = segments.double_coding_start(
                    transcript=item, coder_1=one, coder_2=two, actor=None
                )
                _code_transcript(item, one, codes, second=False)
                _code_transcript(item, two, codes, second=True)
                segments.double_coding_done(sample=sample, actor=one)
                segments.double_coding_done(sample=sample, actor=two)
                _consensus(sample)
            else:
                _code_transcript(item, one, codes, second=False)
        services.memo_add(
            dossier=dossier,
            actor=one,
            code=codes["Onbedoeld effect"],
            text="Demo-memo: let op signalen dat gezinnen afhaken uit angst voor een stempel.",
        )
        _mirror(dossier, one, two, users.get("reviewer"))


def _consensus(sample: DoubleCoding) -> None:
    """The team agrees on the first coder's codes wherever the coders differ (demo)."""
    from kansenaudit.web.coding.agreement import turn_codes

    active = {c.pk: c for c in selectors.active_codes(sample.dossier)}
    choices = {
        r.number: [active[c] for c in sorted(r.coder_1) if c in active]
        for r in turn_codes(sample)
        if not r.withdrawn and r.coder_1
    }
    segments.consensus_record(sample=sample, actor=sample.coder_2, choices=choices)


# The demo's verdict per element of the policy theory, and the codes (in order of preference)
# whose segments carry it: steps by their kind, assumed links by their place in the chain.
# Without such segments in the measure's sessions the element was not addressed.
STEP_VERDICTS = {
    "activiteit": ("ondersteund", ("Bereikbaarheid", "Vertrouwen")),
    "output": ("deels", ("Wachttijd", "Bereikbaarheid", "Vertrouwen")),
    "outcome": ("ondersteund", ("Geldzorgen",)),
    "doel": ("niet_aan_bod", ()),
}
LINK_VERDICTS = [
    ("deels", ("Samenwerking", "Vertrouwen", "Bereikbaarheid")),
    ("averechts", ("Onbedoeld effect", "Schaamte")),
    ("ondersteund", ("Geldzorgen",)),
]
RATIONALE = {
    "ondersteund": "Deelnemers beschrijven dit zoals de beleidstheorie het verwacht (demo).",
    "deels": "Het gebeurt, maar wachttijden en doorverwijzing beperken het (demo).",
    "averechts": "Een deel van de gezinnen haakt juist af door het stigma (demo).",
    "tegengesproken": "Wat deelnemers vertellen spreekt dit tegen (demo).",
    "niet_aan_bod": "In de gesprekken kwam dit niet aan bod (demo).",
}


def _mirror(dossier: Any, one: Any, two: Any, reviewer: Any) -> None:
    """The mirror of both measures: two verdicts a row (the second assessor milder on the
    links), the consensus by the first, the first measure signed off by the reviewer."""
    from kansenaudit.web.coding import mirror_selectors, mirror_services
    from kansenaudit.web.policy.models import Measure

    for n, name in enumerate(MEASURES):
        measure = Measure.objects.filter(dossier=dossier, name=name).first()
        if measure is None or not measure.theory_steps.exists():
            continue
        mirror_services.mirror_start(dossier=dossier, measure=measure, actor=None)
        links = 0
        for row in mirror_selectors.rows_of(measure):
            if row.step_id is not None:
                verdict, wanted = STEP_VERDICTS.get(row.step.kind, ("niet_aan_bod", ()))
            else:
                verdict, wanted = LINK_VERDICTS[links % len(LINK_VERDICTS)]
                links += 1
            candidates = mirror_selectors.candidate_hits(row)
            hits: list[Any] = []
            for code in wanted:  # the first code of the preference that has segments
                hits = [h.segment for h in candidates if code in h.codes][:3]
                if hits:
                    break
            if not hits:
                verdict = "niet_aan_bod"
            second = "ondersteund" if row.link_id is not None and hits else verdict
            mirror_services.mirror_assess(
                row=row, actor=one, verdict=verdict, rationale=RATIONALE[verdict], segments=hits
            )
            mirror_services.mirror_assess(
                row=row, actor=two, verdict=second, rationale=RATIONALE[second], segments=hits
            )
            mirror_services.mirror_consensus(
                row=row, actor=one, verdict=verdict, rationale=RATIONALE[verdict], segments=hits
            )
            if n == 0 and reviewer is not None:
                mirror_services.mirror_sign_off(row=row, actor=reviewer)
