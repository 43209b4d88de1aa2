"""Sign-in, passwords, downloads and denied access are audit events (issue #11, §2).

The downloads are checked over every GET view of the permission matrix, which itself fails
when a view is added without a row: a new export that delivers a file without an event fails
``test_every_download_records_an_event``.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from django.urls import reverse

from kansenaudit.web.core.models import AuditEvent

WEB_TESTS = Path(__file__).resolve().parents[1] / "web"


def _permission_matrix():
    """The permission matrix of tests/web (every view, with arguments for the team fixture)."""
    spec = importlib.util.spec_from_file_location(
        "_matrix_for_audit", WEB_TESTS / "core" / "test_permission_matrix.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MATRIX


# Every export and download known when the logging was written; the walk below must find each
# of them delivering a file (so the walk itself cannot silently miss them).
KNOWN_DOWNLOADS = {
    "dossiers:export",
    "dossiers:audit_log_csv",
    "indicators:statistics_csv",
    "evidence:page_image",
    "evidence:citations_csv",
    "evidence:terms_csv",
    "policy:export_xlsx",
    "policy:export_json",
    "policy:export_csv",
    "uitvraag:export_csv",
    "uitvraag:export_xlsx",
    "uitvraag:template",
    "uitvraag:received_download",
    "uitvraag:public_template",
    "judgements:export_csv",
    "judgements:export_xlsx",
    "judgements:history_csv",
    "judgements:framework_json",
    "council:export_xlsx",
    "council:items_csv",
    "council:matrix_csv",
}
FILE_ROUTE_ENDINGS = (".csv", ".xlsx", ".json", ".png", ".pdf", ".zip", "download/")
PAGE_TYPES = ("text/html", "application/json", "text/plain")


@pytest.fixture
def _data_dir(tmp_path, monkeypatch, settings):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


def _delivers_a_file(response) -> bool:
    """Independent of the middleware: a file header, or a body that is not a page or data."""
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return response.status_code == 200 and (
        "Content-Disposition" in response or content_type not in PAGE_TYPES
    )


MATRIX = _permission_matrix()
# One test per app: the data builders of one app fit together, those of two apps may not.
NAMESPACES = sorted({name.partition(":")[0] for name in MATRIX if ":" in name})


@pytest.mark.usefixtures("_data_dir")
@pytest.mark.parametrize("namespace", NAMESPACES)
def test_every_download_records_an_event(client, team, namespace):
    pl = team["users"]["projectleider"]
    views = {
        name: (args, expected)
        for name, (method, args, expected) in MATRIX.items()
        if method == "get" and name.startswith(f"{namespace}:") and name != "accounts:login"
    }
    found = set()
    for name, (args, _expected) in sorted(views.items()):
        public = name.startswith("uitvraag:public")  # the personal link, without an account
        client.logout()
        if not public:
            client.force_login(pl)
        url = reverse(name, args=args(team))
        before = AuditEvent.objects.filter(action="export.download").count()
        response = client.get(url)
        events = list(AuditEvent.objects.filter(action="export.download").order_by("pk"))[before:]
        if not _delivers_a_file(response):
            assert events == [], f"{url} is a page, not a download, yet was logged"
            continue
        found.add(name)
        assert len(events) == 1, f"{url} delivered a file without an audit event"
        event = events[0]
        assert event.after["route"] == name
        assert event.after["format"]
        assert event.dossier == team["dossier"], url
        if public:
            assert event.actor is None
            assert event.actor_label.startswith("uitvraaglink:")
            assert args(team)[0] not in json.dumps(event.after) + event.summary  # never the key
        else:
            assert event.actor == pl
    known = {name for name in KNOWN_DOWNLOADS if name.startswith(f"{namespace}:")}
    assert found >= known, f"not delivered as files: {known - found}"
    file_like = {
        name
        for name, (args, _e) in views.items()
        if reverse(name, args=args(team)).endswith(FILE_ROUTE_ENDINGS)
    }
    assert file_like <= found, f"file URLs that did not deliver a logged file: {file_like - found}"


def test_the_walk_covers_every_known_download():
    assert {name for name in KNOWN_DOWNLOADS if name.partition(":")[0] in NAMESPACES} == (
        KNOWN_DOWNLOADS
    )
    assert {n for n, (method, _a, _e) in MATRIX.items() if method == "get"} >= KNOWN_DOWNLOADS


def test_a_download_event_says_what_and_in_which_format(client, team):
    client.force_login(team["users"]["reviewer"])
    response = client.get(reverse("dossiers:audit_log_csv", args=[team["dossier"].pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="export.download")
    assert event.actor == team["users"]["reviewer"]
    assert event.dossier == team["dossier"]
    assert event.after["format"] == "csv"
    assert event.after["file_name"] == f"logboek-{team['dossier'].pk}.csv"
    # The log's own CSV shows the download that produced it on the next export.
    again = client.get(reverse("dossiers:audit_log_csv", args=[team["dossier"].pk]))
    assert "export.download" in again.content.decode("utf-8-sig")


def test_login_logout_and_failure_are_events(client, team, password):
    client.post(reverse("accounts:login"), {"username": "reviewer", "password": "fout-wachtwoord"})
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.after["username"] == "reviewer"
    assert failed.after["address"] == "127.0.0.1"
    assert failed.dossier is None
    assert failed.actor is None
    assert "fout-wachtwoord" not in json.dumps(failed.after) + failed.summary

    client.post(reverse("accounts:login"), {"username": "reviewer", "password": password})
    login = AuditEvent.objects.get(action="auth.login")
    assert login.actor == team["users"]["reviewer"]
    assert login.after == {"address": "127.0.0.1"}

    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.get(action="auth.logout").actor == team["users"]["reviewer"]
    assert password not in json.dumps(list(AuditEvent.objects.values("summary", "after")))


def test_lockout_is_an_event(client, team, settings, password):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "reviewer", "password": "fout"})
    lockout = AuditEvent.objects.get(action="auth.lockout")
    assert lockout.after == {"username": "reviewer", "address": "127.0.0.1"}
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == (
        settings.AXES_FAILURE_LIMIT
    )
    # A try with the right password while locked out is refused and logged as such.
    client.post(reverse("accounts:login"), {"username": "reviewer", "password": password})
    assert not AuditEvent.objects.filter(action="auth.login").exists()
    assert AuditEvent.objects.filter(action="auth.login_failed", after__locked_out=True).exists()


def test_own_password_change_is_an_event(client, team, password):
    user = team["users"]["onderzoeker"]
    client.force_login(user)
    new = "een-ander-lang-wachtwoord-7"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.password_change")
    assert event.actor == user
    assert event.after == {"forced": False}
    user.refresh_from_db()
    assert user.check_password(new)
    assert not AuditEvent.objects.filter(action="user.password_reset").exists()


def test_non_member_denied_access_is_logged_for_the_team_only(client, team):
    dossier, outsider = team["dossier"], team["outsider"]
    client.force_login(outsider)
    response = client.get(reverse("dossiers:detail", args=[dossier.pk]))
    assert response.status_code == 404
    assert dossier.title not in response.content.decode()
    event = AuditEvent.objects.get(action="access.denied")
    assert event.dossier == dossier
    assert event.actor == outsider
    assert event.after["status"] == 404
    # The outsider cannot read that log; their own dossier's log holds nothing of it.
    assert client.get(reverse("dossiers:audit_log", args=[dossier.pk])).status_code == 404
    own_log = client.get(reverse("dossiers:audit_log", args=[team["other"].pk])).content
    assert b"access.denied" not in own_log
    assert dossier.title.encode() not in own_log
    # The team's log shows the attempt.
    client.force_login(team["users"]["projectleider"])
    page = client.get(reverse("dossiers:audit_log", args=[dossier.pk])).content.decode()
    assert "Toegang geweigerd (404) voor buitenstaander" in page


def test_member_without_the_capability_is_logged(client, team):
    client.force_login(team["users"]["meelezer"])
    url = reverse("dossiers:audit_log_csv", args=[team["dossier"].pk])
    assert client.get(url).status_code == 403
    event = AuditEvent.objects.get(action="access.denied")
    assert event.dossier == team["dossier"]
    assert event.after["status"] == 403
    assert not AuditEvent.objects.filter(action="export.download").exists()


def test_unknown_dossier_is_logged_site_wide_and_anonymous_visits_are_not(client, team):
    client.force_login(team["users"]["reviewer"])
    assert client.get("/dossiers/999999/documenten/").status_code == 404
    assert client.get("/dossiers/999999/bestaat-niet/").status_code == 404
    events = list(AuditEvent.objects.filter(action="access.denied").order_by("pk"))
    assert [(e.dossier, e.after["dossier_id"]) for e in events] == [(None, 999999)] * 2
    client.get("/bestaat-niet/")  # not a dossier URL: not logged
    client.logout()
    client.get(reverse("dossiers:detail", args=[team["dossier"].pk]))  # to the login page
    client.get("/static/bestaat-niet.css")
    assert AuditEvent.objects.filter(action="access.denied").count() == 2
