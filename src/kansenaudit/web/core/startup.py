# SPDX-License-Identifier: EUPL-1.2
"""Checks and set-up made when a process starts (server, worker, CLI)."""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kansenaudit.web.core.selectors import pending_migrations

log = logging.getLogger("kansenaudit.security")

# Files and folders this process creates are readable by its own user only: the data folder,
# the SQLite database with its WAL and SHM files, evidence files, spooled uploads, the demo key.
PRIVATE_UMASK = 0o077


def private_umask() -> None:
    """Make every file this process creates private to its user (0600 files, 0700 folders)."""
    os.umask(PRIVATE_UMASK)


def refuse_pending_migrations() -> None:
    """Raise when migrations are pending (outside demo mode, which migrates itself)."""
    if settings.DEMO_MODE:
        return
    pending = pending_migrations()
    if pending:
        raise ImproperlyConfigured(
            f"{len(pending)} database migration(s) pending ({', '.join(pending[:5])}). "
            "Back up the database, then run `kansenaudit migrate`."
        )


def warn_insecure_settings() -> list[str]:
    """Log, loudly, every production setting that was switched to a less safe value.

    Returns the warnings (for the tests and the CLI). Demo and debug runs are local by design
    and get no warning.
    """
    if not settings.PRODUCTION:
        return []
    warnings = []
    if not settings.SECURE_COOKIES:
        warnings.append(
            "KANSENAUDIT_SECURE_COOKIES is off: session and CSRF cookies travel without the "
            "Secure flag and no HSTS is sent, so a login can be read on any plain-HTTP "
            "connection. Only do this behind a proxy that serves HTTPS and cannot be reached "
            "otherwise."
        )
    for text in warnings:
        log.warning("INSECURE CONFIGURATION: %s", text)
    return warnings
