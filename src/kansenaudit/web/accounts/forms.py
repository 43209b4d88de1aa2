# SPDX-License-Identifier: EUPL-1.2
from django import forms
from django.contrib.auth.forms import AdminPasswordChangeForm, AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.accounts.services import PASSWORD_ORIGIN_ATTR, password_change_own

ADMIN_FORM_SAVED_ATTR = "_password_set_in_admin"  # read once by UserAdmin.log_change


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Unknown username or wrong password. Both are case-sensitive."),
        "inactive": _("This account has been deactivated."),
    }


class PasswordChangeForm(DjangoPasswordChangeForm):
    """The user's own new password; it must differ from the current one."""

    def clean_new_password1(self) -> str:
        new = self.cleaned_data.get("new_password1") or ""
        if new and self.user.check_password(new):
            raise forms.ValidationError(
                _("Choose a password that differs from your current one."), code="same"
            )
        return new

    def save(self, commit: bool = True) -> object:
        return password_change_own(user=self.user, new_password=self.cleaned_data["new_password1"])


class AdminPasswordSetForm(AdminPasswordChangeForm):
    """The admin's form to set another user's password; the admin then logs it as a reset."""

    def save(self, commit: bool = True) -> object:
        setattr(self.user, PASSWORD_ORIGIN_ATTR, "admin")
        setattr(self.user, ADMIN_FORM_SAVED_ATTR, True)
        return super().save(commit)
