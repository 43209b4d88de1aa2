# SPDX-License-Identifier: EUPL-1.2
"""The client's address, for per-address limits (login throttling, uitvraag link look-ups).

Directly connected, it is ``REMOTE_ADDR``. Behind the reverse proxy of
``KANSENAUDIT_BEHIND_PROXY`` that is the proxy's address for every user, so one sprayer would
lock out everyone; there the right-most ``X-Forwarded-For`` entry is used: the address our
proxy saw and wrote (left-hand entries come from the client and can be forged).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address limits are counted for; None when the request has none (a test's or a
    command's request object). Axes stores it in an address column, so only valid addresses."""
    if settings.BEHIND_PROXY:
        entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = _valid(entries[-1])
        if forwarded:
            return forwarded
    return _valid(request.META.get("REMOTE_ADDR") or "")
