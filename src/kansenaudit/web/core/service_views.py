# SPDX-License-Identifier: EUPL-1.2
"""The one way a view runs a service for a POST: call it, show its message, redirect.

A refused change (a ``ServiceError``) is shown as an error message and logged at info (the user
made the mistake, nothing is broken); a success shows ``success``. Either way the view redirects,
so a reload does not post again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from kansenaudit.web.core.errors import ServiceError

logger = logging.getLogger(__name__)


def run_service(
    request: HttpRequest,
    call: Callable[[], Any],
    *,
    success: str | Callable[[Any], str],
    redirect_to: str,
    failed_to: str | None = None,
    refused: str | None = None,
) -> HttpResponse:
    """Run ``call``; redirect to ``redirect_to`` (or ``failed_to`` when the service refuses).

    ``success`` is the message, or makes it from what ``call`` returned. ``refused`` frames the
    service's own sentence (a translated text with ``%(reason)s``, e.g. "Not saved: …").
    """
    try:
        result = call()
    except ServiceError as exc:
        logger.info("refused %s %s: %s", request.method, request.path, exc)
        messages.error(request, refused % {"reason": exc} if refused else str(exc))
        return redirect(failed_to or redirect_to)
    messages.success(request, success(result) if callable(success) else success)
    return redirect(redirect_to)
