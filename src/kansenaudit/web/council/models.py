# SPDX-License-Identifier: EUPL-1.2
"""Information to the council (deelvraag 5): which council documents report what, and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InformationItem(models.Model):
    """A council document of the evidence store, registered as information to the council.

    It records which goals, measures and indicators the document reports on, whether it reports
    on outputs (what was done) or on effects (what it achieved), and when the council got it.
    Its quality is judged with the ``raadsinformatie`` framework of the judgements app.
    """

    class Reports(models.TextChoices):
        OUTPUTS = "outputs", _("outputs (what was done)")
        EFFECTEN = "effecten", _("effects (what was achieved)")
        BEIDE = "beide", _("outputs and effects")
        GEEN = "geen", _("neither (plans or intentions only)")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(
        "evidence.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="information_items",
    )
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date sent to the council"))
    reports_on = models.CharField(_("reports on"), max_length=20, choices=Reports.choices)
    goals = models.ManyToManyField(
        "policy.Goal", verbose_name=_("goals"), blank=True, related_name="information_items"
    )
    measures = models.ManyToManyField(
        "policy.Measure", verbose_name=_("measures"), blank=True, related_name="information_items"
    )
    indicators = models.ManyToManyField(
        "policy.Indicator",
        verbose_name=_("indicators"),
        blank=True,
        related_name="information_items",
    )
    note = models.TextField(_("note"), blank=True)
    is_demo = models.BooleanField(_("fictional demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["date", "title", "id"]
        verbose_name = _("information item")
        verbose_name_plural = _("information items")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "document"], name="council_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.title}"
