# SPDX-License-Identifier: EUPL-1.2
"""The fieldwork pages: selection, context per measure, sessions, participants, transcripts.

Views parse, call services or selectors, and render. Originals, the pseudonym key and contact
details are shown only through services that check VIEW_ORIGINALS again and log each view.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.service_views import run_service
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DossierAccess
from kansenaudit.web.fieldwork import context as measure_context
from kansenaudit.web.fieldwork import selectors, services, transcript_services, uploads
from kansenaudit.web.fieldwork.errors import warning_message
from kansenaudit.web.fieldwork.forms import (
    ConsentForm,
    ContactForm,
    ParticipantForm,
    ReplacementForm,
    SessionForm,
    UploadForm,
    WithdrawForm,
)
from kansenaudit.web.fieldwork.models import Participant, Session, Transcript, TranscriptJob
from kansenaudit.web.fieldwork.selection import dimension_rows, proposal_for
from kansenaudit.web.policy import selectors as policy_selectors


def _base(access: DossierAccess, sub: str) -> dict[str, Any]:
    return {
        "dossier": access.dossier,
        "access": access,
        "active": "fieldwork",
        "sub": sub,
        "may_edit": access.allows(Capability.EDIT),
        "may_see_originals": access.allows(Capability.VIEW_ORIGINALS),
    }


def _errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _session(access: DossierAccess, session_id: int) -> Session:
    session = selectors.session_in_dossier(access.dossier, session_id)
    if session is None:
        raise Http404("session")
    return session


def _participant(access: DossierAccess, participant_id: int) -> Participant:
    participant = selectors.participant_in_dossier(access.dossier, participant_id)
    if participant is None:
        raise Http404("participant")
    return participant


def _transcript(access: DossierAccess, transcript_id: int) -> Transcript:
    transcript = selectors.transcript_in_dossier(access.dossier, transcript_id)
    if transcript is None:
        raise Http404("transcript")
    return transcript


def _session_form(access: DossierAccess, data: Any = None, initial: Any = None) -> SessionForm:
    from kansenaudit.web.dossiers.models import Membership, SubQuestion

    users = [
        m.user for m in Membership.objects.filter(dossier=access.dossier).select_related("user")
    ]
    return SessionForm(
        data,
        initial=initial,
        measures=policy_selectors.measures_for(access.dossier),
        interviewers=users,
        sub_questions=SubQuestion.objects.filter(dossier=access.dossier).order_by("number"),
    )


def _participant_form(
    access: DossierAccess, data: Any = None, initial: Any = None
) -> ParticipantForm:
    return ParticipantForm(
        data,
        initial=initial,
        actors=policy_selectors.actors_for(access.dossier),
        sessions=selectors.sessions_for(access.dossier),
    )


# --- overview and selection -------------------------------------------------------------------


def _n(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("n") or request.POST.get("n") or 6), 30))
    except ValueError:
        return 6


@require_GET
@dossier_view(Capability.VIEW)
def selection(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """The proposed selection with its reasons, coverage and gaps, and the stored selection."""
    n = _n(request)
    context = _base(access, "selection")
    try:
        proposal = proposal_for(access.dossier, n=n)
    except ValueError as exc:
        proposal = None
        messages.error(request, str(exc))
    stored = selectors.selection_for(access.dossier)
    proposed_ids = {c.measure_id for c in proposal.choices} if proposal else set()
    chosen_ids = {i.measure_id for i in selectors.selected_measures(access.dossier)} or proposed_ids
    context.update(
        {
            "n": n,
            "proposal": proposal,
            "covers": dimension_rows(proposal.covers) if proposal else [],
            "misses": dimension_rows(proposal.misses) if proposal else [],
            "stored": stored,
            "selected": selectors.selected_measures(access.dossier),
            "measures": [
                {"measure": m, "proposed": m.pk in proposed_ids, "checked": m.pk in chosen_ids}
                for m in policy_selectors.measures_for(access.dossier)
            ],
        }
    )
    return render(request, "fieldwork/selection.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def selection_confirm(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("measures") if i.isdigit()]
    reasons = {
        int(k[7:]): request.POST.get(k, "")
        for k in request.POST
        if k.startswith("reason-") and k[7:].isdigit()
    }
    back = reverse("fieldwork:selection", args=[access.dossier.pk]) + f"?n={_n(request)}"
    return run_service(
        request,
        lambda: services.selection_confirm(
            dossier=access.dossier,
            actor=request.user,
            measure_ids=ids,
            swap_reasons=reasons,
            rationale=request.POST.get("rationale", ""),
            n=_n(request),
        ),
        success=_("Selection stored."),
        redirect_to=back,
    )


@require_GET
@dossier_view(Capability.VIEW)
def measure(request: HttpRequest, *, access: DossierAccess, measure_id: int) -> HttpResponse:
    """The context of one measure for the fieldwork (§4.2.2)."""
    data = measure_context.measure_context(access.dossier, measure_id, viewer=request.user)
    if data is None:
        raise Http404("measure")
    context = _base(access, "selection")
    context.update(data)
    return render(request, "fieldwork/measure.html", context)


# --- sessions ---------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def sessions(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    context = _base(access, "sessions")
    context.update(
        {
            "sessions": selectors.sessions_for(access.dossier).prefetch_related("transcripts"),
            "form": _session_form(access) if context["may_edit"] else None,
        }
    )
    return render(request, "fieldwork/sessions.html", context)


def _save_session(
    request: HttpRequest, access: DossierAccess, session: Session | None
) -> HttpResponse:
    form = _session_form(access, request.POST)
    back = (
        reverse("fieldwork:session", args=[access.dossier.pk, session.pk])
        if session
        else reverse("fieldwork:sessions", args=[access.dossier.pk])
    )
    if not form.is_valid():
        _errors(request, form)
        return redirect(back)
    from django.contrib.auth import get_user_model

    d = form.cleaned_data
    chosen_measures = list(
        policy_selectors.measures_for(access.dossier).filter(pk__in=d["measures"])
    )
    users = list(
        get_user_model().objects.filter(
            pk__in=d["interviewers"], memberships__dossier=access.dossier
        )
    )
    saved: dict[str, Session] = {}

    def call() -> None:
        saved["s"] = services.session_save(
            dossier=access.dossier,
            actor=request.user,
            session=session,
            kind=d["kind"],
            title=d["title"],
            date=d["date"],
            place=d["place"],
            status=d["status"],
            measures=chosen_measures,
            interviewers=users,
            sub_questions=d["sub_questions"],
        )

    response = run_service(request, call, success=_("Session saved."), redirect_to=back)
    if session is None and "s" in saved:
        return redirect("fieldwork:session", access.dossier.pk, saved["s"].pk)
    return response


@require_POST
@dossier_view(Capability.EDIT)
def session_create(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    return _save_session(request, access, None)


@require_POST
@dossier_view(Capability.EDIT)
def session_save(request: HttpRequest, *, access: DossierAccess, session_id: int) -> HttpResponse:
    return _save_session(request, access, _session(access, session_id))


@require_GET
@dossier_view(Capability.VIEW)
def session(request: HttpRequest, *, access: DossierAccess, session_id: int) -> HttpResponse:
    s = _session(access, session_id)
    context = _base(access, "sessions")
    initial = {
        "kind": s.kind,
        "title": s.title,
        "date": s.date,
        "place": s.place,
        "status": s.status,
        "measures": [m.pk for m in s.measures.all()],
        "interviewers": [u.pk for u in s.interviewers.all()],
        "sub_questions": s.sub_questions,
    }
    context.update(
        {
            "session": s,
            "participants": s.participants.all(),
            "transcripts": s.transcripts.all(),
            "jobs": selectors.transcript_jobs(s),
            "form": _session_form(access, initial=initial) if context["may_edit"] else None,
            "upload_form": UploadForm() if context["may_edit"] else None,
        }
    )
    return render(request, "fieldwork/session.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def transcript_upload(
    request: HttpRequest, *, access: DossierAccess, session_id: int
) -> HttpResponse:
    s = _session(access, session_id)
    back = reverse("fieldwork:session", args=[access.dossier.pk, s.pk])
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        _errors(request, form)
        return redirect(back)
    upload = form.cleaned_data["file"]
    if upload.size > transcript_services.MAX_TRANSCRIPT_BYTES:
        messages.error(request, _("%(file)s is too large.") % {"file": upload.name})
        return redirect(back)
    try:
        job = uploads.transcript_queue(
            session=s,
            actor=request.user,
            data=upload.read(),
            file_name=upload.name,
            title=form.cleaned_data["title"],
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    job.refresh_from_db()  # the tests' immediate backend has run it already
    if job.state == TranscriptJob.State.DONE and job.transcript_id:
        messages.success(
            request, _("Transcript stored and pseudonymised; review the replacements.")
        )
        return redirect("fieldwork:transcript", access.dossier.pk, job.transcript_id)
    if job.state == TranscriptJob.State.FAILED:
        messages.error(request, job.message)
    else:
        messages.success(
            request,
            _(
                "The transcript is queued: it is read and pseudonymised in the background. "
                "This page shows when it is ready for review."
            ),
        )
    return redirect(back + "#transcripten-kop")


# --- participants -----------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def participants(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    context = _base(access, "participants")
    context.update(
        {
            "participants": selectors.participants_for(access.dossier).prefetch_related("sessions"),
            "form": _participant_form(access) if context["may_edit"] else None,
        }
    )
    return render(request, "fieldwork/participants.html", context)


def _save_participant(
    request: HttpRequest, access: DossierAccess, participant: Participant | None
) -> HttpResponse:
    form = _participant_form(access, request.POST)
    back = (
        reverse("fieldwork:participant", args=[access.dossier.pk, participant.pk])
        if participant
        else reverse("fieldwork:participants", args=[access.dossier.pk])
    )
    if not form.is_valid():
        _errors(request, form)
        return redirect(back)
    d = form.cleaned_data
    actor_obj = (
        policy_selectors.actors_for(access.dossier).filter(pk=d["organisation_actor"]).first()
        if d["organisation_actor"]
        else None
    )
    chosen = list(selectors.sessions_for(access.dossier).filter(pk__in=d["sessions"]))
    return run_service(
        request,
        lambda: services.participant_save(
            dossier=access.dossier,
            actor=request.user,
            participant=participant,
            pseudonym=d["pseudonym"],
            stakeholder_group=d["stakeholder_group"],
            role=d["role"],
            organisation=d["organisation"] if not actor_obj else "",
            organisation_actor=actor_obj,
            sessions=chosen,
        ),
        success=_("Participant saved."),
        redirect_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def participant_create(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    return _save_participant(request, access, None)


@require_POST
@dossier_view(Capability.EDIT)
def participant_save(
    request: HttpRequest, *, access: DossierAccess, participant_id: int
) -> HttpResponse:
    return _save_participant(request, access, _participant(access, participant_id))


@require_GET
@dossier_view(Capability.VIEW)
def participant(
    request: HttpRequest, *, access: DossierAccess, participant_id: int
) -> HttpResponse:
    p = _participant(access, participant_id)
    context = _base(access, "participants")
    consent = getattr(p, "consent", None)
    context.update(
        {
            "participant": p,
            "consent": consent,
            "has_contact": hasattr(p, "contact"),
            "form": _participant_form(
                access,
                initial={
                    "pseudonym": p.pseudonym,
                    "stakeholder_group": p.stakeholder_group,
                    "role": p.role,
                    "organisation_actor": p.actor_id,
                    "organisation": "" if p.actor_id else p.organisation,
                    "sessions": [s.pk for s in p.sessions.all()],
                },
            )
            if context["may_edit"]
            else None,
            "consent_form": ConsentForm(
                initial={"given_on": consent.given_on, "scope": consent.scope} if consent else None
            )
            if context["may_edit"] and not p.withdrawn_at
            else None,
            "withdraw_form": WithdrawForm() if context["may_edit"] and not p.withdrawn_at else None,
            "contact_form": ContactForm() if context["may_see_originals"] else None,
        }
    )
    return render(request, "fieldwork/participant.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def consent(request: HttpRequest, *, access: DossierAccess, participant_id: int) -> HttpResponse:
    p = _participant(access, participant_id)
    back = reverse("fieldwork:participant", args=[access.dossier.pk, p.pk])
    form = ConsentForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect(back)
    return run_service(
        request,
        lambda: services.consent_record(
            participant=p,
            actor=request.user,
            given_on=form.cleaned_data["given_on"],
            scope=form.cleaned_data["scope"],
        ),
        success=_("Consent recorded."),
        redirect_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def withdraw(request: HttpRequest, *, access: DossierAccess, participant_id: int) -> HttpResponse:
    p = _participant(access, participant_id)
    form = WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return run_service(
        request,
        lambda: services.consent_withdraw(participant=p, actor=request.user, note=note),
        success=_("Consent withdrawn: this participant's words are left out from now on."),
        redirect_to=reverse("fieldwork:participant", args=[access.dossier.pk, p.pk]),
    )


@require_POST
@dossier_view(Capability.VIEW_ORIGINALS)
def contact_set(
    request: HttpRequest, *, access: DossierAccess, participant_id: int
) -> HttpResponse:
    p = _participant(access, participant_id)
    form = ContactForm(request.POST)
    details = form.cleaned_data["details"] if form.is_valid() else ""
    return run_service(
        request,
        lambda: services.contact_set(participant=p, actor=request.user, details=details),
        success=_("Contact details stored (encrypted)."),
        redirect_to=reverse("fieldwork:participant", args=[access.dossier.pk, p.pk]),
    )


@require_GET
@dossier_view(Capability.VIEW_ORIGINALS)
def contact(request: HttpRequest, *, access: DossierAccess, participant_id: int) -> HttpResponse:
    p = _participant(access, participant_id)
    context = _base(access, "participants")
    try:
        details = services.contact_view(participant=p, actor=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
        details = ""
    context.update({"participant": p, "details": details})
    return render(request, "fieldwork/contact.html", context)


# --- transcripts ------------------------------------------------------------------------------


def _marked(
    text: str, spans: list[list[Any]], withdrawn: list[tuple[int, int]]
) -> list[dict[str, Any]]:
    """The pseudonymised text in pieces: plain, replacement (with its index) or withdrawn."""
    pieces: list[dict[str, Any]] = []
    marks = [(s, e, "rep", i, p) for i, (s, e, _k, p) in enumerate(spans)]
    marks += [(s, e, "withdrawn", -1, "") for s, e in withdrawn]
    pos = 0
    for s, e, kind, index, _pseudonym in sorted(marks, key=lambda m: (m[0], m[2] != "withdrawn")):
        if s < pos:
            continue
        if s > pos:
            pieces.append({"kind": "text", "text": text[pos:s]})
        if kind == "withdrawn":
            pieces.append({"kind": "withdrawn", "text": selectors.WITHDRAWN_MARK})
        else:
            pieces.append({"kind": "rep", "text": text[s:e], "index": index})
        pos = e
    pieces.append({"kind": "text", "text": text[pos:]})
    return pieces


@require_GET
@dossier_view(Capability.VIEW)
def transcript(request: HttpRequest, *, access: DossierAccess, transcript_id: int) -> HttpResponse:
    """The review page: the pseudonymised text with its replacements marked."""
    t = _transcript(access, transcript_id)
    original = getattr(t, "original", None)
    spans = original.spans if original else []
    context = _base(access, "sessions")
    context.update(
        {
            "transcript": t,
            "pieces": _marked(t.text, spans, selectors.withdrawn_spans(t)),
            "replacements": [
                {"index": i, "kind": k, "pseudonym": p} for i, (_s, _e, k, p) in enumerate(spans)
            ],
            "warnings": [warning_message(w) for w in (original.warnings if original else [])],
            "turns": selectors.transcript_blocks(t),
            "form": ReplacementForm() if context["may_edit"] else None,
        }
    )
    return render(request, "fieldwork/transcript.html", context)


@require_GET
@dossier_view(Capability.VIEW_ORIGINALS)
def original(request: HttpRequest, *, access: DossierAccess, transcript_id: int) -> HttpResponse:
    """Pseudonymised and original side by side (VIEW_ORIGINALS; the view is logged)."""
    t = _transcript(access, transcript_id)
    context = _base(access, "sessions")
    try:
        payload = transcript_services.original_view(transcript=t, actor=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("fieldwork:transcript", access.dossier.pk, t.pk)
    withdrawn = {(s, e) for s, e in selectors.withdrawn_spans(t)}
    turns = []
    by_number = {turn.number: turn for turn in t.turns.select_related("participant")}
    for number, (speaker, start, end, _label) in enumerate(payload["turns"], start=1):
        turn = by_number.get(number)
        hidden = turn is not None and (turn.start, turn.end) in withdrawn
        turns.append(
            {
                "speaker": speaker,
                "original": selectors.WITHDRAWN_MARK if hidden else payload["original"][start:end],
                "pseudonymised": selectors.WITHDRAWN_MARK
                if hidden or turn is None
                else t.text[turn.start : turn.end],
            }
        )
    if not turns:
        turns = [{"speaker": "", "original": payload["original"], "pseudonymised": t.text}]
    context.update({"transcript": t, "turns": turns, "count": len(payload["replacements"])})
    return render(request, "fieldwork/original.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def replacement_add(
    request: HttpRequest, *, access: DossierAccess, transcript_id: int
) -> HttpResponse:
    t = _transcript(access, transcript_id)
    back = reverse("fieldwork:transcript", args=[access.dossier.pk, t.pk])
    form = ReplacementForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect(back)
    return run_service(
        request,
        lambda: transcript_services.replacement_add(
            transcript=t,
            actor=request.user,
            phrase=form.cleaned_data["phrase"],
            kind=form.cleaned_data["kind"],
        ),
        success=_("Replacement added."),
        redirect_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def replacement_undo(
    request: HttpRequest, *, access: DossierAccess, transcript_id: int
) -> HttpResponse:
    t = _transcript(access, transcript_id)
    try:
        index = int(request.POST.get("index", ""))
    except ValueError:
        index = -1
    return run_service(
        request,
        lambda: transcript_services.replacement_undo(
            transcript=t, actor=request.user, span_index=index
        ),
        success=_("Replacement undone."),
        redirect_to=reverse("fieldwork:transcript", args=[access.dossier.pk, t.pk]),
    )


@require_GET
@dossier_view(Capability.VIEW_ORIGINALS)
def key(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """The pseudonym key of the dossier (VIEW_ORIGINALS; the view is logged)."""
    context = _base(access, "key")
    try:
        data = transcript_services.key_view(dossier=access.dossier, actor=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
        data = {}
    context["entries"] = measure_context.key_entries(data)
    return render(request, "fieldwork/key.html", context)
