# SPDX-License-Identifier: EUPL-1.2
"""DOCX and ODT transcripts: their paragraphs, with the paragraphs in a speaker style marked,
read with ``zipfile`` and ``defusedxml`` under the ZIP checks of ``ingest.office``.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from kansenaudit.fieldwork.transcript_model import LIMITS, TranscriptError
from kansenaudit.ingest.model import IngestError
from kansenaudit.ingest.office import open_zip, read_xml_member

# --- DOCX and ODT -----------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_SPEAKER_STYLE = re.compile(r"speaker|spreker|sprekernaam", re.IGNORECASE)


def read_office(data: bytes, file_name: str, file_format: str) -> tuple[str, set[str]]:
    try:
        archive = open_zip(data, file_name, LIMITS)
        with archive:
            if file_format == "docx":
                body = read_xml_member(archive, "word/document.xml", file_name, LIMITS)
                styles = read_xml_member(archive, "word/styles.xml", file_name, LIMITS)
                if body is None:
                    raise TranscriptError("corrupt", file_name, detail="no word/document.xml")
                paragraphs = _docx_paragraphs(body, _docx_style_names(styles))
            else:
                content = read_xml_member(archive, "content.xml", file_name, LIMITS)
                styles = read_xml_member(archive, "styles.xml", file_name, LIMITS)
                if content is None:
                    raise TranscriptError("corrupt", file_name, detail="no content.xml")
                paragraphs = _odt_paragraphs(content, _odt_style_names(content, styles))
    except IngestError as exc:
        code = {"zip-bomb": "hostile", "xml-entities": "hostile", "encrypted": "encrypted"}.get(
            exc.code, "corrupt"
        )
        raise TranscriptError(code, file_name, detail=exc.code) from exc
    lines: list[str] = []
    forced: set[str] = set()
    for text, is_speaker in paragraphs:
        if is_speaker:
            name = text.strip().rstrip(":").strip()
            if name:
                forced.add(name)
                lines.append(f"{name}:")
            continue
        lines.append(text)
    return "\n".join(lines), forced


def _docx_style_names(styles: Element | None) -> dict[str, str]:
    names: dict[str, str] = {}
    if styles is None:
        return names
    for style in styles.iter(f"{{{_W}}}style"):
        style_id = style.get(f"{{{_W}}}styleId", "")
        name_element = style.find(f"{{{_W}}}name")
        names[style_id] = (
            name_element.get(f"{{{_W}}}val", style_id) if name_element is not None else style_id
        )
    return names


def _docx_paragraphs(body: Element, style_names: dict[str, str]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    skip = {f"{{{_W}}}{tag}" for tag in ("del", "instrText", "delText", "commentReference")}
    skip.add("{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback")

    def text_of(element: Element, parts: list[str]) -> None:
        for child in element:
            if child.tag in skip:
                continue
            if child.tag == f"{{{_W}}}t":
                parts.append(child.text or "")
            elif child.tag == f"{{{_W}}}tab":
                parts.append("\t")
            elif child.tag in (f"{{{_W}}}br", f"{{{_W}}}cr"):
                parts.append("\n")
            elif child.tag == f"{{{_W}}}p":
                continue
            else:
                text_of(child, parts)

    for paragraph in body.iter(f"{{{_W}}}p"):
        parts: list[str] = []
        text_of(paragraph, parts)
        style = paragraph.find(f"{{{_W}}}pPr/{{{_W}}}pStyle")
        style_id = style.get(f"{{{_W}}}val", "") if style is not None else ""
        style_name = style_names.get(style_id, style_id)
        is_speaker = bool(style_id and _SPEAKER_STYLE.search(f"{style_id} {style_name}"))
        out.append(("".join(parts), is_speaker))
    return out


def _odt_style_names(content: Element, styles: Element | None) -> dict[str, str]:
    """Style name → the names it stands for (own and parent display names), joined."""
    parents: dict[str, str] = {}
    display: dict[str, str] = {}
    for root in (content, styles):
        if root is None:
            continue
        for style in root.iter(f"{{{_STYLE}}}style"):
            name = style.get(f"{{{_STYLE}}}name", "")
            parents[name] = style.get(f"{{{_STYLE}}}parent-style-name", "")
            display[name] = style.get(f"{{{_STYLE}}}display-name", name)
    resolved: dict[str, str] = {}
    for name in parents:
        seen: list[str] = []
        current = name
        while current and current not in seen and len(seen) < 20:
            seen.append(current)
            current = parents.get(current, "")
        resolved[name] = " ".join(f"{item} {display.get(item, item)}" for item in seen)
    return resolved


def _odt_paragraphs(content: Element, style_names: dict[str, str]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    body = content.find(f"{{{_OFFICE}}}body")
    if body is None:
        return out
    space = re.compile(r"[ \t\r\n]+")

    def text_of(element: Element, parts: list[str]) -> None:
        if element.text:
            parts.append(space.sub(" ", element.text))
        for child in element:
            tag = child.tag
            if tag == f"{{{_TEXT}}}s":
                parts.append(" " * int(child.get(f"{{{_TEXT}}}c", "1") or 1))
            elif tag == f"{{{_TEXT}}}tab":
                parts.append("\t")
            elif tag == f"{{{_TEXT}}}line-break":
                parts.append("\n")
            elif tag in (f"{{{_OFFICE}}}annotation", f"{{{_TEXT}}}note"):
                pass
            else:
                text_of(child, parts)
            if child.tail:
                parts.append(space.sub(" ", child.tail))

    for element in body.iter():
        if element.tag not in (f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"):
            continue
        parts: list[str] = []
        text_of(element, parts)
        style = element.get(f"{{{_TEXT}}}style-name", "")
        names = style_names.get(style, style)
        out.append(("".join(parts).strip(" "), bool(style and _SPEAKER_STYLE.search(names))))
    return out
