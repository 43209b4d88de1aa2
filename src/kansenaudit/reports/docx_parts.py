# SPDX-License-Identifier: EUPL-1.2
"""The Word parts python-docx has no API for: native footnotes, fields and hyperlinks.

Footnotes are real Word footnotes (``word/footnotes.xml`` with ``w:footnoteReference`` in the
text), so Word and LibreOffice number them, place them at the foot of the page and keep them
when the text is edited. A template that already has a footnotes part (Word's own templates do,
with the separator lines) gets our notes appended to it.
"""

from __future__ import annotations

from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
HYPERLINK_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _el(tag: str, **attrs: str) -> Any:
    from lxml import etree

    element = etree.Element(_w(tag), nsmap={"w": W})
    for key, value in attrs.items():
        element.set(_w(key), value)
    return element


def _sub(parent: Any, tag: str, **attrs: str) -> Any:
    from lxml import etree

    element = etree.SubElement(parent, _w(tag))
    for key, value in attrs.items():
        element.set(_w(key), value)
    return element


def _text_run(parent: Any, text: str) -> Any:
    run = _sub(parent, "r")
    t = _sub(run, "t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


class Footnotes:
    """Collects footnotes while the body is written; ``attach`` writes the part at the end."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def reference(self, paragraph: Any, text: str) -> int:
        """Add a footnote with ``text`` and put its reference mark at the end of ``paragraph``."""
        self.notes.append(text)
        number = len(self.notes)
        run = _sub(paragraph._p, "r")
        props = _sub(run, "rPr")
        _sub(props, "rStyle", val="FootnoteReference")
        _sub(run, "footnoteReference", id=str(number))
        return number

    def attach(self, document: Any) -> None:
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part
        from lxml import etree

        if not self.notes:
            return
        existing = [
            rel.target_part
            for rel in document.part.rels.values()
            if rel.reltype == FOOTNOTES_RT and not rel.is_external
        ]
        if existing:
            part = existing[0]
            root = etree.fromstring(part.blob)
            # Our notes take ids after the template's own (separators use -1/0 or 0/1).
            used = [int(n.get(_w("id"))) for n in root.findall(_w("footnote"))]
            offset = max([0, *used])
        else:
            part = None
            root = _el("footnotes")
            for kind, separator_id in (("separator", "-1"), ("continuationSeparator", "0")):
                note = _sub(root, "footnote", type=kind, id=separator_id)
                p = _sub(note, "p")
                run = _sub(p, "r")
                _sub(run, kind)
            offset = 0
            _footnote_settings(document)
        for number, text in enumerate(self.notes, start=1):
            note = _sub(root, "footnote", id=str(number + offset))
            p = _sub(note, "p")
            _sub(_sub(p, "pPr"), "pStyle", val="FootnoteText")
            mark = _sub(p, "r")
            _sub(_sub(mark, "rPr"), "rStyle", val="FootnoteReference")
            _sub(mark, "footnoteRef")
            _text_run(p, " " + text)
        if offset:
            for reference in document.element.body.iter(_w("footnoteReference")):
                reference.set(_w("id"), str(int(reference.get(_w("id"))) + offset))
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if part is None:
            part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, blob, document.part.package)
            document.part.relate_to(part, FOOTNOTES_RT)
        else:
            part._blob = blob


def _footnote_settings(document: Any) -> None:
    """Tell Word which footnotes are the separators (it expects this when it finds them)."""
    settings = document.settings.element
    if settings.find(_w("footnotePr")) is not None:
        return
    pr = _el("footnotePr")
    _sub(pr, "footnote", id="-1")
    _sub(pr, "footnote", id="0")
    settings.append(pr)


def update_fields_on_open(document: Any) -> None:
    """Ask Word to update fields (the table of contents) when the file is opened."""
    settings = document.settings.element
    if settings.find(_w("updateFields")) is None:
        settings.append(_el("updateFields", val="true"))


def field(paragraph: Any, instruction: str, placeholder: str) -> None:
    """A complex field (``TOC …``, ``PAGE``) with ``placeholder`` as its current result."""
    p = paragraph._p
    begin = _sub(p, "r")
    _sub(begin, "fldChar", fldCharType="begin", dirty="true")
    instr = _sub(_sub(p, "r"), "instrText")
    instr.text = f" {instruction} "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    _sub(_sub(p, "r"), "fldChar", fldCharType="separate")
    _text_run(p, placeholder)
    _sub(_sub(p, "r"), "fldChar", fldCharType="end")


def hyperlink(paragraph: Any, text: str, url: str) -> None:
    """An external hyperlink (python-docx has runs but no links)."""
    r_id = paragraph.part.relate_to(url, HYPERLINK_RT, is_external=True)
    link = _sub(paragraph._p, "hyperlink")
    link.set(f"{{{R}}}id", r_id)
    run = _sub(link, "r")
    _sub(_sub(run, "rPr"), "rStyle", val="Hyperlink")
    t = _sub(run, "t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def mark_header_row(row: Any) -> None:
    """Repeat the row on every page and mark it as the table's header (for screen readers)."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(_el("tblHeader", val="true"))


def set_language(document: Any, language: str) -> None:
    """The proofing language of every run that does not say otherwise (``nl-NL``)."""
    styles = document.styles.element
    defaults = styles.find(_w("docDefaults"))
    if defaults is None:
        defaults = _sub(styles, "docDefaults")
    rpr_default = defaults.find(_w("rPrDefault"))
    if rpr_default is None:
        rpr_default = _sub(defaults, "rPrDefault")
    rpr = rpr_default.find(_w("rPr"))
    if rpr is None:
        rpr = _sub(rpr_default, "rPr")
    lang = rpr.find(_w("lang"))
    if lang is None:
        lang = _sub(rpr, "lang")
    lang.set(_w("val"), language)


def picture_alt_text(run: Any, alt: str, title: str) -> None:
    """Alternative text on the picture just added to ``run`` (``wp:docPr`` descr/title)."""
    for doc_pr in run._r.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    ):
        doc_pr.set("descr", alt)
        doc_pr.set("title", title)
