# SPDX-License-Identifier: EUPL-1.2
"""Writes of the reports app: reports and chapters, saved and frozen versions, builds, template.

Every change is logged (last, after the change). A version is a snapshot of the chapters with
its SHA-256; freezing one for wederhoor or publication is refused while any reference in it
cannot be resolved, so a frozen version never shows a marker or a withheld number.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansenaudit.reporting.formatting import format_date, format_number
from kansenaudit.reports.bundle import unique_numbers
from kansenaudit.reports.document import Chapter as DocChapter
from kansenaudit.reports.document import Paragraph, TableBlock, Text
from kansenaudit.reports.document import Report as DocReport
from kansenaudit.reports.docx_template import TemplateError, check_template
from kansenaudit.reports.markup import ReferenceProblem, parse_chapter
from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.reports.models import Chapter, Report, ReportTemplate, ReportVersion
from kansenaudit.web.reports.resolve import UNITS, DossierResolver
from kansenaudit.web.reports.selectors import chapter_snapshot
from kansenaudit.web.reports.structure import default_chapters

FORMATS = ("docx", "pdf", "html")
DEMO_NOTICE = "Fictief voorbeeld: Voorbeeldstad, haar beleid, documenten en cijfers zijn verzonnen."


class ReportError(ServiceError):
    """A change to a report that is refused."""


# What is wrong with a Word template, by TemplateError.code, as the user reads it.
TEMPLATE_PROBLEMS = {
    "too_large": _("the file is larger than 20 MB"),
    "not_word": _("it is not a Word document"),
    "parts": _("it holds too many parts for a Word document"),
    "unpacked": _("it would unpack to more than 100 MB"),
    "ratio": _("part %(detail)s is compressed suspiciously strongly"),
    "macros": _("it contains macros"),
    "xml": _("part %(detail)s holds XML that is refused (entities or a DTD)"),
    "unreadable": _("Word cannot read it"),
    "styles": _("the styles %(detail)s are missing"),
}


def _template_refusal(exc: TemplateError, file_name: str) -> ReportError:
    problem = TEMPLATE_PROBLEMS.get(exc.code, TEMPLATE_PROBLEMS["not_word"])
    return ReportError(
        _("The Word template %(file)s cannot be used: %(problem)s. Upload another one."),
        {"file": file_name, "problem": str(problem) % {"detail": exc.detail}},
    )


@dataclass(frozen=True)
class Built:
    """One build of a version: the files by format and what the resolver could not answer."""

    files: dict[str, bytes]
    problems: tuple[ReferenceProblem, ...]
    file_stem: str


# --- Reports and chapters ----------------------------------------------------------------------


@transaction.atomic
def report_create(
    *, dossier: Any, kind: str, title: str, actor: Any, subtitle: str = "", is_demo: bool = False
) -> Report:
    """A report with the default structure of its kind (the research design's chapters)."""
    if kind not in Report.Kind.values:
        raise ReportError(_("Unknown kind of report: %(kind)s."), {"kind": kind})
    if not title.strip():
        raise ReportError(_("A report needs a title."))
    report = Report.objects.create(
        dossier=dossier,
        kind=kind,
        title=title.strip(),
        subtitle=subtitle.strip(),
        is_demo=is_demo,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for position, (key, chapter_title, chapter_kind, text) in enumerate(
        default_chapters(kind, dossier), start=1
    ):
        Chapter.objects.create(
            report=report,
            key=key,
            position=position,
            title=chapter_title,
            kind=chapter_kind,
            text=text,
        )
    audit_record(
        actor=actor,
        action="reports.report_created",
        dossier=dossier,
        target=report,
        summary=f"{report.get_kind_display()}: {report.title}",
        after={"kind": kind, "title": report.title, "chapters": report.chapters.count()},
    )
    return report


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@transaction.atomic
def chapter_update(*, chapter: Chapter, title: str, text: str, actor: Any) -> Chapter:
    """Change a chapter's title and text; an unchanged save changes and logs nothing."""
    title = title.strip()
    text = text.replace("\r\n", "\n")
    if not title:
        raise ReportError(_("A chapter needs a title."))
    if len(text) > 1_000_000:
        raise ReportError(_("A chapter may hold at most a million characters; split it."))
    if (title, text) == (chapter.title, chapter.text):
        return chapter
    before = {"title": chapter.title, "text_sha256": _text_digest(chapter.text)}
    chapter.title, chapter.text = title, text
    chapter.save(update_fields=["title", "text"])
    audit_record(
        actor=actor,
        action="reports.chapter_updated",
        dossier=chapter.report.dossier,
        target=chapter,
        summary=f"{chapter.report.title} – {chapter.title}",
        before=before,
        after={"title": title, "text_sha256": _text_digest(text)},
    )
    return chapter


@transaction.atomic
def chapter_add(*, report: Report, title: str, kind: str, actor: Any) -> Chapter:
    if not title.strip():
        raise ReportError(_("A chapter needs a title."))
    if kind not in Chapter.Kind.values:
        raise ReportError(_("Unknown kind of chapter: %(kind)s."), {"kind": kind})
    last = report.chapters.aggregate(last=Max("position"))["last"] or 0
    base = (
        "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")[:40] or "hoofdstuk"
    )
    key, n = base, 1
    while report.chapters.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    chapter = Chapter.objects.create(
        report=report, key=key, position=last + 1, title=title.strip(), kind=kind, text=""
    )
    audit_record(
        actor=actor,
        action="reports.chapter_added",
        dossier=report.dossier,
        target=chapter,
        summary=f"{report.title} – {chapter.title}",
        after={"key": key, "title": chapter.title, "kind": kind},
    )
    return chapter


@transaction.atomic
def chapter_move(*, chapter: Chapter, direction: int, actor: Any) -> None:
    """Swap the chapter with its neighbour (``direction`` −1 up, +1 down)."""
    siblings = list(chapter.report.chapters.order_by("position"))
    index = next(i for i, c in enumerate(siblings) if c.pk == chapter.pk)
    other = index + (1 if direction > 0 else -1)
    if not 0 <= other < len(siblings):
        return
    a, b = siblings[index], siblings[other]
    a.position, b.position = b.position, a.position
    # Through a free position: the pair (report, position) is not unique, but keep it tidy.
    a.save(update_fields=["position"])
    b.save(update_fields=["position"])
    audit_record(
        actor=actor,
        action="reports.chapter_moved",
        dossier=chapter.report.dossier,
        target=chapter,
        summary=f"{chapter.report.title} – {chapter.title}",
        after={"position": a.position},
    )


@transaction.atomic
def chapter_remove(*, chapter: Chapter, actor: Any) -> None:
    report, pk = chapter.report, chapter.pk
    before = {"key": chapter.key, "title": chapter.title, "text_sha256": _text_digest(chapter.text)}
    chapter.delete()
    audit_record(
        actor=actor,
        action="reports.chapter_removed",
        dossier=report.dossier,
        target=Chapter(pk=pk, report=report),
        target_pk=pk,
        summary=f"{report.title} – {before['title']}",
        before=before,
    )


# --- Versions ----------------------------------------------------------------------------------


def _digest(title: str, subtitle: str, chapters: list[dict[str, str]]) -> str:
    canonical = json.dumps(
        {"title": title, "subtitle": subtitle, "chapters": chapters},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_chapters(
    dossier: Any, chapters: list[dict[str, str]]
) -> tuple[DocReport, tuple[ReferenceProblem, ...], DossierResolver]:
    """Resolve every chapter against the dossier: the document and the problems found."""
    resolver = DossierResolver(dossier)
    parsed: list[DocChapter] = []
    problems: list[ReferenceProblem] = []
    for chapter in chapters:
        result = parse_chapter(chapter["text"], chapter=chapter["key"], resolver=resolver)
        problems.extend(result.problems)
        parsed.append(DocChapter(chapter["key"], chapter["title"], result.blocks, chapter["kind"]))
    document = DocReport(title="", chapters=tuple(parsed))
    return document, tuple(problems), resolver


@transaction.atomic
def version_save(*, report: Report, purpose: str, actor: Any, note: str = "") -> ReportVersion:
    """Save the chapters as a new version; ``purpose`` other than draft freezes it."""
    if purpose not in ReportVersion.Purpose.values:
        raise ReportError(_("Unknown purpose of a version: %(purpose)s."), {"purpose": purpose})
    chapters = chapter_snapshot(report)
    _document, problems, _resolver = check_chapters(report.dossier, chapters)
    if purpose != ReportVersion.Purpose.DRAFT and problems:
        first = problems[0]
        raise ReportError(
            _(
                "This version cannot be frozen: %(count)s references cannot be resolved, the "
                "first in chapter %(chapter)s, line %(line)s (%(reference)s). Correct them and "
                "freeze again."
            ),
            {
                "count": len(problems),
                "chapter": first.chapter,
                "line": first.line,
                "reference": first.reference,
            },
        )
    number = (report.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = ReportVersion(
        report=report,
        number=number,
        purpose=purpose,
        title=report.title,
        subtitle=report.subtitle,
        chapters=chapters,
        sha256=_digest(report.title, report.subtitle, chapters),
        problems=[p.__dict__ for p in problems],
        note=note.strip()[:500],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.save()
    audit_record(
        actor=actor,
        action="reports.version_saved",
        dossier=report.dossier,
        target=version,
        summary=f"{report.title} v{number} ({version.get_purpose_display()})",
        after={"number": number, "purpose": purpose, "sha256": version.sha256},
    )
    return version


# --- Builds --------------------------------------------------------------------------------------


def build_document(
    version: ReportVersion,
) -> tuple[DocReport, tuple[ReferenceProblem, ...], DossierResolver]:
    """The resolved document of a saved version (references resolved as the dossier is now)."""
    dossier = version.report.dossier
    document, problems, resolver = check_chapters(dossier, version.chapters)
    organisation = getattr(dossier, "municipality_name", "") or ""
    chapters = document.chapters
    if resolver.numbers:
        chapters = (*chapters, numbers_annex(resolver.numbers))
    return (
        DocReport(
            title=version.title,
            subtitle=version.subtitle,
            organisation=f"Rekenkamer {organisation}".strip() if organisation else "",
            date_text=format_date(timezone.localdate(version.created_at)),
            version=f"{version.number} ({version.get_purpose_display()})",
            notice=DEMO_NOTICE if version.report.is_demo or dossier.is_demo else "",
            chapters=chapters,
            keywords=("kansengelijkheid", "rekenkamer"),
        ),
        problems,
        resolver,
    )


def numbers_annex(numbers: list[dict[str, Any]]) -> DocChapter:
    """The annex that says where each number in the text comes from (one row per reference,
    in the order of first use); the same rows go into the publication's open data."""
    rows = [
        (
            n["indicator"],
            n["area"],
            str(n["year"]),
            n["group"],
            format_number(n["value"], decimals=1) + UNITS.get(n["unit"], ""),
            n["source"] or "–",
        )
        for n in unique_numbers(numbers)
    ]
    table = TableBlock(
        caption="De getallen in de tekst en hun bron",
        columns=("Indicator", "Gebied", "Jaar", "Groep", "Waarde", "Bron"),
        rows=tuple(rows),
        numeric=frozenset({2, 4}),
    )
    intro = Paragraph(
        (
            Text(
                "Elk getal in de tekst komt uit de berekening van de staat van "
                "kansengelijkheid; deze bijlage noemt per getal de bron. Getallen die om "
                "privacyredenen niet worden gepubliceerd, staan niet in de tekst en niet hier."
            ),
        )
    )
    return DocChapter("herkomst-getallen", "Herkomst van de getallen", (intro, table), "annex")


def version_build(*, version: ReportVersion, formats: tuple[str, ...], actor: Any) -> Built:
    """Build the version in ``formats`` (docx, pdf, html); logged as an export."""
    from kansenaudit.reports.docx import render_docx
    from kansenaudit.reports.html import render_html
    from kansenaudit.reports.pdf import render_pdf

    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ReportError(
            _("Choose formats among docx, pdf and html (not %(formats)s)."),
            {"formats": ", ".join(unknown) or "–"},
        )
    document, problems, _resolver = build_document(version)
    if version.is_frozen and problems:
        raise ReportError(
            _(
                "The evidence behind this frozen version has changed: %(count)s references can "
                "no longer be resolved. Save a new version and freeze that."
            ),
            {"count": len(problems)},
        )
    template = ReportTemplate.objects.filter(dossier=version.report.dossier).first()
    files: dict[str, bytes] = {}
    for name in formats:
        if name == "docx":
            try:
                files[name] = render_docx(
                    document,
                    template=bytes(template.data) if template else None,
                    template_name=template.file_name if template else "template.docx",
                )
            except TemplateError as exc:
                raise _template_refusal(exc, template.file_name if template else "") from exc
        elif name == "pdf":
            files[name] = render_pdf(document)
        else:
            files[name] = render_html(document).encode("utf-8")
    stem = f"{version.report.get_kind_display().split(' (')[-1].rstrip(')')}-v{version.number}"
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem.lower())
    audit_record(
        actor=actor,
        action="reports.version_built",
        dossier=version.report.dossier,
        target=version,
        summary=f"{version.report.title} v{version.number}: {', '.join(formats)}",
        after={"formats": list(formats), "problems": len(problems)},
    )
    return Built(files=files, problems=problems, file_stem=stem)


def publication_bundle(*, version: ReportVersion, actor: Any) -> bytes:
    """The publication site of a version frozen for publication, as a ZIP file; logged."""
    from kansenaudit.reports.bundle import build_bundle
    from kansenaudit.reports.pdf import render_pdf

    if version.purpose != ReportVersion.Purpose.PUBLICATION:
        raise ReportError(
            _(
                "Only a version frozen for publication goes into the publication bundle. "
                "Freeze one for publication first."
            )
        )
    document, problems, resolver = build_document(version)
    if problems:
        raise ReportError(
            _(
                "The evidence behind this frozen version has changed: %(count)s references can "
                "no longer be resolved. Save a new version and freeze that."
            ),
            {"count": len(problems)},
        )
    data = build_bundle(
        document,
        pdf=render_pdf(document),
        numbers=resolver.numbers,
        version=str(version.number),
        sha256=version.sha256,
    )
    audit_record(
        actor=actor,
        action="reports.bundle_built",
        dossier=version.report.dossier,
        target=version,
        summary=f"{version.report.title} v{version.number}: publicatiebundel",
        after={"sha256": hashlib.sha256(data).hexdigest(), "numbers": len(resolver.numbers)},
    )
    return data


# --- Template ------------------------------------------------------------------------------------


@transaction.atomic
def template_set(*, dossier: Any, data: bytes, file_name: str, actor: Any) -> ReportTemplate:
    """Store the rekenkamer's Word template after the same checks as any upload."""
    from kansenaudit.reports.docx_template import open_template

    try:
        checked = check_template(data, file_name=file_name)
        open_template(checked, file_name=file_name)
    except TemplateError as exc:
        raise _template_refusal(exc, file_name) from exc
    template, _created = ReportTemplate.objects.update_or_create(
        dossier=dossier,
        defaults={
            "file_name": file_name[:255],
            "data": checked,
            "sha256": hashlib.sha256(checked).hexdigest(),
            "uploaded_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    audit_record(
        actor=actor,
        action="reports.template_set",
        dossier=dossier,
        target=template,
        summary=file_name[:200],
        after={"sha256": template.sha256},
    )
    return template
