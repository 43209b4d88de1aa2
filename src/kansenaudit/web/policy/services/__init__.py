# SPDX-License-Identifier: EUPL-1.2
"""Writes to the policy register. Every function runs in one transaction with its audit entry.

The register of a dossier: actors, goals (a hierarchy), measures with their budgets, the policy
theory of each measure (steps and links), indicators with their values, and evidence links from
any of these to a citation of the evidence store. Every function checks that everything it
connects belongs to the same dossier and refuses with a Dutch :class:`PolicyError` otherwise.
Deleting an element that others still point at is refused with a message naming them.

``actor`` is always the user who acts (``None`` for the CLI and loaders, with ``actor_label``);
the register entry a function changes is ``item`` (or named after its model).

The functions live in one module per part of the register (:mod:`.actors`, :mod:`.goals`,
:mod:`.measures`, :mod:`.theory`, :mod:`.indicators`, :mod:`.evidence`; shared checks in
:mod:`._common`) and are all importable from here.
"""

from __future__ import annotations

from kansenaudit.web.policy.services._common import (
    MAX_AMOUNT,
    MAX_YEAR,
    MIN_YEAR,
    OWNED_RELATIONS,
    PolicyError,
    _amount,
    _dossier_id_of,
    _year,
    references,
)
from kansenaudit.web.policy.services.actors import (
    ACTOR_FIELDS,
    actor_create,
    actor_delete,
    actor_update,
)
from kansenaudit.web.policy.services.evidence import evidence_link_add, evidence_link_remove
from kansenaudit.web.policy.services.goals import (
    GOAL_FIELDS,
    GOAL_LEVEL_ORDER,
    goal_create,
    goal_delete,
    goal_update,
)
from kansenaudit.web.policy.services.indicators import (
    INDICATOR_FIELDS,
    POLARITY_FROM_CATALOGUE,
    VALUE_FIELDS,
    indicator_create,
    indicator_delete,
    indicator_update,
    indicator_value_delete,
    indicator_value_set,
)
from kansenaudit.web.policy.services.measures import (
    _MEASURE_TEXTS,
    MEASURE_FIELDS,
    measure_create,
    measure_delete,
    measure_update,
)
from kansenaudit.web.policy.services.theory import (
    STEP_FIELDS,
    theory_link_create,
    theory_link_delete,
    theory_link_update,
    theory_step_create,
    theory_step_delete,
    theory_step_update,
)

__all__ = [
    "ACTOR_FIELDS",
    "GOAL_FIELDS",
    "GOAL_LEVEL_ORDER",
    "INDICATOR_FIELDS",
    "MAX_AMOUNT",
    "MAX_YEAR",
    "MEASURE_FIELDS",
    "MIN_YEAR",
    "OWNED_RELATIONS",
    "POLARITY_FROM_CATALOGUE",
    "STEP_FIELDS",
    "VALUE_FIELDS",
    "_MEASURE_TEXTS",
    "PolicyError",
    "_amount",
    "_dossier_id_of",
    "_year",
    "actor_create",
    "actor_delete",
    "actor_update",
    "evidence_link_add",
    "evidence_link_remove",
    "goal_create",
    "goal_delete",
    "goal_update",
    "indicator_create",
    "indicator_delete",
    "indicator_update",
    "indicator_value_delete",
    "indicator_value_set",
    "measure_create",
    "measure_delete",
    "measure_update",
    "references",
    "theory_link_create",
    "theory_link_delete",
    "theory_link_update",
    "theory_step_create",
    "theory_step_delete",
    "theory_step_update",
]
