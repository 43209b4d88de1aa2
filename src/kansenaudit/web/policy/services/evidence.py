# SPDX-License-Identifier: EUPL-1.2
"""Evidence links: citations of the evidence store attached to register entries."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.services import audit_record
from kansenaudit.web.evidence.selectors import citation_is_held
from kansenaudit.web.evidence.services import held_refusal
from kansenaudit.web.policy.models import JUDGEMENT_APP, EvidenceLink
from kansenaudit.web.policy.services._common import PolicyError, _dossier_id_of


def evidence_link_add(
    *,
    dossier: models.Model,
    subject: models.Model,
    citation: models.Model,
    actor: object | None,
    note: str = "",
    actor_label: str | None = None,
    audit: bool = True,
) -> EvidenceLink:
    """Attach a citation of the evidence store to a register object (goal, measure, link, …).

    Subject and citation must both belong to ``dossier``: evidence never crosses dossiers.
    Linking the same citation twice to the same subject returns the existing link.
    ``audit=False`` is for a caller that writes its own audit entry in the same transaction
    (the judgements services, which must keep a blind assessment's evidence out of the log).
    """
    if _dossier_id_of(subject) != dossier.pk:
        raise PolicyError(_("This part does not belong to this dossier."))
    if citation.dossier_id != dossier.pk:
        raise PolicyError(_("This citation does not belong to this dossier."))
    content_type = ContentType.objects.get_for_model(subject)
    # The judgements services check a held citation themselves (it may go with its assessment).
    if content_type.app_label != JUDGEMENT_APP and citation_is_held(citation):
        raise PolicyError(held_refusal())
    with transaction.atomic():
        link, created = EvidenceLink.objects.get_or_create(
            citation=citation,
            content_type=content_type,
            object_id=subject.pk,
            defaults={
                "dossier": dossier,
                "note": note[:500],
                "created_by": actor if getattr(actor, "pk", None) else None,
            },
        )
        if created and audit:
            audit_record(
                actor=actor,
                actor_label=actor_label,
                action="policy.evidence_add",
                dossier=dossier,
                target=link,
                summary=f"Bewijs bij {subject}: {citation}"[:500],
                after={
                    "subject": f"{content_type.app_label}.{content_type.model}:{subject.pk}",
                    "citation": citation.pk,
                    "note": note[:500],
                },
            )
    return link


def evidence_link_remove(*, link: EvidenceLink, actor: object | None) -> None:
    """Detach a citation from its subject (the citation itself stays in the evidence store).

    Refused for evidence of a judgement: that goes through the judgements services, which
    keep the judgement's history and reopen it after sign-off.
    """
    if link.content_type.app_label == JUDGEMENT_APP:
        raise PolicyError(_("Remove evidence for a judgement on the page of that judgement."))
    with transaction.atomic():
        pk, summary = link.pk, f"Bewijs verwijderd: {link.citation}"[:500]
        link.delete()
        # Logged last: the chain lock is held from here to the commit (core.services).
        audit_record(
            actor=actor,
            action="policy.evidence_remove",
            dossier=link.dossier,
            target=link,
            target_pk=pk,
            summary=summary,
            before={
                "subject": f"{link.content_type.app_label}.{link.content_type.model}:"
                f"{link.object_id}",
                "citation": link.citation_id,
                "note": link.note,
            },
        )
