# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgementsConfig(AppConfig):
    name = "kansenaudit.web.judgements"
    label = "judgements"
    verbose_name = _("Judgements")
