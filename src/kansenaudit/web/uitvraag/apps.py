# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UitvraagConfig(AppConfig):
    name = "kansenaudit.web.uitvraag"
    label = "uitvraag"
    verbose_name = _("Inventory request")
