# SPDX-License-Identifier: EUPL-1.2
"""Middleware of our own: security headers Django does not set itself, the Dutch-first
language, request body limits and ``Cache-Control`` for confidential responses."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class PermissionsPolicyMiddleware:
    """Adds a Permissions-Policy header that switches off browser features we never use."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class DutchFirstLocaleMiddleware:
    """Dutch unless the user chose otherwise (language cookie set by the language switch).

    Django's LocaleMiddleware would follow the browser's Accept-Language; auditors with an
    English browser should still get the Dutch workbench unless they switch.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _body_limit(request: HttpRequest) -> int:
    """The largest body this request may carry: by who sends it and where it goes."""
    from django.conf import settings
    from django.contrib.auth.middleware import get_user
    from django.urls import Resolver404, resolve

    if _content_length(request) <= settings.ANONYMOUS_MAX_REQUEST_BODY_BYTES:
        return settings.ANONYMOUS_MAX_REQUEST_BODY_BYTES  # small: no need to ask who it is
    # The same cached look-up AuthenticationMiddleware uses later, so it costs one query.
    if get_user(request).is_authenticated:
        return settings.MAX_REQUEST_BODY_BYTES
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return settings.ANONYMOUS_MAX_REQUEST_BODY_BYTES
    if match.view_name == "uitvraag:public":
        return settings.TOKEN_MAX_REQUEST_BODY_BYTES
    return settings.ANONYMOUS_MAX_REQUEST_BODY_BYTES


class RequestBodyLimitMiddleware:
    """413 for a request whose declared body is larger than its sender may send.

    Runs before anything reads the body (the CSRF check reads form posts), so a refused body is
    never parsed, held in memory or spooled to disk: an anonymous client may send a login form
    (64 KB), or one workbook to an uitvraag link; a signed-in user the largest upload. A body
    without a length (chunked) is read by Django as empty; the upload handler
    ``core.uploads.BodyLimitUploadHandler`` enforces the same limit while parsing, in case.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = _body_limit(request)
        request.body_limit = limit  # read by the upload handler
        size = _content_length(request)
        if size > limit:
            return self._refuse(request, size, limit)
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, size: int, limit: int) -> HttpResponse:
        import logging

        from django.http import JsonResponse
        from django.utils import translation
        from django.utils.translation import gettext as _

        from kansenaudit.web.core.client_address import client_address
        from kansenaudit.web.core.logfilters import redact

        logging.getLogger("kansenaudit.request").warning(
            "Refused a request body of %d bytes (limit %d) to %s %s from %s",
            size,
            limit,
            request.method,
            redact(request.path),
            client_address(request) or "?",
        )
        with translation.override(settings_language()):
            message = _(
                "This request is larger than %(mb)s MB and was refused. Send a smaller file, "
                "or fewer files at a time. Sign in first if you have not."
            ) % {"mb": _megabytes(limit)}
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"error": message}, status=413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


def _megabytes(size: int) -> str:
    value = size / 2**20
    return str(round(value)) if value >= 1 else f"{value:.2f}".replace(".", ",")


def settings_language() -> str:
    """The interface language for a response made before the locale middleware ran."""
    from django.conf import settings

    return settings.LANGUAGE_CODE


class NoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user and on the
    pages of an uitvraag link: confidential pages, exports and JSON stay out of browser and
    proxy caches (and the back button after logging out).

    Page images may keep a short private lifetime (at most five minutes) so that leafing
    through a document stays fast; a longer one is shortened. Static files never get here
    (WhiteNoise answers them earlier) and keep their long caching.
    """

    IMAGE_MAX_AGE = 300

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._confidential(request):
            response["Cache-Control"] = self._policy(response)
            response.headers.pop("Expires", None)
        return response

    @staticmethod
    def _confidential(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        match = getattr(request, "resolver_match", None)
        return bool(match and match.namespace == "uitvraag")

    def _policy(self, response: HttpResponse) -> str:
        from django.utils.cache import get_max_age

        existing = response.get("Cache-Control", "")
        directives = {part.strip().split("=")[0].lower() for part in existing.split(",")}
        if "no-store" in directives:
            return existing  # already at least as strict (e.g. never_cache)
        is_image = response.get("Content-Type", "").startswith("image/")
        max_age = get_max_age(response)
        if is_image and "private" in directives and max_age:
            return f"private, max-age={min(max_age, self.IMAGE_MAX_AGE)}"
        return "private, no-store"
