# SPDX-License-Identifier: EUPL-1.2
"""Styled pages for two errors Django answers with an empty body: 405 (a GET to an address
that takes a form, or the other way round) and 414 (an address longer than the server takes).

The web server in front may refuse a long address before Django sees it: ``kansenaudit serve``
runs gunicorn, whose own answer is styled too (``core.gunicorn_worker``). Addresses up to
gunicorn's limit that are still too long for this application get the page from here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

# gunicorn's default limit of the request line (method, address and protocol) is 4094 bytes;
# the address alone may have about that many characters here.
MAX_URL_CHARS = 4094


class StyledErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if len(request.get_full_path()) > MAX_URL_CHARS:
            return HttpResponse(render_to_string("414.html", request=request), status=414)
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            styled = HttpResponse(render_to_string("405.html", request=request), status=405)
            if response.has_header("Allow"):
                styled["Allow"] = response["Allow"]
            return styled
        return response
