# SPDX-License-Identifier: EUPL-1.2
"""A returned workbook: receive it (kept, valid or not) and apply it to the register."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansenaudit.policy.uitvraag import MAX_BYTES, CellError, MeasureRow, name_key
from kansenaudit.web.core.services import audit_record, snapshot
from kansenaudit.web.policy.models import Actor, Goal, Measure, MeasureBudget
from kansenaudit.web.uitvraag import selectors
from kansenaudit.web.uitvraag.checks import check_file, preview
from kansenaudit.web.uitvraag.models import AccessToken, ReceivedFile, UitvraagRequest
from kansenaudit.web.uitvraag.selectors import token_actor_label
from kansenaudit.web.uitvraag.services._common import (
    MEASURE_FIELDS,
    TOKEN_UPLOADS_PER_HOUR,
    Status,
    UitvraagError,
    default_actor_label,
    record_events,
    status_transition,
    user_and_label,
)


def _error_dict(error: CellError) -> dict[str, Any]:
    return {
        "sheet": error.sheet,
        "row": error.row,
        "column": error.column,
        "message": error.message,
    }


def receive(
    *,
    request: UitvraagRequest,
    data: bytes,
    file_name: str,
    actor: object | None,
    channel: str = ReceivedFile.Channel.WEB,
    token: AccessToken | None = None,
    actor_label: str | None = None,
) -> ReceivedFile:
    """Check a returned workbook and keep it, valid or not, with its SHA-256 and errors.

    A valid file moves the request to *ontvangen*; nothing in the register changes (see
    :func:`apply`). A file above the size limit is refused without being stored.
    """
    if not isinstance(data, bytes):
        raise UitvraagError(_("Expected the content of a file."))
    if len(data) > MAX_BYTES:
        raise UitvraagError(
            _("The file is larger than %(mb)s MB and has not been stored."),
            {"mb": MAX_BYTES // 2**20},
        )
    if not request.template_checksum:
        raise UitvraagError(
            _("No template has been made for this request yet; download the template first.")
        )
    file_name = (file_name or "uitvraag.xlsx").replace("\\", "/").rsplit("/", 1)[-1][:255]
    result, errors = check_file(request, data)
    user, label = user_and_label(actor, actor_label)
    if token is not None:
        label = token_actor_label(token)
    with transaction.atomic():
        request = UitvraagRequest.objects.select_for_update().get(pk=request.pk)
        if token is not None:
            since = timezone.now() - dt.timedelta(hours=1)
            if token.files.filter(received_at__gte=since).count() >= TOKEN_UPLOADS_PER_HOUR:
                raise UitvraagError(
                    _("Too many files in a short time through this link; try again in an hour.")
                )
        received = ReceivedFile.objects.create(
            request=request,
            file_name=file_name or "uitvraag.xlsx",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            content=data,
            channel=channel,
            received_by=user,
            received_by_label=(label or default_actor_label())[:150],
            via_token=token,
            template_version=result.template_version[:32],
            errors=[_error_dict(e) for e in errors],
            is_valid=not errors,
            measure_count=len(result.measures),
        )
        if token is not None:
            AccessToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        audit_record(
            actor=user,
            actor_label=label,
            action="uitvraag.receive",
            dossier=request.dossier,
            target=received,
            summary=(
                f"Uitvraag {request.directie.name}: bestand {received.file_name} ontvangen, "
                + (
                    "geldig"
                    if not errors
                    else ("1 fout" if len(errors) == 1 else f"{len(errors)} fouten")
                )
            )[:500],
            after={
                "file_name": received.file_name,
                "size": received.size,
                "sha256": received.sha256,
                "valid": received.is_valid,
                "errors": len(errors),
                "measures": received.measure_count,
                "channel": channel,
            },
        )
        if received.is_valid and request.status != Status.ONTVANGEN:
            status_transition(
                request,
                Status.ONTVANGEN,
                actor=user,
                actor_label=label,
                note=f"bestand {received.file_name} (sha256 {received.sha256[:12]}…)",
            )
    return received


@dataclass
class ApplyOutcome:
    created: list[str]
    updated: list[str]
    unchanged: list[str]
    removed: list[str]
    target_groups_added: list[str]


def _money(amount: float) -> Decimal:
    return Decimal(str(round(amount, 2))).quantize(Decimal("0.01"))


def _set_measure(measure: Measure, row: MeasureRow) -> None:
    measure.name = row.name
    measure.description = row.description
    measure.domain = selectors.DOMAIN_KEYS.get(row.domain or "", row.domain or "")
    measure.reason = row.reason or ""
    measure.status = row.status or ""
    measure.start = row.start
    measure.end = row.end
    measure.reach = row.reach
    measure.rationale = row.rationale
    measure.assumptions = row.assumptions
    measure.alignment = row.alignment
    measure.indicators_text = row.indicators
    measure.evidence_claimed = row.evidence
    measure.uitvraag_number = row.number


def apply(
    *, received: ReceivedFile, actor: object | None, actor_label: str | None = None
) -> ApplyOutcome:
    """Put a received file's measures in the register: all of them, or nothing.

    Only a file that passes every check now (workbook and register), is the newest file of its
    request and was not applied before. Measures are matched by name with the measures this
    request put in the register before; a measure that is no longer in the file is removed,
    unless something points at it (an indicator, a judgement, evidence, policy theory), in
    which case nothing is applied.
    """
    user, label = user_and_label(actor, actor_label)
    events: list[dict] = []  # recorded after the last write (record_events)
    with transaction.atomic():
        request = UitvraagRequest.objects.select_for_update().get(pk=received.request_id)
        received = ReceivedFile.objects.select_for_update().defer("content").get(pk=received.pk)
        received.request = request
        plan = preview(received=received)
        if not plan.can_apply:
            raise UitvraagError("; ".join(plan.problems))
        dossier = request.dossier
        goals = {g.title: g for g in Goal.objects.filter(dossier=dossier)}
        actors = {a.name.casefold(): a for a in Actor.objects.filter(dossier=dossier)}
        groups_added: list[str] = []
        for name in plan.new_target_groups:
            actor_row = Actor.objects.create(
                dossier=dossier,
                name=name,
                kind=Actor.Kind.DOELGROEP,
                is_demo=request.is_demo,
                created_by=user,
            )
            actors[name.casefold()] = actor_row
            groups_added.append(name)
            events.append(
                {
                    "actor": user,
                    "actor_label": label,
                    "action": "policy.actor_create",
                    "dossier": dossier,
                    "target": actor_row,
                    "summary": f"Doelgroep toegevoegd aan het actorenregister (uitvraag): {name}",
                    "after": snapshot(actor_row, ["name", "kind"]),
                }
            )
        current = {name_key(m.name): m for m, _row in selectors.current_rows(request)}
        changed_keys = {name_key(c.measure) for c in plan.changes if c.kind == "changed"}
        years = list(request.template_spec.get("budget_years") or [])
        created, updated, unchanged = [], [], []
        for row in plan.measures:
            key = name_key(row.name)
            measure = current.pop(key, None)
            if measure is None:
                measure = Measure(
                    dossier=dossier,
                    owner=request.directie,
                    origin=Measure.Origin.UITVRAAG,
                    is_demo=request.is_demo,
                    created_by=user,
                )
                created.append(row.name)
                before = None
            else:
                before = snapshot(measure, MEASURE_FIELDS)
                if key in changed_keys:
                    updated.append(row.name)
                else:
                    unchanged.append(row.name)
            _set_measure(measure, row)
            try:
                measure.full_clean(exclude=["owner", "created_by", "dossier"])
            except ValidationError as exc:
                raise UitvraagError(
                    _("Measure %(name)s: %(errors)s"),
                    {"name": repr(row.name), "errors": "; ".join(exc.messages)},
                ) from exc
            measure.save()
            measure.goals.set([goals[title] for title in row.goals])
            measure.target_groups.set([actors[name.casefold()] for name in row.target_groups])
            for year, amount in row.budget:
                if amount is None:
                    MeasureBudget.objects.filter(measure=measure, year=year).delete()
                else:
                    MeasureBudget.objects.update_or_create(
                        measure=measure, year=year, defaults={"amount": _money(amount)}
                    )
            # Years outside the template are left as they are; only the template's years came
            # in through this file.
            if before is None or key in changed_keys:
                events.append(
                    {
                        "actor": user,
                        "actor_label": label,
                        "action": "policy.measure_create"
                        if before is None
                        else "policy.measure_update",
                        "dossier": dossier,
                        "target": measure,
                        "summary": f"Maatregel {measure.name} ({request.directie.name}) "
                        + ("toegevoegd" if before is None else "bijgewerkt")
                        + " uit de uitvraag",
                        "before": before,
                        "after": {
                            **snapshot(measure, MEASURE_FIELDS),
                            "goals": list(row.goals),
                            "target_groups": list(row.target_groups),
                            "budget": {str(y): a for y, a in row.budget if y in years},
                        },
                    }
                )
        removed = []
        for measure in current.values():
            removed.append(measure.name)
            events.append(
                {
                    "target_pk": measure.pk,  # delete() clears it
                    "actor": user,
                    "actor_label": label,
                    "action": "policy.measure_delete",
                    "dossier": dossier,
                    "target": measure,
                    "summary": f"Maatregel {measure.name} ({request.directie.name}) "
                    "verwijderd: niet meer in de uitvraag",
                    "before": snapshot(measure, MEASURE_FIELDS),
                }
            )
            measure.delete()
        received.applied_at = timezone.now()
        received.applied_by = user
        received.save(update_fields=["applied_at", "applied_by"])
        events.append(
            {
                "actor": user,
                "actor_label": label,
                "action": "uitvraag.apply",
                "dossier": dossier,
                "target": received,
                "summary": (
                    f"Uitvraag {request.directie.name} ingelezen: {len(created)} nieuw, "
                    f"{len(updated)} gewijzigd, {len(removed)} verwijderd"
                ),
                "after": {
                    "sha256": received.sha256,
                    "created": created,
                    "updated": updated,
                    "unchanged": unchanged,
                    "removed": removed,
                    "target_groups_added": groups_added,
                },
            }
        )
        if request.status != Status.GEACCEPTEERD:
            status_transition(
                request,
                Status.GEACCEPTEERD,
                actor=user,
                actor_label=label,
                note=f"bestand {received.file_name} ingelezen",
                events=events,
            )
        record_events(events)
    return ApplyOutcome(created, updated, unchanged, removed, groups_added)
