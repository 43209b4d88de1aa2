# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "kansenaudit.web.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")
