# SPDX-License-Identifier: EUPL-1.2
"""Shared pieces of the findings services: the error, the permission check, text cleaning,
the content a sign-off covers, the history row and the reopening of a signed-off finding."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.dossiers.models import Membership
from kansenaudit.web.dossiers.roles import Capability, role_allows
from kansenaudit.web.findings.models import Finding, FindingEvent

MAX_TITLE = 300
MAX_TEXT = 40_000
MAX_NOTE = 4000
FRAMEWORK_KEYS = ("analysemodel", "effectladder", "smart", "indicatorkwaliteit", "raadsinformatie")


class FindingsError(ServiceError):
    """A change the findings app refuses; the message is shown as it is."""


# --- helpers ------------------------------------------------------------------------------------


def require(dossier: Any, user: Any, capability: Capability) -> None:
    """Refuse unless ``user`` is a member of ``dossier`` whose role has ``capability``."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise FindingsError(_("Only a logged-in member of the dossier can do this."))
    role = (
        Membership.objects.filter(dossier=dossier, user=user).values_list("role", flat=True).first()
    )
    if not role_allows(role, capability):
        raise FindingsError(
            _("%(user)s may not do this in this dossier."), {"user": user.get_username()}
        )


def clean(text: str, *, limit: int, what: Any, required: bool = True) -> str:
    """``text`` without control characters (other than line breaks) and outer spaces."""
    text = "".join(ch for ch in (text or "") if ch in "\n\t" or ch >= " ").strip()
    text = text.replace("\r", "")
    if required and not text:
        raise FindingsError(_("%(what)s is empty."), {"what": what})
    if len(text) > limit:
        raise FindingsError(
            _("%(what)s is longer than %(limit)s characters."), {"what": what, "limit": limit}
        )
    return text


def _code(code: str) -> str:
    code = clean(code, limit=32, what=_("The code"))
    if any(ch.isspace() for ch in code):
        raise FindingsError(_("A code has no spaces."))
    return code


def _label(user: Any) -> str:
    return user.get_username()[:150]


def content_of(finding: Finding) -> dict[str, Any]:
    """What a sign-off covers: the finding's text, verdict, norms and evidence."""
    return {
        "code": finding.code,
        "title": finding.title,
        "text": finding.text,
        "verdict": finding.verdict,
        "sub_question": finding.sub_question_id,
        "norms": sorted(n.code for n in finding.norms.all()),
        "evidence": sorted(f"{r.kind}:{r.object_id}" for r in finding.refs.all()),
    }


def _event(finding: Finding, actor: Any, action: str, summary: str, **data: Any) -> None:
    FindingEvent.objects.create(
        finding=finding,
        dossier_id=finding.dossier_id,
        actor=actor,
        actor_label=_label(actor),
        action=action,
        summary=summary[:500],
        before=data.get("before"),
        after=data.get("after"),
    )


def _reopen_if_signed(finding: Finding, actor: Any, before: dict[str, Any]) -> bool:
    """A change to a signed-off finding reopens it; the history keeps what was signed."""
    if finding.status != Finding.Status.SIGNED_OFF:
        return False
    signed_by = finding.signed_off_by.get_username() if finding.signed_off_by else ""
    finding.status = Finding.Status.REOPENED
    finding.signed_off_by = None
    finding.signed_off_at = None
    finding.save(update_fields=["status", "signed_off_by", "signed_off_at", "updated_at"])
    _event(
        finding,
        actor,
        FindingEvent.Action.REOPENED,
        f"heropend na aftekening door {signed_by}",
        before=finding.signed_content or before,
        after=content_of(finding),
    )
    return True


def _lock(finding: Finding) -> Finding:
    return Finding.objects.select_for_update().select_related("dossier").get(pk=finding.pk)


def _sub_question(dossier: Any, sub_question: Any) -> Any:
    if sub_question is None:
        return None
    if getattr(sub_question, "dossier_id", None) != dossier.pk:
        raise FindingsError(_("That sub-question belongs to another dossier."))
    return sub_question


def _same_dossier(dossier: Any, objects: Iterable[Any], what: Any) -> list[Any]:
    items = list(objects)
    if any(getattr(o, "dossier_id", None) != dossier.pk for o in items):
        raise FindingsError(_("%(what)s of another dossier cannot be used."), {"what": what})
    return items
