# SPDX-License-Identifier: EUPL-1.2
"""The council register in the admin: read-only and limited to the user's dossiers.

Changes go through the council pages, the CLI or the services, so that each one is logged.
"""

from django.contrib import admin

from kansenaudit.web.core.admin import ReadOnlyAdminMixin
from kansenaudit.web.council.models import InformationItem
from kansenaudit.web.dossiers.admin import MemberScopedAdmin


@admin.register(InformationItem)
class InformationItemAdmin(ReadOnlyAdminMixin, MemberScopedAdmin):
    list_display = ("date", "title", "reports_on", "dossier", "is_demo")
    list_filter = ("reports_on",)
    search_fields = ("title",)
