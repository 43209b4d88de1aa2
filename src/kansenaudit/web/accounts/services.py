# SPDX-License-Identifier: EUPL-1.2
"""Creating and changing user accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from kansenaudit.web.accounts.models import User
from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.services import audit_record


class AccountError(ServiceError):
    """A user mistake in creating or changing an account; the message is shown as is."""


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    organisation: str = "",
    is_site_admin: bool = False,
    actor: object | None = None,
    check_password: bool = True,
    must_change_password: bool = True,
    via: str = "api",
) -> object:
    """Create a user with a hashed password and log it; raises AccountError on bad input.

    Whoever calls this chose the password, not the user, so by default the user must choose a
    new one at the first sign-in (``must_change_password``): the command line (`kansenaudit
    user create`, which may print a generated password) and the Python API rely on that
    default. Pass ``must_change_password=False`` only where the password is meant to stay, on
    purpose: the demo's accounts (a published password, demo mode only) and test fixtures that
    then sign in. The audit event records which it was, and ``via``
    where the account was made (``api``, ``cli``, ``demo``).
    """
    User = get_user_model()
    username = username.strip()
    if not username:
        raise AccountError(gettext_lazy("The username is empty."))
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(
            gettext_lazy("A user '%(username)s' already exists."), {"username": username}
        )
    first, _, last = full_name.strip().partition(" ")
    user = User(
        username=username,
        email=email.strip(),
        first_name=first,
        last_name=last,
        organisation=organisation.strip(),
        is_staff=is_site_admin,
        is_superuser=is_site_admin,
        must_change_password=must_change_password,
    )
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise AccountError(" ".join(exc.messages)) from exc
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user_create_record(user=user, actor=actor, how=via)
    return user


def user_create_record(*, user: User, actor: object | None, how: str) -> None:
    """Log a new account: who made it, whether an administrator, and whether it must change
    its password at the first sign-in. ``how`` says where (``api``, ``cli``, ``demo``,
    ``admin``)."""
    username = user.get_username()
    notes = []
    if user.is_superuser:
        notes.append("beheerder")
    if user.must_change_password:
        notes.append("moet het wachtwoord bij de eerste keer inloggen wijzigen")
    audit_record(
        actor=actor,
        action="user.create",
        target=user,
        summary=f"Gebruiker {username} aangemaakt" + (f" ({'; '.join(notes)})" if notes else ""),
        after={
            "username": username,
            "site_admin": bool(user.is_superuser),
            "must_change_password": bool(user.must_change_password),
            "via": how,
        },
    )


# --- Passwords ------------------------------------------------------------------------------
# Who set a password decides what follows. The user themself: the flag "must change" is
# cleared. Anyone else (an administrator in the admin, an operator with `kansenaudit manage
# changepassword` or a shell): the user must choose a new password at the next login, and the
# event goes into the log of every dossier the user is a member of, so the team sees it.

PASSWORD_ORIGIN_ATTR = "_password_origin"  # noqa: S105 (an attribute name, not a password)


def _member_dossiers(user: User) -> list:
    from kansenaudit.web.dossiers.models import Dossier

    return list(Dossier.objects.filter(memberships__user=user).distinct().order_by("pk"))


@transaction.atomic
def password_change_own(*, user: User, new_password: str) -> object:
    """The user chose a new password themself: store it, lift the forced change, log it."""
    setattr(user, PASSWORD_ORIGIN_ATTR, "self")
    user.set_password(new_password)
    was_forced = user.must_change_password
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(
        actor=user,
        action="user.password_change",
        target=user,
        summary=f"Gebruiker {user.get_username()} heeft het eigen wachtwoord gewijzigd",
        after={"forced": was_forced},
    )
    return user


@transaction.atomic
def password_reset_record(
    *, user: User, actor: object | None, actor_label: str | None = None, how: str
) -> None:
    """Someone else set ``user``'s password (already saved): force a change and log it.

    One site-wide event, and one in each dossier the user is a member of. ``how`` says where
    (``admin``, ``cli``).
    """
    type(user).objects.filter(pk=user.pk).update(must_change_password=True)
    user.must_change_password = True
    by = actor.get_username() if isinstance(actor, User) and actor.is_authenticated else actor_label
    usable = user.has_usable_password()
    summary = (
        f"Wachtwoord van {user.get_username()} ingesteld door {by} ({how}); "
        "de gebruiker moet het bij de volgende keer inloggen wijzigen"
        if usable
        else f"Inloggen met wachtwoord uitgezet voor {user.get_username()} door {by} ({how})"
    )
    details = {"user": user.get_username(), "by": by, "via": how, "usable": usable}
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action="user.password_reset",
        target=user,
        summary=summary,
        after=details,
    )
    for dossier in _member_dossiers(user):
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="user.password_reset",
            dossier=dossier,
            target=user,
            summary=summary,
            after=details,
        )
