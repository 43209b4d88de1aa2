# SPDX-License-Identifier: EUPL-1.2
from django.contrib import admin

from kansenaudit.web.core.admin import AuditedModelAdmin, ReadOnlyAdminMixin
from kansenaudit.web.indicators.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    """Reference data is loaded by services (logged), so the admin only shows it."""

    list_display = ("key", "name", "domain", "unit", "polarity", "min_n", "is_demo")
    list_filter = ("domain", "is_demo")
    search_fields = ("key", "name")
