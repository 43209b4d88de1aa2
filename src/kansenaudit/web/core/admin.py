# SPDX-License-Identifier: EUPL-1.2
"""The admin's audit trail and the audit log in the admin (read-only, member dossiers only).

Every admin class is an :class:`AuditedModelAdmin` (or has :class:`AuditedAdminMixin`): each
addition, change and deletion through the admin becomes an audit event, in the dossier of the
object when it belongs to one, so the team sees what an administrator did. A test checks that
every registered admin has the mixin. A deletion and its events are one transaction, the events
written after the delete: a delete that fails leaves no event of a deletion that did not happen.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import admin
from django.db import models, router, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.selectors import dossier_ids_for_user

_VERBS = {"add": "toegevoegd", "change": "gewijzigd", "delete": "verwijderd"}

# The administrator's interface carries the product's name (admin/base_site.html, admin.css).
admin.site.site_header = _("Kansenaudit administration")
admin.site.site_title = _("Kansenaudit administration")
admin.site.index_title = _("Accounts, teams and dossiers")


def _dossier_of(obj: models.Model) -> object | None:
    """The dossier an object is or belongs to directly, or None."""
    from kansenaudit.web.dossiers.models import Dossier

    for candidate in (obj, getattr(obj, "dossier", None)):
        if isinstance(candidate, Dossier) and candidate.pk is not None:
            return candidate
    return None


def _event_fields(request: HttpRequest, obj: models.Model, kind: str, message: object = "") -> dict:
    """The audit event of one admin action, taken from ``obj`` while it still exists."""
    if isinstance(message, list):  # the admin's structured change message
        from django.contrib.admin.models import LogEntry

        message = LogEntry(change_message=json.dumps(message)).get_change_message()
    label = obj._meta.verbose_name
    return {
        "actor": request.user,
        "action": f"admin.{kind}",
        "dossier": _dossier_of(obj),
        "target": obj,
        "target_pk": obj.pk,  # a delete clears it
        "summary": f"Beheer: {label} '{obj}' {_VERBS[kind]}",
        "after": {
            "model": obj._meta.label,
            "object": str(obj)[:200],
            "message": str(message)[:500],
        },
    }


def admin_event(request: HttpRequest, obj: models.Model, kind: str, message: object = "") -> None:
    """Record one admin action (``add``, ``change`` or ``delete``) on ``obj``."""
    audit_record(**_event_fields(request, obj, kind, message))


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

    # Deletions are recorded by delete_model and delete_queryset, in the delete's transaction and
    # after it (the admin's bulk delete calls log_deletions outside any transaction, before the
    # delete, which may still fail).

    @contextmanager
    def _deletion_recorded(
        self, request: HttpRequest, objects: list[models.Model]
    ) -> Iterator[None]:
        events = [_event_fields(request, obj, "delete") for obj in objects]  # while they exist
        with transaction.atomic(using=router.db_for_write(self.model)):
            yield  # the delete
            # Logged last: on PostgreSQL the chain lock is held until the commit.
            for event in events:
                audit_record(**event)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with self._deletion_recorded(request, [obj]):
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        with self._deletion_recorded(request, list(queryset)):
            super().delete_queryset(request, queryset)


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
