# SPDX-License-Identifier: EUPL-1.2
"""The basic reads of the findings chain: norms, findings, conclusions and recommendations of a
dossier, and one of each by id (None when it is not in that dossier)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from kansenaudit.web.findings.models import Conclusion, Finding, Norm, Recommendation


def _pk(value: Any) -> int:
    """The id in ``value``, or 0 (which no row has) when it is not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def norms(dossier: Any) -> QuerySet[Norm]:
    return (
        Norm.objects.filter(dossier=dossier)
        .select_related("sub_question")
        .annotate(finding_count=Count("findings"))
    )


def norm_in_dossier(dossier: Any, norm_id: Any) -> Norm | None:
    return Norm.objects.filter(dossier=dossier, pk=_pk(norm_id)).first()


def findings(dossier: Any, *, with_norms: bool = False) -> QuerySet[Finding]:
    rows = (
        Finding.objects.filter(dossier=dossier)
        .select_related("sub_question", "signed_off_by")
        .annotate(ref_count=Count("refs"))
        .order_by("sub_question__number", "code", "id")
    )
    return rows.prefetch_related("norms") if with_norms else rows


def finding_in_dossier(dossier: Any, finding_id: Any) -> Finding | None:
    return (
        Finding.objects.filter(dossier=dossier, pk=_pk(finding_id))
        .select_related("sub_question", "preparer", "signed_off_by", "dossier")
        .first()
    )


def conclusions(dossier: Any) -> QuerySet[Conclusion]:
    return (
        Conclusion.objects.filter(dossier=dossier)
        .select_related("sub_question")
        .prefetch_related("findings", "builds_on")
    )


def conclusion_in_dossier(dossier: Any, conclusion_id: Any) -> Conclusion | None:
    return Conclusion.objects.filter(dossier=dossier, pk=_pk(conclusion_id)).first()


def recommendations(dossier: Any) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(dossier=dossier)
        .select_related("reaction__letter")
        .prefetch_related("conclusions", "follow_ups")
    )


def recommendation_in_dossier(dossier: Any, rec_id: Any) -> Recommendation | None:
    return Recommendation.objects.filter(dossier=dossier, pk=_pk(rec_id)).first()
