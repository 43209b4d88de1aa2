"""Production (neither demo nor debug) refuses a weak secret key, has Secure cookies and HSTS
unless switched off explicitly (and then warns), and passes `manage.py check --deploy`."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

STRONG_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP"


def _python(code: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KANSENAUDIT_") and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    clean.update({"KANSENAUDIT_DATA_DIR": str(tmp_path / "data"), **env})
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("key", ["x", "kort-maar-echt", "a" * 64])
def test_production_refuses_a_weak_secret_key(tmp_path, key):
    result = _python("import kansenaudit.web.settings", {"KANSENAUDIT_SECRET_KEY": key}, tmp_path)
    assert result.returncode != 0
    assert "KANSENAUDIT_SECRET_KEY is too weak" in result.stderr
    assert "50" in result.stderr


def test_a_debug_run_accepts_a_short_key(tmp_path):
    result = _python(
        "import kansenaudit.web.settings",
        {"KANSENAUDIT_SECRET_KEY": "x", "KANSENAUDIT_DEBUG": "1"},
        tmp_path,
    )
    assert result.returncode == 0, result.stderr


SHOW = (
    "from kansenaudit.web import settings as s; "
    "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
)


def test_production_cookies_are_secure_by_default(tmp_path):
    result = _python(SHOW, {"KANSENAUDIT_SECRET_KEY": STRONG_KEY}, tmp_path)
    assert result.stdout.split() == ["True", "True", "31536000"], result.stderr


def test_only_an_explicit_zero_switches_secure_cookies_off(tmp_path):
    env = {"KANSENAUDIT_SECRET_KEY": STRONG_KEY, "KANSENAUDIT_SECURE_COOKIES": "0"}
    result = _python(SHOW, env, tmp_path)
    assert result.stdout.split() == ["False", "False", "0"], result.stderr


def test_the_demo_keeps_plain_http_cookies(tmp_path):
    env = {"KANSENAUDIT_SECRET_KEY": "demo", "KANSENAUDIT_DEMO": "1"}
    result = _python(SHOW, env, tmp_path)
    assert result.stdout.split() == ["False", "False", "0"], result.stderr


def test_switching_secure_cookies_off_is_warned_about_at_start(settings, caplog):
    from kansenaudit.web.core.startup import warn_insecure_settings

    settings.PRODUCTION = True
    settings.SECURE_COOKIES = False
    with caplog.at_level(logging.WARNING, logger="kansenaudit.security"):
        warnings = warn_insecure_settings()
    assert len(warnings) == 1
    assert "INSECURE CONFIGURATION: KANSENAUDIT_SECURE_COOKIES is off" in caplog.text
    settings.SECURE_COOKIES = True
    assert warn_insecure_settings() == []


def test_check_deploy_is_clean_with_the_documented_production_configuration(tmp_path):
    """The environment of docs/deployment.md (with SQLite in the data folder)."""
    env = {
        "KANSENAUDIT_SECRET_KEY": STRONG_KEY,
        "KANSENAUDIT_ALLOWED_HOSTS": "kansen.rekenkamer.example",
        "KANSENAUDIT_CSRF_TRUSTED_ORIGINS": "https://kansen.rekenkamer.example",
        "KANSENAUDIT_BEHIND_PROXY": "1",
        "KANSENAUDIT_SSL_REDIRECT": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    code = (
        "import sys; from kansenaudit.cli.main import cli; "
        "sys.argv = ['kansenaudit', 'manage', 'check', '--deploy', '--fail-level', 'WARNING']; "
        "cli(prog_name='kansenaudit')"
    )
    result = _python(code, env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
