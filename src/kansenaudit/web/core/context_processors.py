# SPDX-License-Identifier: EUPL-1.2
"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest

from kansenaudit import __version__


def product(request: HttpRequest) -> dict[str, object]:
    return {"product_version": __version__, "demo_mode": settings.DEMO_MODE}
