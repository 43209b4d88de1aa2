# SPDX-License-Identifier: EUPL-1.2
"""What a format reader hands to :func:`kansenaudit.ingest.extract.extract` (internal).

Readers return raw page text; only ``extract`` canonicalises it, so that the invariant holds
whatever a reader gets wrong. Metadata fields are what the file itself says; the heuristics in
:mod:`kansenaudit.ingest.metadata` fill the gaps afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kansenaudit.ingest.model import PageMethod

__all__ = ["RawDocument", "RawMetadata", "RawPage"]


@dataclass
class RawPage:
    """One page's text before canonicalisation."""

    text: str
    method: PageMethod = "text"
    warnings: list[str] = field(default_factory=list)


@dataclass
class RawMetadata:
    """Metadata as the file states it (any field may be missing)."""

    title: str | None = None
    author: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    language: str | None = None
    keywords: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    def add_extra(self, name: str, value: str) -> None:
        """Record ``name = value``; a repeated name keeps every value, joined by ``"; "``."""
        value = " ".join(str(value).split())
        if not name or not value:
            return
        # Cap sizes: metadata is shown in lists and must not smuggle in a whole document.
        name, value = name[:100], value[:2000]
        if name in self.extra and value not in self.extra[name].split("; "):
            self.extra[name] = f"{self.extra[name]}; {value}"[:4000]
        elif name not in self.extra and len(self.extra) < 200:
            self.extra[name] = value


@dataclass
class RawDocument:
    """A reader's result: pages in order, metadata and document-level warnings."""

    pages: list[RawPage]
    metadata: RawMetadata = field(default_factory=RawMetadata)
    warnings: list[str] = field(default_factory=list)
