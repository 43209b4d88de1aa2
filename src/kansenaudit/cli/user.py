# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit user …`: accounts and their role in a dossier."""

from __future__ import annotations

import secrets
import sys

import click

from kansenaudit.cli.output import emit, json_option, refused_as_click
from kansenaudit.cli.runtime import require_migrated, setup_django

ROLES = ["projectleider", "onderzoeker", "reviewer", "meelezer"]


@click.group()
def user() -> None:
    """User accounts."""


@user.command("create")
@click.argument("username")
@click.option("--dossier", "dossier_id", type=int, help="Dossier to add the user to.")
@click.option("--role", type=click.Choice(ROLES), help="Role in that dossier.")
@click.option("--name", "full_name", default="", help="Full name.")
@click.option("--email", default="", help="E-mail address.")
@click.option("--admin", is_flag=True, help="Make the user a site administrator.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input (else a random one is printed).",
)
@json_option
def create(
    username: str,
    dossier_id: int | None,
    role: str | None,
    full_name: str,
    email: str,
    admin: bool,
    password_stdin: bool,
    as_json: bool,
) -> None:
    """Create USERNAME (or reuse an existing account) and give it ROLE in a dossier.

    A new user must choose their own password at the first sign-in: the one set here is known
    to whoever ran the command.
    """
    if (dossier_id is None) != (role is None):
        raise click.UsageError("--dossier and --role go together.")
    setup_django()
    require_migrated()
    from django.db import transaction

    from kansenaudit.web.accounts.selectors import user_by_username
    from kansenaudit.web.accounts.services import user_create
    from kansenaudit.web.core.services import system_actor_label
    from kansenaudit.web.dossiers.selectors import DossierNotFound, operator_dossier
    from kansenaudit.web.dossiers.services import membership_set

    target = None
    if dossier_id is not None:
        try:
            target = operator_dossier(dossier_id=dossier_id)
        except DossierNotFound as exc:
            raise click.ClickException(f"No dossier with id {dossier_id}.") from exc
    existing = user_by_username(username)
    generated = None
    with refused_as_click(), transaction.atomic():
        account = existing
        if account is None:
            if password_stdin:
                password = sys.stdin.readline().rstrip("\n")
            else:
                password = generated = secrets.token_urlsafe(12)
            account = user_create(
                username=username,
                password=password,
                full_name=full_name,
                email=email,
                is_site_admin=admin,
                actor=None,
                # The operator chose or saw the password: the user picks their own.
                must_change_password=True,
                via="cli",
            )
        if target is not None:
            membership_set(
                dossier=target,
                user=account,
                role=role,
                actor=None,
                actor_label=system_actor_label(),
            )
    data = {
        "username": account.username,
        "created": existing is None,
        "dossier": dossier_id,
        "role": role,
        "password": generated,
        "must_change_password": account.must_change_password,
    }

    def text() -> str:
        lines = [f"User {account.username} " + ("created." if existing is None else "exists.")]
        if target is not None:
            lines.append(f"Role in dossier {target.pk}: {role}.")
        if generated:
            lines.append(f"Password (shown once): {generated}")
        if existing is None:
            lines.append("The user must choose a new password at the first sign-in.")
        return "\n".join(lines)

    emit(data, as_json, text)
