from django import forms
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.dossiers.models import Dossier, Milestone, SubQuestion
from kansenaudit.web.dossiers.roles import Role
from kansenaudit.web.dossiers.services import DOSSIER_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"


class DossierForm(forms.ModelForm):
    class Meta:
        model = Dossier
        fields = DOSSIER_FIELDS
        widgets = {
            "period_start": DateInput(format="%Y-%m-%d"),
            "period_end": DateInput(format="%Y-%m-%d"),
            "central_question": forms.Textarea(attrs={"rows": 3}),
        }


class DossierCreateForm(DossierForm):
    class Meta(DossierForm.Meta):
        fields = [f for f in DOSSIER_FIELDS if f != "status"]


class MembershipForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": DateInput(format="%Y-%m-%d")}


class SubQuestionForm(forms.ModelForm):
    class Meta:
        model = SubQuestion
        fields = ["question", "approach"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "approach": forms.Textarea(attrs={"rows": 5}),
        }


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Review note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
