# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "kansenaudit.web.evidence"
    label = "evidence"
    verbose_name = _("Evidence")
