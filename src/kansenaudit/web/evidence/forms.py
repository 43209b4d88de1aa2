# SPDX-License-Identifier: EUPL-1.2
"""Forms of the evidence pages: they parse and check input; the services do the work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.formfields import DateInput, Form
from kansenaudit.web.evidence.models import Document

EDITABLE_FIELDS = [
    "title",
    "date",
    "doc_type",
    "issuer",
    "issuer_name",
    "status",
    "status_date",
    "decision_reference",
    "confidentiality",
]


def _any(label: object, choices: list) -> list:
    return [("", label), *choices]


class DocumentFilterForm(Form):
    """The filters and the search box above the document list (GET)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=300)
    soort = forms.ChoiceField(
        label=_("Document type"),
        required=False,
        choices=_any(_("all types"), Document.DocType.choices),
    )
    uitgever = forms.ChoiceField(
        label=_("Issuer"),
        required=False,
        choices=_any(_("all issuers"), Document.Issuer.choices),
    )
    jaar = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None, choices=[]
    )
    status = forms.ChoiceField(
        label=_("Formal status"),
        required=False,
        choices=_any(_("all statuses"), Document.Status.choices),
    )

    def __init__(self, *args: object, years: list[int] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = _any(_("all years"), [(y, str(y)) for y in years or []])
        self.fields["q"].widget.input_type = "search"  # one type attribute, not two
        self.fields["q"].widget.attrs.update({"class": "ka-text-input"})
        for name in ("soort", "uitgever", "jaar", "status"):
            self.fields[name].widget.attrs["class"] = "ka-select"


class DocumentEditForm(Form):
    """A document's metadata; a plain form so the document itself changes only in the service."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                Document,
                fields=EDITABLE_FIELDS,
                widgets={
                    "date": DateInput(),
                    "status_date": DateInput(),
                },
            )
        )
        for field in self.fields.values():
            widget = field.widget
            widget.attrs.setdefault(
                "class", "ka-select" if isinstance(widget, forms.Select) else "ka-text-input"
            )

    @classmethod
    def for_document(cls, document: Document, data: object = None) -> DocumentEditForm:
        return cls(
            data, initial=forms.model_to_dict(document, fields=EDITABLE_FIELDS), prefix="meta"
        )


class CitationForm(Form):
    """A passage of a page: by code-point offsets (the script) or by its text (without script)."""

    pagina = forms.IntegerField(min_value=1)
    start = forms.IntegerField(min_value=0, required=False)
    end = forms.IntegerField(min_value=1, required=False)
    citaat = forms.CharField(
        label=_("Passage to cite"),
        required=False,
        max_length=20000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ka-text-area"}),
        help_text=_(
            "Copy the passage from the page text. It must occur exactly once on this page."
        ),
    )
    notitie = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "ka-text-area"}),
    )
    oordeel = forms.TypedChoiceField(
        label=_("For my assessment (blind)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
        widget=forms.Select(attrs={"class": "ka-select"}),
        help_text=_(
            "Only you see a citation made for an assessment, until every assessment of the "
            "judgement is in. Then it becomes an ordinary citation of the dossier."
        ),
    )

    def __init__(self, *args: object, judgements: list | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["oordeel"].choices = [
            ("", _("none: a citation for the whole team")),
            *((j.pk, str(j)) for j in judgements or []),
        ]

    def clean(self) -> dict:
        data = super().clean()
        has_range = data.get("start") is not None and data.get("end") is not None
        if not has_range and not (data.get("citaat") or "").strip():
            raise forms.ValidationError(_("Select a passage in the text, or paste it here."))
        return data


class TermForm(Form):
    term = forms.CharField(
        label=_("New term"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "ka-text-input"}),
    )


class DefinitionForm(Form):
    """One keyword-in-context line marked as the definition of a term."""

    term = forms.IntegerField(min_value=1)
    document = forms.IntegerField(min_value=1)
    pagina = forms.IntegerField(min_value=1)
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)
    notitie = forms.CharField(required=False, max_length=5000)

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("start") is not None
            and data.get("end") is not None
            and data["end"] <= data["start"]
        ):
            raise forms.ValidationError(_("The passage is empty."))
        return data


class CouncilPullForm(Form):
    """Search OpenBesluitvorming for council documents and store what it finds."""

    gemeente = forms.CharField(
        label=_("Municipality"),
        max_length=100,
        help_text=_("As OpenBesluitvorming names it, for example Amsterdam."),
        widget=forms.TextInput(attrs={"class": "ka-text-input"}),
    )
    zoekwoorden = forms.CharField(
        label=_("Search words"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "ka-text-input"}),
    )
    vanaf = forms.DateField(
        label=_("From (date)"),
        required=False,
        widget=DateInput(attrs={"class": "ka-text-input"}),
    )
    hoogstens = forms.IntegerField(
        label=_("At most this many documents"),
        min_value=1,
        max_value=100,
        initial=25,
        widget=forms.NumberInput(attrs={"class": "ka-text-input"}),
    )
