# SPDX-License-Identifier: EUPL-1.2
"""The uitvraag: inventory requests to directorates, their status, the files they send back.

A request asks one directorate (a ``policy.Actor`` of kind directie) for at most ten measures
through an Excel workbook (see :mod:`kansenaudit.policy.uitvraag`). The request remembers the
exact template it sent (lists, version, checksum), so a returned file can be checked against
it; every status change is kept in an append-only history; every file that comes back is kept
with its SHA-256 and the errors found, whether or not it was applied. A directorate contact
without an account uploads through a personal link (:class:`AccessToken`) of which only a hash
is stored.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The one error of every append-only history, importable from here as before.
from kansenaudit.web.core.append_only import AppendOnlyError as AppendOnlyError
from kansenaudit.web.core.append_only import AppendOnlyModel


class UitvraagRequest(models.Model):
    """One inventory request to one directorate within a dossier."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("draft")
        VERSTUURD = "verstuurd", _("sent")
        ONTVANGEN = "ontvangen", _("received")
        TERUGGESTUURD = "teruggestuurd", _("returned for correction")
        GEACCEPTEERD = "geaccepteerd", _("accepted")

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="uitvraag_requests"
    )
    directie = models.ForeignKey(
        "policy.Actor",
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        related_name="uitvraag_requests",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    template_version = models.CharField(_("template version"), max_length=32, default="1")
    # What the template that was sent contained (dossier title, directorate, lists, budget
    # years), so that the same workbook can be produced again and a returned file checked.
    template_spec = models.JSONField(default=dict, blank=True)
    template_checksum = models.CharField(_("template checksum"), max_length=64, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    contact = models.CharField(_("contact person"), max_length=200, blank=True)
    # The latest time the request entered each status; the history keeps every change.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    is_demo = models.BooleanField(_("fictional demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Status → the field holding the time it was last entered.
    STATUS_DATE_FIELD = {
        Status.VERSTUURD: "sent_at",
        Status.ONTVANGEN: "received_at",
        Status.TERUGGESTUURD: "returned_at",
        Status.GEACCEPTEERD: "accepted_at",
    }
    # The directorate still owes a file in these statuses; past the deadline that is overdue.
    AWAITING = (Status.VERSTUURD, Status.TERUGGESTUURD)

    class Meta:
        ordering = ["directie__name", "id"]
        verbose_name = _("inventory request")
        verbose_name_plural = _("inventory requests")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "directie"], name="uitvraag_request_once")
        ]

    def __str__(self) -> str:
        return f"Uitvraag {self.directie.name}"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Sent (or returned for correction), not answered, and past the deadline."""
        today = today or timezone.localdate()
        return self.status in self.AWAITING and self.deadline is not None and self.deadline < today


class StatusChange(AppendOnlyModel):
    """One status change of a request. Append-only: the model and database triggers refuse
    updates and deletes."""

    request = models.ForeignKey(UitvraagRequest, on_delete=models.PROTECT, related_name="history")
    from_status = models.CharField(
        _("from"), max_length=20, choices=UitvraagRequest.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=UitvraagRequest.Status.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    by_label = models.CharField(_("by"), max_length=150)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.request}: {self.from_status or '-'} → {self.to_status}"


class Reminder(models.Model):
    """A reminder sent to the directorate (recorded; the application sends no e-mail)."""

    request = models.ForeignKey(UitvraagRequest, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField(_("sent on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_on", "id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.request}: {self.sent_on:%Y-%m-%d}"


class AccessToken(models.Model):
    """A personal link for a directorate contact without an account.

    Only the SHA-256 of the token is stored; the token itself is shown once when it is made.
    The link allows exactly one thing: to download the request's template and upload a file.
    """

    request = models.ForeignKey(UitvraagRequest, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("for whom"), max_length=200, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("access link")
        verbose_name_plural = _("access links")

    def __str__(self) -> str:
        return f"{self.request} (link {self.pk})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ReceivedFile(models.Model):
    """A workbook that came back: kept whole with its hash and the errors found."""

    class Channel(models.TextChoices):
        WEB = "web", _("upload by the audit team")
        TOKEN = "token", _("upload through the personal link")
        CLI = "cli", _("command line")

    request = models.ForeignKey(UitvraagRequest, on_delete=models.PROTECT, related_name="files")
    file_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, db_index=True)
    content = models.BinaryField(editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_by_label = models.CharField(_("received from"), max_length=150)
    via_token = models.ForeignKey(
        AccessToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="files"
    )
    template_version = models.CharField(max_length=32, blank=True)
    # [{"sheet", "row", "column", "message"}, …]; empty when the file passed every check.
    errors = models.JSONField(default=list, blank=True)
    is_valid = models.BooleanField(_("valid"), default=False)
    measure_count = models.PositiveSmallIntegerField(default=0)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("received file")
        verbose_name_plural = _("received files")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.sha256[:12]})"
