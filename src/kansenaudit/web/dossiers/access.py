# SPDX-License-Identifier: EUPL-1.2
"""View helper that turns the dossier selector's answers into 404 and 403 responses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse

from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DossierNotFound, dossier_access


def dossier_view(capability: Capability) -> Callable:
    """Decorate a view taking ``dossier_id``; it receives ``access`` (dossier and role).

    A dossier the user is not a member of is a 404, never a hint that it exists; a member whose
    role lacks ``capability`` gets a 403.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, dossier_id: int, **kwargs: object) -> HttpResponse:
            try:
                access = dossier_access(
                    user=request.user, dossier_id=dossier_id, capability=capability
                )
            except DossierNotFound as exc:
                raise Http404("dossier") from exc
            return view(request, access=access, **kwargs)

        wrapper.required_capability = capability  # read by the permission matrix test
        return wrapper

    return decorator
