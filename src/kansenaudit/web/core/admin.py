"""The admin's audit trail and the audit log in the admin (read-only, member dossiers only).

Every admin class is an :class:`AuditedModelAdmin` (or has :class:`AuditedAdminMixin`): each
addition, change and deletion through the admin becomes an audit event, in the dossier of the
object when it belongs to one, so the team sees what an administrator did. A test checks that
every registered admin has the mixin.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.http import HttpRequest

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.selectors import dossier_ids_for_user

_VERBS = {"add": "toegevoegd", "change": "gewijzigd", "delete": "verwijderd"}


def _dossier_of(obj: models.Model) -> object | None:
    """The dossier an object is or belongs to directly, or None."""
    from kansenaudit.web.dossiers.models import Dossier

    for candidate in (obj, getattr(obj, "dossier", None)):
        if isinstance(candidate, Dossier) and candidate.pk is not None:
            return candidate
    return None


def admin_event(request: HttpRequest, obj: models.Model, kind: str, message: object = "") -> None:
    """Record one admin action (``add``, ``change`` or ``delete``) on ``obj``."""
    if isinstance(message, list):  # the admin's structured change message
        from django.contrib.admin.models import LogEntry

        message = LogEntry(change_message=json.dumps(message)).get_change_message()
    label = obj._meta.verbose_name
    audit_record(
        actor=request.user,
        action=f"admin.{kind}",
        dossier=_dossier_of(obj),
        target=obj,
        summary=f"Beheer: {label} '{obj}' {_VERBS[kind]}",
        after={"model": obj._meta.label, "object": str(obj)[:200], "message": str(message)[:500]},
    )


class AuditedAdminMixin:
    """Logs every addition, change and deletion made through this admin as an audit event."""

    def log_addition(self, request: HttpRequest, obj: models.Model, message: object):  # noqa: ANN201
        entry = super().log_addition(request, obj, message)
        admin_event(request, obj, "add", message)
        return entry

    def log_change(self, request: HttpRequest, obj: models.Model, message: object):  # noqa: ANN201
        entry = super().log_change(request, obj, message)
        # Django logs a save without changes too (an empty change message); the audit log
        # records changes, so an unchanged save leaves no event.
        if message:
            admin_event(request, obj, "change", message)
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Iterable[models.Model]):  # noqa: ANN201
        objects = list(queryset)  # recorded before the delete, while they still exist
        entries = super().log_deletions(request, objects)
        for obj in objects:
            admin_event(request, obj, "delete")
        return entries


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The base of every admin class in the application."""


class ReadOnlyAdminMixin:
    """Admin pages that show data but never change it."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
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
