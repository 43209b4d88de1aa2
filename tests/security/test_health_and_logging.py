"""/health/ checks what breaks pages; every 500 is logged with its traceback; no log line
shows the token of an uitvraag link."""

from __future__ import annotations

import io
import logging
from contextlib import contextmanager

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path, reverse

pytestmark = pytest.mark.django_db

TOKEN = "Zq8-secret_token_of_a_directie_link_0123456"


def _boom(request):
    raise RuntimeError("kapotte-view-42")


def _ok(request):
    return HttpResponse("ok")


# A URLconf with one view that fails, beside the real ones.
urlpatterns = [
    path("stuk/", _boom, name="boom"),
    path("", include("kansenaudit.web.urls")),
]


@contextmanager
def _console(logger_name: str):
    """The text the configured handlers of ``logger_name`` write (as in production)."""
    logger = logging.getLogger(logger_name)
    streams = []
    seen = logger
    while seen is not None:
        for handler in seen.handlers:
            # Only the application's own console handlers, not pytest's capturing ones.
            if type(handler) is logging.StreamHandler:
                stream = io.StringIO()
                streams.append((handler, handler.setStream(stream), stream))
        seen = seen.parent if seen.propagate else None
    text = io.StringIO()
    try:
        yield text
    finally:
        for handler, old, stream in streams:
            handler.setStream(old)
            text.write(stream.getvalue())


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(folder))
    return folder


def test_health_ok_names_every_check(client, data_dir):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == body["migrations"] == body["data_dir"] == "ok"
    assert body["audit_triggers"] == "ok"
    assert body["static"] == "not used"  # the suite serves the app folders
    assert "no-store" in response["Cache-Control"]


def test_health_fails_when_collected_static_files_are_missing(client, data_dir, settings):
    """Production serves hashed static files: without their manifest every page is a 500."""
    (data_dir / "static").mkdir()  # collectstatic never ran (or failed half-way)
    settings.STATIC_ROOT = str(data_dir / "static")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["static"] == "missing"
    (data_dir / "static" / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    assert client.get(reverse("health")).status_code == 200


def test_health_fails_when_the_data_folder_cannot_be_written(client, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(blocker / "data"))
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["data_dir"] == "not writable"
    assert str(tmp_path) not in response.content.decode()  # no paths, no secrets


def test_health_fails_with_pending_migrations(client, data_dir, monkeypatch):
    monkeypatch.setattr(
        "kansenaudit.web.core.selectors.pending_migrations", lambda: ["core.9999_new"]
    )
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"
    assert "9999" not in response.content.decode()


def test_health_fails_when_an_append_only_trigger_is_missing(client, data_dir, caplog):
    """A later migration that rebuilds a table on SQLite drops its triggers without a word;
    /health/ says so. The trigger is dropped inside the test's transaction (DDL is
    transactional on both engines), so it is back for the next test."""
    from django.db import connection

    name = {"sqlite": "auditevent_no_update", "postgresql": "auditevent_append_only"}
    statement = f"DROP TRIGGER {name[connection.vendor]}"
    if connection.vendor == "postgresql":
        statement += " ON core_auditevent"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    with caplog.at_level(logging.WARNING):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["audit_triggers"] == "missing (1)"
    assert body["database"] == body["migrations"] == "ok"
    assert f"core_auditevent.{name[connection.vendor]}" in caplog.text  # named in the log only


@pytest.mark.urls(__name__)
def test_a_500_is_logged_with_its_traceback(team):
    client = Client(raise_request_exception=False)
    client.force_login(team["users"]["projectleider"])
    with _console("django.request") as log:
        response = client.get("/stuk/")
    assert response.status_code == 500
    text = log.getvalue()
    assert "Internal Server Error: /stuk/" in text
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: kapotte-view-42" in text


def test_csrf_warning_hides_the_uitvraag_token(db):
    client = Client(enforce_csrf_checks=True)
    with _console("django.security.csrf") as log:
        response = client.post(f"/uitvraag/{TOKEN}/", {"x": "1"})
    assert response.status_code == 403
    text = log.getvalue()
    assert "Forbidden (CSRF" in text
    assert "/uitvraag/[verborgen]/" in text
    assert TOKEN not in text


def test_the_gunicorn_access_log_hides_the_uitvraag_token(gunicorn_app):
    import datetime as dt
    from types import SimpleNamespace

    logger = gunicorn_app.cfg.logger_class(gunicorn_app.cfg)
    stream = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(stream)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/uitvraag/{TOKEN}/sjabloon.xlsx",
        "PATH_INFO": f"/uitvraag/{TOKEN}/sjabloon.xlsx",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://kansen.example/uitvraag/{TOKEN}/",
    }
    logger.access(
        SimpleNamespace(status="200 OK", sent=10, headers=[]),
        SimpleNamespace(headers=[]),
        environ,
        dt.timedelta(seconds=0),
    )
    line = stream.getvalue()
    assert "GET /uitvraag/[verborgen]/sjabloon.xlsx HTTP/1.1" in line
    assert "https://kansen.example/uitvraag/[verborgen]/" in line
    assert TOKEN not in line


def test_redaction_keeps_the_staff_pages_paths():
    from kansenaudit.web.core.logfilters import redact

    assert redact("/dossiers/3/uitvraag/nieuw/ /dossiers/3/uitvraag/7/") == (
        "/dossiers/3/uitvraag/nieuw/ /dossiers/3/uitvraag/7/"
    )
    assert redact(f"GET /uitvraag/{TOKEN}/?a=1") == "GET /uitvraag/[verborgen]/?a=1"


def test_logged_addresses_are_the_clients_behind_the_proxy(client, team, settings, caplog):
    """Behind the reverse proxy every request comes from the proxy: the log names the client
    (the right-most X-Forwarded-For), as the limits and the sign-in events do."""
    from kansenaudit.web.core.models import AuditEvent

    settings.BEHIND_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9, 203.0.113.7"}
    with caplog.at_level(logging.WARNING, logger="kansenaudit.request"):
        response = client.post(
            reverse("accounts:login"),
            data=b"x",
            content_type="application/octet-stream",
            CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_BYTES + 1),
            **proxy,
        )
    assert response.status_code == 413
    assert "from 203.0.113.7" in caplog.text
    client.post(reverse("accounts:login"), {"username": "reviewer", "password": "fout"}, **proxy)
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.after["address"] == "203.0.113.7"
