# SPDX-License-Identifier: EUPL-1.2
"""The context page of a selected measure (§4.2.2): what the fieldwork builds on, and what it
has done so far. Reads only."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from kansenaudit.web.evidence.selectors import citations_visible_to
from kansenaudit.web.fieldwork.models import SelectedMeasure, Session, Transcript
from kansenaudit.web.judgements.models import Judgement
from kansenaudit.web.policy import selectors as policy_selectors
from kansenaudit.web.policy.models import EvidenceLink, Measure


def measure_context(dossier: Any, measure_id: int, *, viewer: Any) -> dict[str, Any] | None:
    measure = (
        Measure.objects.filter(dossier=dossier, pk=measure_id)
        .select_related("owner")
        .prefetch_related("goals", "target_groups", "budgets", "indicators")
        .first()
    )
    if measure is None:
        return None
    ct = ContentType.objects.get_for_model(Measure)
    visible = citations_visible_to(viewer, dossier)
    links = (
        EvidenceLink.objects.filter(dossier=dossier, content_type=ct, object_id=measure.pk)
        .filter(citation__in=visible)
        .select_related("citation", "citation__document")
    )
    sessions = list(
        Session.objects.filter(dossier=dossier, measures=measure).prefetch_related("participants")
    )
    return {
        "measure": measure,
        "selected": SelectedMeasure.objects.filter(
            selection__dossier=dossier, measure=measure
        ).first(),
        "theory": policy_selectors.measure_theory(measure),
        "goals": list(measure.goals.all()),
        "budgets": list(measure.budgets.all()),
        "indicators": list(measure.indicators.all()),
        "citations": [link.citation for link in links],
        "judgements": list(
            Judgement.objects.filter(dossier=dossier, content_type=ct, object_id=measure.pk)
        ),
        "sessions": sessions,
        "transcripts": list(
            Transcript.objects.filter(dossier=dossier, session__in=sessions).select_related(
                "session"
            )
        ),
    }


def key_entries(data: Any) -> list[dict[str, str]]:
    """Rows of the pseudonym key from ``PersonRegister.to_dict()``: pseudonym, kind, originals."""
    rows = [
        {
            "kind": str(item.get("kind", "")),
            "pseudonym": f"[{item.get('label', '')} {item.get('number', '')}]",
            "original": "; ".join(str(v) for v in item.get("variants", [])),
        }
        for item in (data or {}).get("entities", [])
    ]
    return sorted(rows, key=lambda r: (r["kind"], r["pseudonym"]))
