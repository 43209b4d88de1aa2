# SPDX-License-Identifier: EUPL-1.2
"""Areas of a municipality within one area division (indeling), keyed by official codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    STAD = "stad", _("city")
    STADSDEEL = "stadsdeel", _("district")
    GEBIED = "gebied", _("area")
    WIJK = "wijk", _("neighbourhood")
    BUURT = "buurt", _("block")


LEVEL_ORDER = [level.value for level in AreaLevel]


class Area(models.Model):
    """One area in one division (e.g. Amsterdam's 2022 division, or the demo city).

    Geometry is GeoJSON in ``crs`` (RD New, EPSG:28992, unless stated), stored as JSON so the
    application runs on plain SQLite and PostgreSQL without spatial extensions; geometry work
    happens in the data layer.
    """

    municipality_code = models.CharField(_("municipality code"), max_length=6, db_index=True)
    division = models.CharField(_("area division"), max_length=40)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    geometry = models.JSONField(_("geometry"), null=True, blank=True)
    crs = models.CharField(_("coordinate system"), max_length=20, default="EPSG:28992")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("fictional demo data"), default=False)

    class Meta:
        ordering = ["division", "level", "code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(fields=["division", "code"], name="unique_area_code")
        ]
        indexes = [models.Index(fields=["division", "level"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
