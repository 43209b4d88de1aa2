"""Request bodies: refused (413) beyond what the sender may send, before Django reads them;
spooled uploads live in the data folder and crash leftovers are removed at start."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.test import Client, RequestFactory
from django.test.client import MULTIPART_CONTENT
from django.urls import reverse

pytestmark = pytest.mark.django_db

MB = 2**20


def _spy_on_parsing(monkeypatch):
    """Records every multipart body Django starts to parse (and so to spool)."""
    from django.http import multipartparser

    parsed = []
    real = multipartparser.MultiPartParser.parse

    def parse(self):
        parsed.append(self._content_length)
        return real(self)

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", parse)
    return parsed


def _multipart(size: int) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"bestand": SimpleUploadedFile("groot.bin", b"\0" * size), "username": "x"}


def test_an_anonymous_client_cannot_post_a_large_body(monkeypatch):
    parsed = _spy_on_parsing(monkeypatch)
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), _multipart(3 * MB))
    assert response.status_code == 413
    assert "MB" in response.content.decode()
    assert parsed == []  # refused before the CSRF check (or anything) read the body


def test_an_anonymous_login_form_still_works(team, password):
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "reviewer", "password": password}
    )
    assert response.status_code == 302


def test_the_uitvraag_link_page_takes_one_workbook_and_no_more(monkeypatch):
    """The public page of a link is anonymous and takes one workbook (10 MB)."""
    client = Client()
    url = "/uitvraag/" + "Q" * 43 + "/"
    small = client.post(url, _multipart(1 * MB))
    assert small.status_code == 404  # let through, then refused as an unknown link
    too_big = client.generic(
        "POST",
        url,
        b"x",
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(settings.TOKEN_MAX_REQUEST_BODY_BYTES + 1),
    )
    assert too_big.status_code == 413


def test_a_signed_in_user_may_send_the_largest_upload_and_no_more(team, monkeypatch):
    parsed = _spy_on_parsing(monkeypatch)
    client = Client()
    client.force_login(team["users"]["onderzoeker"])
    url = reverse("evidence:upload", args=[team["dossier"].pk])
    refused = client.generic(
        "POST",
        url,
        b"x",
        content_type=MULTIPART_CONTENT,
        HTTP_ACCEPT="application/json",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_BYTES + 1),
    )
    assert refused.status_code == 413
    assert "MB" in refused.json()["error"]
    assert parsed == []


def test_the_limits_fit_every_upload_the_application_accepts():
    from kansenaudit.policy.uitvraag import MAX_BYTES as WORKBOOK
    from kansenaudit.web.evidence.services import MAX_UPLOAD_BYTES as EVIDENCE
    from kansenaudit.web.policy.transfer import MAX_IMPORT_BYTES as REGISTERS

    assert max(EVIDENCE, REGISTERS, WORKBOOK) < settings.MAX_REQUEST_BODY_BYTES
    assert settings.TOKEN_MAX_REQUEST_BODY_BYTES > WORKBOOK
    assert settings.ANONYMOUS_MAX_REQUEST_BODY_BYTES < settings.FILE_UPLOAD_MAX_MEMORY_SIZE


def test_the_upload_handler_stops_a_body_beyond_the_limit_while_parsing():
    """Even a body whose length was not checked up front (chunked, or a client that lies)
    is parsed only up to the request's limit."""
    body = _multipart(200 * 1024)
    request = RequestFactory().post("/", body)
    request.body_limit = 100 * 1024  # as RequestBodyLimitMiddleware sets it
    with pytest.raises(RequestDataTooBig):
        request.POST  # noqa: B018 (parsing is the point)


def test_spooled_uploads_go_to_the_data_folder_privately(tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "data" / "tmp" / "uploads")
    assert settings.FILE_UPLOAD_TEMP_DIR.startswith(str(tmp_path))
    request = RequestFactory().post("/", {"f": SimpleUploadedFile("a.bin", b"1" * (3 * MB))})
    spooled = request.FILES["f"]
    path = spooled.temporary_file_path()
    assert os.path.dirname(path) == settings.FILE_UPLOAD_TEMP_DIR
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.stat(settings.FILE_UPLOAD_TEMP_DIR).st_mode & 0o777 == 0o700


def test_the_server_removes_leftover_uploads_when_it_starts(tmp_path, settings, monkeypatch):
    from gunicorn.app.base import BaseApplication

    from kansenaudit.cli import server

    folder = tmp_path / "uploads"
    folder.mkdir()
    (folder / "tmpabc.upload.bin").write_bytes(b"half an upload")
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    monkeypatch.setattr(BaseApplication, "run", lambda self: None)
    server._run_gunicorn(host="127.0.0.1", port=8124, workers=1)
    assert list(folder.iterdir()) == []


def test_the_default_upload_folder_is_inside_the_data_folder():
    from kansenaudit.web import settings as production

    assert production.FILE_UPLOAD_TEMP_DIR.startswith(str(production.DATA_DIR))
