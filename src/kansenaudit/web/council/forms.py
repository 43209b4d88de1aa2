# SPDX-License-Identifier: EUPL-1.2
"""Forms of the council pages: they parse and check input; the services do the work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.formfields import DateInput, Form
from kansenaudit.web.council import selectors
from kansenaudit.web.council.models import InformationItem
from kansenaudit.web.policy.models import Goal, Indicator, Measure


def _any(label: object, choices: list) -> list:
    return [("", label), *choices]


class ItemFilterForm(Form):
    """The filters above the item list and the timeline (GET)."""

    jaar = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None, choices=[]
    )
    doel = forms.TypedChoiceField(
        label=_("Goal"), required=False, coerce=int, empty_value=None, choices=[]
    )
    over = forms.ChoiceField(
        label=_("Reports on"),
        required=False,
        choices=_any(_("everything"), InformationItem.Reports.choices),
    )

    def __init__(self, *args: object, dossier: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        years = selectors.item_years(dossier)
        self.fields["jaar"].choices = _any(_("all years"), [(y, str(y)) for y in years])
        goals = Goal.objects.filter(dossier=dossier).order_by("order", "code", "title", "pk")
        self.fields["doel"].choices = _any(_("all goals"), [(g.pk, str(g)) for g in goals])
        for field in self.fields.values():
            field.widget.attrs["class"] = "ka-select"

    def filters(self) -> selectors.ItemFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return selectors.ItemFilter(
            year=data.get("jaar"), goal_id=data.get("doel"), reports_on=data.get("over") or ""
        )


class _Checkboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class ItemForm(Form):
    """Register a document as an information item, or change an item (without its document)."""

    document = forms.ModelChoiceField(
        label=_("Council document"),
        queryset=None,
        help_text=_("A document of the evidence store of this dossier."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use the document's title."),
    )
    date = forms.DateField(
        label=_("Date sent to the council"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to use the document's date."),
    )
    reports_on = forms.ChoiceField(
        label=_("Reports on"),
        choices=InformationItem.Reports.choices,
        widget=forms.RadioSelect,
    )
    goals = _Checkboxes(label=_("Goals it reports on"), queryset=None, required=False)
    measures = _Checkboxes(label=_("Measures it reports on"), queryset=None, required=False)
    indicators = _Checkboxes(label=_("Indicators it reports on"), queryset=None, required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ka-text-area"}),
    )

    def __init__(
        self,
        *args: object,
        dossier: object,
        item: InformationItem | None = None,
        **kwargs: object,
    ) -> None:
        if item is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "title": item.title,
                "date": item.date,
                "reports_on": item.reports_on,
                "goals": list(item.goals.all()),
                "measures": list(item.measures.all()),
                "indicators": list(item.indicators.all()),
                "note": item.note,
            }
        super().__init__(*args, **kwargs)
        self.item = item
        if item is None:
            self.fields["document"].queryset = selectors.registrable_documents(dossier)
            self.fields["document"].widget.attrs["class"] = "ka-select"
        else:
            # The document of an item is fixed: to change it, remove the item and register anew.
            del self.fields["document"]
            self.fields["title"].required = True
            self.fields["date"].required = True
            self.fields["title"].help_text = ""
            self.fields["date"].help_text = ""
        self.fields["goals"].queryset = Goal.objects.filter(dossier=dossier).order_by(
            "order", "code", "title", "pk"
        )
        self.fields["measures"].queryset = Measure.objects.filter(dossier=dossier).select_related(
            "owner"
        )
        self.fields["indicators"].queryset = Indicator.objects.filter(dossier=dossier)
        self.fields["title"].widget.attrs["class"] = "ka-text-input"
        self.fields["date"].widget.attrs["class"] = "ka-text-input"

    def clean(self) -> dict:
        data = super().clean()
        document = data.get("document")
        if (
            self.item is None
            and document is not None
            and not data.get("date")
            and not document.date
        ):
            self.add_error(
                "date",
                _("The document has no date: enter the date the council received it."),
            )
        return data
