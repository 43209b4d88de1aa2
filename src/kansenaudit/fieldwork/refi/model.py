# SPDX-License-Identifier: EUPL-1.2
"""The REFI-QDA objects we exchange, in plain dataclasses (no XML here).

Offsets. ``QdaSelection.start`` and ``end`` are REFI-QDA's ``startPosition`` and
``endPosition`` of a ``PlainTextSelection``: zero-based character positions into the source's
plain text, end exclusive. We count characters as Unicode code points, i.e. Python ``str``
indices, so ``source.text[start:end]`` is the selected passage; our transcripts' canonical
texts are written unchanged (UTF-8, ``"\\n"`` line ends), so our offsets are the REFI-QDA ones.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "NS_CODEBOOK",
    "NS_PROJECT",
    "ImportIssue",
    "QdaCode",
    "QdaNote",
    "QdaProject",
    "QdaSelection",
    "QdaSource",
    "QdaUser",
    "RefiError",
    "guid_for",
]

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"

_ROOT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://kansenaudit.nl/refi-qda")


def guid_for(namespace: str, key: str) -> str:
    """A stable upper-case UUID5 for ``key`` within ``namespace`` (``"code"``, ``"source"``…).

    The same dossier object gets the same GUID in every export, so another tool recognises
    it on a second import.

    Examples
    --------
    >>> guid_for("code", "42") == guid_for("code", "42")
    True
    >>> guid_for("code", "42") == guid_for("source", "42")
    False
    >>> guid_for("code", "42") == guid_for("code", "42").upper()
    True
    """
    return str(uuid.uuid5(uuid.uuid5(_ROOT_NAMESPACE, namespace), key)).upper()


class RefiError(ValueError):
    """A REFI-QDA file that cannot be imported at all; names the file and the element.

    Attributes
    ----------
    file_name, element : str
        Where the problem is (``element`` may be ``""`` for the archive itself).
    reason : str
        English description.
    """

    def __init__(self, file_name: str, element: str, reason: str) -> None:
        self.file_name = file_name
        self.element = element
        self.reason = reason
        where = f" (element {element})" if element else ""
        super().__init__(f"The REFI-QDA file '{file_name}' cannot be imported{where}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (RefiError, (self.file_name, self.element, self.reason))


@dataclass(frozen=True)
class ImportIssue:
    """Something in an imported file that was not imported (or imported changed)."""

    element: str
    message: str


@dataclass
class QdaUser:
    guid: str
    name: str


@dataclass
class QdaCode:
    """A code; ``children`` are its sub-codes (the hierarchy). ``color`` is ``#RRGGBB``."""

    guid: str
    name: str
    color: str | None = None
    description: str = ""
    is_codable: bool = True
    children: list[QdaCode] = field(default_factory=list)

    def walk(self) -> list[QdaCode]:
        """This code and all codes below it, depth first."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class QdaSource:
    """A text source: its plain text, as written to ``sources/<guid>.txt``."""

    guid: str
    name: str
    text: str


@dataclass
class QdaSelection:
    """A coded passage ``source.text[start:end]`` with its codes (``code_guids``)."""

    guid: str
    source_guid: str
    start: int
    end: int
    code_guids: list[str] = field(default_factory=list)
    user_guid: str | None = None
    created: dt.datetime | None = None


@dataclass
class QdaNote:
    """A memo; ``target_guids`` are the codes, sources and selections it is about."""

    guid: str
    name: str
    text: str
    target_guids: list[str] = field(default_factory=list)


@dataclass
class QdaProject:
    """A REFI-QDA project.

    Two projects are equal when their contents are: selections are compared in the order
    (source, start, end, guid) and a note's targets as a set, since the XML fixes neither
    order.
    """

    name: str
    origin: str = ""
    users: list[QdaUser] = field(default_factory=list)
    codes: list[QdaCode] = field(default_factory=list)
    sources: list[QdaSource] = field(default_factory=list)
    selections: list[QdaSelection] = field(default_factory=list)
    notes: list[QdaNote] = field(default_factory=list)

    def all_codes(self) -> list[QdaCode]:
        """Every code in the hierarchy, depth first."""
        return [code for top in self.codes for code in top.walk()]

    def _key(self) -> tuple[Any, ...]:
        selections = sorted(
            (
                (s.source_guid, s.start, s.end, s.guid, tuple(s.code_guids), s.user_guid, s.created)
                for s in self.selections
            ),
            key=lambda item: item[:4],
        )
        notes = [(n.guid, n.name, n.text, tuple(sorted(n.target_guids))) for n in self.notes]
        return (self.name, self.origin, self.users, self.codes, self.sources, selections, notes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QdaProject):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]
