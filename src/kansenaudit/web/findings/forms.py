# SPDX-License-Identifier: EUPL-1.2
"""Forms of the findings pages; they only parse input, the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kansenaudit.policy import frameworks as fw_lib
from kansenaudit.web.core.formfields import DateInput, Form
from kansenaudit.web.findings.models import (
    CollegeReaction,
    Finding,
    FollowUp,
    Norm,
    Recommendation,
    WederhoorComment,
)
from kansenaudit.web.findings.registry import kind_choices


def _objects(
    queryset: Any, *, label: Any, required: bool = False
) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=queryset, required=required, label=label, widget=forms.CheckboxSelectMultiple
    )


class NormForm(Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    title = forms.CharField(label=_("Norm"), max_length=300)
    criteria = forms.CharField(label=_("Criteria"), required=False, widget=forms.Textarea)
    source_kind = forms.ChoiceField(label=_("Kind of source"), choices=Norm.SourceKind.choices)
    source = forms.CharField(label=_("Source"), max_length=500)
    sub_question = forms.ModelChoiceField(queryset=None, required=False, label=_("Sub-question"))

    def __init__(self, *args: Any, sub_questions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_question"].queryset = sub_questions


class NormEditForm(Form):
    """A norm's editable content: its code and sub-question stay (findings refer to them)."""

    title = forms.CharField(label=_("Norm"), max_length=300)
    criteria = forms.CharField(label=_("Criteria"), required=False, widget=forms.Textarea)
    source_kind = forms.ChoiceField(label=_("Kind of source"), choices=Norm.SourceKind.choices)
    source = forms.CharField(label=_("Source"), max_length=500)


class FindingForm(Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    sub_question = forms.ModelChoiceField(queryset=None, label=_("Sub-question"))
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Text (Markdown)"), widget=forms.Textarea(attrs={"rows": 10}), max_length=40_000
    )
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Finding.Verdict.choices, required=False)
    norms = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Norms"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, sub_questions: Any, norms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_question"].queryset = sub_questions
        self.fields["norms"].queryset = norms


class EvidenceForm(Form):
    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=())
    object_id = forms.IntegerField(label=_("Number (id) of the evidence"), min_value=1)
    note = forms.CharField(label=_("What it shows"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()


class NoteForm(Form):
    text = forms.CharField(
        label=_("Review note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ConclusionForm(Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    sub_question = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Sub-question"),
        empty_label=_("– the central question (overall answer) –"),
    )
    text = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 4}))
    findings = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Carried by findings"),
        widget=forms.CheckboxSelectMultiple,
    )
    builds_on = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Builds on conclusions"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, sub_questions: Any, findings: Any, conclusions: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_question"].queryset = sub_questions
        self.fields["findings"].queryset = findings
        self.fields["builds_on"].queryset = conclusions


class RecommendationForm(Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    addressee = forms.ChoiceField(label=_("Addressed to"), choices=Recommendation.Addressee.choices)
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    conclusions = forms.ModelMultipleChoiceField(
        queryset=None, label=_("From conclusions"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, conclusions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conclusions"].queryset = conclusions
        framework = fw_lib.framework("smart")
        scale = [("", _("not judged"))] + [
            (str(level.value), f"{level.value} – {level.label}") for level in framework.scale.levels
        ]
        for criterion in framework.criteria:
            self.fields[f"smart_{criterion.code}"] = forms.ChoiceField(
                label=f"SMART {criterion.code}: {criterion.name}", choices=scale, required=False
            )

    def smart(self) -> dict[str, str]:
        return {
            name.removeprefix("smart_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("smart_")
        }


class FreezeForm(Form):
    comments_until = forms.DateField(label=_("Comments until"), widget=DateInput())


class LinkForm(Form):
    contact_name = forms.CharField(label=_("Contact (name)"), max_length=200)
    contact_role = forms.CharField(label=_("Position"), max_length=200, required=False)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=60, initial=21)


class CommentForm(Form):
    section = forms.CharField(label=_("Finding"), max_length=40)
    paragraph = forms.IntegerField(label=_("Paragraph"), required=False, min_value=1, max_value=999)
    text = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class HandleForm(Form):
    handling = forms.ChoiceField(
        label=_("Handling"),
        choices=[c for c in WederhoorComment.Handling.choices if c[0] != "open"],
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReactionForm(Form):
    position = forms.ChoiceField(
        label=_("Position of the college"), choices=CollegeReaction.Position.choices
    )
    letter = forms.ModelChoiceField(queryset=None, label=_("Letter of the college"))
    quote = forms.CharField(
        label=_("Quote from the letter"), widget=forms.Textarea(attrs={"rows": 3})
    )
    commitment = forms.CharField(
        label=_("Commitment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, documents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["letter"].queryset = documents


class NawoordForm(Form):
    text = forms.CharField(label=_("Nawoord"), widget=forms.Textarea(attrs={"rows": 6}))


class FollowUpForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), choices=FollowUp.Status.choices)
    note = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
