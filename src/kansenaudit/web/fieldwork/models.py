# SPDX-License-Identifier: EUPL-1.2
"""The practice study of a dossier: sessions, participants and their transcripts.

This first part fixes what qualitative coding (the ``coding`` app) builds on: a transcript's
pseudonymised canonical text and its speaker turns, the units of coding. Offsets are character
offsets into ``Transcript.text``, as page offsets are for documents. The original text and the
pseudonym key never live in these columns in the clear (see ``fieldwork.crypto``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Session(models.Model):
    """An interview, group interview, focus group or field visit."""

    class Kind(models.TextChoices):
        INTERVIEW = "interview", _("interview")
        GROUP_INTERVIEW = "group_interview", _("group interview")
        FOCUS_GROUP = "focus_group", _("focus group")
        FIELD_VISIT = "field_visit", _("field visit")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        TRANSCRIBED = "transcribed", _("transcribed")
        CHECKED = "checked", _("checked")
        CODED = "coded", _("coded")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("interviewers")
    )
    measures = models.ManyToManyField(
        "policy.Measure", blank=True, related_name="+", verbose_name=_("measures")
    )
    # The numbers of the dossier's sub-questions this session serves (e.g. [2, 3]).
    sub_questions = models.JSONField(_("sub-questions"), default=list, blank=True)
    is_demo = models.BooleanField(_("fictional demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """Someone who took part, known in the study only by a pseudonym such as "Bewoner 3"."""

    class Group(models.TextChoices):
        RESIDENT = "resident", _("resident (Amsterdammer)")
        PARTNER = "partner", _("implementing partner")
        CIVIL_SERVANT = "civil_servant", _("civil servant")
        OTHER = "other", _("other")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    pseudonym = models.CharField(_("pseudonym"), max_length=80)
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=20, choices=Group.choices
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    actor = models.ForeignKey(
        "policy.Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sessions = models.ManyToManyField(Session, blank=True, related_name="participants")
    # Set when the participant withdraws consent: from then on their words are left out of
    # coding, analysis and every export (their segments are marked withdrawn, never kept).
    withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)
    is_demo = models.BooleanField(_("fictional demo data"), default=False)

    class Meta:
        ordering = ["pseudonym"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "pseudonym"], name="fieldwork_participant_pseudonym_once"
            )
        ]

    def __str__(self) -> str:
        return self.pseudonym


class Transcript(models.Model):
    """The pseudonymised canonical text of one session's recording; coding works on this."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="transcripts")
    title = models.CharField(_("title"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    # Pseudonymised text only: the original is stored encrypted elsewhere.
    text = models.TextField(_("pseudonymised text"))
    sha256 = models.CharField(max_length=64, blank=True)
    is_demo = models.BooleanField(_("fictional demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["session__date", "pk"]
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")

    def __str__(self) -> str:
        return self.title


class Turn(models.Model):
    """One speaker turn of a transcript: ``text[start:end]``; the unit of coding."""

    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="turns")
    number = models.PositiveIntegerField(_("number"))
    speaker = models.CharField(_("speaker label"), max_length=80)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="turns"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["transcript", "number"]
        verbose_name = _("speaker turn")
        verbose_name_plural = _("speaker turns")
        constraints = [
            models.UniqueConstraint(fields=["transcript", "number"], name="fieldwork_turn_once"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="fieldwork_turn_span"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transcript} #{self.number} ({self.speaker})"


# --- added in migration 0002: selection, consent, contacts and the encrypted originals --------


class MeasureSelection(models.Model):
    """The measures a dossier studies in practice (§4.2.1), with the proposal and its rationale.

    One per dossier; confirming again replaces the chosen measures (the audit log keeps the
    earlier choice)."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    size = models.PositiveSmallIntegerField(_("number of measures"), default=6)
    rationale = models.TextField(_("rationale"), blank=True)
    # What the chosen set covers and misses, per dimension, as computed when it was confirmed.
    covers = models.JSONField(_("covers"), default=dict, blank=True)
    misses = models.JSONField(_("misses"), default=dict, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), auto_now=True)
    is_demo = models.BooleanField(_("fictional demo data"), default=False)

    class Meta:
        verbose_name = _("measure selection")
        verbose_name_plural = _("measure selections")

    def __str__(self) -> str:
        return f"selection {self.dossier_id}"


class SelectedMeasure(models.Model):
    """One measure of the selection: why it was chosen, or why the team swapped it in."""

    selection = models.ForeignKey(MeasureSelection, on_delete=models.CASCADE, related_name="items")
    measure = models.ForeignKey("policy.Measure", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    reasons = models.TextField(_("why chosen"), blank=True)
    # Set when the team chose this measure instead of the proposal: the measure it replaced
    # (by name, as it may be deleted later) and the reason the team gave.
    replaced = models.CharField(_("replaced"), max_length=200, blank=True)
    swap_reason = models.TextField(_("reason for the swap"), blank=True)

    class Meta:
        ordering = ["selection", "order", "pk"]
        verbose_name = _("selected measure")
        verbose_name_plural = _("selected measures")
        constraints = [
            models.UniqueConstraint(
                fields=["selection", "measure"], name="fieldwork_selected_measure_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.measure)


class Consent(models.Model):
    """A participant's informed consent: when and for what (withdrawal: withdrawn_at)."""

    class Scope(models.TextChoices):
        RECORDING = "recording", _("recording")
        QUOTATION = "quotation", _("quotation")
        QUOTATION_WITH_FUNCTION = "quotation_function", _("quotation with function")

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="consent"
    )
    given_on = models.DateField(_("date of consent"))
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    withdrawal_note = models.CharField(_("withdrawal note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"consent {self.participant_id}"


class ContactDetails(models.Model):
    """A participant's contact details, encrypted (``fieldwork.crypto``); never in the clear."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="contact"
    )
    token = models.TextField()

    class Meta:
        verbose_name = _("contact details")
        verbose_name_plural = _("contact details")

    def __str__(self) -> str:
        return f"contact {self.participant_id}"


class PseudonymKey(models.Model):
    """The dossier's person register (real name ↔ pseudonym), encrypted."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    token = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pseudonym key")
        verbose_name_plural = _("pseudonym keys")

    def __str__(self) -> str:
        return f"key {self.dossier_id}"


class TranscriptOriginal(models.Model):
    """A transcript's original text, its turns and replacements, encrypted.

    ``spans`` holds the replacements as they lie in the pseudonymised text, without the
    originals, so that the review page can mark them without decrypting anything."""

    transcript = models.OneToOneField(Transcript, on_delete=models.CASCADE, related_name="original")
    token = models.TextField()
    spans = models.JSONField(default=list, blank=True)
    file_format = models.CharField(max_length=20, blank=True)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("original transcript")
        verbose_name_plural = _("original transcripts")

    def __str__(self) -> str:
        return f"original {self.transcript_id}"


# --- added in migration 0003: transcripts read and pseudonymised outside the request ----------


class TranscriptJob(models.Model):
    """An uploaded transcript waiting for, or done with, parsing and pseudonymisation in
    ``kansenaudit worker`` (ADR 0015). The upload is kept encrypted in ``payload`` until the
    job ends, so that a worker on another machine reaches it through the database and nothing
    confidential lies on disk in the clear."""

    class State(models.TextChoices):
        QUEUED = "wachtrij", _("queued")
        RUNNING = "bezig", _("running")
        DONE = "klaar", _("done")
        FAILED = "mislukt", _("failed")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="jobs")
    file_name = models.CharField(_("file name"), max_length=255)
    title = models.CharField(_("title"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    # The uploaded bytes, encrypted (fieldwork.crypto); emptied when the job ends.
    payload = models.TextField(blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    message = models.TextField(_("message"), blank=True)
    transcript = models.ForeignKey(
        Transcript, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The process that claimed it (evidence.processes.identity): taken up again when a worker
    # starts and that process is gone.
    worker = models.CharField(max_length=200, blank=True, default="")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("transcript job")
        verbose_name_plural = _("transcript jobs")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.state})"
