# SPDX-License-Identifier: EUPL-1.2
"""Reading the council register: the items, the timeline, the matrix goals × years, the gaps.

These answer deelvraag 5 (how the executive informs the council): what was the council told,
about which goals, measures and indicators, when, and was it about outputs (what was done) or
effects (what was achieved)? A goal counts as reported on in a year when an item of that year
names the goal itself; an item about a measure is not counted for the goals the measure serves,
because a report on a measure need not say anything about the goal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from kansenaudit.web.council.models import InformationItem
from kansenaudit.web.council.services import COUNCIL_DOC_TYPES
from kansenaudit.web.evidence.models import Document
from kansenaudit.web.policy.models import Goal, Indicator, Measure

if TYPE_CHECKING:
    from kansenaudit.web.dossiers.models import Dossier

Reports = InformationItem.Reports
ON_OUTPUTS = frozenset({Reports.OUTPUTS, Reports.BEIDE})
ON_EFFECTS = frozenset({Reports.EFFECTEN, Reports.BEIDE})

# The state of a matrix cell, or of a timeline entry.
NONE = "none"  # nothing sent to the council
PLANS = "plans"  # items, but only on plans or intentions
OUTPUTS = "outputs"
EFFECTS = "effects"
BOTH = "both"
STATES = (NONE, PLANS, OUTPUTS, EFFECTS, BOTH)


def _state(outputs: bool, effects: bool, any_item: bool) -> str:
    if outputs and effects:
        return BOTH
    if effects:
        return EFFECTS
    if outputs:
        return OUTPUTS
    return PLANS if any_item else NONE


# --- Items -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFilter:
    year: int | None = None
    goal_id: int | None = None
    reports_on: str = ""


def items_for_dossier(dossier: Dossier, filters: ItemFilter | None = None) -> QuerySet:
    """The dossier's information items in date order, with their document and links."""
    items = (
        InformationItem.objects.filter(dossier=dossier)
        .select_related("document")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("order", "code", "title", "pk")),
            "measures",
            "indicators",
        )
    )
    filters = filters or ItemFilter()
    if filters.year:
        items = items.filter(date__year=filters.year)
    if filters.goal_id:
        items = items.filter(goals__pk=filters.goal_id)
    if filters.reports_on:
        items = items.filter(reports_on=filters.reports_on)
    return items.order_by("date", "title", "pk")


def item_in_dossier(dossier: Dossier, item_id: int) -> InformationItem | None:
    """An item of this dossier, or None (never one of another dossier)."""
    return items_for_dossier(dossier).filter(pk=item_id).first()


def item_years(dossier: Dossier) -> list[int]:
    """The years in which the council received at least one registered item."""
    dates = InformationItem.objects.filter(dossier=dossier).values_list("date", flat=True)
    return sorted({d.year for d in dates})


def suggested_documents(dossier: Dossier) -> QuerySet:
    """Council-type documents of the evidence store that are not yet registered as items."""
    return (
        Document.objects.filter(dossier=dossier, doc_type__in=COUNCIL_DOC_TYPES)
        .exclude(information_items__dossier=dossier)
        .order_by("date", "title", "pk")
    )


def registrable_documents(dossier: Dossier) -> QuerySet:
    """Every document of the dossier not yet registered (the choice in the add form)."""
    return (
        Document.objects.filter(dossier=dossier)
        .exclude(information_items__dossier=dossier)
        .order_by("-date", "title", "pk")
    )


# --- Timeline --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    item: InformationItem

    @property
    def outputs(self) -> bool:
        return self.item.reports_on in ON_OUTPUTS

    @property
    def effects(self) -> bool:
        return self.item.reports_on in ON_EFFECTS

    @property
    def state(self) -> str:
        return _state(self.outputs, self.effects, True)


@dataclass(frozen=True)
class TimelineYear:
    year: int
    entries: tuple[TimelineEntry, ...]

    @property
    def outputs(self) -> int:
        return sum(1 for e in self.entries if e.outputs)

    @property
    def effects(self) -> int:
        return sum(1 for e in self.entries if e.effects)


@dataclass(frozen=True)
class Timeline:
    """The items in date order, grouped per year; years without an item are kept (empty)."""

    years: tuple[TimelineYear, ...]

    @property
    def entries(self) -> list[TimelineEntry]:
        return [e for y in self.years for e in y.entries]


def timeline(dossier: Dossier, filters: ItemFilter | None = None) -> Timeline:
    """The (filtered) items per year, from the first to the last year with an item."""
    entries = [TimelineEntry(item) for item in items_for_dossier(dossier, filters)]
    if not entries:
        return Timeline(())
    first, last = entries[0].item.date.year, entries[-1].item.date.year
    return Timeline(
        tuple(
            TimelineYear(year, tuple(e for e in entries if e.item.date.year == year))
            for year in range(first, last + 1)
        )
    )


# --- Matrix goals × years --------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    """What the council was told about one goal in one year."""

    year: int
    item_ids: tuple[int, ...] = ()
    outputs: int = 0  # items on outputs (or on both)
    effects: int = 0  # items on effects (or on both)

    @property
    def count(self) -> int:
        return len(self.item_ids)

    @property
    def state(self) -> str:
        return _state(self.outputs > 0, self.effects > 0, self.count > 0)


@dataclass(frozen=True)
class GoalSummary:
    count: int
    on_effects: int
    first: dt.date | None
    last: dt.date | None

    @property
    def share_on_effects(self) -> float | None:
        """The share of the goal's items that report on effects (None without items)."""
        return self.on_effects / self.count if self.count else None


@dataclass(frozen=True)
class MatrixRow:
    goal: Goal
    cells: tuple[MatrixCell, ...]
    summary: GoalSummary

    @property
    def reported(self) -> bool:
        return self.summary.count > 0


@dataclass(frozen=True)
class CouncilMatrix:
    years: tuple[int, ...]
    rows: tuple[MatrixRow, ...]
    # Years of the matrix in which no item at all reached the council (on any goal or none).
    years_without_information: tuple[int, ...]

    @property
    def goals_never_reported(self) -> list[Goal]:
        return [r.goal for r in self.rows if not r.reported]


def matrix_years(dossier: Dossier, years_with_items: list[int]) -> tuple[int, ...]:
    """The audit period's years and every year with an item, as one unbroken range."""
    years = set(years_with_items)
    start, end = getattr(dossier, "period_start", None), getattr(dossier, "period_end", None)
    if start:
        years.add(start.year)
    if end:
        years.add(end.year)
    if not years:
        return ()
    return tuple(range(min(years), max(years) + 1))


def matrix(dossier: Dossier) -> CouncilMatrix:
    """For every goal of the dossier and every year: which items reported on it, and how."""
    items = list(items_for_dossier(dossier))
    years = matrix_years(dossier, [i.date.year for i in items])
    by_goal: dict[int, list[InformationItem]] = {}
    for item in items:
        for goal in item.goals.all():
            by_goal.setdefault(goal.pk, []).append(item)
    rows = []
    for goal in Goal.objects.filter(dossier=dossier).order_by("order", "code", "title", "pk"):
        reported = by_goal.get(goal.pk, [])
        cells = []
        for year in years:
            in_year = [i for i in reported if i.date.year == year]
            cells.append(
                MatrixCell(
                    year=year,
                    item_ids=tuple(i.pk for i in in_year),
                    outputs=sum(1 for i in in_year if i.reports_on in ON_OUTPUTS),
                    effects=sum(1 for i in in_year if i.reports_on in ON_EFFECTS),
                )
            )
        summary = GoalSummary(
            count=len(reported),
            on_effects=sum(1 for i in reported if i.reports_on in ON_EFFECTS),
            first=min((i.date for i in reported), default=None),
            last=max((i.date for i in reported), default=None),
        )
        rows.append(MatrixRow(goal, tuple(cells), summary))
    with_items = {i.date.year for i in items}
    return CouncilMatrix(
        years=years,
        rows=tuple(rows),
        years_without_information=tuple(y for y in years if y not in with_items),
    )


# --- What the council never heard about ------------------------------------------------------


@dataclass(frozen=True)
class Unreported:
    goals: tuple[Goal, ...]
    measures: tuple[Measure, ...]
    indicators: tuple[Indicator, ...]


def unreported(dossier: Dossier) -> Unreported:
    """Goals, measures and indicators that no registered item reports on."""
    # Items only link to elements of their own dossier (the services refuse others).
    return Unreported(
        goals=tuple(Goal.objects.filter(dossier=dossier, information_items__isnull=True)),
        measures=tuple(
            Measure.objects.filter(dossier=dossier, information_items__isnull=True).select_related(
                "owner"
            )
        ),
        indicators=tuple(Indicator.objects.filter(dossier=dossier, information_items__isnull=True)),
    )


def council_summary(dossier: Dossier) -> dict[str, int]:
    """Counts for an overview page or the JSON API."""
    counts = InformationItem.objects.filter(dossier=dossier).aggregate(
        items=Count("pk"),
        on_outputs=Count("pk", filter=Q(reports_on__in=ON_OUTPUTS)),
        on_effects=Count("pk", filter=Q(reports_on__in=ON_EFFECTS)),
    )
    return {**counts, "suggestions": suggested_documents(dossier).count()}
