# SPDX-License-Identifier: EUPL-1.2
"""The audit log: one append-only table of every change, for the whole application."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.append_only import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet


class AuditEventQuerySet(AppendOnlyQuerySet):
    def bulk_create(self, *args: object, **kwargs: object) -> list:
        raise AppendOnlyError("audit events are written one by one through audit_record")


class AuditEvent(AppendOnlyModel):
    """Who did what, when, in which dossier, with the state before and after.

    Rows are only ever inserted: the model refuses updates and deletes, and database triggers
    (see the migrations and ``core.append_only``) refuse them too, so not even raw SQL through
    the application can edit history. Each event carries the hash of the one before it and its
    own (``core.audit_hash``), so a change made around the application shows as a broken link
    (``kansenaudit audit verify``). Events are written only by ``core.services.audit_record``,
    which links them.
    """

    # Set by audit_record before the hash is computed (the hash covers it).
    occurred_at = models.DateTimeField(
        _("time"), default=timezone.now, editable=False, db_index=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The name as it was at the time, and who acted when no user did (the CLI, the demo loader).
    actor_label = models.CharField(_("actor"), max_length=150)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    prev_hash = models.CharField(_("hash of the previous event"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["dossier", "-occurred_at"])]
        constraints = [
            # One successor per event: two writers that read the same head cannot both append.
            models.UniqueConstraint(fields=["prev_hash"], name="auditevent_one_successor"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        # On top of the append-only base: only audit_record, which links the chain, writes.
        if self._state.adding and not (self.hash and self.prev_hash):
            raise AppendOnlyError("audit events are written through core.services.audit_record")
        super().save(*args, **kwargs)


class RateCounter(models.Model):
    """A counter shared by every web process, for limits such as failed link look-ups.

    Incremented in one SQL UPDATE (see ``core.ratelimit``), so parallel requests cannot read
    the same value and all slip under the limit, as a read-then-write cache counter lets them.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
