# SPDX-License-Identifier: EUPL-1.2
"""Forms of the fieldwork pages: they parse input; the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.formfields import DateInput, Form
from kansenaudit.web.fieldwork.models import Consent, Participant, Session

SELECT = {"class": "ka-select"}
INPUT = {"class": "ka-text-input"}
AREA = {"class": "ka-text-area", "rows": 3}


def _multi(label: Any) -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=label, coerce=int, required=False, choices=[], widget=forms.CheckboxSelectMultiple
    )


def _choices(form: forms.Form, name: str) -> Any:
    """The field ``name`` of ``form``, to set its choices."""
    return form.fields[name]


class SessionForm(Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Session.Kind.choices, widget=forms.Select(attrs=SELECT)
    )
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput(attrs=INPUT))
    place = forms.CharField(
        label=_("Place"), max_length=200, required=False, widget=forms.TextInput(attrs=INPUT)
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Session.Status.choices, widget=forms.Select(attrs=SELECT)
    )
    measures = _multi(_("Measures"))
    interviewers = _multi(_("Interviewers"))
    sub_questions = _multi(_("Sub-questions"))

    def __init__(
        self,
        *args: Any,
        measures: Any = (),
        interviewers: Any = (),
        sub_questions: Any = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "measures").choices = [(m.pk, m.name) for m in measures]
        _choices(self, "interviewers").choices = [
            (u.pk, u.get_full_name() or u.get_username()) for u in interviewers
        ]
        _choices(self, "sub_questions").choices = [
            (q.number, f"{q.number}. {q.question[:80]}") for q in sub_questions
        ]


class ParticipantForm(Form):
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        max_length=80,
        help_text=_("For example Bewoner 3 or Ambtenaar 2; never a real name."),
        widget=forms.TextInput(attrs=INPUT),
    )
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"),
        choices=Participant.Group.choices,
        widget=forms.Select(attrs=SELECT),
    )
    role = forms.CharField(
        label=_("Role"), max_length=200, required=False, widget=forms.TextInput(attrs=INPUT)
    )
    organisation_actor = forms.TypedChoiceField(
        label=_("Organisation (actors register)"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[],
        widget=forms.Select(attrs=SELECT),
    )
    organisation = forms.CharField(
        label=_("Organisation (other)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=INPUT),
    )
    sessions = _multi(_("Sessions"))

    def __init__(self, *args: Any, actors: Any = (), sessions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "organisation_actor").choices = [("", "—")] + [
            (a.pk, a.name) for a in actors
        ]
        _choices(self, "sessions").choices = [(s.pk, s.title) for s in sessions]


class ConsentForm(Form):
    given_on = forms.DateField(label=_("Date of consent"), widget=DateInput(attrs=INPUT))
    scope = forms.ChoiceField(
        label=_("Scope"), choices=Consent.Scope.choices, widget=forms.Select(attrs=SELECT)
    )


class WithdrawForm(Form):
    note = forms.CharField(
        label=_("Note (no names)"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs=INPUT),
    )


class ContactForm(Form):
    details = forms.CharField(
        label=_("Contact details"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs=AREA),
    )


class UploadForm(Form):
    file = forms.FileField(
        label=_("Transcript file"), help_text=_("DOCX, ODT, TXT, Markdown, SRT or WebVTT.")
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, widget=forms.TextInput(attrs=INPUT)
    )


class ReplacementForm(Form):
    phrase = forms.CharField(
        label=_("Word or name to replace"), max_length=200, widget=forms.TextInput(attrs=INPUT)
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("person", _("person")),
            ("institution", _("institution")),
            ("address", _("address")),
            ("postcode", _("postcode")),
            ("place", _("place")),
            ("phone", _("phone number")),
            ("email", _("e-mail address")),
            ("id_number", _("identification number (BSN)")),
            ("birth_date", _("date of birth")),
            ("age", _("age")),
            ("url", _("web address")),
        ],
        widget=forms.Select(attrs=SELECT),
    )
