# SPDX-License-Identifier: EUPL-1.2
from django import forms
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.audit_text import action_choices, actor_choices
from kansenaudit.web.core.formfields import DateInput, Form


class AuditFilterForm(Form):
    action = forms.ChoiceField(label=_("What happened"), required=False)
    actor = forms.ChoiceField(label=_("Who"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args: object, facets: dict[str, list[str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("all"))]
        self.fields["action"].choices = everything + action_choices(facets["actions"])
        self.fields["actor"].choices = everything + actor_choices(facets["actors"])
