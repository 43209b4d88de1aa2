# SPDX-License-Identifier: EUPL-1.2
"""From evidence to recommendations: the normenkader, findings with their evidence, review and
sign-off, conclusions and recommendations, the two rounds of wederhoor and the follow-up.

A :class:`Finding` belongs to a sub-question, is measured against norms and rests on evidence
through :class:`EvidenceRef` rows (a kind and an id, resolved by :mod:`.registry`). Every change
of a finding is a row of :class:`FindingEvent`, which can never be changed or removed. A frozen
:class:`NotaVersion` of the nota van bevindingen can never be changed either; municipal
contacts comment on it through a personal :class:`WederhoorLink`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.append_only import AppendOnlyModel

_USER = settings.AUTH_USER_MODEL


def _user(**kwargs: object) -> models.ForeignKey:
    return models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", **kwargs
    )


class Norm(models.Model):
    """One norm of the dossier's normenkader: what a sub-question's findings are measured
    against, with its criteria, source and version (an edit raises the version)."""

    class SourceKind(models.TextChoices):
        WET = "wet", _("law or regulation")
        RAAD = "raad", _("the council's own goals")
        PRAKTIJK = "praktijk", _("good practice")
        KADER = "kader", _("assessment framework")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    sub_question = models.ForeignKey(
        "dossiers.SubQuestion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sub-question"),
    )
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("norm"), max_length=300)
    criteria = models.TextField(_("criteria"), blank=True)
    source_kind = models.CharField(_("kind of source"), max_length=10, choices=SourceKind.choices)
    source = models.CharField(_("source"), max_length=500)
    framework_key = models.CharField(_("framework"), max_length=64, blank=True)
    criterion_code = models.CharField(_("criterion"), max_length=16, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["dossier", "code", "id"]
        verbose_name = _("norm")
        verbose_name_plural = _("norms")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "code"], name="findings_norm_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Finding(models.Model):
    """A finding (bevinding) on a sub-question, measured against norms, resting on evidence."""

    class Status(models.TextChoices):
        DRAFT = "concept", _("draft")
        REVIEW = "review", _("in review")
        SIGNED_OFF = "afgetekend", _("signed off")
        REOPENED = "heropend", _("reopened")

    class Verdict(models.TextChoices):
        NONE = "", _("no verdict against a norm")
        MEETS = "voldoet", _("meets the norm")
        PARTLY = "deels", _("partly meets the norm")
        FAILS = "voldoet_niet", _("does not meet the norm")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    sub_question = models.ForeignKey(
        "dossiers.SubQuestion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sub-question"),
    )
    norms = models.ManyToManyField(Norm, blank=True, related_name="findings")
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text (Markdown)"), max_length=40_000)
    verdict = models.CharField(
        _("verdict"), max_length=16, choices=Verdict.choices, blank=True, default=""
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    preparer = _user(verbose_name=_("preparer"))
    signed_off_by = _user(verbose_name=_("signed off by"))
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    # The content at the last sign-off (title, text, verdict, norms, references), to show what
    # changed when a change reopens the finding.
    signed_content = models.JSONField(null=True, blank=True)
    is_demo = models.BooleanField(_("fictional demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["dossier", "code", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "code"], name="findings_finding_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class EvidenceRef(models.Model):
    """A finding rests on one piece of evidence: a kind of the registry and the evidence's id.

    ``fingerprint`` is the evidence's content fingerprint when it was attached, and again at
    every sign-off; a different fingerprint now means the evidence changed since.
    """

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="refs")
    kind = models.CharField(_("kind of evidence"), max_length=40)
    object_id = models.PositiveBigIntegerField()
    label = models.CharField(_("evidence"), max_length=500)
    note = models.CharField(_("what it shows"), max_length=500, blank=True)
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["finding", "kind", "id"]
        verbose_name = _("evidence reference")
        verbose_name_plural = _("evidence references")
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "kind", "object_id"], name="findings_ref_once"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class FindingEvent(AppendOnlyModel):
    """One change of a finding, with the state before and after. Append-only: the model refuses
    updates and deletes, and database triggers (migration 0002) refuse them too."""

    class Action(models.TextChoices):
        CREATED = "aangemaakt", _("drafted")
        CHANGED = "gewijzigd", _("changed")
        EVIDENCE = "bewijs", _("evidence attached")
        EVIDENCE_REMOVED = "bewijs_verwijderd", _("evidence removed")
        TO_REVIEW = "ter_review", _("offered for review")
        NOTE = "reviewnotitie", _("review note")
        NOTE_RESOLVED = "notitie_afgehandeld", _("review note resolved")
        SIGNED_OFF = "afgetekend", _("signed off")
        REOPENED = "heropend", _("reopened")

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="events")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = _user()
    actor_label = models.CharField(_("who"), max_length=150)
    action = models.CharField(_("what"), max_length=32, choices=Action.choices)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("finding event")
        verbose_name_plural = _("finding events")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class ReviewNote(models.Model):
    """A review note on a finding; a reply points at the note that opened the thread."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="notes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"), max_length=4000)
    resolved_by = _user()
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("review note")
        verbose_name_plural = _("review notes")

    def __str__(self) -> str:
        return f"{self.finding.code}: {self.text[:40]}"


class Conclusion(models.Model):
    """A conclusion on a sub-question, or (without one) part of the overall answer to the
    central question; carried by findings and possibly by other conclusions."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    sub_question = models.ForeignKey(
        "dossiers.SubQuestion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sub-question"),
    )
    code = models.CharField(_("code"), max_length=32)
    text = models.TextField(_("conclusion"), max_length=10_000)
    findings = models.ManyToManyField(Finding, blank=True, related_name="conclusions")
    builds_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="carries"
    )
    is_demo = models.BooleanField(_("fictional demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["dossier", "code", "id"]
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "code"], name="findings_conclusion_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class Recommendation(models.Model):
    """A recommendation to the college, the council or the organisation, from conclusions,
    SMART-checked with the ``smart`` framework (``smart``: criterion code → score)."""

    class Addressee(models.TextChoices):
        COLLEGE = "college", _("the college")
        RAAD = "raad", _("the council")
        ORGANISATIE = "organisatie", _("the organisation")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=32)
    text = models.TextField(_("recommendation"), max_length=10_000)
    addressee = models.CharField(_("addressed to"), max_length=12, choices=Addressee.choices)
    conclusions = models.ManyToManyField(Conclusion, blank=True, related_name="recommendations")
    smart = models.JSONField(_("SMART check"), default=dict, blank=True)
    is_demo = models.BooleanField(_("fictional demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["dossier", "code", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "code"], name="findings_rec_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class NotaVersion(AppendOnlyModel):
    """A frozen version of the nota van bevindingen: the findings as text, never changed.

    ``content`` holds ``sections`` (``key``, ``title``, ``text``); comments are taken until
    ``comments_until`` and only while it is the dossier's newest version.
    """

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField()
    content_sha256 = models.CharField(max_length=64)
    comments_until = models.DateField(_("comments until"))
    frozen_by = _user()
    frozen_by_label = models.CharField(max_length=150)
    frozen_at = models.DateTimeField(_("frozen"), auto_now_add=True)

    class Meta:
        ordering = ["dossier", "number"]
        verbose_name = _("version of the nota van bevindingen")
        verbose_name_plural = _("versions of the nota van bevindingen")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="findings_version_once")
        ]

    def __str__(self) -> str:
        return f"nota v{self.number}"


class WederhoorLink(models.Model):
    """A personal link for one named municipal contact to one frozen version.

    Only the SHA-256 of the token is stored; the token is shown once when it is made.
    """

    version = models.ForeignKey(NotaVersion, on_delete=models.PROTECT, related_name="links")
    contact_name = models.CharField(_("contact"), max_length=200)
    contact_role = models.CharField(_("position"), max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_by = _user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("wederhoor link")
        verbose_name_plural = _("wederhoor links")

    def __str__(self) -> str:
        return f"{self.version} – {self.contact_name}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class WederhoorComment(models.Model):
    """A contact's comment on a finding (section) and optionally one paragraph of it, and how
    the team handled it."""

    class Handling(models.TextChoices):
        OPEN = "open", _("not yet handled")
        DONE = "verwerkt", _("processed")
        PARTLY = "deels", _("partly processed")
        NOT = "niet_verwerkt", _("not processed")

    link = models.ForeignKey(WederhoorLink, on_delete=models.PROTECT, related_name="comments")
    version = models.ForeignKey(NotaVersion, on_delete=models.PROTECT, related_name="comments")
    section_key = models.CharField(_("finding"), max_length=40)
    paragraph = models.PositiveSmallIntegerField(_("paragraph"), null=True, blank=True)
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    handling = models.CharField(
        _("handling"), max_length=16, choices=Handling.choices, default=Handling.OPEN
    )
    reason = models.TextField(_("reason"), blank=True, max_length=4000)
    handled_by = _user()
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        ordering = ["version", "section_key", "paragraph", "id"]
        verbose_name = _("wederhoor comment")
        verbose_name_plural = _("wederhoor comments")

    def __str__(self) -> str:
        return f"{self.version} {self.section_key}: {self.text[:40]}"


class CollegeReaction(models.Model):
    """The college's reaction to one recommendation (bestuurlijk wederhoor), quoting its
    letter (a document of the evidence store), with the commitment it made."""

    class Position(models.TextChoices):
        ACCEPTED = "overgenomen", _("recommendation adopted")
        PARTLY = "deels", _("recommendation partly adopted")
        REJECTED = "niet", _("recommendation not adopted")

    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, related_name="reaction"
    )
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    quote = models.TextField(_("quote from the letter"), max_length=4000)
    letter = models.ForeignKey(
        "evidence.Document", on_delete=models.PROTECT, related_name="+", verbose_name=_("letter")
    )
    commitment = models.TextField(_("commitment"), blank=True, max_length=4000)
    registered_by = _user()
    registered_at = models.DateTimeField(_("registered"), auto_now=True)

    class Meta:
        verbose_name = _("college reaction")
        verbose_name_plural = _("college reactions")

    def __str__(self) -> str:
        return f"{self.recommendation.code}: {self.position}"


class Nawoord(models.Model):
    """The rekenkamer's nawoord on the college's reaction (one per dossier)."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("nawoord"), max_length=20_000)
    written_by = _user()
    written_at = models.DateTimeField(_("written"), auto_now=True)

    class Meta:
        verbose_name = _("nawoord")
        verbose_name_plural = _("nawoorden")

    def __str__(self) -> str:
        return f"nawoord {self.dossier_id}"


class FollowUp(models.Model):
    """One yearly follow-up measurement of a recommendation."""

    class Status(models.TextChoices):
        DONE = "uitgevoerd", _("implemented")
        PARTLY = "deels", _("partly implemented")
        NOT = "niet", _("not implemented")

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="follow_ups"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    note = models.TextField(_("explanation"), max_length=4000, blank=True)
    evidence = models.ForeignKey(
        "evidence.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("evidence"),
    )
    measured_by = _user()
    measured_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "year"]
        verbose_name = _("follow-up measurement")
        verbose_name_plural = _("follow-up measurements")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "year"], name="findings_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.recommendation.code} {self.year}: {self.status}"
