# SPDX-License-Identifier: EUPL-1.2
"""The first check of a returned workbook: its ZIP container, before openpyxl sees it.

The returned file is untrusted input. :func:`check_container`

* refuses empty files, files above ``max_bytes``, anything that is not a ZIP (a CSV renamed to
  ``.xlsx``, an old ``.xls``, a password-protected workbook, which is an OLE2 container);
* checks the ZIP's central directory: number of members, total declared size, compression
  ratio of big members (a zip bomb), encrypted members;
* refuses macro-enabled workbooks (``vbaProject.bin``, a ``macroEnabled`` content type),
  embedded objects, ActiveX, external links and data connections;
* reads every member with a bounded read, and parses every XML part with ``defusedxml`` with
  DTDs forbidden: OOXML never needs a DTD, so any DTD (an XXE or billion-laughs attempt) is
  refused.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from kansenaudit.policy.uitvraag.spec import MB

__all__ = ["Refused", "check_container"]

# Limits of the ZIP container. A filled-in uitvraag is some tens of kilobytes; these leave a
# wide margin while keeping a hostile file from exhausting memory or time.
_MAX_MEMBERS = 200
_MAX_UNZIPPED = 25 * MB
_MAX_RATIO = 100.0
_RATIO_MIN_BYTES = 1 * MB

_WORKBOOK_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
}
_FORBIDDEN_PARTS = (
    ("vbaproject", "het bestand bevat macro's (vbaProject.bin); lever een .xlsx zonder macro's"),
    ("vbadata", "het bestand bevat macro's; lever een .xlsx zonder macro's"),
    ("xl/activex/", "het bestand bevat ActiveX-besturingselementen"),
    ("xl/embeddings/", "het bestand bevat ingesloten objecten of bestanden"),
    ("xl/externallinks/", "het bestand bevat koppelingen naar andere bestanden"),
    ("xl/connections.xml", "het bestand bevat gegevensverbindingen"),
)
_XML_SUFFIXES = (".xml", ".rels", ".vml")


class Refused(Exception):
    """The file is refused before openpyxl opens it; the message is Dutch."""


def check_container(data: bytes, max_bytes: int) -> list[tuple[str, str]]:
    """Refuse a hostile or broken container; return the merged ranges (sheet, range)."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise Refused("verwacht de inhoud van een bestand (bytes)")
    if len(data) == 0:
        raise Refused("het bestand is leeg")
    if len(data) > max_bytes:
        raise Refused(
            f"het bestand is {len(data) / MB:.1f} MB; maximaal {max_bytes / MB:.1f} MB".replace(
                ".", ","
            )
        )
    head = bytes(data[:8])
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise Refused(
            "dit is een oud Excel-bestand (.xls) of een met een wachtwoord beveiligde werkmap; "
            "sla het op als Excel-werkmap (.xlsx) zonder wachtwoord"
        )
    if not head.startswith(b"PK\x03\x04"):
        raise Refused(
            "dit is geen Excel-werkmap (.xlsx); gebruik het toegestuurde sjabloon en sla het op "
            "als .xlsx (niet als .csv of .xls)"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise Refused("het bestand is beschadigd (geen geldig ZIP-archief)") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > _MAX_MEMBERS:
            raise Refused(f"het bestand heeft {len(infos)} onderdelen; maximaal {_MAX_MEMBERS}")
        declared = sum(info.file_size for info in infos)
        if declared > _MAX_UNZIPPED:
            raise Refused(
                f"het bestand pakt uit tot {declared / MB:.0f} MB (maximaal "
                f"{_MAX_UNZIPPED / MB:.0f} MB); mogelijk een zip-bom"
            )
        for info in infos:
            name = info.filename.casefold()
            if info.flag_bits & 0x1:
                raise Refused("het bestand bevat versleutelde onderdelen")
            if info.file_size >= _RATIO_MIN_BYTES:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > _MAX_RATIO:
                    raise Refused(
                        f"onderdeel {info.filename[:80]!r} is {ratio:.0f} keer samengeperst; "
                        "mogelijk een zip-bom"
                    )
            for fragment, message in _FORBIDDEN_PARTS:
                if fragment in name:
                    raise Refused(message)
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names:
            raise Refused("dit is geen Excel-werkmap (.xlsx): [Content_Types].xml ontbreekt")
        budget = _MAX_UNZIPPED
        content_types = None
        roots: dict[str, Any] = {}
        merged: dict[str, list[str]] = {}
        for info in infos:
            if info.is_dir():
                continue
            content = _read_member(archive, info, budget)
            budget -= len(content)
            if _looks_like_xml(info.filename, content):
                root = _parse_xml(info.filename, content)
                if info.filename == "[Content_Types].xml":
                    content_types = root
                elif info.filename in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
                    roots[info.filename] = root
                refs = _merged_refs(root)
                if refs:
                    merged[info.filename] = refs
        _check_content_types(content_types)
    return _merged_by_sheet(merged, roots)


def _merged_refs(root: Any) -> list[str]:
    # openpyxl's streaming reader ignores <mergeCells>, so merged cells are found here: in a
    # merged range only the first cell keeps its value and the others silently read as empty.
    if not str(root.tag).endswith("}worksheet"):
        return []
    return [
        str(node.get("ref", ""))
        for node in root.iter()
        if str(node.tag).endswith("}mergeCell") and node.get("ref")
    ]


def _merged_by_sheet(merged: dict[str, list[str]], roots: dict[str, Any]) -> list[tuple[str, str]]:
    """(sheet name, range) of every merged range, sheets named as in the workbook."""
    if not merged:
        return []
    targets: dict[str, str] = {}
    rels = roots.get("xl/_rels/workbook.xml.rels")
    for node in rels.iter() if rels is not None else ():
        if str(node.tag).endswith("}Relationship"):
            target = str(node.get("Target", ""))
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[str(node.get("Id", ""))] = part
    names: dict[str, str] = {}
    workbook = roots.get("xl/workbook.xml")
    for node in workbook.iter() if workbook is not None else ():
        if str(node.tag).endswith("}sheet"):
            rid = next((v for k, v in node.attrib.items() if k.endswith("}id")), "")
            if rid in targets:
                names[targets[rid]] = str(node.get("name", ""))
    return [(names.get(part, part), ref) for part in sorted(merged) for ref in merged[part]]


def _looks_like_xml(name: str, content: bytes) -> bool:
    # Parts are found through relationships, not by name, so a worksheet could hide behind
    # another extension: anything that starts like XML (after a BOM, in UTF-8 or UTF-16) is
    # checked as XML. Images and other binary parts do not start with "<".
    if name.casefold().endswith(_XML_SUFFIXES):
        return True
    return content.lstrip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe")[:1] == b"<"


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    # A bounded read: a member that inflates beyond what it declared, or beyond what is left
    # of the total budget, is never held in memory in full.
    cap = min(info.file_size, budget)
    try:
        with archive.open(info) as member:
            content = member.read(cap + 1)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError) as exc:
        raise Refused(f"onderdeel {info.filename[:80]!r} is beschadigd") from exc
    except NotImplementedError as exc:
        raise Refused(
            f"onderdeel {info.filename[:80]!r} gebruikt een onbekende compressie"
        ) from exc
    if len(content) > cap:
        raise Refused(
            f"onderdeel {info.filename[:80]!r} is groter dan opgegeven; mogelijk een zip-bom"
        )
    return content


def _parse_xml(name: str, content: bytes) -> Any:
    try:
        return SafeET.fromstring(
            content, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise Refused(
            f"onderdeel {name[:80]!r} bevat een DTD of entiteiten ({type(exc).__name__}); "
            "zulke XML wordt niet gelezen"
        ) from exc
    except (ParseError, ValueError) as exc:
        raise Refused(f"onderdeel {name[:80]!r} is geen geldige XML") from exc


def _check_content_types(root: Any) -> None:
    main_types = [
        node.get("ContentType", "")
        for node in root
        if node.tag.endswith("Override") and node.get("ContentType", "").endswith(".main+xml")
    ]
    if any("macroenabled" in kind.casefold() for kind in main_types):
        raise Refused("dit is een werkmap met macro's (.xlsm); lever een .xlsx zonder macro's")
    if not any(kind in _WORKBOOK_TYPES for kind in main_types):
        raise Refused("dit is geen Excel-werkmap (.xlsx)")
