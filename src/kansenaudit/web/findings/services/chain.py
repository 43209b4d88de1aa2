# SPDX-License-Identifier: EUPL-1.2
"""Conclusions and recommendations: the chain above the findings (see the package docstring)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.findings_logic import chain as chain_lib
from kansenaudit.policy import frameworks as fw_lib
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.findings.models import Conclusion, Finding, Recommendation
from kansenaudit.web.findings.services._common import (
    FindingsError,
    _code,
    _same_dossier,
    _sub_question,
    clean,
    require,
)

# --- conclusions and recommendations ------------------------------------------------------------


def conclusion_graph(dossier: Any) -> dict[chain_lib.Node, list[chain_lib.Node]]:
    """The conclusion → conclusion edges of the dossier (the only place a cycle can enter)."""
    through = Conclusion.builds_on.through
    rows = through.objects.filter(from_conclusion__dossier=dossier).values_list(
        "from_conclusion_id", "to_conclusion_id"
    )
    # An edge runs from what carries (the earlier conclusion) to what it carries.
    return chain_lib.adjacency((("conclusion", b), ("conclusion", a)) for a, b in rows)


def _check_no_cycle(dossier: Any, conclusion: Conclusion, builds_on: Iterable[Conclusion]) -> None:
    graph = conclusion_graph(dossier)
    for base in builds_on:
        if chain_lib.would_cycle(graph, ("conclusion", base.pk), ("conclusion", conclusion.pk)):
            raise FindingsError(
                _("%(a)s cannot build on %(b)s: that would make the chain circular."),
                {"a": conclusion.code, "b": base.code},
            )
        graph = {**graph}
        graph.setdefault(("conclusion", base.pk), []).append(("conclusion", conclusion.pk))


def conclusion_create(
    *,
    dossier: Any,
    code: str,
    text: str,
    actor: Any,
    sub_question: Any = None,
    findings: Sequence[Finding] = (),
    builds_on: Sequence[Conclusion] = (),
    is_demo: bool = False,
) -> Conclusion:
    require(dossier, actor, Capability.EDIT)
    findings = _same_dossier(dossier, findings, _("Findings"))
    builds_on = _same_dossier(dossier, builds_on, _("Conclusions"))
    with transaction.atomic():
        code = _code(code)
        if Conclusion.objects.filter(dossier=dossier, code=code).exists():
            raise FindingsError(_("Conclusion %(code)s already exists."), {"code": code})
        conclusion = Conclusion.objects.create(
            dossier=dossier,
            code=code,
            text=clean(text, limit=10_000, what=_("The conclusion")),
            sub_question=_sub_question(dossier, sub_question),
            is_demo=is_demo,
        )
        conclusion.findings.set(findings)
        conclusion.builds_on.set(builds_on)
        audit_record(
            actor=actor,
            action="findings.conclusion_create",
            dossier=dossier,
            target=conclusion,
            summary=f"conclusie {conclusion.code}",
            after={
                "findings": [f.code for f in findings],
                "builds_on": [c.code for c in builds_on],
            },
        )
    return conclusion


def conclusion_link(
    *,
    conclusion: Conclusion,
    actor: Any,
    findings: Sequence[Finding] = (),
    builds_on: Sequence[Conclusion] = (),
) -> Conclusion:
    """Add findings and conclusions that carry ``conclusion``; a cycle is refused."""
    dossier = conclusion.dossier
    require(dossier, actor, Capability.EDIT)
    findings = _same_dossier(dossier, findings, _("Findings"))
    builds_on = _same_dossier(dossier, builds_on, _("Conclusions"))
    with transaction.atomic():
        _check_no_cycle(dossier, conclusion, builds_on)
        conclusion.findings.add(*findings)
        conclusion.builds_on.add(*builds_on)
        audit_record(
            actor=actor,
            action="findings.conclusion_link",
            dossier=dossier,
            target=conclusion,
            summary=f"conclusie {conclusion.code} gekoppeld",
            after={
                "findings": [f.code for f in findings],
                "builds_on": [c.code for c in builds_on],
            },
        )
    return conclusion


def smart_checked(smart: dict[str, Any]) -> dict[str, int]:
    """The SMART check as criterion code → score on the ``smart`` framework's scale."""
    framework = fw_lib.framework("smart")
    allowed = {level.value for level in framework.scale.levels}
    result: dict[str, int] = {}
    for code, score in (smart or {}).items():
        if code not in framework.codes:
            raise FindingsError(_("SMART has no criterion %(code)s."), {"code": str(code)[:16]})
        if score in ("", None):
            continue
        try:
            value = int(score)
        except (TypeError, ValueError):
            raise FindingsError(_("A SMART score is a number on the scale.")) from None
        if value not in allowed:
            raise FindingsError(_("A SMART score is a number on the scale."))
        result[code] = value
    return result


def recommendation_create(
    *,
    dossier: Any,
    code: str,
    text: str,
    addressee: str,
    actor: Any,
    conclusions: Sequence[Conclusion] = (),
    smart: dict[str, Any] | None = None,
    is_demo: bool = False,
) -> Recommendation:
    require(dossier, actor, Capability.EDIT)
    if addressee not in Recommendation.Addressee.values:
        raise FindingsError(
            _("A recommendation is addressed to the college, the council or the organisation.")
        )
    conclusions = _same_dossier(dossier, conclusions, _("Conclusions"))
    if not conclusions:
        raise FindingsError(_("A recommendation follows from at least one conclusion."))
    with transaction.atomic():
        code = _code(code)
        if Recommendation.objects.filter(dossier=dossier, code=code).exists():
            raise FindingsError(_("Recommendation %(code)s already exists."), {"code": code})
        recommendation = Recommendation.objects.create(
            dossier=dossier,
            code=code,
            text=clean(text, limit=10_000, what=_("The recommendation")),
            addressee=addressee,
            smart=smart_checked(smart or {}),
            is_demo=is_demo,
        )
        recommendation.conclusions.set(conclusions)
        audit_record(
            actor=actor,
            action="findings.recommendation_create",
            dossier=dossier,
            target=recommendation,
            summary=f"aanbeveling {recommendation.code}",
            after={"conclusions": [c.code for c in conclusions], "smart": recommendation.smart},
        )
    return recommendation
