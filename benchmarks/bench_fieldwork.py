"""Benchmark: upload and pseudonymise a 30,000-word transcript (goal: under 30 s).

Run with ``python -m benchmarks.bench_fieldwork``. A throwaway SQLite database in a temporary
data folder; the transcript is generated (fictional Dutch interview with names, addresses,
phone numbers and e-mail addresses every few sentences). Measured: the whole
``transcript_import`` service (parse, pseudonymise with deduce, encrypt, store turns, log), the
first time (after deduce's lookup tables were loaded, timed apart) and then the median of three
further uploads into the same dossier (the person register grows with each).
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import tempfile
import time

WORDS = 30_000
FIRST = ["Fatima", "Jan", "Mohamed", "Sanne", "Priya", "Kees", "Anouk", "Youssef", "Lotte"]
LAST = ["Bakker", "de Vries", "El Amrani", "Jansen", "Visser", "Bos", "Yilmaz", "Smit"]
FILLER = [
    "we",
    "hebben",
    "het",
    "gehad",
    "over",
    "de",
    "school",
    "en",
    "de",
    "buurt",
    "en",
    "wat",
    "er",
    "beter",
    "kan",
    "met",
    "de",
    "hulp",
    "voor",
    "gezinnen",
    "want",
    "dat",
    "is",
    "niet",
    "altijd",
    "makkelijk",
    "als",
    "je",
    "weinig",
    "geld",
    "hebt",
    "en",
    "veel",
    "rekeningen",
]


def transcript(seed: int = 15) -> str:
    rng = random.Random(seed)  # noqa: S311 - reproducible test text
    lines, count, turn = [], 0, 0
    while count < WORDS:
        speaker = "I" if turn % 2 == 0 else "R"
        words = [rng.choice(FILLER) for _ in range(rng.randint(20, 60))]
        if speaker == "R":
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            words.insert(
                rng.randint(0, len(words)), f"{name} belde op 06-{rng.randint(10**7, 10**8 - 1)}"
            )
            if turn % 6 == 1:
                words.append(f"en ik woon aan de Lindelaan {rng.randint(1, 200)}")
        lines.append(f"{speaker}: " + " ".join(words).capitalize() + ".")
        count += len(words) + 4
        turn += 1
    return "\n".join(lines) + "\n"


def run() -> list[str]:
    folder = tempfile.mkdtemp(prefix="kansenaudit-bench-fieldwork-")
    os.environ["KANSENAUDIT_DATA_DIR"] = os.path.join(folder, "data")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("KANSENAUDIT_DEMO", "1")
    try:
        from kansenaudit.cli.runtime import setup_django

        setup_django()
        from django.core.management import call_command

        from kansenaudit.web.dossiers.services import dossier_create
        from kansenaudit.web.fieldwork import services, transcript_services

        call_command("migrate", interactive=False, verbosity=0)
        dossier = dossier_create(title="Benchmark", municipality_code="GM0363")
        session = services.session_save(
            dossier=dossier, actor=None, kind="interview", title="Drie uur"
        )
        data = transcript().encode("utf-8")
        words = len(data.split())

        def upload(i: int) -> float:
            start = time.perf_counter()
            transcript_services.transcript_import(
                session=session, actor=None, data=data, file_name=f"lang-{i}.txt"
            )
            return time.perf_counter() - start

        from kansenaudit.fieldwork.pseudonymise import _deduce

        start = time.perf_counter()
        _deduce()  # deduce's lookup tables, once per process
        load = time.perf_counter() - start
        first = upload(0)
        later = statistics.median(upload(i) for i in range(1, 4))
        return [
            f"deduce lookup tables loaded in {load:.1f} s (once per process)",
            f"fieldwork upload+pseudonymise {words:,} words: first {first:.1f} s, "
            f"then median {later:.1f} s (goal < 30 s)",
        ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    for line in run():
        print(line)
