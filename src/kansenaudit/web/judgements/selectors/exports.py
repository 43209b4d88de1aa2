# SPDX-License-Identifier: EUPL-1.2
"""The rows of the judgements register and its history for the exports (blindness applied)."""

from __future__ import annotations

from typing import Any

from kansenaudit.web.judgements.selectors.blindness import (
    HIDDEN,
    judgement_history,
    judgements_for_dossier,
    visible_assessments,
)
from kansenaudit.web.judgements.selectors.frameworks import (
    dossier_frameworks,
    framework_for_judgement,
)
from kansenaudit.web.judgements.stored_frameworks import (
    score_label,
)

EXPORT_COLUMNS = [
    "oordeel_id",
    "kader",
    "kaderversie_start",
    "criterium",
    "criterium_naam",
    "onderwerp_soort",
    "onderwerp_id",
    "onderwerp",
    "werkwijze",
    "status",
    "beoordelaar_1",
    "score_1",
    "motivering_1",
    "ingediend_1",
    "beoordelaar_2",
    "score_2",
    "motivering_2",
    "ingediend_2",
    "consensus",
    "consensus_motivering",
    "consensus_door",
    "consensus_op",
    "afgetekend_door",
    "afgetekend_op",
    "aangemaakt",
]


HISTORY_COLUMNS = [
    "oordeel_id",
    "kader",
    "criterium",
    "onderwerp",
    "tijdstip",
    "wie",
    "wat",
    "samenvatting",
    "voor",
    "na",
]


def _iso(value: Any) -> str:
    return value.isoformat() if value else ""


def export_rows(dossier: Any, viewer: Any | None = None) -> list[dict[str, Any]]:
    """One row per judgement for the XLSX/CSV export; blinded like the pages."""
    frameworks = {info.key: info for info in dossier_frameworks(dossier)}
    rows = []
    for j in judgements_for_dossier(dossier).order_by("framework_key", "subject_label", "pk"):
        info = frameworks.get(j.framework_key)
        framework = info.framework if info else framework_for_judgement(j)
        try:
            criterion_name = framework.criterion(j.criterion_code).name
        except KeyError:
            criterion_name = ""
        row: dict[str, Any] = {
            "oordeel_id": j.pk,
            "kader": j.framework_key,
            "kaderversie_start": j.framework_version,
            "criterium": j.criterion_code,
            "criterium_naam": criterion_name,
            "onderwerp_soort": info.subject_kind if info else "",
            "onderwerp_id": j.object_id,
            "onderwerp": j.subject_label,
            "werkwijze": j.mode,
            "status": j.status,
            "toegewezen_1": j.assigned_1.get_username() if j.assigned_1 else "",
            "toegewezen_2": j.assigned_2.get_username() if j.assigned_2 else "",
        }
        views = {v.slot: v for v in visible_assessments(j, viewer, framework)}
        for slot in (1, 2):
            view = views.get(slot)
            row[f"beoordelaar_{slot}"] = view.assessor if view else ""
            row[f"score_{slot}"] = (view.label if view.visible else HIDDEN) if view else ""
            row[f"motivering_{slot}"] = (view.rationale if view.visible else "") if view else ""
            row[f"ingediend_{slot}"] = _iso(view.submitted_at) if view else ""
        row.update(
            {
                "consensus": score_label(framework, j.consensus_score, j.consensus_not_applicable)
                if j.has_consensus
                else "",
                "consensus_motivering": j.consensus_rationale,
                "consensus_door": j.consensus_by.get_username() if j.consensus_by else "",
                "consensus_op": _iso(j.consensus_at),
                "afgetekend_door": j.signed_off_by.get_username() if j.signed_off_by else "",
                "afgetekend_op": _iso(j.signed_off_at),
                "aangemaakt": _iso(j.created_at),
            }
        )
        rows.append(row)
    return rows


def history_rows(dossier: Any, viewer: Any | None = None) -> list[dict[str, Any]]:
    """One row per history event of every judgement, blinded like the pages."""
    import json

    rows = []
    for j in judgements_for_dossier(dossier).order_by("pk"):
        for entry in judgement_history(j, viewer):
            rows.append(
                {
                    "oordeel_id": j.pk,
                    "kader": j.framework_key,
                    "criterium": j.criterion_code,
                    "onderwerp": j.subject_label,
                    "tijdstip": _iso(entry.occurred_at),
                    "wie": entry.who,
                    "wat": entry.action,
                    "samenvatting": entry.summary,
                    "voor": HIDDEN
                    if entry.hidden
                    else json.dumps(entry.before, ensure_ascii=False)
                    if entry.before is not None
                    else "",
                    "na": HIDDEN
                    if entry.hidden
                    else json.dumps(entry.after, ensure_ascii=False)
                    if entry.after is not None
                    else "",
                }
            )
    return rows
