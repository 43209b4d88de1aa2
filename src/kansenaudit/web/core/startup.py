"""Checks made when a server process starts."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kansenaudit.web.core.selectors import pending_migrations


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
