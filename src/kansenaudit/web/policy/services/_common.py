# SPDX-License-Identifier: EUPL-1.2
"""What every part of the policy register shares: the error, input checks and deleting.

Input checks turn form or file values into clean values or refuse with a Dutch
:class:`PolicyError`; :func:`_delete` removes a register entry with its evidence links, or
refuses while :func:`references` still finds something pointing at it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.policy.models import EvidenceLink
from kansenaudit.web.policy.selectors import dossier_id_of as _dossier_id_of

MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_AMOUNT = Decimal("999999999999.99")

# Reverse relations whose rows belong to the element and go with it when it is deleted; any
# other reference (a sub-goal, a measure serving a goal, a council item …) blocks the delete.
OWNED_RELATIONS = {"budgets", "theory_steps", "theory_links", "values", "links_out", "links_in"}


# A field label: a gettext_lazy msgid (or plain text), rendered when the message is shown.
Label = str | Promise


class PolicyError(ServiceError):
    """A change the register refuses; ``str(exc)`` is the sentence to show (active language)."""


# --- Checking input ---------------------------------------------------------------------------


# The ``label``/``what`` arguments name the field in the message; callers pass a gettext_lazy
# msgid, so the field is named in the language the message is shown in.


def _same_dossier(item: models.Model | None, dossier: models.Model, what: Label) -> None:
    if item is not None and _dossier_id_of(item) != dossier.pk:
        raise PolicyError(_("%(what)s does not belong to this dossier."), {"what": what})


def _all_same_dossier(items: Iterable[models.Model], dossier: models.Model, what: Label) -> list:
    items = list(items or [])
    for item in items:
        if item is not None and _dossier_id_of(item) != dossier.pk:
            raise PolicyError(
                _("%(what)s “%(item)s” does not belong to this dossier."),
                {"what": what, "item": item},
            )
    return items


def _text(value: object, label: Label, max_length: int = 0, *, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise PolicyError(_("%(label)s is required."), {"label": label})
    if max_length and len(text) > max_length:
        raise PolicyError(
            _("%(label)s is too long (at most %(max)s characters)."),
            {"label": label, "max": max_length},
        )
    return text


def _choice(
    value: object, choices: type[models.TextChoices], label: Label, *, blank: bool = False
) -> str:
    text = "" if value is None else str(value).strip()
    if blank and not text:
        return ""
    if text not in choices.values:
        allowed = ", ".join(choices.values)
        raise PolicyError(
            _("%(label)s: unknown value “%(value)s” (choose from %(allowed)s)."),
            {"label": label, "value": text, "allowed": allowed},
        )
    return text


_YEAR = _("year")


def _year(value: object, label: Label = _YEAR) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise PolicyError(
            _("%(label)s: “%(value)s” is not a year."), {"label": label, "value": value}
        ) from exc
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PolicyError(
            _("%(label)s: %(year)s is not between %(min)s and %(max)s."),
            {"label": label, "year": year, "min": MIN_YEAR, "max": MAX_YEAR},
        )
    return year


def _date(value: object, label: Label) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise PolicyError(
            _("%(label)s: “%(value)s” is not a date (yyyy-mm-dd)."),
            {"label": label, "value": value},
        ) from exc


def _whole(value: object, label: Label, low: int = 0, high: int | None = None) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise PolicyError(
            _("%(label)s: “%(value)s” is not a whole number."), {"label": label, "value": value}
        ) from exc
    if number < low or (high is not None and number > high):
        params = {"label": label, "number": number, "low": low, "high": high}
        if high is not None:
            raise PolicyError(
                _("%(label)s: %(number)s must be between %(low)s and %(high)s."), params
            )
        raise PolicyError(_("%(label)s: %(number)s must be %(low)s or more."), params)
    return number


def _amount(value: object, label: Label) -> Decimal:
    not_amount = _("%(label)s: “%(value)s” is not an amount.")
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise PolicyError(not_amount, {"label": label, "value": value}) from exc
    if not amount.is_finite():
        raise PolicyError(not_amount, {"label": label, "value": value})
    if amount < 0:
        raise PolicyError(_("%(label)s: a budget cannot be negative."), {"label": label})
    if amount > MAX_AMOUNT:
        raise PolicyError(_("%(label)s: amount too large."), {"label": label})
    return amount.quantize(Decimal("0.01"))


def _number(value: object, label: Label) -> float:
    params = {"label": label, "value": value}
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError) as exc:
        raise PolicyError(_("%(label)s: “%(value)s” is not a number."), params) from exc
    if not math.isfinite(number):
        raise PolicyError(_("%(label)s: “%(value)s” is not a finite number."), params)
    return number


def _domains(value: object) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        raise PolicyError(_("domains: give a list of words."))
    return [str(v).strip()[:100] for v in value if str(v).strip()]


def _demo(dossier: models.Model) -> bool:
    return bool(getattr(dossier, "is_demo", False))


def _user(actor: object | None) -> object | None:
    return (
        actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
    )


def _label(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


# --- Deleting ---------------------------------------------------------------------------------


def references(item: models.Model) -> list[str]:
    """What still points at ``item`` (other than its own parts), e.g. ``["2 doelen"]``."""
    found = []
    for rel in item._meta.related_objects:
        if getattr(rel, "hidden", False) or not rel.get_accessor_name():
            continue
        accessor = rel.get_accessor_name()
        if accessor in OWNED_RELATIONS and rel.related_model._meta.app_label == "policy":
            continue
        if rel.one_to_one:
            count = int(rel.related_model.objects.filter(**{rel.field.name: item}).exists())
        else:
            count = getattr(item, accessor).count()
        if count:
            meta = rel.related_model._meta
            name = meta.verbose_name if count == 1 else meta.verbose_name_plural
            found.append(f"{count} {name}")
    return found


def _evidence_of(subjects: Iterable[models.Model]) -> models.QuerySet[EvidenceLink]:
    query = models.Q(pk__in=[])
    for subject in subjects:
        query |= models.Q(
            content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
        )
    return EvidenceLink.objects.filter(query)


def _delete(
    item: models.Model,
    *,
    parts: Iterable[models.Model] = (),
    dossier: models.Model,
    action: str,
    summary: str,
    before: dict[str, Any],
    actor: object | None,
    actor_label: str | None,
) -> None:
    """Delete ``item`` and the evidence links of it and its ``parts``, or refuse when in use."""
    used = references(item)
    if used:
        raise PolicyError(
            _(
                "“%(item)s” was not deleted: it is still used by %(used)s. "
                "Remove those references first."
            ),
            {"item": item, "used": ", ".join(used)},
        )
    with transaction.atomic():
        links = _evidence_of([item, *parts])
        before = {**before, "evidence": sorted(links.values_list("citation_id", flat=True))}
        pk = item.pk
        links.delete()
        try:
            item.delete()
        except (ProtectedError, RestrictedError) as exc:
            names = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
            raise PolicyError(
                _("“%(item)s” was not deleted: it is still used by %(used)s."),
                {"item": item, "used": ", ".join(names)},
            ) from exc
        # Logged last: the chain lock is held from here to the commit (core.services).
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action=action,
            dossier=dossier,
            target=item,
            target_pk=pk,
            summary=summary[:500],
            before=before,
        )
