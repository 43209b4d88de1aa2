# SPDX-License-Identifier: EUPL-1.2
"""The report pages of a dossier: the reports, a chapter's editor, preview, versions, builds.

Views parse, call a service or selector, and render. The preview is the report's own HTML
(``reports.html``) in a sandboxed frame of its own page, so its stylesheet never mixes with the
workbench's and nothing in a chapter can run.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kansenaudit.web.core.downloads import download
from kansenaudit.web.core.service_views import run_service
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DossierAccess
from kansenaudit.web.reports import builds, selectors, services
from kansenaudit.web.reports.forms import (
    ChapterAddForm,
    ChapterForm,
    ReportForm,
    TemplateForm,
    VersionForm,
)
from kansenaudit.web.reports.models import Chapter, Report, ReportVersion


def _context(access: DossierAccess, **extra: object) -> dict[str, object]:
    return {
        "dossier": access.dossier,
        "access": access,
        "active": "reports",
        "may_edit": access.allows(Capability.EDIT),
        **extra,
    }


def _report(access: DossierAccess, report_id: int) -> Report:
    found = selectors.report_in_dossier(access.dossier, report_id)
    if found is None:
        raise Http404("report")
    return found


def _chapter(report: Report, chapter_id: int) -> Chapter:
    found = selectors.chapter_in_report(report, chapter_id)
    if found is None:
        raise Http404("chapter")
    return found


def _version(report: Report, number: int) -> ReportVersion:
    found = selectors.version_in_report(report, number)
    if found is None:
        raise Http404("version")
    return found


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.VIEW)
def reports(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """The dossier's reports; an editor can start one with the default structure."""
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if not access.allows(Capability.EDIT):
            return HttpResponse(status=403)
        if form.is_valid():
            data = form.cleaned_data
            created: list[Report] = []
            response = run_service(
                request,
                lambda: created.append(
                    services.report_create(
                        dossier=access.dossier,
                        kind=data["kind"],
                        title=data["title"],
                        subtitle=data["subtitle"],
                        actor=request.user,
                    )
                ),
                success=_("The report was created with the default chapters."),
                redirect_to=reverse("reports:reports", args=[access.dossier.pk]),
            )
            if created:
                return redirect("reports:report", access.dossier.pk, created[0].pk)
            return response
    listed = list(selectors.reports_for_dossier(access.dossier))
    return render(
        request,
        "reports/reports.html",
        _context(access, reports=listed, form=form),
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_GET
@dossier_view(Capability.VIEW)
def report(request: HttpRequest, *, access: DossierAccess, report_id: int) -> HttpResponse:
    found = _report(access, report_id)
    chapters = list(found.chapters.order_by("position"))
    _document, problems, _resolver = services.check_chapters(
        access.dossier, selectors.chapter_snapshot(found)
    )
    from kansenaudit.reports.readability import flesch_douma

    readability = [(c, flesch_douma(c.text)) for c in chapters if c.kind == Chapter.Kind.FRONT]
    context = _context(
        access,
        report=found,
        chapters=chapters,
        readability=readability,
        problems=problems,
        versions=list(found.versions.order_by("-number")),
        version_form=VersionForm(),
        add_form=ChapterAddForm(),
    )
    return render(request, "reports/report.html", context)


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def chapter_edit(
    request: HttpRequest, *, access: DossierAccess, report_id: int, chapter_id: int
) -> HttpResponse:
    found = _report(access, report_id)
    chapter = _chapter(found, chapter_id)
    form = ChapterForm(request.POST or None, initial={"title": chapter.title, "text": chapter.text})
    if request.method == "POST" and form.is_valid():
        return run_service(
            request,
            lambda: services.chapter_update(
                chapter=chapter,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                actor=request.user,
            ),
            success=_("The chapter was saved."),
            redirect_to=reverse("reports:report", args=[access.dossier.pk, found.pk]),
            failed_to=request.path,
        )
    context = _context(access, report=found, chapter=chapter, form=form)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "reports/chapter_form.html", context, status=status)


@require_POST
@dossier_view(Capability.EDIT)
def chapter_add(request: HttpRequest, *, access: DossierAccess, report_id: int) -> HttpResponse:
    found = _report(access, report_id)
    form = ChapterAddForm(request.POST)
    back = reverse("reports:report", args=[access.dossier.pk, found.pk])
    if not form.is_valid():
        messages.error(request, _("Give the new chapter a title and a kind."))
        return redirect(back)
    return run_service(
        request,
        lambda: services.chapter_add(
            report=found,
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            actor=request.user,
        ),
        success=_("The chapter was added at the end."),
        redirect_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def chapter_move(
    request: HttpRequest, *, access: DossierAccess, report_id: int, chapter_id: int
) -> HttpResponse:
    found = _report(access, report_id)
    chapter = _chapter(found, chapter_id)
    direction = -1 if request.POST.get("direction") == "up" else 1
    services.chapter_move(chapter=chapter, direction=direction, actor=request.user)
    return redirect("reports:report", access.dossier.pk, found.pk)


@require_POST
@dossier_view(Capability.EDIT)
def chapter_remove(
    request: HttpRequest, *, access: DossierAccess, report_id: int, chapter_id: int
) -> HttpResponse:
    found = _report(access, report_id)
    chapter = _chapter(found, chapter_id)
    title = chapter.title
    services.chapter_remove(chapter=chapter, actor=request.user)
    messages.success(request, _("Removed the chapter %(title)s.") % {"title": title})
    return redirect("reports:report", access.dossier.pk, found.pk)


@require_POST
@dossier_view(Capability.EDIT)
def version_save(request: HttpRequest, *, access: DossierAccess, report_id: int) -> HttpResponse:
    found = _report(access, report_id)
    form = VersionForm(request.POST)
    back = reverse("reports:report", args=[access.dossier.pk, found.pk])
    if not form.is_valid():
        messages.error(request, _("Choose what the version is for."))
        return redirect(back)
    return run_service(
        request,
        lambda: services.version_save(
            report=found,
            purpose=form.cleaned_data["purpose"],
            note=form.cleaned_data["note"],
            actor=request.user,
        ),
        success=_("The version was saved."),
        redirect_to=back,
    )


@require_GET
@dossier_view(Capability.VIEW)
def version(
    request: HttpRequest, *, access: DossierAccess, report_id: int, number: int
) -> HttpResponse:
    found = _report(access, report_id)
    shown = _version(found, number)
    compare_to = request.GET.get("met")
    other = None
    if compare_to and compare_to.isdigit():
        other = selectors.version_in_report(found, int(compare_to))
    if other is None and number > 1:
        other = selectors.version_in_report(found, number - 1)
    diff = selectors.versions_diff(other, shown) if other is not None else []
    context = _context(
        access,
        report=found,
        version=shown,
        other=other,
        diff=diff,
        versions=list(found.versions.order_by("-number")),
        builds=list(selectors.builds_for_version(shown)),
    )
    return render(request, "reports/version.html", context)


@require_GET
@dossier_view(Capability.VIEW)
def version_download(
    request: HttpRequest, *, access: DossierAccess, report_id: int, number: int, file_format: str
) -> HttpResponse:
    """The version as one HTML page, built at once (Word, PDF and the publication site are
    built in the background: :func:`version_build`)."""
    found = _report(access, report_id)
    shown = _version(found, number)
    if file_format != "html":
        raise Http404("format")
    try:
        built = services.version_build(version=shown, formats=("html",), actor=request.user)
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("reports:version", access.dossier.pk, found.pk, shown.number)
    return download(
        built.files["html"],
        file_name=f"{built.file_stem}.html",
        content_type=builds.CONTENT_TYPES["html"],
    )


@require_POST
@dossier_view(Capability.VIEW)
def version_build(
    request: HttpRequest, *, access: DossierAccess, report_id: int, number: int
) -> HttpResponse:
    """Queue a build (Word, PDF, HTML or the publication site); the version's page shows it."""
    found = _report(access, report_id)
    shown = _version(found, number)
    return run_service(
        request,
        lambda: builds.build_request(
            version=shown, file_format=request.POST.get("format", ""), actor=request.user
        ),
        success=_("The build is queued; this page shows when the file is ready."),
        redirect_to=reverse("reports:version", args=[access.dossier.pk, found.pk, shown.number])
        + "#builds",
    )


@require_GET
@dossier_view(Capability.VIEW)
def build_download(
    request: HttpRequest, *, access: DossierAccess, report_id: int, number: int, job_id: int
) -> HttpResponse:
    """The file a finished build made."""
    found = _report(access, report_id)
    shown = _version(found, number)
    job = selectors.build_in_version(shown, job_id)
    if job is None or job.state != job.State.DONE or job.content is None:
        raise Http404("build")
    return download(
        bytes(job.content),
        file_name=job.file_name,
        content_type=builds.CONTENT_TYPES[job.file_format],
    )


@xframe_options_sameorigin
@require_GET
@dossier_view(Capability.VIEW)
def preview(request: HttpRequest, *, access: DossierAccess, report_id: int) -> HttpResponse:
    """The report's current chapters as the reader will see them (markers where unresolved)."""
    from kansenaudit.reports.html import render_html

    found = _report(access, report_id)
    chapters = selectors.chapter_snapshot(found)
    document, _problems, _resolver = services.check_chapters(access.dossier, chapters)
    from dataclasses import replace

    document = replace(
        document,
        title=found.title,
        subtitle=found.subtitle,
        notice=services.DEMO_NOTICE if found.is_demo or access.dossier.is_demo else "",
    )
    # The stylesheet is a static file (STATICFILES_DIRS "rapport"), not a download of the dossier.
    html = render_html(document, stylesheet_href=static("rapport/report.css"))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    # The preview is shown on its own; nothing in it may run or load from elsewhere.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'self'"
    )
    return response


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def template(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    form = TemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["template"]
        return run_service(
            request,
            lambda: services.template_set(
                dossier=access.dossier,
                data=upload.read(),
                file_name=upload.name,
                actor=request.user,
            ),
            success=_("The Word template was checked and stored."),
            redirect_to=reverse("reports:reports", args=[access.dossier.pk]),
            failed_to=request.path,
        )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "reports/template_form.html", _context(access, form=form), status=status)
