"""Changing inventory requests. Each function validates, writes in one transaction and logs.

The workflow: :func:`request_create` (the directorate is added to the actor register when it
is not there yet) → :func:`template_build` (the workbook, whose lists, version and checksum the
request keeps) → :func:`status_set` to *verstuurd* → :func:`receive` a returned file (stored with
its SHA-256 and every error; nothing in the register changes) → :func:`preview` what it would
change → :func:`apply` it, all or nothing, only when the whole file is valid. A directorate
contact without an account uses a personal link (:func:`token_create`, :func:`token_verify`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone

from kansenaudit.policy.uitvraag import (
    DEFAULT_BUDGET_YEARS,
    MAX_BYTES,
    SHEET_MEASURES,
    SHEET_META,
    CellError,
    Change,
    MeasureRow,
    build_template,
    diff_measures,
    read_filled,
    template_checksum,
)
from kansenaudit.web.core.services import audit_record, snapshot
from kansenaudit.web.policy.models import Actor, Goal, Measure, MeasureBudget
from kansenaudit.web.uitvraag import selectors
from kansenaudit.web.uitvraag.models import (
    AccessToken,
    ReceivedFile,
    Reminder,
    StatusChange,
    UitvraagRequest,
)

Status = UitvraagRequest.Status

# Used when the dossier's actor register has no target groups yet.
DEFAULT_TARGET_GROUPS = (
    "Kinderen 0-4 jaar",
    "Leerlingen basisschool",
    "Leerlingen voortgezet onderwijs",
    "Jongeren 18-27 jaar",
    "Ouders en verzorgers",
    "Huishoudens met een laag inkomen",
    "Nieuwkomers",
    "Alle inwoners",
)
# Status changes an auditor makes by hand. ONTVANGEN is entered only by receiving a valid file,
# GEACCEPTEERD also by applying one.
MANUAL_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.CONCEPT: (Status.VERSTUURD,),
    Status.VERSTUURD: (),
    Status.ONTVANGEN: (Status.TERUGGESTUURD, Status.GEACCEPTEERD),
    Status.TERUGGESTUURD: (),
    Status.GEACCEPTEERD: (Status.TERUGGESTUURD,),
}
TOKEN_DAYS_MAX = 90
# Uploads through one personal link per hour: enough to correct a file a few times.
TOKEN_UPLOADS_PER_HOUR = 20
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
REQUEST_FIELDS = ["directie", "status", "deadline", "contact", "template_version"]
MEASURE_FIELDS = [
    "name",
    "description",
    "domain",
    "reason",
    "status",
    "start",
    "end",
    "reach",
    "rationale",
    "assumptions",
    "alignment",
    "indicators_text",
    "evidence_claimed",
    "uitvraag_number",
]


class UitvraagError(ValueError):
    """A request the workflow refuses; the message is Dutch and can be shown as it is."""


# --- requests ---------------------------------------------------------------------------------


@dataclass
class RequestOutcome:
    request: UitvraagRequest
    created: bool
    directie_added: bool


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def _key(name: str) -> str:
    """How measures are matched: by name, ignoring case and spacing (as diff_measures does)."""
    return _clean(name).casefold()


def _who(actor: object | None, actor_label: str | None) -> tuple[Any, str | None]:
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor_label or (user.get_username() if user is not None else None)
    return user, label


def _transition(
    request: UitvraagRequest,
    to: str,
    *,
    actor: object | None,
    actor_label: str | None,
    note: str = "",
    events: list[dict] | None = None,
) -> None:
    """Record a status change (history row, date field, audit entry); caller holds a lock.

    With ``events`` the audit entry is appended there, for the caller to record after its last
    write (see :func:`_record_events`)."""
    from kansenaudit.web.core.services import system_actor_label

    user, label = _who(actor, actor_label)
    before = request.status
    now = timezone.now()
    request.status = to
    date_field = UitvraagRequest.STATUS_DATE_FIELD.get(to)
    if date_field:
        setattr(request, date_field, now)
    request.save()
    StatusChange.objects.create(
        request=request,
        from_status=before,
        to_status=to,
        by=user,
        by_label=(label or system_actor_label())[:150],
        note=note[:500],
    )
    event = {
        "actor": user,
        "actor_label": label,
        "action": "uitvraag.status",
        "dossier": request.dossier,
        "target": request,
        "summary": f"Uitvraag {request.directie.name}: {before} → {to}"[:500],
        "before": {"status": before},
        "after": {"status": to, "note": note[:500]},
    }
    if events is None:
        audit_record(**event)
    else:
        events.append(event)


def _record_events(events: list[dict]) -> None:
    """Record audit events collected during a transaction, in order, after its last write: on
    PostgreSQL the first event takes the chain lock until the commit (core.services)."""
    for event in events:
        audit_record(**event)


def request_create(
    *,
    dossier: object,
    directie_name: str,
    actor: object | None,
    deadline: dt.date | None = None,
    contact: str = "",
    reuse: bool = False,
    is_demo: bool = False,
    actor_label: str | None = None,
) -> RequestOutcome:
    """A request to the directorate called ``directie_name`` (status *concept*).

    The directorate is looked up in the dossier's actor register by name (case and spacing
    ignored) and added as an actor of kind directie when it is not there; the outcome says so.
    A name that belongs to another kind of actor is refused. With ``reuse`` an existing
    request to the same directorate is returned (its deadline and contact updated when given);
    without it, a second request is refused.
    """
    name = _clean(directie_name)
    if not name:
        raise UitvraagError("geef de naam van de directie")
    if len(name) > 200:
        raise UitvraagError("de naam van de directie is langer dan 200 tekens")
    if name.startswith("="):
        raise UitvraagError("de naam van de directie mag niet met '=' beginnen")
    contact = _clean(contact)
    if len(contact) > 200:
        raise UitvraagError("de contactpersoon is langer dan 200 tekens")
    user, label = _who(actor, actor_label)
    events: list[dict] = []  # recorded after the last write (_record_events)
    with transaction.atomic():
        directie = Actor.objects.filter(dossier=dossier, name__iexact=name).first()
        added = False
        if directie is not None and directie.kind != Actor.Kind.DIRECTIE:
            raise UitvraagError(
                f"'{directie.name}' staat in het actorenregister als "
                f"{directie.get_kind_display()}, niet als directie"
            )
        if directie is None:
            directie = Actor.objects.create(
                dossier=dossier,
                name=name,
                kind=Actor.Kind.DIRECTIE,
                contact=contact,
                is_demo=is_demo,
                created_by=user,
            )
            added = True
            events.append(
                {
                    "actor": user,
                    "actor_label": label,
                    "action": "policy.actor_create",
                    "dossier": dossier,
                    "target": directie,
                    "summary": f"Directie toegevoegd aan het actorenregister (uitvraag): {name}",
                    "after": snapshot(directie, ["name", "kind", "contact"]),
                }
            )
        existing = UitvraagRequest.objects.select_for_update().filter(
            dossier=dossier, directie=directie
        )
        request = existing.first()
        if request is not None:
            if not reuse:
                raise UitvraagError(f"er is al een uitvraag aan directie {directie.name}")
            before = snapshot(request, REQUEST_FIELDS)
            changed = False
            if deadline is not None and deadline != request.deadline:
                request.deadline, changed = deadline, True
            if contact and contact != request.contact:
                request.contact, changed = contact, True
            if changed:
                request.save()
                events.append(
                    {
                        "actor": user,
                        "actor_label": label,
                        "action": "uitvraag.update",
                        "dossier": dossier,
                        "target": request,
                        "summary": f"Uitvraag {directie.name} bijgewerkt",
                        "before": before,
                        "after": snapshot(request, REQUEST_FIELDS),
                    }
                )
            _record_events(events)
            return RequestOutcome(request, False, added)
        request = UitvraagRequest.objects.create(
            dossier=dossier,
            directie=directie,
            deadline=deadline,
            contact=contact,
            is_demo=is_demo,
            created_by=user,
        )
        StatusChange.objects.create(
            request=request,
            from_status="",
            to_status=Status.CONCEPT,
            by=user,
            by_label=(label or _default_label())[:150],
            note="aangemaakt",
        )
        events.append(
            {
                "actor": user,
                "actor_label": label,
                "action": "uitvraag.create",
                "dossier": dossier,
                "target": request,
                "summary": f"Uitvraag aangemaakt voor directie {directie.name}"
                + (" (nieuw in het actorenregister)" if added else ""),
                "after": snapshot(request, REQUEST_FIELDS),
            }
        )
        _record_events(events)
    return RequestOutcome(request, True, added)


def _default_label() -> str:
    from kansenaudit.web.core.services import system_actor_label

    return system_actor_label()


def request_update(
    *,
    request: UitvraagRequest,
    deadline: dt.date | None,
    contact: str,
    actor: object | None,
    actor_label: str | None = None,
) -> UitvraagRequest:
    """Change the deadline and contact person (shown in the template's instructions)."""
    contact = _clean(contact)
    if len(contact) > 200:
        raise UitvraagError("de contactpersoon is langer dan 200 tekens")
    user, label = _who(actor, actor_label)
    with transaction.atomic():
        before = snapshot(request, REQUEST_FIELDS)
        request.deadline = deadline
        request.contact = contact
        request.save()
        audit_record(
            actor=user,
            actor_label=label,
            action="uitvraag.update",
            dossier=request.dossier,
            target=request,
            summary=f"Uitvraag {request.directie.name} bijgewerkt",
            before=before,
            after=snapshot(request, REQUEST_FIELDS),
        )
    return request


# --- the template -----------------------------------------------------------------------------


def _budget_years(dossier: object) -> list[int]:
    start = getattr(dossier, "period_start", None)
    end = getattr(dossier, "period_end", None)
    if start and end and start.year <= end.year:
        # The audit period, extended to the default budget years: measures running now
        # budget the coming years too, and an audit period often ends before they do.
        last = max(end.year, DEFAULT_BUDGET_YEARS[-1])
        if last - start.year < 10:
            return list(range(start.year, last + 1))
    return list(DEFAULT_BUDGET_YEARS)


def register_spec(request: UitvraagRequest) -> dict[str, Any]:
    """What a template for this request would contain, from the register as it is now."""
    dossier = request.dossier
    goals = list(Goal.objects.filter(dossier=dossier).values_list("title", flat=True))
    groups = selectors.target_group_names(dossier) or list(DEFAULT_TARGET_GROUPS)
    return {
        "dossier_title": dossier.title,
        "directie": request.directie.name,
        "goals": goals,
        "target_groups": groups,
        "domains": list(selectors.DOMAIN_LABELS.values()),
        "budget_years": _budget_years(dossier),
    }


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
    user, label = _who(actor, actor_label)
    new_version = False
    if refresh or not request.template_spec:
        spec = register_spec(request)
        if not spec["goals"]:
            raise UitvraagError(
                "het dossier heeft nog geen doelen; leg eerst de doelen vast in het "
                "beleidsregister, dan kan de directie er maatregelen aan koppelen"
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
                    raise UitvraagError(f"het sjabloon kan niet worden gemaakt: {exc}") from exc
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
        raise UitvraagError(f"het sjabloon kan niet worden gemaakt: {exc}") from exc
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


# --- status and reminders ---------------------------------------------------------------------


def status_set(
    *,
    request: UitvraagRequest,
    to: str,
    actor: object | None,
    note: str = "",
    actor_label: str | None = None,
) -> UitvraagRequest:
    """Change the status by hand; only the transitions of :data:`MANUAL_TRANSITIONS`."""
    with transaction.atomic():
        request = UitvraagRequest.objects.select_for_update().get(pk=request.pk)
        allowed = MANUAL_TRANSITIONS.get(request.status, ())
        if to not in allowed:
            choices = ", ".join(allowed) or "geen"
            raise UitvraagError(
                f"de status kan niet van {request.status} naar {to}; mogelijk: {choices}"
            )
        if to == Status.VERSTUURD and not request.template_checksum:
            raise UitvraagError("maak eerst het sjabloon voordat u de uitvraag verstuurt")
        _transition(request, to, actor=actor, actor_label=actor_label, note=_clean(note))
    return request


def reminder_record(
    *,
    request: UitvraagRequest,
    sent_on: dt.date,
    actor: object | None,
    note: str = "",
    actor_label: str | None = None,
) -> Reminder:
    """Record that a reminder was sent (the application itself sends no e-mail)."""
    if request.status not in UitvraagRequest.AWAITING:
        raise UitvraagError("een herinnering hoort bij een verstuurde uitvraag zonder antwoord")
    if sent_on > timezone.localdate():
        raise UitvraagError("de datum van de herinnering ligt in de toekomst")
    user, label = _who(actor, actor_label)
    with transaction.atomic():
        reminder = Reminder.objects.create(
            request=request, sent_on=sent_on, note=_clean(note)[:500], created_by=user
        )
        audit_record(
            actor=user,
            actor_label=label,
            action="uitvraag.reminder",
            dossier=request.dossier,
            target=request,
            summary=f"Herinnering aan directie {request.directie.name} ({sent_on:%d-%m-%Y})",
            after={"sent_on": sent_on.isoformat(), "note": reminder.note},
        )
    return reminder


# --- receiving a file -------------------------------------------------------------------------


def _error_dict(error: CellError) -> dict[str, Any]:
    return {
        "sheet": error.sheet,
        "row": error.row,
        "column": error.column,
        "message": error.message,
    }


def _measure_error(row: int, column: str, header: str, text: str) -> CellError:
    return CellError(
        SHEET_MEASURES,
        row,
        column,
        f"Werkblad '{SHEET_MEASURES}', rij {row}, kolom {column} ({header}): {text}",
    )


def check_against_register(request: UitvraagRequest, measures: list[MeasureRow]) -> list[CellError]:
    """Problems a valid workbook can still have against the register as it is now.

    A goal on the template may since have been renamed or removed from the register, and a
    measure of the same directorate may already have been entered by hand under the same name.
    """
    errors: list[CellError] = []
    titles = set(Goal.objects.filter(dossier=request.dossier).values_list("title", flat=True))
    manual = {
        _key(name): name
        for name in Measure.objects.filter(dossier=request.dossier, owner=request.directie)
        .exclude(origin=Measure.Origin.UITVRAAG)
        .values_list("name", flat=True)
    }
    for measure in measures:
        for goal in measure.goals:
            if goal not in titles:
                errors.append(
                    _measure_error(
                        measure.row,
                        "D-F",
                        "Doel",
                        f"het doel {goal!r} staat niet (meer) in het beleidsregister van het "
                        "dossier; het is na het versturen van het sjabloon gewijzigd of "
                        "verwijderd",
                    )
                )
        if _key(measure.name) in manual:
            errors.append(
                _measure_error(
                    measure.row,
                    "B",
                    "Naam maatregel",
                    f"de maatregel {measure.name!r} staat al in het beleidsregister als door het "
                    "auditteam ingevoerde maatregel van deze directie; hernoem of verwijder die "
                    "eerst",
                )
            )
    return errors


def _check_file(request: UitvraagRequest, data: bytes) -> tuple[Any, list[CellError]]:
    result = read_filled(
        data,
        expected_version=request.template_version,
        expected_checksum=request.template_checksum,
    )
    errors = list(result.errors)
    expected = request.template_spec.get("directie", request.directie.name)
    if result.directie and result.directie != expected:
        errors.insert(
            0,
            CellError(
                SHEET_META,
                None,
                None,
                f"Werkblad '{SHEET_META}': dit bestand is voor directie {result.directie!r}, "
                f"deze uitvraag is aan directie {expected!r}",
            ),
        )
    if not errors:
        errors = check_against_register(request, result.measures)
    return result, errors


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
        raise UitvraagError("verwacht de inhoud van een bestand")
    if len(data) > MAX_BYTES:
        raise UitvraagError(
            f"het bestand is groter dan {MAX_BYTES // 2**20} MB en is niet opgeslagen"
        )
    if not request.template_checksum:
        raise UitvraagError(
            "voor deze uitvraag is nog geen sjabloon gemaakt; download eerst het sjabloon"
        )
    file_name = (file_name or "uitvraag.xlsx").replace("\\", "/").rsplit("/", 1)[-1][:255]
    result, errors = _check_file(request, data)
    user, label = _who(actor, actor_label)
    if token is not None:
        label = token_actor_label(token)
    with transaction.atomic():
        request = UitvraagRequest.objects.select_for_update().get(pk=request.pk)
        if token is not None:
            since = timezone.now() - dt.timedelta(hours=1)
            if token.files.filter(received_at__gte=since).count() >= TOKEN_UPLOADS_PER_HOUR:
                raise UitvraagError(
                    "te veel bestanden in korte tijd via deze link; probeer het over een uur "
                    "opnieuw"
                )
        received = ReceivedFile.objects.create(
            request=request,
            file_name=file_name or "uitvraag.xlsx",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            content=data,
            channel=channel,
            received_by=user,
            received_by_label=(label or _default_label())[:150],
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
                + ("geldig" if not errors else f"{len(errors)} fouten")
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
            _transition(
                request,
                Status.ONTVANGEN,
                actor=user,
                actor_label=label,
                note=f"bestand {received.file_name} (sha256 {received.sha256[:12]}…)",
            )
    return received


# --- preview and apply ------------------------------------------------------------------------


@dataclass
class RemovedMeasure:
    measure_id: int
    name: str
    blockers: list[str] = field(default_factory=list)


@dataclass
class Preview:
    """What applying a received file would do, and whether it may."""

    received: ReceivedFile
    errors: list[CellError]
    measures: list[MeasureRow]
    changes: list[Change]
    removed: list[RemovedMeasure]
    new_target_groups: list[str]
    problems: list[str]

    @property
    def can_apply(self) -> bool:
        return not self.problems


def _generic_references(measure: Measure) -> list[tuple[str, int]]:
    """Rows of any model that point at ``measure`` through a generic foreign key."""
    content_type = ContentType.objects.get_for_model(Measure)
    found = []
    for model in apps.get_models():
        for item in model._meta.private_fields:
            if not isinstance(item, GenericForeignKey):
                continue
            count = model._default_manager.filter(
                **{item.ct_field: content_type, item.fk_field: measure.pk}
            ).count()
            if count:
                found.append((str(model._meta.verbose_name_plural), count))
    return found


def _blockers(measure: Measure) -> list[str]:
    """What points at a measure, so that removing it would lose work of the audit team."""
    blockers: list[str] = []
    for relation in Measure._meta.related_objects:
        if relation.related_model is MeasureBudget:
            continue  # the budget is part of the measure as the workbook gave it
        accessor = relation.get_accessor_name()
        try:
            related = getattr(measure, accessor)
        except ObjectDoesNotExist:
            continue
        count = related.count() if hasattr(related, "count") else 1
        if count:
            name = relation.related_model._meta.verbose_name_plural
            blockers.append(f"{count} {name}")
    blockers += [f"{count} {name}" for name, count in _generic_references(measure)]
    return blockers


def _stored_bytes(received: ReceivedFile) -> bytes:
    content = ReceivedFile.objects.filter(pk=received.pk).values_list("content", flat=True).get()
    return bytes(content)


def preview(*, received: ReceivedFile) -> Preview:
    """What :func:`apply` would change, read again from the stored file and the register now."""
    request = received.request
    result, errors = _check_file(request, _stored_bytes(received))
    problems: list[str] = []
    if errors:
        problems.append(f"het bestand bevat {len(errors)} fouten; er wordt niets ingelezen")
    if received.applied_at is not None:
        problems.append("dit bestand is al ingelezen")
    latest = selectors.latest_file_id(request)
    if latest is not None and latest != received.pk:
        problems.append("na dit bestand is een nieuwer bestand ontvangen; lees dat in")
    current = selectors.current_rows(request)
    old_rows = [row for _measure, row in current]
    new_rows = result.measures if not errors else []
    changes = diff_measures(old_rows, new_rows) if not errors else []
    removed_keys = {_key(c.measure) for c in changes if c.kind == "removed"}
    removed = []
    for measure, _row in current:
        if _key(measure.name) in removed_keys:
            blockers = _blockers(measure)
            removed.append(RemovedMeasure(measure.pk, measure.name, blockers))
            if blockers:
                problems.append(
                    f"de maatregel {measure.name!r} staat niet meer in het bestand, maar kan "
                    f"niet worden verwijderd omdat er naar verwezen wordt ({', '.join(blockers)}); "
                    "neem hem weer op in het bestand of verwijder eerst die verwijzingen"
                )
    existing_groups = {
        name.casefold()
        for name in Actor.objects.filter(dossier=request.dossier).values_list("name", flat=True)
    }
    new_groups: list[str] = []
    for row in new_rows:
        for group in row.target_groups:
            if group.casefold() not in existing_groups and group not in new_groups:
                new_groups.append(group)
    return Preview(
        received=received,
        errors=errors,
        measures=new_rows,
        changes=changes,
        removed=removed,
        new_target_groups=new_groups,
        problems=problems,
    )


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
    user, label = _who(actor, actor_label)
    events: list[dict] = []  # recorded after the last write (_record_events)
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
        current = {_key(m.name): m for m, _row in selectors.current_rows(request)}
        changed_keys = {_key(c.measure) for c in plan.changes if c.kind == "changed"}
        years = list(request.template_spec.get("budget_years") or [])
        created, updated, unchanged = [], [], []
        for row in plan.measures:
            key = _key(row.name)
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
                raise UitvraagError(f"maatregel {row.name!r}: {'; '.join(exc.messages)}") from exc
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
                verb = "toegevoegd" if before is None else "bijgewerkt"
                events.append(
                    {
                        "actor": user,
                        "actor_label": label,
                        "action": "policy.measure_create"
                        if before is None
                        else "policy.measure_update",
                        "dossier": dossier,
                        "target": measure,
                        "summary": f"Maatregel {measure.name} ({request.directie.name}) {verb} "
                        "uit de uitvraag",
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
                    "actor": user,
                    "actor_label": label,
                    "action": "policy.measure_delete",
                    "dossier": dossier,
                    "target": measure,
                    "target_pk": measure.pk,  # delete() clears it
                    "summary": f"Maatregel {measure.name} ({request.directie.name}) verwijderd: "
                    "niet meer in de uitvraag",
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
            _transition(
                request,
                Status.GEACCEPTEERD,
                actor=user,
                actor_label=label,
                note=f"bestand {received.file_name} ingelezen",
                events=events,
            )
        _record_events(events)
    return ApplyOutcome(created, updated, unchanged, removed, groups_added)


# --- personal links ---------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def token_actor_label(token: AccessToken) -> str:
    who = f" ({token.label})" if token.label else ""
    return f"uitvraaglink:{token.pk}{who}"[:150]


def token_create(
    *,
    request: UitvraagRequest,
    days: int,
    actor: object | None,
    label: str = "",
    actor_label: str | None = None,
) -> tuple[AccessToken, str]:
    """A personal link valid for ``days`` days; returns the row and the token (shown once)."""
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= TOKEN_DAYS_MAX:
        raise UitvraagError(f"een link is 1 tot {TOKEN_DAYS_MAX} dagen geldig")
    label = _clean(label)
    if len(label) > 200:
        raise UitvraagError("de omschrijving is langer dan 200 tekens")
    if not request.template_checksum:
        raise UitvraagError("maak eerst het sjabloon; de link geeft de directie dat sjabloon")
    user, who = _who(actor, actor_label)
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = AccessToken.objects.create(
            request=request,
            token_hash=_hash(raw),
            label=label,
            expires_at=timezone.now() + dt.timedelta(days=days),
            created_by=user,
        )
        audit_record(
            actor=user,
            actor_label=who,
            action="uitvraag.token_create",
            dossier=request.dossier,
            target=token,
            summary=f"Persoonlijke link voor directie {request.directie.name}, {days} dagen geldig",
            after={"expires_at": token.expires_at.isoformat(), "label": label},
        )
    return token, raw


def token_revoke(
    *, token: AccessToken, actor: object | None, actor_label: str | None = None
) -> AccessToken:
    """Make a link unusable at once."""
    user, who = _who(actor, actor_label)
    with transaction.atomic():
        token = AccessToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=user,
            actor_label=who,
            action="uitvraag.token_revoke",
            dossier=token.request.dossier,
            target=token,
            summary=f"Persoonlijke link {token.pk} voor directie "
            f"{token.request.directie.name} ingetrokken",
        )
    return token


def token_verify(raw: str) -> AccessToken | None:
    """The active link for ``raw``, or None (unknown, malformed, expired or revoked alike).

    Only the token's SHA-256 is stored and looked up, so neither the database nor the timing
    of the lookup reveals anything about other tokens; the final comparison is constant-time.
    """
    if not isinstance(raw, str) or not _TOKEN_SHAPE.match(raw):
        return None
    digest = _hash(raw)
    token = (
        AccessToken.objects.select_related("request__directie", "request__dossier")
        .filter(token_hash=digest)
        .first()
    )
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if not token.is_active:
        return None
    return token
