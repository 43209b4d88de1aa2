# SPDX-License-Identifier: EUPL-1.2
"""Reads of the findings chain, one module per seam: the basic reads (:mod:`.core`), the
evidence as it is now and the evidence picker (:mod:`.evidence`), the quality checks
(:mod:`.checks`), the chain and its exports (:mod:`.chain`), the wederhoor (:mod:`.wederhoor`)
and the follow-up register (:mod:`.follow_up`). Callers import this package."""

from kansenaudit.web.findings.selectors.chain import (
    NORM_COLUMNS,
    TRACE_COLUMNS,
    Chain,
    chain,
    graph,
    norm_rows,
    trace_rows,
)
from kansenaudit.web.findings.selectors.checks import Checks, checks
from kansenaudit.web.findings.selectors.core import (
    conclusion_in_dossier,
    conclusions,
    finding_in_dossier,
    findings,
    norm_in_dossier,
    norms,
    recommendation_in_dossier,
    recommendations,
)
from kansenaudit.web.findings.selectors.evidence import (
    CHANGED,
    MISSING,
    PICK_LIMIT,
    UNCHANGED,
    PickGroup,
    PickItem,
    RefState,
    evidence_choices,
    evidence_picked,
    finding_states,
    pick_value,
    ref_states,
)
from kansenaudit.web.findings.selectors.follow_up import (
    FOLLOW_COLUMNS,
    follow_up_of_dossier,
    follow_up_register,
    follow_up_rows,
)
from kansenaudit.web.findings.selectors.wederhoor import (
    comment_in_dossier,
    comments,
    link_in_dossier,
    links,
    own_comments,
    version_diff,
    version_in_dossier,
    versions,
    wederhoor_status,
)

__all__ = [
    "CHANGED",
    "FOLLOW_COLUMNS",
    "MISSING",
    "NORM_COLUMNS",
    "PICK_LIMIT",
    "TRACE_COLUMNS",
    "UNCHANGED",
    "Chain",
    "Checks",
    "PickGroup",
    "PickItem",
    "RefState",
    "chain",
    "checks",
    "comment_in_dossier",
    "comments",
    "conclusion_in_dossier",
    "conclusions",
    "evidence_choices",
    "evidence_picked",
    "finding_in_dossier",
    "finding_states",
    "findings",
    "follow_up_of_dossier",
    "follow_up_register",
    "follow_up_rows",
    "graph",
    "link_in_dossier",
    "links",
    "norm_in_dossier",
    "norm_rows",
    "norms",
    "own_comments",
    "pick_value",
    "recommendation_in_dossier",
    "recommendations",
    "ref_states",
    "trace_rows",
    "version_diff",
    "version_in_dossier",
    "versions",
    "wederhoor_status",
]
