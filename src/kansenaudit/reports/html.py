# SPDX-License-Identifier: EUPL-1.2
"""The report as one accessible HTML page: for the web (footnotes as links) and for print.

``mode="web"``: a table of contents, footnotes as numbered links to the notes at the end of
each chapter (with a link back), figures as inline SVG inside an element with ``role="img"`` and
the figure's alternative text, and the data behind each figure in a ``<details>`` table.
``mode="print"``: the same page for WeasyPrint (``reports.pdf``): footnotes in place with CSS
``float: footnote`` so they land at the foot of their page, figures as images with ``alt``
(which the tagged PDF carries), A4 pages with page numbers.
"""

from __future__ import annotations

import base64
from html import escape
from importlib.resources import files

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
    plain_text,
)
from kansenaudit.reports.labels import labels
from kansenaudit.reports.svg import safe_svg


def stylesheet(mode: str = "web") -> str:
    """The report's stylesheet (``report.css``, plus ``print.css`` for the PDF)."""
    folder = files("kansenaudit.reports") / "static"
    css = (folder / "report.css").read_text(encoding="utf-8")
    if mode == "print":
        css += "\n" + (folder / "print.css").read_text(encoding="utf-8")
    return css


def render_html(report: Report, *, mode: str = "web", stylesheet_href: str | None = None) -> str:
    """The whole report as an HTML document (UTF-8 text).

    ``stylesheet_href`` links the stylesheet instead of embedding it (the publication site
    serves it as a file, so its pages need no inline styles).
    """
    return _Writer(report, mode).document(stylesheet_href)


class _Writer:
    def __init__(self, report: Report, mode: str) -> None:
        if mode not in ("web", "print"):
            raise ValueError(f"mode must be 'web' or 'print', not {mode!r}")
        self.report = report
        self.mode = mode
        self.words = labels(report.language)
        self.numbers = report.chapter_numbers()
        self.note_count = 0
        self.figure_count = 0
        self.table_count = 0
        self.chapter_notes: list[tuple[int, str]] = []

    def document(self, stylesheet_href: str | None) -> str:
        r = self.report
        head = [
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(r.title)}</title>",
            # No favicon to fetch: a static host without one answers 404 to every visit.
            '<link rel="icon" href="data:,">',
        ]
        if r.organisation:
            head.append(f'<meta name="author" content="{escape(r.organisation)}">')
        if r.keywords:
            head.append(f'<meta name="keywords" content="{escape(", ".join(r.keywords))}">')
        if stylesheet_href:
            head.append(f'<link rel="stylesheet" href="{escape(stylesheet_href)}">')
        else:
            head.append(f"<style>{stylesheet(self.mode)}</style>")
        body = [self.title_page()]
        if self.mode == "web":
            body.append(self.contents())
        body.append("<main>")
        body.extend(self.chapter(c) for c in r.chapters)
        body.append("</main>")
        return (
            f'<!DOCTYPE html>\n<html lang="{escape(r.language)}">\n<head>\n'
            + "\n".join(head)
            + "\n</head>\n<body>\n"
            + "\n".join(body)
            + "\n</body>\n</html>\n"
        )

    def title_page(self) -> str:
        r = self.report
        parts = ['<header class="title-page">']
        if r.notice:
            parts.append(f'<p class="notice" role="note">{escape(r.notice)}</p>')
        if r.organisation:
            parts.append(f'<p class="organisation">{escape(r.organisation)}</p>')
        parts.append(f"<h1>{escape(r.title)}</h1>")
        if r.subtitle:
            parts.append(f'<p class="subtitle">{escape(r.subtitle)}</p>')
        meta = [
            x
            for x in (r.date_text, f"{self.words['version']} {r.version}" if r.version else "")
            if x
        ]
        if meta:
            parts.append(f'<p class="meta">{escape(" · ".join(meta))}</p>')
        parts.append("</header>")
        return "\n".join(parts)

    def contents(self) -> str:
        items = []
        for c in self.report.chapters:
            number = self.numbers[c.key]
            label = (
                f"{number} {c.title}".strip()
                if c.kind != "annex"
                else (f"{self.words['annex']} {number}: {c.title}")
            )
            items.append(f'<li><a href="#{_id(c.key)}">{escape(label)}</a></li>')
        return (
            f'<nav class="contents" aria-labelledby="contents-title">'
            f'<h2 id="contents-title">{escape(self.words["contents"])}</h2>'
            f"<ol>{''.join(items)}</ol></nav>"
        )

    def chapter(self, c: Chapter) -> str:
        number = self.numbers[c.key]
        if c.kind == "annex":
            title = f"{self.words['annex']} {number}: {c.title}"
        else:
            title = f"{number} {c.title}".strip()
        self.chapter_notes = []
        inner = [self.block(b) for b in c.blocks]
        parts = [
            f'<section class="chapter {escape(c.kind)}" id="{_id(c.key)}" '
            f'aria-labelledby="{_id(c.key)}-title">',
            f'<h2 id="{_id(c.key)}-title">{escape(title)}</h2>',
            *inner,
        ]
        if self.chapter_notes and self.mode == "web":
            parts.append(
                f'<section class="notes" aria-label="{escape(self.words["notes"])}">'
                f'<h3 class="visually-hidden">{escape(self.words["notes"])}</h3><ol>'
            )
            for n, text in self.chapter_notes:
                parts.append(
                    f'<li id="fn-{n}" value="{n}">{escape(text)} '
                    f'<a href="#fnref-{n}" class="back">↩'
                    f'<span class="visually-hidden"> {escape(self.words["back"])}</span></a></li>'
                )
            parts.append("</ol></section>")
        parts.append("</section>")
        return "\n".join(parts)

    def block(self, b: Block) -> str:
        if isinstance(b, Paragraph):
            return f"<p>{self.inlines(b.inlines)}</p>"
        if isinstance(b, Heading):
            level = b.level + 1  # h1 is the report, h2 the chapter
            return f"<h{level}>{self.inlines(b.inlines)}</h{level}>"
        if isinstance(b, ListBlock):
            tag = "ol" if b.ordered else "ul"
            items = "".join(f"<li>{self.inlines(item)}</li>" for item in b.items)
            return f"<{tag}>{items}</{tag}>"
        if isinstance(b, Quote):
            return "<blockquote>" + "".join(self.block(p) for p in b.paragraphs) + "</blockquote>"
        if isinstance(b, TableBlock):
            return self.table(b)
        if isinstance(b, FigureBlock):
            return self.figure(b)
        raise TypeError(f"unknown block {b!r}")

    def inlines(self, inlines: tuple[Inline, ...]) -> str:
        out = []
        for i in inlines:
            if isinstance(i, Text):
                text = escape(i.text)
                if i.emphasis:
                    text = f"<em>{text}</em>"
                if i.strong:
                    text = f"<strong>{text}</strong>"
                out.append(text)
            elif isinstance(i, Link):
                out.append(f'<a href="{escape(i.href)}">{escape(i.text)}</a>')
            elif isinstance(i, FootnoteRef):
                self.note_count += 1
                n = self.note_count
                if self.mode == "print":
                    out.append(f'<span class="footnote">{escape(i.note.text)}</span>')
                else:
                    self.chapter_notes.append((n, i.note.text))
                    out.append(
                        f'<sup class="noteref"><a href="#fn-{n}" id="fnref-{n}">'
                        f'<span class="visually-hidden">{escape(self.words["note_label"])} </span>'
                        f"{n}</a></sup>"
                    )
        return "".join(out)

    def table(self, t: TableBlock, *, numbered: bool = True, caption: str | None = None) -> str:
        if numbered:
            self.table_count += 1
        title = (
            caption
            if caption is not None
            else (
                f"{self.words['table']} {self.table_count}"
                + (f" – {t.caption}" if t.caption else "")
            )
        )
        head = "".join(f'<th scope="col">{escape(c)}</th>' for c in t.columns)
        rows = []
        for row in t.rows:
            cells = "".join(
                f'<td class="num">{escape(v)}</td>' if k in t.numeric else f"<td>{escape(v)}</td>"
                for k, v in enumerate(row)
            )
            rows.append(f"<tr>{cells}</tr>")
        source = (
            f'<p class="source">{escape(self.words["source"])}: {escape(t.source)}</p>'
            if t.source
            else ""
        )
        return (
            f'<div class="table-wrap" role="region" tabindex="0" aria-label="{escape(title)}">'
            f"<table><caption>{escape(title)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>{source}"
        )

    def figure(self, f: FigureBlock) -> str:
        self.figure_count += 1
        n = self.figure_count
        svg = safe_svg(f.svg, name=f"{self.words['figure']} {n}")
        caption = f"{self.words['figure']} {n} – {f.caption}"
        if self.mode == "print":
            data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
            drawing = f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(f.alt)}">'
        else:
            drawing = (
                f'<div class="drawing" role="img" aria-label="{escape(f.alt)}">'
                f'<div aria-hidden="true">{svg}</div></div>'
            )
        parts = [
            f'<figure id="figuur-{n}">',
            drawing,
            f"<figcaption>{escape(caption)}</figcaption>",
        ]
        if f.source:
            parts.append(
                f'<p class="source">{escape(self.words["source"])}: {escape(f.source)}</p>'
            )
        if f.data is not None:
            label = f"{self.words['data_of']} {n}"
            table = self.table(f.data, numbered=False, caption=label)
            if self.mode == "web":
                parts.append(f"<details><summary>{escape(label)}</summary>{table}</details>")
            else:
                parts.append(table)
        parts.append("</figure>")
        return "".join(parts)


def _id(key: str) -> str:
    return "h-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in key)


def heading_texts(report: Report) -> list[str]:
    """The chapter and section headings in order (for checks of every format)."""
    out = []
    for c in report.chapters:
        out.append(c.title)
        out.extend(plain_text(b.inlines) for b in c.blocks if isinstance(b, Heading))
    return out
