# SPDX-License-Identifier: EUPL-1.2
"""Sign-in events into the audit log: logins, logouts, failures, lockouts and passwords.

The log of django-axes (``AccessAttempt``, ``AccessLog``) can be cleared and is meant for
throttling; these events are in the append-only audit log, which cannot. A failed login records
the username that was tried and the address, never the password. Sign-in events belong to no
dossier (site administrators see them in the admin), except a password set by someone else,
which also goes into the log of every dossier of the user.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from kansenaudit.web.accounts.services import PASSWORD_ORIGIN_ATTR, password_reset_record
from kansenaudit.web.core.client_address import client_address
from kansenaudit.web.core.services import ANONYMOUS_LABEL, audit_record, system_actor_label


def _address(request: object | None) -> str:
    """The client's address for the event (the one limits count: it knows about the proxy), or
    "" without a request."""
    return (client_address(request) or "") if request is not None else ""


@receiver(user_logged_in, dispatch_uid="kansenaudit-audit-login")
def record_login(sender: object, request: object, user: object, **kwargs: object) -> None:
    audit_record(
        actor=user,
        action="auth.login",
        target=user,
        summary=f"{user.get_username()} ingelogd",
        after={"address": _address(request)},
    )


@receiver(user_logged_out, dispatch_uid="kansenaudit-audit-logout")
def record_logout(sender: object, request: object, user: object | None, **kwargs: object) -> None:
    if user is None:  # the session had already expired: nobody to log out
        return
    audit_record(
        actor=user,
        action="auth.logout",
        target=user,
        summary=f"{user.get_username()} uitgelogd",
        after={"address": _address(request)},
    )


@receiver(user_login_failed, dispatch_uid="kansenaudit-audit-login-failed")
def record_login_failed(
    sender: object, credentials: dict, request: object | None = None, **kwargs: object
) -> None:
    # Only the username: Django has already masked the password, and we keep nothing of it.
    username = str(credentials.get("username") or "")[:150]
    locked = bool(getattr(request, "axes_locked_out", False))
    audit_record(
        actor=None,
        actor_label=ANONYMOUS_LABEL,
        action="auth.login_failed",
        summary=f"Mislukte inlogpoging als '{username}'" + (" (geblokkeerd)" if locked else ""),
        after={"username": username, "address": _address(request), "locked_out": locked},
    )


@receiver(user_locked_out, dispatch_uid="kansenaudit-audit-lockout")
def record_lockout(
    sender: object, request: object, username: str | None, ip_address: str | None, **kwargs: object
) -> None:
    username = str(username or "")[:150]
    audit_record(
        actor=None,
        actor_label=ANONYMOUS_LABEL,
        action="auth.lockout",
        summary=f"Inloggen als '{username}' tijdelijk geblokkeerd na herhaalde mislukte pogingen",
        after={"username": username, "address": str(ip_address or "")[:64]},
    )


@receiver(post_save, sender=get_user_model(), dispatch_uid="kansenaudit-password-set")
def record_password_set_elsewhere(
    sender: object, instance: object, created: bool, **kwargs: object
) -> None:
    """A password set outside the services (``manage changepassword``, a shell) is a reset.

    ``set_password`` keeps the new raw password on ``_password`` until the save; Django's own
    hash upgrade at login clears it first, so that is not taken for a change. The services say
    who set it through ``_password_origin``; without it, an operator did.
    """
    origin = instance.__dict__.pop(PASSWORD_ORIGIN_ATTR, None)
    if created or getattr(instance, "_password", None) is None or origin is not None:
        return
    password_reset_record(user=instance, actor=None, actor_label=system_actor_label(), how="cli")
