# SPDX-License-Identifier: EUPL-1.2
"""A dossier's stored assessment frameworks, read back: the version in force, the framework it
holds, and how a score on its scale is labelled.

Reads only, shared by the services (which write new versions) and the selectors; the
frameworks themselves, as data, are :mod:`kansenaudit.policy.frameworks`.
"""

from __future__ import annotations

from typing import Any

from kansenaudit.policy import frameworks as fw_lib
from kansenaudit.policy.frameworks import Framework
from kansenaudit.web.judgements.models import DossierFramework

__all__ = ["framework_current", "framework_of", "score_label"]


def framework_current(dossier: Any, key: str) -> DossierFramework | None:
    """The version in force of the dossier's framework ``key`` (None: not copied yet)."""
    return DossierFramework.objects.filter(dossier=dossier, key=key).order_by("-version").first()


def framework_of(record: DossierFramework) -> Framework:
    """The framework stored in ``record`` (validated when it was saved)."""
    return fw_lib.from_dict(record.data)


def score_label(framework: Framework, score: Any, not_applicable: bool) -> str:
    """The label of a score: "2 – voldoet", or the scale's "n.v.t." label."""
    if not_applicable:
        return framework.scale.not_applicable or "n.v.t."
    if score is None:
        return ""
    try:
        return f"{score} – {framework.scale.label(score)}"
    except KeyError:
        return str(score)
