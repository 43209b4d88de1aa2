# SPDX-License-Identifier: EUPL-1.2
"""The audit log in words: each event as a sentence, its changes as "field: old → new".

One registry maps an action code (``judgements.consensus``) to a label for the filter menu
("Consensus recorded") and a sentence ("%(actor)s recorded the consensus"); both are English
msgids, so the Dutch interface reads "Pim Projectleider legde de consensus vast". An app adds
its actions with :func:`register` (from its ``AppConfig.ready`` or a module it imports there);
an action nobody registered still reads as a sentence made from the kind of object and the
verb its code ends in ("… voegde een sessie toe"), never as the code itself.

Changed fields are named by the model field's ``verbose_name`` (the model of the event's
``object_type``), or by :data:`FIELD_LABELS` for keys that are no model field; values are
written for people: yes/no, dates in the interface's date style, choice labels, the name of a
related object, long texts cut short. The raw JSON stays in the export (``core.exports``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.defaultfilters import floatformat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

MAX_VALUE_CHARS = 160
MAX_LIST_ITEMS = 8
MAX_CHANGES = 12


@dataclass(frozen=True)
class ActionText:
    label: Promise | str  # for the filter menu: "Consensus recorded"
    sentence: Promise | str  # "%(actor)s recorded the consensus"


_REGISTRY: dict[str, ActionText] = {}
# Keys of before/after that are no model field, by name (any app may add to it).
FIELD_LABELS: dict[str, Promise | str] = {}
# object_type ("policy.Measure") → a function of (object, dossier id) giving its page's URL.
_OBJECT_URLS: dict[str, Any] = {}


def register(
    actions: Mapping[str, tuple[Promise | str, Promise | str]],
    *,
    fields: Mapping[str, Promise | str] | None = None,
) -> None:
    """Add actions (code → (label, sentence with ``%(actor)s``)) and field labels.

    >>> register({"demo.example": ("Example done", "%(actor)s did the example")})
    >>> str(action_label("demo.example"))
    'Example done'
    """
    for code, (label, sentence) in actions.items():
        _REGISTRY[code] = ActionText(label, sentence)
    FIELD_LABELS.update(fields or {})


def register_object_url(object_type: str, url: Any) -> None:
    """``url(obj, dossier_id) -> str``: where an event's object can be seen."""
    _OBJECT_URLS[object_type] = url


# --- Generic sentences for actions nobody registered ---------------------------------------------

_VERBS = (
    (("create", "add", "register", "import", "load", "upload"), "add"),
    (("update", "change", "edit", "set", "save", "rename", "move"), "change"),
    (("delete", "remove", "revoke", "withdraw"), "remove"),
)
_GENERIC_SENTENCE = {
    "add": _("%(actor)s added %(what)s"),
    "change": _("%(actor)s changed %(what)s"),
    "remove": _("%(actor)s removed %(what)s"),
    "": _("%(actor)s recorded something about %(what)s"),
}
_GENERIC_LABEL = {
    "add": _("%(what)s added"),
    "change": _("%(what)s changed"),
    "remove": _("%(what)s removed"),
    "": _("%(what)s: other"),
}


def _verb(action: str) -> str:
    last = re.split(r"[._]", action)[-1].lower()
    for endings, verb in _VERBS:
        if last in endings or any(last.endswith(e) for e in endings):
            return verb
    return ""


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except (LookupError, ValueError):
        return None


def _what(action: str, object_type: str) -> str:
    """ "a session" or, without a known model, the app's name ("something in Fieldwork")."""
    model = _model(object_type)
    if model is not None:
        return gettext("a %(object)s") % {"object": model._meta.verbose_name}
    app = action.split(".", 1)[0]
    try:
        name = str(apps.get_app_config(app).verbose_name)
    except LookupError:
        name = app
    return gettext("something in %(app)s") % {"app": name}


def action_label(action: str, object_type: str = "") -> str:
    """The action's label for people ("Consensus recorded"); never the code."""
    known = _REGISTRY.get(action)
    if known is not None:
        return str(known.label)
    what = _what(action, object_type)
    return capfirst(str(_GENERIC_LABEL[_verb(action)]) % {"what": what})


def sentence(action: str, actor: str, object_type: str = "") -> str:
    """ "Pim Projectleider recorded the consensus" (in the interface's language)."""
    known = _REGISTRY.get(action)
    if known is not None:
        return str(known.sentence) % {"actor": actor}
    what = _what(action, object_type)
    return str(_GENERIC_SENTENCE[_verb(action)]) % {"actor": actor, "what": what}


# --- Values and changes ------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$"
)
_HEX_DIGEST = re.compile(r"^[0-9a-f]{40,128}$")


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def field_label(name: str, model: type[models.Model] | None = None) -> str:
    """A before/after key as people read it: the field's verbose name, or a known label."""
    found = _field(model, name)
    if found is not None:
        verbose = str(found.verbose_name)
        if verbose == name.replace("_", " "):  # no verbose name given: Django made one
            if name in FIELD_LABELS:
                return capfirst(str(FIELD_LABELS[name]))
            return capfirst(gettext(verbose))
        return capfirst(verbose)
    if name in FIELD_LABELS:
        return capfirst(str(FIELD_LABELS[name]))
    return capfirst(name.replace("_", " "))


# The names of related objects :func:`describe` looked up for a whole page of events at once
# ((model, pk as text) → name, None: no such object); None outside describe.
_NAMES: ContextVar[dict[tuple[type[models.Model], str], str | None] | None] = ContextVar(
    "audit_text_names", default=None
)


def _related_model(found: models.Field | None) -> type[models.Model] | None:
    if found is None or not found.is_relation or found.related_model is None:
        return None
    if isinstance(found.related_model, str):
        return None
    return found.related_model


def _related(found: models.Field | None, value: Any) -> str | None:
    model = _related_model(found)
    if model is None:
        return None
    names = _NAMES.get()
    if names is not None and (model, str(value)) in names:
        return names[(model, str(value))]
    try:
        obj = model._default_manager.filter(pk=value).first()
    except (ValueError, TypeError):
        return None
    return str(obj) if obj is not None else None


def _names(events: list[Any]) -> dict[tuple[type[models.Model], str], str | None]:
    """The names of the objects the events' values refer to, one query per kind of object
    instead of one per value (see :func:`_related`)."""
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    for event in events:
        model = _model(event.object_type)
        for values in (event.before, event.after):
            if model is None or not isinstance(values, Mapping):
                continue
            for name, value in values.items():
                related = _related_model(_field(model, name))
                if related is None or isinstance(value, bool):
                    continue
                numeric = isinstance(value, int) or (isinstance(value, str) and value.isdigit())
                # "007" finds object 7 one by one, but is not the key "7": left to _related.
                if numeric and str(int(value)) == str(value):
                    wanted[related].add(str(value))
    names: dict[tuple[type[models.Model], str], str | None] = {}
    for related, keys in wanted.items():
        try:
            found = {str(o.pk): str(o) for o in related._default_manager.filter(pk__in=keys)}
        except (ValueError, TypeError):
            continue  # _related looks them up one by one, and says nothing for a bad key
        names.update({(related, key): found.get(key) for key in keys})
    return names


def value_text(value: Any, found: models.Field | None = None) -> str:
    """A stored value written for people (yes/no, a date, a choice's label, a name …)."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if found is not None and found.choices and not isinstance(value, list | dict):
        labels = {str(k): v for k, v in found.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, float):
        return floatformat(value, -2)
    if isinstance(value, int):
        related = _related(found, value)
        return related or floatformat(value, 0)
    if isinstance(value, list):
        items = [value_text(item) for item in value[:MAX_LIST_ITEMS]]
        more = len(value) - MAX_LIST_ITEMS
        return ", ".join(items) + (f" (+{more})" if more > 0 else "")
    if isinstance(value, dict):
        return "; ".join(
            f"{field_label(str(k))}: {value_text(v)}"
            for k, v in list(value.items())[:MAX_LIST_ITEMS]
        )
    text = str(value)
    if _ISO_DATE.match(text):
        try:
            return date_format(dt.date.fromisoformat(text), "DATE_FORMAT")
        except ValueError:
            return text
    if _ISO_DATETIME.match(text):
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return text
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "DATETIME_FORMAT")
    if _HEX_DIGEST.match(text):
        return text[:12] + "…"  # a checksum: its start identifies it
    related = _related(found, text) if text.isdigit() else None
    if related:
        return related
    if len(text) > MAX_VALUE_CHARS:
        return text[: MAX_VALUE_CHARS - 1].rstrip() + "…"
    return text


@dataclass(frozen=True)
class Change:
    label: str
    old: str | None  # None: the field was not there before (a new object, say)
    new: str | None  # None: the field is gone (a removed object)


def changes(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    model: type[models.Model] | None = None,
    *,
    models_: Iterable[type[models.Model]] = (),
) -> list[Change]:
    """The keys that differ between ``before`` and ``after``, labelled and written for people.

    ``model`` (and any in ``models_``) names the fields. A key only in ``after`` is new (old
    None), only in ``before`` is gone (new None).
    """
    before = before if isinstance(before, Mapping) else {}
    after = after if isinstance(after, Mapping) else {}
    candidates = [m for m in (model, *models_) if m is not None]
    out: list[Change] = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if name in before and name in after and old == new:
            continue
        found = next((f for m in candidates if (f := _field(m, name)) is not None), None)
        owner = found.model if found is not None else (candidates[0] if candidates else None)
        out.append(
            Change(
                label=field_label(name, owner),
                old=value_text(old, found) if name in before else None,
                new=value_text(new, found) if name in after else None,
            )
        )
    return out[:MAX_CHANGES]


# --- Events ------------------------------------------------------------------------------------


@dataclass
class EventText:
    event: Any
    sentence: str
    label: str
    url: str = ""
    changes: list[Change] = field(default_factory=list)


def _actor_name(event: Any) -> str:
    actor = getattr(event, "actor", None)
    if actor is not None:
        full = (actor.get_full_name() or "").strip()
        if full:
            return full
    label = event.actor_label or ""
    if label.startswith("cli:"):
        return gettext("The command line (%(user)s)") % {"user": label[4:]}
    if label == "demo-loader":
        return gettext("The demo loader")
    return label or gettext("Someone")


def _urls(events: list[Any]) -> dict[tuple[str, str], str]:
    """The page of each event's object that still exists (one query per kind of object)."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.object_type in _OBJECT_URLS and event.object_id:
            wanted[event.object_type].add(event.object_id)
    found: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        model = _model(object_type)
        if model is None:
            continue
        keys = [int(i) for i in ids if i.isdigit()]
        for obj in model._default_manager.filter(pk__in=keys):
            try:
                url = _OBJECT_URLS[object_type](obj)
            except (NoReverseMatch, AttributeError, TypeError, ValueError):
                continue
            if url:
                found[(object_type, str(obj.pk))] = url
    return found


def describe(events: Iterable[Any]) -> list[EventText]:
    """Audit events (``core.AuditEvent``) in words, in the order given."""
    events = list(events)
    urls = _urls(events)
    token = _NAMES.set(_names(events))
    try:
        return [
            EventText(
                event=event,
                sentence=sentence(event.action, _actor_name(event), event.object_type),
                label=action_label(event.action, event.object_type),
                url=urls.get((event.object_type, event.object_id), ""),
                changes=changes(event.before, event.after, _model(event.object_type)),
            )
            for event in events
        ]
    finally:
        _NAMES.reset(token)


def action_choices(actions: Iterable[str]) -> list[tuple[str, str]]:
    """(code, label) for a filter menu, sorted by label."""
    return sorted(((a, action_label(a)) for a in actions), key=lambda pair: pair[1].lower())


def actor_choices(labels: Iterable[str]) -> list[tuple[str, str]]:
    """(actor label, the person's name with the label) for a filter menu, sorted by name."""
    from django.contrib.auth import get_user_model

    labels = list(labels)
    users = get_user_model()._default_manager.filter(username__in=labels)
    names = {u.get_username(): (u.get_full_name() or "").strip() for u in users}
    choices = []
    for label in labels:
        name = names.get(label) or ""
        if label.startswith("cli:"):
            name = gettext("The command line (%(user)s)") % {"user": label[4:]}
        elif label == "demo-loader":
            name = gettext("The demo loader")
        choices.append(
            (
                label,
                f"{name} ({label})"
                if name and not label.startswith(("cli:", "demo-"))
                else name or label,
            )
        )
    return sorted(choices, key=lambda pair: pair[1].lower())


# --- The actions of the apps as they are -------------------------------------------------------


def _url(name: str, key: str) -> Any:
    def build(obj: Any) -> str:
        return reverse(name, kwargs={"dossier_id": obj.dossier_id, key: obj.pk})

    return build


def _citation_url(obj: Any) -> str:
    base = reverse(
        "evidence:document",
        kwargs={"dossier_id": obj.document.dossier_id, "document_id": obj.document_id},
    )
    return f"{base}?pagina={obj.page_number}&citaat={obj.pk}#citaat-{obj.pk}"


for _type, _target in {
    "policy.Goal": _url("policy:goal_detail", "goal_id"),
    "policy.Measure": _url("policy:measure_detail", "measure_id"),
    "policy.Indicator": _url("policy:indicator_detail", "indicator_id"),
    "policy.Actor": _url("policy:actor_edit", "actor_id"),
    "evidence.Document": _url("evidence:document", "document_id"),
    "judgements.Judgement": _url("judgements:detail", "judgement_id"),
    "council.InformationItem": _url("council:item", "item_id"),
    "uitvraag.UitvraagRequest": _url("uitvraag:detail", "request_id"),
}.items():
    register_object_url(_type, _target)
register_object_url("evidence.Citation", _citation_url)
register_object_url(
    "dossiers.Dossier", lambda obj: reverse("dossiers:detail", kwargs={"dossier_id": obj.pk})
)

register(
    {
        "auth.login": (_("Signed in"), _("%(actor)s signed in")),
        "auth.logout": (_("Signed out"), _("%(actor)s signed out")),
        "auth.login_failed": (_("Sign-in failed"), _("A sign-in as %(actor)s failed")),
        "auth.lockout": (
            _("Sign-in blocked"),
            _("Signing in as %(actor)s was blocked after too many attempts"),
        ),
        "access.denied": (_("Access refused"), _("%(actor)s was refused access")),
        "user.create": (_("User created"), _("%(actor)s created a user account")),
        "user.password_change": (_("Password changed"), _("%(actor)s changed a password")),
        "user.password_reset": (_("Password reset"), _("%(actor)s reset a password")),
        "dossier.create": (_("Dossier created"), _("%(actor)s created the dossier")),
        "dossier.update": (_("Dossier changed"), _("%(actor)s changed the dossier")),
        "membership.set": (_("Team member set"), _("%(actor)s set a team member's role")),
        "membership.remove": (_("Team member removed"), _("%(actor)s removed a team member")),
        "subquestion.set": (_("Sub-question recorded"), _("%(actor)s recorded a sub-question")),
        "milestone.create": (_("Milestone planned"), _("%(actor)s planned a milestone")),
        "milestone.done": (_("Milestone done"), _("%(actor)s marked a milestone as done")),
        "milestone.reopen": (_("Milestone reopened"), _("%(actor)s reopened a milestone")),
        "timeline.create": (
            _("Timeline event added"),
            _("%(actor)s added an event to the policy timeline"),
        ),
        "comment.add": (_("Review note written"), _("%(actor)s wrote a review note")),
        "areas.load": (_("Areas loaded"), _("%(actor)s loaded an area division")),
        "indicators.define": (
            _("Indicator definitions recorded"),
            _("%(actor)s recorded indicator definitions"),
        ),
        "indicators.load": (_("Indicator values loaded"), _("%(actor)s loaded indicator values")),
        "export.download": (_("Export downloaded"), _("%(actor)s downloaded an export")),
        "evidence.document_add": (_("Document added"), _("%(actor)s added a document")),
        "evidence.document_update": (
            _("Document details changed"),
            _("%(actor)s changed the details of a document"),
        ),
        "evidence.document_reingest": (
            _("Document read again"),
            _("%(actor)s had a document read again"),
        ),
        "evidence.citation_add": (_("Passage cited"), _("%(actor)s cited a passage")),
        "evidence.citations_released": (
            _("Citations released"),
            _("%(actor)s released held citations"),
        ),
        "evidence.definition_add": (_("Definition recorded"), _("%(actor)s recorded a definition")),
        "evidence.term_add": (_("Term followed"), _("%(actor)s began following a term")),
        "evidence.term_remove": (
            _("Term no longer followed"),
            _("%(actor)s stopped following a term"),
        ),
        "evidence.council_pull": (
            _("Council documents searched"),
            _("%(actor)s searched the council information system"),
        ),
        "policy.import": (
            _("Policy register imported"),
            _("%(actor)s imported policy register data"),
        ),
        "policy.actor_create": (_("Actor added"), _("%(actor)s added an actor")),
        "policy.actor_update": (_("Actor changed"), _("%(actor)s changed an actor")),
        "policy.actor_delete": (_("Actor removed"), _("%(actor)s removed an actor")),
        "policy.goal_create": (_("Goal added"), _("%(actor)s added a goal")),
        "policy.goal_update": (_("Goal changed"), _("%(actor)s changed a goal")),
        "policy.goal_delete": (_("Goal removed"), _("%(actor)s removed a goal")),
        "policy.measure_create": (_("Measure added"), _("%(actor)s added a measure")),
        "policy.measure_update": (_("Measure changed"), _("%(actor)s changed a measure")),
        "policy.measure_delete": (_("Measure removed"), _("%(actor)s removed a measure")),
        "policy.indicator_create": (_("Indicator added"), _("%(actor)s added an indicator")),
        "policy.indicator_update": (_("Indicator changed"), _("%(actor)s changed an indicator")),
        "policy.indicator_delete": (_("Indicator removed"), _("%(actor)s removed an indicator")),
        "policy.indicator_value_set": (
            _("Indicator value recorded"),
            _("%(actor)s recorded a value of an indicator"),
        ),
        "policy.indicator_value_delete": (
            _("Indicator value removed"),
            _("%(actor)s removed a value of an indicator"),
        ),
        "policy.theory_step_create": (
            _("Policy theory step added"),
            _("%(actor)s added a step to a policy theory"),
        ),
        "policy.theory_step_update": (
            _("Policy theory step changed"),
            _("%(actor)s changed a step of a policy theory"),
        ),
        "policy.theory_step_delete": (
            _("Policy theory step removed"),
            _("%(actor)s removed a step of a policy theory"),
        ),
        "policy.theory_link_create": (
            _("Policy theory link added"),
            _("%(actor)s linked two steps of a policy theory"),
        ),
        "policy.theory_link_update": (
            _("Policy theory link changed"),
            _("%(actor)s changed a link in a policy theory"),
        ),
        "policy.theory_link_delete": (
            _("Policy theory link removed"),
            _("%(actor)s removed a link in a policy theory"),
        ),
        "policy.evidence_add": (_("Evidence attached"), _("%(actor)s attached evidence")),
        "policy.evidence_remove": (_("Evidence removed"), _("%(actor)s removed evidence")),
        "uitvraag.create": (
            _("Information request created"),
            _("%(actor)s created an information request"),
        ),
        "uitvraag.update": (
            _("Information request changed"),
            _("%(actor)s changed an information request"),
        ),
        "uitvraag.template": (
            _("Request workbook made"),
            _("%(actor)s made the workbook of an information request"),
        ),
        "uitvraag.status": (
            _("Request status changed"),
            _("%(actor)s changed the status of an information request"),
        ),
        "uitvraag.receive": (
            _("Completed workbook received"),
            _("%(actor)s received a completed workbook"),
        ),
        "uitvraag.apply": (
            _("Completed workbook read in"),
            _("%(actor)s read a completed workbook into the policy register"),
        ),
        "uitvraag.reminder": (_("Reminder sent"), _("%(actor)s recorded a reminder")),
        "uitvraag.token_create": (_("Upload link made"), _("%(actor)s made an upload link")),
        "uitvraag.token_revoke": (_("Upload link revoked"), _("%(actor)s revoked an upload link")),
        "council.item_register": (
            _("Council information registered"),
            _("%(actor)s registered information to the council"),
        ),
        "council.item_update": (
            _("Council information changed"),
            _("%(actor)s changed information to the council"),
        ),
        "council.item_remove": (
            _("Council information removed"),
            _("%(actor)s removed information to the council"),
        ),
        "judgements.framework_copy": (
            _("Assessment framework adopted"),
            _("%(actor)s adopted an assessment framework"),
        ),
        "judgements.framework_save": (
            _("Assessment framework saved"),
            _("%(actor)s saved the assessment framework"),
        ),
        "judgements.start": (_("Judgement started"), _("%(actor)s started a judgement")),
        "judgements.assign": (_("Assessors assigned"), _("%(actor)s assigned assessors")),
        "judgements.assess": (_("Assessment submitted"), _("%(actor)s submitted an assessment")),
        "judgements.assessment_change": (
            _("Assessment changed"),
            _("%(actor)s changed an assessment"),
        ),
        "judgements.consensus": (_("Consensus recorded"), _("%(actor)s recorded the consensus")),
        "judgements.sign_off": (_("Judgement signed off"), _("%(actor)s signed off a judgement")),
        "judgements.reopen": (_("Judgement reopened"), _("%(actor)s reopened a judgement")),
        "judgements.evidence_remove": (
            _("Evidence removed from a judgement"),
            _("%(actor)s removed evidence from a judgement"),
        ),
    },
    fields={
        "by": _("by"),
        "reason": _("reason"),
        "label": _("judgement"),
        "reopened": _("reopened"),
        "hidden_until_all_in": _("hidden until all assessments are in"),
        "slot": _("assessor"),
        "via": _("via"),
        "site_admin": _("site administrator"),
        "must_change_password": _("must change the password"),
        "username": _("user name"),
        "user": _("user"),
        "role": _("role"),
        "created": _("new"),
        "updated": _("changed"),
        "deleted": _("removed"),
        "count": _("number"),
        "errors": _("errors"),
        "valid": _("valid"),
        "measures": _("measures"),
        "goals": _("goals"),
        "keys": _("indicators"),
        "division": _("area division"),
        "release": _("release"),
        "source": _("source"),
        "file_name": _("file name"),
        "size": _("size in bytes"),
        "sha256": _("checksum"),
        "template_checksum": _("checksum of the workbook"),
        "template_version": _("workbook version"),
        "target_groups": _("target groups"),
        "budget_years": _("budget years"),
        "sent_on": _("sent on"),
        "note": _("note"),
        "citation": _("citation"),
        "subject": _("about"),
        "framework": _("framework"),
        "version": _("version"),
        "criterion": _("criterion"),
        "mode": _("mode"),
        "assessor_1": _("assessor 1"),
        "assessor_2": _("assessor 2"),
        "signed_off_by": _("signed off by"),
        "signed_off_at": _("signed off at"),
        "page_number": pgettext_lazy("of a document", "page"),
        "quote": _("quote"),
    },
)
