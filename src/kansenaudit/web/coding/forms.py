# SPDX-License-Identifier: EUPL-1.2
"""Forms of the coding pages: they parse and check input; the services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.formfields import Form

TEXT = {"class": "ka-text-input"}
AREA = {"class": "ka-text-area", "rows": 3}
SELECT = {"class": "ka-select"}


class CodeForm(Form):
    """A code's texts, colour and place in the tree."""

    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    parent = forms.TypedChoiceField(
        label=_("Parent code"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[],
        widget=forms.Select(attrs=SELECT),
    )
    definition = forms.CharField(
        label=_("Definition"), required=False, widget=forms.Textarea(attrs=AREA)
    )
    inclusion = forms.CharField(
        label=_("Inclusion rule"), required=False, widget=forms.Textarea(attrs=AREA)
    )
    exclusion = forms.CharField(
        label=_("Exclusion rule"), required=False, widget=forms.Textarea(attrs=AREA)
    )
    example = forms.CharField(label=_("Example"), required=False, widget=forms.Textarea(attrs=AREA))
    colour = forms.RegexField(
        label=_("Colour"),
        regex=r"^#[0-9A-Fa-f]{6}$",
        initial="#2f6fb0",
        widget=forms.TextInput(attrs={"class": "ka-text-input", "type": "color"}),
    )

    def __init__(self, *args: Any, parents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("(top level)")), *parents]

    def code_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data[k] for k in ("definition", "inclusion", "exclusion", "example", "colour")}


class MergeForm(Form):
    target = forms.TypedChoiceField(
        label=_("Merge into"), coerce=int, choices=[], widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args: Any, targets: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets


class SplitForm(Form):
    name = forms.CharField(
        label=_("Name of the new code"), max_length=200, widget=forms.TextInput(attrs=TEXT)
    )
    segments = forms.TypedMultipleChoiceField(
        label=_("Segments that go to the new code"),
        coerce=int,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, segments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segments"].choices = segments


class SegmentForm(Form):
    """Code a passage: offsets from the selection (or a whole turn), codes, new codes, memo."""

    start = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    turn = forms.IntegerField(
        label=_("Or code a whole speaker turn (its number)"),
        min_value=1,
        required=False,
        widget=forms.NumberInput(attrs={"class": "ka-text-input", "inputmode": "numeric"}),
    )
    codes = forms.TypedMultipleChoiceField(
        label=_("Codes"),
        coerce=int,
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    new_codes = forms.CharField(
        label=_("New codes (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"class": "ka-text-area", "rows": 2}),
    )
    memo = forms.CharField(
        label=_("Memo on this segment"), required=False, widget=forms.Textarea(attrs=AREA)
    )

    def __init__(
        self,
        *args: Any,
        codes: list[tuple[int, str]],
        turns: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = codes
        if turns:
            self.fields["turn"].max_value = turns
            self.fields["turn"].widget.attrs["max"] = turns
        else:
            del self.fields["turn"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("turn") is None and (data.get("start") is None or data.get("end") is None):
            raise forms.ValidationError(_("Select a passage in the text, or choose a turn"))
        return data

    def new_code_names(self) -> list[str]:
        return [n.strip() for n in self.cleaned_data.get("new_codes", "").splitlines() if n.strip()]


class MemoForm(Form):
    text = forms.CharField(label=_("Memo"), widget=forms.Textarea(attrs=AREA))


class DoubleCodingForm(Form):
    transcripts = forms.TypedMultipleChoiceField(
        label=_("Transcripts for the sample"),
        coerce=int,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    coder_1 = forms.TypedChoiceField(
        label=_("Coder 1"), coerce=int, choices=[], widget=forms.Select(attrs=SELECT)
    )
    coder_2 = forms.TypedChoiceField(
        label=_("Coder 2"), coerce=int, choices=[], widget=forms.Select(attrs=SELECT)
    )

    def __init__(
        self,
        *args: Any,
        transcripts: list[tuple[int, str]],
        coders: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transcripts"].choices = transcripts
        self.fields["coder_1"].choices = coders
        self.fields["coder_2"].choices = coders


class FilterForm(Form):
    code = forms.TypedChoiceField(
        label=_("Code"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[],
        widget=forms.Select(attrs=SELECT),
    )
    group = forms.ChoiceField(
        label=_("Stakeholder group"), required=False, choices=[], widget=forms.Select(attrs=SELECT)
    )
    measure = forms.TypedChoiceField(
        label=_("Measure"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[],
        widget=forms.Select(attrs=SELECT),
    )
    session = forms.TypedChoiceField(
        label=_("Session"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[],
        widget=forms.Select(attrs=SELECT),
    )
    coder = forms.TypedChoiceField(
        label=_("Coder"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(
        self, *args: Any, choices: dict[str, list[tuple[Any, str]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, options in choices.items():
            self.fields[name].choices = [("", _("all")), *options]


class UploadForm(Form):
    file = forms.FileField(label=_("REFI-QDA file (.qdpx or .qdc)"))


class MirrorForm(Form):
    """A verdict on a row of the mirror (an assessor's or the consensus) with what it rests on."""

    verdict = forms.ChoiceField(label=_("What the fieldwork found"), widget=forms.RadioSelect)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs=AREA))
    segments = forms.TypedMultipleChoiceField(
        label=_("Coded segments it rests on"),
        coerce=int,
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    citations = forms.TypedMultipleChoiceField(
        label=_("Citations it rests on"),
        coerce=int,
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        segments: list[tuple[int, str]],
        citations: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        from kansenaudit.web.coding.models import MirrorRow

        super().__init__(*args, **kwargs)
        self.fields["verdict"].choices = MirrorRow.Verdict.choices
        self.fields["segments"].choices = segments
        if citations is None:
            del self.fields["citations"]
        else:
            self.fields["citations"].choices = citations
