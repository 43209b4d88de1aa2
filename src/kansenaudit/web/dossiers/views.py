# SPDX-License-Identifier: EUPL-1.2
"""Dossier pages and the JSON API. Views parse input, call one service or selector, render."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kansenaudit.web.core.downloads import download
from kansenaudit.web.dossiers import selectors, services
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.forms import (
    CommentForm,
    DossierCreateForm,
    DossierForm,
    MembershipForm,
    MilestoneForm,
    SubQuestionForm,
)
from kansenaudit.web.dossiers.models import Membership, SubQuestion
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DossierAccess


def _may_create_dossier(user: object) -> bool:
    return user.is_superuser or user.has_perm("dossiers.add_dossier")


@require_GET
def dossier_list(request: HttpRequest) -> HttpResponse:
    dossiers = selectors.dossiers_for_user(user=request.user)
    return render(
        request,
        "dossiers/dossier_list.html",
        {
            "dossiers": dossiers,
            "may_create": _may_create_dossier(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def dossier_create(request: HttpRequest) -> HttpResponse:
    if not _may_create_dossier(request.user):
        raise PermissionDenied("may not create dossiers")
    form = DossierCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.dossier_create(creator=request.user, **form.cleaned_data)
        except services.DossierError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Dossier created. You are its project leader."))
            return redirect("dossiers:detail", dossier_id=dossier.pk)
    return render(request, "dossiers/dossier_form.html", {"form": form, "creating": True})


@require_GET
@dossier_view(Capability.VIEW)
def dossier_detail(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    context = selectors.dossier_overview(dossier=access.dossier)
    context.update(
        {
            "access": access,
            "dossier": access.dossier,
            "comment_form": CommentForm(),
            "milestone_form": MilestoneForm(),
        }
    )
    return render(request, "dossiers/dossier_detail.html", context)


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def dossier_edit(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    form = DossierForm(request.POST or None, instance=access.dossier)
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_update(
                dossier=access.dossier,
                actor=request.user,
                **{name: form.cleaned_data[name] for name in services.DOSSIER_FIELDS},
            )
        except services.DossierError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("dossiers:detail", dossier_id=access.dossier.pk)
    return render(
        request,
        "dossiers/dossier_form.html",
        {
            "form": form,
            "dossier": access.dossier,
            "access": access,
        },
    )


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def sub_question_edit(request: HttpRequest, *, access: DossierAccess, number: int) -> HttpResponse:
    instance = get_object_or_404(SubQuestion, dossier=access.dossier, number=number)
    form = SubQuestionForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.sub_question_set(
            dossier=access.dossier, number=number, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("Sub-question saved."))
        return redirect("dossiers:detail", dossier_id=access.dossier.pk)
    return render(
        request,
        "dossiers/sub_question_form.html",
        {
            "form": form,
            "dossier": access.dossier,
            "access": access,
            "number": number,
        },
    )


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.VIEW)
def team(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    may_manage = access.allows(Capability.MANAGE_TEAM)
    form = MembershipForm(request.POST or None)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied("may not manage the team")
        if form.is_valid():
            try:
                services.membership_add_by_username(
                    dossier=access.dossier, actor=request.user, **form.cleaned_data
                )
            except services.DossierError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Team updated."))
                return redirect("dossiers:team", dossier_id=access.dossier.pk)
    return render(
        request,
        "dossiers/team.html",
        {
            "dossier": access.dossier,
            "access": access,
            "form": form,
            "may_manage": may_manage,
            "team": selectors.dossier_team(dossier=access.dossier),
        },
    )


@require_POST
@dossier_view(Capability.MANAGE_TEAM)
def team_remove(request: HttpRequest, *, access: DossierAccess, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=membership_id, dossier=access.dossier)
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except services.DossierError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Team member removed."))
    return redirect("dossiers:team", dossier_id=access.dossier.pk)


@require_POST
@dossier_view(Capability.EDIT)
def milestone_add(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.milestone_create(dossier=access.dossier, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Milestone added."))
    else:
        messages.error(request, _("Milestone not added: give a title and a valid date."))
    return redirect("dossiers:detail", dossier_id=access.dossier.pk)


@require_POST
@dossier_view(Capability.EDIT)
def milestone_toggle(
    request: HttpRequest, *, access: DossierAccess, milestone_id: int
) -> HttpResponse:
    milestone = get_object_or_404(access.dossier.milestones, pk=milestone_id)
    services.milestone_set_done(milestone=milestone, done=not milestone.done, actor=request.user)
    return redirect("dossiers:detail", dossier_id=access.dossier.pk)


@require_POST
@dossier_view(Capability.COMMENT)
def comment_add(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(dossier=access.dossier, author=request.user, **form.cleaned_data)
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("The note is empty or too long."))
    return redirect("dossiers:detail", dossier_id=access.dossier.pk)


@require_GET
@dossier_view(Capability.VIEW)
def dossier_export(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """The dossier as a JSON download (demo dossiers carry their notice inside)."""
    payload = selectors.dossier_as_dict(dossier=access.dossier)
    return download(
        json.dumps(payload, ensure_ascii=False, indent=2),
        file_name=f"dossier-{access.dossier.pk}.json",
        content_type="application/json; charset=utf-8",
    )


@require_GET
def api_dossier_list(request: HttpRequest) -> JsonResponse:
    dossiers = selectors.dossiers_for_user(user=request.user)
    return JsonResponse(
        {
            "dossiers": [
                {
                    "id": d.pk,
                    "title": d.title,
                    "municipality_code": d.municipality_code,
                    "status": d.status,
                    "is_demo": d.is_demo,
                }
                for d in dossiers
            ]
        }
    )


@require_GET
def api_dossier_detail(request: HttpRequest, dossier_id: int) -> JsonResponse:
    try:
        access = selectors.dossier_access(user=request.user, dossier_id=dossier_id)
    except selectors.DossierNotFound as exc:
        raise Http404("dossier") from exc
    return JsonResponse(selectors.dossier_as_dict(dossier=access.dossier))


api_dossier_detail.required_capability = Capability.VIEW
