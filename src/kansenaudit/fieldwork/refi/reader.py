# SPDX-License-Identifier: EUPL-1.2
"""Read REFI-QDA ``.qdpx`` projects and ``.qdc`` codebooks from any tool, safely.

Safety, before anything is parsed: the archive must be a ZIP within the limits below (member
count, total inflated size, compression ratio: zip bombs), no member name may be absolute or
contain ``..`` (path traversal), members are read with a bounded read and never extracted to
disk, and XML is parsed with ``defusedxml`` with DTDs, entities and external references
forbidden. Any of these, an archive without a ``.qde``, a source path that is absolute, climbs
out of the archive or names a missing member, or XML that is not a REFI-QDA project: a
:class:`RefiError`, and nothing is returned.

What is read: users; codes with hierarchy, colour, description and ``isCodable``; text
sources (``plainTextPath`` ``internal://…`` or relative, or ``PlainTextContent``) and their
``PlainTextSelection`` codings; notes (``Notes/Note``) with the ``NoteRef`` targets pointing at
them. The project file may have any name ending in ``.qde`` (ATLAS.ti and others do not always
call it ``project.qde``); GUIDs are compared case-insensitively and returned in upper case.

What is reported as an :class:`ImportIssue` (by element, never dropped silently): every element
we do not import (``Variables``, ``Cases``, ``Sets``, ``Graphs``, ``Links``, picture, PDF, audio
and video sources, descriptions of sources and selections…), codings that point to unknown
codes, selections outside their source's text, invalid colours, and rich-text-only sources.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import Counter
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from kansenaudit.fieldwork.refi.model import (
    NS_CODEBOOK,
    NS_PROJECT,
    ImportIssue,
    QdaCode,
    QdaNote,
    QdaProject,
    QdaSelection,
    QdaSource,
    QdaUser,
    RefiError,
)

__all__ = ["MAX_MEMBERS", "MAX_QDPX_BYTES", "MAX_UNZIPPED_BYTES", "read_qdc", "read_qdpx"]

MB = 1024 * 1024
MAX_QDPX_BYTES = 200 * MB
"""Largest ``.qdpx`` accepted."""
MAX_UNZIPPED_BYTES = 1024 * MB
"""Most bytes the members read from a ``.qdpx`` may inflate to together (declared and actual)."""
MAX_MEMBERS = 20_000
MAX_RATIO = 200.0
"""Highest compression ratio of a member above 1 MB (plain text compresses about 3–10 ×)."""
_RATIO_MIN_BYTES = 1 * MB

_RGB = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_GUID = re.compile(
    r"^\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?$"
)


# --- safe archive -----------------------------------------------------------------------------


def _open_archive(data: bytes, file_name: str) -> zipfile.ZipFile:
    if len(data) > MAX_QDPX_BYTES:
        raise RefiError(file_name, "", f"the file is larger than {MAX_QDPX_BYTES // MB} MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise RefiError(file_name, "", f"it is not a valid ZIP archive ({exc})") from exc
    if len(infos) > MAX_MEMBERS:
        raise RefiError(file_name, "", f"it has {len(infos)} members (at most {MAX_MEMBERS})")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise RefiError(file_name, "", "it would unpack to more than the limit (zip bomb)")
    for info in infos:
        name = info.filename
        if _unsafe_path(name):
            raise RefiError(file_name, name[:200], "an absolute path or '..' in the archive")
        if info.flag_bits & 0x1:
            raise RefiError(file_name, name[:200], "the archive is encrypted")
        if (
            info.file_size >= _RATIO_MIN_BYTES
            and info.file_size / max(info.compress_size, 1) > MAX_RATIO
        ):
            raise RefiError(
                file_name, name[:200], "a member is compressed suspiciously well (zip bomb)"
            )
    return archive


def _unsafe_path(name: str) -> bool:
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or re.match(r"^[A-Za-z]:", normalised) or "\x00" in normalised:
        return True
    return any(part == ".." for part in normalised.split("/"))


class _Budget:
    """Counts inflated bytes across members, so lying size headers cannot exceed the total."""

    def __init__(self) -> None:
        self.left = MAX_UNZIPPED_BYTES

    def read(self, archive: zipfile.ZipFile, name: str, file_name: str) -> bytes:
        info = archive.getinfo(name)
        cap = min(info.file_size, self.left)
        try:
            with archive.open(info) as member:
                data = member.read(cap + 1)
        except (
            zipfile.BadZipFile,
            ValueError,
            OSError,
            EOFError,
            RuntimeError,
            NotImplementedError,
        ) as exc:
            raise RefiError(file_name, name, f"the member cannot be read ({exc})") from exc
        if len(data) > cap:
            raise RefiError(file_name, name, "the member is larger than it declares (zip bomb)")
        self.left -= len(data)
        return data


def _parse_xml(data: bytes, file_name: str, element: str) -> Element:
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise RefiError(
            file_name, element, f"a DTD or XML entities are not allowed ({type(exc).__name__})"
        ) from exc
    except ParseError as exc:
        raise RefiError(file_name, element, f"the XML is not well-formed ({exc})") from exc


# --- helpers ----------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _guid(value: str | None, file_name: str, element: str) -> str:
    match = _GUID.match((value or "").strip())
    if match is None:
        raise RefiError(file_name, element, f"invalid or missing GUID {value!r}")
    return match.group(1).upper()


def _datetime(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


class _Issues:
    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def add(self, element: str, message: str) -> None:
        self.counts[(element, message)] += 1

    def result(self) -> list[ImportIssue]:
        out = []
        for (element, message), count in self.counts.items():
            suffix = f" ({count} times)" if count > 1 else ""
            out.append(ImportIssue(element, message + suffix))
        return out


def _read_codes(
    parent: Element, ns: str, file_name: str, issues: _Issues, notes: dict[str, list[str]]
) -> list[QdaCode]:
    codes = []
    for element in parent:
        if _local(element.tag) != "Code" or not element.tag.startswith(f"{{{ns}}}"):
            issues.add(_local(element.tag), "not imported: unknown element in the code book")
            continue
        guid = _guid(element.get("guid"), file_name, "Code")
        name = element.get("name")
        if name is None:
            raise RefiError(file_name, "Code", f"code {guid} has no name")
        color = element.get("color")
        if color is not None and not _RGB.match(color.strip()):
            issues.add("Code", f"the colour {color[:20]!r} of a code is invalid and was left out")
            color = None
        elif color is not None:
            color = color.strip().upper()
            if len(color) == 4:
                color = "#" + "".join(c * 2 for c in color[1:])
        description = ""
        children_parent: list[Element] = []
        for child in element:
            tag = _local(child.tag)
            if tag == "Description":
                description = child.text or ""
            elif tag == "Code":
                children_parent.append(child)
            elif tag == "NoteRef":
                target = child.get("targetGUID")
                if target:
                    notes.setdefault(_guid(target, file_name, "NoteRef"), []).append(guid)
            else:
                issues.add(tag, "not imported: unknown element in a code")
        holder = Element("holder")
        holder.extend(children_parent)
        is_codable = (element.get("isCodable") or "true").strip().lower() != "false"
        codes.append(
            QdaCode(
                guid=guid,
                name=name,
                color=color,
                description=description,
                is_codable=is_codable,
                children=_read_codes(holder, ns, file_name, issues, notes),
            )
        )
    return codes


# --- .qdpx ------------------------------------------------------------------------------------

_UNSUPPORTED_TOP = {
    "Variables": "variables are not imported",
    "Cases": "cases are not imported",
    "Sets": "sets are not imported",
    "Graphs": "graphs are not imported",
    "Links": "links are not imported",
    "Description": "the project description is not imported",
}
_OTHER_SOURCES = {"PictureSource", "PDFSource", "AudioSource", "VideoSource"}


def read_qdpx(
    data: bytes, *, file_name: str = "project.qdpx"
) -> tuple[QdaProject, list[ImportIssue]]:
    """Read a REFI-QDA project archive.

    Returns
    -------
    tuple
        The project and the list of what was not imported.

    Raises
    ------
    RefiError
        When the archive is hostile, damaged, or not a REFI-QDA project (nothing is returned).
    """
    archive = _open_archive(data, file_name)
    with archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        qde_names = [
            name for name in names if name.lower().endswith(".qde") and "/" not in name.strip("/")
        ]
        if not qde_names:
            qde_names = [name for name in names if name.lower().endswith(".qde")]
        if not qde_names:
            raise RefiError(file_name, "", "the archive has no .qde project file")
        if len(qde_names) > 1:
            preferred = [name for name in qde_names if name.lower() == "project.qde"]
            if len(preferred) != 1:
                raise RefiError(file_name, "", f"the archive has {len(qde_names)} .qde files")
            qde_names = preferred
        budget = _Budget()
        root = _parse_xml(budget.read(archive, qde_names[0], file_name), file_name, qde_names[0])
        if root.tag != f"{{{NS_PROJECT}}}Project":
            raise RefiError(file_name, _local(root.tag), "the .qde file is not a REFI-QDA project")
        return _read_project(root, archive, set(names), budget, file_name)


def _read_project(
    root: Element, archive: zipfile.ZipFile, members: set[str], budget: _Budget, file_name: str
) -> tuple[QdaProject, list[ImportIssue]]:
    ns = NS_PROJECT
    issues = _Issues()
    note_targets: dict[str, list[str]] = {}
    project = QdaProject(name=root.get("name") or "", origin=root.get("origin") or "")
    selections_raw: list[tuple[Element, str, str]] = []
    notes_elements: list[Element] = []
    for element in root:
        tag = _local(element.tag)
        if tag == "Users":
            for user in element:
                if _local(user.tag) != "User":
                    issues.add(_local(user.tag), "not imported: unknown element in Users")
                    continue
                project.users.append(
                    QdaUser(_guid(user.get("guid"), file_name, "User"), user.get("name") or "")
                )
        elif tag == "CodeBook":
            for codes in element:
                if _local(codes.tag) == "Codes":
                    project.codes.extend(_read_codes(codes, ns, file_name, issues, note_targets))
                else:
                    issues.add(_local(codes.tag), "not imported: unknown element in CodeBook")
        elif tag == "Sources":
            for source in element:
                source_tag = _local(source.tag)
                if source_tag == "TextSource":
                    _read_text_source(
                        source,
                        archive,
                        members,
                        budget,
                        file_name,
                        project,
                        issues,
                        note_targets,
                        selections_raw,
                    )
                elif source_tag in _OTHER_SOURCES:
                    issues.add(
                        source_tag,
                        f"source {source.get('name', '')[:80]!r} not imported: only text sources "
                        "are",
                    )
                else:
                    issues.add(source_tag, "not imported: unknown element in Sources")
        elif tag == "Notes":
            notes_elements.extend(note for note in element)
        elif tag == "NoteRef":
            target = element.get("targetGUID")
            if target:
                note_targets.setdefault(_guid(target, file_name, "NoteRef"), [])
        elif tag in _UNSUPPORTED_TOP:
            issues.add(tag, _UNSUPPORTED_TOP[tag])
        else:
            issues.add(tag, "not imported: unknown element in Project")
    code_guids = {code.guid for code in project.all_codes()}
    texts = {source.guid: source.text for source in project.sources}
    for selection_element, source_guid, _ in selections_raw:
        selection = _read_selection(
            selection_element,
            source_guid,
            texts[source_guid],
            code_guids,
            file_name,
            issues,
            note_targets,
        )
        if selection is not None:
            project.selections.append(selection)
    for note in notes_elements:
        if _local(note.tag) != "Note":
            issues.add(_local(note.tag), "not imported: unknown element in Notes")
            continue
        guid = _guid(note.get("guid"), file_name, "Note")
        text = ""
        for child in note:
            child_tag = _local(child.tag)
            if child_tag == "PlainTextContent":
                text = child.text or ""
            elif child_tag == "Description":
                issues.add("Note/Description", "the description of a note is not imported")
            else:
                issues.add(f"Note/{child_tag}", "not imported")
        if not text and note.get("plainTextPath"):
            text = _source_text(
                note.get("plainTextPath") or "", archive, members, budget, file_name, "Note"
            )
        project.notes.append(
            QdaNote(guid, note.get("name") or "", text, sorted(set(note_targets.get(guid, []))))
        )
    known_notes = {note.guid for note in project.notes}
    for target in note_targets:
        if target not in known_notes:
            issues.add("NoteRef", "a reference to a note that is not in the project was ignored")
    return project, issues.result()


def _source_text(
    path: str,
    archive: zipfile.ZipFile,
    members: set[str],
    budget: _Budget,
    file_name: str,
    element: str,
) -> str:
    if path.startswith("internal://"):
        relative = "sources/" + path[len("internal://") :]
    elif "://" in path:
        raise RefiError(
            file_name, element, f"the source path {path[:200]!r} points outside the archive"
        )
    else:
        relative = path
    if _unsafe_path(relative) or _unsafe_path(path.split("://", 1)[-1]):
        raise RefiError(
            file_name,
            element,
            f"the source path {path[:200]!r} is absolute or climbs out of the archive",
        )
    relative = relative.replace("\\", "/")
    if relative not in members:
        raise RefiError(
            file_name, element, f"the source file {relative[:200]!r} is missing from the archive"
        )
    raw = budget.read(archive, relative, file_name)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RefiError(
            file_name, element, f"the source file {relative[:200]!r} is not UTF-8"
        ) from exc


def _read_text_source(
    source: Element,
    archive: zipfile.ZipFile,
    members: set[str],
    budget: _Budget,
    file_name: str,
    project: QdaProject,
    issues: _Issues,
    note_targets: dict[str, list[str]],
    selections_raw: list[tuple[Element, str, str]],
) -> None:
    guid = _guid(source.get("guid"), file_name, "TextSource")
    name = source.get("name") or ""
    text: str | None = None
    for child in source:
        tag = _local(child.tag)
        if tag == "PlainTextContent":
            text = child.text or ""
        elif tag == "PlainTextSelection":
            selections_raw.append((child, guid, name))
        elif tag == "NoteRef":
            target = child.get("targetGUID")
            if target:
                note_targets.setdefault(_guid(target, file_name, "NoteRef"), []).append(guid)
        elif tag == "Coding":
            issues.add("TextSource/Coding", "a code on a whole source is not imported")
        elif tag == "Description":
            issues.add("TextSource/Description", "the description of a source is not imported")
        elif tag == "VariableValue":
            issues.add("VariableValue", "variable values are not imported")
        else:
            issues.add(f"TextSource/{tag}", "not imported")
    path = source.get("plainTextPath")
    if text is None and path:
        text = _source_text(path, archive, members, budget, file_name, f"TextSource {name[:80]!r}")
    if text is None:
        if source.get("richTextPath"):
            issues.add(
                "TextSource", f"source {name[:80]!r} has only a rich-text file and was not imported"
            )
            # Its selections cannot be placed without the plain text.
            selections_raw[:] = [item for item in selections_raw if item[1] != guid]
            return
        text = ""
    if "\r" in text:
        issues.add("TextSource", "line ends \\r\\n were kept so that the offsets stay valid")
    project.sources.append(QdaSource(guid, name, text))


def _read_selection(
    element: Element,
    source_guid: str,
    text: str,
    codes: set[str],
    file_name: str,
    issues: _Issues,
    note_targets: dict[str, list[str]],
) -> QdaSelection | None:
    guid = _guid(element.get("guid"), file_name, "PlainTextSelection")
    try:
        start = int(element.get("startPosition", ""))
        end = int(element.get("endPosition", ""))
    except ValueError:
        issues.add("PlainTextSelection", "a selection without valid positions was not imported")
        return None
    if not 0 <= start <= end <= len(text):
        issues.add("PlainTextSelection", "a selection outside its source's text was not imported")
        return None
    code_guids: list[str] = []
    user = element.get("creatingUser")
    created = _datetime(element.get("creationDateTime"))
    for child in element:
        tag = _local(child.tag)
        if tag == "Coding":
            ref = child.find(f"{{{NS_PROJECT}}}CodeRef")
            if ref is None:
                issues.add("Coding", "a coding without CodeRef was not imported")
                continue
            code = _guid(ref.get("targetGUID"), file_name, "CodeRef")
            if code not in codes:
                issues.add(
                    "CodeRef", "a coding with a code that is not in the code book was not imported"
                )
                continue
            if code not in code_guids:
                code_guids.append(code)
            user = user or child.get("creatingUser")
            created = created or _datetime(child.get("creationDateTime"))
        elif tag == "NoteRef":
            target = child.get("targetGUID")
            if target:
                note_targets.setdefault(_guid(target, file_name, "NoteRef"), []).append(guid)
        elif tag == "Description":
            issues.add(
                "PlainTextSelection/Description", "the description of a selection is not imported"
            )
        else:
            issues.add(f"PlainTextSelection/{tag}", "not imported")
    return QdaSelection(
        guid=guid,
        source_guid=source_guid,
        start=start,
        end=end,
        code_guids=code_guids,
        user_guid=_guid(user, file_name, "creatingUser") if user else None,
        created=created,
    )


# --- .qdc -------------------------------------------------------------------------------------


def read_qdc(
    data: bytes, *, file_name: str = "codebook.qdc"
) -> tuple[list[QdaCode], list[ImportIssue]]:
    """Read a REFI-QDA codebook (``.qdc``); a ``.qde`` project's code book is accepted too.

    Raises
    ------
    RefiError
        For hostile, damaged or foreign XML.
    """
    if len(data) > 50 * MB:
        raise RefiError(file_name, "", "the file is larger than 50 MB")
    root = _parse_xml(data, file_name, "CodeBook")
    issues = _Issues()
    notes: dict[str, list[str]] = {}
    codes: list[QdaCode] = []
    if root.tag == f"{{{NS_CODEBOOK}}}CodeBook":
        ns = NS_CODEBOOK
        holder = root
    elif root.tag == f"{{{NS_PROJECT}}}Project":
        ns = NS_PROJECT
        found = root.find(f"{{{ns}}}CodeBook")
        if found is None:
            raise RefiError(file_name, "CodeBook", "the project has no code book")
        holder = found
        issues.add("Project", "only the code book of this project was read")
    else:
        raise RefiError(file_name, _local(root.tag), "this is not a REFI-QDA code book")
    for element in holder:
        tag = _local(element.tag)
        if tag == "Codes":
            codes.extend(_read_codes(element, ns, file_name, issues, notes))
        elif tag == "Sets":
            issues.add("Sets", "sets are not imported")
        else:
            issues.add(tag, "not imported: unknown element in CodeBook")
    if notes:
        issues.add("NoteRef", "notes on codes are not part of a code book and were ignored")
    return codes, issues.result()
