from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Unknown username or wrong password. Both are case-sensitive."),
        "inactive": _("This account has been deactivated."),
    }
