# SPDX-License-Identifier: EUPL-1.2
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.accounts.forms import LoginForm, PasswordChangeForm


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """Choose a new password; the only page open while a change is forced."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("dossiers:list")

    def form_valid(self, form: PasswordChangeForm):  # noqa: ANN201
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response
