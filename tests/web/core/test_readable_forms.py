"""Form labels start with a capital and empty choices say what they mean (issue 12 §5)."""

from __future__ import annotations

from django import forms
from django.utils import translation

from kansenaudit.web.core.formfields import BLANK, Form, ModelForm
from kansenaudit.web.dossiers.models import Membership


class _Example(Form):
    kind = forms.ChoiceField(label="soort", choices=[("", BLANK), ("a", "A")])
    optional = forms.ChoiceField(label="extra", choices=[("", BLANK), ("b", "B")], required=False)
    plain = forms.CharField(label="naam")


class _MembershipForm(ModelForm):
    class Meta:
        model = Membership
        fields = ("dossier", "user", "role")


def test_labels_start_with_a_capital_and_empty_choices_are_words(db):
    with translation.override("en"):
        form = _Example()
        html = form.as_div()
        assert [str(f.label) for f in form.fields.values()] == ["Soort", "Extra", "Naam"]
        assert BLANK not in html
        assert '<option value="" selected>Choose …</option>' in html
        assert '<option value="" selected>(none)</option>' in html


def test_a_model_form_gets_the_same_and_still_submits_the_empty_value(db):
    with translation.override("nl"):
        form = _MembershipForm()
        assert BLANK not in form.as_div()
        bound = _MembershipForm(data={"dossier": "", "user": "", "role": ""})
        assert not bound.is_valid()  # "" is still the empty value: required fields complain
        assert set(bound.errors) == {"dossier", "user", "role"}
