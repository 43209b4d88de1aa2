# SPDX-License-Identifier: EUPL-1.2
"""Personal links for a directorate contact without an account: create and revoke."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.services import audit_record
from kansenaudit.web.uitvraag.models import AccessToken, UitvraagRequest
from kansenaudit.web.uitvraag.selectors import token_hash
from kansenaudit.web.uitvraag.services._common import (
    TOKEN_DAYS_MAX,
    UitvraagError,
    clean_text,
    user_and_label,
)


def token_create(
    *,
    request: UitvraagRequest,
    days: int,
    actor: object | None,
    label: str = "",
    actor_label: str | None = None,
) -> tuple[AccessToken, str]:
    """A personal link valid for ``days`` days; returns the row and the token (shown once)."""
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= TOKEN_DAYS_MAX:
        raise UitvraagError(_("A link is valid for 1 to %(max)s days."), {"max": TOKEN_DAYS_MAX})
    label = clean_text(label)
    if len(label) > 200:
        raise UitvraagError(_("The description is longer than 200 characters."))
    if not request.template_checksum:
        raise UitvraagError(
            _("Make the template first; the link gives the directorate that template.")
        )
    user, who = user_and_label(actor, actor_label)
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = AccessToken.objects.create(
            request=request,
            token_hash=token_hash(raw),
            label=label,
            expires_at=timezone.now() + dt.timedelta(days=days),
            created_by=user,
        )
        audit_record(
            actor=user,
            actor_label=who,
            action="uitvraag.token_create",
            dossier=request.dossier,
            target=token,
            summary=f"Persoonlijke link voor directie {request.directie.name}, {days} dagen geldig",
            after={"expires_at": token.expires_at.isoformat(), "label": label},
        )
    return token, raw


def token_revoke(
    *, token: AccessToken, actor: object | None, actor_label: str | None = None
) -> AccessToken:
    """Make a link unusable at once."""
    user, who = user_and_label(actor, actor_label)
    with transaction.atomic():
        token = AccessToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=user,
            actor_label=who,
            action="uitvraag.token_revoke",
            dossier=token.request.dossier,
            target=token,
            summary=f"Persoonlijke link {token.pk} voor directie "
            f"{token.request.directie.name} ingetrokken",
        )
    return token
