"""Benchmark of qualitative coding (issue 15): the coding page of a 30,000-word transcript with
1,000 coded segments, coding a passage, Krippendorff's alpha for 50 codes over 100
double-coded transcripts, and a REFI-QDA export and re-import of 100 transcripts with 10,000
segments. Run with ``python -m benchmarks.bench_coding``; figures go into docs/coding.md.

Uses a throwaway SQLite database (or DATABASE_URL); times are medians and 95th percentiles of
``time.perf_counter`` around the Django test client (server time, no network)."""

from __future__ import annotations

import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable

WORDS_PER_TURN = 50
TURNS = 600  # 30,000 words
SEGMENTS = 1_000
CODES = 50
SAMPLE_TRANSCRIPTS = 100
SAMPLE_TURNS = 40
REFI_TRANSCRIPTS = 100
REFI_SEGMENTS = 10_000
VOCABULARY = [
    "de",
    "het",
    "een",
    "school",
    "hulp",
    "wachtlijst",
    "gezin",
    "kind",
    "schulden",
    "werker",
    "wijkteam",
    "vertrouwen",
    "geld",
    "afspraak",
    "ouder",
    "leerkracht",
    "zorg",
    "buurt",
    "snel",
    "lang",
    "moeilijk",
    "goed",
    "beter",
    "niet",
    "wel",
    "ook",
    "maar",
]


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def _transcript(dossier, rng, *, turns, title):
    from kansenaudit.web.fieldwork.models import Participant, Session, Transcript, Turn

    session = Session.objects.create(dossier=dossier, kind="interview", title=f"Sessie {title}")
    people = [
        Participant.objects.get_or_create(
            dossier=dossier, pseudonym=f"Bewoner {n}", defaults={"stakeholder_group": "resident"}
        )[0]
        for n in range(1, 4)
    ]
    parts, spans, offset = [], [], 0
    for n in range(turns):
        label = f"R{n % 3 + 1}: "
        text = " ".join(rng.choice(VOCABULARY) for _ in range(WORDS_PER_TURN)) + "."
        parts.append(label + text + "\n\n")
        spans.append((offset + len(label), offset + len(label) + len(text)))
        offset += len(label) + len(text) + 2
    item = Transcript.objects.create(
        dossier=dossier, session=session, title=title, text="".join(parts)
    )
    Turn.objects.bulk_create(
        [
            Turn(
                transcript=item,
                number=n + 1,
                speaker=f"R{n % 3 + 1}",
                participant=people[n % 3],
                start=s,
                end=e,
            )
            for n, (s, e) in enumerate(spans)
        ]
    )
    return item, spans


def _segments(dossier, item, spans, codes, coder, n, rng):
    from kansenaudit.web.coding.models import Segment

    made = Segment.objects.bulk_create(
        [
            Segment(
                dossier=dossier,
                transcript=item,
                start=s,
                end=min(e, s + 120),
                coder=coder,
                coder_label=coder.get_username(),
            )
            for s, e in (spans[rng.randrange(len(spans))] for _ in range(n))
        ]
    )
    through = Segment.codes.through
    through.objects.bulk_create(
        [through(segment_id=s.pk, code_id=rng.choice(codes).pk) for s in made]
    )
    return made


def run() -> list[str]:
    from kansenaudit.cli.runtime import setup_django

    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from kansenaudit.web.coding import refi, segments, services
    from kansenaudit.web.coding.agreement import dossier_agreement
    from kansenaudit.web.coding.models import DoubleCoding
    from kansenaudit.web.dossiers.services import dossier_create, membership_set

    rng = random.Random(15)  # noqa: S311 - test data, not secrets
    users = get_user_model().objects
    one = users.create_user(username="codeur-een")
    two = users.create_user(username="codeur-twee")
    dossier = dossier_create(title="Benchmark codering", municipality_code="GM0363", creator=one)
    membership_set(dossier=dossier, user=two, role="onderzoeker", actor=None)
    codes = [
        services.code_create(dossier=dossier, actor=None, name=f"Code {n:02d}")
        for n in range(CODES)
    ]
    lines = []

    # 1. The coding page of a 30,000-word transcript with 1,000 segments, and coding a passage.
    item, spans = _transcript(dossier, rng, turns=TURNS, title="Lang interview")
    _segments(dossier, item, spans, codes, one, SEGMENTS, rng)
    words = len(item.text.split())
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(one)
    page = f"/dossiers/{dossier.pk}/codering/transcripten/{item.pk}/"
    assert client.get(page).status_code == 200
    median, p95 = _time(lambda: client.get(page), 20)
    lines.append(
        f"coding page ({words:,} words, {SEGMENTS:,} segments): "
        f"median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )
    post = f"/dossiers/{dossier.pk}/codering/transcripten/{item.pk}/coderen/"

    def code_one():
        s, _e = spans[rng.randrange(len(spans))]
        response = client.post(post, {"start": s + 5, "end": s + 60, "codes": [codes[0].pk]})
        assert response.status_code == 302

    median, p95 = _time(code_one, 20)
    lines.append(
        f"coding a passage (POST, without the page reload): median {median * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms"
    )

    # 2. Alpha for 50 codes over 100 double-coded transcripts.
    for n in range(SAMPLE_TRANSCRIPTS):
        t, t_spans = _transcript(dossier, rng, turns=SAMPLE_TURNS, title=f"Dubbel {n}")
        sample = DoubleCoding.objects.create(
            dossier=dossier, transcript=t, coder_1=one, coder_2=two
        )
        for coder in (one, two):
            _segments(dossier, t, t_spans, codes, coder, SAMPLE_TURNS, rng)
        segments.double_coding_done(sample=sample, actor=one)
        segments.double_coding_done(sample=sample, actor=two)
    start = time.perf_counter()
    result = dossier_agreement(dossier, n_boot=1000)
    lines.append(
        f"alpha per code and overall on turns, {len(result.per_code)} codes, "
        f"{result.turns:,} turns in {result.transcripts} transcripts, 1,000 bootstrap samples: "
        f"{time.perf_counter() - start:.2f} s"
    )
    start = time.perf_counter()
    dossier_agreement(dossier, n_boot=1000, with_unitised=True)
    lines.append(f"  with the unitised alpha as well: {time.perf_counter() - start:.2f} s")

    # 3. REFI-QDA export and re-import: 100 transcripts, 10,000 segments.
    other = dossier_create(title="Benchmark REFI", municipality_code="GM0363", creator=one)
    per = REFI_SEGMENTS // REFI_TRANSCRIPTS
    other_codes = [
        services.code_create(dossier=other, actor=None, name=f"Code {n:02d}") for n in range(CODES)
    ]
    for n in range(REFI_TRANSCRIPTS):
        t, t_spans = _transcript(other, rng, turns=SAMPLE_TURNS, title=f"Transcript {n}")
        _segments(other, t, t_spans, other_codes, one, per, rng)
    start = time.perf_counter()
    data = refi.export_qdpx(other, actor=None)
    exported = time.perf_counter() - start
    start = time.perf_counter()
    report = refi.import_qdpx(dossier=other, actor=None, data=data, file_name="b.qdpx")
    reimported = time.perf_counter() - start
    assert not report.changed
    third = dossier_create(title="Benchmark REFI leeg", municipality_code="GM0363", creator=one)
    start = time.perf_counter()
    # New sources are pseudonymised like uploads (deduce over every text): most of this time.
    report = refi.import_qdpx(dossier=third, actor=None, data=data, file_name="b.qdpx")
    fresh = time.perf_counter() - start
    lines.append(
        f"REFI-QDA, {REFI_TRANSCRIPTS} transcripts, {REFI_SEGMENTS:,} segments "
        f"({len(data) / 1e6:.1f} MB): export {exported:.1f} s, re-import (nothing new) "
        f"{reimported:.1f} s, import into an empty dossier {fresh:.1f} s "
        f"({report.selections_created:,} segments)"
    )
    return lines


def main() -> None:
    folder = tempfile.mkdtemp(prefix="kansenaudit-bench-coding-")
    os.environ.setdefault("KANSENAUDIT_DATA_DIR", folder)
    os.environ["KANSENAUDIT_DEMO"] = "1"
    try:
        for line in run():
            print(line, flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
