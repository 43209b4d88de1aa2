# SPDX-License-Identifier: EUPL-1.2
"""The quality checks of a dossier's chain: what it still lacks, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kansenaudit.findings_logic import chain as chain_lib
from kansenaudit.web.dossiers.models import SubQuestion
from kansenaudit.web.findings.models import Conclusion, EvidenceRef, Finding, Norm
from kansenaudit.web.findings.selectors.chain import graph
from kansenaudit.web.findings.selectors.evidence import CHANGED, MISSING, RefState, ref_states


@dataclass
class Checks:
    """What the dossier's chain still lacks; each list holds the objects concerned."""

    without_evidence: list[Finding] = field(default_factory=list)
    norms_without_findings: list[Norm] = field(default_factory=list)
    sub_questions_without_findings: list[SubQuestion] = field(default_factory=list)
    changed_after_sign_off: list[tuple[Finding, list[RefState]]] = field(default_factory=list)
    missing_evidence: list[tuple[Finding, list[RefState]]] = field(default_factory=list)
    conclusions_without_findings: list[Conclusion] = field(default_factory=list)
    cycle: list[str] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return sum(
            len(x)
            for x in (
                self.without_evidence,
                self.norms_without_findings,
                self.sub_questions_without_findings,
                self.changed_after_sign_off,
                self.missing_evidence,
                self.conclusions_without_findings,
            )
        ) + (1 if self.cycle else 0)

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "bevinding_zonder_bewijs": [f.code for f in self.without_evidence],
            "norm_zonder_bevindingen": [n.code for n in self.norms_without_findings],
            "deelvraag_zonder_bevindingen": [
                str(s.number) for s in self.sub_questions_without_findings
            ],
            "bewijs_gewijzigd_na_aftekening": [f.code for f, _ in self.changed_after_sign_off],
            "bewijs_ontbreekt": [f.code for f, _ in self.missing_evidence],
            "conclusie_zonder_bevindingen": [c.code for c in self.conclusions_without_findings],
            "cirkel_in_keten": self.cycle,
        }


def checks(dossier: Any) -> Checks:
    """The quality checks of the dossier's chain (a fixed number of queries)."""
    result = Checks()
    all_findings = list(
        Finding.objects.filter(dossier=dossier)
        .select_related("sub_question")
        .order_by("sub_question__number", "code")
    )
    # Thousands of references: leave out the one column the checks never read (a datetime to
    # convert per row).
    refs = list(
        EvidenceRef.objects.filter(finding__dossier=dossier)
        .defer("created_at")
        .order_by("finding", "id")
    )
    states_by_finding: dict[int, list[RefState]] = defaultdict(list)
    for state in ref_states(dossier, refs):
        states_by_finding[state.ref.finding_id].append(state)
    for finding in all_findings:
        states = states_by_finding.get(finding.pk, [])
        if not states:
            result.without_evidence.append(finding)
        missing = [s for s in states if s.state == MISSING]
        if missing:
            result.missing_evidence.append((finding, missing))
        if finding.status == Finding.Status.SIGNED_OFF:
            changed = [s for s in states if s.state == CHANGED]
            if changed:
                result.changed_after_sign_off.append((finding, changed))
    result.norms_without_findings = list(
        Norm.objects.filter(dossier=dossier, findings__isnull=True).order_by("code")
    )
    covered = {f.sub_question_id for f in all_findings}
    result.sub_questions_without_findings = [
        s for s in SubQuestion.objects.filter(dossier=dossier) if s.pk not in covered
    ]
    result.conclusions_without_findings = list(
        Conclusion.objects.filter(
            dossier=dossier, findings__isnull=True, builds_on__isnull=True
        ).order_by("code")
    )
    cycle = chain_lib.find_cycle(graph(dossier))
    if cycle:
        codes = dict(Conclusion.objects.filter(dossier=dossier).values_list("pk", "code"))
        result.cycle = [codes.get(pk, str(pk)) for _kind, pk in cycle]
    return result
