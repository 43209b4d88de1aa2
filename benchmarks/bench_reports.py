"""Benchmark of report production: a report the size of a large rekenkamer report.

120 pages' worth of text (about 40,000 words), 600 footnotes, 40 figures and 30 tables, built
as DOCX, HTML and PDF from one resolved document. Run: ``python -m benchmarks.bench_reports``.
Figures go into docs/benchmarks.md (goal: the three formats together under 30 s).
"""

from __future__ import annotations

import random
import time

from kansenaudit.reports.document import (
    Chapter,
    FigureBlock,
    Footnote,
    FootnoteRef,
    Heading,
    Paragraph,
    Report,
    TableBlock,
    Text,
)

WORDS = (
    "gemeente",
    "kansen",
    "onderwijs",
    "wijk",
    "beleid",
    "maatregel",
    "bewoners",
    "armoede",
    "school",
    "resultaat",
    "doel",
    "effect",
    "uitvoering",
    "partner",
    "monitoring",
    "raad",
    "college",
    "informatie",
    "jongeren",
    "ouders",
)


def _svg(seed: int) -> str:
    rng = random.Random(seed)  # noqa: S311 - synthetic figures
    bars = "".join(
        f'<rect x="{20 + i * 28}" y="{180 - h}" width="20" height="{h}" fill="#004699"/>'
        f'<text x="{20 + i * 28}" y="195" font-size="12">W{i}</text>'
        for i, h in enumerate(rng.randint(10, 160) for _ in range(20))
    )
    size = 'viewBox="0 0 600 200" width="600" height="200"'
    return f'<svg xmlns="http://www.w3.org/2000/svg" {size}>{bars}</svg>'


def big_report(
    *, paragraphs: int = 800, notes: int = 600, figures: int = 40, tables: int = 30
) -> Report:
    rng = random.Random(2026)  # noqa: S311 - synthetic text
    chapters = []
    per_chapter = paragraphs // 10
    note_every = max(1, paragraphs // notes)
    made_notes = made_figures = made_tables = 0
    for c in range(10):
        blocks: list = [Heading(2, (Text(f"Paragraaf {c + 1}.1"),))]
        for p in range(per_chapter):
            text = " ".join(rng.choice(WORDS) for _ in range(50)).capitalize() + "."
            inlines: list = [Text(text)]
            if (c * per_chapter + p) % note_every == 0 and made_notes < notes:
                made_notes += 1
                inlines.append(
                    FootnoteRef(
                        Footnote(f"Bron {made_notes}, Gemeente Voorbeeldstad (2024), p. {p + 1}.")
                    )
                )
            blocks.append(Paragraph(tuple(inlines)))
            if p % 20 == 10 and made_figures < figures:
                made_figures += 1
                blocks.append(
                    FigureBlock(
                        caption=f"Figuur {made_figures}",
                        alt="Staafdiagram per wijk.",
                        svg=_svg(made_figures),
                    )
                )
            if p % 27 == 5 and made_tables < tables:
                made_tables += 1
                rows = tuple(
                    (f"Wijk {r}", f"{rng.uniform(0, 40):.1f}".replace(".", ",")) for r in range(12)
                )
                blocks.append(
                    TableBlock(
                        f"Tabel {made_tables}",
                        ("Wijk", "Aandeel (%)"),
                        rows,
                        numeric=frozenset({1}),
                    )
                )
        chapters.append(Chapter(f"h{c}", f"Hoofdstuk {c + 1}", tuple(blocks)))
    report = Report(title="Benchmarkrapport", chapters=tuple(chapters))
    print(f"report: {made_notes} footnotes, {made_figures} figures, {made_tables} tables")
    return report


def main() -> None:
    from kansenaudit.reports.docx import render_docx
    from kansenaudit.reports.html import render_html
    from kansenaudit.reports.pdf import render_pdf

    report = big_report()
    total = 0.0
    for name, build in (
        ("DOCX", lambda: render_docx(report)),
        ("HTML", lambda: render_html(report).encode()),
        ("PDF", lambda: render_pdf(report)),
    ):
        start = time.perf_counter()
        data = build()
        elapsed = time.perf_counter() - start
        total += elapsed
        extra = ""
        if name == "PDF":
            import io

            import pypdfium2

            extra = f", {len(pypdfium2.PdfDocument(io.BytesIO(data)))} pages"
        print(f"{name}: {elapsed:.1f} s, {len(data) / 1e6:.1f} MB{extra}")
    print(f"all three: {total:.1f} s (goal < 30 s)")

    # The publication site as the worker builds it from a frozen version: its own PDF, the
    # report and summary pages, and the open data behind 2,000 numbers (CSV, XLSX, JSON).
    from kansenaudit.reports.bundle import build_bundle

    numbers = [
        {
            "reference": f"number:{i}",
            "indicator": f"indicator {i % 40}",
            "area": f"gebied {i % 99}",
            "year": 2020 + i % 5,
            "group": "totaal",
            "value": i / 7,
            "unit": "%",
            "source": "fictieve bron",
        }
        for i in range(2_000)
    ]
    start, cpu = time.perf_counter(), time.process_time()
    site = build_bundle(
        report, pdf=render_pdf(report), numbers=numbers, version="1", sha256="0" * 64
    )
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"publication site: {elapsed:.1f} s ({cpu:.1f} s CPU), {len(site) / 1e6:.1f} MB "
        "(goal < 30 s)"
    )


if __name__ == "__main__":
    main()
