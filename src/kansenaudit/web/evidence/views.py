# SPDX-License-Identifier: EUPL-1.2
"""The evidence pages of a dossier: documents, the page viewer, citations and term usage.

Views parse input, call the services (which validate, write and log) or the selectors and
search functions (which read), and render. Stored text is never trusted as HTML: page text and
quotes are escaped by the templates; only the search snippets of
:mod:`kansenaudit.web.evidence.search`, which escapes them itself and adds ``<mark>``, are
marked safe.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kansenaudit.ingest.model import IngestError
from kansenaudit.reporting.svgchart import Series, render_line_chart
from kansenaudit.web.core.downloads import csv_response
from kansenaudit.web.core.templatetags.ka_format import interface_lang
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DEMO_NOTICE, DossierAccess
from kansenaudit.web.evidence import council_documents, exports, search_marks, selectors, services
from kansenaudit.web.evidence import search as evidence_search
from kansenaudit.web.evidence.forms import (
    CitationForm,
    CouncilPullForm,
    DefinitionForm,
    DocumentEditForm,
    DocumentFilterForm,
    TermForm,
)
from kansenaudit.web.evidence.models import Citation, Document, ImportJob
from kansenaudit.web.judgements import selectors as judgement_selectors

DOCUMENTS_PER_PAGE = 25
HITS_PER_PAGE = 20
CITATIONS_PER_PAGE = 50
KWIC_LIMIT = 300
MAX_FILES_PER_UPLOAD = 50
SENTENCE_REACH = 600  # how far a definition's sentence may extend around the occurrence
logger = logging.getLogger("kansenaudit.evidence")
PNG_CACHE_SECONDS = 24 * 60 * 60


def _base_context(access: DossierAccess, active: str) -> dict[str, object]:
    return {"dossier": access.dossier, "access": access, "active": active}


def _document_or_404(access: DossierAccess, document_id: int) -> Document:
    document = selectors.document_in_dossier(access.dossier, document_id)
    if document is None:
        raise Http404("document")
    return document


def _viewer_url(
    document: Document, page: int, citation: int | None = None, search: str = ""
) -> str:
    url = reverse("evidence:document", args=[document.dossier_id, document.pk])
    query: dict[str, object] = {"pagina": page}
    if search:
        query["zoek"] = search  # the page marks what was searched for
    if citation:
        query["citaat"] = citation
    return f"{url}?{urlencode(query)}" + (f"#citaat-{citation}" if citation else "")


def _int(value: object, default: int | None = None) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def _page_links(total: int, number: int, per_page: int, query: dict) -> dict[str, object]:
    """Previous/next links for a result list that is not a queryset (search hits)."""
    pages = max(1, -(-total // per_page))

    def link(n: int) -> str:
        return "?" + urlencode({**query, "pagina": n})

    return {
        "number": number,
        "pages": pages,
        "previous": link(number - 1) if number > 1 else "",
        "next": link(number + 1) if number < pages else "",
    }


# --- Documents -------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def documents(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """The document list with filters, full-text search and (for editors) the upload form."""
    dossier = access.dossier
    everything = list(selectors.documents_for_dossier(dossier, viewer=request.user))
    years = sorted({d.date.year for d in everything if d.date}, reverse=True)
    form = DocumentFilterForm(request.GET or None, years=years)
    context = _base_context(access, "documents")
    context.update(
        {
            "form": form,
            "document_count": len(everything),
            "may_edit": access.allows(Capability.EDIT),
            "jobs": list(selectors.recent_jobs(dossier, limit=10)),
            "council_pulls": list(selectors.recent_council_pulls(dossier, limit=5)),
            "council_form": CouncilPullForm(),
            "max_upload_mb": services.MAX_UPLOAD_BYTES // 2**20,
            "max_files": MAX_FILES_PER_UPLOAD,
            "is_demo": dossier.is_demo or any(d.is_demo for d in everything),
        }
    )
    if form.is_bound and not form.is_valid():
        context["documents"] = []
        return render(request, "evidence/documents.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    filters = selectors.DocumentFilter(
        doc_type=data.get("soort") or "",
        issuer=data.get("uitgever") or "",
        status=data.get("status") or "",
        year=data.get("jaar"),
    )
    number = max(1, _int(request.GET.get("pagina"), 1))
    query = {k: v for k, v in request.GET.items() if k != "pagina" and v}
    context["query"] = urlencode(query)
    if data.get("q", "").strip():
        try:
            result = evidence_search.search(
                dossier,
                data["q"],
                doc_types=[filters.doc_type] if filters.doc_type else None,
                issuers=[filters.issuer] if filters.issuer else None,
                years=[filters.year] if filters.year else None,
                statuses=[filters.status] if filters.status else None,
                limit=HITS_PER_PAGE,
                offset=(number - 1) * HITS_PER_PAGE,
            )
        except ValueError as exc:
            context.update({"searched": True, "search_error": str(exc), "hits": []})
            return render(request, "evidence/documents.html", context)
        except evidence_search.SearchFailed as exc:
            # Logged where it failed. An error, never "0 pages found": the words may be there.
            context.update({"searched": True, "search_error": str(exc), "hits": []})
            return render(request, "evidence/documents.html", context, status=503)
        by_id = {d.pk: d for d in everything}
        hits = [
            {
                "title": hit.document_title,
                "page": hit.page_number,
                # search.py escaped the page text and added only <mark> elements.
                "snippet": mark_safe(hit.snippet_html),
                "url": _viewer_url(by_id[hit.document_id], hit.page_number, search=data["q"])
                if hit.document_id in by_id
                else "",
                "document": by_id.get(hit.document_id),
            }
            for hit in result.hits
        ]
        context.update(
            {
                "searched": True,
                "hits": hits,
                "total": result.total,
                "more": result.more,
                "pager": _page_links(result.total, number, HITS_PER_PAGE, query),
                **search_marks.query_feedback(data["q"]),
            }
        )
        return render(request, "evidence/documents.html", context)
    paginator = Paginator(
        selectors.documents_for_dossier(dossier, filters, viewer=request.user), DOCUMENTS_PER_PAGE
    )
    page = paginator.get_page(number)
    context.update({"documents": page.object_list, "page": page})
    return render(request, "evidence/documents.html", context)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
@dossier_view(Capability.EDIT)
def council_pull(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """Queue a search of OpenBesluitvorming; the background worker stores what it finds."""
    back = reverse("evidence:documents", args=[access.dossier.pk]) + "#raadsdocumenten"
    form = CouncilPullForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    try:
        council_documents.council_pull_queue(
            dossier=access.dossier,
            municipality=data["gemeente"],
            query=data["zoekwoorden"],
            since=data.get("vanaf"),
            max_results=data["hoogstens"],
            actor=request.user,
        )
    except services.EvidenceError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        _("The search has been queued; the documents found appear in the list when it is done."),
    )
    return redirect(back)


@require_POST
@dossier_view(Capability.EDIT)
def upload(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """Queue one or more uploaded files; a worker extracts them (see tasks.py)."""
    files = request.FILES.getlist("bestanden")
    results = []
    if not files:
        results.append({"name": "", "ok": False, "message": _("Choose one or more files.")})
    elif len(files) > MAX_FILES_PER_UPLOAD:
        results.append(
            {
                "name": "",
                "ok": False,
                "message": _("At most %(count)s files at a time.")
                % {"count": MAX_FILES_PER_UPLOAD},
            }
        )
        files = []
    for uploaded in files:
        name = uploaded.name or ""
        # Checked before reading: a file beyond the limit is never loaded into memory.
        if uploaded.size > services.MAX_UPLOAD_BYTES:
            results.append(
                {
                    "name": name,
                    "ok": False,
                    "message": _("%(name)s: larger than %(mb)s MB")
                    % {"name": name, "mb": services.MAX_UPLOAD_BYTES // 2**20},
                }
            )
            continue
        try:
            job = services.job_queue(
                dossier=access.dossier, file_name=name, data=uploaded.read(), actor=request.user
            )
        except services.EvidenceError as exc:
            results.append({"name": name, "ok": False, "message": str(exc)})
        else:
            results.append({"name": job.file_name, "ok": True, "message": "", "job": job.pk})
    if _wants_json(request):
        status = 200 if any(r["ok"] for r in results) else 400
        return JsonResponse({"files": results}, status=status)
    queued = sum(1 for r in results if r["ok"])
    if queued:
        messages.success(
            request,
            ngettext(
                "%(count)s file received; it is being processed.",
                "%(count)s files received; they are being processed.",
                queued,
            )
            % {"count": queued},
        )
    for item in results:
        if not item["ok"]:
            messages.error(request, item["message"])
    return redirect(reverse("evidence:documents", args=[access.dossier.pk]) + "#uploaden")


def _job_json(job: ImportJob) -> dict[str, object]:
    document = job.document
    return {
        "id": job.pk,
        "file_name": job.file_name,
        "state": job.state,
        "state_label": job.get_state_display(),
        "message": job.message,
        "finished": job.state not in (ImportJob.State.QUEUED, ImportJob.State.RUNNING),
        "document_url": reverse("evidence:document", args=[job.dossier_id, document.pk])
        if document
        else "",
        "document_title": document.title if document else "",
        "created_at": job.created_at.isoformat(),
    }


@require_GET
@dossier_view(Capability.VIEW)
def jobs(request: HttpRequest, *, access: DossierAccess) -> JsonResponse:
    """The dossier's recent uploads and their states (polled by upload.js)."""
    items = list(selectors.recent_jobs(access.dossier, limit=20))
    pending = any(j.state in (ImportJob.State.QUEUED, ImportJob.State.RUNNING) for j in items)
    return JsonResponse({"jobs": [_job_json(j) for j in items], "pending": pending})


# --- The document viewer ---------------------------------------------------------------------


def _segments(page: object, citations: list[Citation], active: int | None) -> list[dict]:
    """The page text in runs, each cited run knowing its citations (for <mark>)."""
    seen: set[int] = set()
    runs = []
    for segment in selectors.page_segments(page, citations):
        anchor = ""
        for pk in segment.citation_ids:
            if pk not in seen:
                seen.add(pk)
                anchor = anchor or f"citaat-{pk}"
        runs.append(
            {
                "text": segment.text,
                "cited": bool(segment.citation_ids),
                "anchor": anchor,
                "active": active in segment.citation_ids,
                "ids": " ".join(str(pk) for pk in segment.citation_ids),
            }
        )
    return runs


def _viewer_context(
    request: HttpRequest,
    access: DossierAccess,
    document: Document,
    number: int,
    *,
    edit_form: DocumentEditForm | None = None,
    cite_form: CitationForm | None = None,
) -> dict[str, object]:
    page, citations = selectors.page_view(document, number, viewer=request.user)
    if page is None:
        raise Http404("page")
    active = _int(request.GET.get("citaat"))
    context = _base_context(access, "documents")
    may_edit = access.allows(Capability.EDIT)
    searched = str(request.GET.get("zoek") or "")[:1000]
    runs, match_count = search_marks.marked_runs(
        _segments(page, citations, active), page.text, searched
    )
    context.update(
        {
            "document": document,
            "page": page,
            "number": number,
            "pages": range(1, document.page_count + 1),
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < document.page_count else None,
            "segments": runs,
            "searched": searched,
            "match_count": match_count,
            "search_back": reverse("evidence:documents", args=[access.dossier.pk])
            + "?"
            + urlencode({"q": searched}),
            "citations": citations,
            "active_citation": active,
            "is_pdf": document.file_format == "pdf",
            "is_demo": document.is_demo,
            "may_edit": may_edit,
            "provenance": sorted((document.provenance or {}).items()),
        }
    )
    if may_edit:
        context["edit_form"] = edit_form or DocumentEditForm.for_document(document)
        context["cite_form"] = cite_form or CitationForm(
            initial={"pagina": number, "oordeel": _int(request.GET.get("oordeel"))},
            judgements=judgement_selectors.cite_for_choices(access.dossier, request.user),
        )
    return context


@require_GET
@dossier_view(Capability.VIEW)
def document(request: HttpRequest, *, access: DossierAccess, document_id: int) -> HttpResponse:
    """One page of a document: its canonical text with cited passages marked."""
    item = _document_or_404(access, document_id)
    citation_id = _int(request.GET.get("citaat"))
    number = _int(request.GET.get("pagina"))
    if citation_id and number is None:
        # A link to a citation alone opens the page it is on.
        # Only a citation the user may see: a held one's page would tell where it is.
        citation = selectors.citation_visible(request.user, access.dossier, citation_id)
        if citation is not None and citation.document_id == item.pk:
            return redirect(_viewer_url(item, citation.page_number, citation.pk))
    context = _viewer_context(request, access, item, number or 1)
    return render(request, "evidence/document.html", context)


@require_GET
@dossier_view(Capability.VIEW)
def page_image(
    request: HttpRequest, *, access: DossierAccess, document_id: int, number: int
) -> HttpResponse:
    """A PDF page rendered as PNG, from the stored original."""
    item = _document_or_404(access, document_id)
    if item.file_format != "pdf" or not 1 <= number <= item.page_count or not item.stored_path:
        raise Http404("page image")
    etag = f'"{item.sha256}-{number}"'
    cache = f"private, max-age={PNG_CACHE_SECONDS}"
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        if not Path(item.stored_path).is_file():
            raise Http404("stored file")
        try:
            png = services.page_image_png(item, number)  # in the isolated child, cached
        except IngestError as exc:
            if exc.code != "timeout":  # a file the renderer refuses has no image to show
                raise Http404("page image") from exc
            logger.warning("page image timed out: document %s page %s: %s", item.pk, number, exc)
            return _page_image_placeholder()
        response = HttpResponse(png, content_type="image/png")
    response["ETag"] = etag
    response["Cache-Control"] = cache
    return response


def _page_image_placeholder() -> HttpResponse:
    """An image that says the page could not be drawn in time (the viewer keeps its text)."""
    first = escape(_("This page could not be drawn in time."))
    second = escape(_("Its text is shown in the viewer as usual."))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="100" role="img" '
        f'aria-label="{first} {second}"><rect width="600" height="100" fill="#f4f4f4" '
        'stroke="#999"/><g font-family="sans-serif" font-size="16" fill="#222">'
        f'<text x="16" y="42">{first}</text><text x="16" y="68">{second}</text></g></svg>'
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@dossier_view(Capability.EDIT)
def cite(request: HttpRequest, *, access: DossierAccess, document_id: int) -> HttpResponse:
    """Cite a passage: by code-point offsets (cite.js) or by its text (without script)."""
    item = _document_or_404(access, document_id)
    form = CitationForm(
        request.POST, judgements=judgement_selectors.cite_for_choices(access.dossier, request.user)
    )
    number = _int(request.POST.get("pagina"), 1) or 1
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_viewer_url(item, number) + "#citeren")
    data = form.cleaned_data
    number = data["pagina"]
    held_for = None
    if data.get("oordeel"):
        held_for = judgement_selectors.judgement_in_dossier(access.dossier, data["oordeel"])
        if held_for is None:
            raise Http404("judgement")
    try:
        if data.get("start") is not None and data.get("end") is not None:
            citation = services.citation_create(
                document=item,
                page_number=number,
                start=data["start"],
                end=data["end"],
                actor=request.user,
                note=data.get("notitie", ""),
                held_for=held_for,
            )
        else:
            citation = services.citation_create_from_quote(
                document=item,
                page_number=number,
                quote=data["citaat"],
                actor=request.user,
                note=data.get("notitie", ""),
                held_for=held_for,
            )
    except services.EvidenceError as exc:
        messages.error(request, _("Not cited: %(reason)s") % {"reason": exc})
        return redirect(_viewer_url(item, number) + "#citeren")
    messages.success(
        request,
        _("Passage cited for your assessment; only you see it until every assessment is in.")
        if held_for is not None
        else _("Passage cited."),
    )
    return redirect(_viewer_url(item, number, citation.pk))


@require_POST
@dossier_view(Capability.EDIT)
def document_edit(request: HttpRequest, *, access: DossierAccess, document_id: int) -> HttpResponse:
    """Change a document's metadata (type, issuer, status …); logged by the service."""
    item = _document_or_404(access, document_id)
    form = DocumentEditForm.for_document(item, request.POST)
    number = _int(request.POST.get("pagina"), 1) or 1
    number = min(max(1, number), max(1, item.page_count))
    if form.is_valid():
        changes = {
            name: value for name, value in form.cleaned_data.items() if getattr(item, name) != value
        }
        if not changes:
            messages.success(request, _("Nothing changed."))
            return redirect(_viewer_url(item, number))
        try:
            services.document_update(document=item, actor=request.user, **changes)
        except services.EvidenceError as exc:
            item.refresh_from_db()
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Document details saved."))
            return redirect(_viewer_url(item, number))
    context = _viewer_context(request, access, item, number, edit_form=form)
    context["edit_open"] = True
    return render(request, "evidence/document.html", context, status=400)


@require_POST
@dossier_view(Capability.EDIT)
def document_reread(
    request: HttpRequest, *, access: DossierAccess, document_id: int
) -> HttpResponse:
    """Queue a re-read of a document, from the stored file or a corrected one (see tasks.py)."""
    item = _document_or_404(access, document_id)
    uploaded = request.FILES.get("bestand")
    data = None
    if uploaded is not None:
        if uploaded.size > services.MAX_UPLOAD_BYTES:
            messages.error(
                request,
                _("%(name)s: larger than %(mb)s MB")
                % {"name": uploaded.name, "mb": services.MAX_UPLOAD_BYTES // 2**20},
            )
            return redirect(_viewer_url(item, 1) + "#opnieuw-inlezen")
        data = uploaded.read()
    try:
        services.job_queue_reread(
            document=item,
            actor=request.user,
            data=data,
            file_name=uploaded.name if uploaded is not None else "",
        )
    except services.EvidenceError as exc:
        messages.error(request, str(exc))
        return redirect(_viewer_url(item, 1) + "#opnieuw-inlezen")
    messages.success(
        request,
        _("“%(title)s” is being read again; its citations are checked when it is done.")
        % {"title": item.title},
    )
    return redirect(reverse("evidence:documents", args=[access.dossier.pk]) + "#uploaden")


# --- Citations -------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def citations(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    items = selectors.citations_visible_to(request.user, access.dossier).select_related(
        "created_by"
    )
    paginator = Paginator(
        items.order_by("document__title", "page_number", "start"), CITATIONS_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("pagina"))
    rows = [
        {"citation": c, "url": _viewer_url(c.document, c.page_number, c.pk)}
        for c in page.object_list
    ]
    context = _base_context(access, "citations")
    context.update({"rows": rows, "page": page, "total": paginator.count})
    return render(request, "evidence/citations.html", context)


@require_GET
@dossier_view(Capability.VIEW)
def citations_csv(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    items = (
        selectors.citations_visible_to(request.user, access.dossier)
        .select_related("created_by")
        .order_by("document__title", "page_number", "start")
    )
    demo = access.dossier.is_demo or any(c.document.is_demo for c in items)
    return csv_response(
        exports.citations_table(items),
        file_name=f"citaten-{access.dossier.pk}.csv",
        notice=DEMO_NOTICE if demo else None,
    )


# --- Terms -----------------------------------------------------------------------------------


def _usage_tables(usage: list[dict], terms: list[str], years: list[int]) -> dict[str, object]:
    """Per term: occurrences per year (chart and table) and per issuer (table)."""
    per_year, per_issuer = selectors.usage_per_year_and_issuer(usage)
    dated = {y for counts in per_year.values() for y in counts if y is not None}
    all_years = sorted(set(years) | dated)
    issuer_labels = dict(Document.Issuer.choices)
    issuers = sorted({i for counts in per_issuer.values() for i in counts})
    charts = []
    for term in terms:
        counts = [per_year[term].get(y, 0) for y in all_years]
        svg = ""
        if all_years:
            description = ", ".join(f"{y}: {c}" for y, c in zip(all_years, counts, strict=True))
            # Our renderer escapes every label it writes, so the markup is safe to include.
            svg = mark_safe(
                render_line_chart(
                    [Series(term, all_years, counts)],
                    title=_("Occurrences of “%(term)s” per year") % {"term": term},
                    description=description,
                    width=360,
                    height=200,
                    counts=True,
                    lang=interface_lang(),
                )
            )
        charts.append({"term": term, "svg": svg, "total": sum(counts)})
    return {
        "charts": charts,
        "years": all_years,
        "year_rows": [
            {"term": t, "counts": [per_year[t].get(y, 0) for y in all_years]} for t in terms
        ],
        "issuers": [{"value": i, "label": issuer_labels.get(i, i or "–")} for i in issuers],
        "issuer_rows": [
            {"term": t, "counts": [per_issuer[t].get(i, 0) for i in issuers]} for t in terms
        ],
    }


@require_GET
@dossier_view(Capability.VIEW)
def terms(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """Followed terms: usage over time and per issuer, keyword in context, definitions."""
    dossier = access.dossier
    term_items = list(selectors.terms_for_dossier(dossier))
    names = [t.term for t in term_items]
    documents_by_id = {d.pk: d for d in selectors.documents_for_dossier(dossier)}
    years = sorted({d.date.year for d in documents_by_id.values() if d.date})
    context = _base_context(access, "terms")
    shown_term = request.GET.get("term", "")
    try:
        usage, occurrences = (
            evidence_search.term_usage_and_occurrences(dossier, names) if names else ([], [])
        )
    except evidence_search.SearchFailed as exc:
        # Logged where it failed. The page says so instead of showing counts of 0.
        context["search_error"] = str(exc)
        usage, occurrences = [], []
    if shown_term in names:  # the occurrences of every term hold those of the one shown
        occurrences = [o for o in occurrences if o.term == shown_term]
    context.update(_usage_tables(usage, names, years))
    term_ids = {t.term: t.pk for t in term_items}
    kwic = []
    for occ in occurrences[:KWIC_LIMIT]:
        doc = documents_by_id.get(occ.document_id)
        if doc is None:
            continue
        kwic.append(
            {
                "occ": occ,
                "document": doc,
                "term_id": term_ids.get(occ.term),
                "url": _viewer_url(doc, occ.page_number),
            }
        )
    context.update(
        {
            "terms": term_items,
            "term_form": TermForm(),
            "may_edit": access.allows(Capability.EDIT),
            "kwic": kwic,
            "kwic_total": len(occurrences),
            "kwic_limit": KWIC_LIMIT,
            "shown_term": shown_term if shown_term in names else "",
            "is_demo": dossier.is_demo or any(d.is_demo for d in documents_by_id.values()),
            "definitions": [
                {
                    "term": t,
                    "items": [
                        {
                            "definition": d,
                            "url": _viewer_url(
                                d.citation.document, d.citation.page_number, d.citation.pk
                            ),
                        }
                        for d in t.definitions.all()
                    ],
                }
                for t in term_items
            ],
        }
    )
    status = 503 if context.get("search_error") else 200
    return render(request, "evidence/terms.html", context, status=status)


@require_POST
@dossier_view(Capability.EDIT)
def term_add(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    form = TermForm(request.POST)
    if form.is_valid():
        try:
            item = services.term_add(
                dossier=access.dossier, term=form.cleaned_data["term"], actor=request.user
            )
        except services.EvidenceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Term “%(term)s” is followed.") % {"term": item.term})
    else:
        messages.error(request, _("Give a term of 1 to 100 characters."))
    return redirect("evidence:terms", dossier_id=access.dossier.pk)


@require_POST
@dossier_view(Capability.EDIT)
def term_remove(request: HttpRequest, *, access: DossierAccess, term_id: int) -> HttpResponse:
    item = selectors.terms_for_dossier(access.dossier).filter(pk=term_id).first()
    if item is None:
        raise Http404("term")
    try:
        services.term_remove(term=item, actor=request.user)
    except services.EvidenceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Term “%(term)s” is no longer followed.") % {"term": item.term})
    return redirect("evidence:terms", dossier_id=access.dossier.pk)


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n\s*\n")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``text[start:end]``: from after the previous sentence end (or blank
    line) to the next one, within :data:`SENTENCE_REACH` characters either way."""
    low = max(0, start - SENTENCE_REACH)
    left = low
    for match in _SENTENCE_END.finditer(text, low, start):
        left = match.end()
    if left == low and low > 0:
        left = start  # no sentence start within reach: begin at the occurrence
    while left < start and text[left].isspace():
        left += 1
    match = _SENTENCE_END.search(text, end, min(len(text), end + SENTENCE_REACH))
    if match is None:
        right = len(text) if len(text) - end <= SENTENCE_REACH else end
    else:
        right = match.end() if text[match.start()] in ".!?" else match.start()
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, right


@require_POST
@dossier_view(Capability.EDIT)
def definition_add(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """Mark the sentence of a keyword-in-context line as a definition of its term."""
    form = DefinitionForm(request.POST)
    back = reverse("evidence:terms", args=[access.dossier.pk]) + "#definities"
    if not form.is_valid():
        messages.error(request, _("This occurrence cannot be marked as a definition."))
        return redirect(back)
    data = form.cleaned_data
    term = selectors.terms_for_dossier(access.dossier).filter(pk=data["term"]).first()
    item = selectors.document_in_dossier(access.dossier, data["document"])
    if term is None or item is None:
        raise Http404("term or document")
    page, _citations = selectors.page_view(item, data["pagina"], viewer=request.user)
    if page is None or not 0 <= data["start"] < data["end"] <= len(page.text):
        messages.error(request, _("This occurrence is no longer on the page."))
        return redirect(back)
    start, end = sentence_bounds(page.text, data["start"], data["end"])
    try:
        citation = services.citation_create(
            document=item,
            page_number=page.number,
            start=start,
            end=end,
            actor=request.user,
            note=data.get("notitie", ""),
        )
        services.definition_add(
            term=term, citation=citation, actor=request.user, note=data.get("notitie", "")
        )
    except services.EvidenceError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request, _("Definition of “%(term)s” added to the register.") % {"term": term.term}
    )
    return redirect(back)


@require_GET
@dossier_view(Capability.VIEW)
def terms_csv(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """The term-usage table: occurrences per term, year and issuer."""
    dossier = access.dossier
    names = [t.term for t in selectors.terms_for_dossier(dossier)]
    try:
        usage = evidence_search.term_usage(dossier, names) if names else []
    except evidence_search.SearchFailed as exc:
        # Logged where it failed. No file of zeros: back to the term page, which says why.
        messages.error(request, str(exc))
        return redirect("evidence:terms", access.dossier.pk)
    demo = dossier.is_demo or any(d.is_demo for d in selectors.documents_for_dossier(dossier))
    return csv_response(
        exports.terms_table(usage),
        file_name=f"termgebruik-{dossier.pk}.csv",
        notice=DEMO_NOTICE if demo else None,
    )
