# SPDX-License-Identifier: EUPL-1.2
"""The request's workbook: built from the register, versioned when the register changed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.policy.uitvraag import build_template, template_checksum
from kansenaudit.web.core.services import audit_record, snapshot
from kansenaudit.web.uitvraag import selectors
from kansenaudit.web.uitvraag.models import UitvraagRequest
from kansenaudit.web.uitvraag.services._common import Status, UitvraagError, user_and_label


def _next_version(version: str) -> str:
    try:
        return str(int(version) + 1)
    except ValueError:
        return f"{version}.1"[:32]


@dataclass
class Template:
    data: bytes
    file_name: str
    version: str
    new_version: bool


def template_build(
    *,
    request: UitvraagRequest,
    actor: object | None,
    refresh: bool | None = None,
    actor_label: str | None = None,
) -> Template:
    """The request's workbook.

    With ``refresh`` (the default while the request is a draft, and always for the first
    template) the lists are taken from the register as it is now; when they differ from the
    template made before, the template version goes up, so that a file filled in on the old
    template is recognised as such. Without it, the template as sent is produced again.
    """
    if refresh is None:
        refresh = request.status == Status.CONCEPT
    user, label = user_and_label(actor, actor_label)
    new_version = False
    if refresh or not request.template_spec:
        spec = selectors.register_spec(request)
        if not spec["goals"]:
            raise UitvraagError(
                _(
                    "The dossier has no goals yet; record the goals in the policy register "
                    "first, then the directorate can link measures to them."
                )
            )
        if spec != request.template_spec:
            with transaction.atomic():
                locked = UitvraagRequest.objects.select_for_update().get(pk=request.pk)
                before = snapshot(locked, ["template_version", "template_checksum"])
                version = locked.template_version
                if locked.template_spec:
                    version = _next_version(version)
                    new_version = True
                try:
                    checksum = template_checksum(**_spec_args(spec), template_version=version)
                except ValueError as exc:
                    raise UitvraagError(
                        _("The template cannot be made: %(error)s"), {"error": str(exc)}
                    ) from exc
                locked.template_spec = spec
                locked.template_version = version
                locked.template_checksum = checksum
                locked.save()
                request.template_spec = spec
                request.template_version = version
                request.template_checksum = checksum
                audit_record(
                    actor=user,
                    actor_label=label,
                    action="uitvraag.template",
                    dossier=request.dossier,
                    target=request,
                    summary=f"Sjabloon versie {version} voor directie {request.directie.name}",
                    before=before,
                    after={
                        "template_version": version,
                        "template_checksum": checksum,
                        "goals": len(spec["goals"]),
                        "target_groups": len(spec["target_groups"]),
                        "budget_years": spec["budget_years"],
                    },
                )
    spec = request.template_spec
    try:
        data = build_template(
            **_spec_args(spec),
            template_version=request.template_version,
            deadline=request.deadline,
            contact=request.contact,
            municipality=request.dossier.municipality_name,
        )
    except ValueError as exc:
        raise UitvraagError(
            _("The template cannot be made: %(error)s"), {"error": str(exc)}
        ) from exc
    slug = re.sub(r"[^A-Za-z0-9]+", "-", request.directie.name).strip("-").lower() or "directie"
    return Template(
        data=data,
        file_name=f"uitvraag-{slug}-v{request.template_version}.xlsx",
        version=request.template_version,
        new_version=new_version,
    )


def _spec_args(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "dossier_title": spec["dossier_title"],
        "directie": spec["directie"],
        "goals": list(spec["goals"]),
        "target_groups": list(spec["target_groups"]),
        "domains": list(spec["domains"]),
        "budget_years": tuple(spec["budget_years"]),
    }
