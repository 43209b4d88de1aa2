# SPDX-License-Identifier: EUPL-1.2
"""DOCX and ODT with only ``zipfile`` and ``defusedxml``: safe, small, and no python-docx.

Safety first, before a single member is inflated:

* the ZIP's central directory is checked: at most ``Limits.max_zip_members`` members, at most
  ``Limits.max_unzipped_bytes`` declared in total, and no member above
  ``Limits.zip_ratio_min_bytes`` with a compression ratio above ``Limits.max_zip_ratio``
  (a zip bomb packs a gigabyte of zeros into a megabyte). Any of these → ``"zip-bomb"``;
* members are read with a bounded read, so a member that lies about its size cannot inflate
  beyond what it declared (``zipfile`` stops at the declared size and the CRC check fails);
* only fixed member names are read (``word/document.xml``, ``docProps/core.xml``,
  ``content.xml``, ``styles.xml``, ``meta.xml``); nothing is ever extracted to disk, so
  absolute or ``../`` member names cannot escape anywhere;
* XML is parsed with ``defusedxml`` with DTDs, entity declarations and external references
  forbidden (OOXML and ODF never need them): an XXE or billion-laughs file → ``"xml-entities"``.

Pages. DOCX has no fixed pages; a page ends at ``<w:br w:type="page"/>``, at
``<w:lastRenderedPageBreak/>`` (where Word last laid out a page break), before a paragraph
with ``<w:pageBreakBefore/>``, and after a section break that starts a new page. ODT pages end at
``<text:soft-page-break/>`` (LibreOffice's layout) and at paragraphs whose style, automatic or
named, has ``fo:break-before="page"`` or ``fo:break-after="page"``. Two breaks with nothing in
between make one break: Word writes both a page break and a rendered page break for the same
spot, so an intentionally blank page is not kept. Files without such hints are one page.

Text. Each paragraph (also in tables, lists, text boxes) is one line; tabs are ``\\t`` and line
breaks ``\\n``. Deleted tracked changes, field instructions, comments and Word's duplicate
fallback rendering of text boxes are left out. ODF whitespace rules apply: runs of spaces and
newlines in the XML are one space and ``<text:s text:c="n"/>`` gives ``n`` spaces.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from kansenaudit.ingest.limits import MB, Limits
from kansenaudit.ingest.model import IngestError, dutch_number
from kansenaudit.ingest.raw import RawDocument, RawMetadata, RawPage

__all__ = ["check_zip", "open_zip", "read_docx", "read_odt", "read_xml_member"]

_W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_ODF_SPACE = re.compile(r"[ \t\r\n]+")


# --- ZIP safety -------------------------------------------------------------------------------


def open_zip(data: bytes, file_name: str, limits: Limits) -> zipfile.ZipFile:
    """Open ``data`` as a ZIP and check it against ``limits`` before anything is inflated.

    Raises
    ------
    IngestError
        ``"corrupt"`` when it is no readable ZIP, ``"zip-bomb"`` when a limit is exceeded,
        ``"encrypted"`` when members are password-protected.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise IngestError("corrupt", file_name, f"ongeldig ZIP-bestand: {exc}") from exc
    try:
        check_zip(archive, file_name, limits)
    except IngestError:
        archive.close()
        raise
    return archive


def check_zip(archive: zipfile.ZipFile, file_name: str, limits: Limits) -> None:
    """Refuse a ZIP whose central directory promises a zip bomb (see the module docstring)."""
    infos = archive.infolist()
    if len(infos) > limits.max_zip_members:
        raise IngestError(
            "zip-bomb",
            file_name,
            f"{dutch_number(len(infos))} onderdelen; "
            f"maximaal {dutch_number(limits.max_zip_members)}",
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_unzipped_bytes:
        raise IngestError(
            "zip-bomb",
            file_name,
            f"uitgepakt {dutch_number(total / MB)} MB; "
            f"maximaal {dutch_number(limits.max_unzipped_bytes / MB)} MB",
        )
    for info in infos:
        if info.file_size >= limits.zip_ratio_min_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_zip_ratio:
                raise IngestError(
                    "zip-bomb",
                    file_name,
                    f"onderdeel {info.filename[:80]!r} is {dutch_number(ratio)} keer samengeperst",
                )
        if info.flag_bits & 0x1:
            raise IngestError("encrypted", file_name, f"onderdeel {info.filename[:80]!r}")


def _read_member(archive: zipfile.ZipFile, name: str, file_name: str, limits: Limits) -> bytes:
    info = archive.getinfo(name)
    cap = min(info.file_size, limits.max_unzipped_bytes)
    try:
        with archive.open(info) as member:
            data = member.read(cap + 1)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError) as exc:
        # RuntimeError: zipfile's message for encrypted members.
        raise IngestError("corrupt", file_name, f"{name}: {exc}") from exc
    except NotImplementedError as exc:
        raise IngestError("unsupported", file_name, f"{name}: {exc}") from exc
    if len(data) > cap:
        raise IngestError("zip-bomb", file_name, f"{name} is groter dan opgegeven")
    return data


def read_xml_member(
    archive: zipfile.ZipFile, name: str, file_name: str, limits: Limits
) -> Element | None:
    """Parse member ``name`` with defusedxml; None when the member is absent.

    Raises
    ------
    IngestError
        ``"xml-entities"`` for a DTD, entity declaration or external reference, ``"corrupt"``
        for XML that is not well-formed.
    """
    try:
        archive.getinfo(name)
    except KeyError:
        return None
    data = _read_member(archive, name, file_name, limits)
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise IngestError("xml-entities", file_name, f"{name}: {type(exc).__name__}") from exc
    except ParseError as exc:
        raise IngestError("corrupt", file_name, f"{name}: {exc}") from exc


# --- shared page builder ----------------------------------------------------------------------


class _Pages:
    """Accumulates paragraphs into pages; a break with nothing before it since the last is void."""

    def __init__(self) -> None:
        self.pages: list[list[str]] = [[]]
        self.current: list[str] = []

    def add(self, value: str) -> None:
        self.current.append(value)

    def end_paragraph(self) -> None:
        self.pages[-1].append("".join(self.current))
        self.current = []

    def page_break(self) -> None:
        has_text = any(part.strip() for part in self.current) or any(
            line.strip() for line in self.pages[-1]
        )
        if not has_text:
            return
        # A break inside a paragraph splits it: the part before stays on the old page.
        if self.current:
            self.end_paragraph()
        self.pages.append([])

    def result(self) -> list[RawPage]:
        if self.current:
            self.end_paragraph()
        return [RawPage("\n".join(lines)) for lines in self.pages]


def _parse_date(value: str | None) -> dt.date | None:
    match = _DATE.match(value or "")
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _text_of(element: Element | None) -> str | None:
    if element is None:
        return None
    value = " ".join("".join(element.itertext()).split())
    return value or None


# --- DOCX -------------------------------------------------------------------------------------


def _docx_walker(w: str) -> Callable[[Element, _Pages], None]:
    p, t, tab, br, cr = (f"{{{w}}}{n}" for n in ("p", "t", "tab", "br", "cr"))
    ppr, sectpr, pbb = f"{{{w}}}pPr", f"{{{w}}}sectPr", f"{{{w}}}pageBreakBefore"
    rendered, nbhyphen = f"{{{w}}}lastRenderedPageBreak", f"{{{w}}}noBreakHyphen"
    skip = {
        f"{{{w}}}delText",
        f"{{{w}}}instrText",
        f"{{{w}}}del",
        f"{{{w}}}commentReference",
        f"{{{_MC}}}Fallback",
        f"{{{w}}}rPr",
    }
    type_attr = f"{{{w}}}type"
    val_attr = f"{{{w}}}val"

    def walk(element: Element, out: _Pages) -> None:
        # Iterative walk: a hostile document can nest deeper than Python's recursion limit.
        stack: list[tuple[Element, bool]] = [(element, False)]
        while stack:
            node, closing = stack.pop()
            tag = node.tag
            if closing:
                if tag == p:
                    out.end_paragraph()
                    props = node.find(ppr)
                    section = props.find(sectpr) if props is not None else None
                    if section is not None:
                        kind = section.find(f"{{{w}}}type")
                        if kind is None or kind.get(val_attr, "nextPage") != "continuous":
                            out.page_break()
                continue
            if tag in skip:
                continue
            if tag == t:
                out.add(node.text or "")
                continue
            if tag == tab:
                out.add("\t")
                continue
            if tag == cr:
                out.add("\n")
                continue
            if tag == nbhyphen:
                out.add("-")
                continue
            if tag == br:
                if node.get(type_attr) == "page":
                    out.page_break()
                else:
                    out.add("\n")
                continue
            if tag == rendered:
                out.page_break()
                continue
            if tag == p:
                props = node.find(ppr)
                if props is not None:
                    flag = props.find(pbb)
                    if flag is not None and flag.get(val_attr, "true") not in ("0", "false"):
                        out.page_break()
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(node))

    return walk


def _core_properties(root: Element | None, metadata: RawMetadata) -> None:
    if root is None:
        return
    metadata.title = _text_of(root.find(f"{{{_DC}}}title"))
    metadata.author = _text_of(root.find(f"{{{_DC}}}creator"))
    metadata.language = _text_of(root.find(f"{{{_DC}}}language"))
    metadata.date = _parse_date(_text_of(root.find(f"{{{_DCTERMS}}}created")))
    keywords = _text_of(root.find(f"{{{_CP}}}keywords"))
    if keywords:
        metadata.keywords = tuple(k.strip() for k in re.split(r"[,;]", keywords) if k.strip())
    for child in root:
        name = child.tag.rsplit("}", 1)[-1]
        value = _text_of(child)
        if value:
            metadata.add_extra(name, value)


def read_docx(data: bytes, file_name: str, *, limits: Limits, ocr: bool = True) -> RawDocument:
    """Read a DOCX: paragraphs of ``word/document.xml``, metadata from ``docProps/core.xml``."""
    del ocr
    with open_zip(data, file_name, limits) as archive:
        root = read_xml_member(archive, "word/document.xml", file_name, limits)
        core = read_xml_member(archive, "docProps/core.xml", file_name, limits)
    if root is None:
        raise IngestError("corrupt", file_name, "word/document.xml ontbreekt")
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if namespace not in _W_NAMESPACES:
        raise IngestError("corrupt", file_name, "word/document.xml is geen WordprocessingML")
    body = root.find(f"{{{namespace}}}body")
    pages = _Pages()
    if body is not None:
        _docx_walker(namespace)(body, pages)
    metadata = RawMetadata()
    _core_properties(core, metadata)
    return RawDocument(pages=pages.result(), metadata=metadata)


# --- ODT --------------------------------------------------------------------------------------


def _odt_break_styles(*roots: Element | None) -> tuple[set[str], set[str]]:
    """Names of paragraph styles that break the page before / after (automatic and named)."""
    before: set[str] = set()
    after: set[str] = set()
    parents: dict[str, str] = {}
    for root in roots:
        if root is None:
            continue
        for style in root.iter(f"{{{_STYLE}}}style"):
            name = style.get(f"{{{_STYLE}}}name")
            if not name:
                continue
            parent = style.get(f"{{{_STYLE}}}parent-style-name")
            if parent:
                parents[name] = parent
            props = style.find(f"{{{_STYLE}}}paragraph-properties")
            if props is None:
                continue
            if props.get(f"{{{_FO}}}break-before") == "page":
                before.add(name)
            if props.get(f"{{{_FO}}}break-after") == "page":
                after.add(name)
    # Inheritance, one level at a time and bounded: cycles in hostile files must not loop.
    for _ in range(10):
        grown = False
        for name, parent in parents.items():
            if parent in before and name not in before:
                before.add(name)
                grown = True
            if parent in after and name not in after:
                after.add(name)
                grown = True
        if not grown:
            break
    return before, after


def _odt_walk(element: Element, out: _Pages, before: set[str], after: set[str]) -> None:
    paragraph_tags = {f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"}
    space, tab = f"{{{_TEXT}}}s", f"{{{_TEXT}}}tab"
    line_break, soft_break = f"{{{_TEXT}}}line-break", f"{{{_TEXT}}}soft-page-break"
    note, note_body = f"{{{_TEXT}}}note", f"{{{_TEXT}}}note-body"
    skip = {
        f"{{{_OFFICE}}}annotation",
        f"{{{_OFFICE}}}annotation-end",
        f"{{{_TEXT}}}tracked-changes",
        f"{{{_TEXT}}}sequence-decls",
        f"{{{_TEXT}}}variable-decls",
        f"{{{_TEXT}}}user-field-decls",
        f"{{{_OFFICE}}}forms",
        f"{{{_TEXT}}}bookmark-start",
    }
    style_attr = f"{{{_TEXT}}}style-name"
    count_attr = f"{{{_TEXT}}}c"
    # Inline content is collected per paragraph so ODF's whitespace collapsing can run over it;
    # explicit spaces (text:s) and tabs are protected with private-use placeholders meanwhile.
    keep_space, keep_tab, keep_newline = "\ue000", "\ue001", "\ue002"
    state = {"in_paragraph": 0}
    buffer: list[str] = []
    notes: list[Element] = []

    def collapse() -> str:
        text = _ODF_SPACE.sub(" ", "".join(buffer)).strip(" ")
        buffer.clear()
        return text.replace(keep_space, " ").replace(keep_tab, "\t").replace(keep_newline, "\n")

    def queue_tail(node: Element) -> None:
        if node.tail and node is not element:
            stack.append((node.tail, False))

    stack: list[tuple[Element | str, bool]] = [(element, False)]
    while stack:
        node, closing = stack.pop()
        if isinstance(node, str):  # a text run or tail queued in document order
            if state["in_paragraph"]:
                buffer.append(node)
            continue
        tag = node.tag
        if closing:
            state["in_paragraph"] -= 1
            if not state["in_paragraph"]:
                out.add(collapse())
                out.end_paragraph()
                # Footnotes and endnotes follow their paragraph as lines of their own.
                pending = list(notes)
                notes.clear()
                for item in pending:
                    body = item.find(note_body)
                    if body is not None:
                        _odt_walk(body, out, set(), set())
                if node.get(style_attr) in after:
                    out.page_break()
            continue
        if tag in skip:
            queue_tail(node)
            continue
        if tag == note and state["in_paragraph"]:
            citation = _text_of(node.find(f"{{{_TEXT}}}note-citation"))
            if citation:
                buffer.append(citation)
            notes.append(node)
            queue_tail(node)
            continue
        if tag == space:
            try:
                count = int(node.get(count_attr, "1"))
            except ValueError:
                count = 1
            buffer.append(keep_space * max(1, min(count, 1000)))
            queue_tail(node)
            continue
        if tag in (tab, line_break):
            buffer.append(keep_tab if tag == tab else keep_newline)
            queue_tail(node)
            continue
        if tag == soft_break:
            if state["in_paragraph"]:
                # The break falls inside a paragraph: its first part stays on the old page.
                out.add(collapse())
            out.page_break()
            queue_tail(node)
            continue
        is_paragraph = tag in paragraph_tags
        if is_paragraph and not state["in_paragraph"] and node.get(style_attr) in before:
            out.page_break()
        if is_paragraph:
            if state["in_paragraph"]:
                # A paragraph nested in a paragraph (a text box in a frame): a line of its own.
                buffer.append(keep_newline)
            state["in_paragraph"] += 1
        # Queue in reverse: tail (after the element), closing marker, children, own text.
        queue_tail(node)
        if is_paragraph:
            stack.append((node, True))
        for child in reversed(list(node)):
            stack.append((child, False))
        if node.text:
            stack.append((node.text, False))


def _odt_metadata(root: Element | None, metadata: RawMetadata) -> None:
    if root is None:
        return
    meta = root.find(f"{{{_OFFICE}}}meta")
    if meta is None:
        return
    metadata.title = _text_of(meta.find(f"{{{_DC}}}title"))
    metadata.author = _text_of(meta.find(f"{{{_DC}}}creator")) or _text_of(
        meta.find(f"{{{_META}}}initial-creator")
    )
    metadata.language = _text_of(meta.find(f"{{{_DC}}}language"))
    metadata.date = _parse_date(_text_of(meta.find(f"{{{_META}}}creation-date"))) or _parse_date(
        _text_of(meta.find(f"{{{_DC}}}date"))
    )
    keywords = [_text_of(k) for k in meta.findall(f"{{{_META}}}keyword")]
    metadata.keywords = tuple(k for k in keywords if k)
    for child in meta:
        local = child.tag.rsplit("}", 1)[-1]
        if local == "user-defined":
            name = child.get(f"{{{_META}}}name") or ""
            # "OVERHEIDop.ParlID/DC.identifier" style names: the part after the slash is the
            # field, the part before its scheme.
            field_name = name.rsplit("/", 1)[-1]
            value = _text_of(child)
            if value:
                metadata.add_extra(field_name, value)
                lowered = field_name.lower()
                if lowered == "dc.creator" and not metadata.issuer:
                    metadata.issuer = value
                if lowered in ("dcterms.issued", "dc.date") and metadata.date is None:
                    metadata.date = _parse_date(value)
        elif local not in ("document-statistic", "keyword"):
            value = _text_of(child)
            if value:
                metadata.add_extra(local, value)


def read_odt(data: bytes, file_name: str, *, limits: Limits, ocr: bool = True) -> RawDocument:
    """Read an ODT: paragraphs and headings of ``content.xml``, metadata from ``meta.xml``."""
    del ocr
    with open_zip(data, file_name, limits) as archive:
        content = read_xml_member(archive, "content.xml", file_name, limits)
        styles = read_xml_member(archive, "styles.xml", file_name, limits)
        meta = read_xml_member(archive, "meta.xml", file_name, limits)
    if content is None:
        raise IngestError("corrupt", file_name, "content.xml ontbreekt")
    before, after = _odt_break_styles(content, styles)
    pages = _Pages()
    body = content.find(f"{{{_OFFICE}}}body")
    text_root = body.find(f"{{{_OFFICE}}}text") if body is not None else None
    if text_root is not None:
        _odt_walk(text_root, pages, before, after)
    metadata = RawMetadata()
    _odt_metadata(meta, metadata)
    return RawDocument(pages=pages.result(), metadata=metadata)
