# SPDX-License-Identifier: EUPL-1.2
"""Reading the evidence store: document lists, pages with their citations, term usage.

Citations are read through :func:`citations_visible_to` only: a citation held for a blind
assessment (``Citation.held_for``) is its author's alone until the judgement is no longer blind,
and every list, count, export, viewer page and CLI output applies that one rule.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from kansenaudit.web.evidence.models import (
    Citation,
    CouncilPull,
    Document,
    ImportJob,
    Page,
    Term,
    TermDefinition,
)


@dataclass(frozen=True)
class DocumentFilter:
    doc_type: str = ""
    issuer: str = ""
    status: str = ""
    year: int | None = None


def _held_blind(dossier: object) -> Q:
    """Citations held for a judgement of ``dossier`` that is still blind."""
    from kansenaudit.web.judgements.selectors import blind_judgements

    return Q(held_for__isnull=False, held_for__in=blind_judgements(dossier).values("pk"))


def citations_visible_to(viewer: object | None, dossier: object) -> QuerySet:
    """The citations of ``dossier`` that ``viewer`` may see: every ordinary citation, and the
    ones held for a blind assessment only when ``viewer`` made them. ``None`` (the CLI, exports
    without a user, lists shared with the team) sees no held citation until its judgement is no
    longer blind."""
    held = _held_blind(dossier)
    viewer_id = getattr(viewer, "pk", None)
    if viewer_id is not None:
        held &= ~Q(created_by_id=viewer_id)
    return Citation.objects.filter(dossier=dossier).exclude(held).select_related("document")


def citations_for_dossier(dossier: object) -> QuerySet:
    """The citations the whole team sees: ``citations_visible_to(None, dossier)``."""
    return citations_visible_to(None, dossier)


def citation_is_held(citation: Citation) -> bool:
    """Whether ``citation`` is still held for a blind assessment (so it may not be shared:
    attached to the policy register, a definition or another judgement)."""
    if citation.held_for_id is None:
        return False
    return Citation.objects.filter(pk=citation.pk).filter(_held_blind(citation.dossier_id)).exists()


def documents_for_dossier(
    dossier: object, filters: DocumentFilter | None = None, viewer: object | None = None
) -> QuerySet:
    """The dossier's documents with the number of citations ``viewer`` may see, filtered."""
    visible = citations_visible_to(viewer, dossier).values("pk")
    items = Document.objects.filter(dossier=dossier).annotate(
        citation_count=Count("citations", filter=Q(citations__in=visible))
    )
    filters = filters or DocumentFilter()
    if filters.doc_type:
        items = items.filter(doc_type=filters.doc_type)
    if filters.issuer:
        items = items.filter(issuer=filters.issuer)
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.year:
        items = items.filter(date__year=filters.year)
    return items.order_by("-date", "title", "pk")


def document_in_dossier(dossier: object, document_id: int) -> Document | None:
    """A document of this dossier, or None (never one of another dossier)."""
    return Document.objects.filter(dossier=dossier, pk=document_id).first()


@dataclass(frozen=True)
class Segment:
    """A run of page text, cited or not (for highlighting without trusting any HTML)."""

    text: str
    citation_ids: tuple[int, ...] = ()


def page_segments(page: Page, citations: list[Citation]) -> list[Segment]:
    """Split a page's text at citation boundaries so a template can mark cited passages.

    Overlapping citations are handled: each segment lists every citation covering it.
    """
    bounds = {0, len(page.text)}
    for item in citations:
        bounds.update({max(0, item.start), min(len(page.text), item.end)})
    cuts = sorted(bounds)
    segments = []
    for left, right in itertools.pairwise(cuts):
        covering = tuple(c.pk for c in citations if c.start <= left and right <= c.end)
        segments.append(Segment(page.text[left:right], covering))
    return segments


def page_view(
    document: Document, number: int, viewer: object | None = None
) -> tuple[Page | None, list[Citation]]:
    """A page and the citations on it that ``viewer`` may see (see :func:`citations_visible_to`)."""
    page = document.pages.filter(number=number).first()
    if page is None:
        return None, []
    citations = list(
        citations_visible_to(viewer, document.dossier_id)
        .filter(document=document, page_number=number)
        .order_by("start")
    )
    return page, citations


def citation_visible(viewer: object | None, dossier: object, citation_id: int) -> Citation | None:
    """One citation of ``dossier`` that ``viewer`` may see, or None."""
    return citations_visible_to(viewer, dossier).filter(pk=citation_id).first()


def terms_for_dossier(dossier: object) -> QuerySet:
    # The definitions with their citations and documents in one query rather than three.
    definitions = TermDefinition.objects.select_related("citation__document")
    return Term.objects.filter(dossier=dossier).prefetch_related(
        Prefetch("definitions", queryset=definitions)
    )


def recent_jobs(dossier: object, limit: int = 20) -> QuerySet:
    return ImportJob.objects.filter(dossier=dossier).order_by("-created_at", "-id")[:limit]


def recent_council_pulls(dossier: object, limit: int = 5) -> QuerySet:
    return CouncilPull.objects.filter(dossier=dossier).order_by("-created_at", "-id")[:limit]


def evidence_summary(dossier: object) -> dict[str, int]:
    """Counts for the dossier overview and the JSON API."""
    documents = Document.objects.filter(dossier=dossier)
    return {
        "documents": documents.count(),
        "pages": Page.objects.filter(document__dossier=dossier).count(),
        "citations": citations_visible_to(None, dossier).count(),
        "ocr_pages": sum(documents.values_list("ocr_pages", flat=True)),
    }


def usage_per_year_and_issuer(
    usage: list[dict],
) -> tuple[dict[str, dict[int | None, int]], dict[str, dict[str, int]]]:
    """Term usage rows (``search.term_usage``) summed per term and year (None: undated) and per
    term and issuer ("" when unknown): what the term page and ``evidence terms`` show."""
    per_year: dict[str, dict[int | None, int]] = defaultdict(lambda: defaultdict(int))
    per_issuer: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in usage:
        year = None if row.get("year") is None else int(row["year"])
        per_year[row["term"]][year] += int(row["count"])
        per_issuer[row["term"]][row.get("issuer") or ""] += int(row["count"])
    return per_year, per_issuer
