# SPDX-License-Identifier: EUPL-1.2
"""The follow-up register of recommendations: across the dossiers of a user, and per dossier
for its export."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from kansenaudit.web.dossiers.models import Membership
from kansenaudit.web.findings.models import FollowUp, Recommendation


def follow_up_register(user: Any) -> list[Recommendation]:
    """Every recommendation of the dossiers ``user`` is a member of, with reaction and
    measurements."""
    dossier_ids = Membership.objects.filter(user=user).values_list("dossier_id", flat=True)
    return list(
        Recommendation.objects.filter(dossier_id__in=dossier_ids)
        .select_related("dossier", "reaction")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.order_by("year")))
        .order_by("dossier__title", "code")
    )


def follow_up_of_dossier(dossier: Any) -> list[Recommendation]:
    """The recommendations of one dossier with reaction and measurements (its export)."""
    return list(
        Recommendation.objects.filter(dossier=dossier)
        .select_related("dossier", "reaction")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.order_by("year")))
        .order_by("code")
    )


FOLLOW_COLUMNS = [
    "dossier",
    "aanbeveling",
    "tekst",
    "gericht_aan",
    "reactie_college",
    "toezegging",
    "jaar",
    "status",
    "toelichting",
]


def follow_up_rows(recs: list[Recommendation]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for rec in recs:
        reaction = getattr(rec, "reaction", None)
        base = [
            rec.dossier.title,
            rec.code,
            rec.text,
            rec.get_addressee_display(),
            reaction.get_position_display() if reaction else "",
            reaction.commitment if reaction else "",
        ]
        follows = list(rec.follow_ups.all())
        if not follows:
            rows.append([*base, "", "", ""])
        for f in follows:
            rows.append([*base, f.year, f.get_status_display(), f.note])
    return rows
