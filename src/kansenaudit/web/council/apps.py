# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "kansenaudit.web.council"
    label = "council"
    verbose_name = _("Council information")
