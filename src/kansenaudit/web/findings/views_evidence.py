# SPDX-License-Identifier: EUPL-1.2
"""The evidence picker of a finding: the dossier's evidence per kind of the registry, searched
on the server (so it works without JavaScript; ``findings/evidence-picker.js`` adds a live
filter), and the ticked pieces attached at once.

A search is a POST of the same form (button ``actie=zoeken``), so what was ticked survives it
and the form's CSRF token never lands in a URL; ``?q=`` and ``?soort=`` open it searched."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DossierAccess
from kansenaudit.web.findings import registry, selectors, services
from kansenaudit.web.findings.views import _base, _finding_or_404, _finding_url

SEARCH = "zoeken"


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def evidence_pick(request: HttpRequest, *, access: DossierAccess, finding_id: int) -> HttpResponse:
    item = _finding_or_404(access, finding_id)
    data = request.POST if request.method == "POST" else request.GET
    query = data.get("q", "")[:300]
    kind = data.get("soort", "")
    kind = kind if kind in registry.kinds() else ""
    ticked = data.getlist("bewijs")[:500] if request.method == "POST" else []
    note = data.get("note", "")[:500]
    status = 200
    if request.method == "POST" and data.get("actie") != SEARCH:
        parsed = [selectors.pick_value(v) for v in ticked]
        try:
            if any(p is None for p in parsed):
                raise services.FindingsError(_("Choose the evidence from the list."))
            refs = services.evidence_add_many(
                finding=item,
                refs=[p for p in parsed if p is not None],
                actor=request.user,
                note=note,
            )
        except services.FindingsError as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s piece of evidence has been attached.",
                    "%(count)s pieces of evidence have been attached.",
                    len(refs),
                )
                % {"count": len(refs)},
            )
            return redirect(_finding_url(item) + "#bewijs")
    picked = selectors.evidence_picked(item, ticked)
    shown = {p.value for p in picked}
    groups = selectors.evidence_choices(item, query, kind)
    for group in groups:
        # A ticked piece is listed once, at the top, whatever the search.
        group.items = [i for i in group.items if i.value not in shown]
    context = _base(access, "dashboard")
    context.update(
        {
            "finding": item,
            "query": query,
            "kind": kind,
            "kinds": registry.kind_choices(),
            "picked": picked,
            "groups": groups,
            "note": note,
            "limit": selectors.PICK_LIMIT,
            "search": SEARCH,
            # The live count of evidence-picker.js, in the interface language.
            "count_text": _("%(shown)s of %(total)s listed pieces shown, %(chosen)s ticked"),
        }
    )
    return render(request, "findings/evidence_pick.html", context, status=status)
