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
