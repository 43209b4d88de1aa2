# SPDX-License-Identifier: EUPL-1.2
"""Writes of the findings chain: norms, findings and their evidence, review and sign-off,
conclusions and recommendations. The wederhoor and the follow-up are in :mod:`.wederhoor`.

The rules (docs/findings.md):

* writing needs EDIT in the dossier, review notes COMMENT, sign-off SIGN_OFF;
* the reviewer who signs off is not the preparer and changed nothing of the finding since
  its last sign-off (preparer ≠ reviewer); open review notes block the sign-off;
* any change after sign-off (text, verdict, norms, evidence) reopens the finding: status
  *heropend*, sign-off cleared, and the history keeps what was signed and what it became;
* evidence is referenced by kind and id and must belong to the same dossier;
* a conclusion may build on other conclusions, never in a cycle.

Every function runs in one transaction, appends to the finding history where it concerns a
finding, and records an audit event last.
"""

from kansenaudit.web.findings.services._common import (
    FRAMEWORK_KEYS,
    MAX_NOTE,
    MAX_TEXT,
    MAX_TITLE,
    FindingsError,
    clean,
    content_of,
    require,
)
from kansenaudit.web.findings.services.chain import (
    conclusion_create,
    conclusion_graph,
    conclusion_link,
    recommendation_create,
    smart_checked,
)
from kansenaudit.web.findings.services.findings import (
    evidence_add,
    evidence_add_many,
    evidence_remove,
    finding_change,
    finding_create,
    norm_change,
    norm_create,
    norms_seed,
    note_add,
    note_resolve,
    review_request,
    sign_off,
)

__all__ = [
    "FRAMEWORK_KEYS",
    "MAX_NOTE",
    "MAX_TEXT",
    "MAX_TITLE",
    "FindingsError",
    "clean",
    "conclusion_create",
    "conclusion_graph",
    "conclusion_link",
    "content_of",
    "evidence_add",
    "evidence_add_many",
    "evidence_remove",
    "finding_change",
    "finding_create",
    "norm_change",
    "norm_create",
    "norms_seed",
    "note_add",
    "note_resolve",
    "recommendation_create",
    "require",
    "review_request",
    "sign_off",
    "smart_checked",
]
