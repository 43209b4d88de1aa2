# SPDX-License-Identifier: EUPL-1.2
"""One entry point per kind of source file: verify it (for the pull) and read it (for a run)."""

from __future__ import annotations

import re
from pathlib import Path

from kansenaudit.data.tidy import ReadResult, SourceFormatError

KINDS = ("bbga", "bbga_metadata", "geometries", "statline_ses", "kwb")


def _kwb_year(path: Path) -> int:
    match = re.search(r"kwb[-_]?(\d{4})", path.name, flags=re.IGNORECASE)
    if not match:
        raise SourceFormatError("jaar niet af te leiden uit de bestandsnaam (kwbJJJJ)", file=path)
    return int(match.group(1))


def read(kind: str, path: Path) -> ReadResult:
    """Read a tidy source file of ``kind`` (not for metadata or geometries)."""
    if kind == "bbga":
        from kansenaudit.data.bbga import read_bbga

        return read_bbga(path)
    if kind == "statline_ses":
        from kansenaudit.data.cbs_ses import read_ses_woa, read_ses_woa_odata

        # The mirror and a hand download give StatLine's CSV; data pull saves the OData JSON.
        return read_ses_woa_odata(path) if path.suffix == ".json" else read_ses_woa(path)
    if kind == "kwb":
        from kansenaudit.data.cbs_kwb import read_kwb

        return read_kwb(path, year=_kwb_year(path), municipality="GM0363")
    raise ValueError(f"geen tabellezer voor soort {kind!r}")


def verify(kind: str, path: Path) -> str:
    """Parse ``path`` fully with its reader; return its release. Raises on an unusable file."""
    if kind not in KINDS:
        raise ValueError(f"onbekende soort bron {kind!r}")
    if kind == "bbga_metadata":
        from kansenaudit.data.bbga import read_bbga_metadata

        metadata = read_bbga_metadata(path)
        if len(metadata) == 0:
            raise SourceFormatError("geen variabelen in de metadata", file=path)
        return ""
    if kind == "geometries":
        from kansenaudit.data.geo import read_area_geometries

        geometries = read_area_geometries(path)
        if not geometries.areas:
            raise SourceFormatError("geen gebieden met geometrie", file=path)
        return str(geometries.meta.get("division", ""))
    result = read(kind, path)
    if result.table.is_empty():
        raise SourceFormatError("geen bruikbare waarden", file=path)
    # A file cut off in transfer still parses up to the cut; a cache must not take it.
    for issue in result.issues:
        if "truncated" in issue.message or "afgebroken" in issue.message:
            raise SourceFormatError(f"lijkt afgebroken: {issue.message}", file=path, row=issue.row)
    return str(result.meta.get("release") or result.table["release"][0] or "")
