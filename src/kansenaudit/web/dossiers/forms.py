# SPDX-License-Identifier: EUPL-1.2
from django import forms
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.formfields import DateInput, Form, ModelForm
from kansenaudit.web.dossiers.models import Dossier, Milestone, SubQuestion
from kansenaudit.web.dossiers.roles import Role
from kansenaudit.web.dossiers.services import DOSSIER_FIELDS


class DossierForm(ModelForm):
    class Meta:
        model = Dossier
        fields = DOSSIER_FIELDS
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "central_question": forms.Textarea(attrs={"rows": 3}),
        }


class DossierCreateForm(DossierForm):
    class Meta(DossierForm.Meta):
        fields = [f for f in DOSSIER_FIELDS if f != "status"]


class MembershipForm(Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MilestoneForm(ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": DateInput()}


class SubQuestionForm(ModelForm):
    class Meta:
        model = SubQuestion
        fields = ["question", "approach"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "approach": forms.Textarea(attrs={"rows": 5}),
        }


class CommentForm(Form):
    text = forms.CharField(
        label=_("Review note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
