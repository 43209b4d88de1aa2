# SPDX-License-Identifier: EUPL-1.2
"""The report as a tree of plain objects, the one input of every writer (DOCX, HTML, PDF).

A report is built once from its Markdown chapters with every reference resolved
(``reports.markup``), then written in each format. The writers never resolve anything
themselves, so the three formats cannot disagree about a number, a quote or a footnote.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

# --- Inline content ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A run of text; ``strong`` and ``emphasis`` as in Markdown's ``**`` and ``*``."""

    text: str
    strong: bool = False
    emphasis: bool = False


@dataclass(frozen=True)
class Link:
    """A hyperlink; only ``http(s)``, ``mailto`` and in-report (``#``) targets are kept."""

    text: str
    href: str


@dataclass(frozen=True)
class Footnote:
    """A footnote: a citation of a source (document, issuer, date, page) or a remark."""

    text: str
    # The resolved reference it came from ("citation:12"), for the sources annex and the checks.
    source: str = ""


@dataclass(frozen=True)
class FootnoteRef:
    """The place of a footnote in the text; writers number footnotes in reading order."""

    note: Footnote


Inline = Text | Link | FootnoteRef

# --- Blocks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    """A heading inside a chapter: level 2 is a section, 3 a subsection (level 1 is the chapter)."""

    level: int
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class ListBlock:
    items: tuple[tuple[Inline, ...], ...]
    ordered: bool = False


@dataclass(frozen=True)
class Quote:
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class TableBlock:
    """A table with a caption; cells are text (numbers already formatted in Dutch style)."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    source: str = ""  # the line under the table: where the figures come from
    # Columns aligned right (numbers), by index.
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class FigureBlock:
    """A figure: an SVG drawing with its caption, a text alternative and, where it has data,
    the table behind it (shown with the figure in HTML, as an annex table in print)."""

    caption: str
    alt: str
    svg: str
    data: TableBlock | None = None
    source: str = ""


Block = Paragraph | Heading | ListBlock | Quote | TableBlock | FigureBlock

# --- The report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chapter:
    """A chapter: numbered ones get "1", "2" …; annexes ("bijlagen") get "A", "B" …"""

    key: str
    title: str
    blocks: tuple[Block, ...]
    kind: str = "chapter"  # "front" (samenvatting, unnumbered), "chapter" or "annex"


@dataclass(frozen=True)
class Report:
    title: str
    chapters: tuple[Chapter, ...]
    subtitle: str = ""
    organisation: str = ""
    date_text: str = ""  # already in Dutch style ("7 december 2026")
    version: str = ""
    language: str = "nl"
    # A notice on every page and the title page, e.g. that the content is fictional (demo).
    notice: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)

    def chapter_numbers(self) -> dict[str, str]:
        """The number of each chapter by key: "1", "2" … and "A", "B" … for annexes."""
        numbers: dict[str, str] = {}
        chapter = annex = 0
        for c in self.chapters:
            if c.kind == "chapter":
                chapter += 1
                numbers[c.key] = str(chapter)
            elif c.kind == "annex":
                numbers[c.key] = chr(ord("A") + annex)
                annex += 1
            else:
                numbers[c.key] = ""
        return numbers

    def footnotes(self) -> Iterator[Footnote]:
        """Every footnote in reading order (the same order every writer numbers them in)."""
        for chapter in self.chapters:
            for block in chapter.blocks:
                yield from _notes_in_block(block)

    def figures(self) -> Iterator[FigureBlock]:
        for chapter in self.chapters:
            for block in chapter.blocks:
                if isinstance(block, FigureBlock):
                    yield block


def block_inlines(block: Block) -> Iterator[tuple[Inline, ...]]:
    """The runs of inline content of a block (a paragraph has one, a list one per item)."""
    if isinstance(block, (Paragraph, Heading)):
        yield block.inlines
    elif isinstance(block, ListBlock):
        yield from block.items
    elif isinstance(block, Quote):
        for paragraph in block.paragraphs:
            yield paragraph.inlines


def _notes_in_block(block: Block) -> Iterator[Footnote]:
    for inlines in block_inlines(block):
        for inline in inlines:
            if isinstance(inline, FootnoteRef):
                yield inline.note


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The text of inline content without footnote marks (for headings in a table of contents)."""
    return "".join(i.text for i in inlines if isinstance(i, (Text, Link)))
