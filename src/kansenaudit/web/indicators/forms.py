# SPDX-License-Identifier: EUPL-1.2
"""The choices on the statistics page: indicator, year, area level, group and stacking method."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.areas.models import AreaLevel
from kansenaudit.web.core.formfields import Form
from kansenaudit.web.indicators.selectors import TOTAL, StatisticsChoice, StatisticsOptions

METHOD_CHOICES = [
    ("zscore", _("z-scores (population-weighted)")),
    ("imd", _("rank-based (IMD method)")),
    ("telling", _("count of unfavourable indicators")),
]


def group_label(group: str) -> str:
    """``migratieachtergrond:westers`` → ``migratieachtergrond: westers``; the total in words."""
    if group == TOTAL:
        return str(_("total (everyone)"))
    return group.replace(":", ": ")


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "ka-select"})


class StatisticsForm(Form):
    """A GET form; a missing parameter takes the default, an unknown one is an error."""

    indicator = forms.ChoiceField(
        label=_("Indicator"),
        widget=_select(),
        error_messages={"invalid_choice": _("Unknown indicator: choose one from the list.")},
    )
    jaar = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        widget=_select(),
        error_messages={
            "invalid_choice": _("There are no figures for this year: choose a year from the list.")
        },
    )
    niveau = forms.ChoiceField(
        label=_("Area level"),
        widget=_select(),
        error_messages={"invalid_choice": _("Unknown area level: choose one from the list.")},
    )
    groep = forms.ChoiceField(
        label=_("Group"),
        widget=_select(),
        error_messages={"invalid_choice": _("Unknown group: choose one from the list.")},
    )
    methode = forms.ChoiceField(
        label=_("Stacking method"),
        choices=METHOD_CHOICES,
        widget=_select(),
        error_messages={"invalid_choice": _("Unknown stacking method: choose one from the list.")},
    )

    def __init__(self, query: object, *, options: StatisticsOptions) -> None:
        defaults = {
            "indicator": options.default_indicator,
            "jaar": str(options.years[-1]) if options.years else "",
            "niveau": options.default_level,
            "groep": TOTAL,
            "methode": METHOD_CHOICES[0][0],
        }
        data = dict(defaults)
        for name in defaults:
            value = query.get(name) if query is not None else None
            if value:  # an empty parameter means "the default"
                data[name] = value
        super().__init__(data)
        self.fields["indicator"].choices = [
            (domain, [(item.key, item.name) for item in items])
            for domain, items in options.indicators
        ]
        self.fields["jaar"].choices = [(str(year), str(year)) for year in options.years]
        self.fields["niveau"].choices = [
            (level, AreaLevel(level).label if level in AreaLevel.values else level)
            for level in options.levels
        ]
        self.fields["groep"].choices = [(group, group_label(group)) for group in options.groups]

    def choice(self) -> StatisticsChoice:
        data = self.cleaned_data
        return StatisticsChoice(
            indicator=data["indicator"],
            year=int(data["jaar"]),
            level=data["niveau"],
            group=data["groep"],
            method=data["methode"],
        )
