# SPDX-License-Identifier: EUPL-1.2
"""The ambtelijk wederhoor: frozen versions with their diff, personal links, the team's
handling of comments, and the public page of a link (no account).

The public page (``/wederhoor/<token>/``) shows only the link's own frozen version and the
comments made through that same link; every failed look-up counts against the visitor's
address, as for the uitvraag link.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kansenaudit.findings_logic.text import paragraphs
from kansenaudit.web.core import ratelimit
from kansenaudit.web.core.client_address import client_address
from kansenaudit.web.core.service_views import run_service
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DossierAccess
from kansenaudit.web.findings import selectors, wederhoor
from kansenaudit.web.findings.forms import CommentForm, FreezeForm, HandleForm, LinkForm
from kansenaudit.web.findings.models import NotaVersion
from kansenaudit.web.findings.services import FindingsError

PUBLIC_FAILURES_MAX = 30
PUBLIC_FAILURES_WINDOW = 10 * 60
_NEW_LINK = "findings_new_link"  # a session key, not a secret


def _overview_url(access: DossierAccess) -> str:
    return reverse("findings:wederhoor", args=[access.dossier.pk])


def _version_or_404(access: DossierAccess, version_id: int) -> NotaVersion:
    version = selectors.version_in_dossier(access.dossier, version_id)
    if version is None:
        raise Http404("version")
    return version


def _version_url(version: NotaVersion) -> str:
    return reverse("findings:version", args=[version.dossier_id, version.pk])


@require_GET
@dossier_view(Capability.VIEW)
def overview(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    context = {
        "dossier": access.dossier,
        "access": access,
        "sub": "wederhoor",
        "versions": selectors.versions(access.dossier),
        "freeze_form": FreezeForm() if access.allows(Capability.EDIT) else None,
    }
    return render(request, "findings/wederhoor.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def version_freeze(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    form = FreezeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the closing date for comments."))
        return redirect(_overview_url(access))
    return run_service(
        request,
        lambda: wederhoor.version_freeze(
            dossier=access.dossier,
            comments_until=form.cleaned_data["comments_until"],
            actor=request.user,
        ),
        success=_("The nota van bevindingen has been frozen."),
        redirect_to=_overview_url(access),
    )


@require_GET
@dossier_view(Capability.VIEW)
def version(request: HttpRequest, *, access: DossierAccess, version_id: int) -> HttpResponse:
    item = _version_or_404(access, version_id)
    may_edit = access.allows(Capability.EDIT)
    new_link = request.session.pop(_NEW_LINK, None) if may_edit else None
    if new_link and new_link.get("version") != item.pk:
        new_link = None
    context = {
        "dossier": access.dossier,
        "access": access,
        "sub": "wederhoor",
        "version": item,
        "is_open": wederhoor.is_open(item),
        "diff": selectors.version_diff(item),
        "links": selectors.links(item) if may_edit else [],
        "comments": selectors.comments(item),
        "may_edit": may_edit,
        "link_form": LinkForm(),
        "handle_form": HandleForm(),
        "new_link_url": new_link.get("url") if new_link else "",
    }
    return render(request, "findings/version.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def link_create(request: HttpRequest, *, access: DossierAccess, version_id: int) -> HttpResponse:
    item = _version_or_404(access, version_id)
    form = LinkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_version_url(item))
    try:
        _link, raw = wederhoor.link_create(version=item, actor=request.user, **form.cleaned_data)
    except FindingsError as exc:
        messages.error(request, str(exc))
        return redirect(_version_url(item))
    url = request.build_absolute_uri(reverse("findings:public", args=[raw]))
    request.session[_NEW_LINK] = {"version": item.pk, "url": url}
    messages.success(request, _("The link has been made; it is shown once below."))
    return redirect(_version_url(item))


@require_POST
@dossier_view(Capability.EDIT)
def link_revoke(request: HttpRequest, *, access: DossierAccess, link_id: int) -> HttpResponse:
    link = selectors.link_in_dossier(access.dossier, link_id)
    if link is None:
        raise Http404("link")
    return run_service(
        request,
        lambda: wederhoor.link_revoke(link=link, actor=request.user),
        success=_("The link has been revoked."),
        redirect_to=_version_url(link.version),
    )


@require_POST
@dossier_view(Capability.EDIT)
def comment_handle(request: HttpRequest, *, access: DossierAccess, comment_id: int) -> HttpResponse:
    comment = selectors.comment_in_dossier(access.dossier, comment_id)
    if comment is None:
        raise Http404("comment")
    form = HandleForm(request.POST)
    back = _version_url(comment.version) + f"#reactie-{comment.pk}"
    if not form.is_valid():
        messages.error(request, _("Choose how the comment was handled."))
        return redirect(back)
    return run_service(
        request,
        lambda: wederhoor.comment_handle(comment=comment, actor=request.user, **form.cleaned_data),
        success=_("The handling has been recorded."),
        redirect_to=back,
    )


# --- the public page of a link --------------------------------------------------------------------


def _public_link(request: HttpRequest, token: str) -> object:
    """The active link, or a response (404, or 429 after many failures from one address)."""
    key = f"wederhoor-link-failures:{client_address(request) or 'unknown'}"
    if ratelimit.hit(key, PUBLIC_FAILURES_WINDOW) > PUBLIC_FAILURES_MAX:
        return render(request, "findings/public_invalid.html", {"too_many": True}, status=429)
    link = wederhoor.link_verify(token)
    if link is None:
        return render(request, "findings/public_invalid.html", {}, status=404)
    ratelimit.forgive(key)
    return link


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def public(request: HttpRequest, token: str) -> HttpResponse:
    """The frozen version of the link with its own comments, and the comment form."""
    link = _public_link(request, token)
    if isinstance(link, HttpResponse):
        return link
    form = CommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                wederhoor.comment_add(
                    link=link,
                    section_key=form.cleaned_data["section"],
                    paragraph=form.cleaned_data["paragraph"],
                    text=form.cleaned_data["text"],
                )
            except FindingsError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, _("Thank you: your comment has been received."))
                return redirect(reverse("findings:public", args=[token]))
        else:
            status = 400
    else:
        wederhoor.link_touch(link)
    version = link.version
    sections = [
        {**s, "paragraphs": list(enumerate(paragraphs(s["text"]), start=1))}
        for s in version.content.get("sections", [])
    ]
    context = {
        "link": link,
        "version": version,
        "sections": sections,
        "own_comments": selectors.own_comments(link),
        "is_open": wederhoor.is_open(version),
        "form": form,
        "token": token,
        "public": True,
    }
    return render(request, "findings/public.html", context, status=status)
