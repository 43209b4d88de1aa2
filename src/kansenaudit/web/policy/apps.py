# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "kansenaudit.web.policy"
    label = "policy"
    verbose_name = _("Policy")
