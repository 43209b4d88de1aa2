# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "kansenaudit.web.fieldwork"
    label = "fieldwork"
    verbose_name = _("Fieldwork")
