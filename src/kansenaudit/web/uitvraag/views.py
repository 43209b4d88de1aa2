# SPDX-License-Identifier: EUPL-1.2
"""The uitvraag pages: requests per dossier, template, upload, preview and apply, status,
reminders, personal links, exports; and the public page a personal link opens.

Every page except the public one needs dossier membership (VIEW to read, EDIT to change). The
public page (``/uitvraag/<token>/``) needs no account: it shows only the directorate's name, the
deadline, the template and an upload field, records an uploaded file as received and never
applies it. An unknown, expired or revoked link gets the same 404 page, and repeated failures
from one address are slowed down.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kansenaudit.policy.uitvraag import MAX_BYTES
from kansenaudit.web.core import ratelimit
from kansenaudit.web.core.client_address import client_address
from kansenaudit.web.core.downloads import (
    XLSX_CONTENT_TYPE,
    csv_response,
    download,
    xlsx_response,
)
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DossierAccess
from kansenaudit.web.uitvraag import checks, exports, selectors, services
from kansenaudit.web.uitvraag.forms import (
    ReminderForm,
    RequestForm,
    StatusForm,
    TokenForm,
    UploadForm,
)
from kansenaudit.web.uitvraag.models import ReceivedFile, UitvraagRequest

_NEW_TOKEN = "uitvraag_new_token"  # noqa: S105 (a session key)
# Failed link look-ups per client address before the public page answers 429 for a while.
PUBLIC_FAILURES_MAX = 30
PUBLIC_FAILURES_WINDOW = 10 * 60


def _base_context(access: DossierAccess) -> dict[str, object]:
    return {"dossier": access.dossier, "access": access, "active": "uitvraag"}


def _request_or_404(access: DossierAccess, request_id: int) -> UitvraagRequest:
    found = selectors.request_in_dossier(access.dossier, request_id)
    if found is None:
        raise Http404("uitvraag")
    return found


def _detail_url(uitvraag: UitvraagRequest) -> str:
    return reverse("uitvraag:detail", args=[uitvraag.dossier_id, uitvraag.pk])


def _read_upload(request: HttpRequest) -> tuple[bytes | None, str, str]:
    """(bytes, file name, error): the size is checked before the file is read."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return None, "", _("Choose the filled-in workbook (.xlsx).")
    uploaded = form.cleaned_data["workbook"]
    if uploaded.size > MAX_BYTES:
        return (
            None,
            uploaded.name or "",
            _("The file is larger than %(mb)s MB and was not read.") % {"mb": MAX_BYTES // 2**20},
        )
    return uploaded.read(), uploaded.name or "", ""


# --- requests ---------------------------------------------------------------------------------


def _list_context(access: DossierAccess, form: RequestForm | None = None) -> dict[str, object]:
    context = _base_context(access)
    today = timezone.localdate()
    rows = list(selectors.requests_for_dossier(access.dossier))
    for row in rows:
        row.overdue = row.is_overdue(today)
    counts = {status: 0 for status, _label in UitvraagRequest.Status.choices}
    for row in rows:
        counts[row.status] += 1
    context.update(
        {
            "requests": rows,
            "status_counts": [
                (label, counts[value]) for value, label in UitvraagRequest.Status.choices
            ],
            "overdue_count": sum(1 for r in rows if r.overdue),
            "may_edit": access.allows(Capability.EDIT),
            "form": form or RequestForm(),
            "is_demo": access.dossier.is_demo or any(r.is_demo for r in rows),
        }
    )
    return context


@require_GET
@dossier_view(Capability.VIEW)
def requests(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """All requests of the dossier with status, dates, overdue marks and counts."""
    return render(request, "uitvraag/requests.html", _list_context(access))


@require_POST
@dossier_view(Capability.EDIT)
def create(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            outcome = services.request_create(
                dossier=access.dossier,
                directie_name=form.cleaned_data["directie"],
                deadline=form.cleaned_data["deadline"],
                contact=form.cleaned_data["contact"],
                actor=request.user,
            )
        except services.UitvraagError as exc:
            form.add_error("directie", str(exc))
        else:
            name = outcome.request.directie.name
            if outcome.directie_added:
                messages.success(
                    request,
                    _("Request created. The directorate %(name)s was added to the actor register.")
                    % {"name": name},
                )
            else:
                messages.success(request, _("Request created for %(name)s.") % {"name": name})
            return redirect(_detail_url(outcome.request))
    return render(request, "uitvraag/requests.html", _list_context(access, form), status=400)


@require_GET
@dossier_view(Capability.VIEW)
def detail(request: HttpRequest, *, access: DossierAccess, request_id: int) -> HttpResponse:
    uitvraag = _request_or_404(access, request_id)
    context = _base_context(access)
    may_edit = access.allows(Capability.EDIT)
    new_token = request.session.pop(_NEW_TOKEN, None) if may_edit else None
    if new_token and new_token.get("request") != uitvraag.pk:
        new_token = None
    allowed = services.MANUAL_TRANSITIONS.get(uitvraag.status, ())
    context.update(
        {
            "uitvraag": uitvraag,
            "overdue": uitvraag.is_overdue(),
            "history": list(selectors.history(uitvraag)),
            "reminders": list(uitvraag.reminders.all()),
            "files": list(selectors.received_files(uitvraag)),
            "tokens": list(selectors.tokens(uitvraag)) if may_edit else [],
            "measures": list(selectors.uitvraag_measures(uitvraag)),
            "may_edit": may_edit,
            "status_form": StatusForm(allowed=allowed) if allowed else None,
            "reminder_form": ReminderForm(initial={"sent_on": timezone.localdate()}),
            "may_remind": uitvraag.status in UitvraagRequest.AWAITING,
            "token_form": TokenForm(),
            "upload_form": UploadForm(),
            "new_token_url": new_token.get("url") if new_token else "",
            "max_upload_mb": MAX_BYTES // 2**20,
            "is_demo": uitvraag.is_demo or access.dossier.is_demo,
        }
    )
    return render(request, "uitvraag/detail.html", context)


def _xlsx_response(data: bytes, file_name: str) -> HttpResponse:
    return download(data, file_name=file_name, content_type=XLSX_CONTENT_TYPE)


@require_GET
@dossier_view(Capability.EDIT)
def template(request: HttpRequest, *, access: DossierAccess, request_id: int) -> HttpResponse:
    """The workbook: from the register while the request is a draft, else as it was sent."""
    uitvraag = _request_or_404(access, request_id)
    try:
        built = services.template_build(request=uitvraag, actor=request.user)
    except services.UitvraagError as exc:
        messages.error(request, str(exc))
        return redirect(_detail_url(uitvraag))
    return _xlsx_response(built.data, built.file_name)


@require_POST
@dossier_view(Capability.EDIT)
def template_refresh(
    request: HttpRequest, *, access: DossierAccess, request_id: int
) -> HttpResponse:
    """Take the lists from the register again; a changed template gets a new version."""
    uitvraag = _request_or_404(access, request_id)
    try:
        built = services.template_build(request=uitvraag, actor=request.user, refresh=True)
    except services.UitvraagError as exc:
        messages.error(request, str(exc))
    else:
        if built.new_version:
            messages.success(
                request,
                _("The template is now version %(version)s. Send it to the directorate again.")
                % {"version": built.version},
            )
        else:
            messages.success(request, _("The register has not changed; the template is the same."))
    return redirect(_detail_url(uitvraag))


@require_POST
@dossier_view(Capability.EDIT)
def update(request: HttpRequest, *, access: DossierAccess, request_id: int) -> HttpResponse:
    uitvraag = _request_or_404(access, request_id)
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            services.request_update(
                request=uitvraag,
                deadline=form.cleaned_data["deadline"],
                contact=form.cleaned_data["contact"],
                actor=request.user,
            )
        except services.UitvraagError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Deadline and contact person saved."))
    else:
        messages.error(request, _("Check the deadline and the contact person."))
    return redirect(_detail_url(uitvraag))


# --- files: upload, preview, apply ------------------------------------------------------------


@require_POST
@dossier_view(Capability.EDIT)
def upload(request: HttpRequest, *, access: DossierAccess, request_id: int) -> HttpResponse:
    """Receive a returned workbook: it is checked and kept; nothing is applied yet."""
    uitvraag = _request_or_404(access, request_id)
    data, name, error = _read_upload(request)
    if data is None:
        messages.error(request, error)
        return redirect(_detail_url(uitvraag))
    try:
        received = services.receive(
            request=uitvraag,
            data=data,
            file_name=name,
            actor=request.user,
            channel=ReceivedFile.Channel.WEB,
        )
    except services.UitvraagError as exc:
        messages.error(request, str(exc))
        return redirect(_detail_url(uitvraag))
    return redirect(
        reverse("uitvraag:received", args=[access.dossier.pk, uitvraag.pk, received.pk])
    )


def _file_or_404(uitvraag: UitvraagRequest, file_id: int) -> ReceivedFile:
    found = selectors.received_in_request(uitvraag, file_id)
    if found is None:
        raise Http404("bestand")
    return found


@require_GET
@dossier_view(Capability.VIEW)
def received(
    request: HttpRequest, *, access: DossierAccess, request_id: int, file_id: int
) -> HttpResponse:
    """A received file: every error by sheet, row and column, or the changes it would make."""
    uitvraag = _request_or_404(access, request_id)
    item = _file_or_404(uitvraag, file_id)
    plan = checks.preview(received=item)
    context = _base_context(access)
    context.update(
        {
            "uitvraag": uitvraag,
            "file": item,
            "plan": plan,
            "added": [c for c in plan.changes if c.kind == "added"],
            "changed": [c for c in plan.changes if c.kind == "changed"],
            "removed": plan.removed,
            "may_edit": access.allows(Capability.EDIT),
            "is_demo": uitvraag.is_demo or access.dossier.is_demo,
        }
    )
    return render(request, "uitvraag/received.html", context)


@require_GET
@dossier_view(Capability.VIEW)
def received_download(
    request: HttpRequest, *, access: DossierAccess, request_id: int, file_id: int
) -> HttpResponse:
    """The file exactly as received (for the record; it may be hostile, so never inline)."""
    uitvraag = _request_or_404(access, request_id)
    item = _file_or_404(uitvraag, file_id)
    content = ReceivedFile.objects.filter(pk=item.pk).values_list("content", flat=True).get()
    return download(
        bytes(content),
        file_name=f"ontvangen-{item.pk}-{item.sha256[:12]}.xlsx",
        content_type="application/octet-stream",
    )


@require_POST
@dossier_view(Capability.EDIT)
def apply(
    request: HttpRequest, *, access: DossierAccess, request_id: int, file_id: int
) -> HttpResponse:
    uitvraag = _request_or_404(access, request_id)
    item = _file_or_404(uitvraag, file_id)
    try:
        outcome = services.apply(received=item, actor=request.user)
    except services.UitvraagError as exc:
        messages.error(request, str(exc))
        return redirect(
            reverse("uitvraag:received", args=[access.dossier.pk, uitvraag.pk, item.pk])
        )
    messages.success(
        request,
        _("Applied: %(created)s new, %(updated)s changed, %(removed)s removed measures.")
        % {
            "created": len(outcome.created),
            "updated": len(outcome.updated),
            "removed": len(outcome.removed),
        },
    )
    if outcome.target_groups_added:
        messages.success(
            request,
            _("Added to the actor register as target groups: %(names)s.")
            % {"names": ", ".join(outcome.target_groups_added)},
        )
    return redirect(_detail_url(uitvraag))


# --- status, reminders, links -----------------------------------------------------------------


@require_POST
@dossier_view(Capability.EDIT)
def status(request: HttpRequest, *, access: DossierAccess, request_id: int) -> HttpResponse:
    uitvraag = _request_or_404(access, request_id)
    allowed = services.MANUAL_TRANSITIONS.get(uitvraag.status, ())
    form = StatusForm(request.POST, allowed=allowed)
    if not form.is_valid():
        messages.error(request, _("This status change is not possible."))
        return redirect(_detail_url(uitvraag))
    try:
        services.status_set(
            request=uitvraag,
            to=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except services.UitvraagError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Status changed."))
    return redirect(_detail_url(uitvraag))


@require_POST
@dossier_view(Capability.EDIT)
def reminder(request: HttpRequest, *, access: DossierAccess, request_id: int) -> HttpResponse:
    uitvraag = _request_or_404(access, request_id)
    form = ReminderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the reminder was sent."))
        return redirect(_detail_url(uitvraag))
    try:
        services.reminder_record(
            request=uitvraag,
            sent_on=form.cleaned_data["sent_on"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except services.UitvraagError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Reminder recorded."))
    return redirect(_detail_url(uitvraag))


@require_POST
@dossier_view(Capability.EDIT)
def token_create(request: HttpRequest, *, access: DossierAccess, request_id: int) -> HttpResponse:
    """Make a personal link; it is shown once, on the next page, and then never again."""
    uitvraag = _request_or_404(access, request_id)
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A link is valid for 1 to 90 days."))
        return redirect(_detail_url(uitvraag))
    try:
        _token, raw = services.token_create(
            request=uitvraag,
            days=form.cleaned_data["days"],
            label=form.cleaned_data["label"],
            actor=request.user,
        )
    except services.UitvraagError as exc:
        messages.error(request, str(exc))
        return redirect(_detail_url(uitvraag))
    request.session[_NEW_TOKEN] = {
        "request": uitvraag.pk,
        "url": request.build_absolute_uri(reverse("uitvraag:public", args=[raw])),
    }
    return redirect(_detail_url(uitvraag) + "#links")


@require_POST
@dossier_view(Capability.EDIT)
def token_revoke(
    request: HttpRequest, *, access: DossierAccess, request_id: int, token_id: int
) -> HttpResponse:
    uitvraag = _request_or_404(access, request_id)
    token = selectors.token_in_request(uitvraag, token_id)
    if token is None:
        raise Http404("link")
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, _("The link no longer works."))
    return redirect(_detail_url(uitvraag) + "#links")


# --- exports ----------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def export_csv(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """One table as CSV: ``?tabel=aanvragen`` (default), ``historie`` or ``bestanden``."""
    table = request.GET.get("tabel", "aanvragen")
    if table not in exports.TABLES:
        raise Http404("tabel")
    return csv_response(
        exports.export_table(access.dossier, table),
        file_name=f"uitvraag-{table}-dossier-{access.dossier.pk}.csv",
        notice=exports.notice(access.dossier),
    )


@require_GET
@dossier_view(Capability.VIEW)
def export_xlsx(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """Requests, status history and received files as one workbook (three sheets)."""
    return xlsx_response(
        exports.export_tables(access.dossier),
        file_name=f"uitvraag-dossier-{access.dossier.pk}.xlsx",
        notice=exports.notice(access.dossier),
    )


# --- the public page of a personal link -------------------------------------------------------


def _client(request: HttpRequest) -> str:
    return client_address(request) or "unknown"


def _public_token(request: HttpRequest, token: str) -> object:
    """The active link, or an ``HttpResponse`` (404, or 429 after many failures).

    Every look-up first takes a numbered place in the address's counter (one atomic UPDATE,
    shared by all processes); a place beyond the limit is refused before the token is even
    looked at, so parallel clients cannot all slip under the limit. A look-up that finds an
    active link gives its place back: only failures count.
    """
    key = f"uitvraag-link-failures:{_client(request)}"
    if ratelimit.hit(key, PUBLIC_FAILURES_WINDOW) > PUBLIC_FAILURES_MAX:
        return render(request, "uitvraag/public_invalid.html", {"too_many": True}, status=429)
    found = selectors.token_verify(token)
    if found is None:
        return render(request, "uitvraag/public_invalid.html", {}, status=404)
    ratelimit.forgive(key)
    return found


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def public(request: HttpRequest, token: str) -> HttpResponse:
    """The upload form for a directorate contact without an account."""
    found = _public_token(request, token)
    if isinstance(found, HttpResponse):
        return found
    uitvraag = found.request
    context = {
        "directie": uitvraag.directie.name,
        "deadline": uitvraag.deadline,
        "token": token,
        "form": UploadForm(),
        "max_upload_mb": MAX_BYTES // 2**20,
        "public": True,
    }
    if request.method == "GET":
        return render(request, "uitvraag/public.html", context)
    data, name, error = _read_upload(request)
    if data is None:
        context["upload_error"] = error
        return render(request, "uitvraag/public.html", context, status=400)
    try:
        item = services.receive(
            request=uitvraag,
            data=data,
            file_name=name,
            actor=None,
            channel=ReceivedFile.Channel.TOKEN,
            token=found,
        )
    except services.UitvraagError as exc:
        context["upload_error"] = str(exc)
        return render(request, "uitvraag/public.html", context, status=400)
    if not item.is_valid:
        context.update({"errors": item.errors, "file_name": item.file_name})
        return render(request, "uitvraag/public.html", context, status=400)
    messages.success(
        request,
        _(
            "Thank you. Your file %(name)s has been received and will be checked by the audit "
            "team. Reference: %(sha)s."
        )
        % {"name": item.file_name, "sha": item.sha256[:12]},
    )
    return redirect(reverse("uitvraag:public", args=[token]))


@login_not_required
@never_cache
@require_GET
def public_template(request: HttpRequest, token: str) -> HttpResponse:
    """The template of the link's request, exactly as it was sent."""
    found = _public_token(request, token)
    if isinstance(found, HttpResponse):
        return found
    try:
        built = services.template_build(request=found.request, actor=None, refresh=False)
    except services.UitvraagError as exc:
        raise Http404("sjabloon") from exc
    return _xlsx_response(built.data, built.file_name)
