# SPDX-License-Identifier: EUPL-1.2
"""The user model. Roles are per dossier (see dossiers.Membership); ``is_superuser`` marks a
site administrator, who manages accounts but still sees only the dossiers they are a member of."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # Set when someone other than the user set the password (an administrator in the admin, an
    # operator on the command line): the user may then do nothing but choose a new one, so an
    # administrator who knows the password cannot quietly keep using the account.
    must_change_password = models.BooleanField(
        _("must change password at next login"), default=False
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username
