# SPDX-License-Identifier: EUPL-1.2
"""Reads from the policy register: registers, the goal tree, policy theory, monitoring and
consistency.

Monitoring (deelvraag 4) follows goal → measure → indicator, with baseline, targets and realised
values and the distance to the target; the realised values of a catalogue indicator come from the
statistics engine (:mod:`kansenaudit.web.indicators.selectors`), never from the register. The
gaps list names what monitoring cannot follow. Consistency (item 6) shows which city goals each
directie's measures serve.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from kansenaudit.web.evidence.models import Citation
from kansenaudit.web.evidence.selectors import citations_visible_to
from kansenaudit.web.policy.models import (
    JUDGEMENT_APP,
    Actor,
    EvidenceLink,
    Goal,
    Indicator,
    IndicatorValue,
    Measure,
    TheoryLink,
    TheoryStep,
)

NO_STATISTICS = "geen cijfers beschikbaar"
STATISTICS_LABEL = "statistiek (indicatorcatalogus)"


# --- The catalogue ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def catalogue_indicators() -> dict[str, object]:
    """Every indicator of kansenaudit.data.catalogue by key: the Amsterdam catalogue and the
    catalogue of the fictional demo city (the key space of the statistics engine)."""
    from kansenaudit.data.catalogue import AMSTERDAM_CATALOGUE, by_key, catalogue_for_demo
    from kansenaudit.demo.city import generate_demo_city

    items = dict(by_key(AMSTERDAM_CATALOGUE))
    for item in catalogue_for_demo(generate_demo_city().indicators):
        items.setdefault(item.key, item)
    return items


def catalogue_choices() -> list[tuple[str, str]]:
    """(key, "name (key)") for a select box, by name."""
    return sorted(
        ((key, f"{item.name} ({key})") for key, item in catalogue_indicators().items()),
        key=lambda pair: pair[1].lower(),
    )


# --- Registers --------------------------------------------------------------------------------


def actors_for(dossier: models.Model) -> QuerySet[Actor]:
    return Actor.objects.filter(dossier=dossier).order_by("kind", "name")


def directies_for(dossier: models.Model) -> QuerySet[Actor]:
    return actors_for(dossier).filter(kind=Actor.Kind.DIRECTIE)


def goals_for(dossier: models.Model) -> QuerySet[Goal]:
    return (
        Goal.objects.filter(dossier=dossier)
        .select_related("parent", "owner")
        .prefetch_related("target_groups")
    )


def measures_for(dossier: models.Model) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(dossier=dossier)
        .select_related("owner")
        .prefetch_related("goals", "target_groups", "budgets")
    )


def indicators_for(dossier: models.Model) -> QuerySet[Indicator]:
    return Indicator.objects.filter(dossier=dossier).prefetch_related("goals", "measures", "values")


def steps_for(dossier: models.Model) -> QuerySet[TheoryStep]:
    return TheoryStep.objects.filter(measure__dossier=dossier).select_related("measure", "goal")


def links_for(dossier: models.Model) -> QuerySet[TheoryLink]:
    return TheoryLink.objects.filter(measure__dossier=dossier).select_related(
        "measure", "source", "target"
    )


def values_for(dossier: models.Model) -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.filter(indicator__dossier=dossier).select_related(
        "indicator", "citation", "citation__document"
    )


def evidence_for(dossier: models.Model) -> QuerySet[EvidenceLink]:
    """The evidence links of the policy register (not those of judgements, which are blind
    until every assessment is in and are read through the judgements selectors)."""
    return (
        EvidenceLink.objects.filter(dossier=dossier)
        .exclude(content_type__app_label=JUDGEMENT_APP)
        .select_related("content_type", "citation", "citation__document")
    )


def goal_measures(goal: Goal) -> QuerySet[Measure]:
    """The measures that serve a goal, with their owners."""
    return goal.measures.select_related("owner")


def indicator_values(indicator: Indicator) -> QuerySet[IndicatorValue]:
    """An indicator's values by year and kind, with the citations they were reported in."""
    return indicator.values.select_related("citation", "citation__document").order_by(
        "year", "kind"
    )


def named_in_dossier(
    dossier: models.Model, model: type[models.Model], field: str, value: str
) -> list[models.Model]:
    """The dossier's register entries of ``model`` whose ``field`` is ``value`` or, if none is
    and the model has codes, whose code is: at most two, enough to tell unique from ambiguous."""
    query = model.objects.filter(dossier=dossier, **{field: value})
    if not query.exists() and hasattr(model, "code"):
        query = model.objects.filter(dossier=dossier, code=value)
    return list(query[:2])


# The register kinds that are looked up by name (the CLI's --goal, --measure, --indicator).
NAMED_KINDS = {
    "goal": ("Goal", "title"),
    "measure": ("Measure", "name"),
    "indicator": ("Indicator", "name"),
}


def register_entries_named(dossier: models.Model, kind: str, value: str) -> list[models.Model]:
    """:func:`named_in_dossier` for a register kind of :data:`NAMED_KINDS` (goals by title or
    code, measures and indicators by name)."""
    from kansenaudit.web.policy import models as policy_models

    model_name, field = NAMED_KINDS[kind]
    return named_in_dossier(dossier, getattr(policy_models, model_name), field, value)


def in_dossier(queryset: QuerySet, pk: object) -> models.Model | None:
    """One row of a dossier's register by id, or None (never one of another dossier)."""
    try:
        return queryset.filter(pk=int(str(pk))).first()
    except (TypeError, ValueError):
        return None


def register_counts(dossier: models.Model) -> dict[str, int]:
    """How many entries each register of the dossier holds."""
    return {
        "actors": Actor.objects.filter(dossier=dossier).count(),
        "goals": Goal.objects.filter(dossier=dossier).count(),
        "measures": Measure.objects.filter(dossier=dossier).count(),
        "steps": TheoryStep.objects.filter(measure__dossier=dossier).count(),
        "links": TheoryLink.objects.filter(measure__dossier=dossier).count(),
        "indicators": Indicator.objects.filter(dossier=dossier).count(),
        "values": IndicatorValue.objects.filter(indicator__dossier=dossier).count(),
        "evidence": evidence_for(dossier).count(),
    }


# --- The goal tree ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalNode:
    goal: Goal
    depth: int
    children: int


def goal_tree(dossier: models.Model, goals: list[Goal] | None = None) -> list[GoalNode]:
    """Goals in hierarchy order (depth first), each with its depth below the top."""
    goals = list(goals_for(dossier)) if goals is None else goals
    children: dict[int | None, list[Goal]] = defaultdict(list)
    ids = {g.pk for g in goals}
    for goal in goals:
        children[goal.parent_id if goal.parent_id in ids else None].append(goal)
    result: list[GoalNode] = []
    seen: set[int] = set()

    def walk(goal: Goal, depth: int) -> None:
        if goal.pk in seen:  # a cycle cannot be stored through the services; stay safe anyway
            return
        seen.add(goal.pk)
        result.append(GoalNode(goal, depth, len(children[goal.pk])))
        for child in children[goal.pk]:
            walk(child, depth + 1)

    for root in children[None]:
        walk(root, 0)
    return result


def ancestors(goal: Goal, by_id: dict[int, Goal]) -> list[Goal]:
    """The goals ``goal`` serves, nearest first (not ``goal`` itself)."""
    found: list[Goal] = []
    seen = {goal.pk}
    node = by_id.get(goal.parent_id) if goal.parent_id else None
    while node is not None and node.pk not in seen:
        found.append(node)
        seen.add(node.pk)
        node = by_id.get(node.parent_id) if node.parent_id else None
    return found


def _descendants(goals: list[Goal]) -> dict[int, set[int]]:
    """Goal id → the ids of the goal and every goal below it."""
    by_id = {g.pk: g for g in goals}
    result = {g.pk: {g.pk} for g in goals}
    for goal in goals:
        for above in ancestors(goal, by_id):
            result[above.pk].add(goal.pk)
    return result


# --- Policy theory ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkView:
    link: TheoryLink
    evidence: int


@dataclass(frozen=True)
class TheoryView:
    columns: list[tuple[str, str, list[TheoryStep]]]  # (kind, label, steps)
    links: list[LinkView]
    steps: list[TheoryStep]

    @property
    def links_without_evidence(self) -> int:
        return sum(1 for item in self.links if not item.evidence)


def measure_theory(measure: Measure) -> TheoryView:
    """A measure's policy theory as columns activiteit → output → outcome → doel, with links."""
    steps = list(measure.theory_steps.select_related("goal"))
    links = list(measure.theory_links.select_related("source", "target"))
    counts = evidence_counts(links)
    link_type = ContentType.objects.get_for_model(TheoryLink).pk if links else 0
    columns = [
        (kind.value, str(kind.label), [s for s in steps if s.kind == kind.value])
        for kind in TheoryStep.Kind
    ]
    return TheoryView(
        columns=columns,
        links=[LinkView(link, counts.get((link_type, link.pk), 0)) for link in links],
        steps=steps,
    )


# --- Statistics engine values -----------------------------------------------------------------


@dataclass(frozen=True)
class StatisticsSeries:
    """A catalogue indicator's values from the statistics engine for one area, per year."""

    values: list[tuple[int, float | None]]  # None: withheld by disclosure control
    message: str  # empty when there are values; otherwise why not
    area: str

    @property
    def available(self) -> bool:
        return any(v is not None for _y, v in self.values)


class StatisticsSource:
    """The statistics engine's result for a dossier's municipality, computed at most once."""

    def __init__(self, dossier: models.Model) -> None:
        self.municipality_code = getattr(dossier, "municipality_code", "") or ""
        self._result: object = None
        self._loaded = False

    def result(self) -> object | None:
        if not self._loaded:
            self._loaded = True
            from kansenaudit.web.indicators.selectors import statistics_result

            self._result = statistics_result(municipality_code=self.municipality_code)
        return self._result

    def series(self, key: str, area_code: str = "") -> StatisticsSeries:
        """The realised values of catalogue indicator ``key`` for ``area_code`` (empty: city)."""
        import polars as pl

        from kansenaudit.staat.model import CITY_LEVELS
        from kansenaudit.web.indicators.selectors import TOTAL

        result = self.result()
        area = area_code or "stad"
        if result is None:
            return StatisticsSeries([], NO_STATISTICS, area)
        frame = result.values.filter((pl.col("indicator") == key) & (pl.col("group") == TOTAL))
        if area_code:
            frame = frame.filter(pl.col("area_code") == area_code)
        else:
            frame = frame.filter(pl.col("area_level").is_in(CITY_LEVELS))
        rows: dict[int, float | None] = {}
        for row in frame.sort("period").iter_rows(named=True):
            shown = row.get("shown_value")
            value = None if row.get("suppressed") or shown is None else float(shown)
            rows[int(row["period"])] = value if value is None or math.isfinite(value) else None
        if not rows:
            return StatisticsSeries([], NO_STATISTICS, area)
        return StatisticsSeries(sorted(rows.items()), "", area)


# --- Monitoring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Distance:
    """How far the latest realised value is from the target that applies to it.

    ``gap`` is measured in the indicator's favourable direction: for "higher is better"
    ``target − realised``, for "lower is better" ``realised − target``; a positive gap is still
    to go, zero or less means reached. For a neutral indicator ``gap = target − realised`` and
    ``reached`` is None. ``progress`` is the share of the way from baseline to target,
    ``(realised − baseline) / (target − baseline)``, when both are known and differ.
    """

    realised_year: int
    realised: float
    target_year: int
    target: float
    gap: float
    reached: bool | None
    progress: float | None


@dataclass(frozen=True)
class IndicatorStatus:
    indicator: Indicator
    baseline: tuple[int, float] | None
    targets: list[tuple[int, float]]
    realised: list[tuple[int, float]]
    realised_source: str  # "register" or the statistics label
    message: str  # e.g. "geen cijfers beschikbaar" for a catalogue indicator without values
    distance: Distance | None
    withheld: list[int] = field(default_factory=list)  # years withheld by disclosure control
    # A catalogue indicator whose realised values were also entered by hand (as the municipality
    # reported them): the years where the two differ, as (year, reported, statistics).
    discrepancies: list[tuple[int, float, float]] = field(default_factory=list)


def reported_differs(reported: float, statistics: float) -> bool:
    """Whether a reported value differs from the statistics by more than rounding: more than
    0.05 (one decimal) and more than 0.5 % of the statistics value.

    >>> reported_differs(12.3, 12.34), reported_differs(12.0, 12.4), reported_differs(1000, 1004)
    (False, True, False)
    """
    gap = abs(reported - statistics)
    return gap > 0.05 and gap > 0.005 * abs(statistics)


def distance_to_target(
    *,
    polarity: str,
    baseline: tuple[int, float] | None,
    targets: list[tuple[int, float]],
    realised: list[tuple[int, float]],
) -> Distance | None:
    """The distance of the latest realised value to its target (see :class:`Distance`).

    The target that applies is the first one in or after the year of the latest realised value;
    when all targets lie before it, the last target.

    >>> d = distance_to_target(polarity="lager", baseline=(2019, 20.0),
    ...     targets=[(2022, 17.0), (2026, 14.0)], realised=[(2021, 19.0), (2023, 16.0)])
    >>> (d.target_year, d.gap, d.reached, d.progress)
    (2026, 2.0, False, 0.6666666666666666)
    """
    if not targets or not realised:
        return None
    year, value = max(realised)
    later = sorted(t for t in targets if t[0] >= year)
    target_year, target = later[0] if later else max(targets)
    if polarity == Indicator.Polarity.HOGER_BETER:
        gap, reached = target - value, value >= target
    elif polarity == Indicator.Polarity.LAGER_BETER:
        gap, reached = value - target, value <= target
    else:
        gap, reached = target - value, None
    progress = None
    if baseline is not None and target != baseline[1]:
        progress = (value - baseline[1]) / (target - baseline[1])
    return Distance(year, value, target_year, target, gap, reached, progress)


def indicator_status(indicator: Indicator, statistics: StatisticsSource) -> IndicatorStatus:
    """Baseline, targets and realised values of one indicator, and its distance to target."""
    values = list(indicator.values.all())
    baseline = next(((v.year, v.value) for v in values if v.kind == "nulmeting"), None)
    targets = sorted((v.year, v.value) for v in values if v.kind == "streefwaarde")
    withheld: list[int] = []
    discrepancies: list[tuple[int, float, float]] = []
    message = ""
    if indicator.source == Indicator.Source.CATALOGUS:
        series = statistics.series(indicator.catalogue_key, indicator.area_code)
        realised = [(y, v) for y, v in series.values if v is not None]
        withheld = [y for y, v in series.values if v is None]
        source = STATISTICS_LABEL
        message = series.message
        from_statistics = dict(realised)
        discrepancies = [
            (v.year, v.value, from_statistics[v.year])
            for v in sorted(values, key=lambda v: v.year)
            if v.kind == "realisatie"
            and v.year in from_statistics
            and reported_differs(v.value, from_statistics[v.year])
        ]
    else:
        realised = sorted((v.year, v.value) for v in values if v.kind == "realisatie")
        source = "register"
    return IndicatorStatus(
        indicator=indicator,
        baseline=baseline,
        targets=targets,
        realised=realised,
        realised_source=source,
        message=message,
        distance=distance_to_target(
            polarity=indicator.polarity, baseline=baseline, targets=targets, realised=realised
        ),
        withheld=withheld,
        discrepancies=discrepancies,
    )


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    indicators: list[IndicatorStatus]


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    depth: int
    indicators: list[IndicatorStatus]
    measures: list[MeasureRow]


@dataclass(frozen=True)
class Gaps:
    """What monitoring cannot follow (see docs/policy.md for the rules)."""

    goals_without_measures: list[Goal]
    measures_without_goals: list[Measure]
    goals_without_indicators: list[Goal]
    indicators_without_baseline: list[Indicator]
    indicators_without_target: list[Indicator]
    links_without_evidence: list[TheoryLink]

    def total(self) -> int:
        return sum(len(getattr(self, name)) for name in GAP_KINDS)


# Gap kind → Dutch label, in the order pages and exports list them.
GAP_KINDS = {
    "goals_without_measures": "doel zonder maatregel",
    "measures_without_goals": "maatregel zonder doel",
    "goals_without_indicators": "doel zonder indicator",
    "indicators_without_baseline": "indicator zonder nulmeting",
    "indicators_without_target": "indicator zonder streefwaarde",
    "links_without_evidence": "schakel in de beleidstheorie zonder bewijs",
}


@dataclass(frozen=True)
class Monitoring:
    tree: list[GoalRow]
    measures_without_goals: list[MeasureRow]
    indicators_unlinked: list[IndicatorStatus]
    gaps: Gaps
    statistics_available: bool


def monitoring_gaps(
    dossier: models.Model,
    goals: list[Goal] | None = None,
    measures: list[Measure] | None = None,
    indicators: list[Indicator] | None = None,
    links: list[TheoryLink] | None = None,
) -> Gaps:
    """The gaps of a dossier's monitoring.

    A goal has measures (or indicators) when a measure serves (an indicator measures) the goal
    itself or one of the goals below it. An indicator has a baseline or a target when the
    register holds one. A link has evidence when at least one citation is attached to it.
    """
    goals = list(goals_for(dossier)) if goals is None else goals
    measures = list(measures_for(dossier)) if measures is None else measures
    indicators = list(indicators_for(dossier)) if indicators is None else indicators
    below = _descendants(goals)
    served = {g.pk for m in measures for g in m.goals.all()}
    measured = {g.pk for i in indicators for g in i.goals.all()}
    links = list(links_for(dossier)) if links is None else links
    counts = evidence_counts(links)
    link_type = ContentType.objects.get_for_model(TheoryLink).pk if links else 0
    ordered = [node.goal for node in goal_tree(dossier, goals)]
    return Gaps(
        goals_without_measures=[g for g in ordered if not below[g.pk] & served],
        measures_without_goals=[m for m in measures if not m.goals.all()],
        goals_without_indicators=[g for g in ordered if not below[g.pk] & measured],
        indicators_without_baseline=[
            i for i in indicators if not any(v.kind == "nulmeting" for v in i.values.all())
        ],
        indicators_without_target=[
            i for i in indicators if not any(v.kind == "streefwaarde" for v in i.values.all())
        ],
        links_without_evidence=[link for link in links if not counts.get((link_type, link.pk), 0)],
    )


def overview(dossier: models.Model) -> tuple[dict[str, int], Gaps]:
    """The register counts (as :func:`register_counts`) and the monitoring gaps of the policy
    overview, counted from the rows the gaps need rather than asked again one count at a time."""
    goals = list(Goal.objects.filter(dossier=dossier))
    measures = list(Measure.objects.filter(dossier=dossier).prefetch_related("goals"))
    indicators = list(Indicator.objects.filter(dossier=dossier).prefetch_related("goals", "values"))
    links = list(links_for(dossier))
    gaps = monitoring_gaps(dossier, goals, measures, indicators, links)
    counts = {
        "actors": Actor.objects.filter(dossier=dossier).count(),
        "goals": len(goals),
        "measures": len(measures),
        "steps": TheoryStep.objects.filter(measure__dossier=dossier).count(),
        "links": len(links),
        "indicators": len(indicators),
        "values": sum(len(i.values.all()) for i in indicators),
        "evidence": evidence_for(dossier).count(),
    }
    return counts, gaps


def monitoring(dossier: models.Model) -> Monitoring:
    """The tree goal → measure → indicator with values and distance to target, and the gaps."""
    goals = list(goals_for(dossier))
    measures = list(measures_for(dossier))
    indicators = list(indicators_for(dossier))
    statistics = StatisticsSource(dossier)
    status = {i.pk: indicator_status(i, statistics) for i in indicators}
    by_goal: dict[int, list[IndicatorStatus]] = defaultdict(list)
    by_measure: dict[int, list[IndicatorStatus]] = defaultdict(list)
    for item in indicators:
        for goal in item.goals.all():
            by_goal[goal.pk].append(status[item.pk])
        for measure in item.measures.all():
            by_measure[measure.pk].append(status[item.pk])
    measures_of: dict[int, list[Measure]] = defaultdict(list)
    for measure in measures:
        for goal in measure.goals.all():
            measures_of[goal.pk].append(measure)
    tree = [
        GoalRow(
            goal=node.goal,
            depth=node.depth,
            indicators=by_goal[node.goal.pk],
            measures=[MeasureRow(m, by_measure[m.pk]) for m in measures_of[node.goal.pk]],
        )
        for node in goal_tree(dossier, goals)
    ]
    return Monitoring(
        tree=tree,
        measures_without_goals=[
            MeasureRow(m, by_measure[m.pk]) for m in measures if not m.goals.all()
        ],
        indicators_unlinked=[
            status[i.pk] for i in indicators if not i.goals.all() and not i.measures.all()
        ],
        gaps=monitoring_gaps(dossier, goals, measures, indicators),
        statistics_available=any(i.source == "catalogus" for i in indicators)
        and statistics.result() is not None,
    )


# --- Consistency ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Service:
    """A measure serving a city goal, directly (``via`` is None) or through a lower goal."""

    measure: Measure
    via: Goal | None


@dataclass(frozen=True)
class CityGoalRow:
    goal: Goal
    depth: int
    by_directie: dict[int, list[Service]]  # directie id (0: measures without an owner) → services

    @property
    def served(self) -> bool:
        return any(key for key, items in self.by_directie.items() if items)


@dataclass(frozen=True)
class Consistency:
    directies: list[Actor]
    city_goals: list[CityGoalRow]
    directie_goals_without_city_goal: list[Goal]
    city_goals_unserved: list[Goal]
    measures_without_owner: list[Measure]

    def matrix(self) -> list[tuple[Goal, int, list[int]]]:
        """(city goal, depth, number of measures per directie in :attr:`directies` order)."""
        return [
            (row.goal, row.depth, [len(row.by_directie.get(d.pk, [])) for d in self.directies])
            for row in self.city_goals
        ]


def consistency(dossier: models.Model) -> Consistency:
    """Which city goals each directie's measures serve, and where the two do not meet.

    A measure serves a city goal when it serves that goal, or a goal whose chain of parents
    reaches it. Directie and programme goals whose chain reaches no city goal, and city goals
    no directie's measure serves, are listed apart.
    """
    goals = list(goals_for(dossier))
    by_id = {g.pk: g for g in goals}
    measures = list(measures_for(dossier))
    directies = list(directies_for(dossier))
    city = set(Goal.CITY_LEVELS)
    served: dict[int, dict[int, list[Service]]] = defaultdict(lambda: defaultdict(list))
    for measure in measures:
        owner = measure.owner_id or 0
        for goal in measure.goals.all():
            chain = [goal, *ancestors(by_id.get(goal.pk, goal), by_id)]
            for reached in chain:
                if reached.level in city:
                    via = None if reached.pk == goal.pk else goal
                    if all(s.measure.pk != measure.pk for s in served[reached.pk][owner]):
                        served[reached.pk][owner].append(Service(measure, via))
    rows = [
        CityGoalRow(node.goal, node.depth, dict(served.get(node.goal.pk, {})))
        for node in goal_tree(dossier, goals)
        if node.goal.level in city
    ]
    lower = [
        node.goal
        for node in goal_tree(dossier, goals)
        if node.goal.level not in city
        and not any(a.level in city for a in ancestors(node.goal, by_id))
    ]
    return Consistency(
        directies=directies,
        city_goals=rows,
        directie_goals_without_city_goal=lower,
        city_goals_unserved=[row.goal for row in rows if not row.served],
        measures_without_owner=[m for m in measures if m.owner_id is None],
    )


# --- Evidence links ---------------------------------------------------------------------------

# Apps whose objects may carry evidence through the generic widget. Not judgements: their
# evidence is attached with an assessment or the consensus and removed on the judgement's page,
# so that it stays blind, enters the judgement's history and reopens a signed-off judgement.
EVIDENCE_APPS = ("policy", "council")


def dossier_id_of(subject: models.Model) -> int | None:
    """The dossier a subject belongs to (directly, or through its measure or judgement)."""
    for path in (
        "dossier_id",
        "measure.dossier_id",
        "indicator.dossier_id",
        "judgement.dossier_id",
    ):
        value: object = subject
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is not None:
            return int(value)
    return None


def register_citations(dossier: models.Model) -> list[Citation]:
    """The citations a register object may cite, by document, page and place.

    The register is shared by the team: never a citation held for a blind assessment.
    """
    return list(
        citations_visible_to(None, dossier).order_by("document__title", "page_number", "start")
    )


def register_citation(dossier: models.Model, pk: object) -> Citation | None:
    """One citation of :func:`register_citations` by its id (as typed), or None."""
    return in_dossier(citations_visible_to(None, dossier), pk)


def evidence_subject(dossier: models.Model, key: str) -> models.Model | None:
    """The object named ``"<app_label>.<model>:<pk>"`` (:func:`subject_key`), if it may carry
    evidence through the widget and belongs to ``dossier``; None for anything else."""
    try:
        label, pk = key.rsplit(":", 1)
        app_label, model_name = label.split(".", 1)
        model = apps.get_model(app_label, model_name)
    except (ValueError, LookupError):
        return None
    if model._meta.app_label not in EVIDENCE_APPS or model is EvidenceLink:
        return None
    item = in_dossier(model.objects.all(), pk)
    if item is None or dossier_id_of(item) != dossier.pk:
        return None
    return item


def removable_evidence_links(dossier: models.Model) -> QuerySet[EvidenceLink]:
    """The dossier's evidence links the widget may remove: not a judgement's, which is removed
    on the judgement's page (its history and blindness)."""
    return EvidenceLink.objects.filter(dossier=dossier).exclude(
        content_type__app_label=JUDGEMENT_APP
    )


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


def subject_key(subject: models.Model) -> str:
    """``"<app_label>.<model>:<pk>"``: how the evidence widget names its subject."""
    ct = ContentType.objects.get_for_model(subject)
    return f"{ct.app_label}.{ct.model}:{subject.pk}"


def evidence_widget(subject: models.Model) -> dict[str, object]:
    """What ``policy/_evidence.html`` needs for one subject: its key, label and links."""
    return {
        "key": subject_key(subject),
        "label": str(subject),
        "links": list(evidence_links_for(subject)),
    }
