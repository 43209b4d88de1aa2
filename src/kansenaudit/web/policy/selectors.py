"""Reads from the policy register."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from kansenaudit.web.policy.models import EvidenceLink


def evidence_links_for(subject: models.Model) -> QuerySet[EvidenceLink]:
    """The citations attached to one register object, with their documents."""
    return EvidenceLink.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("citation", "citation__document")


def evidence_counts(subjects: list[models.Model]) -> dict[tuple[int, int], int]:
    """How many citations each subject has, keyed by (content type id, object id)."""
    if not subjects:
        return {}
    wanted: dict[int, list[int]] = {}
    for subject in subjects:
        ct = ContentType.objects.get_for_model(subject)
        wanted.setdefault(ct.pk, []).append(subject.pk)
    counts: dict[tuple[int, int], int] = {}
    for ct_id, ids in wanted.items():
        rows = (
            EvidenceLink.objects.filter(content_type_id=ct_id, object_id__in=ids)
            .values("object_id")
            .annotate(n=models.Count("id"))
        )
        for r in rows:
            counts[(ct_id, r["object_id"])] = r["n"]
    return counts
