# SPDX-License-Identifier: EUPL-1.2
"""Writes to the codebook: codes (created, changed, moved, merged, split), deductive codes
from the policy theory and the analysis model, and memos.

Every function runs in one transaction, appends to the codebook history (:class:`CodeEvent`)
and records an audit event last. A code is never deleted: a merge retires it into another
code and moves its segments, children and memos there. ``actor=None`` is the operator (the
command line or a loader); a user must be a member of the dossier with EDIT.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.coding.models import COLOUR, Code, CodeEvent, DoubleCoding, Memo, Segment
from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.models import Membership
from kansenaudit.web.dossiers.roles import Capability, role_allows

MAX_NAME = 200
MAX_TEXT = 20_000
CODE_FIELDS = ("name", "definition", "inclusion", "exclusion", "example", "colour")


class CodingError(ServiceError):
    """A change of the codebook or the coding that is refused."""


def require(dossier: Any, user: Any, capability: Capability = Capability.EDIT) -> None:
    """Refuse unless ``user`` (None: the operator) is a member with ``capability``."""
    if user is None:
        return
    if not getattr(user, "is_authenticated", False):
        raise CodingError(_("Only a logged-in user can change the coding"))
    role = (
        Membership.objects.filter(dossier=dossier, user=user).values_list("role", flat=True).first()
    )
    if not role_allows(role, capability):
        raise CodingError(
            _("%(user)s may not change the coding of this dossier"),
            params={"user": user.get_username()},
        )


def user_label(user: Any) -> str:
    return user.get_username() if user is not None else "systeem"


def _actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


class Log:
    """History rows now, audit entries at :meth:`flush` (last in the transaction)."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self._entries: list[Callable[[], object]] = []

    def code_event(
        self,
        code: Code,
        *,
        action: str,
        summary: str,
        before: dict | None = None,
        after: dict | None = None,
    ) -> None:
        CodeEvent.objects.create(
            code=code,
            dossier_id=code.dossier_id,
            actor=_actor(self.actor),
            actor_label=user_label(self.actor)[:150],
            action=action,
            summary=summary[:500],
            before=before,
            after=after,
        )
        self.audit(
            action=f"coding.code_{action}",
            dossier=code.dossier,
            target=code,
            summary=summary,
            before=before,
            after=after,
        )

    def audit(self, **kwargs: Any) -> None:
        self._entries.append(partial(audit_record, actor=self.actor, **kwargs))

    def flush(self) -> None:
        for entry in self._entries:
            entry()
        self._entries.clear()


def code_state(code: Code) -> dict[str, Any]:
    state: dict[str, Any] = {f: getattr(code, f) for f in CODE_FIELDS}
    state["parent"] = code.parent_id
    return state


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = {}
    for key, value in fields.items():
        if key not in CODE_FIELDS:
            raise CodingError(_("Unknown field of a code: %(field)s"), params={"field": key})
        text = str(value or "").strip()
        if len(text) > MAX_TEXT:
            raise CodingError(_("The text of %(field)s is too long"), params={"field": key})
        cleaned[key] = text
    if "name" in cleaned:
        if not cleaned["name"]:
            raise CodingError(_("A code needs a name"))
        if len(cleaned["name"]) > MAX_NAME:
            raise CodingError(_("The name of a code is at most 200 characters"))
    if "colour" in cleaned:
        cleaned["colour"] = cleaned["colour"] or "#2f6fb0"
        try:
            COLOUR(cleaned["colour"])
        except Exception as exc:
            raise CodingError(
                _("%(colour)s is not a colour (#RRGGBB)"), params={"colour": cleaned["colour"]}
            ) from exc
        cleaned["colour"] = cleaned["colour"].lower()
    return cleaned


def _check_parent(dossier: Any, code: Code | None, parent: Code | None) -> None:
    if parent is None:
        return
    if parent.dossier_id != dossier.pk or not parent.active:
        raise CodingError(_("The parent code is not an active code of this dossier"))
    node: Code | None = parent
    while node is not None:
        if code is not None and node.pk == code.pk:
            raise CodingError(_("A code cannot be placed under itself or one of its sub-codes"))
        node = node.parent


def _check_unique(dossier: Any, name: str, parent: Code | None, code: Code | None) -> None:
    siblings = Code.objects.filter(
        dossier=dossier, parent=parent, merged_into__isnull=True, name__iexact=name
    )
    if code is not None:
        siblings = siblings.exclude(pk=code.pk)
    if siblings.exists():
        raise CodingError(
            _("There is already a code %(name)s at this place in the codebook"),
            params={"name": name},
        )


def _create(
    log: Log,
    *,
    dossier: Any,
    parent: Code | None,
    origin: str,
    source_key: str = "",
    guid: str = "",
    action: str = CodeEvent.Action.CREATED,
    **fields: Any,
) -> Code:
    cleaned = _clean_fields(fields)
    if "name" not in cleaned:
        raise CodingError(_("A code needs a name"))
    _check_parent(dossier, None, parent)
    _check_unique(dossier, cleaned["name"], parent, None)
    code = Code.objects.create(
        dossier=dossier,
        parent=parent,
        origin=origin,
        source_key=source_key,
        guid=guid,
        created_by=_actor(log.actor),
        **cleaned,
    )
    log.code_event(
        code, action=action, summary=f"Code {code.name} aangemaakt", after=code_state(code)
    )
    return code


def code_create(
    *,
    dossier: Any,
    actor: Any,
    name: str,
    parent: Code | None = None,
    origin: str = Code.Origin.INDUCTIVE,
    **fields: Any,
) -> Code:
    """Add a code to the codebook (inductive unless ``origin`` says otherwise)."""
    require(dossier, actor)
    log = Log(actor)
    with transaction.atomic():
        code = _create(log, dossier=dossier, parent=parent, origin=origin, name=name, **fields)
        log.flush()
    return code


def code_update(*, code: Code, actor: Any, parent: Any = ..., **fields: Any) -> Code:
    """Change a code's texts and colour, and (``parent``) move it; an unchanged save writes
    nothing."""
    require(code.dossier, actor)
    cleaned = _clean_fields(fields)
    log = Log(actor)
    with transaction.atomic():
        code = Code.objects.select_for_update().get(pk=code.pk)
        if not code.active:
            raise CodingError(_("This code was merged into another one and cannot be changed"))
        before = code_state(code)
        changed = {k: v for k, v in cleaned.items() if getattr(code, k) != v}
        moved = parent is not ... and (parent.pk if parent else None) != code.parent_id
        if moved:
            _check_parent(code.dossier, code, parent)
        if not changed and not moved:
            return code
        new_parent = parent if moved else code.parent
        _check_unique(code.dossier, changed.get("name", code.name), new_parent, code)
        for key, value in changed.items():
            setattr(code, key, value)
        if moved:
            code.parent = new_parent
        code.save()
        after = code_state(code)
        if changed:
            log.code_event(
                code,
                action=CodeEvent.Action.CHANGED,
                summary=f"Code {code.name} gewijzigd: {', '.join(sorted(changed))}",
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
            )
        if moved:
            log.code_event(
                code,
                action=CodeEvent.Action.MOVED,
                summary=f"Code {code.name} verplaatst",
                before={"parent": before["parent"]},
                after={"parent": after["parent"]},
            )
        log.flush()
    return code


def code_merge(*, source: Code, target: Code, actor: Any) -> Code:
    """Merge ``source`` into ``target``: its segments, sub-codes and memos go to ``target`` and
    ``source`` is retired (kept, with its history)."""
    require(source.dossier, actor)
    if source.dossier_id != target.dossier_id:
        raise CodingError(_("Codes of different dossiers cannot be merged"))
    if source.pk == target.pk:
        raise CodingError(_("A code cannot be merged into itself"))
    log = Log(actor)
    with transaction.atomic():
        source = Code.objects.select_for_update().get(pk=source.pk)
        target = Code.objects.select_for_update().get(pk=target.pk)
        if not source.active or not target.active:
            raise CodingError(_("Only active codes can be merged"))
        node: Code | None = target
        while node is not None:
            if node.pk == source.pk:
                raise CodingError(_("A code cannot be merged into one of its own sub-codes"))
            node = node.parent
        through = Segment.codes.through
        segment_ids = list(
            through.objects.filter(code_id=source.pk).values_list("segment_id", flat=True)
        )
        already = set(
            through.objects.filter(code_id=target.pk, segment_id__in=segment_ids).values_list(
                "segment_id", flat=True
            )
        )
        through.objects.bulk_create(
            [through(segment_id=s, code_id=target.pk) for s in segment_ids if s not in already]
        )
        through.objects.filter(code_id=source.pk).delete()
        children = list(
            source.children.filter(merged_into__isnull=True).values_list("pk", flat=True)
        )
        Code.objects.filter(pk__in=children).update(parent=target)
        Memo.objects.filter(code=source).update(code=target)
        source.merged_into = target
        source.save(update_fields=["merged_into"])
        after = {"merged_into": target.pk, "segments": len(segment_ids), "children": children}
        log.code_event(
            source,
            action=CodeEvent.Action.MERGED,
            summary=f"Code {source.name} samengevoegd met {target.name}",
            before={"merged_into": None},
            after=after,
        )
        log.code_event(
            target,
            action=CodeEvent.Action.MERGED,
            summary=f"Code {source.name} opgegaan in {target.name}",
            after={"merged_from": source.pk, "segments": len(segment_ids)},
        )
        log.flush()
    return target


def code_split(*, code: Code, actor: Any, name: str, segments: Iterable[Segment]) -> Code:
    """Split ``code``: a new code ``name`` beside it (same parent, definition and colour) takes
    over the chosen ``segments``; the rest keep ``code``."""
    require(code.dossier, actor)
    log = Log(actor)
    with transaction.atomic():
        code = Code.objects.select_for_update().get(pk=code.pk)
        if not code.active:
            raise CodingError(_("Only active codes can be split"))
        chosen = [s.pk for s in segments]
        through = Segment.codes.through
        mine = set(
            through.objects.filter(code_id=code.pk, segment_id__in=chosen).values_list(
                "segment_id", flat=True
            )
        )
        if set(chosen) - mine:
            raise CodingError(_("Only segments of this code can go to the new code"))
        new = _create(
            log,
            dossier=code.dossier,
            parent=code.parent,
            origin=code.origin,
            name=name,
            definition=code.definition,
            colour=code.colour,
        )
        through.objects.filter(code_id=code.pk, segment_id__in=chosen).delete()
        through.objects.bulk_create([through(segment_id=s, code_id=new.pk) for s in sorted(mine)])
        log.code_event(
            code,
            action=CodeEvent.Action.SPLIT,
            summary=f"Code {code.name} gesplitst: {len(mine)} segmenten naar {new.name}",
            after={"new_code": new.pk, "segments": sorted(mine)},
        )
        log.flush()
    return new


# --- deductive codes ------------------------------------------------------------------------


def _ensure(
    log: Log, dossier: Any, *, key: str, parent: Code | None, origin: str, **fields: Any
) -> tuple[Code, bool]:
    existing = Code.objects.filter(dossier=dossier, source_key=key).first()
    if existing is not None:
        node: Code = existing
        while node.merged_into is not None:
            node = node.merged_into
        return node, False
    name = str(fields.pop("name"))[:MAX_NAME]
    base, n = name, 1
    while Code.objects.filter(
        dossier=dossier, parent=parent, merged_into__isnull=True, name__iexact=name
    ).exists():
        n += 1
        name = f"{base[: MAX_NAME - 6]} ({n})"
    return (
        _create(
            log, dossier=dossier, parent=parent, origin=origin, source_key=key, name=name, **fields
        ),
        True,
    )


def codes_from_policy_theory(*, dossier: Any, actor: Any, measures: Iterable[Any]) -> list[Code]:
    """Deductive codes from the policy theory of ``measures``: per measure a code with a
    sub-code for every step (activity, output, outcome, goal) and every assumed link. Starting
    them again adds only what is new."""
    require(dossier, actor)
    created: list[Code] = []
    log = Log(actor)
    with transaction.atomic():
        for measure in measures:
            if measure.dossier_id != dossier.pk:
                raise CodingError(_("The measure is not in this dossier"))
            top, new = _ensure(
                log,
                dossier,
                key=f"measure:{measure.pk}",
                parent=None,
                origin=Code.Origin.POLICY,
                name=f"Beleidstheorie: {measure.name}",
                definition=measure.assumptions or measure.rationale or "",
                colour="#6a3d9a",
            )
            created += [top] if new else []
            for step in measure.theory_steps.all():
                code, new = _ensure(
                    log,
                    dossier,
                    key=f"theorystep:{step.pk}",
                    parent=top,
                    origin=Code.Origin.POLICY,
                    name=f"{step.get_kind_display()}: {step.text}",
                    definition=step.text,
                    colour="#6a3d9a",
                )
                created += [code] if new else []
            for link in measure.theory_links.select_related("source", "target"):
                code, new = _ensure(
                    log,
                    dossier,
                    key=f"theorylink:{link.pk}",
                    parent=top,
                    origin=Code.Origin.POLICY,
                    name=f"Aanname: {link.source.text} → {link.target.text}",
                    definition=link.rationale,
                    colour="#cab2d6",
                )
                created += [code] if new else []
        log.flush()
    return created


def codes_from_framework(*, dossier: Any, actor: Any, key: str) -> list[Code]:
    """Deductive codes from an analysis-model framework: a code with a sub-code per criterion."""
    from kansenaudit.web.judgements import selectors as judgements

    require(dossier, actor)
    info = judgements.framework_info(dossier, key)
    if info is None:
        raise CodingError(_("There is no framework %(key)s"), params={"key": key})
    framework = info.framework
    created: list[Code] = []
    log = Log(actor)
    with transaction.atomic():
        top, new = _ensure(
            log,
            dossier,
            key=f"framework:{key}",
            parent=None,
            origin=Code.Origin.FRAMEWORK,
            name=f"Analysekader: {framework.name}",
            definition=framework.description,
            colour="#b15928",
        )
        created += [top] if new else []
        for criterion in framework.criteria:
            code, new = _ensure(
                log,
                dossier,
                key=f"framework:{key}:{criterion.code}"[:100],
                parent=top,
                origin=Code.Origin.FRAMEWORK,
                name=f"{criterion.code} {criterion.name}",
                definition=criterion.question,
                inclusion=criterion.guidance,
                colour="#ff7f00",
            )
            created += [code] if new else []
        log.flush()
    return created


def refuse_unless_own_while_blind(segment: Segment, actor: Any) -> bool:
    """Refuse a change of ``segment`` by anyone but its coder while its transcript is blind;
    return whether it is blind."""
    if segment.transcript_id is None:
        return False
    sample = DoubleCoding.objects.filter(transcript_id=segment.transcript_id).first()
    if sample is None or not sample.blind:
        return False
    if actor is not None and segment.coder_id != getattr(actor, "pk", None):
        raise CodingError(_("This transcript is being double coded blind"))
    return True


# --- memos --------------------------------------------------------------------------------------


def memo_add(
    *,
    dossier: Any,
    actor: Any,
    text: str,
    segment: Segment | None = None,
    code: Code | None = None,
    transcript: Any = None,
) -> Memo:
    """A memo on one segment, code or transcript of ``dossier``."""
    require(dossier, actor)
    text = (text or "").strip()
    if not text:
        raise CodingError(_("A memo needs a text"))
    if len(text) > MAX_TEXT:
        raise CodingError(_("A memo is at most 20,000 characters"))
    targets = [t for t in (segment, code, transcript) if t is not None]
    if len(targets) != 1 or targets[0].dossier_id != dossier.pk:
        raise CodingError(_("A memo belongs to one segment, code or transcript of this dossier"))
    blind = False
    if segment is not None:
        blind = refuse_unless_own_while_blind(segment, actor)
    log = Log(actor)
    with transaction.atomic():
        memo = Memo.objects.create(
            dossier=dossier,
            segment=segment,
            code=code,
            transcript=transcript,
            text=text,
            author=_actor(actor),
            author_label=user_label(actor)[:150],
        )
        log.audit(
            action="coding.memo_added",
            dossier=dossier,
            target=memo,
            summary="Memo toegevoegd",
            after=None if blind else {"text": text[:2000]},
        )
        log.flush()
    return memo
