"""The client's address, for per-address limits (login throttling, uitvraag link look-ups).

Directly connected, it is ``REMOTE_ADDR``. Behind the reverse proxy of
``KANSENAUDIT_BEHIND_PROXY`` that is the proxy's address for every user, so one sprayer would
lock out everyone; there the right-most ``X-Forwarded-For`` entry is used: the address our
proxy saw and wrote (left-hand entries come from the client and can be forged).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address limits are counted for."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [part.strip() for part in forwarded.split(",") if part.strip()]
        if entries:
            return entries[-1][:64]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
