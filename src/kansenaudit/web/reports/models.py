# SPDX-License-Identifier: EUPL-1.2
"""The reports of a dossier: chapters in Markdown, saved versions, a house-style template.

A report (bestuurlijk rapport or nota van bevindingen) is a list of chapters whose text is
Markdown with ``{{kind:id}}`` references to the dossier's evidence (``reports.resolve``). Saving a
version stores the chapters as they are, with their hash, in an append-only table: a version
is never changed, so a frozen one (for wederhoor or publication) is exactly what was sent out.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.append_only import AppendOnlyModel


class Report(models.Model):
    class Kind(models.TextChoices):
        BESTUURLIJK = "bestuurlijk_rapport", _("administrative report (bestuurlijk rapport)")
        NOTA = "nota_van_bevindingen", _("memorandum of findings (nota van bevindingen)")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("fictional demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.title


class Chapter(models.Model):
    class Kind(models.TextChoices):
        FRONT = "front", _("unnumbered (e.g. summary)")
        CHAPTER = "chapter", _("numbered chapter")
        ANNEX = "annex", _("annex")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="chapters")
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CHAPTER)
    text = models.TextField(_("text (Markdown)"), blank=True)

    class Meta:
        ordering = ["report", "position"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="reports_chapter_key_once")
        ]

    def __str__(self) -> str:
        return self.title


class ReportVersion(AppendOnlyModel):
    """The chapters of a report as saved at one moment; never changed afterwards."""

    class Purpose(models.TextChoices):
        DRAFT = "draft", _("draft")
        WEDERHOOR = "wederhoor", _("frozen for wederhoor")
        PUBLICATION = "publication", _("frozen for publication")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    # [{"key", "title", "kind", "text"}] in order: everything needed to build it again.
    chapters = models.JSONField(_("chapters"))
    sha256 = models.CharField(_("hash (SHA-256)"), max_length=64)
    # The reference problems found when it was saved (a frozen version has none).
    problems = models.JSONField(_("reference problems"), default=list)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.purpose != self.Purpose.DRAFT


class ReportTemplate(models.Model):
    """The rekenkamer's own Word template (``.docx``/``.dotx``) for a dossier's reports."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("template"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now=True)

    class Meta:
        verbose_name = _("Word template")
        verbose_name_plural = _("Word templates")

    def __str__(self) -> str:
        return self.file_name


class BuildJob(models.Model):
    """One build of a version asked for on its page (Word, PDF, HTML or the publication site),
    run in the background by ``kansenaudit worker`` (ADR 0015): what was asked, its state, and
    the file it made (kept with the job, so the page offers it until a newer build replaces it).
    """

    class Format(models.TextChoices):
        DOCX = "docx", "Word (DOCX)"
        PDF = "pdf", "PDF"
        HTML = "html", "HTML"
        BUNDLE = "bundle", _("publication site (ZIP)")

    class State(models.TextChoices):
        QUEUED = "wachtrij", _("queued")
        RUNNING = "bezig", _("running")
        DONE = "klaar", _("done")
        FAILED = "mislukt", _("failed")

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="builds")
    file_format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    message = models.TextField(_("message"), blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    content = models.BinaryField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True, default="")  # as evidence.ImportJob
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report build")
        verbose_name_plural = _("report builds")

    def __str__(self) -> str:
        return f"{self.version} {self.file_format} ({self.state})"
