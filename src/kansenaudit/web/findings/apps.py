# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FindingsConfig(AppConfig):
    name = "kansenaudit.web.findings"
    label = "findings"
    verbose_name = _("Findings")
