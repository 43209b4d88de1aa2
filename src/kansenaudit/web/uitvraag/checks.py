# SPDX-License-Identifier: EUPL-1.2
"""Checking a returned workbook and previewing what applying it would change (reads only).

The workbook is checked against its template by :func:`kansenaudit.policy.uitvraag.read_filled`
and then against the policy register as it is now (:func:`check_against_register`).
:func:`preview` reads the stored file again and compares it with the register; the write
that follows is :func:`kansenaudit.web.uitvraag.services.apply`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext, ngettext

from kansenaudit.policy.uitvraag import (
    SHEET_MEASURES,
    SHEET_META,
    CellError,
    Change,
    MeasureRow,
    column_letters,
    diff_measures,
    name_key,
    read_filled,
)
from kansenaudit.policy.uitvraag.spec import FIELD_LABELS, N_GOALS
from kansenaudit.web.policy.models import Actor, Goal, Measure, MeasureBudget
from kansenaudit.web.uitvraag import selectors
from kansenaudit.web.uitvraag.models import ReceivedFile, UitvraagRequest


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


# Goals and the name come before the budget columns, so their letters are the same in every
# layout; the default one will do.
_LETTERS = column_letters()
_GOAL_COLUMNS = f"{_LETTERS['goal_1']}-{_LETTERS[f'goal_{N_GOALS}']}"


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
        name_key(name): name
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
                        _GOAL_COLUMNS,
                        "Doel",
                        f"het doel {goal!r} staat niet (meer) in het beleidsregister van het "
                        "dossier; het is na het versturen van het sjabloon gewijzigd of "
                        "verwijderd",
                    )
                )
        if name_key(measure.name) in manual:
            errors.append(
                _measure_error(
                    measure.row,
                    _LETTERS["name"],
                    FIELD_LABELS["name"],
                    f"de maatregel {measure.name!r} staat al in het beleidsregister als door het "
                    "auditteam ingevoerde maatregel van deze directie; hernoem of verwijder die "
                    "eerst",
                )
            )
    return errors


def check_file(request: UitvraagRequest, data: bytes) -> tuple[Any, list[CellError]]:
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
        if relation.hidden:
            # No accessor on the measure (related_name "+", as in the fieldwork sessions):
            # count from the other side.
            model = relation.related_model
            count = model._default_manager.filter(**{relation.field.name: measure}).count()
        else:
            try:
                related = getattr(measure, relation.get_accessor_name())
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
    result, errors = check_file(request, _stored_bytes(received))
    problems: list[str] = []
    if errors:
        problems.append(
            ngettext(
                "the file contains %(count)d error, so nothing is read in; correct it in the "
                "workbook and upload it again",
                "the file contains %(count)d errors, so nothing is read in; correct them in the "
                "workbook and upload it again",
                len(errors),
            )
            % {"count": len(errors)}
        )
    if received.applied_at is not None:
        problems.append(gettext("this file has been read in already"))
    latest = selectors.latest_file_id(request)
    if latest is not None and latest != received.pk:
        problems.append(gettext("a newer file was received after this one; read that one in"))
    current = selectors.current_rows(request)
    old_rows = [row for _measure, row in current]
    new_rows = result.measures if not errors else []
    changes = diff_measures(old_rows, new_rows) if not errors else []
    removed_keys = {name_key(c.measure) for c in changes if c.kind == "removed"}
    removed = []
    for measure, _row in current:
        if name_key(measure.name) in removed_keys:
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
