# SPDX-License-Identifier: EUPL-1.2
"""Changing the council register: register, update and remove information items.

Each function checks its input, writes in one transaction and records an audit event in the
same transaction. A council document is registered once per dossier, and an item may only
point at goals, measures and indicators of its own dossier. Error messages are meant for the
user and are Dutch (:class:`CouncilError`), as in the evidence services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.accounts.models import User
from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.services import audit_record, snapshot
from kansenaudit.web.council.models import InformationItem
from kansenaudit.web.evidence.models import Document
from kansenaudit.web.policy.models import Goal, Indicator, Measure

if TYPE_CHECKING:
    from kansenaudit.web.dossiers.models import Dossier

# The document types of the evidence store that are (usually) information to the council.
COUNCIL_DOC_TYPES: tuple[str, ...] = (
    Document.DocType.RAADSBRIEF,
    Document.DocType.RAADSVOORSTEL,
    Document.DocType.VOORTGANGSRAPPORTAGE,
    Document.DocType.JAARVERSLAG,
    Document.DocType.BEGROTING,
    Document.DocType.BESLUITENLIJST,
    Document.DocType.MOTIE,
)
_FIELDS = ["document", "title", "date", "reports_on", "note"]
_REPORTS = {choice.value for choice in InformationItem.Reports}
_LINKED = {
    "goals": (_("goal"), Goal),
    "measures": (_("measure"), Measure),
    "indicators": (_("indicator"), Indicator),
}


class CouncilError(ServiceError):
    """A user mistake; the message names the field and is meant for the user (Dutch)."""


def _state(item: InformationItem) -> dict[str, Any]:
    """The item as the audit log stores it, with the ids of its linked policy elements."""
    state = snapshot(item, _FIELDS)
    for name in _LINKED:
        state[name] = sorted(getattr(item, name).values_list("pk", flat=True))
    return state


def _check_reports_on(value: str) -> str:
    if value not in _REPORTS:
        raise CouncilError(
            _("Reports on: „%(value)s” is not a valid choice (choose from %(choices)s)."),
            {"value": value, "choices": ", ".join(sorted(_REPORTS))},
        )
    return value


def _check_title(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise CouncilError(_("Title: fill in a title."))
    if len(value) > 300:
        raise CouncilError(_("Title: at most 300 characters."))
    return value


def _in_dossier(dossier: Dossier, name: str, objects: Iterable[Any]) -> list[Any]:
    """The linked goals/measures/indicators, refusing any of another dossier."""
    label, model = _LINKED[name]
    result = []
    for obj in objects:
        if not isinstance(obj, model):
            raise CouncilError(
                _("%(Label)s: unexpected object %(object)s."),
                {"Label": str(label).capitalize(), "object": repr(obj)},
            )
        if obj.dossier_id != dossier.pk:
            raise CouncilError(
                _(
                    "%(Label)s „%(object)s” does not belong to this dossier; "
                    "choose a %(label)s from this dossier's policy register."
                ),
                {"Label": str(label).capitalize(), "object": obj, "label": label},
            )
        result.append(obj)
    return result


def item_register(
    *,
    dossier: Dossier,
    document: Document,
    reports_on: str,
    actor: object | None,
    title: str = "",
    date: dt.date | None = None,
    goals: Iterable[Goal] = (),
    measures: Iterable[Measure] = (),
    indicators: Iterable[Indicator] = (),
    note: str = "",
    is_demo: bool = False,
    actor_label: str | None = None,
) -> InformationItem:
    """Register a document of the dossier's evidence store as information to the council.

    Title and date default to the document's own; the date is required when the document has
    none (it is the date the council received the information, the axis of the timeline).
    """
    if document.dossier_id != dossier.pk:
        raise CouncilError(_("Document: this document does not belong to this dossier."))
    if InformationItem.objects.filter(dossier=dossier, document=document).exists():
        raise CouncilError(
            _("Document: „%(title)s” is already registered as council information."),
            {"title": document.title},
        )
    reports_on = _check_reports_on(reports_on)
    title = _check_title(title or document.title[:300])
    date = date or document.date
    if date is None:
        raise CouncilError(
            _("Date: the document has no date; give the date on which the council received it.")
        )
    linked = {
        "goals": _in_dossier(dossier, "goals", goals),
        "measures": _in_dossier(dossier, "measures", measures),
        "indicators": _in_dossier(dossier, "indicators", indicators),
    }
    with transaction.atomic():
        item = InformationItem.objects.create(
            dossier=dossier,
            document=document,
            title=title,
            date=date,
            reports_on=reports_on,
            note=note or "",
            is_demo=is_demo,
            created_by=actor if isinstance(actor, User) and actor.is_authenticated else None,
        )
        for name, objects in linked.items():
            getattr(item, name).set(objects)
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="council.item_register",
            dossier=dossier,
            target=item,
            summary=f"Raadsinformatie geregistreerd: {item}",
            after=_state(item),
        )
    return item


_UNCHANGED: Any = object()


def item_update(
    *,
    item: InformationItem,
    actor: object | None,
    title: str = _UNCHANGED,
    date: dt.date = _UNCHANGED,
    reports_on: str = _UNCHANGED,
    goals: Iterable[Goal] = _UNCHANGED,
    measures: Iterable[Measure] = _UNCHANGED,
    indicators: Iterable[Indicator] = _UNCHANGED,
    note: str = _UNCHANGED,
    actor_label: str | None = None,
) -> InformationItem:
    """Change an item; arguments left out stay as they are. The document itself is fixed."""
    dossier = item.dossier
    values: dict[str, Any] = {}
    if title is not _UNCHANGED:
        values["title"] = _check_title(title)
    if date is not _UNCHANGED:
        if date is None:
            raise CouncilError(
                _("Date: fill in the date on which the council received the information.")
            )
        values["date"] = date
    if reports_on is not _UNCHANGED:
        values["reports_on"] = _check_reports_on(reports_on)
    if note is not _UNCHANGED:
        values["note"] = note or ""
    linked = {
        name: _in_dossier(dossier, name, objects)
        for name, objects in (("goals", goals), ("measures", measures), ("indicators", indicators))
        if objects is not _UNCHANGED
    }
    with transaction.atomic():
        item = InformationItem.objects.select_for_update().get(pk=item.pk)
        before = _state(item)
        for name, value in values.items():
            setattr(item, name, value)
        item.save()
        for name, objects in linked.items():
            getattr(item, name).set(objects)
        after = _state(item)
        if after != before:
            audit_record(
                actor=actor,
                actor_label=actor_label,
                action="council.item_update",
                dossier=dossier,
                target=item,
                summary=f"Raadsinformatie gewijzigd: {item}",
                before=before,
                after=after,
            )
    return item


def item_remove(
    *, item: InformationItem, actor: object | None, actor_label: str | None = None
) -> None:
    """Remove an item from the register (the document stays in the evidence store)."""
    with transaction.atomic():
        before, pk, summary = _state(item), item.pk, f"Raadsinformatie verwijderd: {item}"
        item.delete()
        # Logged last: the chain lock is held from here to the commit (core.services).
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="council.item_remove",
            dossier=item.dossier,
            target=item,
            target_pk=pk,
            summary=summary,
            before=before,
        )
