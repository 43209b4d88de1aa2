# SPDX-License-Identifier: EUPL-1.2
"""What a search is kept to: the dossier, and the document filters of the search page.

Empty filters mean "any". Years become date ranges, so the database can use the date index.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from kansenaudit.web.evidence.models import Document


def dossier_id_of(dossier: object) -> int:
    """The id of a dossier given as a model instance or as its id."""
    return int(getattr(dossier, "pk", dossier))


def _year(value: object) -> int | None:
    try:
        year = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return year if 1 <= year <= 9998 else None


def year_spans(years: Iterable[int]) -> list[tuple[int, int]]:
    """Years as [start, stop) spans, so the filter is a date range the index can use."""
    if isinstance(years, int):
        years = [years]
    if isinstance(years, range) and years.step == 1:
        values = [max(1, years.start), min(9999, years.stop - 1)]
        return [(values[0], values[1] + 1)] if values[0] <= values[1] else []
    clean = sorted({y for y in map(_year, years) if y is not None})
    spans: list[tuple[int, int]] = []
    for year in clean:
        if spans and spans[-1][1] == year:
            spans[-1] = (spans[-1][0], year + 1)
        else:
            spans.append((year, year + 1))
    return spans


def documents_filtered(
    dossier_id: int,
    doc_types: Iterable[str] | None,
    issuers: Iterable[str] | None,
    years: Iterable[int] | None,
    statuses: Iterable[str] | None,
) -> QuerySet:
    """The dossier's documents that pass the filters, as a ``values("pk")`` subquery."""
    documents = Document.objects.filter(dossier_id=dossier_id)
    if doc_types:
        documents = documents.filter(doc_type__in=list(doc_types))
    if issuers:
        documents = documents.filter(issuer__in=list(issuers))
    if statuses:
        documents = documents.filter(status__in=list(statuses))
    if years:
        in_years = Q(pk__in=[])
        for start, stop in year_spans(years):
            in_years |= Q(date__gte=date(start, 1, 1), date__lt=date(min(stop, 9999), 1, 1))
        documents = documents.filter(in_years)
    return documents.order_by().values("pk")
