"""The audit log in the admin: read-only, and only for the dossiers you are a member of."""

from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.dossiers.selectors import dossier_ids_for_user


class ReadOnlyAdminMixin:
    """Admin pages that show data but never change it."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("occurred_at", "actor_label", "dossier", "action", "summary")
    list_filter = ("action",)
    search_fields = ("summary", "actor_label")
    date_hierarchy = "occurred_at"

    def get_queryset(self, request: HttpRequest):  # noqa: ANN201
        events = super().get_queryset(request)
        visible = Q(dossier__in=dossier_ids_for_user(user=request.user))
        if request.user.is_superuser:
            visible |= Q(dossier__isnull=True)  # site-wide events (accounts, reference data)
        return events.filter(visible)
