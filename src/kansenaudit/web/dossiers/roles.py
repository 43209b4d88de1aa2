# SPDX-License-Identifier: EUPL-1.2
"""Roles within a dossier and what each may do.

One table decides every permission in the dossier apps, so that the web pages, the API, the CLI
and the admin agree; ``tests/web/core/test_permission_matrix.py`` checks every page against it.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROJECTLEIDER = "projectleider", _("project leader")
    ONDERZOEKER = "onderzoeker", _("researcher")
    REVIEWER = "reviewer", _("reviewer")
    MEELEZER = "meelezer", _("read-only member")


class Capability(StrEnum):
    VIEW = "view"  # see the dossier and everything in it
    EDIT = "edit"  # change the dossier's content (description, sub-questions, planning)
    COMMENT = "comment"  # add review notes
    SIGN_OFF = "sign_off"  # mark work as reviewed (used by judgements and findings)
    MANAGE_TEAM = "manage_team"  # add and remove members, change roles
    VIEW_AUDIT_LOG = "view_audit_log"  # read the dossier's audit log
    VIEW_ORIGINALS = "view_originals"  # fieldwork: original transcripts, contacts, pseudonym key


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.PROJECTLEIDER: frozenset(Capability),
    Role.ONDERZOEKER: frozenset(
        {Capability.VIEW, Capability.EDIT, Capability.COMMENT, Capability.VIEW_AUDIT_LOG}
    ),
    Role.REVIEWER: frozenset(
        {Capability.VIEW, Capability.COMMENT, Capability.SIGN_OFF, Capability.VIEW_AUDIT_LOG}
    ),
    Role.MEELEZER: frozenset({Capability.VIEW}),
}


def role_allows(role: str | None, capability: Capability) -> bool:
    """Whether ``role`` (None: not a member) has ``capability``."""
    return role is not None and capability in ROLE_CAPABILITIES.get(role, frozenset())
