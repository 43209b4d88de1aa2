# SPDX-License-Identifier: EUPL-1.2
"""REFI-QDA 1.5 exchange: write and read ``.qdpx`` projects and ``.qdc`` codebooks.

See ``docs/refi-qda.md`` for what is read, what is written and what is reported.
"""

from kansenaudit.fieldwork.refi.canonical import canonical_project
from kansenaudit.fieldwork.refi.model import (
    ImportIssue,
    QdaCode,
    QdaNote,
    QdaProject,
    QdaSelection,
    QdaSource,
    QdaUser,
    RefiError,
    guid_for,
)
from kansenaudit.fieldwork.refi.reader import read_qdc, read_qdpx
from kansenaudit.fieldwork.refi.writer import write_qdc, write_qdpx

__all__ = [
    "ImportIssue",
    "QdaCode",
    "QdaNote",
    "QdaProject",
    "QdaSelection",
    "QdaSource",
    "QdaUser",
    "RefiError",
    "canonical_project",
    "guid_for",
    "read_qdc",
    "read_qdpx",
    "write_qdc",
    "write_qdpx",
]
