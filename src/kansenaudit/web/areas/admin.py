# SPDX-License-Identifier: EUPL-1.2
from django.contrib import admin

from kansenaudit.web.areas.models import Area
from kansenaudit.web.core.admin import AuditedModelAdmin, ReadOnlyAdminMixin


@admin.register(Area)
class AreaAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    """Reference data is loaded by services (logged), so the admin only shows it."""

    list_display = ("code", "name", "level", "division", "municipality_code", "is_demo")
    list_filter = ("division", "level", "is_demo")
    search_fields = ("code", "name")
    exclude = ("geometry",)
    readonly_fields = ("parent",)
