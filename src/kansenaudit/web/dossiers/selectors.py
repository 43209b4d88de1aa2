# SPDX-License-Identifier: EUPL-1.2
"""Reading dossiers. Every read goes through these functions, which apply team membership:
a dossier a user is not a member of does not exist for them (in pages, API, exports and admin).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from kansenaudit.web.dossiers.models import Dossier, Membership
from kansenaudit.web.dossiers.roles import Capability, Role, role_allows


class DossierNotFound(LookupError):
    """No such dossier, or the user is not in its team (deliberately indistinguishable)."""


@dataclass(frozen=True)
class DossierAccess:
    dossier: Dossier
    role: str

    def allows(self, capability: Capability) -> bool:
        return role_allows(self.role, capability)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)

    @property
    def capabilities(self) -> frozenset[str]:
        """Capability names, for templates: ``{% if "edit" in access.capabilities %}``."""
        return frozenset(c.value for c in Capability if self.allows(c))


def dossiers_for_user(*, user: object) -> QuerySet[Dossier]:
    """The dossiers ``user`` is a member of, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    return Dossier.objects.filter(memberships__user=user).distinct()


def dossier_ids_for_user(*, user: object) -> QuerySet:
    """Primary keys of the user's dossiers, for filtering related tables."""
    return dossiers_for_user(user=user).values("pk")


def dossier_access(
    *, user: object, dossier_id: int | str, capability: Capability = Capability.VIEW
) -> DossierAccess:
    """The dossier with ``dossier_id`` and the user's role in it.

    Raises :class:`DossierNotFound` when it does not exist or the user is not a member, and
    :class:`~django.core.exceptions.PermissionDenied` when the role lacks ``capability``.
    """
    try:
        pk = int(dossier_id)
    except (TypeError, ValueError) as exc:
        raise DossierNotFound(dossier_id) from exc
    if not getattr(user, "is_authenticated", False):
        raise DossierNotFound(pk)
    membership = (
        Membership.objects.select_related("dossier").filter(dossier_id=pk, user=user).first()
    )
    if membership is None:
        raise DossierNotFound(pk)
    access = DossierAccess(dossier=membership.dossier, role=membership.role)
    if not access.allows(capability):
        raise PermissionDenied(f"role {membership.role} may not {capability.value}")
    return access


def operator_dossiers() -> QuerySet[Dossier]:
    """Every dossier, for the CLI: whoever runs it has direct access to the database anyway."""
    return Dossier.objects.order_by("pk")


def operator_dossier(*, dossier_id: int) -> Dossier:
    """One dossier by id for the CLI; raises :class:`DossierNotFound`."""
    dossier = Dossier.objects.filter(pk=dossier_id).first()
    if dossier is None:
        raise DossierNotFound(dossier_id)
    return dossier


def dossier_summary(*, dossier: Dossier) -> dict[str, object]:
    """The short form of a dossier used in lists (API and CLI)."""
    return {
        "id": dossier.pk,
        "title": dossier.title,
        "municipality_code": dossier.municipality_code,
        "status": dossier.status,
        "is_demo": dossier.is_demo,
    }


def dossier_team(*, dossier: Dossier) -> QuerySet[Membership]:
    return dossier.memberships.select_related("user").order_by("role", "user__username")


def dossier_overview(*, dossier: Dossier) -> dict[str, object]:
    """Everything the overview page shows, in one place."""
    from kansenaudit.web.core.selectors import audit_events_for_dossier

    return {
        "sub_questions": list(dossier.sub_questions.all()),
        "milestones": list(dossier.milestones.all()),
        "policy_events": list(dossier.policy_events.all()),
        "team": list(dossier_team(dossier=dossier)),
        "comments": list(dossier.comments.select_related("author")[:20]),
        "recent_events": list(audit_events_for_dossier(dossier=dossier)[:10]),
    }


def dossier_as_dict(*, dossier: Dossier) -> dict[str, object]:
    """A JSON-ready description of a dossier, used by the API, the CLI and exports."""
    return {
        "id": dossier.pk,
        "title": dossier.title,
        "municipality_code": dossier.municipality_code,
        "municipality_name": dossier.municipality_name,
        "period_start": dossier.period_start.isoformat() if dossier.period_start else None,
        "period_end": dossier.period_end.isoformat() if dossier.period_end else None,
        "status": dossier.status,
        "central_question": dossier.central_question,
        "is_demo": dossier.is_demo,
        "demo_notice": DEMO_NOTICE if dossier.is_demo else None,
        "sub_questions": [
            {"number": s.number, "question": s.question, "approach": s.approach}
            for s in dossier.sub_questions.all()
        ],
        "milestones": [
            {"title": m.title, "due_date": m.due_date.isoformat(), "done": m.done}
            for m in dossier.milestones.all()
        ],
        "team": [
            {"username": m.user.username, "role": m.role} for m in dossier_team(dossier=dossier)
        ],
        "created_at": dossier.created_at.isoformat(),
    }


DEMO_NOTICE = "Fictieve demodata (Voorbeeldstad) — geen echte cijfers of personen."
