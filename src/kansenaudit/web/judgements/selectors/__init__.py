# SPDX-License-Identifier: EUPL-1.2
"""Reads from the judgements register, with the blindness rule applied.

BLINDNESS: while a judgement still waits for one of its assessments, nobody is given another
person's score or rationale: not the other assessor, not a potential second assessor, not a
reviewer, not an export and not the CLI. Each user sees only their own assessment. The web
pages, the exports, the CLI and the Python API all read assessments through
:func:`visible_assessments` and :func:`judgement_history`, so the rule lives in one place.
"""

from kansenaudit.web.judgements.selectors.blindness import (
    HIDDEN,
    MAX_CITATION_CHOICES,
    AssessmentView,
    HistoryEntry,
    assessment_citations,
    assessor_choices,
    assessors_by_id,
    awaiting_assessment,
    blind_judgements,
    changes_since_sign_off,
    citations_chosen,
    cite_for_choices,
    evidence_for,
    evidence_link,
    is_blind,
    judgement_history,
    judgement_in_dossier,
    judgements_for_dossier,
    may_cite_for,
    visible_assessments,
)
from kansenaudit.web.judgements.selectors.exports import (
    EXPORT_COLUMNS,
    HISTORY_COLUMNS,
    export_rows,
    history_rows,
)
from kansenaudit.web.judgements.selectors.frameworks import (
    FrameworkInfo,
    dossier_frameworks,
    framework_for_judgement,
    framework_info,
    framework_versions,
    subject_content_type,
)
from kansenaudit.web.judgements.selectors.overview import framework_matrix, subject_choices
from kansenaudit.web.judgements.selectors.reliability import (
    N_BOOT,
    Agreement,
    agreement,
    agreement_as_dict,
    agreement_cross_table,
    reliability_data,
)

__all__ = [
    "EXPORT_COLUMNS",
    "HIDDEN",
    "HISTORY_COLUMNS",
    "MAX_CITATION_CHOICES",
    "N_BOOT",
    "Agreement",
    "AssessmentView",
    "FrameworkInfo",
    "HistoryEntry",
    "agreement",
    "agreement_as_dict",
    "agreement_cross_table",
    "assessment_citations",
    "assessor_choices",
    "assessors_by_id",
    "awaiting_assessment",
    "blind_judgements",
    "changes_since_sign_off",
    "citations_chosen",
    "cite_for_choices",
    "dossier_frameworks",
    "evidence_for",
    "evidence_link",
    "export_rows",
    "framework_for_judgement",
    "framework_info",
    "framework_matrix",
    "framework_versions",
    "history_rows",
    "is_blind",
    "judgement_history",
    "judgement_in_dossier",
    "judgements_for_dossier",
    "may_cite_for",
    "reliability_data",
    "subject_choices",
    "subject_content_type",
    "visible_assessments",
]
