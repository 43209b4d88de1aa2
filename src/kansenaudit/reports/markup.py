# SPDX-License-Identifier: EUPL-1.2
"""A chapter's Markdown with references → the blocks of ``reports.document``.

Chapters are CommonMark (markdown-it-py) with tables, raw HTML switched off (a ``<script>`` is
shown as text, never passed on). References to the workbench are written ``{{kind:id}}``:

- inline, e.g. ``{{citation:12}}`` (a footnote naming document, issuer, date and page),
  ``{{number:gini.werkloosheid.2023}}`` (a number in Dutch style with its unit),
  ``{{finding:7}}`` (a finding's title);
- alone in a paragraph, e.g. ``{{figure:map.werkloosheid}}`` or ``{{table:norms}}``: a figure or
  table block.

What each kind means is the resolver's business (the web app resolves against a dossier); this
module only parses, asks, and collects what could not be resolved. An unresolved reference
never shows a value: the text gets a visible marker instead, and the problem is reported with
its chapter and line, so a version with problems cannot be frozen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from kansenaudit.reports.document import (
    Block,
    Footnote,
    FootnoteRef,
    Heading,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    TableBlock,
    Text,
)

REFERENCE = re.compile(r"\{\{\s*([a-z_]+)\s*:\s*([^{}\s]+)\s*\}\}")
SAFE_LINK = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)
MAX_CHAPTER_CHARS = 2_000_000


@dataclass(frozen=True)
class Resolved:
    """What a reference stands for: inline content, and/or a block (or several) when it stands
    alone. ``problem`` (a reason code, with ``detail``) is shown content that may not yet be
    published, e.g. findings not yet signed off: it is rendered, and reported like an
    unresolved reference, so that the version cannot be frozen."""

    inlines: tuple[Inline, ...] = ()
    block: Block | None = None
    blocks: tuple[Block, ...] = ()
    problem: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Unresolved:
    """A reference that cannot be shown; ``reason`` is a stable code ("missing", "withheld",
    "other_dossier", "changed", "unknown_kind", …) and ``detail`` says more in English."""

    reason: str
    detail: str = ""


class Resolver(Protocol):
    def resolve(self, kind: str, ref: str) -> Resolved | Unresolved: ...


@dataclass(frozen=True)
class ReferenceProblem:
    chapter: str
    line: int
    reference: str
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class Parsed:
    blocks: tuple[Block, ...]
    problems: tuple[ReferenceProblem, ...]
    references: tuple[str, ...]  # every reference in order of appearance ("citation:12")


def _parser():  # noqa: ANN202 - markdown_it's type is imported lazily
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def parse_chapter(source: str, *, chapter: str, resolver: Resolver) -> Parsed:
    """Parse one chapter's Markdown, resolving every reference through ``resolver``."""
    if len(source) > MAX_CHAPTER_CHARS:
        raise ValueError(f"chapter {chapter!r} is longer than {MAX_CHAPTER_CHARS:,} characters")
    state = _State(chapter, resolver)
    tokens = _parser().parse(source.replace("\r\n", "\n"))
    state.walk(tokens)
    return Parsed(tuple(state.blocks), tuple(state.problems), tuple(state.references))


class _State:
    def __init__(self, chapter: str, resolver: Resolver) -> None:
        self.chapter = chapter
        self.resolver = resolver
        self.blocks: list[Block] = []
        self.problems: list[ReferenceProblem] = []
        self.references: list[str] = []

    # Block level: markdown-it gives a flat stream of open/close tokens with inline children.
    def walk(self, tokens: list) -> None:
        """Append the blocks of ``tokens`` (a paragraph may stand for several blocks)."""
        i = 0
        while i < len(tokens):
            token = tokens[i]
            line = (token.map[0] + 1) if token.map else 0
            kind = token.type
            if kind == "heading_open":
                level = min(3, int(token.tag[1]) + 1)
                self.blocks.append(Heading(level, self.inlines(tokens[i + 1], line)))
                i += 3
            elif kind == "paragraph_open":
                self.blocks.extend(self.paragraph(tokens[i + 1], line))
                i += 3
            elif kind in ("bullet_list_open", "ordered_list_open"):
                i = self.list_block(tokens, i, ordered=kind == "ordered_list_open")
            elif kind == "blockquote_open":
                i = self.quote(tokens, i)
            elif kind == "table_open":
                i = self.table(tokens, i)
            elif kind in ("fence", "code_block"):
                self.blocks.append(Paragraph((Text(token.content.rstrip("\n")),)))
                i += 1
            else:  # hr, html_block (shown as text by markdown-it with html off), closers
                i += 1

    def paragraph(self, inline_token: Any, line: int) -> list[Block]:
        content = inline_token.content.strip()
        alone = REFERENCE.fullmatch(content)
        if alone:
            kind, ref = alone.group(1), alone.group(2)
            result = self.ask(kind, ref, line)
            if isinstance(result, Resolved) and (result.block is not None or result.blocks):
                return [*((result.block,) if result.block is not None else ()), *result.blocks]
            if isinstance(result, Resolved):
                return [Paragraph(result.inlines)]
            return [Paragraph((self.marker(kind, ref),))]
        return [Paragraph(self.inlines(inline_token, line))]

    def list_block(self, tokens: list, i: int, *, ordered: bool) -> int:
        depth, items = 0, []
        while i < len(tokens):
            token = tokens[i]
            if token.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
                if depth == 0:
                    break
            elif token.type == "inline":
                # Nested lists are flattened into the outer list's items (reports keep lists flat).
                items.append(self.inlines(token, (token.map[0] + 1) if token.map else 0))
            i += 1
        self.blocks.append(ListBlock(tuple(items), ordered))
        return i + 1

    def quote(self, tokens: list, i: int) -> int:
        depth, paragraphs = 0, []
        while i < len(tokens):
            token = tokens[i]
            if token.type == "blockquote_open":
                depth += 1
            elif token.type == "blockquote_close":
                depth -= 1
                if depth == 0:
                    break
            elif token.type == "inline":
                paragraphs.append(Paragraph(self.inlines(token, 0)))
            i += 1
        self.blocks.append(Quote(tuple(paragraphs)))
        return i + 1

    def table(self, tokens: list, i: int) -> int:
        header: list[str] = []
        rows: list[tuple[str, ...]] = []
        row: list[str] = []
        in_head = False
        while tokens[i].type != "table_close":
            token = tokens[i]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                row = []
            elif token.type == "tr_close":
                if in_head:
                    header = row
                else:
                    rows.append(tuple(row))
            elif token.type == "inline":
                line = (token.map[0] + 1) if token.map else 0
                row.append("".join(_text_of(x) for x in self.inlines(token, line)))
            i += 1
        self.blocks.append(TableBlock(caption="", columns=tuple(header), rows=tuple(rows)))
        return i + 1

    # Inline level.
    def inlines(self, inline_token: Any, line: int) -> tuple[Inline, ...]:
        out: list[Inline] = []
        strong = emphasis = False
        link_href: str | None = None
        link_text: list[str] = []
        for child in inline_token.children or []:
            kind = child.type
            if kind == "strong_open":
                strong = True
            elif kind == "strong_close":
                strong = False
            elif kind == "em_open":
                emphasis = True
            elif kind == "em_close":
                emphasis = False
            elif kind == "link_open":
                link_href, link_text = str(child.attrs.get("href", "")), []
            elif kind == "link_close":
                text = "".join(link_text)
                if link_href and SAFE_LINK.match(link_href):
                    out.append(Link(text, link_href))
                else:
                    out.append(Text(text, strong, emphasis))
                link_href = None
            elif kind in ("text", "code_inline"):
                if link_href is not None:
                    link_text.append(child.content)
                else:
                    out.extend(self.text_with_references(child.content, line, strong, emphasis))
            elif kind in ("softbreak", "hardbreak"):
                (link_text.append(" ") if link_href is not None else out.append(Text(" ")))
            elif kind == "image":
                # Pictures come in as {{figure:…}} references (with alternative text and a
                # source), never as a file path from the text.
                self.problems.append(
                    ReferenceProblem(self.chapter, line, child.attrs.get("src", ""), "image")
                )
                out.append(Text(child.content))
        return _merge(out)

    def text_with_references(
        self, text: str, line: int, strong: bool, emphasis: bool
    ) -> list[Inline]:
        out: list[Inline] = []
        position = 0
        for match in REFERENCE.finditer(text):
            if match.start() > position:
                out.append(Text(text[position : match.start()], strong, emphasis))
            kind, ref = match.group(1), match.group(2)
            result = self.ask(kind, ref, line)
            if isinstance(result, Resolved) and result.inlines:
                out.extend(result.inlines)
            elif isinstance(result, Resolved):  # a block reference inside running text
                self.problems.append(
                    ReferenceProblem(self.chapter, line, f"{kind}:{ref}", "block_inline")
                )
                out.append(self.marker(kind, ref))
            else:
                out.append(self.marker(kind, ref))
            position = match.end()
        if position < len(text):
            out.append(Text(text[position:], strong, emphasis))
        return out

    def ask(self, kind: str, ref: str, line: int) -> Resolved | Unresolved:
        reference = f"{kind}:{ref}"
        self.references.append(reference)
        result = self.resolver.resolve(kind, ref)
        if isinstance(result, Unresolved):
            self.problems.append(
                ReferenceProblem(self.chapter, line, reference, result.reason, result.detail)
            )
        elif result.problem:
            self.problems.append(
                ReferenceProblem(self.chapter, line, reference, result.problem, result.detail)
            )
        return result

    @staticmethod
    def marker(kind: str, ref: str) -> Text:
        # Visible in a draft, never a value: the reference's name only.
        return Text(f"[{kind}:{ref}?]", strong=True)


def _text_of(inline: Inline) -> str:
    if isinstance(inline, FootnoteRef):
        return ""
    return inline.text


def _merge(inlines: list[Inline]) -> tuple[Inline, ...]:
    """Join neighbouring text runs of the same style (markdown-it splits text at markers)."""
    out: list[Inline] = []
    for inline in inlines:
        last = out[-1] if out else None
        if (
            isinstance(inline, Text)
            and isinstance(last, Text)
            and (last.strong, last.emphasis) == (inline.strong, inline.emphasis)
        ):
            out[-1] = Text(last.text + inline.text, last.strong, last.emphasis)
        elif not (isinstance(inline, Text) and inline.text == ""):
            out.append(inline)
    return tuple(out)


def note(text: str, source: str = "") -> Resolved:
    """A resolution that places a footnote (for citation resolvers)."""
    return Resolved(inlines=(FootnoteRef(Footnote(text, source)),))
