# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "kansenaudit.web.indicators"
    label = "indicators"
    verbose_name = _("Indicators")
