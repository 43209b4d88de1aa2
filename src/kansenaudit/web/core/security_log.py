# SPDX-License-Identifier: EUPL-1.2
"""Downloads and denied access into the audit log, for every view at once (a middleware).

**Downloads.** Every successful response that delivers a file or an export is recorded: one
with a ``Content-Disposition`` header (CSV, XLSX, JSON export, received files, the audit-log
CSV itself), a file or streaming response, or a body of a file type (an image such as a page
of a document, PDF, a spreadsheet, CSV, a zip or raw bytes). The event names the user, the
dossier, the route, the file name and the format. JSON without ``Content-Disposition`` is not a
download: it is the data of a page's own script (the import job list that the documents page
polls, the upload answer) or the small list API; recording every poll would drown the log.
A ``304 Not Modified`` delivers nothing and is not recorded.

**Denied access.** A 403 or 404 answer to a logged-in user on a dossier URL
(``/dossiers/<id>/…``, ``/api/dossiers/<id>/``) is recorded in that dossier's log when the
dossier exists, where its team and the administrators see it; the user who was refused sees
nothing of it (they are not in that team, or they are and it is their own attempt). When the
dossier does not exist, the event is site-wide. Anonymous visitors are not recorded: the login
requirement sends them to the login page before any dossier is looked up, and 404s of random
URLs and static files carry no dossier and would only add noise.

**When the event cannot be written** (a database locked by a long import beyond the busy
timeout, or failing): a refusal stays the 403 or 404 it was, and the failure is logged with its
traceback; a refused visitor gets nothing more by a server error. A download is withheld: the
file must not leave unlogged, so the answer is a 503 that asks to try again in a minute, and the
failure is logged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from email.message import Message

from django.conf import settings
from django.db import DatabaseError
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext, gettext_noop

from kansenaudit.web.core.services import ANONYMOUS_LABEL, audit_record

DOSSIER_PATH = re.compile(r"^/(?:api/)?dossiers/(\d{1,18})(?:[/.]|$)")

# Content types that are files, not pages; the format names the event's "what".
FILE_TYPES = {
    "text/csv": "csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/pdf": "pdf",
    "application/zip": "zip",
    "application/octet-stream": "bestand",
}
FORMAT_BY_EXTENSION = ("csv", "xlsx", "json", "pdf", "png", "zip", "docx", "odt", "txt", "html")
NOT_A_DOWNLOAD_METHODS = frozenset({"HEAD", "OPTIONS"})
# The answer to a download whose event could not be written (see the module).
DOWNLOAD_NOT_LOGGED = gettext_noop(
    "The download could not be recorded in the audit log. Please try again in a minute."
)
RETRY_AFTER_SECONDS = 60

logger = logging.getLogger(__name__)


def _file_name(response: HttpResponse) -> str:
    header = response.get("Content-Disposition", "")
    if not header:
        return ""
    message = Message()
    message["Content-Disposition"] = header
    return (message.get_filename() or "")[:200]


def download_format(response: HttpResponse) -> str | None:
    """The format of the file ``response`` delivers, or None when it is not a download."""
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    name = _file_name(response)
    disposition = response.get("Content-Disposition", "")
    is_file = (
        bool(disposition)
        or isinstance(response, FileResponse | StreamingHttpResponse)
        or content_type in FILE_TYPES
        or content_type.startswith("image/")
    )
    if not is_file:
        return None
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension in FORMAT_BY_EXTENSION:
        return extension
    if content_type.startswith("image/"):
        return content_type.partition("/")[2]
    if content_type == "application/json":
        return "json"
    return FILE_TYPES.get(content_type, content_type or "bestand")


def dossier_id_of(request: HttpRequest) -> int | None:
    """The dossier id a URL is about, from the route's ``dossier_id`` or the path itself."""
    match = getattr(request, "resolver_match", None)
    if match is not None and "dossier_id" in match.kwargs:
        try:
            return int(match.kwargs["dossier_id"])
        except (TypeError, ValueError):
            return None
    found = DOSSIER_PATH.match(request.path_info)
    return int(found.group(1)) if found else None


def _dossier(dossier_id: int | None) -> object | None:
    from kansenaudit.web.dossiers.models import Dossier

    if dossier_id is None:
        return None
    return Dossier.objects.filter(pk=dossier_id).first()


def _public_link_download(request: HttpRequest) -> tuple[object | None, str]:
    """For a download through a directorate's personal link: its dossier and the link's label.

    The token itself is never written to the log.
    """
    from kansenaudit.web.uitvraag.selectors import token_actor_label, token_verify

    token = token_verify(request.resolver_match.kwargs.get("token", ""))
    if token is None:
        return None, ANONYMOUS_LABEL
    return token.request.dossier, token_actor_label(token)


def _safe_path(request: HttpRequest) -> str:
    """The path with a personal link's token blanked out: the log must not hold a key."""
    path = request.path_info
    match = getattr(request, "resolver_match", None)
    token = match.kwargs.get("token") if match is not None else None
    if token:
        path = path.replace(str(token), "<token>")
    return path[:300]


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else ""


def record_download(request: HttpRequest, response: HttpResponse, what: str) -> None:
    user = getattr(request, "user", None)
    authenticated = getattr(user, "is_authenticated", False)
    route = _route(request)
    if authenticated:
        dossier, label = _dossier(dossier_id_of(request)), None
    elif "token" in getattr(request.resolver_match, "kwargs", {}):
        dossier, label = _public_link_download(request)
    else:
        dossier, label = _dossier(dossier_id_of(request)), ANONYMOUS_LABEL
    name = _file_name(response)
    audit_record(
        actor=user if authenticated else None,
        actor_label=label,
        action="export.download",
        dossier=dossier,
        summary=f"Download ({what}): {name or _safe_path(request)}",
        after={
            "route": route,
            "path": _safe_path(request),
            "query": request.META.get("QUERY_STRING", "")[:300],
            "format": what,
            "file_name": name,
        },
    )


def record_denied(request: HttpRequest, response: HttpResponse, dossier_id: int) -> None:
    dossier = _dossier(dossier_id)
    user = request.user
    audit_record(
        actor=user,
        action="access.denied",
        dossier=dossier,
        summary=f"Toegang geweigerd ({response.status_code}) voor {user.get_username()}: "
        f"{request.method} {_safe_path(request)}",
        after={
            "status": response.status_code,
            "method": request.method,
            "path": _safe_path(request),
            "route": _route(request),
            "dossier_id": dossier_id,
        },
    )


def _download_withheld(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The answer instead of a file whose download could not be logged."""
    logger.exception(
        "The download of %s by %s was withheld: its audit event could not be written",
        _safe_path(request),
        getattr(getattr(request, "user", None), "username", "") or ANONYMOUS_LABEL,
    )
    # Release the file at once. Not response.close(): that signals the end of the request,
    # which closes the database connection in the middle of it.
    stream = getattr(response, "file_to_stream", None)
    if stream is not None and hasattr(stream, "close"):
        stream.close()
    withheld = HttpResponse(
        gettext(DOWNLOAD_NOT_LOGGED), status=503, content_type="text/plain; charset=utf-8"
    )
    withheld["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(withheld)
    return withheld


class SecurityLogMiddleware:
    """Records downloads and denied dossier access (see the module).

    It comes after the authentication middleware, so it sees the user, and it records after
    the view has answered. A download whose event cannot be written is withheld (503); a
    refusal whose event cannot be written is still answered as the refusal it was.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        if request.path_info.startswith(settings.STATIC_URL):
            return response  # static files are the application's own, never dossier data
        if status == 200 and request.method not in NOT_A_DOWNLOAD_METHODS:
            what = download_format(response)
            if what is not None:
                try:
                    record_download(request, response, what)
                except DatabaseError:
                    return _download_withheld(request, response)
        elif status in (403, 404) and getattr(request.user, "is_authenticated", False):
            dossier_id = dossier_id_of(request)
            if dossier_id is not None:
                try:
                    record_denied(request, response, dossier_id)
                except DatabaseError:
                    logger.exception(
                        "The refusal (%d) of %s %s could not be written to the audit log",
                        status,
                        request.method,
                        _safe_path(request),
                    )
        return response
