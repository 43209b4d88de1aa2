"""Benchmark of the Django-free fieldwork core: pseudonymisation quality and speed, alpha.

Run with ``python -m benchmarks.bench_fieldwork_core`` (all) or with ``--recall`` (only the
recall and precision per kind on the labelled fictional transcripts). Figures go into
``docs/methods/pseudonymisation.md`` and ``docs/methods/agreement.md``.

* Recall and precision per kind on ``tests/data/fieldwork/labelled`` (the set the detectors
  were developed on) and ``…/labelled/holdout`` (written afterwards), with the allow-list.
* Pseudonymising a 30,000-word transcript (the labelled transcripts repeated with fresh
  names), after deduce is loaded; deduce's start-up time separately. Goal: under 30 s.
* Parsing a 30,000-word DOCX transcript.
* ``alpha_by_code`` for 50 codes over 100 double-coded transcripts of 150 turns each, with a
  1,000-sample bootstrap; and ``unitised_alpha`` for the same. Goal: under 2 s.
"""

from __future__ import annotations

import io
import platform
import sys
import time
from pathlib import Path

import numpy as np

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "fieldwork" / "labelled"


def _allow_terms() -> list[str]:
    raw = (LABELLED / "allow.txt").read_text(encoding="utf-8")
    return [line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")]


def recall_lines() -> list[str]:
    """Recall and precision per kind, on the development set and on the held-out set."""
    from kansenaudit.fieldwork.labelled import read_labelled, score
    from kansenaudit.fieldwork.pseudonymise import KINDS, AllowList, PersonRegister, pseudonymise
    from kansenaudit.fieldwork.transcripts import parse_transcript

    allow = AllowList(_allow_terms())
    lines = []
    for title, folder in (("development set", LABELLED), ("held-out set", LABELLED / "holdout")):
        register = PersonRegister()
        items = []
        for path in sorted(folder.glob("*.txt")):
            if path.name == "allow.txt":
                continue
            labelled = read_labelled(path.read_text(encoding="utf-8"), path.name)
            parsed = parse_transcript(labelled.text.encode("utf-8"), path.name)
            assert parsed.text == labelled.text, path.name
            speakers = {turn.speaker: "" for turn in parsed.turns if turn.speaker}
            done = pseudonymise(labelled.text, register=register, allow=allow, speakers=speakers)
            items.append((labelled, done))
        result = score(items)
        words = sum(len(item.text.split()) for item, _ in items)
        lines.append(f"{title}: {len(items)} transcripts, {words:,} words")
        lines.append(
            f"  {'kind':12s} {'labelled':>8s} {'recall':>7s} {'replaced':>8s} {'precision':>9s}"
        )
        for kind in KINDS:
            labelled_n = result.labelled.get(kind, 0)
            replaced_n = result.replaced.get(kind, 0)
            if not labelled_n and not replaced_n:
                continue
            lines.append(
                f"  {kind:12s} {labelled_n:8d} {result.recall(kind):7.1%} "
                f"{replaced_n:8d} {result.precision(kind):9.1%}"
            )
        lines.append(
            f"  {'all':12s} {sum(result.labelled.values()):8d} {result.recall():7.1%} "
            f"{sum(result.replaced.values()):8d} {result.precision():9.1%}"
        )
        lines.append(
            f"  context terms kept: {result.context_kept}/{result.context} "
            f"({result.context_kept_share():.1%})"
        )
        for name, kind, _ in result.missed:
            lines.append(f"  missed: {kind} in {name}")
        for name, kind, _ in result.spurious:
            lines.append(f"  spurious: {kind} in {name}")
    return lines


def _long_transcript(words: int) -> str:
    from kansenaudit.fieldwork.labelled import read_labelled

    texts = []
    for path in sorted([*LABELLED.glob("*.txt"), *(LABELLED / "holdout").glob("*.txt")]):
        if path.name != "allow.txt":
            texts.append(read_labelled(path.read_text(encoding="utf-8")).text)
    parts: list[str] = []
    count = 0
    round_ = 0
    while count < words:
        for text in texts:
            # Fresh numbers per round, so that the register keeps growing as in a long interview.
            variant = text.replace("12", str(12 + round_)).replace("Jansen", f"Jansen{round_}")
            parts.append(variant)
            count += len(variant.split())
            if count >= words:
                break
        round_ += 1
    return "\n\n".join(parts)


def speed_lines() -> list[str]:
    from kansenaudit.fieldwork.pseudonymise import AllowList, PersonRegister, pseudonymise
    from kansenaudit.fieldwork.transcripts import parse_transcript

    lines = []
    text = _long_transcript(30_000)
    words = len(text.split())
    allow = AllowList(_allow_terms())
    start, cpu = time.perf_counter(), time.process_time()
    result = pseudonymise(text, register=PersonRegister(), allow=allow)
    seconds = time.perf_counter() - start
    lines.append(
        f"pseudonymise {words:,} words ({len(text):,} characters): {seconds:.1f} s "
        f"(CPU {time.process_time() - cpu:.1f} s), "
        f"{len(result.replacements):,} replacements (goal < 30 s)"
    )

    import docx

    document = docx.Document()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    start = time.perf_counter()
    parsed = parse_transcript(buffer.getvalue(), "lang.docx")
    lines.append(
        f"parse_transcript DOCX of {words:,} words: {time.perf_counter() - start:.2f} s, "
        f"{len(parsed.turns):,} turns"
    )
    return lines


def alpha_lines() -> list[str]:
    from kansenaudit.stats.agreement import OVERALL, CodedSpan, alpha_by_code, unitised_alpha

    rng = np.random.default_rng(15)
    codes = [f"code {i}" for i in range(50)]
    units: dict[tuple[int, int], dict[str, set[str]]] = {}
    spans: list[CodedSpan] = []
    lengths: dict[int, int] = {}
    for transcript in range(100):
        position = 0
        for turn in range(150):
            length = int(rng.integers(50, 400))
            first = set(rng.choice(codes, size=int(rng.integers(0, 3)), replace=False).tolist())
            if rng.random() < 0.75:
                second = set(first)
            else:
                second = set(
                    rng.choice(codes, size=int(rng.integers(0, 3)), replace=False).tolist()
                )
            units[(transcript, turn)] = {"A": first, "B": second}
            for coder, applied in (("A", first), ("B", second)):
                for code in applied:
                    shift = int(rng.integers(0, 10)) if coder == "B" else 0
                    spans.append(
                        CodedSpan(transcript, coder, code, position + shift, position + length)
                    )
            position += length + 1
        lengths[transcript] = position
    lines = []
    start, cpu = time.perf_counter(), time.process_time()
    result = alpha_by_code(units, n_boot=1000)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    overall = result[OVERALL]
    lines.append(
        f"alpha_by_code: 50 codes × 15,000 turns (100 transcripts, 2 coders), 1,000 bootstrap "
        f"samples: {seconds:.2f} s (CPU {cpu:.2f} s; goal < 2 s); overall α = {overall.alpha:.3f} "
        f"[{overall.low:.3f}, {overall.high:.3f}]"
    )
    start, cpu = time.perf_counter(), time.process_time()
    unitised = unitised_alpha(spans, lengths, n_boot=1000)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    lines.append(
        f"unitised_alpha: 50 codes, {len(spans):,} coded spans over "
        f"{sum(lengths.values()):,} characters, 1,000 bootstrap samples: {seconds:.2f} s "
        f"(CPU {cpu:.2f} s); "
        f"overall uα = {unitised[OVERALL].alpha:.3f}"
    )
    return lines


def run(only_recall: bool = False) -> list[str]:
    lines = [f"fieldwork core (Python {platform.python_version()}, numpy {np.__version__})"]
    from kansenaudit.fieldwork import pseudonymise as module

    wall, cpu = time.perf_counter(), time.process_time()
    module._deduce()
    lines.append(
        f"deduce start-up (once per process): {time.perf_counter() - wall:.1f} s "
        f"(CPU {time.process_time() - cpu:.1f} s)"
    )
    lines += recall_lines()
    if not only_recall:
        lines += speed_lines()
        lines += alpha_lines()
    return lines


if __name__ == "__main__":
    for line in run(only_recall="--recall" in sys.argv):
        print(line)
