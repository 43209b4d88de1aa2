# SPDX-License-Identifier: EUPL-1.2
"""The evidence store of a dossier: documents, their pages of canonical text, and citations.

Invariant: a page's ``text`` is the canonical plain text of :mod:`kansenaudit.ingest.canonical`
and never changes in place; citations point into it with code-point offsets. Re-ingesting a
document replaces its pages in one transaction and re-checks every citation against the new text
(:func:`kansenaudit.web.evidence.services.citations_recheck`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    class Issuer(models.TextChoices):
        COLLEGE = "college", _("municipal executive (college)")
        RAAD = "raad", _("municipal council (raad)")
        DIRECTIE = "directie", _("directorate")
        PARTNER = "partner", _("partner organisation")
        RIJK = "rijk", _("central government")
        ANDERS = "anders", _("other")
        ONBEKEND = "onbekend", _("unknown")

    class DocType(models.TextChoices):
        COALITIEAKKOORD = "coalitieakkoord", _("coalition agreement")
        BELEIDSNOTA = "beleidsnota", _("policy paper")
        RAADSVOORSTEL = "raadsvoorstel", _("council proposal")
        RAADSBRIEF = "raadsbrief", _("letter to the council")
        BEGROTING = "begroting", _("budget")
        JAARVERSLAG = "jaarverslag", _("annual report")
        VOORTGANGSRAPPORTAGE = "voortgangsrapportage", _("progress report")
        UITVRAAG_ANTWOORD = "uitvraag-antwoord", _("answer to the inventory request")
        MOTIE = "motie", _("motion")
        BESLUITENLIJST = "besluitenlijst", _("list of decisions")
        ONDERZOEK = "onderzoek", _("research report")
        WETTEKST = "wettekst", _("legislation")
        ANDERS = "anders", _("other")

    class Status(models.TextChoices):
        CONCEPT = "concept", _("draft")
        VASTGESTELD = "vastgesteld", _("adopted")
        ONBEKEND = "onbekend", _("unknown")

    class Confidentiality(models.TextChoices):
        OPENBAAR = "openbaar", _("public")
        VERTROUWELIJK = "vertrouwelijk", _("confidential")
        GEHEIM = "geheim", _("secret")

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=500)
    date = models.DateField(_("date"), null=True, blank=True)
    issuer = models.CharField(
        _("issuer"), max_length=20, choices=Issuer.choices, default=Issuer.ONBEKEND
    )
    issuer_name = models.CharField(_("issuer (name)"), max_length=200, blank=True)
    doc_type = models.CharField(
        _("document type"), max_length=30, choices=DocType.choices, default=DocType.ANDERS
    )
    status = models.CharField(
        _("formal status"), max_length=20, choices=Status.choices, default=Status.ONBEKEND
    )
    status_date = models.DateField(_("date of adoption"), null=True, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.OPENBAAR,
    )
    language = models.CharField(_("language"), max_length=8, default="nld")
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=20)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    page_count = models.PositiveIntegerField(_("pages"))
    ocr_pages = models.PositiveIntegerField(_("pages read by OCR"), default=0)
    stored_path = models.CharField(_("stored file"), max_length=500, blank=True)
    provenance = models.JSONField(_("provenance"), default=dict, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    is_demo = models.BooleanField(_("fictional demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-date", "title", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            # The same file is stored once per dossier: a duplicate is recognised, not stored.
            models.UniqueConstraint(fields=["dossier", "sha256"], name="evidence_document_once")
        ]
        indexes = [models.Index(fields=["dossier", "doc_type", "issuer", "date"])]

    def __str__(self) -> str:
        return self.title


class Page(models.Model):
    """One page of canonical text (see the module docstring for the invariant)."""

    class Method(models.TextChoices):
        TEXT = "text", _("text layer")
        OCR = "ocr", _("OCR")
        NONE = "none", _("no text")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(_("page"))
    text = models.TextField(_("text"), blank=True)
    text_sha256 = models.CharField(max_length=64)
    method = models.CharField(max_length=8, choices=Method.choices, default=Method.TEXT)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="evidence_page_once")
        ]

    def __str__(self) -> str:
        return f"{self.document} p. {self.number}"


class Citation(models.Model):
    """A passage of a page: the object judgements, findings and network links point at."""

    class State(models.TextChoices):
        VALID = "geldig", _("valid")
        MOVED = "verschoven", _("moved (same quote elsewhere on the page)")
        CHANGED = "gewijzigd", _("text changed")

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="citations"
    )
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="citations")
    page_number = models.PositiveIntegerField(_("page"))
    start = models.PositiveIntegerField(_("start (character)"))
    end = models.PositiveIntegerField(_("end (character)"))
    quote = models.TextField(_("quote"))
    quote_sha256 = models.CharField(max_length=64)
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.VALID)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set when an assessor cites for their own assessment of a judgement. While that judgement
    # is blind (waits for an assessment) only the citation's author sees it; afterwards it is an
    # ordinary citation of the dossier. Every list reads citations through
    # ``selectors.citations_visible_to``, which applies this rule (docs/judgements.md).
    held_for = models.ForeignKey(
        "judgements.Judgement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_citations",
        verbose_name=_("cited for the assessment of"),
    )

    class Meta:
        ordering = ["document", "page_number", "start"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="evidence_citation_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} p. {self.page_number}: “{self.quote[:60]}”"


class Term(models.Model):
    """A term whose usage the dossier follows (kansengelijkheid, gelijke kansen, …)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(_("term"), max_length=100)

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "term"], name="evidence_term_once")
        ]

    def __str__(self) -> str:
        return self.term


class TermDefinition(models.Model):
    """A passage marked as the definition of a term in a document (the definitions register)."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="definitions")
    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, related_name="definitions")
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["term", "created_at"]
        verbose_name = _("definition")
        verbose_name_plural = _("definitions")

    def __str__(self) -> str:
        return f"{self.term}: {self.citation}"


class ImportJob(models.Model):
    """One uploaded file waiting for, or done with, extraction outside the web request."""

    class State(models.TextChoices):
        QUEUED = "wachtrij", _("queued")
        RUNNING = "bezig", _("running")
        DONE = "klaar", _("done")
        DUPLICATE = "dubbel", _("already stored")
        FAILED = "mislukt", _("failed")

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="import_jobs"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    staged_path = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    message = models.TextField(_("message"), blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL)
    # Set for a re-read: the document whose pages the file replaces (see document_reingest).
    reread = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="reread_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When reading last began, and how often: a run cut off by a stopped server is retried once.
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The process that claimed it (processes.identity): a job whose process died is taken up
    # again when a worker starts, without waiting for the time limit.
    worker = models.CharField(max_length=200, blank=True, default="")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.state})"


class CouncilPull(models.Model):
    """A search of OpenBesluitvorming asked for in the web interface, run in the background:
    the council documents found are stored with their provenance, as by
    ``kansenaudit evidence pull-council``."""

    class State(models.TextChoices):
        QUEUED = "wachtrij", _("queued")
        RUNNING = "bezig", _("running")
        DONE = "klaar", _("done")
        FAILED = "mislukt", _("failed")

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="council_pulls"
    )
    municipality = models.CharField(_("municipality"), max_length=100)
    query = models.CharField(_("search words"), max_length=200)
    since = models.DateField(_("from"), null=True, blank=True)
    max_results = models.PositiveSmallIntegerField(_("at most"), default=25)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    message = models.TextField(_("message"), blank=True)
    # What was found: how many documents were added, skipped (already stored) and failed.
    added = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True, default="")  # as ImportJob.worker
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("council document search")
        verbose_name_plural = _("council document searches")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.query} ({self.state})"
