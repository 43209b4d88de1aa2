"""Login, throttling, password hashing, headers and configuration that refuses to be unsafe."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from django.urls import reverse


def test_login_with_right_password(client, team, password):
    response = client.post(
        reverse("accounts:login"), {"username": "reviewer", "password": password}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:list")
    # The header links to the own-password page next to logging out, named in Dutch.
    page = client.get(response["Location"]).content.decode()
    header = page[page.index('<div class="ka-user">') : page.index("</header>")]
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', header)
    assert link is not None
    assert link.groups() == (reverse("accounts:password_change"), "Wachtwoord wijzigen")
    assert header.index(link.group(0)) < header.index(reverse("accounts:logout"))


def test_wrong_password_gives_a_clear_message_in_dutch(client, team):
    response = client.post(reverse("accounts:login"), {"username": "reviewer", "password": "fout"})
    assert response.status_code == 200
    assert "Onbekende gebruikersnaam of verkeerd wachtwoord" in response.content.decode()


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    client, team, settings, password
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "reviewer", "password": "fout"})
    response = client.post(
        reverse("accounts:login"), {"username": "reviewer", "password": password}
    )
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_production_settings_hash_passwords_with_argon2():
    from kansenaudit.web import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_security_headers(client, team):
    client.force_login(team["users"]["projectleider"])
    response = client.get(reverse("dossiers:list"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_load_no_resource_from_elsewhere(client, team):
    client.force_login(team["users"]["projectleider"])
    body = client.get(reverse("dossiers:detail", args=[team["dossier"].pk])).content.decode()
    assert "http://" not in body.replace("http://www.w3.org", "")
    assert "https://" not in body
    # Scripts only from our own static files (progressive enhancement), never inline.
    assert re.findall(r"<script(?![^>]*\bsrc=\"/static/)", body) == []


def test_health_reports_ok(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def _settings_import(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KANSENAUDIT_") and k != "DJANGO_SETTINGS_MODULE"
    }
    return subprocess.run(
        [sys.executable, "-c", "import kansenaudit.web.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = _settings_import({"KANSENAUDIT_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "KANSENAUDIT_SECRET_KEY is not set" in result.stderr
    assert list(tmp_path.iterdir()) == []  # and importing settings created nothing


def test_settings_are_not_in_debug_by_default(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "from kansenaudit.web import settings as s; print(s.DEBUG)"],
        env={
            **os.environ,
            "KANSENAUDIT_SECRET_KEY": "x" * 20 + "-long-enough-test-key-0123456789",
            "KANSENAUDIT_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_server_refuses_to_start_with_pending_migrations(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        {
            "KANSENAUDIT_SECRET_KEY": "x" * 20 + "-long-enough-test-key-0123456789",
            "KANSENAUDIT_DATA_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        }
    )
    env.pop("KANSENAUDIT_DEMO", None)
    result = subprocess.run(
        [sys.executable, "-c", "import kansenaudit.web.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "migration(s) pending" in result.stderr
