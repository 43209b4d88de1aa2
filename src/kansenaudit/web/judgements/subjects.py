# SPDX-License-Identifier: EUPL-1.2
"""What each framework's judgements are about: the subject kinds and how to find them.

A shipped framework has a fixed subject kind (the analysis model judges a directie's policy,
the effectladder a measure, …). A framework a dossier adds itself names its kind when it is
imported. Subjects always belong to the judgement's dossier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import QuerySet


@dataclass(frozen=True)
class SubjectKind:
    """A kind of subject: the model, an optional filter, and its Dutch name."""

    key: str
    model: str  # "app_label.ModelName"
    label: str
    filters: dict[str, object] = field(default_factory=dict)

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def queryset(self, dossier: object) -> QuerySet:
        """Every subject of this kind in ``dossier``."""
        return self.model_class().objects.filter(dossier=dossier, **self.filters)

    def accepts(self, obj: models.Model) -> bool:
        """Whether ``obj`` is of this kind (model and filter), whatever its dossier."""
        if obj._meta.label != self.model:
            return False
        for name, value in self.filters.items():
            if name.endswith("__in"):
                if getattr(obj, name.removesuffix("__in")) not in value:
                    return False
            elif getattr(obj, name) != value:
                return False
        return True


SUBJECT_KINDS: dict[str, SubjectKind] = {
    kind.key: kind
    for kind in (
        # The analysis model judges a directie's policy, and the city-wide policy of the
        # college (C1 and C2 ask whether there is overarching, formally adopted policy).
        SubjectKind(
            "directie",
            "policy.Actor",
            "beleid van het college of een directie",
            {"kind__in": ("directie", "college")},
        ),
        SubjectKind("maatregel", "policy.Measure", "maatregel"),
        SubjectKind("doel", "policy.Goal", "doel"),
        SubjectKind("indicator", "policy.Indicator", "indicator"),
        SubjectKind("raadsinformatie", "council.InformationItem", "raadsinformatie"),
    )
}

# The subject kind of each shipped framework (kansenaudit.policy.frameworks).
SHIPPED_SUBJECT_KIND: dict[str, str] = {
    "analysemodel": "directie",
    "effectladder": "maatregel",
    "smart": "doel",
    "indicatorkwaliteit": "indicator",
    "raadsinformatie": "raadsinformatie",
}


def subject_in_dossier(kind: SubjectKind, dossier: object, object_id: int) -> models.Model | None:
    """The subject of ``kind`` with ``object_id`` in ``dossier``; None when there is none."""
    return kind.queryset(dossier).filter(pk=object_id).first()
