"""Creating and changing user accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from kansenaudit.web.core.services import audit_record


class AccountError(ValueError):
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
) -> object:
    """Create a user with a hashed password and log it; raises AccountError on bad input."""
    User = get_user_model()
    username = username.strip()
    if not username:
        raise AccountError("De gebruikersnaam is leeg.")
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(f"Er bestaat al een gebruiker '{username}'.")
    first, _, last = full_name.strip().partition(" ")
    user = User(
        username=username,
        email=email.strip(),
        first_name=first,
        last_name=last,
        organisation=organisation.strip(),
        is_staff=is_site_admin,
        is_superuser=is_site_admin,
    )
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise AccountError(" ".join(exc.messages)) from exc
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        target=user,
        summary=f"Gebruiker {username} aangemaakt" + (" (beheerder)" if is_site_admin else ""),
        after={"username": username, "site_admin": is_site_admin},
    )
    return user


# --- Passwords ------------------------------------------------------------------------------
# Who set a password decides what follows. The user themself: the flag "must change" is
# cleared. Anyone else (an administrator in the admin, an operator with `kansenaudit manage
# changepassword` or a shell): the user must choose a new password at the next login, and the
# event goes into the log of every dossier the user is a member of, so the team sees it.

PASSWORD_ORIGIN_ATTR = "_password_origin"  # noqa: S105 (an attribute name, not a password)


def _member_dossiers(user: object) -> list:
    from kansenaudit.web.dossiers.models import Dossier

    return list(Dossier.objects.filter(memberships__user=user).distinct().order_by("pk"))


@transaction.atomic
def password_change_own(*, user: object, new_password: str) -> object:
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
    *, user: object, actor: object | None, actor_label: str | None = None, how: str
) -> None:
    """Someone else set ``user``'s password (already saved): force a change and log it.

    One site-wide event, and one in each dossier the user is a member of. ``how`` says where
    (``admin``, ``cli``).
    """
    type(user).objects.filter(pk=user.pk).update(must_change_password=True)
    user.must_change_password = True
    by = actor.get_username() if getattr(actor, "is_authenticated", False) else actor_label
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
