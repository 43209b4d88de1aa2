# SPDX-License-Identifier: EUPL-1.2
"""HTML and XHTML: visible text only, block elements on their own lines, metadata from ``<meta>``.

The parser is lxml's HTML parser with ``no_network=True`` and comments and processing
instructions removed; it never fetches a DTD, stylesheet, image or script, and HTML parsing
does not expand external entities. Script-like and embedded content (``script``, ``style``,
``noscript``, ``iframe``, ``object``, ``embed``, ``template``, ``svg``, …) is dropped whole, and
attributes (``onload=…``) are never read as text, so nothing executable reaches the text.

Whitespace follows the browser: runs of spaces and newlines in the source become one space,
except inside ``<pre>``/``<textarea>``. Block elements (``p``, ``div``, ``h1``…, ``li``, ``tr``,
…) start a new line and ``<br>`` is a line break; table cells are separated by a tab. A page
break comes before each ``<div class="page">`` and wherever a CSS ``page-break-before/after``
or ``break-before/after`` asks for one; without those the document is one page.

Metadata: ``DC.title`` (else ``<title>``), ``DC.creator``, ``DC.date`` / ``DCTERMS.issued`` /
``DCTERMS.created`` / ``DCTERMS.available``, ``DC.language``, ``keywords``; every ``<meta name>``
(``OVERHEIDop.dossiernummer`` and friends) also lands in ``extra``.
"""

from __future__ import annotations

import datetime as dt
import re

import lxml.etree
import lxml.html

from kansenaudit.ingest.limits import Limits
from kansenaudit.ingest.model import IngestError
from kansenaudit.ingest.raw import RawDocument, RawMetadata, RawPage
from kansenaudit.ingest.text import decode_text

__all__ = ["read_html"]

_DROP = {
    "script",
    "style",
    "noscript",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "template",
    "svg",
    "canvas",
    "audio",
    "video",
    "head",
    "link",
    "meta",
    "base",
    "input",
    "select",
}
_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "textarea",
    "tfoot",
    "thead",
    "tr",
    "ul",
}
_CELLS = {"td", "th"}
_PREFORMATTED = {"pre", "textarea", "listing", "plaintext", "xmp"}
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# The doctype goes before parsing: libxml2's HTML parser does not understand an internal subset
# (``<!DOCTYPE html [<!ENTITY …>]>``) and would spill it into the text. Entities are never
# expanded either way.
_DOCTYPE = re.compile(r"^\s*<!DOCTYPE\s[^\[>]*(?:\[.*?\])?\s*>", re.IGNORECASE | re.DOTALL)
_BREAK_BEFORE = re.compile(r"(?:page-break-before|break-before)\s*:\s*(?:always|page)", re.I)
_BREAK_AFTER = re.compile(r"(?:page-break-after|break-after)\s*:\s*(?:always|page)", re.I)
_DATE_KEYS = ("dc.date", "dcterms.issued", "dcterms.created", "dcterms.available", "date")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


class _Renderer:
    """Collects visible text into lines and pages, collapsing whitespace like a browser."""

    def __init__(self) -> None:
        self.pages: list[list[str]] = [[]]
        self.line: list[str] = []
        self.space = False

    def text(self, value: str, preformatted: bool) -> None:
        if not value:
            return
        if preformatted:
            parts = value.replace("\r\n", "\n").split("\n")
            for index, part in enumerate(parts):
                if index:
                    self.newline()
                if part:
                    self.line.append(part)
            self.space = False
            return
        collapsed = _WHITESPACE.sub(" ", value)
        if collapsed.startswith(" "):
            self.space = True
            collapsed = collapsed[1:]
        if not collapsed:
            return
        if self.space and self.line:
            self.line.append(" ")
        self.space = collapsed.endswith(" ")
        self.line.append(collapsed.rstrip(" "))

    def tab(self) -> None:
        if self.line:
            self.line.append("\t")
        self.space = False

    def newline(self) -> None:
        self.pages[-1].append("".join(self.line))
        self.line = []
        self.space = False

    def block(self) -> None:
        # A block boundary ends the current line, but never adds empty lines of its own.
        if self.line:
            self.newline()
        self.space = False

    def page_break(self) -> None:
        self.block()
        if any(line.strip() for line in self.pages[-1]):
            self.pages.append([])

    def result(self) -> list[str]:
        self.block()
        return ["\n".join(lines) for lines in self.pages]


def _local_name(element: lxml.etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _walk(element: lxml.etree._Element, out: _Renderer, preformatted: bool, depth: int) -> None:
    name = _local_name(element)
    if not name or name in _DROP:
        # Comments, processing instructions and dropped elements contribute nothing, but the
        # text after them (their tail) belongs to the parent.
        out.text(element.tail or "", preformatted)
        return
    if depth > 500:
        raise RecursionError("HTML nested too deeply")
    classes = (element.get("class") or "").split()
    style = element.get("style") or ""
    if (name == "div" and "page" in classes) or _BREAK_BEFORE.search(style):
        out.page_break()
    is_block = name in _BLOCK
    inner_pre = preformatted or name in _PREFORMATTED
    if is_block:
        out.block()
    elif name in _CELLS:
        out.tab()
    if name == "br":
        out.newline()
    elif name == "img":
        alt = " ".join((element.get("alt") or "").split())
        if alt:
            out.text(f" {alt} ", preformatted)
    else:
        out.text(element.text or "", inner_pre)
        for child in element:
            _walk(child, out, inner_pre, depth + 1)
    if is_block:
        out.block()
    if _BREAK_AFTER.search(style):
        out.page_break()
    out.text(element.tail or "", preformatted)


def _decode(data: bytes) -> tuple[str, list[str]]:
    head = data[:4096]
    declared = None
    match = _XML_ENCODING.match(head) or _CHARSET.search(head)
    if match:
        declared = match.group(1).decode("ascii", "replace")
    text, _encoding, warnings = decode_text(data, declared)
    # lxml refuses a str that still carries an XML encoding declaration; we decoded already.
    text = _XML_DECLARATION.sub("", text, count=1)
    return _DOCTYPE.sub("", text, count=1), warnings


def _parse_date(value: str) -> dt.date | None:
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _metadata(root: lxml.etree._Element) -> RawMetadata:
    metadata = RawMetadata()
    values: dict[str, list[str]] = {}
    for meta in root.iter("meta", "{http://www.w3.org/1999/xhtml}meta"):
        name = (meta.get("name") or meta.get("property") or "").strip()
        content = " ".join((meta.get("content") or "").split())
        if not name or not content:
            continue
        values.setdefault(name.lower(), []).append(content)
        metadata.add_extra(name, content)
    title_elements = root.xpath("//*[local-name()='title']")
    page_title = (
        " ".join((title_elements[0].text_content() or "").split()) if title_elements else ""
    )

    def first(*keys: str) -> str | None:
        for key in keys:
            if values.get(key):
                return values[key][0]
        return None

    metadata.title = first("dc.title", "dcterms.title", "og:title") or page_title or None
    metadata.author = first("dc.creator", "author")
    metadata.issuer = first("dc.creator", "overheid.authority", "dcterms.creator")
    metadata.language = first("dc.language", "dcterms.language", "language") or (
        root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    )
    for key in _DATE_KEYS:
        for value in values.get(key, []):
            metadata.date = _parse_date(value)
            if metadata.date:
                break
        if metadata.date:
            break
    keywords = first("keywords", "dc.subject")
    if keywords:
        metadata.keywords = tuple(k.strip() for k in re.split(r"[,;]", keywords) if k.strip())
    return metadata


def read_html(data: bytes, file_name: str, *, limits: Limits, ocr: bool = True) -> RawDocument:
    """Read an HTML or XHTML file into pages of visible text and its ``<meta>`` metadata."""
    del limits, ocr
    text, warnings = _decode(data)
    parser = lxml.html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
    )
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        if not text.strip():
            return RawDocument(pages=[RawPage("")], warnings=warnings)
        raise IngestError("corrupt", file_name, f"HTML niet leesbaar: {exc}") from exc
    metadata = _metadata(root)
    renderer = _Renderer()
    body = root.find("body")
    _walk(root if body is None else body, renderer, False, 0)
    pages = [RawPage(page) for page in renderer.result()]
    return RawDocument(pages=pages, metadata=metadata, warnings=warnings)
