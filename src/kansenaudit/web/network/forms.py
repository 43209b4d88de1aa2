# SPDX-License-Identifier: EUPL-1.2
"""Forms of the network pages: they parse and check input; the services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.formfields import DateInput, Form, format_amount, parse_amount
from kansenaudit.web.network.models import MapActor, Tie

MAX_IMPORT_BYTES = 10 * 1024 * 1024


def _select(**kwargs: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        coerce=int, empty_value=None, widget=forms.Select(attrs={"class": "ka-select"}), **kwargs
    )


class MapCreateForm(Form):
    maatregel = _select(label=_("Measure (empty: the organisation map)"), required=False)
    versie = forms.CharField(
        label=_("Version"), max_length=40, help_text=_("For example 2019 or 2026.")
    )
    peildatum = forms.DateField(label=_("Situation on"), required=False, widget=DateInput())
    omschrijving = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, measures: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["maatregel"].choices = [("", "—"), *measures]


class CopyForm(Form):
    versie = forms.CharField(label=_("New version"), max_length=40)
    peildatum = forms.DateField(label=_("Situation on"), required=False, widget=DateInput())


class MemberForm(Form):
    actor = _select(label=_("Actor"))
    invloed = forms.IntegerField(
        label=_("Influence (0–10)"), min_value=0, max_value=10, required=False
    )
    houding = forms.ChoiceField(
        label=_("Stance towards the goal"),
        choices=MapActor.Stance.choices,
        initial="unknown",
        widget=forms.Select(attrs={"class": "ka-select"}),
    )
    uitvoerder = forms.BooleanField(label=_("Carries out the measure"), required=False)

    def __init__(self, *args: Any, actors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", "—"), *actors]


class TieForm(Form):
    van = _select(label=_("From"))
    naar = _select(label=_("To"))
    soort = forms.ChoiceField(
        label=_("Type"), choices=Tie.Kind.choices, widget=forms.Select(attrs={"class": "ka-select"})
    )
    begin = forms.DateField(label=_("From date"), required=False, widget=DateInput())
    einde = forms.DateField(label=_("Until date"), required=False, widget=DateInput())
    sterkte = forms.IntegerField(
        label=_("Strength (1–5)"), min_value=1, max_value=5, required=False
    )
    bedrag = forms.CharField(label=_("Amount (euro)"), required=False, max_length=30)
    jaar = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100, required=False)
    begrotingsregel = _select(label=_("Budget line"), required=False)
    citaat = _select(label=_("Evidence (citation)"), required=False)
    notitie = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        actors: list[tuple[int, str]],
        budgets: list[tuple[int, str]],
        citations: list[tuple[int, str]] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["van"].choices = [("", "—"), *actors]
        self.fields["naar"].choices = [("", "—"), *actors]
        self.fields["begrotingsregel"].choices = [("", "—"), *budgets]
        if citations is None:  # the edit form: evidence is added with its own form
            del self.fields["citaat"]
        else:
            self.fields["citaat"].choices = [("", "—"), *citations]

    @staticmethod
    def initial_of(tie: Tie) -> dict[str, Any]:
        """The form's values for an existing tie (the edit form)."""
        return {
            "van": tie.source_id,
            "naar": tie.target_id,
            "soort": tie.kind,
            "begin": tie.start,
            "einde": tie.end,
            "sterkte": tie.strength,
            "bedrag": format_amount(tie.amount) if tie.amount is not None else "",
            "jaar": tie.year,
            "begrotingsregel": tie.budget_id,
            "notitie": tie.note,
        }

    def clean_bedrag(self) -> Any:
        text = self.cleaned_data.get("bedrag", "").strip()
        if not text:
            return None
        if text.startswith("-"):
            raise forms.ValidationError(_("An amount cannot be negative."))
        try:
            return parse_amount(text)
        except ValueError:
            raise forms.ValidationError(
                _("Not an amount: %(text)s"), params={"text": text}
            ) from None


class EvidenceForm(Form):
    relatie = _select(label=_("Tie"))
    citaat = _select(label=_("Citation"))
    notitie = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(
        self,
        *args: Any,
        ties: list[tuple[int, str]],
        citations: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["relatie"].choices = [("", "—"), *ties]
        self.fields["citaat"].choices = [("", "—"), *citations]


class ImportForm(Form):
    bestand = forms.FileField(label=_("Edge list or graph file (CSV, XLSX, GEXF or GraphML)"))

    def clean_bestand(self) -> Any:
        upload = self.cleaned_data["bestand"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
