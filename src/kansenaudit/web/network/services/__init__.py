# SPDX-License-Identifier: EUPL-1.2
"""Writes of the network app: maps and versions, actors on a map, ties and their evidence,
saved layouts and edge-list imports. Every write checks its input, refuses with a
:class:`NetworkError` (nothing stored) and records an audit event last.

The functions live in one module per part (:mod:`.maps` for maps, versions, actors and layouts;
:mod:`.ties` for ties and their evidence; :mod:`.imports` for edge-list and graph-file imports;
shared pieces in :mod:`._common`) and are all importable from here.
"""

from __future__ import annotations

from kansenaudit.web.network.services._common import MAX_AMOUNT, MAX_INFLUENCE, NetworkError
from kansenaudit.web.network.services.imports import ties_import
from kansenaudit.web.network.services.maps import (
    layout_save,
    map_copy,
    map_create,
    member_remove,
    member_set,
)
from kansenaudit.web.network.services.ties import (
    tie_add,
    tie_evidence_add,
    tie_remove,
    tie_update,
)

__all__ = [
    "MAX_AMOUNT",
    "MAX_INFLUENCE",
    "NetworkError",
    "layout_save",
    "map_copy",
    "map_create",
    "member_remove",
    "member_set",
    "tie_add",
    "tie_evidence_add",
    "tie_remove",
    "tie_update",
    "ties_import",
]
