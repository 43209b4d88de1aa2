"""The uitvraag pages: upload → errors or preview → apply; status, reminders, exports; the
personal link's public page (works until expiry or revocation, reaches nothing else)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kansenaudit.web.policy.models import Measure
from kansenaudit.web.uitvraag import services
from kansenaudit.web.uitvraag.models import AccessToken, ReceivedFile, UitvraagRequest
from tests.helpers.uitvraag_fill import (
    SCHOOLMAATJES,
    ZOMERSCHOOL,
    fill,
    register_state,
    seed_register,
)


@pytest.fixture
def web(team, client):
    dossier = team["dossier"]
    seed_register(dossier)
    client.force_login(team["users"]["onderzoeker"])
    return {"team": team, "dossier": dossier, "client": client}


def _create(web, name="Onderwijs"):
    response = web["client"].post(
        reverse("uitvraag:create", args=[web["dossier"].pk]),
        {"directie": name, "deadline": "2026-03-01", "contact": "J. Jansen"},
    )
    assert response.status_code == 302
    return UitvraagRequest.objects.get(dossier=web["dossier"], directie__name=name)


def _template(web, request):
    response = web["client"].get(reverse("uitvraag:template", args=[web["dossier"].pk, request.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response.content


def _upload(client, url, data, name="onderwijs.xlsx"):
    return client.post(url, {"workbook": SimpleUploadedFile(name, data)})


def test_create_request_reports_the_new_directie(web):
    client = web["client"]
    response = client.post(
        reverse("uitvraag:create", args=[web["dossier"].pk]),
        {"directie": "Onderwijs", "deadline": "2026-03-01"},
        follow=True,
    )
    text = response.content.decode()
    assert "Onderwijs" in text
    assert "actor register" in text or "actorenregister" in text
    # A second request to the same directie is refused on the form.
    again = client.post(
        reverse("uitvraag:create", args=[web["dossier"].pk]), {"directie": "onderwijs"}
    )
    assert again.status_code == 400
    assert "al een uitvraag" in again.content.decode()


def test_upload_errors_are_listed_by_sheet_row_column_and_nothing_changes(web):
    request = _create(web)
    xlsx = _template(web, request)
    upload = reverse("uitvraag:upload", args=[web["dossier"].pk, request.pk])
    good = fill(xlsx, {1: SCHOOLMAATJES})
    first = _upload(web["client"], upload, good)
    web["client"].post(first["Location"] + "inlezen/")
    assert Measure.objects.filter(dossier=web["dossier"]).count() == 1
    before = register_state(web["dossier"])

    bad = fill(xlsx, {1: {**SCHOOLMAATJES, "budget_2024": -5, "start": "ooit"}, 2: {"reach": 3}})
    response = _upload(web["client"], upload, bad)
    assert response.status_code == 302
    page = web["client"].get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    for fragment in (
        "Werkblad &#x27;Maatregelen&#x27;, rij 2, kolom P",
        "negatief bedrag",
        "kolom M",
        "rij 3, kolom B",
        "verplicht",
    ):
        assert fragment in text, fragment
    assert "uitvraag:apply" not in text
    assert "/inlezen/" not in text  # no apply button
    # Forcing the apply anyway is refused and changes nothing.
    file_id = response["Location"].rstrip("/").split("/")[-1]
    forced = web["client"].post(
        reverse("uitvraag:apply", args=[web["dossier"].pk, request.pk, file_id])
    )
    assert forced.status_code == 302
    assert register_state(web["dossier"]) == before


def test_upload_preview_then_apply(web):
    request = _create(web)
    xlsx = _template(web, request)
    upload = reverse("uitvraag:upload", args=[web["dossier"].pk, request.pk])
    response = _upload(web["client"], upload, fill(xlsx, {1: SCHOOLMAATJES, 2: ZOMERSCHOOL}))
    preview = web["client"].get(response["Location"]).content.decode()
    assert "Schoolmaatjes" in preview
    assert "Zomerschool" in preview
    assert "/inlezen/" in preview
    assert not Measure.objects.exists()
    applied = web["client"].post(response["Location"] + "inlezen/")
    assert applied.status_code == 302
    assert set(Measure.objects.values_list("name", flat=True)) == {"Schoolmaatjes", "Zomerschool"}
    # Re-import: the preview shows the change, old and new value.
    changed = fill(xlsx, {1: {**SCHOOLMAATJES, "status": "afgerond"}, 2: ZOMERSCHOOL})
    second = _upload(web["client"], upload, changed)
    text = web["client"].get(second["Location"]).content.decode()
    assert "lopend" in text
    assert "afgerond" in text
    assert Measure.objects.get(name="Schoolmaatjes").status == "lopend"
    web["client"].post(second["Location"] + "inlezen/")
    assert Measure.objects.get(name="Schoolmaatjes").status == "afgerond"


def test_oversized_upload_is_not_read(web, monkeypatch):
    request = _create(web)
    _template(web, request)
    monkeypatch.setattr("kansenaudit.web.uitvraag.views.MAX_BYTES", 100)
    upload = reverse("uitvraag:upload", args=[web["dossier"].pk, request.pk])
    response = _upload(web["client"], upload, b"PK\x03\x04" + b"0" * 200)
    assert response.status_code == 302
    assert not ReceivedFile.objects.exists()


def test_another_dossiers_request_is_not_found(web):
    request = _create(web)
    other = web["team"]["other"]
    client = web["client"]
    assert client.get(reverse("uitvraag:detail", args=[other.pk, request.pk])).status_code == 404
    from kansenaudit.web.dossiers import services as dossier_services

    dossier_services.membership_set(
        dossier=other,
        user=web["team"]["users"]["onderzoeker"],
        role="onderzoeker",
        actor=None,
    )
    assert client.get(reverse("uitvraag:detail", args=[other.pk, request.pk])).status_code == 404


def test_status_reminder_and_exports(web):
    request = _create(web)
    _template(web, request)
    client, dossier = web["client"], web["dossier"]
    client.post(
        reverse("uitvraag:status", args=[dossier.pk, request.pk]),
        {"status": "verstuurd", "note": "per mail"},
    )
    # Not allowed from verstuurd: refused, status unchanged.
    client.post(
        reverse("uitvraag:status", args=[dossier.pk, request.pk]), {"status": "geaccepteerd"}
    )
    request.refresh_from_db()
    assert request.status == "verstuurd"
    client.post(
        reverse("uitvraag:reminder", args=[dossier.pk, request.pk]),
        {"sent_on": timezone.localdate().isoformat(), "note": "gebeld"},
    )
    assert request.reminders.count() == 1
    UitvraagRequest.objects.filter(pk=request.pk).update(deadline=dt.date(2020, 1, 1))
    listing = client.get(reverse("uitvraag:requests", args=[dossier.pk])).content.decode()
    assert "overdue" in listing or "te laat" in listing

    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("uitvraag:export_csv", args=[dossier.pk])).content.decode(
                    "utf-8-sig"
                )
            ),
            delimiter=";",  # the project's one CSV convention (reporting.tables)
        )
    )
    assert rows[0]["directie"] == "Onderwijs"
    assert rows[0]["te_laat"] == "True"
    history = client.get(reverse("uitvraag:export_csv", args=[dossier.pk]) + "?tabel=historie")
    assert [
        r["naar"]
        for r in csv.DictReader(io.StringIO(history.content.decode("utf-8-sig")), delimiter=";")
    ] == [
        "concept",
        "verstuurd",
    ]
    assert (
        client.get(reverse("uitvraag:export_csv", args=[dossier.pk]) + "?tabel=x").status_code
        == 404
    )
    xlsx = client.get(reverse("uitvraag:export_xlsx", args=[dossier.pk]))
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["Aanvragen", "Historie", "Bestanden"]
    assert wb["Aanvragen"]["B2"].value == "Onderwijs"


def test_export_defuses_formula_like_text(web):
    services.request_create(dossier=web["dossier"], directie_name="+Directie", actor=None)
    text = web["client"].get(reverse("uitvraag:export_csv", args=[web["dossier"].pk])).content
    assert b"'+Directie" in text


@pytest.mark.parametrize("start", ["+", "-", "@"])
def test_xlsx_export_guards_every_formula_start_like_the_csv(web, start):
    """The workbook once guarded only "="; "+", "-" and "@" now get the same ' as in CSV."""
    services.request_create(dossier=web["dossier"], directie_name=f"{start}Directie", actor=None)
    response = web["client"].get(reverse("uitvraag:export_xlsx", args=[web["dossier"].pk]))
    sheet = load_workbook(io.BytesIO(response.content))["Aanvragen"]
    column = [c.value for c in sheet[1]].index("directie") + 1
    cell = next(row[column - 1] for row in sheet.iter_rows(min_row=2) if row[0].value)
    assert cell.value == f"'{start}Directie"
    assert cell.data_type == "s"
    assert response["Cache-Control"] == "no-store"


# --- the personal link ------------------------------------------------------------------------


def _link(web):
    request = _create(web)
    xlsx = _template(web, request)
    response = web["client"].post(
        reverse("uitvraag:token_create", args=[web["dossier"].pk, request.pk]),
        {"days": "7", "label": "P. de Vries"},
    )
    assert response.status_code == 302
    page = web["client"].get(response["Location"]).content.decode()
    start = page.index("/uitvraag/", page.index("<code>"))
    url = page[start : page.index("</code>", start)]
    # Shown once only.
    assert url not in web["client"].get(response["Location"]).content.decode()
    return request, xlsx, url


def test_link_is_shown_once_and_only_its_hash_is_stored(web):
    _request, _xlsx, url = _link(web)
    raw = url.rstrip("/").split("/")[-1]
    token = AccessToken.objects.get()
    assert token.token_hash != raw
    assert raw not in str(list(AccessToken.objects.values()))


def test_public_page_upload_records_but_never_applies(web):
    request, xlsx, url = _link(web)
    public = Client(enforce_csrf_checks=True)
    page = public.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Onderwijs" in text
    assert "1 maart 2026" in text
    assert web["dossier"].title not in text
    assert page["Cache-Control"].startswith("max-age=0")
    token_csrf = public.cookies["csrftoken"].value
    template = public.get(url + "sjabloon.xlsx")
    assert template.status_code == 200
    assert load_workbook(io.BytesIO(template.content)).sheetnames[1] == "Maatregelen"

    # Without the CSRF token the form is refused.
    refused = public.post(url, {"workbook": SimpleUploadedFile("a.xlsx", b"x")})
    assert refused.status_code == 403
    # A file with errors: shown by sheet, row and column; recorded as received, not valid.
    bad = fill(xlsx, {1: {**SCHOOLMAATJES, "reach": "veel"}})
    response = public.post(
        url,
        {"workbook": SimpleUploadedFile("fout.xlsx", bad), "csrfmiddlewaretoken": token_csrf},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "rij 2, kolom T" in text
    assert "geen heel getal" in text
    # A valid file: received, status ontvangen, nothing applied.
    good = fill(xlsx, {1: SCHOOLMAATJES})
    response = public.post(
        url,
        {"workbook": SimpleUploadedFile("goed.xlsx", good), "csrfmiddlewaretoken": token_csrf},
        follow=True,
    )
    assert response.status_code == 200
    files = list(ReceivedFile.objects.filter(request=request).order_by("pk"))
    assert [(f.file_name, f.is_valid, f.channel) for f in files] == [
        ("fout.xlsx", False, "token"),
        ("goed.xlsx", True, "token"),
    ]
    assert files[1].sha256[:12] in response.content.decode()
    request.refresh_from_db()
    assert request.status == "ontvangen"
    assert not Measure.objects.exists()


def test_public_link_reaches_nothing_else(web):
    request, _xlsx, url = _link(web)
    public = Client()
    assert public.get(url).status_code == 200
    dossier = web["dossier"]
    for name, args in (
        ("uitvraag:detail", [dossier.pk, request.pk]),
        ("uitvraag:requests", [dossier.pk]),
        ("dossiers:detail", [dossier.pk]),
        ("uitvraag:template", [dossier.pk, request.pk]),
    ):
        response = public.get(reverse(name, args=args))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    # Paths under the link are not a way in either.
    assert public.get(url + "../").status_code in (302, 404)
    assert public.get(url + "bestanden/1/").status_code == 404


@pytest.mark.parametrize("how", ["expired", "revoked", "unknown", "malformed"])
def test_public_link_refused_after_expiry_or_revocation(web, how):
    _request, _xlsx, url = _link(web)
    token = AccessToken.objects.get()
    if how == "expired":
        AccessToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
    elif how == "revoked":
        response = web["client"].post(
            reverse("uitvraag:token_revoke", args=[web["dossier"].pk, token.request_id, token.pk])
        )
        assert response.status_code == 302
    elif how == "unknown":
        url = "/uitvraag/" + "A" * 43 + "/"
    else:
        url = "/uitvraag/%3Cscript%3E/"
    public = Client()
    for target in (url, url + "sjabloon.xlsx"):
        response = public.get(target)
        assert response.status_code == 404
        text = response.content.decode()
        assert "Onderwijs" not in text
        assert web["dossier"].title not in text
    response = public.post(url, {"workbook": SimpleUploadedFile("a.xlsx", b"x")})
    assert response.status_code in (403, 404)
    assert not ReceivedFile.objects.exists()


def test_repeated_failures_are_slowed_down(web, monkeypatch):
    _request, _xlsx, url = _link(web)
    monkeypatch.setattr("kansenaudit.web.uitvraag.views.PUBLIC_FAILURES_MAX", 3)
    public = Client()
    for _ in range(3):
        assert public.get("/uitvraag/" + "B" * 43 + "/").status_code == 404
    assert public.get("/uitvraag/" + "C" * 43 + "/").status_code == 429
    # Even the valid link waits until the window is over.
    assert public.get(url).status_code == 429


def test_failure_counter_is_shared_by_every_web_process(web, monkeypatch):
    """The counter lives in the database (core.RateCounter), not in one process's memory: a
    second connection (as another gunicorn worker would open) sees the same count."""
    from django.db import connection

    public = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(2):
        assert public.get("/uitvraag/" + "D" * 43 + "/").status_code == 404
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count FROM core_ratecounter WHERE key = %s",
            ["uitvraag-link-failures:203.0.113.7"],
        )
        assert cursor.fetchone()[0] == 2
