# SPDX-License-Identifier: EUPL-1.2
"""Assessment frameworks: the criteria and scales auditors score policy, measures and
information against, as data.

Five frameworks ship with the product (see :func:`frameworks`):

* ``analysemodel``: the analysis model for policy design, C1–C6 (research design §4.1.6 and
  §4.1.4), scored voldoet / deels / voldoet niet / n.v.t.;
* ``effectladder``: how well a measure's effect is substantiated, rungs 0–5, with the level
  names of the Dutch recognition system (goed beschreven, goed onderbouwd, effectief volgens
  eerste / goede / sterke aanwijzingen);
* ``smart``: SMART goals;
* ``indicatorkwaliteit``: quality of indicators (Rekenkamer Amsterdam, *Indicatoren
  discriminatie*, 2023);
* ``raadsinformatie``: information to the council (deelvraag 5).

A framework is immutable; a dossier that wants other wording or an extra criterion copies one
with :func:`to_dict`, edits the JSON and reads it back with :func:`from_dict`, which validates
it. User-facing text (names, questions, guidance, scale labels) is Dutch.

The descriptions of effectladder rungs 3–5 follow the project's domain notes and have not been
checked against Van Yperen & Veerman (2008); the framework's ``source`` says so, so that nobody
publishes them unchecked.
"""

from kansenaudit.policy.frameworks.model import Criterion, Framework, FrameworkError, Level, Scale
from kansenaudit.policy.frameworks.schema import SCHEMA, from_dict, to_dict, validate_framework
from kansenaudit.policy.frameworks.shipped import framework, frameworks

__all__ = [
    "SCHEMA",
    "Criterion",
    "Framework",
    "FrameworkError",
    "Level",
    "Scale",
    "framework",
    "frameworks",
    "from_dict",
    "to_dict",
    "validate_framework",
]
