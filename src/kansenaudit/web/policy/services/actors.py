# SPDX-License-Identifier: EUPL-1.2
"""Actors of the policy register: directies, stadsdelen, partners and target groups."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.services import audit_record, snapshot
from kansenaudit.web.policy.models import Actor
from kansenaudit.web.policy.services._common import (
    PolicyError,
    _choice,
    _delete,
    _demo,
    _text,
    _user,
)

ACTOR_FIELDS = ["name", "kind", "description", "contact"]


def _actor_values(dossier: models.Model, data: Mapping[str, Any], exclude: int | None) -> dict:
    name = _text(data.get("name"), _("name"), 200, required=True)
    if Actor.objects.filter(dossier=dossier, name__iexact=name).exclude(pk=exclude).exists():
        raise PolicyError(
            _("There already is an actor “%(name)s” in this dossier."), {"name": name}
        )
    return {
        "name": name,
        "kind": _choice(data.get("kind"), Actor.Kind, _("kind")),
        "description": _text(data.get("description"), _("description")),
        "contact": _text(data.get("contact"), _("contact person"), 200),
    }


def actor_create(
    *,
    dossier: models.Model,
    name: str,
    kind: str,
    description: str = "",
    contact: str = "",
    actor: object | None,
    actor_label: str | None = None,
) -> Actor:
    """Add an actor (directie, stadsdeel, partner, target group …) to the dossier's register."""
    values = _actor_values(
        dossier, {"name": name, "kind": kind, "description": description, "contact": contact}, None
    )
    with transaction.atomic():
        item = Actor.objects.create(
            dossier=dossier, is_demo=_demo(dossier), created_by=_user(actor), **values
        )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="policy.actor_create",
            dossier=dossier,
            target=item,
            summary=f"Actor toegevoegd: {item.name} ({item.get_kind_display()})",
            after=snapshot(item, ACTOR_FIELDS),
        )
    return item


def actor_update(
    *, item: Actor, actor: object | None, actor_label: str | None = None, **changes: Any
) -> Actor:
    """Change an actor; a directie that owns measures keeps its kind."""
    unknown = set(changes) - set(ACTOR_FIELDS)
    if unknown:
        raise PolicyError(_("unknown fields: %(fields)s"), {"fields": ", ".join(sorted(unknown))})
    data = {**snapshot(item, ACTOR_FIELDS), **changes}
    values = _actor_values(item.dossier, data, item.pk)
    if (
        item.kind == Actor.Kind.DIRECTIE
        and values["kind"] != Actor.Kind.DIRECTIE
        and item.owned_measures.exists()
    ):
        raise PolicyError(
            _("“%(item)s” owns measures and must therefore remain a directorate."), {"item": item}
        )
    with transaction.atomic():
        before = snapshot(item, ACTOR_FIELDS)
        for name, value in values.items():
            setattr(item, name, value)
        item.save()
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="policy.actor_update",
            dossier=item.dossier,
            target=item,
            summary=f"Actor gewijzigd: {item.name}",
            before=before,
            after=snapshot(item, ACTOR_FIELDS),
        )
    return item


def actor_delete(*, item: Actor, actor: object | None, actor_label: str | None = None) -> None:
    """Remove an actor that no goal, measure or other register entry points at."""
    _delete(
        item,
        dossier=item.dossier,
        action="policy.actor_delete",
        summary=f"Actor verwijderd: {item.name}",
        before=snapshot(item, ACTOR_FIELDS),
        actor=actor,
        actor_label=actor_label,
    )
