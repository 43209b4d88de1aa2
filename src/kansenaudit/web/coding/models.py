# SPDX-License-Identifier: EUPL-1.2
"""Qualitative coding of the practice study: a codebook per dossier, coded segments of
transcripts and document pages, memos, and blind double coding of a sample of transcripts.

Offsets are character (code point) offsets into ``Transcript.text`` or into the canonical text
of an evidence page, as for citations. A code is never deleted: a merge retires it
(``merged_into``) and moves its segments; every change of the codebook is a row of
:class:`CodeEvent`, which can never be changed or removed (database triggers, migration 0001).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kansenaudit.web.core.append_only import AppendOnlyModel

COLOUR = RegexValidator(r"^#[0-9A-Fa-f]{6}$", _("Enter a colour as #RRGGBB."))


class Code(models.Model):
    """One code of a dossier's codebook; codes form a tree through ``parent``."""

    class Origin(models.TextChoices):
        POLICY = "beleidstheorie", _("deductive: policy theory")
        FRAMEWORK = "analysekader", _("deductive: analysis model")
        INDUCTIVE = "inductief", _("inductive")
        IMPORTED = "geimporteerd", _("imported")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent code"),
    )
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    inclusion = models.TextField(_("inclusion rule"), blank=True)
    exclusion = models.TextField(_("exclusion rule"), blank=True)
    example = models.TextField(_("example"), blank=True)
    colour = models.CharField(_("colour"), max_length=7, default="#2f6fb0", validators=[COLOUR])
    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.INDUCTIVE
    )
    # Where a deductive code came from ("theorystep:12", "framework:smart:S"), so that starting
    # the deductive codes twice adds nothing.
    source_key = models.CharField(max_length=100, blank=True)
    # The REFI-QDA GUID of an imported code, kept so that a re-import finds it again.
    guid = models.CharField(max_length=36, blank=True, db_index=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        indexes = [models.Index(fields=["dossier", "source_key"])]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.merged_into_id is None


class CodeEvent(AppendOnlyModel):
    """One change of the codebook, with the state before and after. Append-only."""

    class Action(models.TextChoices):
        CREATED = "aangemaakt", _("created")
        CHANGED = "gewijzigd", _("changed")
        MOVED = "verplaatst", _("moved")
        MERGED = "samengevoegd", _("merged")
        SPLIT = "gesplitst", _("split")
        IMPORTED = "geimporteerd", _("imported")

    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="events")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("who"), max_length=150)
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("codebook event")
        verbose_name_plural = _("codebook events")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class Segment(models.Model):
    """A coded span ``text[start:end]`` of a transcript or of one page of a document."""

    class Kind(models.TextChoices):
        CODING = "codering", _("coding")
        CONSENSUS = "consensus", _("consensus")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    transcript = models.ForeignKey(
        "fieldwork.Transcript",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    document = models.ForeignKey(
        "evidence.Document", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    page_number = models.PositiveIntegerField(_("page"), null=True, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    codes = models.ManyToManyField(Code, related_name="segments", verbose_name=_("codes"))
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who coded it when the coder is no user of this installation (an imported project).
    coder_label = models.CharField(_("coder"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CODING)
    guid = models.CharField(max_length=36, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["transcript", "document", "page_number", "start", "end", "pk"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        indexes = [models.Index(fields=["transcript", "coder"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="coding_segment_span"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(transcript__isnull=False, document__isnull=True)
                    | models.Q(
                        transcript__isnull=True, document__isnull=False, page_number__isnull=False
                    )
                ),
                name="coding_segment_one_source",
            ),
        ]

    def __str__(self) -> str:
        # Never the codes: this text appears in the audit log, which the other coder can read.
        return f"segment {self.pk} ({self.start}–{self.end})"


class Memo(models.Model):
    """A memo on a segment, a code or a transcript."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    segment = models.ForeignKey(
        Segment, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    code = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    transcript = models.ForeignKey(
        "fieldwork.Transcript", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("memo"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_label = models.CharField(_("author"), max_length=150, blank=True)
    guid = models.CharField(max_length=36, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("memo")
        verbose_name_plural = _("memos")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(segment__isnull=False, code__isnull=True, transcript__isnull=True)
                    | models.Q(segment__isnull=True, code__isnull=False, transcript__isnull=True)
                    | models.Q(segment__isnull=True, code__isnull=True, transcript__isnull=False)
                ),
                name="coding_memo_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"memo {self.pk}"


class DoubleCoding(models.Model):
    """A transcript of the sample that two coders code blind: neither sees the other's codes
    until both have marked their coding as done."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    transcript = models.OneToOneField(
        "fieldwork.Transcript", on_delete=models.CASCADE, related_name="+"
    )
    coder_1 = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("coder 1"),
    )
    coder_2 = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("coder 2"),
    )
    done_1_at = models.DateTimeField(_("coder 1 done"), null=True, blank=True)
    done_2_at = models.DateTimeField(_("coder 2 done"), null=True, blank=True)
    consensus_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consensus_at = models.DateTimeField(_("consensus recorded"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["transcript__title", "pk"]
        verbose_name = _("double-coded transcript")
        verbose_name_plural = _("double-coded transcripts")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(coder_1=models.F("coder_2")), name="coding_two_coders"
            )
        ]

    def __str__(self) -> str:
        return f"dubbel gecodeerd: {self.transcript_id}"

    @property
    def blind(self) -> bool:
        return self.done_1_at is None or self.done_2_at is None

    def slot_of(self, user: object) -> int | None:
        uid = getattr(user, "pk", None)
        if uid is None:
            return None
        return 1 if uid == self.coder_1_id else 2 if uid == self.coder_2_id else None


# --- the mirror of practice against policy theory (§4.2.5), added in migration 0002 -----------


class MirrorRow(models.Model):
    """One row of a measure's mirror: an element of its policy theory (a step, or an assumed
    link between two steps) against what the fieldwork found.

    Two team members each give a verdict with its rationale and the coded segments it rests on
    (:class:`MirrorAssessment`, blind to each other until both are in); the team records the
    consensus here, resting on segments and citations, and a reviewer signs it off. A change of
    the consensus after the sign-off clears the sign-off (the audit log keeps both).
    """

    class Verdict(models.TextChoices):
        SUPPORTED = "ondersteund", _("supported")
        PARTLY = "deels", _("partly supported")
        CONTRADICTED = "tegengesproken", _("contradicted")
        COUNTER = "averechts", _("counter-productive")
        NOT_ADDRESSED = "niet_aan_bod", _("not addressed")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("mirror status", "open")
        ASSESSING = "in_beoordeling", _("being assessed")
        CONSENSUS = "consensus", _("consensus")
        SIGNED_OFF = "afgetekend", _("signed off")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey("policy.Measure", on_delete=models.CASCADE, related_name="+")
    # The element of the policy theory; when the policy register removes it the row stays, with
    # its label, so that a judgement is never lost silently.
    step = models.ForeignKey(
        "policy.TheoryStep", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    link = models.ForeignKey(
        "policy.TheoryLink", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Element(models.TextChoices):
        STEP = "stap", _("step")
        LINK = "schakel", _("assumed link")

    element = models.CharField(_("element"), max_length=10, choices=Element.choices)
    label = models.CharField(_("element of the policy theory"), max_length=600)
    order = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    segments = models.ManyToManyField(
        Segment, blank=True, related_name="+", verbose_name=_("coded segments")
    )
    citations = models.ManyToManyField(
        "evidence.Citation", blank=True, related_name="+", verbose_name=_("citations")
    )
    consensus_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consensus_at = models.DateTimeField(_("consensus recorded"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["measure", "order", "pk"]
        verbose_name = _("mirror row")
        verbose_name_plural = _("mirror rows")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(step__isnull=False, link__isnull=False),
                name="coding_mirror_one_element",
            ),
            models.UniqueConstraint(fields=["step"], name="coding_mirror_step_once"),
            models.UniqueConstraint(fields=["link"], name="coding_mirror_link_once"),
        ]

    def __str__(self) -> str:
        # Never the verdict: this text appears in the audit log, which an assessor can read.
        return self.label[:200]

    @property
    def removed(self) -> bool:
        """Whether the policy register no longer has the element of this row."""
        return self.step_id is None and self.link_id is None


class MirrorAssessment(models.Model):
    """One team member's independent verdict on a mirror row; at most two per row."""

    row = models.ForeignKey(MirrorRow, on_delete=models.CASCADE, related_name="assessments")
    slot = models.PositiveSmallIntegerField(_("assessor number"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=MirrorRow.Verdict.choices)
    rationale = models.TextField(_("rationale"))
    segments = models.ManyToManyField(
        Segment, blank=True, related_name="+", verbose_name=_("coded segments")
    )
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        ordering = ["row", "slot"]
        verbose_name = _("mirror assessment")
        verbose_name_plural = _("mirror assessments")
        constraints = [
            models.UniqueConstraint(fields=["row", "assessor"], name="coding_mirror_one_each"),
            models.UniqueConstraint(fields=["row", "slot"], name="coding_mirror_slot_once"),
            models.CheckConstraint(
                condition=models.Q(slot__in=[1, 2]), name="coding_mirror_slot_one_or_two"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.row} – beoordelaar {self.slot}"


class RefiImportJob(models.Model):
    """An uploaded REFI-QDA file (.qdpx or .qdc) waiting for, or done with, its import in
    ``kansenaudit worker`` (ADR 0015). A project holds other tools' source texts before
    pseudonymisation, so the file is kept encrypted (fieldwork.crypto) in ``payload`` until the
    job ends; ``report`` is the import's report (counts and issues by element)."""

    class State(models.TextChoices):
        QUEUED = "wachtrij", _("queued")
        RUNNING = "bezig", _("running")
        DONE = "klaar", _("done")
        FAILED = "mislukt", _("failed")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    payload = models.TextField(blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    message = models.TextField(_("message"), blank=True)
    report = models.JSONField(default=dict, blank=True)
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
        verbose_name = _("REFI-QDA import")
        verbose_name_plural = _("REFI-QDA imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.state})"
