# SPDX-License-Identifier: EUPL-1.2
"""The assessment frameworks of a dossier: seeding, reading a framework file, editing, scores."""

from __future__ import annotations

import json
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kansenaudit import safe_json
from kansenaudit.policy import frameworks as fw_lib
from kansenaudit.policy.frameworks import Framework, FrameworkError
from kansenaudit.web.core.json_errors import json_problem
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.judgements.models import (
    Assessment,
    DossierFramework,
    Judgement,
)
from kansenaudit.web.judgements.services._common import NOT_APPLICABLE, JudgementError, _require
from kansenaudit.web.judgements.stored_frameworks import (
    framework_current,
    framework_of,
)
from kansenaudit.web.judgements.subjects import SHIPPED_SUBJECT_KIND, SUBJECT_KINDS


def framework_ensure(
    *, dossier: Any, key: str, actor: Any | None = None, actor_label: str | None = None
) -> DossierFramework:
    """The dossier's framework ``key``; a shipped framework is copied on first use."""
    record = framework_current(dossier, key)
    if record is not None:
        return record
    if key not in SHIPPED_SUBJECT_KIND:
        raise JudgementError(
            _("assessment framework %(key)s does not exist in this dossier"),
            params={"key": repr(key)},
        )
    shipped = fw_lib.framework(key)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = DossierFramework.objects.create(
                    dossier=dossier,
                    key=key,
                    version=1,
                    name=shipped.name,
                    subject_kind=SHIPPED_SUBJECT_KIND[key],
                    data=fw_lib.to_dict(shipped),
                    note="meegeleverd kader",
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
        except IntegrityError:  # copied at the same moment by another request
            # The other request's copy is what refused ours, so there is one.
            return cast(DossierFramework, framework_current(dossier, key))
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="judgements.framework_copy",
            dossier=dossier,
            target=record,
            summary=f"Beoordelingskader {shipped.name} overgenomen (versie 1)",
            after={"key": key, "version": 1},
        )
    return record


def parse_framework_json(text: str) -> dict[str, Any]:
    """Parse the JSON text of a framework; a syntax error names its line and column (Dutch)."""
    try:
        data = safe_json.loads(text)
    except safe_json.JsonNumberError as exc:  # e.g. an integer of 100,000 digits, or 1e400
        raise JudgementError(str(exc)) from exc
    except RecursionError as exc:
        raise JudgementError(
            gettext("the JSON is nested too deeply; remove the extra levels of brackets")
        ) from exc
    except json.JSONDecodeError as exc:
        raise JudgementError(json_problem(exc)) from exc
    return data


def _used_in_framework(dossier: Any, key: str) -> tuple[set[str], set[Any], bool]:
    """Criterion codes judged, scale values used, and whether "n.v.t." was used, in ``key``."""
    judgements = Judgement.objects.filter(dossier=dossier, framework_key=key)
    codes = set(judgements.values_list("criterion_code", flat=True))
    values: set[Any] = set()
    not_applicable = False
    for score, nvt in judgements.values_list("consensus_score", "consensus_not_applicable"):
        not_applicable |= nvt
        if score is not None:
            values.add(score)
    for score, nvt in Assessment.objects.filter(judgement__in=judgements).values_list(
        "score", "not_applicable"
    ):
        not_applicable |= nvt
        if score is not None:
            values.add(score)
    return codes, values, not_applicable


def framework_save(
    *,
    dossier: Any,
    data: dict[str, Any] | str,
    actor: Any | None,
    subject_kind: str | None = None,
    note: str = "",
    actor_label: str | None = None,
) -> tuple[DossierFramework, bool]:
    """Store an edited or imported framework as the next version; returns (record, created).

    ``data`` is the framework in the ``kansenaudit.framework/1`` schema (a dict or JSON text).
    It is validated by :func:`kansenaudit.policy.frameworks.from_dict`. An edit may not remove
    a criterion that has judgements, a scale value that an assessment or consensus uses, or
    "n.v.t." when it was used: existing judgements never lose their meaning silently. A new key
    adds a framework to the dossier and needs ``subject_kind``. Identical content adds nothing.

    Raises
    ------
    JudgementError
        With ``problems`` listing every problem (Dutch).
    """
    if actor is not None and getattr(actor, "is_authenticated", False):
        _require(dossier, actor, Capability.EDIT, _("Change assessment frameworks"))
    if isinstance(data, str):
        data = parse_framework_json(data)
    try:
        framework = fw_lib.from_dict(data)
    except FrameworkError as exc:
        raise JudgementError(str(exc), exc.problems) from exc
    problems: list[str] = []
    with transaction.atomic():
        current = framework_current(dossier, framework.key)
        if current is None and framework.key in SHIPPED_SUBJECT_KIND:
            current = framework_ensure(
                dossier=dossier, key=framework.key, actor=actor, actor_label=actor_label
            )
        if current is not None:
            if subject_kind and subject_kind != current.subject_kind:
                problems.append(
                    gettext("the subject cannot change: this framework assesses %(kind)s")
                    % {"kind": SUBJECT_KINDS[current.subject_kind].label}
                )
            kind = current.subject_kind
            codes, values, used_nvt = _used_in_framework(dossier, framework.key)
            missing = sorted(codes - set(framework.codes))
            if missing:
                problems.append(
                    gettext("criteria with judgements cannot disappear: %(codes)s")
                    % {"codes": ", ".join(missing)}
                )
            scale_values = set(framework.scale.values)
            gone = sorted(
                (repr(v) for v in values if v not in scale_values or isinstance(v, bool)),
            )
            if gone:
                problems.append(
                    gettext("scale values used in assessments cannot disappear: %(values)s")
                    % {"values": ", ".join(gone)}
                )
            if used_nvt and not framework.scale.not_applicable:
                problems.append(
                    gettext("'not applicable' has been used in assessments and must remain")
                )
        else:
            if not subject_kind:
                problems.append(
                    gettext("a new framework must say what it assesses: %(kinds)s")
                    % {"kinds": ", ".join(sorted(SUBJECT_KINDS))}
                )
            elif subject_kind not in SUBJECT_KINDS:
                problems.append(
                    gettext("unknown subject %(kind)s; choose from: %(kinds)s")
                    % {"kind": repr(subject_kind), "kinds": ", ".join(sorted(SUBJECT_KINDS))}
                )
            kind = subject_kind or ""
        if problems:
            raise JudgementError(
                _("Invalid assessment framework: %(problems)s"),
                problems,
                params={"problems": "; ".join(problems)},
            )
        normalised = fw_lib.to_dict(framework)
        if current is not None and current.data == normalised:
            return current, False
        version = (current.version + 1) if current is not None else 1
        record = DossierFramework.objects.create(
            dossier=dossier,
            key=framework.key,
            version=version,
            name=framework.name,
            subject_kind=kind,
            data=normalised,
            note=note[:500],
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="judgements.framework_save",
            dossier=dossier,
            target=record,
            summary=f"Beoordelingskader {framework.name}: versie {version}",
            before={"version": current.version, "codes": list(framework_of(current).codes)}
            if current is not None
            else None,
            after={"version": version, "codes": list(framework.codes), "note": note[:500]},
        )
    return record, True


def score_from_text(framework: Framework, text: str) -> tuple[Any, bool]:
    """Turn a form's or file's answer into (value, not_applicable); JudgementError if invalid."""
    raw = (text or "").strip()
    if raw == "":
        raise JudgementError(_("choose a score"))
    if raw.lower() in (NOT_APPLICABLE, "n.v.t."):
        if not framework.scale.not_applicable:
            raise JudgementError(_("'not applicable' is not allowed on this scale"))
        return None, True
    for value in framework.scale.values:
        if str(value) == raw:
            return value, False
    raise JudgementError(
        _("score %(score)s is not on the scale; choose from: %(values)s"),
        params={"score": repr(raw), "values": ", ".join(str(v) for v in framework.scale.values)},
    )
