"""Builds of a version run in the background (ADR 0015): asked for on the version's page, shown
with their state, their file downloaded when done; a failure says why in Dutch."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.reports import builds, services
from kansenaudit.web.reports.models import BuildJob


@pytest.fixture
def member(client, team):
    client.force_login(team["users"]["meelezer"])
    return client


@pytest.fixture
def version(team):
    report = services.report_create(
        dossier=team["dossier"], kind="nota_van_bevindingen", title="Nota", actor=None
    )
    chapter = report.chapters.get(key="inleiding")
    services.chapter_update(chapter=chapter, title="Inleiding", text="Eerste zin.", actor=None)
    return services.version_save(report=report, purpose="publication", actor=None)


def _urls(version):
    args = [version.report.dossier_id, version.report_id, version.number]
    return reverse("reports:version", args=args), reverse("reports:version_build", args=args)


def test_a_build_asked_on_the_page_is_shown_and_downloaded(member, team, version):
    page_url, build_url = _urls(version)
    response = member.post(build_url, {"format": "docx"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 302
    job = BuildJob.objects.get(version=version)
    # The tests' task backend runs the task at once; a worker does so in production.
    assert job.state == BuildJob.State.DONE
    assert job.created_by == team["users"]["meelezer"]
    page = member.get(page_url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "klaar" in page
    download_url = reverse(
        "reports:build_download",
        args=[version.report.dossier_id, version.report_id, version.number, job.pk],
    )
    assert download_url in page
    before = AuditEvent.objects.filter(action="export.download").count()
    download = member.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == builds.CONTENT_TYPES["docx"]
    assert zipfile.ZipFile(io.BytesIO(download.content)).read("word/document.xml")
    assert AuditEvent.objects.filter(action="export.download").count() == before + 1
    assert AuditEvent.objects.filter(action="reports.build_request").count() == 1


def test_the_publication_site_is_built_in_the_background(member, version):
    _page, build_url = _urls(version)
    member.post(build_url, {"format": "bundle"})
    job = BuildJob.objects.get(version=version)
    assert job.state == BuildJob.State.DONE
    assert job.file_name == f"publicatie-v{version.number}.zip"
    assert "index.html" in zipfile.ZipFile(io.BytesIO(bytes(job.content))).namelist()


def test_a_bundle_of_a_draft_is_refused_in_dutch_and_nothing_is_queued(member, team):
    report = services.report_create(
        dossier=team["dossier"], kind="nota_van_bevindingen", title="Nota", actor=None
    )
    draft = services.version_save(report=report, purpose="draft", actor=None)
    _page, build_url = _urls(draft)
    response = member.post(build_url, {"format": "bundle"}, follow=True, HTTP_ACCEPT_LANGUAGE="nl")
    assert "bevroren voor publicatie" in response.content.decode()
    response = member.post(build_url, {"format": "exe"}, follow=True, HTTP_ACCEPT_LANGUAGE="nl")
    assert "Kies wat u wilt bouwen" in response.content.decode()
    assert not BuildJob.objects.exists()


def test_a_failed_build_says_why_in_dutch_and_never_stays_running(monkeypatch, version):
    def refused(**_kwargs):
        raise services.ReportError(gettext_lazy("A chapter needs a title."))

    monkeypatch.setattr(services, "version_build", refused)
    job = builds.build_request(version=version, file_format="pdf", actor=None)
    job.refresh_from_db()
    assert job.state == BuildJob.State.FAILED
    assert job.message == "Geef het hoofdstuk een titel."

    def broken(**_kwargs):
        raise RuntimeError("weasyprint exploded")

    monkeypatch.setattr(services, "version_build", broken)
    job = builds.build_request(version=version, file_format="pdf", actor=None)
    job.refresh_from_db()
    assert job.state == BuildJob.State.FAILED
    assert "onverwacht" in job.message
    assert "weasyprint" not in job.message


def test_a_queued_build_waits_for_a_worker_and_runs_once(held_tasks, member, version):
    page_url, build_url = _urls(version)
    member.post(build_url, {"format": "html"})
    job = BuildJob.objects.get(version=version)
    assert job.state == BuildJob.State.QUEUED
    assert "wachtrij" in member.get(page_url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    held_tasks.run()
    assert builds.builds_resume() == [job.pk]  # a worker's start hands it a task
    job.refresh_from_db()
    assert job.state == BuildJob.State.DONE
    assert builds.build_run(job).state == BuildJob.State.DONE  # a second task does nothing
    assert BuildJob.objects.count() == 1
