# SPDX-License-Identifier: EUPL-1.2
"""References to the findings' other kinds of evidence, for the reports' resolver.

- ``segment:<id>`` — a coded segment of the practice study (coding app);
- ``matrix_cell:<id>`` — a cell of the mirror of practice against policy theory (coding app);
- ``network_check:<map id>`` — the audit checks of a network map (network app).

Each becomes a footnote with the evidence's one-line description. What such evidence is, how it
is loaded within one dossier and described, is the findings' registry's business
(``findings.registry``): the report asks the same ``EvidenceKind`` a finding rests on, so a
report and a finding describe a segment alike. A kind whose app does not offer it (yet) is an
unknown kind, reported as a problem like any other.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from kansenaudit.reports.markup import Resolved, Unresolved, note

# Report kind → the registry entry (``module:NAME``, as in findings.registry.KIND_PATHS).
REGISTRY_PATHS = {
    "segment": "kansenaudit.web.coding.evidence:SEGMENT",
    "matrix_cell": "kansenaudit.web.coding.evidence:MATRIX_CELL",
    "network_check": "kansenaudit.web.network.evidence:CHECK",
}


def registry_kind(path: str) -> Any:
    """The registry's ``EvidenceKind`` at ``path``, or None when its app does not offer it."""
    from kansenaudit.web.findings.registry import KIND_PATHS, EvidenceKind

    if path not in KIND_PATHS:
        return None
    module_name, _sep, attr = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise
    kind = getattr(module, attr, None)
    return kind if isinstance(kind, EvidenceKind) else None


class EvidenceKinds:
    """The registry-backed kinds of one resolver."""

    def __init__(self, dossier: Any) -> None:
        self.dossier = dossier

    def kinds(self) -> dict[str, Callable[[str], Resolved | Unresolved]]:
        return {name: self._handler(name) for name in REGISTRY_PATHS}

    def _handler(self, name: str) -> Callable[[str], Resolved | Unresolved]:
        return lambda ref: self.resolve(name, ref)

    def resolve(self, name: str, ref: str) -> Resolved | Unresolved:
        kind = registry_kind(REGISTRY_PATHS[name])
        if kind is None:
            return Unresolved("unknown_kind", f"the workbench offers no {name!r} evidence yet")
        if not ref.isdigit():
            return Unresolved("malformed", f"{name}:<id>")
        found = kind.load_many(self.dossier, [int(ref)]).get(int(ref))
        if found is None:
            return Unresolved("missing", f"no {name} with this id in the dossier")
        label = str(kind.label(found)).strip()
        return note(label if label.endswith(".") else f"{label}.", f"{name}:{ref}")
