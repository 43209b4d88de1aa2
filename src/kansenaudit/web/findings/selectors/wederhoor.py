# SPDX-License-Identifier: EUPL-1.2
"""Reads of the wederhoor: frozen versions and their diff, links, comments, and the status."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from kansenaudit.findings_logic.text import diff_sections
from kansenaudit.web.findings.models import NotaVersion, WederhoorComment, WederhoorLink
from kansenaudit.web.findings.selectors.core import _pk


def versions(dossier: Any) -> QuerySet[NotaVersion]:
    return NotaVersion.objects.filter(dossier=dossier).order_by("-number")


def version_in_dossier(dossier: Any, version_id: Any) -> NotaVersion | None:
    return NotaVersion.objects.filter(dossier=dossier, pk=_pk(version_id)).first()


def version_diff(version: NotaVersion) -> list[Any]:
    """What changed from the previous version to ``version`` (all new for the first)."""
    previous = (
        NotaVersion.objects.filter(dossier_id=version.dossier_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )
    old = previous.content.get("sections", []) if previous else []
    return diff_sections(old, version.content.get("sections", []))


def links(version: NotaVersion) -> QuerySet[WederhoorLink]:
    return WederhoorLink.objects.filter(version=version).annotate(comment_count=Count("comments"))


def link_in_dossier(dossier: Any, link_id: Any) -> WederhoorLink | None:
    return (
        WederhoorLink.objects.filter(version__dossier=dossier, pk=_pk(link_id))
        .select_related("version__dossier")
        .first()
    )


def comments(version: NotaVersion) -> QuerySet[WederhoorComment]:
    return WederhoorComment.objects.filter(version=version).select_related("link", "handled_by")


def comment_in_dossier(dossier: Any, comment_id: Any) -> WederhoorComment | None:
    return (
        WederhoorComment.objects.filter(version__dossier=dossier, pk=_pk(comment_id))
        .select_related("version__dossier")
        .first()
    )


def own_comments(link: WederhoorLink) -> QuerySet[WederhoorComment]:
    """Only this link's comments on its own version: what the contact may see."""
    return WederhoorComment.objects.filter(link=link, version_id=link.version_id)


def wederhoor_status(dossier: Any) -> list[dict[str, Any]]:
    """Per version: its links and the handling of its comments."""
    result = []
    for version in versions(dossier).prefetch_related(
        Prefetch("links", queryset=WederhoorLink.objects.order_by("id"))
    ):
        counts = dict(
            WederhoorComment.objects.filter(version=version)
            .values_list("handling")
            .annotate(n=Count("id"))
            .values_list("handling", "n")
        )
        result.append(
            {
                "versie": version.number,
                "bevroren": version.frozen_at.isoformat(timespec="seconds"),
                "reacties_tot": version.comments_until.isoformat(),
                "sha256": version.content_sha256,
                "links": [
                    {
                        "contact": link.contact_name,
                        "actief": link.is_active,
                        "verloopt": link.expires_at.isoformat(timespec="seconds"),
                    }
                    for link in version.links.all()
                ],
                "reacties": {h: counts.get(h, 0) for h in WederhoorComment.Handling.values},
            }
        )
    return result
