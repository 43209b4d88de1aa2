# SPDX-License-Identifier: EUPL-1.2
"""Reading the audit log and the application's health."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import QuerySet
from django.db.utils import DatabaseError

from kansenaudit import config
from kansenaudit.web.core.models import AuditEvent

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AuditFilter:
    """Filters of the audit log page; empty fields do not filter."""

    action: str = ""
    actor: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def audit_events_for_dossier(*, dossier: object, filters: AuditFilter | None = None) -> QuerySet:
    """Events of one dossier, newest first. Access is checked by the caller's dossier selector."""
    events = AuditEvent.objects.filter(dossier=dossier).select_related("actor")
    filters = filters or AuditFilter()
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.actor:
        events = events.filter(actor_label=filters.actor)
    if filters.since:
        events = events.filter(occurred_at__date__gte=filters.since)
    if filters.until:
        events = events.filter(occurred_at__date__lte=filters.until)
    return events


def audit_facets_for_dossier(*, dossier: object) -> dict[str, list[str]]:
    """The actions and actors that occur in a dossier's log, for filter menus."""
    events = AuditEvent.objects.filter(dossier=dossier)
    return {
        "actions": sorted(set(events.values_list("action", flat=True))),
        "actors": sorted(set(events.values_list("actor_label", flat=True))),
    }


def pending_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Names (``app.migration``) of migrations not yet applied to the database."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    return [f"{m.app_label}.{m.name}" for m, _backwards in executor.migration_plan(targets)]


@dataclass(frozen=True)
class Health:
    """What a page needs to render; each check is "ok" or a short reason, never a secret."""

    database: str
    migrations: str
    static: str
    data_dir: str
    pending: tuple[str, ...] = ()
    audit_triggers: str = "unknown"

    @property
    def checks(self) -> dict[str, str]:
        return {
            "database": self.database,
            "migrations": self.migrations,
            "audit_triggers": self.audit_triggers,
            "static": self.static,
            "data_dir": self.data_dir,
        }

    @property
    def ok(self) -> bool:
        return all(value in ("ok", "not used") for value in self.checks.values())


def _static_state() -> str:
    """With hashed static files (production), every page needs their manifest."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import ManifestFilesMixin
    from django.utils.module_loading import import_string

    backend = import_string(settings.STORAGES["staticfiles"]["BACKEND"])
    if not issubclass(backend, ManifestFilesMixin):
        return "not used"  # demo, debug and tests serve the app folders
    manifest = Path(settings.STATIC_ROOT or "") / backend.manifest_name
    try:
        return "ok" if manifest.is_file() and manifest.stat().st_size > 0 else "missing"
    except OSError:
        return "missing"


def _data_dir_state() -> str:
    """The data folder takes uploads, evidence files and (SQLite) the database.

    Made when missing, as every upload would (0700); a folder that cannot be made, or is not
    writable, fails.
    """
    folder = config.data_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".health-"):
            pass
    except OSError:
        return "not writable"
    return "ok"


def _audit_triggers_state() -> str:
    """Whether every append-only table still has its triggers (``core.append_only``).

    A later migration that rebuilds such a table on SQLite (as Django does to alter a column)
    drops its triggers without a word; this makes it show. The missing triggers are named in the
    log; the answer, which anyone may read, only counts them.
    """
    from kansenaudit.web.core.audit_chain import missing_triggers

    missing = missing_triggers()
    if not missing:
        return "ok"
    logger.error("Append-only triggers are missing or disabled: %s", ", ".join(missing))
    return f"missing ({len(missing)})"


def health() -> Health:
    """Whether pages can be served and the history tables are protected: database, migrations,
    append-only triggers, static files, data folder."""
    static, data = _static_state(), _data_dir_state()
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return Health(f"error: {exc.__class__.__name__}", "unknown", static, data)
    try:
        pending = tuple(pending_migrations())
    except DatabaseError as exc:
        return Health("ok", f"error: {exc.__class__.__name__}", static, data)
    try:
        triggers = _audit_triggers_state()
    except DatabaseError as exc:
        triggers = f"error: {exc.__class__.__name__}"
    return Health("ok", "pending" if pending else "ok", static, data, pending, triggers)
