"""Password spraying (a few passwords on many usernames from one address) is stopped by a
per-address limit, while one username from one address is still locked after 5 failures."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


WRONG = "fout-wachtwoord"


def _login(client, username, password=WRONG):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_spraying_25_usernames_from_one_address_is_locked(team, settings, password):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20
    sprayer = Client(REMOTE_ADDR="198.51.100.9")
    codes = [
        _login(sprayer, f"gebruiker{n}").status_code for n in range(25) for _attempt in range(2)
    ]
    assert 429 in codes
    assert codes.index(429) == settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1  # the 20th locks
    # Locked for every username from that address, even a real one with its right password.
    response = _login(sprayer, "reviewer", password)
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in sprayer.session
    # Another address is not affected.
    assert _login(Client(REMOTE_ADDR="198.51.100.10"), "reviewer", password).status_code == 302


def test_one_username_is_still_locked_after_five_failures(team, settings, password):
    client = Client(REMOTE_ADDR="198.51.100.20")
    codes = [_login(client, "reviewer").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert codes[-1] == 429
    assert _login(client, "reviewer", password).status_code == 429
    # Other usernames from the same address still may try (the address limit is not reached).
    assert _login(client, "meelezer", password).status_code == 302


def test_a_valid_login_does_not_reset_the_address_count(team, settings, password):
    """One account of his own must not let a sprayer start over."""
    client = Client(REMOTE_ADDR="198.51.100.30")
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        assert _login(client, f"ander{n}").status_code == 200
    assert _login(client, "meelezer", password).status_code == 302
    client.logout()
    assert _login(client, "nog-een").status_code == 429


def test_behind_the_proxy_each_client_address_counts_for_itself(team, settings, password):
    settings.BEHIND_PROXY = True
    proxy = "10.0.0.1"
    sprayer = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        _login(sprayer, f"gebruiker{n}")
    assert _login(sprayer, "reviewer", password).status_code == 429
    # A colleague behind the same proxy logs in; a forged left-hand entry changes nothing.
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5, 203.0.113.77")
    assert _login(colleague, "reviewer", password).status_code == 302
