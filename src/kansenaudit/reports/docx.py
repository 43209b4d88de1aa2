# SPDX-License-Identifier: EUPL-1.2
"""The report as a Word document in the house style (python-docx).

Real Word structure, so the rekenkamer can go on editing: built-in heading styles (the
navigation pane and the table of contents use them), numbered chapters, a table-of-contents
field that Word fills in on opening, native footnotes for citations, tables with a caption and
a repeated header row, figures as pictures with alternative text and a caption, the document
language set to Dutch, page numbers in the footer and the notice (e.g. "fictional demo data")
in the header of every page.
"""

from __future__ import annotations

import io
from typing import Any

from kansenaudit.reports import docx_parts as parts
from kansenaudit.reports.document import (
    Block,
    Chapter,
    FigureBlock,
    FootnoteRef,
    Heading,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Report,
    TableBlock,
    Text,
)
from kansenaudit.reports.docx_template import open_template
from kansenaudit.reports.labels import labels
from kansenaudit.reports.svg import safe_svg, svg_to_png

FIGURE_WIDTH_CM = 16.0
LANGUAGE_TAGS = {"nl": "nl-NL", "en": "en-GB"}


def render_docx(
    report: Report, *, template: bytes | None = None, template_name: str = "template.docx"
) -> bytes:
    """The whole report as DOCX bytes; ``template`` is the house-style ``.docx``/``.dotx``."""
    document = open_template(template, file_name=template_name)
    writer = _Writer(report, document)
    writer.write()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class _Writer:
    def __init__(self, report: Report, document: Any) -> None:
        self.report = report
        self.doc = document
        self.words = labels(report.language)
        self.numbers = report.chapter_numbers()
        self.notes = parts.Footnotes()
        self.figure_count = 0
        self.table_count = 0

    def write(self) -> None:
        r = self.report
        core = self.doc.core_properties
        core.title = r.title
        core.subject = r.subtitle
        core.author = r.organisation
        core.language = LANGUAGE_TAGS.get(r.language, r.language)
        core.keywords = ", ".join(r.keywords)
        parts.set_language(self.doc, LANGUAGE_TAGS.get(r.language, r.language))
        self.header_footer()
        self.title_page()
        for chapter in r.chapters:
            self.chapter(chapter)
        self.notes.attach(self.doc)
        parts.update_fields_on_open(self.doc)

    def header_footer(self) -> None:
        section = self.doc.sections[0]
        if self.report.notice:
            header = (
                section.header.paragraphs[0]
                if section.header.paragraphs
                else (section.header.add_paragraph())
            )
            header.text = self.report.notice
        footer = (
            section.footer.paragraphs[0]
            if section.footer.paragraphs
            else (section.footer.add_paragraph())
        )
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        parts.field(footer, "PAGE", "1")

    def title_page(self) -> None:
        from docx.enum.text import WD_BREAK

        r = self.report
        if r.organisation:
            self.doc.add_paragraph(r.organisation)
        self.doc.add_paragraph(r.title, style="Title")
        if r.subtitle:
            self.doc.add_paragraph(r.subtitle, style="Subtitle" if self._has("Subtitle") else None)
        meta = [
            x
            for x in (r.date_text, f"{self.words['version']} {r.version}" if r.version else "")
            if x
        ]
        if meta:
            self.doc.add_paragraph(" · ".join(meta))
        if r.notice:
            self.doc.add_paragraph(r.notice)
        heading = self.doc.add_paragraph(
            self.words["contents"], style="TOC Heading" if self._has("TOC Heading") else None
        )
        del heading
        toc = self.doc.add_paragraph()
        parts.field(toc, 'TOC \\o "1-3" \\h \\z \\u', self.words["contents"] + " …")
        toc.add_run().add_break(WD_BREAK.PAGE)

    def _has(self, style: str) -> bool:
        return any(s.name == style for s in self.doc.styles)

    def chapter(self, c: Chapter) -> None:
        number = self.numbers[c.key]
        if c.kind == "annex":
            title = f"{self.words['annex']} {number}: {c.title}"
        else:
            title = f"{number} {c.title}".strip()
        self.doc.add_heading(title, level=1)
        for block in c.blocks:
            self.block(block)

    def block(self, b: Block) -> None:
        if isinstance(b, Paragraph):
            self.inlines(self.doc.add_paragraph(), b.inlines)
        elif isinstance(b, Heading):
            self.inlines(self.doc.add_heading("", level=min(b.level, 3)), b.inlines)
        elif isinstance(b, ListBlock):
            style = "List Number" if b.ordered else "List Bullet"
            for item in b.items:
                self.inlines(self.doc.add_paragraph(style=style), item)
        elif isinstance(b, Quote):
            for p in b.paragraphs:
                self.inlines(self.doc.add_paragraph(style="Quote"), p.inlines)
        elif isinstance(b, TableBlock):
            self.table(b)
        elif isinstance(b, FigureBlock):
            self.figure(b)
        else:
            raise TypeError(f"unknown block {b!r}")

    def inlines(self, paragraph: Any, inlines: tuple[Inline, ...]) -> None:
        for i in inlines:
            if isinstance(i, Text):
                run = paragraph.add_run(i.text)
                run.bold = i.strong or None
                run.italic = i.emphasis or None
            elif isinstance(i, Link):
                if i.href.startswith("#"):
                    paragraph.add_run(i.text)
                else:
                    parts.hyperlink(paragraph, i.text, i.href)
            elif isinstance(i, FootnoteRef):
                self.notes.reference(paragraph, i.note.text)

    def table(self, t: TableBlock, *, caption: str | None = None) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        if caption is None:
            self.table_count += 1
            caption = f"{self.words['table']} {self.table_count}" + (
                f" – {t.caption}" if t.caption else ""
            )
        self.doc.add_paragraph(caption, style="Caption")
        width = max(len(t.columns), *(len(r) for r in t.rows)) if t.rows else len(t.columns)
        table = self.doc.add_table(rows=1 + len(t.rows), cols=max(width, 1))
        if self._has("Table Grid"):
            table.style = "Table Grid"
        for k, name in enumerate(t.columns):
            cell = table.rows[0].cells[k]
            cell.text = name
            for run in cell.paragraphs[0].runs:
                run.bold = True
        parts.mark_header_row(table.rows[0])
        for r, row in enumerate(t.rows, start=1):
            for k, value in enumerate(row):
                cell = table.rows[r].cells[k]
                cell.text = value
                if k in t.numeric:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if t.source:
            self.doc.add_paragraph(f"{self.words['source']}: {t.source}")

    def figure(self, f: FigureBlock) -> None:
        from docx.shared import Cm

        self.figure_count += 1
        n = self.figure_count
        name = f"{self.words['figure']} {n}"
        png = svg_to_png(safe_svg(f.svg, name=name))
        run = self.doc.add_paragraph().add_run()
        run.add_picture(io.BytesIO(png), width=Cm(FIGURE_WIDTH_CM))
        parts.picture_alt_text(run, f.alt, f.caption)
        self.doc.add_paragraph(f"{name} – {f.caption}", style="Caption")
        if f.source:
            self.doc.add_paragraph(f"{self.words['source']}: {f.source}")
        if f.data is not None:
            self.table(f.data, caption=f"{self.words['data_of']} {n}")
