# SPDX-License-Identifier: EUPL-1.2
"""The overview matrix of a framework: subjects by criteria, with the state of each judgement."""

from __future__ import annotations

from typing import Any

from kansenaudit.web.judgements.models import Judgement
from kansenaudit.web.judgements.selectors.blindness import judgements_for_dossier
from kansenaudit.web.judgements.selectors.frameworks import FrameworkInfo
from kansenaudit.web.judgements.stored_frameworks import (
    score_label,
)
from kansenaudit.web.judgements.subjects import SUBJECT_KINDS


def subject_choices(dossier: Any, info: FrameworkInfo) -> list[tuple[int, str]]:
    """The subjects a judgement of ``info`` can be about, as (id, label)."""
    kind = SUBJECT_KINDS[info.subject_kind]
    return [(obj.pk, str(obj)) for obj in kind.queryset(dossier)]


def framework_matrix(
    dossier: Any, info: FrameworkInfo, judgements: list[Judgement] | None = None
) -> dict[str, Any]:
    """Subjects × criteria of one framework: status and consensus score of each cell
    (``judgements``: those of the framework, when the caller has them already)."""
    if judgements is None:
        judgements = list(judgements_for_dossier(dossier, info.key))
    codes = list(info.framework.codes)
    for j in judgements:  # a criterion judged under an older version is kept by edits
        if j.criterion_code not in codes:
            codes.append(j.criterion_code)
    subjects: dict[tuple[int, int], dict[str, Any]] = {}
    for j in judgements:
        key = (j.content_type_id, j.object_id)
        row = subjects.setdefault(key, {"label": j.subject_label, "cells": {}})
        row["cells"][j.criterion_code] = {
            "judgement": j,
            "consensus": score_label(info.framework, j.consensus_score, j.consensus_not_applicable)
            if j.has_consensus
            else "",
        }
    rows = []
    for row in sorted(subjects.values(), key=lambda r: r["label"].lower()):
        rows.append({"label": row["label"], "cells": [row["cells"].get(c) for c in codes]})
    counts: dict[str, int] = {}
    for j in judgements:
        counts[j.status] = counts.get(j.status, 0) + 1
    return {"codes": codes, "rows": rows, "counts": counts, "total": len(judgements)}
