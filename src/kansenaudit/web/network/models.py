# SPDX-License-Identifier: EUPL-1.2
"""Network maps of a dossier: the organisation map and a map per measure, in versions.

A map (:class:`NetworkMap`) holds its actors (:class:`MapActor`, an actor of the policy register
with the Net-Map attributes influence and stance, and a saved position) and its typed, directed
ties (:class:`Tie`), each resting on citations of the evidence store (:class:`TieEvidence`).
Versions of a map are maps with the same subject and another version label.

Extension point (coded fieldwork segments as evidence): ``TieEvidence`` is the one place a tie's
support is stored. A coded segment becomes evidence by a nullable ``segment`` foreign key next to
``citation`` (with a check that exactly one of the two is set), read by
``selectors.evidence_of_ties``; nothing else needs to change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kansenaudit.network.graph import STANCES, TIE_KINDS


class NetworkMap(models.Model):
    """One version of the organisation map (``measure`` empty) or of a measure's map."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey(
        "policy.Measure",
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_maps",
    )
    version = models.CharField(_("version"), max_length=40)
    as_of = models.DateField(_("situation on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("fictional demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["measure__name", "as_of", "version", "id"]
        verbose_name = _("network map")
        verbose_name_plural = _("network maps")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "version"],
                condition=models.Q(measure__isnull=True),
                name="network_org_map_version_once",
            ),
            models.UniqueConstraint(
                fields=["dossier", "measure", "version"],
                condition=models.Q(measure__isnull=False),
                name="network_measure_map_version_once",
            ),
        ]

    def __str__(self) -> str:
        subject = self.measure.name if self.measure_id else _("organisation")
        return f"{subject} ({self.version})"

    @property
    def is_organisation_map(self) -> bool:
        return self.measure_id is None


class MapActor(models.Model):
    """An actor of the register on a map, with its Net-Map attributes and saved position."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", _("supports the goal")
        NEUTRAL = "neutral", _("neutral")
        OPPOSES = "opposes", _("works against the goal")
        UNKNOWN = "unknown", _("unknown")

    network_map = models.ForeignKey(NetworkMap, on_delete=models.CASCADE, related_name="members")
    actor = models.ForeignKey(
        "policy.Actor", on_delete=models.PROTECT, related_name="network_memberships"
    )
    influence = models.PositiveSmallIntegerField(_("influence (0–10)"), null=True, blank=True)
    stance = models.CharField(
        _("stance towards the goal"), max_length=10, choices=Stance.choices, default="unknown"
    )
    executes = models.BooleanField(_("carries out the measure"), default=False)
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["network_map", "actor__kind", "actor__name"]
        verbose_name = _("actor on a map")
        verbose_name_plural = _("actors on maps")
        constraints = [
            models.UniqueConstraint(fields=["network_map", "actor"], name="network_member_once"),
            models.CheckConstraint(
                condition=models.Q(influence__isnull=True) | models.Q(influence__lte=10),
                name="network_influence_in_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.actor)


if tuple(MapActor.Stance.values) != STANCES:  # the plain layer and the model must agree
    raise ImportError("MapActor.Stance differs from kansenaudit.network.graph.STANCES")


class Tie(models.Model):
    """A typed, directed tie between two actors on a map."""

    class Kind(models.TextChoices):
        MONEY = "money", _("money")
        MANDATE = "mandate", _("mandate or assignment")
        ACCOUNTABILITY = "accountability", _("accountability and reporting")
        INFORMATION = "information", _("information")
        KNOWLEDGE = "knowledge", _("knowledge")
        COLLABORATION = "collaboration", _("collaboration")

    network_map = models.ForeignKey(NetworkMap, on_delete=models.CASCADE, related_name="ties")
    source = models.ForeignKey(
        "policy.Actor", verbose_name=_("from"), on_delete=models.PROTECT, related_name="ties_out"
    )
    target = models.ForeignKey(
        "policy.Actor", verbose_name=_("to"), on_delete=models.PROTECT, related_name="ties_in"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    start = models.DateField(_("from date"), null=True, blank=True)
    end = models.DateField(_("until date"), null=True, blank=True)
    strength = models.PositiveSmallIntegerField(_("strength (1–5)"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount (euro)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    budget = models.ForeignKey(
        "policy.MeasureBudget",
        verbose_name=_("budget line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_ties",
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["network_map", "kind", "source__name", "target__name", "id"]
        verbose_name = _("network tie")
        verbose_name_plural = _("network ties")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="network_tie_not_to_itself"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="network_tie_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(kind="money"),
                name="network_tie_amount_only_money",
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="network_tie_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(strength__isnull=True)
                | models.Q(strength__gte=1, strength__lte=5),
                name="network_tie_strength_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.kind})"


if tuple(Tie.Kind.values) != TIE_KINDS:
    raise ImportError("Tie.Kind differs from kansenaudit.network.graph.TIE_KINDS")


class TieEvidence(models.Model):
    """A citation of the evidence store that supports a tie."""

    tie = models.ForeignKey(Tie, on_delete=models.CASCADE, related_name="evidence")
    citation = models.ForeignKey(
        "evidence.Citation", on_delete=models.PROTECT, related_name="network_ties"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tie", "created_at", "id"]
        verbose_name = _("evidence of a tie")
        verbose_name_plural = _("evidence of ties")
        constraints = [
            models.UniqueConstraint(fields=["tie", "citation"], name="network_evidence_once")
        ]

    def __str__(self) -> str:
        return f"{self.tie} ← {self.citation}"
