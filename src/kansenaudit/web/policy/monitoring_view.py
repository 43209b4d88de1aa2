# SPDX-License-Identifier: EUPL-1.2
"""The monitoring page as tables: per goal, each indicator once, baseline → target → latest,
and the progress in words (issue 12 §5). Reads only; the numbers come from
:func:`kansenaudit.web.policy.selectors.monitoring`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kansenaudit.reporting import formatting
from kansenaudit.web.core.formfields import Form
from kansenaudit.web.core.templatetags.ka_format import interface_lang
from kansenaudit.web.policy import selectors

# The state of an indicator's progress, in the order of the filter.
STATES = {
    "reached": gettext_lazy("target reached"),
    "underway": gettext_lazy("on the way to the target"),
    "away": gettext_lazy("moved away from the target"),
    "unknown": gettext_lazy("progress unknown"),
}


class MonitoringFilterForm(Form):
    """Which goals and which indicators the page shows."""

    goal = forms.ChoiceField(label=gettext_lazy("Goal"), required=False)
    state = forms.ChoiceField(label=gettext_lazy("Progress"), required=False)

    def __init__(self, *args: object, goals: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", _("All goals"))] + [(str(g.pk), str(g)) for g in goals]
        self.fields["state"].choices = [("", _("All indicators"))] + [
            (key, label[:1].upper() + label[1:]) for key, label in STATES.items()
        ]


@dataclass
class Line:
    """One indicator in a goal's table."""

    status: selectors.IndicatorStatus
    via: list[str] = field(default_factory=list)  # "the goal itself" or measure names
    state: str = "unknown"
    words: str = ""

    @property
    def unit(self) -> str:
        return display_unit(self.status.indicator.unit)


def display_unit(unit: str) -> str:
    """The unit as written after a number; a count ("aantal") needs none."""
    return "" if unit.strip().lower() in {"aantal", "count", "number"} else unit.strip()


@dataclass
class GoalTable:
    goal: object
    depth: int
    lines: list[Line]
    measures_without_indicator: list[object]


def _number(value: float | None, unit: str) -> str:
    text = formatting.format_number(value, lang=interface_lang())
    return f"{text} {unit}".strip() if value is not None else text


def progress_in_words(status: selectors.IndicatorStatus) -> tuple[str, str]:
    """(state, sentence): how far the latest value has come from the baseline to the target."""
    unit = display_unit(status.indicator.unit)
    lang = interface_lang()
    distance = status.distance
    if not status.targets:
        return "unknown", _("No target: progress cannot be judged.")
    if distance is None:
        return "unknown", _("No realised value yet.")
    if distance.reached:
        return "reached", _("Target reached in %(year)s.") % {"year": distance.realised_year}
    still = _number(abs(distance.gap), unit)
    if distance.progress is None:
        return "unknown", _(
            "Still %(gap)s to go to the target; without a baseline the share of the way is unknown."
        ) % {"gap": still}
    share = formatting.format_percent(abs(distance.progress) * 100, decimals=0, lang=lang)
    if distance.progress < 0:
        return "away", _(
            "Moved away from the target: the value is %(share)s of the way from the baseline "
            "to the target in the wrong direction; still %(gap)s to go."
        ) % {"share": share, "gap": still}
    return "underway", _(
        "%(share)s of the way from the baseline to the target; still %(gap)s to go."
    ) % {"share": share, "gap": still}


def _line(status: selectors.IndicatorStatus, via: str) -> Line:
    state, words = progress_in_words(status)
    return Line(status=status, via=[via], state=state, words=words)


def goal_tables(
    result: selectors.Monitoring, *, goal: str = "", state: str = ""
) -> list[GoalTable]:
    """One table per goal, each indicator once (with the goal or measures it comes through)."""
    tables = []
    for row in result.tree:
        if goal and str(row.goal.pk) != goal:
            continue
        lines: dict[int, Line] = {}
        for status in row.indicators:
            lines.setdefault(status.indicator.pk, _line(status, _("the goal itself")))
        for measure_row in row.measures:
            for status in measure_row.indicators:
                line = lines.setdefault(status.indicator.pk, _line(status, ""))
                line.via = [v for v in [*line.via, measure_row.measure.name] if v]
        shown = [line for line in lines.values() if not state or line.state == state]
        if state and not shown:
            continue
        tables.append(
            GoalTable(
                goal=row.goal,
                depth=row.depth,
                lines=shown,
                measures_without_indicator=[m.measure for m in row.measures if not m.indicators],
            )
        )
    return tables


def loose_lines(result: selectors.Monitoring, *, state: str = "") -> list[Line]:
    """Indicators of measures without a goal and indicators without goal or measure."""
    lines: dict[int, Line] = {}
    for measure_row in result.measures_without_goals:
        for status in measure_row.indicators:
            line = lines.setdefault(status.indicator.pk, _line(status, ""))
            line.via = [v for v in [*line.via, measure_row.measure.name] if v]
    for status in result.indicators_unlinked:
        lines.setdefault(status.indicator.pk, _line(status, _("no goal or measure")))
    return [line for line in lines.values() if not state or line.state == state]
