"""Reading the audit log and the application's health."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import QuerySet
from django.db.utils import DatabaseError

from kansenaudit.web.core.models import AuditEvent


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
    ok: bool
    database: str
    migrations: str
    pending: tuple[str, ...]


def health() -> Health:
    """Whether the database answers and is fully migrated."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = tuple(pending_migrations())
    except DatabaseError as exc:
        return Health(False, f"error: {exc.__class__.__name__}", "unknown", ())
    return Health(not pending, "ok", "pending" if pending else "ok", pending)
