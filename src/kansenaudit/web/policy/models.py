# SPDX-License-Identifier: EUPL-1.2
"""The policy register of a dossier: actors, goals, measures, policy theory and indicators.

One register per dossier that the uitvraag, the judgements, monitoring, council information and
(later) fieldwork and network maps all point at. Every element can cite evidence through
:class:`EvidenceLink`, a link from any policy object to a citation of the evidence store.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class _Owned(models.Model):
    """Fields every register entry has: its dossier, whether it is demo data, who made it."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    is_demo = models.BooleanField(_("fictional demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Actor(_Owned):
    """Anyone who makes, carries out or is the target of policy: one register per dossier."""

    class Kind(models.TextChoices):
        COLLEGE = "college", _("municipal executive (college)")
        RAAD = "raad", _("municipal council (raad)")
        DIRECTIE = "directie", _("directorate")
        STADSDEEL = "stadsdeel", _("city district (stadsdeel)")
        PROGRAMMA = "programma", _("programme")
        PARTNER = "partner", _("partner organisation")
        DOELGROEP = "doelgroep", _("target group")
        ANDERS = "anders", _("other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    contact = models.CharField(_("contact person"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "name"], name="policy_actor_once")
        ]

    def __str__(self) -> str:
        return self.name


class Goal(_Owned):
    """A policy goal, placed in the hierarchy coalition agreement → … → programme."""

    class Level(models.TextChoices):
        COALITIEAKKOORD = "coalitieakkoord", _("coalition agreement")
        BESTUURSOPDRACHT = "bestuursopdracht", _("executive assignment (bestuursopdracht)")
        ACTIELIJN = "actielijn", _("line of action (actielijn)")
        DIRECTIE = "directie", _("directorate")
        PROGRAMMA = "programma", _("programme")

    # Levels at which a goal is the city's own; directie and programme goals should serve one.
    CITY_LEVELS = (Level.COALITIEAKKOORD, Level.BESTUURSOPDRACHT, Level.ACTIELIJN)

    code = models.CharField(_("code"), max_length=30, blank=True)
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("serves the goal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    owner = models.ForeignKey(
        Actor,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_goals",
    )
    target_groups = models.ManyToManyField(
        Actor, verbose_name=_("target groups"), blank=True, related_name="goals_targeting"
    )
    domains = models.JSONField(_("domains"), default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code", "title", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "title"], name="policy_goal_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    @property
    def is_city_goal(self) -> bool:
        return self.level in self.CITY_LEVELS


class Measure(_Owned):
    """A policy measure (beleidsmaatregel) or programme of one directorate."""

    class Status(models.TextChoices):
        GEPLAND = "gepland", _("planned")
        LOPEND = "lopend", _("running")
        AFGEROND = "afgerond", _("completed")
        GESTOPT = "gestopt", _("stopped")

    class Origin(models.TextChoices):
        HANDMATIG = "handmatig", _("entered by the audit team")
        UITVRAAG = "uitvraag", _("inventory request (uitvraag)")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Actor,
        verbose_name=_("owner directorate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_measures",
    )
    goals = models.ManyToManyField(
        Goal, verbose_name=_("goals served"), blank=True, related_name="measures"
    )
    target_groups = models.ManyToManyField(
        Actor, verbose_name=_("target groups"), blank=True, related_name="measures_targeting"
    )
    domain = models.CharField(_("domain"), max_length=100, blank=True)
    reason = models.CharField(_("reason for selection"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    reach = models.PositiveIntegerField(_("reach (people per year)"), null=True, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    assumptions = models.TextField(_("assumptions"), blank=True)
    alignment = models.TextField(_("alignment with city policy"), blank=True)
    indicators_text = models.TextField(_("indicators (as reported)"), blank=True)
    evidence_claimed = models.TextField(_("evidence claimed"), blank=True)
    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.HANDMATIG
    )
    # The uitvraag row the measure came from (1–10), so that a re-import updates it in place.
    uitvraag_number = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["owner__name", "name", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "owner", "name"], name="policy_measure_once"
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="policy_measure_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MeasureBudget(models.Model):
    """The budget of a measure in one year, in euro."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (euro)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["measure", "year"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "year"], name="policy_budget_once"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="policy_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.year}: {self.amount}"


class TheoryStep(models.Model):
    """One element of a measure's policy theory: an activity, output, outcome or goal."""

    class Kind(models.TextChoices):
        ACTIVITEIT = "activiteit", _("activity")
        OUTPUT = "output", _("output")
        OUTCOME = "outcome", _("outcome")
        DOEL = "doel", _("goal")

    # The order of the chain: a link always goes to a later kind (or the same, for sub-steps).
    KIND_ORDER = {Kind.ACTIVITEIT: 0, Kind.OUTPUT: 1, Kind.OUTCOME: 2, Kind.DOEL: 3}

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="theory_steps")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.CharField(_("description"), max_length=500)
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="theory_steps",
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["measure", "order", "id"]
        verbose_name = _("policy theory step")
        verbose_name_plural = _("policy theory steps")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text}"


class TheoryLink(models.Model):
    """An assumed causal link between two steps, with its rationale; evidence via EvidenceLink."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="theory_links")
    source = models.ForeignKey(TheoryStep, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(TheoryStep, on_delete=models.CASCADE, related_name="links_in")
    rationale = models.TextField(_("rationale (why this leads to that)"), blank=True)

    class Meta:
        ordering = ["measure", "source__order", "target__order", "id"]
        verbose_name = _("policy theory link")
        verbose_name_plural = _("policy theory links")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="policy_link_once"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="policy_link_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.text} → {self.target.text}"


class Indicator(_Owned):
    """A monitoring indicator: from the statistics engine's catalogue, or entered by hand."""

    class Source(models.TextChoices):
        CATALOGUS = "catalogus", _("indicator catalogue (statistics)")
        HANDMATIG = "handmatig", _("entered by hand")

    class Polarity(models.TextChoices):
        HOGER_BETER = "hoger", _("higher is better")
        LAGER_BETER = "lager", _("lower is better")
        NEUTRAAL = "neutraal", _("neither")

    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.HANDMATIG
    )
    # For a catalogue indicator: its key in kansenaudit.data.catalogue and the area it is about.
    catalogue_key = models.CharField(_("catalogue indicator"), max_length=100, blank=True)
    area_code = models.CharField(_("area code"), max_length=20, blank=True)
    polarity = models.CharField(
        _("direction"), max_length=10, choices=Polarity.choices, default=Polarity.NEUTRAAL
    )
    goals = models.ManyToManyField(
        Goal, verbose_name=_("goals"), blank=True, related_name="indicators"
    )
    measures = models.ManyToManyField(
        Measure, verbose_name=_("measures"), blank=True, related_name="indicators"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "name"], name="policy_indicator_once")
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """A baseline, target or realised value of an indicator in one year, citing its source."""

    class Kind(models.TextChoices):
        NULMETING = "nulmeting", _("baseline")
        STREEFWAARDE = "streefwaarde", _("target")
        REALISATIE = "realisatie", _("realised")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    citation = models.ForeignKey(
        "evidence.Citation",
        verbose_name=_("reported in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_values",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "year", "kind"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "kind", "year"], name="policy_value_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.get_kind_display()} {self.year}: {self.value}"


# Evidence attached to a judgement's assessment or consensus belongs to the judgement: its
# history, its blindness and its sign-off. The judgements services write and remove those links;
# the policy register neither lists nor removes them.
JUDGEMENT_APP = "judgements"


class EvidenceLink(models.Model):
    """A citation of the evidence store attached to any policy object (goal, measure, link, …)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    citation = models.ForeignKey(
        "evidence.Citation", on_delete=models.PROTECT, related_name="policy_links"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["citation", "content_type", "object_id"], name="policy_evidence_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} ← {self.citation}"
