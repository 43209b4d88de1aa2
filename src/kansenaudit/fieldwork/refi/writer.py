# SPDX-License-Identifier: EUPL-1.2
"""Write REFI-QDA: a ``.qdpx`` project (``project.qde`` + ``sources/<guid>.txt``) or a ``.qdc``.

The XML follows the element order of ``Project.xsd`` and ``Codebook.xsd`` (REFI-QDA 1.5,
namespaces ``urn:QDA-XML:project:1.0`` and ``urn:QDA-XML:codebook:1.0``). Text sources are
UTF-8 files without a byte-order mark, referenced as ``plainTextPath="internal://<guid>.txt"``.
Each code on a selection is one ``Coding`` with a GUID derived from the selection and the code,
so GUIDs are stable across exports. A note is written under ``Notes`` and referenced by a
``NoteRef`` in each of its targets. The ZIP is deterministic: fixed member order and times.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from kansenaudit.fieldwork.refi.model import (
    NS_CODEBOOK,
    NS_PROJECT,
    QdaCode,
    QdaProject,
    QdaSelection,
    guid_for,
)

__all__ = ["write_qdc", "write_qdpx"]

_RGB = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_GUID = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
# Characters XML 1.0 cannot carry at all; a source containing them cannot be exported.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _check_guid(guid: str, what: str) -> str:
    if not _GUID.match(guid):
        raise ValueError(f"{what} has no valid GUID: {guid!r}")
    return guid.upper()


def _datetime(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _code_element(
    parent: ET.Element, code: QdaCode, ns: str, notes_for: dict[str, list[str]]
) -> None:
    attrs = {
        "guid": _check_guid(code.guid, f"code {code.name!r}"),
        "name": code.name,
        "isCodable": "true" if code.is_codable else "false",
    }
    if code.color:
        if not _RGB.match(code.color):
            raise ValueError(f"code {code.name!r} has an invalid colour {code.color!r}")
        attrs["color"] = code.color.upper()
    element = ET.SubElement(parent, f"{{{ns}}}Code", attrs)
    if code.description:
        ET.SubElement(element, f"{{{ns}}}Description").text = code.description
    for note_guid in notes_for.get(code.guid.upper(), []):
        ET.SubElement(element, f"{{{ns}}}NoteRef", {"targetGUID": note_guid})
    for child in code.children:
        _code_element(element, child, ns, notes_for)


def _xml_bytes(root: ET.Element, ns: str) -> bytes:
    ET.register_namespace("", ns)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_qdc(codes: Sequence[QdaCode], *, origin: str) -> bytes:
    """A REFI-QDA codebook (``.qdc``): the code hierarchy with colours and descriptions."""
    root = ET.Element(f"{{{NS_CODEBOOK}}}CodeBook", {"origin": origin})
    codes_element = ET.SubElement(root, f"{{{NS_CODEBOOK}}}Codes")
    for code in codes:
        _code_element(codes_element, code, NS_CODEBOOK, {})
    if not codes:
        raise ValueError("a REFI-QDA codebook needs at least one code")
    return _xml_bytes(root, NS_CODEBOOK)


def _selection_order(project: QdaProject) -> list[QdaSelection]:
    index = {source.guid.upper(): i for i, source in enumerate(project.sources)}
    return sorted(
        project.selections,
        key=lambda s: (index.get(s.source_guid.upper(), len(index)), s.start, s.end, s.guid),
    )


def project_qde(project: QdaProject) -> bytes:
    """The ``project.qde`` XML of ``project`` (sources referenced by path, not inline)."""
    ns = NS_PROJECT
    notes_for: dict[str, list[str]] = {}
    for note in project.notes:
        for target in note.target_guids:
            notes_for.setdefault(target.upper(), []).append(_check_guid(note.guid, "note"))
    root = ET.Element(f"{{{ns}}}Project", {"name": project.name, "origin": project.origin})
    if project.users:
        users = ET.SubElement(root, f"{{{ns}}}Users")
        for user in project.users:
            ET.SubElement(
                users,
                f"{{{ns}}}User",
                {"guid": _check_guid(user.guid, f"user {user.name!r}"), "name": user.name},
            )
    if project.codes:
        codebook = ET.SubElement(root, f"{{{ns}}}CodeBook")
        codes = ET.SubElement(codebook, f"{{{ns}}}Codes")
        for code in project.codes:
            _code_element(codes, code, ns, notes_for)
    known_codes = {code.guid.upper() for code in project.all_codes()}
    by_source: dict[str, list[QdaSelection]] = {}
    for selection in _selection_order(project):
        by_source.setdefault(selection.source_guid.upper(), []).append(selection)
    source_guids = {source.guid.upper() for source in project.sources}
    for guid in by_source:
        if guid not in source_guids:
            raise ValueError(f"a selection refers to source {guid}, which is not in the project")
    if project.sources:
        sources = ET.SubElement(root, f"{{{ns}}}Sources")
        for source in project.sources:
            guid = _check_guid(source.guid, f"source {source.name!r}")
            if _XML_INVALID.search(source.name):
                raise ValueError(f"source {source.name!r} has characters XML cannot hold")
            element = ET.SubElement(
                sources,
                f"{{{ns}}}TextSource",
                {"guid": guid, "name": source.name, "plainTextPath": f"internal://{guid}.txt"},
            )
            for selection in by_source.get(guid, []):
                _selection_element(element, selection, source.text, known_codes, notes_for)
            for note_guid in notes_for.get(guid, []):
                ET.SubElement(element, f"{{{ns}}}NoteRef", {"targetGUID": note_guid})
    if project.notes:
        notes = ET.SubElement(root, f"{{{ns}}}Notes")
        for note in project.notes:
            element = ET.SubElement(
                notes, f"{{{ns}}}Note", {"guid": note.guid.upper(), "name": note.name}
            )
            ET.SubElement(element, f"{{{ns}}}PlainTextContent").text = note.text
    return _xml_bytes(root, ns)


def _selection_element(
    parent: ET.Element,
    selection: QdaSelection,
    text: str,
    known_codes: set[str],
    notes_for: dict[str, list[str]],
) -> None:
    ns = NS_PROJECT
    if not 0 <= selection.start <= selection.end <= len(text):
        raise ValueError(
            f"selection {selection.guid} ({selection.start}–{selection.end}) is outside its source"
        )
    attrs = {
        "guid": _check_guid(selection.guid, "selection"),
        "name": _XML_INVALID.sub("", text[selection.start : selection.end][:100]),
        "startPosition": str(selection.start),
        "endPosition": str(selection.end),
    }
    if selection.user_guid:
        attrs["creatingUser"] = _check_guid(selection.user_guid, "user")
    if selection.created:
        attrs["creationDateTime"] = _datetime(selection.created)
    element = ET.SubElement(parent, f"{{{ns}}}PlainTextSelection", attrs)
    for code_guid in selection.code_guids:
        code = code_guid.upper()
        if code not in known_codes:
            raise ValueError(f"selection {selection.guid} refers to unknown code {code_guid}")
        coding_attrs = {"guid": guid_for("coding", f"{selection.guid.upper()}:{code}")}
        if selection.user_guid:
            coding_attrs["creatingUser"] = selection.user_guid.upper()
        if selection.created:
            coding_attrs["creationDateTime"] = _datetime(selection.created)
        coding = ET.SubElement(element, f"{{{ns}}}Coding", coding_attrs)
        ET.SubElement(coding, f"{{{ns}}}CodeRef", {"targetGUID": code})
    for note_guid in notes_for.get(selection.guid.upper(), []):
        ET.SubElement(element, f"{{{ns}}}NoteRef", {"targetGUID": note_guid})


def write_qdpx(project: QdaProject) -> bytes:
    """A ``.qdpx`` archive: ``project.qde`` and ``sources/<GUID>.txt`` per text source.

    Raises
    ------
    ValueError
        When the project is inconsistent (a selection outside its source, an unknown code or
        source, an invalid GUID or colour): nothing is written.
    """
    qde = project_qde(project)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("project.qde", date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, qde)
        for source in project.sources:
            if _XML_INVALID.search(source.text):
                # Not needed for the .txt, but other tools copy text into XML: refuse early.
                raise ValueError(f"source {source.name!r} has characters XML cannot hold")
            info = zipfile.ZipInfo(f"sources/{source.guid.upper()}.txt", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, source.text.encode("utf-8"))
    return buffer.getvalue()
