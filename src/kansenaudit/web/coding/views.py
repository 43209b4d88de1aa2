# SPDX-License-Identifier: EUPL-1.2
"""The coding pages of a dossier: the overview, the codebook and a code, and the coding page
of a transcript or document page (select text → code it), with memos and double coding.

Views parse input, call the services (which check the rules, write and log) or the selectors
(which apply blindness and withdrawal), and render. Nothing here decides what a coder may see.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kansenaudit.web.coding import rendering, selectors, services
from kansenaudit.web.coding import segments as coding
from kansenaudit.web.coding.forms import (
    CodeForm,
    DoubleCodingForm,
    MemoForm,
    MergeForm,
    SegmentForm,
    SplitForm,
    UploadForm,
)
from kansenaudit.web.coding.models import Code, DoubleCoding, Segment
from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.service_views import run_service
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DossierAccess
from kansenaudit.web.fieldwork.models import Transcript


def base(access: DossierAccess, sub: str) -> dict[str, Any]:
    return {
        "dossier": access.dossier,
        "access": access,
        "active": "coding",
        "sub": sub,
        "may_edit": access.allows(Capability.EDIT),
    }


def form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _code_or_404(access: DossierAccess, code_id: int) -> Code:
    code = selectors.code_in_dossier(access.dossier, code_id)
    if code is None:
        raise Http404("code")
    return code


def _transcript_or_404(access: DossierAccess, transcript_id: int) -> Transcript:
    transcript = selectors.transcript_in_dossier(access.dossier, transcript_id)
    if transcript is None:
        raise Http404("transcript")
    return transcript


def _page_or_404(access: DossierAccess, document_id: int, number: int) -> tuple[Any, Any]:
    from kansenaudit.web.evidence.models import Page
    from kansenaudit.web.evidence.selectors import document_in_dossier

    document = document_in_dossier(access.dossier, document_id)
    page = Page.objects.filter(document=document, number=number).first() if document else None
    if page is None:
        raise Http404("page")
    return document, page


def _parent_choices(dossier: Any, exclude: Code | None = None) -> list[tuple[int, str]]:
    skip = selectors.descendants(exclude) if exclude is not None else set()
    return [(r.code.pk, r.path) for r in selectors.codebook_tree(dossier) if r.code.pk not in skip]


# --- overview -----------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def overview(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """The sources to code, the double-coding sample and the links to analysis and exchange."""
    from kansenaudit.web.evidence.selectors import documents_for_dossier

    dossier = access.dossier
    sample = {s.transcript_id: s for s in selectors.samples(dossier)}
    items = list(selectors.transcripts(dossier))
    rows = []
    for t in items:
        s = sample.get(t.pk)
        rows.append({"transcript": t, "sample": s, "slot": s.slot_of(request.user) if s else None})
    context = base(access, "overview")
    free = [(t.pk, t.title) for t in items if t.pk not in sample]
    coders = [(u.pk, u.get_username()) for u in selectors.coder_choices(dossier)]
    context.update(
        {
            "rows": rows,
            "documents": list(documents_for_dossier(dossier)[:200]),
            "double_form": DoubleCodingForm(transcripts=free, coders=coders) if free else None,
            "upload_form": UploadForm(),
            "refi_jobs": selectors.refi_jobs(dossier),
            "is_demo": dossier.is_demo,
        }
    )
    return render(request, "coding/overview.html", context)


# --- the codebook --------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def codebook(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    from kansenaudit.web.judgements.selectors import dossier_frameworks
    from kansenaudit.web.policy.models import Measure

    dossier = access.dossier
    context = base(access, "codebook")
    context.update(
        {
            "rows": selectors.codebook_tree(dossier),
            "form": CodeForm(parents=_parent_choices(dossier), prefix="nieuw"),
            "measures": list(Measure.objects.filter(dossier=dossier).order_by("name")),
            "frameworks": [(i.key, i.framework.name) for i in dossier_frameworks(dossier)],
        }
    )
    return render(request, "coding/codebook.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def code_add(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    dossier = access.dossier
    back = reverse("coding:codebook", args=[dossier.pk])
    form = CodeForm(request.POST, parents=_parent_choices(dossier), prefix="nieuw")
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    parent = selectors.code_in_dossier(dossier, form.cleaned_data["parent"] or 0)
    return run_service(
        request,
        lambda: services.code_create(
            dossier=dossier,
            actor=request.user,
            name=form.cleaned_data["name"],
            parent=parent,
            **form.code_fields(),
        ),
        success=_("Code added."),
        redirect_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def codes_deductive(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    from kansenaudit.web.policy.models import Measure

    dossier = access.dossier
    back = reverse("coding:codebook", args=[dossier.pk])
    measure_ids = [int(x) for x in request.POST.getlist("maatregel") if x.isdigit()]
    framework = request.POST.get("kader", "")

    def start() -> None:
        if measure_ids:
            measures = list(Measure.objects.filter(dossier=dossier, pk__in=measure_ids))
            services.codes_from_policy_theory(
                dossier=dossier, actor=request.user, measures=measures
            )
        if framework:
            services.codes_from_framework(dossier=dossier, actor=request.user, key=framework)
        if not measure_ids and not framework:
            raise services.CodingError(_("Choose a measure or a framework"))

    return run_service(request, start, success=_("Deductive codes added."), redirect_to=back)


@require_GET
@dossier_view(Capability.VIEW)
def code(request: HttpRequest, *, access: DossierAccess, code_id: int) -> HttpResponse:
    from kansenaudit.web.coding import analysis

    dossier = access.dossier
    item = _code_or_404(access, code_id)
    hits = analysis.hits(dossier, analysis.Filters(code=item.pk))
    own = [h for h in hits if any(c.pk == item.pk for c in h.segment.codes.all())]
    context = base(access, "codebook")
    context.update(
        {
            "code": item,
            "history": selectors.code_history(item),
            "hits": hits,
            "memos": selectors.memos_for(viewer=request.user, code=item),
            "memo_form": MemoForm(prefix="memo"),
        }
    )
    if item.active:
        context["form"] = CodeForm(
            parents=_parent_choices(dossier, exclude=item),
            initial={
                "name": item.name,
                "parent": item.parent_id,
                "definition": item.definition,
                "inclusion": item.inclusion,
                "exclusion": item.exclusion,
                "example": item.example,
                "colour": item.colour,
            },
        )
        context["merge_form"] = MergeForm(
            targets=[
                (r.code.pk, r.path)
                for r in selectors.codebook_tree(dossier)
                if r.code.pk not in selectors.descendants(item)
            ],
            prefix="samen",
        )
        context["split_form"] = SplitForm(
            segments=[(h.segment.pk, f"{h.source}: {h.text[:80]}") for h in own], prefix="split"
        )
    return render(request, "coding/code.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def code_edit(request: HttpRequest, *, access: DossierAccess, code_id: int) -> HttpResponse:
    item = _code_or_404(access, code_id)
    back = reverse("coding:code", args=[access.dossier.pk, item.pk])
    form = CodeForm(request.POST, parents=_parent_choices(access.dossier, exclude=item))
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    parent = selectors.code_in_dossier(access.dossier, form.cleaned_data["parent"] or 0)
    return run_service(
        request,
        lambda: services.code_update(
            code=item,
            actor=request.user,
            parent=parent,
            name=form.cleaned_data["name"],
            **form.code_fields(),
        ),
        success=_("Code saved."),
        redirect_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def code_merge(request: HttpRequest, *, access: DossierAccess, code_id: int) -> HttpResponse:
    item = _code_or_404(access, code_id)
    back = reverse("coding:code", args=[access.dossier.pk, item.pk])
    form = MergeForm(
        request.POST,
        targets=[(r.code.pk, r.path) for r in selectors.codebook_tree(access.dossier)],
        prefix="samen",
    )
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    target = _code_or_404(access, form.cleaned_data["target"])
    return run_service(
        request,
        lambda: services.code_merge(source=item, target=target, actor=request.user),
        success=_("Codes merged."),
        redirect_to=reverse("coding:code", args=[access.dossier.pk, target.pk]),
        failed_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def code_split(request: HttpRequest, *, access: DossierAccess, code_id: int) -> HttpResponse:
    item = _code_or_404(access, code_id)
    back = reverse("coding:code", args=[access.dossier.pk, item.pk])
    ids = list(item.segments.values_list("pk", flat=True))
    form = SplitForm(request.POST, segments=[(i, str(i)) for i in ids], prefix="split")
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    chosen = list(Segment.objects.filter(pk__in=form.cleaned_data["segments"]))
    return run_service(
        request,
        lambda: services.code_split(
            code=item, actor=request.user, name=form.cleaned_data["name"], segments=chosen
        ),
        success=_("Code split."),
        redirect_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def code_memo(request: HttpRequest, *, access: DossierAccess, code_id: int) -> HttpResponse:
    item = _code_or_404(access, code_id)
    back = reverse("coding:code", args=[access.dossier.pk, item.pk])
    form = MemoForm(request.POST, prefix="memo")
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    return run_service(
        request,
        lambda: services.memo_add(
            dossier=access.dossier, actor=request.user, text=form.cleaned_data["text"], code=item
        ),
        success=_("Memo added."),
        redirect_to=back,
    )


# --- the coding page ------------------------------------------------------------------------------


def _code_choices(dossier: Any) -> list[tuple[int, str]]:
    return [(r.code.pk, r.path) for r in selectors.codebook_tree(dossier)]


def _coding_context(
    request: HttpRequest,
    access: DossierAccess,
    segments: list[Segment],
    text: str,
    withdrawn: list[tuple[int, int]] | None = None,
) -> dict[str, Any]:
    from kansenaudit.web.coding.analysis import WITHDRAWN

    for s in segments:
        gone = bool(withdrawn) and selectors.overlaps(withdrawn or [], s.start, s.end)
        snippet = text[s.start : s.end]
        s.withdrawn = gone  # type: ignore[attr-defined]
        s.snippet = (
            WITHDRAWN if gone else (snippet if len(snippet) <= 300 else snippet[:300] + " …")
        )  # type: ignore[attr-defined]
    memos = selectors.memos_for(viewer=request.user, segments=segments)
    by_segment: dict[int, list[Any]] = {}
    for m in memos:
        by_segment.setdefault(m.segment_id, []).append(m)
    for s in segments:
        s.memo_list = by_segment.get(s.pk, [])  # type: ignore[attr-defined]
    return {
        "segments": segments,
        "segments_html": rendering.segments_html(
            request, access.dossier.pk, segments, may_edit=access.allows(Capability.EDIT)
        ),
    }


@require_GET
@dossier_view(Capability.VIEW)
def transcript(request: HttpRequest, *, access: DossierAccess, transcript_id: int) -> HttpResponse:
    item = _transcript_or_404(access, transcript_id)
    sample = selectors.sample_for(item)
    segments = selectors.visible_segments(viewer=request.user, transcript=item)
    all_turns = selectors.turns_of(item)
    turns = selectors.transcript_view(item, segments, all_turns)
    context = base(access, "overview")
    context.update(
        _coding_context(
            request, access, segments, item.text, selectors.withdrawn_spans(item, all_turns)
        )
    )
    slot = sample.slot_of(request.user) if sample else None
    my_done = bool(sample and slot and (sample.done_1_at if slot == 1 else sample.done_2_at))
    may_code = context["may_edit"] and not (sample and sample.blind and (slot is None or my_done))
    context.update(
        {
            "transcript": item,
            "turns": turns,
            "turns_html": rendering.turns_html(turns),
            "sample": sample,
            "slot": slot,
            "my_done": my_done,
            "may_code": may_code,
            "text_length": len(item.text),
            "form": SegmentForm(
                codes=_code_choices(access.dossier),
                turns=max((t.number for t in turns), default=0),
            )
            if may_code
            else None,
            "action": reverse("coding:transcript_code", args=[access.dossier.pk, item.pk]),
            "transcript_memos": selectors.memos_for(viewer=request.user, transcript=item),
            "memo_form": MemoForm(prefix="memo"),
            "is_demo": item.is_demo,
        }
    )
    return render(request, "coding/transcript.html", context)


def _segment_form_call(
    request: HttpRequest,
    access: DossierAccess,
    form: SegmentForm,
    **source: Any,
) -> None:
    data = form.cleaned_data
    start, end = data.get("start"), data.get("end")
    if data.get("turn") is not None:
        turn = next(
            (t for t in selectors.turns_of(source["transcript"]) if t.number == data["turn"]), None
        )
        if turn is None:
            raise services.CodingError(_("There is no such turn"))
        start, end = turn.start, turn.end
    codes = list(selectors.active_codes(access.dossier).filter(pk__in=data.get("codes") or []))
    segment = coding.segment_code(
        actor=request.user,
        codes=codes,
        start=start,
        end=end,
        new_codes=form.new_code_names(),
        **source,
    )
    if data.get("memo", "").strip():
        services.memo_add(
            dossier=access.dossier, actor=request.user, text=data["memo"], segment=segment
        )


@require_POST
@dossier_view(Capability.EDIT)
def transcript_code(
    request: HttpRequest, *, access: DossierAccess, transcript_id: int
) -> HttpResponse:
    item = _transcript_or_404(access, transcript_id)
    back = reverse("coding:transcript", args=[access.dossier.pk, item.pk])
    form = SegmentForm(
        request.POST,
        codes=_code_choices(access.dossier),
        turns=max((t.number for t in selectors.turns_of(item)), default=0),
    )
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    return run_service(
        request,
        lambda: _segment_form_call(request, access, form, transcript=item),
        success=_("Passage coded."),
        redirect_to=back + "#coderen",
    )


@require_POST
@dossier_view(Capability.EDIT)
def transcript_memo(
    request: HttpRequest, *, access: DossierAccess, transcript_id: int
) -> HttpResponse:
    item = _transcript_or_404(access, transcript_id)
    back = reverse("coding:transcript", args=[access.dossier.pk, item.pk])
    form = MemoForm(request.POST, prefix="memo")
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    return run_service(
        request,
        lambda: services.memo_add(
            dossier=access.dossier,
            actor=request.user,
            text=form.cleaned_data["text"],
            transcript=item,
        ),
        success=_("Memo added."),
        redirect_to=back,
    )


@require_GET
@dossier_view(Capability.VIEW)
def page(
    request: HttpRequest, *, access: DossierAccess, document_id: int, number: int
) -> HttpResponse:
    document, item = _page_or_404(access, document_id, number)
    segments = selectors.visible_segments(
        viewer=request.user, document=document, page_number=number
    )
    context = base(access, "overview")
    context.update(_coding_context(request, access, segments, item.text))
    context.update(
        {
            "document": document,
            "page": item,
            "page_html": selectors.page_view(item.text, segments),
            "text_length": len(item.text),
            "may_code": context["may_edit"] and bool(item.text),
            "form": SegmentForm(codes=_code_choices(access.dossier)),
            "action": reverse("coding:page_code", args=[access.dossier.pk, document.pk, number]),
            "pages": document.pages.count(),
        }
    )
    return render(request, "coding/page.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def page_code(
    request: HttpRequest, *, access: DossierAccess, document_id: int, number: int
) -> HttpResponse:
    document, _item = _page_or_404(access, document_id, number)
    back = reverse("coding:page", args=[access.dossier.pk, document.pk, number])
    form = SegmentForm(request.POST, codes=_code_choices(access.dossier))
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    return run_service(
        request,
        lambda: _segment_form_call(request, access, form, document=document, page_number=number),
        success=_("Passage coded."),
        redirect_to=back + "#coderen",
    )


def _segment_or_404(access: DossierAccess, segment_id: int) -> Segment:
    segment = (
        Segment.objects.filter(dossier=access.dossier, pk=segment_id)
        .select_related("transcript", "document", "dossier")
        .first()
    )
    if segment is None:
        raise Http404("segment")
    return segment


def _segment_back(segment: Segment) -> str:
    if segment.transcript_id is not None:
        return reverse("coding:transcript", args=[segment.dossier_id, segment.transcript_id])
    return reverse(
        "coding:page", args=[segment.dossier_id, segment.document_id, segment.page_number]
    )


@require_POST
@dossier_view(Capability.EDIT)
def segment_remove(request: HttpRequest, *, access: DossierAccess, segment_id: int) -> HttpResponse:
    segment = _segment_or_404(access, segment_id)
    return run_service(
        request,
        lambda: coding.segment_remove(segment=segment, actor=request.user),
        success=_("Segment removed."),
        redirect_to=_segment_back(segment),
    )


@require_POST
@dossier_view(Capability.EDIT)
def segment_memo(request: HttpRequest, *, access: DossierAccess, segment_id: int) -> HttpResponse:
    segment = _segment_or_404(access, segment_id)
    back = _segment_back(segment)
    form = MemoForm(request.POST, prefix=f"memo{segment.pk}")
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    return run_service(
        request,
        lambda: services.memo_add(
            dossier=access.dossier,
            actor=request.user,
            text=form.cleaned_data["text"],
            segment=segment,
        ),
        success=_("Memo added."),
        redirect_to=back,
    )


# --- double coding -------------------------------------------------------------------------------


@require_POST
@dossier_view(Capability.EDIT)
def double_start(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    dossier = access.dossier
    back = reverse("coding:overview", args=[dossier.pk])
    users = {u.pk: u for u in selectors.coder_choices(dossier)}
    form = DoubleCodingForm(
        request.POST,
        transcripts=[(t.pk, t.title) for t in selectors.transcripts(dossier)],
        coders=[(pk, u.get_username()) for pk, u in users.items()],
    )
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    chosen = list(selectors.transcripts(dossier).filter(pk__in=form.cleaned_data["transcripts"]))

    def start() -> None:
        for t in chosen:
            coding.double_coding_start(
                transcript=t,
                coder_1=users[form.cleaned_data["coder_1"]],
                coder_2=users[form.cleaned_data["coder_2"]],
                actor=request.user,
            )

    return run_service(request, start, success=_("Double coding started."), redirect_to=back)


@require_POST
@dossier_view(Capability.EDIT)
def double_done(request: HttpRequest, *, access: DossierAccess, transcript_id: int) -> HttpResponse:
    item = _transcript_or_404(access, transcript_id)
    sample = selectors.sample_for(item)
    back = reverse("coding:transcript", args=[access.dossier.pk, item.pk])
    if sample is None:
        messages.error(request, _("This transcript is not in the double-coding sample."))
        return redirect(back)
    return run_service(
        request,
        lambda: coding.double_coding_done(sample=sample, actor=request.user),
        success=_("Your coding of this transcript is marked as done."),
        redirect_to=back,
    )


def _sample_or_404(access: DossierAccess, sample_id: int) -> DoubleCoding:
    sample = (
        DoubleCoding.objects.filter(dossier=access.dossier, pk=sample_id)
        .select_related("transcript", "coder_1", "coder_2", "dossier")
        .first()
    )
    if sample is None:
        raise Http404("sample")
    return sample


@require_GET
@dossier_view(Capability.VIEW)
def compare(request: HttpRequest, *, access: DossierAccess, sample_id: int) -> HttpResponse:
    """Coder 1 against coder 2 per turn and code, once both are done; the consensus form."""
    from kansenaudit.web.coding.agreement import turn_codes

    sample = _sample_or_404(access, sample_id)
    context = base(access, "overview")
    context.update({"sample": sample, "transcript": sample.transcript})
    if not sample.blind:
        rows = turn_codes(sample)
        names = {c.pk: c for c in selectors.active_codes(access.dossier)}
        text = sample.transcript.text
        view = []
        for r in rows:
            used = sorted(
                r.coder_1 | r.coder_2 | r.consensus,
                key=lambda c: names[c].name.lower() if c in names else "",
            )
            view.append(
                {
                    "row": r,
                    "text": "" if r.withdrawn else text[r.start : r.end],
                    "codes": [
                        {
                            "code": names.get(c),
                            "one": c in r.coder_1,
                            "two": c in r.coder_2,
                            "agreed": c in r.consensus
                            if sample.consensus_at
                            else (c in r.coder_1 and c in r.coder_2),
                        }
                        for c in used
                        if c in names
                    ],
                }
            )
        context.update(
            {
                "rows": view,
                "agree": sum(1 for r in rows if not r.withdrawn and r.agree),
                "units": sum(1 for r in rows if not r.withdrawn),
                "all_codes": _code_choices(access.dossier),
            }
        )
    return render(request, "coding/compare.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def consensus(request: HttpRequest, *, access: DossierAccess, sample_id: int) -> HttpResponse:
    sample = _sample_or_404(access, sample_id)
    back = reverse("coding:compare", args=[access.dossier.pk, sample.pk])
    active = {c.pk: c for c in selectors.active_codes(access.dossier)}
    choices: dict[int, list[Code]] = {}
    try:
        for key in request.POST:
            if not key.startswith("beurt-"):
                continue
            number = int(key.removeprefix("beurt-"))
            codes = [
                active[int(v)]
                for v in request.POST.getlist(key)
                if v.isdigit() and int(v) in active
            ]
            choices[number] = codes
    except ValueError:
        messages.error(request, _("The consensus form is not valid."))
        return redirect(back)
    return run_service(
        request,
        lambda: coding.consensus_record(sample=sample, actor=request.user, choices=choices),
        success=_("Consensus recorded."),
        redirect_to=back,
    )


def refused(request: HttpRequest, exc: ServiceError, back: str) -> HttpResponse:
    messages.error(request, str(exc))
    return redirect(back)
