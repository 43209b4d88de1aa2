"""The findings pages on the demo: every page renders, the chain navigates both ways, the edit
form submitted unchanged changes nothing, the exports are real files, and the sign-off works
through the web."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.dossiers.models import Dossier
from kansenaudit.web.findings.models import Conclusion, Finding, FindingEvent, Norm, NotaVersion
from tests.security.test_form_roundtrip import _find_form, form_data


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo with the policy set and the findings set, loaded once for the module and
    rolled back at its end."""
    import os

    from django.db import transaction

    from kansenaudit.web.demo.services import demo_load

    old = os.environ.get("KANSENAUDIT_DATA_DIR")
    os.environ["KANSENAUDIT_DATA_DIR"] = str(tmp_path_factory.mktemp("findings-demo"))
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            yield demo_load()
            transaction.set_rollback(True)
    finally:
        if old is None:
            os.environ.pop("KANSENAUDIT_DATA_DIR", None)
        else:
            os.environ["KANSENAUDIT_DATA_DIR"] = old


def _as(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def d(demo, db):
    return Dossier.objects.get(pk=demo.dossier_id)


def test_demo_has_the_whole_chain(d):
    from kansenaudit.web.findings.models import CollegeReaction, Nawoord, WederhoorComment

    kinds = set(Finding.objects.filter(dossier=d).values_list("refs__kind", flat=True).distinct())
    assert kinds == {"citaat", "oordeel", "statistiek", "monitoring", "raadsinformatie"}
    assert Finding.objects.filter(dossier=d, status="afgetekend").exists()
    assert Finding.objects.filter(dossier=d, is_demo=False).count() == 0
    assert NotaVersion.objects.filter(dossier=d).count() == 2
    handled = WederhoorComment.objects.filter(version__dossier=d).exclude(handling="open")
    assert handled.count() == 2
    assert CollegeReaction.objects.filter(recommendation__dossier=d).count() == 2
    assert "Fictief" in Nawoord.objects.get(dossier=d).text


def test_every_page_renders_for_a_reader(client, d):
    _as(client, "meelezer")
    f = Finding.objects.filter(dossier=d).first()
    v = NotaVersion.objects.filter(dossier=d).order_by("-number").first()
    for url in (
        reverse("findings:dashboard", args=[d.pk]),
        reverse("findings:norms", args=[d.pk]),
        reverse("findings:finding", args=[d.pk, f.pk]),
        reverse("findings:chain", args=[d.pk]),
        reverse("findings:conclusions", args=[d.pk]),
        reverse("findings:wederhoor", args=[d.pk]),
        reverse("findings:version", args=[d.pk, v.pk]),
        reverse("findings:follow_up"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "<form" not in body or "csrfmiddlewaretoken" not in body.split("<main", 1)[-1], url


def test_chain_navigates_both_ways(client, d):
    _as(client, "meelezer")
    rec = d and Conclusion.objects.get(dossier=d, code="C0").recommendations.get(code="A2")
    page = client.get(
        reverse("findings:chain", args=[d.pk]), {"focus": f"recommendation:{rec.pk}"}
    ).content.decode()
    # From the recommendation back to every finding and its norm, through C0 and the
    # conclusions per sub-question.
    for f in Finding.objects.filter(dossier=d):
        assert f.code in page
    assert "raad.1" in page
    f = Finding.objects.get(dossier=d, code="B5.5")
    page = client.get(
        reverse("findings:chain", args=[d.pk]), {"focus": f"finding:{f.pk}"}
    ).content.decode()
    assert "A1" in page
    assert "B1.1" not in page  # another finding is not connected through B5.5's own chain
    assert "<svg" in page
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_finding_form_submitted_unchanged_changes_nothing(client, d):
    _as(client, "onderzoeker")
    f = Finding.objects.get(dossier=d, code="B2.2")
    assert f.status == "afgetekend"
    url = reverse("findings:finding_edit", args=[d.pk, f.pk])
    html = client.get(url).content.decode()
    events = FindingEvent.objects.count()
    audits = AuditEvent.objects.count()
    response = client.post(url, dict(form_data(_find_form(html, url, url))))
    assert response.status_code == 302
    f.refresh_from_db()
    assert f.status == "afgetekend"
    assert FindingEvent.objects.count() == events
    assert AuditEvent.objects.count() == audits


def test_norm_edit_raises_the_version_and_is_logged(client, d):
    norm = Norm.objects.filter(dossier=d).order_by("code").first()
    url = reverse("findings:norm_edit", args=[d.pk, norm.pk])
    norms_url = reverse("findings:norms", args=[d.pk])
    _as(client, "meelezer")
    assert url not in client.get(norms_url).content.decode()
    _as(client, "onderzoeker")
    assert url in client.get(norms_url).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert norm.code in page.content.decode()
    data = {
        "title": "Het college stuurt op meetbare doelen",
        "criteria": norm.criteria,
        "source_kind": norm.source_kind,
        "source": norm.source,
    }
    refused = client.post(url, {**data, "title": "   "})
    assert refused.status_code == 400
    norm.refresh_from_db()
    assert norm.title != data["title"]
    version = norm.version
    assert client.post(url, data).status_code == 302
    norm.refresh_from_db()
    assert (norm.title, norm.version) == (data["title"], version + 1)
    event = AuditEvent.objects.filter(action="findings.norm_change").latest("pk")
    assert event.dossier == d
    assert event.after["title"] == data["title"]


def test_sign_off_through_the_web_and_preparer_refused(client, d):
    f = Finding.objects.get(dossier=d, code="B3.3")
    assert f.status == "review"
    _as(client, "projectleider")
    # The project leader did not write B3.3 and may sign off; first show the refusal for the
    # reviewer after they change it themselves is in the service tests.
    url = reverse("findings:sign_off", args=[d.pk, f.pk])
    assert client.post(url).status_code == 302
    f.refresh_from_db()
    assert f.status == "afgetekend"
    assert f.signed_off_by.username == "projectleider"
    page = client.get(reverse("findings:finding", args=[d.pk, f.pk])).content.decode()
    assert "projectleider" in page


def test_exports_are_real_tables_with_the_demo_notice(client, d):
    _as(client, "meelezer")
    response = client.get(reverse("findings:trace_csv", args=[d.pk]))
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("# Fictieve demodata")
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:])), delimiter=";"))
    assert {r["bewijs_soort"] for r in rows} >= {"citaat", "statistiek"}
    assert all(r["bevinding"] for r in rows)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("findings:trace_xlsx", args=[d.pk])).content)
    )
    assert set(book.sheetnames) == {"keten", "normenkader"}
    norms = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("findings:norms_xlsx", args=[d.pk])).content)
    )
    assert norms.active.max_row > 20
    follow = client.get(reverse("findings:follow_up_csv", args=[d.pk])).content.decode("utf-8-sig")
    assert "A1" in follow
    download = AuditEvent.objects.filter(action="export.download").latest("pk")
    assert download.dossier == d
    assert download.after["route"] == "findings:follow_up_csv"
    assert AuditEvent.objects.filter(action="findings.export").count() >= 3


def test_markdown_html_is_never_passed_through(client, d):
    from kansenaudit.web.findings import services

    sq = Finding.objects.filter(dossier=d).first().sub_question
    oz = get_user_model().objects.get(username="onderzoeker")
    f = services.finding_create(
        dossier=d,
        sub_question=sq,
        code="BX",
        title="x",
        text="**vet** <img src=x onerror=alert(1)> [a](javascript:alert(1))",
        actor=oz,
    )
    _as(client, "meelezer")
    page = client.get(reverse("findings:finding", args=[d.pk, f.pk])).content.decode()
    assert "<strong>vet</strong>" in page
    assert "<img" not in page
    assert 'href="javascript:' not in page
