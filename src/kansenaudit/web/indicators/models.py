# SPDX-License-Identifier: EUPL-1.2
"""Indicators and their values: the tidy long table the statistics engine reads."""

from django.db import models
from django.utils.translation import gettext_lazy as _

TOTAL_GROUP = "totaal"


class Indicator(models.Model):
    class Polarity(models.IntegerChoices):
        HIGHER_IS_BETTER = 1, _("higher is better")
        NEUTRAL = 0, _("neutral")
        HIGHER_IS_WORSE = -1, _("higher is worse")

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    domain = models.CharField(_("domain"), max_length=40, db_index=True)
    unit = models.CharField(_("unit"), max_length=20)
    polarity = models.SmallIntegerField(_("polarity"), choices=Polarity.choices)
    definition = models.TextField(_("definition"), blank=True)
    min_n = models.PositiveIntegerField(_("minimum n for publication"), default=10)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("fictional demo data"), default=False)

    class Meta:
        ordering = ["domain", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """One value: indicator × area × group × period, with its base and provenance."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="values")
    group = models.CharField(_("group"), max_length=80, default=TOTAL_GROUP)
    period = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"), null=True, blank=True)
    n = models.PositiveIntegerField(_("n"), null=True, blank=True)
    numerator = models.PositiveIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("denominator"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    release = models.CharField(_("release"), max_length=40, blank=True)
    is_prognosis = models.BooleanField(_("prognosis"), default=False)
    flags = models.JSONField(_("flags"), default=list, blank=True)

    class Meta:
        ordering = ["indicator", "area", "group", "period"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "group", "period", "release"],
                name="unique_indicator_value",
            )
        ]
        indexes = [models.Index(fields=["indicator", "period", "group"])]

    def __str__(self) -> str:
        return f"{self.indicator.key} {self.area.code} {self.group} {self.period}: {self.value}"
