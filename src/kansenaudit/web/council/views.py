# SPDX-License-Identifier: EUPL-1.2
"""The council pages of a dossier: the items, the timeline, the matrix goals × years, exports.

Views parse input, call the services (which check, write and log) or the selectors (which
read), and render. Stored text is never trusted as HTML; only the timeline SVG, which our own
renderer builds and escapes, is marked safe.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kansenaudit.reporting.svgtimeline import Marker, render_timeline
from kansenaudit.reporting.tables import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from kansenaudit.web.core.downloads import download
from kansenaudit.web.core.templatetags.ka_format import interface_lang
from kansenaudit.web.council import exports, selectors, services
from kansenaudit.web.council.forms import ItemFilterForm, ItemForm
from kansenaudit.web.council.models import InformationItem
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DossierAccess

STATE_LABELS = {
    selectors.NONE: gettext_lazy("no information"),
    selectors.PLANS: gettext_lazy("plans only"),
    selectors.OUTPUTS: gettext_lazy("outputs"),
    selectors.EFFECTS: gettext_lazy("effects"),
    selectors.BOTH: gettext_lazy("outputs and effects"),
}


def _context(access: DossierAccess, active: str, **extra: object) -> dict[str, object]:
    return {
        "dossier": access.dossier,
        "access": access,
        "active": "council",
        "council_active": active,
        "may_edit": access.allows(Capability.EDIT),
        **extra,
    }


def _item_or_404(access: DossierAccess, item_id: int) -> InformationItem:
    item = selectors.item_in_dossier(access.dossier, item_id)
    if item is None:
        raise Http404("item")
    return item


def _legend() -> list[dict[str, str]]:
    return [{"state": s, "label": STATE_LABELS[s]} for s in selectors.STATES]


# --- Items -----------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def items(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """The register of information items with filters, and documents to register."""
    dossier = access.dossier
    form = ItemFilterForm(request.GET or None, dossier=dossier)
    status = 400 if form.is_bound and not form.is_valid() else 200
    listed = list(selectors.items_for_dossier(dossier, form.filters()))
    context = _context(
        access,
        "items",
        form=form,
        items=listed,
        summary=selectors.council_summary(dossier),
        suggestions=list(selectors.suggested_documents(dossier)),
        is_demo=dossier.is_demo or any(i.is_demo for i in listed),
        filtered=any(v for v in request.GET.values()),
    )
    return render(request, "council/items.html", context, status=status)


@require_GET
@dossier_view(Capability.VIEW)
def item(request: HttpRequest, *, access: DossierAccess, item_id: int) -> HttpResponse:
    found = _item_or_404(access, item_id)
    context = _context(access, "items", item=found, is_demo=found.is_demo)
    return render(request, "council/item.html", context)


def _save(form: ItemForm, access: DossierAccess, request: HttpRequest) -> InformationItem:
    data = form.cleaned_data
    linked = {name: list(data.get(name) or []) for name in ("goals", "measures", "indicators")}
    if form.item is None:
        return services.item_register(
            dossier=access.dossier,
            document=data["document"],
            title=data.get("title") or "",
            date=data.get("date"),
            reports_on=data["reports_on"],
            note=data.get("note") or "",
            actor=request.user,
            **linked,
        )
    return services.item_update(
        item=form.item,
        title=data["title"],
        date=data["date"],
        reports_on=data["reports_on"],
        note=data.get("note") or "",
        actor=request.user,
        **linked,
    )


def _form_page(
    request: HttpRequest, access: DossierAccess, item: InformationItem | None
) -> HttpResponse:
    if request.method == "POST":
        form = ItemForm(request.POST, dossier=access.dossier, item=item)
        if form.is_valid():
            try:
                saved = _save(form, access, request)
            except services.CouncilError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Saved: %(title)s") % {"title": saved.title},
                )
                return redirect("council:item", access.dossier.pk, saved.pk)
        status = 400
    else:
        initial = {}
        document_id = request.GET.get("document", "")
        if item is None and document_id.isdigit():
            initial["document"] = int(document_id)
        form = ItemForm(initial=initial or None, dossier=access.dossier, item=item)
        status = 200
    context = _context(access, "items", form=form, item=item)
    return render(request, "council/item_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def item_add(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """Register a document of the evidence store as information to the council."""
    return _form_page(request, access, None)


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def item_edit(request: HttpRequest, *, access: DossierAccess, item_id: int) -> HttpResponse:
    return _form_page(request, access, _item_or_404(access, item_id))


@require_POST
@dossier_view(Capability.EDIT)
def item_remove(request: HttpRequest, *, access: DossierAccess, item_id: int) -> HttpResponse:
    found = _item_or_404(access, item_id)
    title = found.title
    services.item_remove(item=found, actor=request.user)
    messages.success(request, _("Removed from the council register: %(title)s") % {"title": title})
    return redirect("council:items", access.dossier.pk)


# --- Timeline and matrix ---------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def timeline(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """The items on a date axis (SVG) with the same items in a table, per year."""
    dossier = access.dossier
    form = ItemFilterForm(request.GET or None, dossier=dossier)
    status = 400 if form.is_bound and not form.is_valid() else 200
    result = selectors.timeline(dossier, form.filters())
    entries = result.entries
    svg = ""
    if result.years:
        legend = {s: str(STATE_LABELS[s]) for s in selectors.STATES if s != selectors.NONE}
        counts = {s: sum(1 for e in entries if e.state == s) for s in legend}
        description = "; ".join(f"{legend[s]}: {n}" for s, n in counts.items())
        # Our renderer escapes every label it writes, so the markup is safe to include.
        svg = mark_safe(
            render_timeline(
                [
                    Marker(
                        e.item.date,
                        e.item.title,
                        e.state,
                        reverse("council:item", args=[dossier.pk, e.item.pk]),
                    )
                    for e in entries
                ],
                years=[y.year for y in result.years],
                title=_("Information to the council over time"),
                description=description,
                legend=legend,
                lang=interface_lang(),
            )
        )
    context = _context(
        access,
        "timeline",
        form=form,
        timeline=result,
        svg=svg,
        state_labels=STATE_LABELS,
        is_demo=dossier.is_demo or any(e.item.is_demo for e in entries),
        query=urlencode({k: v for k, v in request.GET.items() if v}),
    )
    return render(request, "council/timeline.html", context, status=status)


@require_GET
@dossier_view(Capability.VIEW)
def matrix(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """Goals × years: what the council was told about each goal in each year."""
    dossier = access.dossier
    result = selectors.matrix(dossier)
    rows = [
        {
            "goal": row.goal,
            "summary": row.summary,
            "share": None
            if row.summary.share_on_effects is None
            else round(100 * row.summary.share_on_effects),
            "cells": [
                {"cell": c, "label": STATE_LABELS[c.state], "state": c.state} for c in row.cells
            ],
        }
        for row in result.rows
    ]
    context = _context(
        access,
        "matrix",
        matrix=result,
        rows=rows,
        legend=_legend(),
        gaps=selectors.unreported(dossier),
        is_demo=dossier.is_demo,
    )
    return render(request, "council/matrix.html", context)


# --- Exports ---------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def items_csv(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    return download(
        exports.items_csv(access.dossier),
        file_name=f"raadsinformatie-{access.dossier.pk}.csv",
        content_type=CSV_CONTENT_TYPE,
    )


@require_GET
@dossier_view(Capability.VIEW)
def matrix_csv(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    return download(
        exports.matrix_csv(access.dossier),
        file_name=f"raadsinformatie-matrix-{access.dossier.pk}.csv",
        content_type=CSV_CONTENT_TYPE,
    )


@require_GET
@dossier_view(Capability.VIEW)
def export_xlsx(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    return download(
        exports.workbook_bytes(access.dossier),
        file_name=f"raadsinformatie-{access.dossier.pk}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
