# SPDX-License-Identifier: EUPL-1.2
"""Forms of the uitvraag pages: they parse and check input; the services do the work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.formfields import DateInput, Form
from kansenaudit.web.uitvraag.models import UitvraagRequest
from kansenaudit.web.uitvraag.services import TOKEN_DAYS_MAX


def _style(form: forms.Form) -> None:
    for item in form.fields.values():
        widget = item.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "ka-select")
        elif not isinstance(widget, forms.FileInput):
            widget.attrs.setdefault("class", "ka-text-input")


class RequestForm(Form):
    directie = forms.CharField(label=_("Directorate"), max_length=200)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    contact = forms.CharField(
        label=_("Contact person of the audit team"), max_length=200, required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class StatusForm(Form):
    status = forms.ChoiceField(label=_("New status"), choices=UitvraagRequest.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: object, allowed: tuple[str, ...] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(UitvraagRequest.Status.choices)
        self.fields["status"].choices = [(value, labels[value]) for value in allowed]
        _style(self)


class ReminderForm(Form):
    sent_on = forms.DateField(label=_("Reminder sent on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class TokenForm(Form):
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=TOKEN_DAYS_MAX, initial=21
    )
    label = forms.CharField(label=_("For whom"), max_length=200, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class UploadForm(Form):
    workbook = forms.FileField(label=_("Filled-in workbook (.xlsx)"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workbook"].widget.attrs["accept"] = (
            ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
