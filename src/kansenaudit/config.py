# SPDX-License-Identifier: EUPL-1.2
"""Environment-driven configuration shared by the CLI, the web app and the Python API.

Every setting the product reads from the environment is declared here in :data:`ENV_SETTINGS`,
so that the documentation test can check each one is described in ``docs/configuration.md``.
Reading configuration has no side effects: nothing here creates files or folders.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_SETTINGS: dict[str, str] = {
    "KANSENAUDIT_DATA_DIR": "Folder for the SQLite database, uploads, caches and static files.",
    "DATABASE_URL": "Database URL (sqlite:///… or postgres://…); default: SQLite in the data dir.",
    "KANSENAUDIT_SYSTEM_SQLITE": "1 runs SQLite on the system library, not the bundled pysqlite3.",
    "KANSENAUDIT_SECRET_KEY": "Django secret key (50+ characters); required outside demo mode.",
    "KANSENAUDIT_DEMO": "1 runs in demo mode (bundled fictional data, auto-migrate, local key).",
    "KANSENAUDIT_DEBUG": "1 enables Django debug pages; never in production.",
    "KANSENAUDIT_ALLOWED_HOSTS": "Comma-separated host names the server answers to.",
    "KANSENAUDIT_CSRF_TRUSTED_ORIGINS": "Comma-separated origins (https://…) trusted for CSRF.",
    "KANSENAUDIT_SECURE_COOKIES": "Secure cookies and HSTS; on in production, 0 switches off.",
    "KANSENAUDIT_SSL_REDIRECT": "1 redirects plain HTTP to HTTPS and sends HSTS.",
    "KANSENAUDIT_BEHIND_PROXY": "1 trusts X-Forwarded-Proto from a reverse proxy.",
    "KANSENAUDIT_LOGIN_FAILURE_LIMIT": "Failed logins before an account/IP pair is locked (5).",
    "KANSENAUDIT_LOGIN_ADDRESS_FAILURE_LIMIT": "Failed logins over any usernames before an "
    "address is locked (20; 0 switches it off).",
    "KANSENAUDIT_LOGIN_COOLOFF_MINUTES": "Minutes a locked login stays locked (15).",
    "KANSENAUDIT_LOG_LEVEL": "Log level of the application loggers (INFO).",
    "KANSENAUDIT_SOURCE_MIRROR": "Local folder that mirrors the official source files (offline).",
    "KANSENAUDIT_TEST_DATA": "Folder with the real published files used by tests and benchmarks.",
    "KANSENAUDIT_DEDUCE_CACHE": "Folder for deduce's built name tables "
    "(default ~/.cache/kansenaudit/deduce-VERSION).",
    "KANSENAUDIT_FIELDWORK_KEY": "Fernet key that encrypts original transcripts and contacts.",
    "KANSENAUDIT_FIELDWORK_KEY_FILE": "File holding that key (outside the data folder).",
}

_TRUE = {"1", "true", "yes", "on", "ja"}


def env_str(name: str, default: str = "") -> str:
    """Return the environment variable ``name`` stripped, or ``default``."""
    if name not in ENV_SETTINGS:
        raise KeyError(f"{name} is not a declared setting; add it to ENV_SETTINGS")
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    """Return True when ``name`` is set to 1/true/yes/on/ja (case-insensitive)."""
    value = env_str(name)
    if not value:
        return default
    return value.lower() in _TRUE


def env_int(name: str, default: int) -> int:
    """Return ``name`` as an integer, or ``default`` when unset."""
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {value!r}") from exc


def env_list(name: str) -> list[str]:
    """Return a comma-separated variable as a list of non-empty items."""
    return [item.strip() for item in env_str(name).split(",") if item.strip()]


def data_dir() -> Path:
    """The data folder: ``KANSENAUDIT_DATA_DIR``, default ``./var`` (not created here)."""
    return Path(env_str("KANSENAUDIT_DATA_DIR") or "var").expanduser().resolve()


def demo_mode() -> bool:
    """Whether the application runs on the bundled fictional demo data."""
    return env_bool("KANSENAUDIT_DEMO")


def default_database_url() -> str:
    """SQLite in the data folder."""
    return f"sqlite:///{data_dir() / 'kansenaudit.sqlite3'}"


def database_url() -> str:
    """The database to use: ``DATABASE_URL`` or SQLite in the data folder."""
    return env_str("DATABASE_URL") or default_database_url()


def demo_secret_key_path() -> Path:
    """Where demo mode keeps its generated secret key."""
    return data_dir() / "demo-secret-key"


def test_data_dir() -> Path | None:
    """The folder with real published data for tests and benchmarks, if there is one.

    ``KANSENAUDIT_TEST_DATA`` when set; otherwise ``../shared/data`` beside the checkout. The
    files are never committed (their licences and size), so tests read them from here.
    """
    configured = env_str("KANSENAUDIT_TEST_DATA")
    if configured:
        return Path(configured).expanduser().resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "data"
        if (candidate / "SOURCES.md").is_file():
            return candidate
    fallback = Path("/work/shared/data")
    return fallback if (fallback / "SOURCES.md").is_file() else None
