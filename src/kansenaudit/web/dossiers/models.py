# SPDX-License-Identifier: EUPL-1.2
"""An audit dossier (onderzoek) and what belongs to it directly."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.dossiers.roles import Role

municipality_code_validator = RegexValidator(
    r"^GM\d{4}$", _("Use the CBS municipality code: GM followed by four digits, e.g. GM0363.")
)


class Dossier(models.Model):
    class Status(models.TextChoices):
        VOORBEREIDING = "voorbereiding", _("preparation")
        UITVOERING = "uitvoering", _("fieldwork")
        RAPPORTAGE = "rapportage", _("reporting")
        WEDERHOOR = "wederhoor", _("review by the audited party")
        GEPUBLICEERD = "gepubliceerd", _("published")
        GEARCHIVEERD = "gearchiveerd", _("archived")

    title = models.CharField(_("title"), max_length=200)
    municipality_code = models.CharField(
        _("municipality code"), max_length=6, validators=[municipality_code_validator]
    )
    municipality_name = models.CharField(_("municipality"), max_length=100, blank=True)
    period_start = models.DateField(_("period under audit from"), null=True, blank=True)
    period_end = models.DateField(_("period under audit until"), null=True, blank=True)
    central_question = models.TextField(_("central question"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.VOORBEREIDING
    )
    is_demo = models.BooleanField(
        _("fictional demo data"),
        default=False,
        help_text=_("Marks the bundled fictional demo dossier; shown on every page and export."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="dossier_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    """A person's role in one dossier. Without a membership a dossier does not exist for them."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["dossier", "role", "user__username"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "user"], name="one_role_per_dossier")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class SubQuestion(models.Model):
    """A deelvraag with the approach (instruments) that answers it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="sub_questions")
    number = models.PositiveSmallIntegerField(_("number"))
    question = models.TextField(_("sub-question"))
    approach = models.TextField(_("approach"), blank=True)

    class Meta:
        ordering = ["dossier", "number"]
        verbose_name = _("sub-question")
        verbose_name_plural = _("sub-questions")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="unique_subquestion_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.question[:60]}"


class Milestone(models.Model):
    """A planning milestone (start, nota van bevindingen, wederhoor, publication …)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("planned date"))
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["dossier", "due_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.due_date}: {self.title}"


class PolicyEvent(models.Model):
    """An entry on the policy timeline of the municipality under audit."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="policy_events")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["dossier", "date", "id"]
        verbose_name = _("policy event")
        verbose_name_plural = _("policy timeline")

    def __str__(self) -> str:
        return f"{self.date:%Y}: {self.title}"


class Comment(models.Model):
    """A review note on a dossier. Notes are added, never edited."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review note")
        verbose_name_plural = _("review notes")

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"
