# SPDX-License-Identifier: EUPL-1.2
"""Health, error pages and the audit log pages."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kansenaudit import __version__
from kansenaudit.web.core import audit_text
from kansenaudit.web.core.downloads import csv_response
from kansenaudit.web.core.exports import audit_log_table
from kansenaudit.web.core.forms import AuditFilterForm
from kansenaudit.web.core.selectors import (
    AuditFilter,
    audit_events_for_dossier,
    audit_facets_for_dossier,
    health,
)
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DEMO_NOTICE, DossierAccess

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_GET
def health_view(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when pages can be served, else 503 naming the
    check that failed (database, migrations, audit triggers, static files, data folder); never
    a secret."""
    state = health()
    if not state.ok:
        failed = {k: v for k, v in state.checks.items() if v not in ("ok", "not used")}
        logger.warning("Health check failed: %s", failed)
    return JsonResponse(
        {"status": "ok" if state.ok else "unavailable", **state.checks, "version": __version__},
        status=200 if state.ok else 503,
    )


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def _filtered_events(request: HttpRequest, access: DossierAccess) -> tuple:
    facets = audit_facets_for_dossier(dossier=access.dossier)
    form = AuditFilterForm(request.GET or None, facets=facets)
    filters = AuditFilter()
    if form.is_valid():
        filters = AuditFilter(**form.cleaned_data)
    return form, audit_events_for_dossier(dossier=access.dossier, filters=filters)


@require_GET
@dossier_view(Capability.VIEW_AUDIT_LOG)
def audit_log(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    form, events = _filtered_events(request, access)
    page = Paginator(events, 50).get_page(request.GET.get("pagina"))
    described = audit_text.describe(page.object_list)
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "core/audit_log.html",
        {
            "dossier": access.dossier,
            "access": access,
            "form": form,
            "page": page,
            "events": described,
            "query": query.urlencode(),
        },
    )


@require_GET
@dossier_view(Capability.VIEW_AUDIT_LOG)
def audit_log_csv(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    _form, events = _filtered_events(request, access)
    return csv_response(
        audit_log_table(events.iterator()),
        file_name=f"logboek-{access.dossier.pk}.csv",
        notice=DEMO_NOTICE if access.dossier.is_demo else None,
    )
