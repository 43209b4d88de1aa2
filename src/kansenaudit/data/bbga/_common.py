# SPDX-License-Identifier: EUPL-1.2
"""Helpers both BBGA readers share: issues, decoding and the separator."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

from kansenaudit.data.tidy import (
    ReadIssue,
    SourceFormatError,
)


def _warning(
    file: Path, row: int | None, field: str | None, code: str | None, message: str
) -> ReadIssue:
    return ReadIssue("warning", str(file), row, field, code, message)


def _decode(raw: bytes, path: Path, issues: list[ReadIssue]) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM); fall back to cp1252 with a warning."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export.
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise SourceFormatError(
                f"starts with a UTF-16 byte order mark but is not valid UTF-16 ({exc.reason})",
                file=path,
            ) from exc
    encoding = "utf-8"
    if raw.startswith(codecs.BOM_UTF8):
        raw, encoding = raw[len(codecs.BOM_UTF8) :], "utf-8-sig"
    try:
        return raw.decode("utf-8"), encoding
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        if exc.reason == "unexpected end of data" and exc.start >= len(raw) - 3:
            # The file stops inside a multi-byte character: it was cut off, not mis-encoded.
            issues.append(
                _warning(
                    path,
                    line,
                    None,
                    None,
                    "file ends inside a UTF-8 character: it looks truncated; "
                    "the broken character is dropped",
                )
            )
            return raw[: exc.start].decode("utf-8"), encoding
        issues.append(
            _warning(
                path,
                line,
                None,
                f"0x{raw[exc.start]:02X}",
                f"{path.name} is not valid UTF-8 (first bad byte on this line); "
                "read as Windows-1252 (cp1252): check accented characters",
            )
        )
        return raw.decode("cp1252", errors="replace"), "cp1252"


def _sniff_separator(header: str) -> str:
    """The separator that splits the header into the most fields (comma on a tie)."""
    best, best_count = ",", 0
    for candidate in (",", ";", "\t"):
        count = len(next(csv.reader([header], delimiter=candidate)))
        if count > best_count:
            best, best_count = candidate, count
    return best
