# SPDX-License-Identifier: EUPL-1.2
"""Writes of the wederhoor and the follow-up: frozen versions of the nota van bevindingen,
personal links for municipal contacts, their comments and how the team handled them, the
college's reaction per recommendation, the nawoord and the yearly follow-up measurements.

A link gives exactly one thing: its contact's frozen version, and commenting on it while that
version is open (the dossier's newest version, before its ``comments_until`` date). Only the
token's SHA-256 is stored; the token is returned once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansenaudit.findings_logic.text import fingerprint, paragraphs
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.findings.models import (
    CollegeReaction,
    Finding,
    FollowUp,
    Nawoord,
    NotaVersion,
    Recommendation,
    WederhoorComment,
    WederhoorLink,
)
from kansenaudit.web.findings.services import FindingsError, clean, require

TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
LINK_DAYS_MAX = 60
MAX_COMMENT = 4000
MAX_COMMENTS_PER_LINK = 300


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


def link_label(link: WederhoorLink) -> str:
    return f"wederhoorlink:{link.pk} ({link.contact_name})"[:150]


def nota_sections(dossier: Any) -> list[dict[str, str]]:
    """The findings as the sections of the nota: per sub-question, in code order."""
    rows = Finding.objects.filter(dossier=dossier).select_related("sub_question")
    ordered = sorted(rows, key=lambda f: (f.sub_question.number, f.code))
    return [
        {
            "key": f.code,
            "title": f.title,
            "text": f.text,
            "sub_question": f"{f.sub_question.number}. {f.sub_question.question}",
        }
        for f in ordered
    ]


def latest_version(dossier: Any) -> NotaVersion | None:
    return NotaVersion.objects.filter(dossier=dossier).order_by("-number").first()


def is_open(version: NotaVersion) -> bool:
    """Whether comments are taken: the newest version, before its closing date (inclusive)."""
    newest = latest_version(version.dossier)
    return (
        newest is not None
        and newest.pk == version.pk
        and timezone.localdate() <= version.comments_until
    )


def version_freeze(*, dossier: Any, comments_until: dt.date, actor: Any) -> NotaVersion:
    """Freeze the findings as the next version of the nota; it never changes afterwards."""
    require(dossier, actor, Capability.EDIT)
    if not isinstance(comments_until, dt.date) or comments_until < timezone.localdate():
        raise FindingsError(_("The closing date for comments lies in the future."))
    sections = nota_sections(dossier)
    if not sections:
        raise FindingsError(_("There are no findings to freeze."))
    content = {"dossier": dossier.title, "sections": sections}
    with transaction.atomic():
        number = (
            NotaVersion.objects.filter(dossier=dossier).aggregate(m=Max("number"))["m"] or 0
        ) + 1
        version = NotaVersion.objects.create(
            dossier=dossier,
            number=number,
            content=content,
            content_sha256=fingerprint(content),
            comments_until=comments_until,
            frozen_by=actor,
            frozen_by_label=actor.get_username()[:150],
        )
        audit_record(
            actor=actor,
            action="findings.version_freeze",
            dossier=dossier,
            target=version,
            summary=f"nota van bevindingen versie {number} bevroren",
            after={"sha256": version.content_sha256, "sections": len(sections)},
        )
    return version


def link_create(
    *, version: NotaVersion, contact_name: str, actor: Any, days: int = 21, contact_role: str = ""
) -> tuple[WederhoorLink, str]:
    """A personal link for one named contact to ``version``; returns the row and the token
    (shown once, never stored)."""
    require(version.dossier, actor, Capability.EDIT)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= LINK_DAYS_MAX:
        raise FindingsError(_("A link is valid for 1 to %(max)s days."), {"max": LINK_DAYS_MAX})
    if not is_open(version):
        raise FindingsError(_("This version is no longer open for comments."))
    name = " ".join(clean(contact_name, limit=200, what=_("The contact's name")).split())
    role = " ".join(clean(contact_role, limit=200, what=_("The position"), required=False).split())
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = WederhoorLink.objects.create(
            version=version,
            contact_name=name,
            contact_role=role,
            token_hash=token_hash(raw),
            expires_at=timezone.now() + dt.timedelta(days=days),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="findings.link_create",
            dossier=version.dossier,
            target=link,
            summary=f"wederhoorlink voor {name} (versie {version.number})",
            after={"expires_at": link.expires_at.isoformat()},
        )
    return link, raw


def link_revoke(*, link: WederhoorLink, actor: Any) -> WederhoorLink:
    require(link.version.dossier, actor, Capability.EDIT)
    with transaction.atomic():
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor,
                action="findings.link_revoke",
                dossier=link.version.dossier,
                target=link,
                summary=f"wederhoorlink van {link.contact_name} ingetrokken",
            )
    return link


def link_verify(raw: Any) -> WederhoorLink | None:
    """The active link for ``raw``, or None (unknown, malformed, expired or revoked alike)."""
    if not isinstance(raw, str) or not TOKEN_SHAPE.match(raw):
        return None
    digest = token_hash(raw)
    link = (
        WederhoorLink.objects.select_related("version__dossier").filter(token_hash=digest).first()
    )
    if link is None or not hmac.compare_digest(link.token_hash, digest) or not link.is_active:
        return None
    return link


def link_touch(link: WederhoorLink) -> None:
    WederhoorLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())


def comment_add(
    *, link: WederhoorLink, section_key: str, text: str, paragraph: int | None = None
) -> WederhoorComment:
    """A contact's comment on one finding (and paragraph) of the link's own version."""
    with transaction.atomic():
        link = (
            WederhoorLink.objects.select_for_update()
            .select_related("version__dossier")
            .get(pk=link.pk)
        )
        version = link.version
        if not link.is_active:
            raise FindingsError(_("This link is no longer valid."))
        if not is_open(version):
            raise FindingsError(_("This version is no longer open for comments."))
        sections = {s["key"]: s for s in version.content.get("sections", [])}
        section = sections.get(section_key if isinstance(section_key, str) else "")
        if section is None:
            raise FindingsError(_("There is no such finding in this version."))
        if paragraph is not None:
            count = len(paragraphs(section["text"]))
            if not isinstance(paragraph, int) or not 1 <= paragraph <= count:
                raise FindingsError(_("There is no such paragraph in this finding."))
        text = clean(text, limit=MAX_COMMENT, what=_("The comment"))
        if link.comments.count() >= MAX_COMMENTS_PER_LINK:
            raise FindingsError(_("This link has reached its maximum number of comments."))
        comment = WederhoorComment.objects.create(
            link=link, version=version, section_key=section["key"], paragraph=paragraph, text=text
        )
        link.last_used_at = timezone.now()
        link.save(update_fields=["last_used_at"])
        audit_record(
            actor=None,
            actor_label=link_label(link),
            action="findings.comment_add",
            dossier=version.dossier,
            target=comment,
            summary=f"reactie op {section['key']} (versie {version.number})",
            after={"section": section["key"], "paragraph": paragraph, "text": text},
        )
    return comment


def comment_handle(
    *, comment: WederhoorComment, handling: str, actor: Any, reason: str = ""
) -> WederhoorComment:
    """How the team handled a comment; anything but *verwerkt* needs a reason."""
    require(comment.version.dossier, actor, Capability.EDIT)
    if handling not in WederhoorComment.Handling.values or handling == "open":
        raise FindingsError(_("Choose how the comment was handled."))
    reason = clean(reason, limit=MAX_COMMENT, what=_("The reason"), required=False)
    if handling != WederhoorComment.Handling.DONE and not reason:
        raise FindingsError(_("Give the reason why the comment was not (fully) processed."))
    with transaction.atomic():
        before = {"handling": comment.handling, "reason": comment.reason}
        comment.handling = handling
        comment.reason = reason
        comment.handled_by = actor
        comment.handled_at = timezone.now()
        comment.save()
        audit_record(
            actor=actor,
            action="findings.comment_handle",
            dossier=comment.version.dossier,
            target=comment,
            summary=f"reactie op {comment.section_key}: {handling}",
            before=before,
            after={"handling": handling, "reason": reason},
        )
    return comment


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def reaction_set(
    *,
    recommendation: Recommendation,
    position: str,
    quote: str,
    letter: Any,
    actor: Any,
    commitment: str = "",
) -> CollegeReaction:
    """The college's reaction to a recommendation, quoting its letter (a document of the same
    dossier in which the quote must appear)."""
    dossier = recommendation.dossier
    require(dossier, actor, Capability.EDIT)
    if position not in CollegeReaction.Position.values:
        raise FindingsError(_("Choose the college's position."))
    if letter is None or letter.dossier_id != dossier.pk:
        raise FindingsError(_("The letter must be a document of this dossier."))
    quote = clean(quote, limit=4000, what=_("The quote"))
    pages = " ".join(letter.pages.order_by("number").values_list("text", flat=True))
    if _normal(quote) not in _normal(pages):
        raise FindingsError(_("The quote does not appear in the letter."))
    commitment = clean(commitment, limit=4000, what=_("The commitment"), required=False)
    with transaction.atomic():
        reaction, created = CollegeReaction.objects.update_or_create(
            recommendation=recommendation,
            defaults={
                "position": position,
                "quote": quote,
                "letter": letter,
                "commitment": commitment,
                "registered_by": actor,
            },
        )
        audit_record(
            actor=actor,
            action="findings.reaction_set",
            dossier=dossier,
            target=reaction,
            summary=f"reactie college op {recommendation.code}: {position}",
            after={"position": position, "letter": letter.pk, "new": created},
        )
    return reaction


def nawoord_set(*, dossier: Any, text: str, actor: Any) -> Nawoord:
    require(dossier, actor, Capability.EDIT)
    text = clean(text, limit=20_000, what=_("The nawoord"))
    with transaction.atomic():
        old = Nawoord.objects.filter(dossier=dossier).first()
        before = {"text": old.text} if old else None
        if old is not None and old.text == text:
            return old
        nawoord, _created = Nawoord.objects.update_or_create(
            dossier=dossier, defaults={"text": text, "written_by": actor}
        )
        audit_record(
            actor=actor,
            action="findings.nawoord_set",
            dossier=dossier,
            target=nawoord,
            summary="nawoord",
            before=before,
            after={"text": text},
        )
    return nawoord


def follow_up_add(
    *,
    recommendation: Recommendation,
    year: int,
    status: str,
    actor: Any,
    note: str = "",
    evidence: Any = None,
) -> FollowUp:
    """One yearly follow-up measurement of a recommendation."""
    dossier = recommendation.dossier
    require(dossier, actor, Capability.EDIT)
    if status not in FollowUp.Status.values:
        raise FindingsError(_("Choose the status of the follow-up."))
    if not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year + 1:
        raise FindingsError(_("The year of a follow-up lies between 2000 and next year."))
    if evidence is not None and evidence.dossier_id != dossier.pk:
        raise FindingsError(_("The evidence must be a document of this dossier."))
    note = clean(note, limit=4000, what=_("The explanation"), required=False)
    with transaction.atomic():
        if FollowUp.objects.filter(recommendation=recommendation, year=year).exists():
            raise FindingsError(_("There is a measurement for %(year)s already."), {"year": year})
        follow = FollowUp.objects.create(
            recommendation=recommendation,
            year=year,
            status=status,
            note=note,
            evidence=evidence,
            measured_by=actor,
        )
        audit_record(
            actor=actor,
            action="findings.follow_up_add",
            dossier=dossier,
            target=follow,
            summary=f"opvolging {recommendation.code} {year}: {status}",
            after={"status": status, "evidence": evidence.pk if evidence else None},
        )
    return follow
