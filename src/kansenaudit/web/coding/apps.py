# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodingConfig(AppConfig):
    name = "kansenaudit.web.coding"
    label = "coding"
    verbose_name = _("Qualitative coding")
