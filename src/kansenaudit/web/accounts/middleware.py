# SPDX-License-Identifier: EUPL-1.2
"""While a password change is forced, the user can only change the password or log out."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# URL names that stay open: the change itself, logging out, the language switch and health.
OPEN_WHILE_FORCED = frozenset(
    {"accounts:password_change", "accounts:logout", "set_language", "health"}
)


class PasswordChangeRequiredMiddleware:
    """Send a user whose password someone else set to the password page, whatever they ask.

    It comes after the authentication middleware. An administrator who set a user's password
    and logs in as that user gets no further than this page either.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if not getattr(user, "is_authenticated", False) or not user.must_change_password:
            return None
        match = request.resolver_match
        name = match.view_name if match is not None else ""
        if name in OPEN_WHILE_FORCED or request.path.startswith(settings.STATIC_URL):
            return None
        return redirect(reverse("accounts:password_change"))
