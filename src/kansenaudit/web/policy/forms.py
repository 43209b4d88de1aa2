# SPDX-License-Identifier: EUPL-1.2
"""Forms of the policy pages: they parse input; the services check the rules and write.

Field names are the keyword arguments of the services, so a view passes ``cleaned_data`` on.
Choices of goals, actors, measures and citations are limited to the form's dossier.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.formfields import DateInput, Form, format_amount, parse_amount
from kansenaudit.web.evidence.models import Citation
from kansenaudit.web.evidence.selectors import citations_visible_to
from kansenaudit.web.policy import selectors
from kansenaudit.web.policy.models import (
    Actor,
    Goal,
    Indicator,
    IndicatorValue,
    Measure,
    TheoryStep,
)


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        css = "ka-select" if isinstance(widget, forms.Select) else "ka-text-input"
        if isinstance(widget, forms.Textarea):
            css = "ka-text-area"
            widget.attrs.setdefault("rows", 3)
        widget.attrs.setdefault("class", css)


def _optional(label: object) -> list:
    return [("", label)]


class ActorForm(Form):
    name = forms.CharField(label=_("name"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=Actor.Kind.choices)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea)
    contact = forms.CharField(label=_("contact person"), required=False, max_length=200)

    def __init__(self, *args: object, dossier: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class GoalForm(Form):
    code = forms.CharField(label=_("code"), required=False, max_length=30)
    title = forms.CharField(label=_("goal"), max_length=300)
    level = forms.ChoiceField(label=_("level"), choices=Goal.Level.choices)
    parent = forms.ModelChoiceField(
        label=_("serves the goal"), required=False, queryset=Goal.objects.none()
    )
    owner = forms.ModelChoiceField(label=_("owner"), required=False, queryset=Actor.objects.none())
    target_groups = forms.ModelMultipleChoiceField(
        label=_("target groups"),
        required=False,
        queryset=Actor.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    domains = forms.CharField(
        label=_("domains"),
        required=False,
        help_text=_("Separate domains with commas, e.g. onderwijs, armoede."),
    )
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea)
    order = forms.IntegerField(label=_("order"), required=False, min_value=0, initial=0)

    def __init__(
        self, *args: object, dossier: object = None, exclude: int | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = selectors.goals_for(dossier).exclude(pk=exclude)
        self.fields["owner"].queryset = selectors.actors_for(dossier)
        self.fields["target_groups"].queryset = selectors.actors_for(dossier).filter(
            kind=Actor.Kind.DOELGROEP
        )
        _style(self)

    def clean_domains(self) -> list[str]:
        return [d.strip() for d in self.cleaned_data["domains"].split(",") if d.strip()]

    def clean_order(self) -> int:
        return self.cleaned_data.get("order") or 0


_BUDGET_LINE = re.compile(r"^\s*(\d{4})\s*[:=]\s*(\S.*?)\s*$")


class MeasureForm(Form):
    name = forms.CharField(label=_("name"), max_length=200)
    owner = forms.ModelChoiceField(
        label=_("owner directorate"), required=False, queryset=Actor.objects.none()
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("goals served"),
        required=False,
        queryset=Goal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("target groups"),
        required=False,
        queryset=Actor.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=_optional("–") + Measure.Status.choices
    )
    start = forms.DateField(label=_("start"), required=False, widget=DateInput())
    end = forms.DateField(label=_("end"), required=False, widget=DateInput())
    reach = forms.IntegerField(label=_("reach (people per year)"), required=False, min_value=0)
    budgets = forms.CharField(
        label=_("budget per year (euro)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One year per line, e.g. 2025: 150000"),
    )
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea)
    domain = forms.CharField(label=_("domain"), required=False, max_length=100)
    reason = forms.CharField(label=_("reason for selection"), required=False, max_length=100)
    rationale = forms.CharField(label=_("rationale"), required=False, widget=forms.Textarea)
    assumptions = forms.CharField(label=_("assumptions"), required=False, widget=forms.Textarea)
    alignment = forms.CharField(
        label=_("alignment with city policy"), required=False, widget=forms.Textarea
    )
    indicators_text = forms.CharField(
        label=_("indicators (as reported)"), required=False, widget=forms.Textarea
    )
    evidence_claimed = forms.CharField(
        label=_("evidence claimed"), required=False, widget=forms.Textarea
    )

    def __init__(self, *args: object, dossier: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.directies_for(dossier)
        self.fields["goals"].queryset = selectors.goals_for(dossier)
        self.fields["target_groups"].queryset = selectors.actors_for(dossier).filter(
            kind=Actor.Kind.DOELGROEP
        )
        _style(self)

    def clean_budgets(self) -> dict[int, Decimal]:
        result: dict[int, Decimal] = {}
        for number, line in enumerate(self.cleaned_data["budgets"].splitlines(), start=1):
            if not line.strip():
                continue
            match = _BUDGET_LINE.match(line)
            if not match:
                raise forms.ValidationError(
                    _("Line %(number)s: write a year, a colon and an amount, e.g. 2025: 150000.")
                    % {"number": number}
                )
            try:
                result[int(match.group(1))] = parse_amount(match.group(2))
            except ValueError as exc:
                # In the active language's notation, never guessed: a guess made 650000.00
                # into 65 million (issue #11).
                raise forms.ValidationError(
                    _("Line %(number)s: “%(amount)s” is not an amount; write it like %(example)s.")
                    % {
                        "number": number,
                        "amount": match.group(2),
                        "example": format_amount(Decimal("150000.50")),
                    }
                ) from exc
        return result

    @staticmethod
    def budgets_text(measure: Measure) -> str:
        """The budgets as the form shows them, in the active language's notation."""
        return "\n".join(f"{b.year}: {format_amount(b.amount)}" for b in measure.budgets.all())


class StepForm(Form):
    kind = forms.ChoiceField(label=_("kind"), choices=TheoryStep.Kind.choices)
    text = forms.CharField(label=_("description"), max_length=500)
    goal = forms.ModelChoiceField(
        label=_("goal in the register (for a goal step)"),
        required=False,
        queryset=Goal.objects.none(),
    )

    def __init__(self, *args: object, dossier: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = selectors.goals_for(dossier)
        _style(self)


class LinkForm(Form):
    source = forms.ModelChoiceField(label=_("from"), queryset=TheoryStep.objects.none())
    target = forms.ModelChoiceField(label=_("to"), queryset=TheoryStep.objects.none())
    rationale = forms.CharField(
        label=_("rationale (why this leads to that)"), widget=forms.Textarea
    )

    def __init__(self, *args: object, measure: Measure | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        steps = measure.theory_steps.all() if measure is not None else TheoryStep.objects.none()
        self.fields["source"].queryset = steps
        self.fields["target"].queryset = steps
        _style(self)


class IndicatorForm(Form):
    name = forms.CharField(label=_("name"), max_length=200)
    source = forms.ChoiceField(label=_("source"), choices=Indicator.Source.choices)
    catalogue_key = forms.ChoiceField(label=_("catalogue indicator"), required=False, choices=[])
    area_code = forms.CharField(
        label=_("area code"),
        required=False,
        max_length=20,
        help_text=_("Empty: the whole city."),
    )
    unit = forms.CharField(label=_("unit"), required=False, max_length=50)
    polarity = forms.ChoiceField(
        label=_("direction"),
        required=False,
        choices=_optional(_("from the catalogue, or neither")) + Indicator.Polarity.choices,
    )
    definition = forms.CharField(label=_("definition"), required=False, widget=forms.Textarea)
    goals = forms.ModelMultipleChoiceField(
        label=_("goals"),
        required=False,
        queryset=Goal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("measures"),
        required=False,
        queryset=Measure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, dossier: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["catalogue_key"].choices = _optional("–") + selectors.catalogue_choices()
        self.fields["goals"].queryset = selectors.goals_for(dossier)
        self.fields["measures"].queryset = selectors.measures_for(dossier)
        _style(self)


class ValueForm(Form):
    kind = forms.ChoiceField(label=_("kind"), choices=IndicatorValue.Kind.choices)
    year = forms.IntegerField(label=_("year"), min_value=1900, max_value=2100)
    value = forms.FloatField(label=_("value"))
    note = forms.CharField(label=_("note"), required=False, max_length=500)
    citation = forms.ModelChoiceField(
        label=_("reported in (citation)"), required=False, queryset=Citation.objects.none()
    )

    def __init__(self, *args: object, dossier: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Shared with the team: never a citation held for a blind assessment.
        self.fields["citation"].queryset = citations_visible_to(None, dossier)
        _style(self)


class RegistersImportForm(Form):
    """A registers file as exported (JSON), to add to and update the dossier's registers."""

    bestand = forms.FileField(
        label=_("Registers file (JSON)"),
        help_text=_(
            "The JSON of “All registers as JSON”, from this or another dossier. Records are "
            "matched by name: the import adds and updates, never deletes, and is all or nothing."
        ),
    )
