"""The report pages: start a report, edit a chapter, preview it, save versions, download."""

import pytest
from django.urls import reverse

from kansenaudit.web.reports import services
from kansenaudit.web.reports.models import Report


@pytest.fixture
def editor(client, team):
    client.force_login(team["users"]["onderzoeker"])
    return client


def test_start_edit_preview_version_and_download(editor, team):
    dossier = team["dossier"]
    response = editor.post(
        reverse("reports:reports", args=[dossier.pk]),
        {"kind": "nota_van_bevindingen", "title": "Kansen voor iedereen?", "subtitle": ""},
    )
    report = Report.objects.get(dossier=dossier)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report", args=[dossier.pk, report.pk])

    chapter = report.chapters.get(key="inleiding")
    url = reverse("reports:chapter_edit", args=[dossier.pk, report.pk, chapter.pk])
    page = editor.get(url).content.decode()
    assert "{{citation:ID}}" in page  # the help text names the references
    editor.post(url, {"title": "Inleiding", "text": "Eerste zin.\r\n\r\n<script>x()</script>"})
    chapter.refresh_from_db()
    assert chapter.text == "Eerste zin.\n\n<script>x()</script>"

    preview = editor.get(reverse("reports:preview", args=[dossier.pk, report.pk]))
    body = preview.content.decode()
    assert "&lt;script&gt;x()&lt;/script&gt;" in body
    assert "<script>x()" not in body
    assert "default-src 'none'" in preview["Content-Security-Policy"]
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    # The report's stylesheet is a static file of the site, not a download of the dossier.
    assert '<link rel="stylesheet" href="/static/rapport/report.css">' in body

    save = reverse("reports:version_save", args=[dossier.pk, report.pk])
    editor.post(save, {"purpose": "draft", "note": "eerste"})
    editor.post(url, {"title": "Inleiding", "text": "Tweede zin."})
    editor.post(save, {"purpose": "wederhoor", "note": "voor wederhoor"})
    assert list(report.versions.values_list("number", "purpose")) == [
        (1, "draft"),
        (2, "wederhoor"),
    ]
    diff = editor.get(reverse("reports:version", args=[dossier.pk, report.pk, 2])).content.decode()
    assert "<del>− Eerste zin.</del>" in diff
    assert "<ins>+ Tweede zin.</ins>" in diff

    download = editor.get(
        reverse("reports:version_download", args=[dossier.pk, report.pk, 2, "html"])
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "text/html; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    # Word and PDF are built in the background (test_reports_builds.py), not on a GET.
    assert (
        editor.get(
            reverse("reports:version_download", args=[dossier.pk, report.pk, 2, "docx"])
        ).status_code
        == 404
    )


def test_a_refused_freeze_is_a_dutch_message_and_nothing_is_saved(editor, team):
    dossier = team["dossier"]
    report = services.report_create(
        dossier=dossier, kind="bestuurlijk_rapport", title="R", actor=None
    )
    chapter = report.chapters.get(key="conclusies")
    services.chapter_update(chapter=chapter, title="Conclusies", text="{{finding:1}}", actor=None)
    response = editor.post(
        reverse("reports:version_save", args=[dossier.pk, report.pk]),
        {"purpose": "publication", "note": ""},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    text = response.content.decode()
    assert "Deze versie kan niet worden bevroren" in text
    assert not report.versions.exists()
    page = editor.get(reverse("reports:report", args=[dossier.pk, report.pk])).content.decode()
    assert "finding:1" in page  # the reference that cannot be resolved is listed


def test_another_dossiers_report_is_not_found(editor, team):
    other = services.report_create(
        dossier=team["other"], kind="bestuurlijk_rapport", title="Geheim", actor=None
    )
    url = reverse("reports:report", args=[team["dossier"].pk, other.pk])
    assert editor.get(url).status_code == 404


def test_the_preview_stylesheet_is_the_renderers_own_file_served_as_a_static_file():
    from django.contrib.staticfiles import finders

    from kansenaudit.reports.html import stylesheet

    found = finders.find("rapport/report.css")
    assert found is not None
    with open(found, encoding="utf-8") as handle:
        assert handle.read() == stylesheet("web")
