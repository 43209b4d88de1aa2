# SPDX-License-Identifier: EUPL-1.2
"""Judgements against assessment frameworks: scores by one or two blind assessors, a consensus,
a sign-off, and an append-only history.

A dossier keeps its own copy of every framework it uses (:class:`DossierFramework`, versioned
JSON in the ``kansenaudit.framework/1`` schema of :mod:`kansenaudit.policy.frameworks`). A
:class:`Judgement` is one criterion of one framework applied to one subject (a directie's policy,
a measure, a goal, an indicator or a council information item). Its :class:`Assessment` rows are
the independent scores; consensus and sign-off are fields of the judgement, and every change is
a row of :class:`JudgementEvent`, which can never be changed or removed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kansenaudit.web.core.append_only import AppendOnlyModel


class DossierFramework(models.Model):
    """One version of a dossier's copy of an assessment framework.

    Versions are never edited: an edit adds the next version, and the highest version is the
    one in force. ``subject_kind`` says what the framework's judgements are about.
    """

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    subject_kind = models.CharField(_("subject"), max_length=20)
    data = models.JSONField(_("framework (JSON)"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["dossier", "key", "-version"]
        verbose_name = _("assessment framework")
        verbose_name_plural = _("assessment frameworks")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "key", "version"], name="judgements_framework_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Judgement(models.Model):
    """One criterion of a framework applied to one subject of the dossier."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("judgement status", "open")
        IN_REVIEW = "in_beoordeling", _("being assessed")
        CONSENSUS = "consensus", _("consensus")
        SIGNED_OFF = "afgetekend", _("signed off")
        REOPENED = "heropend", _("reopened")

    class Mode(models.TextChoices):
        DOUBLE = "dubbel", _("two assessors")
        SINGLE = "enkel", _("one assessor")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    framework_key = models.CharField(_("framework"), max_length=64)
    framework_version = models.PositiveIntegerField(_("framework version at the start"))
    criterion_code = models.CharField(_("criterion"), max_length=16)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    # The subject's name when the judgement was started, so lists and exports stay readable.
    subject_label = models.CharField(_("subject"), max_length=300)
    mode = models.CharField(_("assessment"), max_length=10, choices=Mode.choices)
    # Assessors named in advance (optional, per place). A named place can only be taken by its
    # assessor; an unnamed place by the first member with EDIT who submits.
    assigned_1 = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessor 1 (assigned)"),
    )
    assigned_2 = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessor 2 (assigned)"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    # Consensus: a score on the framework's scale (JSON: int or text), or "not applicable".
    consensus_score = models.JSONField(_("consensus score"), null=True, blank=True)
    consensus_not_applicable = models.BooleanField(_("consensus: not applicable"), default=False)
    consensus_rationale = models.TextField(_("consensus rationale"), blank=True)
    consensus_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consensus_at = models.DateTimeField(_("consensus reached"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["framework_key", "subject_label", "criterion_code", "id"]
        verbose_name = _("judgement")
        verbose_name_plural = _("judgements")
        indexes = [models.Index(fields=["dossier", "framework_key"])]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "framework_key", "criterion_code", "content_type", "object_id"],
                name="judgements_judgement_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.framework_key} {self.criterion_code}: {self.subject_label}"

    @property
    def required_assessments(self) -> int:
        return 2 if self.mode == self.Mode.DOUBLE else 1

    @property
    def assigned(self) -> dict[int, int]:
        """The places named in advance: {slot: user id}."""
        slots = {1: self.assigned_1_id, 2: self.assigned_2_id}
        return {slot: uid for slot, uid in slots.items() if uid is not None}

    @property
    def has_consensus(self) -> bool:
        return self.consensus_at is not None


class Assessment(models.Model):
    """One assessor's independent score of a judgement; one per assessor, at most two."""

    judgement = models.ForeignKey(Judgement, on_delete=models.PROTECT, related_name="assessments")
    slot = models.PositiveSmallIntegerField(_("assessor number"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    score = models.JSONField(_("score"), null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    rationale = models.TextField(_("rationale"))
    framework_version = models.PositiveIntegerField(_("framework version"))
    submitted_at = models.DateTimeField(_("submitted"))
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)

    class Meta:
        ordering = ["judgement", "slot"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["judgement", "assessor"], name="judgements_one_per_assessor"
            ),
            models.UniqueConstraint(fields=["judgement", "slot"], name="judgements_slot_once"),
            models.CheckConstraint(
                condition=models.Q(slot__in=[1, 2]), name="judgements_slot_one_or_two"
            ),
        ]

    def __str__(self) -> str:
        # Never the score: this text appears in the audit log, which other assessors can read.
        return f"{self.judgement} – beoordelaar {self.slot}"


class JudgementEvent(AppendOnlyModel):
    """One change of a judgement, with the state before and after. Append-only: the model
    refuses updates and deletes, and database triggers (migration 0002) refuse them too."""

    class Action(models.TextChoices):
        CREATED = "aangemaakt", _("started")
        ASSESSED = "beoordeeld", _("assessment submitted")
        ASSESSMENT_CHANGED = "beoordeling_gewijzigd", _("assessment changed")
        CONSENSUS = "consensus", _("consensus recorded")
        SIGNED_OFF = "afgetekend", _("signed off")
        REOPENED = "heropend", _("reopened")
        EVIDENCE = "bewijs", _("evidence attached")
        EVIDENCE_REMOVED = "bewijs_verwijderd", _("evidence removed")
        ASSIGNED = "toegewezen", _("assessors assigned")

    judgement = models.ForeignKey(Judgement, on_delete=models.PROTECT, related_name="events")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("who"), max_length=150)
    action = models.CharField(_("what"), max_length=32, choices=Action.choices)
    # For assessment events: whose assessment (1 or 2), so that the history can be blinded.
    slot = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("judgement event")
        verbose_name_plural = _("judgement events")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
