# SPDX-License-Identifier: EUPL-1.2
"""Accounts in the admin: users, groups and the sign-in records of django-axes.

Every admin here logs its actions (``AuditedAdminMixin``). A password set by an administrator,
on a new account or an existing one, forces the user to choose a new one; a reset is logged in
each of the user's dossiers. The sign-in
records of django-axes can be read but not changed or deleted, by anyone: the login history
an administrator could otherwise wipe is evidence, and its copy in the audit log is
append-only anyway.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from kansenaudit.web.accounts.forms import ADMIN_FORM_SAVED_ATTR, AdminPasswordSetForm
from kansenaudit.web.accounts.models import User
from kansenaudit.web.accounts.services import password_reset_record, user_create_record
from kansenaudit.web.core.admin import AuditedAdminMixin, ReadOnlyAdminMixin


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (None, {"fields": ("organisation", "must_change_password")}),
    )
    # Shown, not edited: the form would round them to whole seconds on every save.
    readonly_fields = ("must_change_password", "last_login", "date_joined")
    list_display = ("username", "first_name", "last_name", "organisation", "is_active", "is_staff")
    change_password_form = AdminPasswordSetForm

    def save_model(self, request: HttpRequest, obj: User, form: object, change: bool) -> None:
        if not change:
            # The administrator chose the new account's password: the user picks their own.
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def log_addition(self, request: HttpRequest, obj: User, message: object):  # noqa: ANN201
        entry = super().log_addition(request, obj, message)
        user_create_record(user=obj, actor=request.user, how="admin")
        return entry

    def log_change(self, request: HttpRequest, obj: User, message: object):  # noqa: ANN201
        entry = super().log_change(request, obj, message)
        if obj.__dict__.pop(ADMIN_FORM_SAVED_ATTR, False) and obj.pk != request.user.pk:
            # Another user's password: they must choose a new one, and their teams see it.
            password_reset_record(user=obj, actor=request.user, how="admin")
        return entry

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        # Users are deactivated, never deleted: the audit log keeps pointing at them.
        return False


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, BaseGroupAdmin):
    pass


class _SignInRecordAdmin(AuditedAdminMixin, ReadOnlyAdminMixin):
    """Read-only for everyone, superusers included: no change, no delete, no bulk action."""

    def get_actions(self, request: HttpRequest) -> dict:
        return {}


class SignInAttemptAdmin(_SignInRecordAdmin, AccessAttemptAdmin):
    pass


class SignInLogAdmin(_SignInRecordAdmin, AccessLogAdmin):
    pass


class SignInFailureAdmin(_SignInRecordAdmin, AccessFailureLogAdmin):
    pass


for _model, _admin in (
    (AccessAttempt, SignInAttemptAdmin),
    (AccessLog, SignInLogAdmin),
    (AccessFailureLog, SignInFailureAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
