# SPDX-License-Identifier: EUPL-1.2
"""Reads of the reports app: a dossier's reports, their chapters and versions, differences."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from kansenaudit.web.reports.models import BuildJob, Chapter, Report, ReportVersion


def chapter_snapshot(report: Report) -> list[dict[str, str]]:
    """The chapters in order as plain data: what a version stores and the resolver reads."""
    return [
        {"key": c.key, "title": c.title, "kind": c.kind, "text": c.text}
        for c in report.chapters.order_by("position")
    ]


def reports_for_dossier(dossier: Any) -> QuerySet[Report]:
    return Report.objects.filter(dossier=dossier).prefetch_related("versions")


def report_in_dossier(dossier: Any, report_id: int) -> Report | None:
    return Report.objects.filter(dossier=dossier, pk=report_id).first()


def chapter_in_report(report: Report, chapter_id: int) -> Chapter | None:
    return report.chapters.filter(pk=chapter_id).first()


def version_in_report(report: Report, number: int) -> ReportVersion | None:
    return report.versions.filter(number=number).first()


def latest_version(report: Report) -> ReportVersion | None:
    return report.versions.order_by("-number").first()


@dataclass(frozen=True)
class ChapterDiff:
    key: str
    title: str
    status: str  # "added", "removed", "changed", "same"
    lines: tuple[tuple[str, str], ...]  # (kind "+", "-", " " or "@", text)


def versions_diff(old: ReportVersion, new: ReportVersion) -> list[ChapterDiff]:
    """Per chapter (by key) what changed from ``old`` to ``new``, as unified-diff lines."""
    before = {c["key"]: c for c in old.chapters}
    after = {c["key"]: c for c in new.chapters}
    keys = [c["key"] for c in new.chapters] + [k for k in before if k not in after]
    out = []
    for key in keys:
        a, b = before.get(key), after.get(key)
        text_a = f"# {a['title']}\n{a['text']}" if a else ""
        text_b = f"# {b['title']}\n{b['text']}" if b else ""
        status = (
            "added"
            if a is None
            else "removed"
            if b is None
            else ("same" if text_a == text_b else "changed")
        )
        lines: list[tuple[str, str]] = []
        if status != "same":
            for line in difflib.unified_diff(
                text_a.splitlines(), text_b.splitlines(), lineterm="", n=1
            ):
                if line.startswith(("---", "+++")):
                    continue
                lines.append((line[:1] if line[:1] in "+-@" else " ", line[1:]))
        out.append(ChapterDiff(key, (b or a or {}).get("title", key), status, tuple(lines)))
    return out


def builds_for_version(version: ReportVersion) -> QuerySet[BuildJob]:
    """The version's builds, newest first, without their files (the page lists them)."""
    return version.builds.defer("content").select_related("created_by")


def build_in_version(version: ReportVersion, job_id: int) -> BuildJob | None:
    return version.builds.filter(pk=job_id).first()
