# SPDX-License-Identifier: EUPL-1.2
"""Starting Django for CLI commands, lazily, so ``kansenaudit --help`` stays fast."""

from __future__ import annotations

import os
import secrets

import click

from kansenaudit import config


def ensure_demo_secret_key() -> None:
    """In demo mode without a configured key, create a random one in the data folder (0600)."""
    if config.env_str("KANSENAUDIT_SECRET_KEY") or not config.demo_mode():
        return
    path = config.demo_secret_key_path()
    if path.exists():
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(50))


def setup_django() -> None:
    """Configure Django once; turns configuration errors into a clear CLI error."""
    import django
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansenaudit.web.settings")
    ensure_demo_secret_key()
    if config.database_url().startswith("sqlite:"):
        # 0700: the folder holds the database and every dossier's files.
        config.data_dir().mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise click.ClickException(str(exc)) from exc


def require_migrated() -> None:
    """Stop with a clear message when the database is unreachable or not migrated."""
    from django.db.utils import DatabaseError

    from kansenaudit.web.core.selectors import pending_migrations

    try:
        pending = pending_migrations()
    except DatabaseError as exc:
        raise click.ClickException(
            f"The database at {config.database_url().split('@')[-1]} cannot be reached: {exc}"
        ) from exc
    if pending:
        raise click.ClickException(
            f"The database has {len(pending)} pending migration(s); run `kansenaudit migrate`."
        )
