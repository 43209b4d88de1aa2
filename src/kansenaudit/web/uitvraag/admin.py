# SPDX-License-Identifier: EUPL-1.2
"""Inventory requests in the admin: read-only, and only for the dossiers you are a member of.

Everything is changed through the pages (and so through the services and the audit log); the
admin only shows. The stored files themselves are not shown here.
"""

from django.contrib import admin
from django.http import HttpRequest

from kansenaudit.web.core.admin import AuditedModelAdmin, ReadOnlyAdminMixin
from kansenaudit.web.dossiers.selectors import dossier_ids_for_user
from kansenaudit.web.uitvraag.models import ReceivedFile, StatusChange, UitvraagRequest


@admin.register(UitvraagRequest)
class UitvraagRequestAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    list_display = ("directie", "dossier", "status", "deadline", "template_version")
    list_filter = ("status",)
    exclude = ("template_spec",)

    def get_queryset(self, request: HttpRequest):  # noqa: ANN201
        mine = dossier_ids_for_user(user=request.user)
        return super().get_queryset(request).filter(dossier__in=mine)


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    list_display = ("request", "from_status", "to_status", "at", "by_label")

    def get_queryset(self, request: HttpRequest):  # noqa: ANN201
        mine = dossier_ids_for_user(user=request.user)
        return super().get_queryset(request).filter(request__dossier__in=mine)


@admin.register(ReceivedFile)
class ReceivedFileAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    list_display = ("file_name", "request", "received_at", "is_valid", "applied_at", "sha256")
    exclude = ("content",)

    def get_queryset(self, request: HttpRequest):  # noqa: ANN201
        mine = dossier_ids_for_user(user=request.user)
        return super().get_queryset(request).filter(request__dossier__in=mine).defer("content")
