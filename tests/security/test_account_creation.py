"""A new account's password was chosen by someone else: the user must choose their own.

An administrator in the admin's "add user" form, an operator with `kansenaudit user create`
(which may print a generated password) and a caller of the Python API all know the password
they set; the user must replace it at the first sign-in. Only the demo's accounts, with their
published password in demo mode, are exempt. The audit event says which it was.
"""

from __future__ import annotations

import json

from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.urls import reverse

from kansenaudit.cli.main import cli
from kansenaudit.web.accounts.services import user_create
from kansenaudit.web.core.models import AuditEvent

NEW_PASSWORD = "beheerder-kiest-dit-wachtwoord-1"


def _is_forced_to_change(client, user) -> bool:
    client.force_login(user)
    response = client.get(reverse("dossiers:list"))
    return response.status_code == 302 and response["Location"] == reverse(
        "accounts:password_change"
    )


def test_a_user_added_in_the_admin_must_change_the_password(client, team):
    client.force_login(team["admin"])
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "nieuwkomer",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(username="nieuwkomer")
    assert user.must_change_password
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == team["admin"]
    assert event.after["must_change_password"] is True
    assert event.after["via"] == "admin"
    assert AuditEvent.objects.filter(action="admin.add", object_id=str(user.pk)).exists()
    client.logout()
    assert _is_forced_to_change(client, user)


def test_a_user_created_on_the_command_line_must_change_the_password(client, db):
    runner = CliRunner()
    result = runner.invoke(cli, ["user", "create", "jane", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["must_change_password"] is True
    chosen = runner.invoke(
        cli,
        ["user", "create", "kees", "--password-stdin"],
        input=NEW_PASSWORD + "\n",
        catch_exceptions=False,
    )
    assert chosen.exit_code == 0, chosen.output
    assert "must choose a new password" in chosen.output
    for username in ("jane", "kees"):
        user = get_user_model().objects.get(username=username)
        assert user.must_change_password, username
        event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
        assert event.after["must_change_password"] is True
        assert event.after["via"] == "cli"
    assert _is_forced_to_change(client, get_user_model().objects.get(username="jane"))


def test_the_python_api_forces_a_change_unless_told_otherwise(db):
    forced = user_create(username="api-gebruiker", password=NEW_PASSWORD, actor=None)
    assert forced.must_change_password
    kept = user_create(
        username="fixture", password=NEW_PASSWORD, actor=None, must_change_password=False
    )
    assert not kept.must_change_password
    events = {
        e.after["username"]: e.after["must_change_password"]
        for e in AuditEvent.objects.filter(action="user.create")
    }
    assert events == {"api-gebruiker": True, "fixture": False}
