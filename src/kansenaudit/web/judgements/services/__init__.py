# SPDX-License-Identifier: EUPL-1.2
"""Writes to the judgements register. Every function runs in one transaction, appends to the
judgement history and records an audit event.

The rules (see docs/judgements.md):

* an assessor needs EDIT in the dossier; a judgement has one or two assessors, who differ;
  they may be named in advance per place (:func:`assessors_assign`), and a named place is
  taken only by its assessor;
* an assessor submits once (:func:`assessment_submit`) and may then change their assessment
  (:func:`assessment_change`);
* consensus needs EDIT and every required assessment;
* sign-off needs SIGN_OFF, a consensus, and a reviewer who is neither an assessor nor the
  consensus author (preparer ≠ reviewer);
* evidence is removed by :func:`evidence_remove`: from an assessment only by its assessor, from
  the consensus by a member with EDIT;
* any change after sign-off (an assessment, the consensus, evidence) reopens the judgement:
  status *heropend*, sign-off cleared, and the history keeps what changed.

While a judgement still waits for an assessment, the audit log records that an assessment was
submitted but not its score or rationale (the audit log is readable by the other assessor); the
judgement history keeps the full content and :mod:`.selectors` blinds it.
"""

from kansenaudit.web.judgements.services._common import (
    MAX_RATIONALE,
    NOT_APPLICABLE,
    JudgementError,
)
from kansenaudit.web.judgements.services.assessments import (
    AssessmentSaved,
    assessment_change,
    assessment_refusal,
    assessment_save,
    assessment_submit,
    judgements_start,
)
from kansenaudit.web.judgements.services.frameworks import (
    framework_ensure,
    framework_save,
    parse_framework_json,
    score_from_text,
)
from kansenaudit.web.judgements.services.review import (
    assessors_assign,
    consensus_record,
    evidence_remove,
    sign_off,
    sign_off_refusal,
)

__all__ = [
    "MAX_RATIONALE",
    "NOT_APPLICABLE",
    "AssessmentSaved",
    "JudgementError",
    "assessment_change",
    "assessment_refusal",
    "assessment_save",
    "assessment_submit",
    "assessors_assign",
    "consensus_record",
    "evidence_remove",
    "framework_ensure",
    "framework_save",
    "judgements_start",
    "parse_framework_json",
    "score_from_text",
    "sign_off",
    "sign_off_refusal",
]
