"""When the audit log cannot be written (a locked or failing database), the security log neither
turns a refusal into a server error nor lets a file leave unlogged (issue #11, review).

The event is written after the view has answered. A refusal (403/404) stays that refusal, and
the failure is logged with its traceback. A download is withheld: 503 with a Dutch sentence
that says what to do, and the failure logged. The failure is injected on the INSERT into the
audit log only, as a locked database would refuse it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, OperationalError, connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kansenaudit.web.core.models import AuditEvent

LOGGER = "kansenaudit.web.core.security_log"
DOWNLOAD_NOT_LOGGED = (
    "The download could not be recorded in the audit log. Please try again in a minute."
)


@contextmanager
def _audit_log_fails() -> Iterator[list[str]]:
    """Every INSERT into the audit log fails as a locked database does."""
    failed: list[str] = []

    def fail(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "core_auditevent" in sql:
            failed.append(sql)
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield failed


def _logged(caplog) -> bool:
    return any(
        record.name == LOGGER
        and record.levelname == "ERROR"
        and record.exc_info
        and isinstance(record.exc_info[1], DatabaseError)
        for record in caplog.records
    )


@pytest.fixture
def browser(client):
    """The test client answering as the server does: an exception becomes a 500 page."""
    client.raise_request_exception = False
    return client


def test_a_refusal_stays_a_refusal_when_its_event_cannot_be_written(browser, team, caplog):
    browser.force_login(team["outsider"])
    url = reverse("dossiers:detail", args=[team["dossier"].pk])
    with caplog.at_level(logging.ERROR), _audit_log_fails() as failed:
        response = browser.get(url)
    assert failed, "the refusal's event was not attempted"
    assert response.status_code == 404
    assert _logged(caplog)
    assert not AuditEvent.objects.filter(action="access.denied").exists()


def test_a_forbidden_download_stays_403_when_its_event_cannot_be_written(browser, team, caplog):
    browser.force_login(team["users"]["meelezer"])
    url = reverse("dossiers:audit_log_csv", args=[team["dossier"].pk])
    with caplog.at_level(logging.ERROR), _audit_log_fails() as failed:
        response = browser.get(url)
    assert failed
    assert response.status_code == 403
    assert _logged(caplog)


def test_a_download_that_cannot_be_logged_is_not_delivered(browser, team, caplog):
    browser.force_login(team["users"]["reviewer"])
    url = reverse("dossiers:audit_log_csv", args=[team["dossier"].pk])
    with caplog.at_level(logging.ERROR), _audit_log_fails() as failed:
        response = browser.get(url)
    assert failed
    assert response.status_code == 503
    assert "Content-Disposition" not in response
    with translation.override("nl"):
        message = gettext(DOWNLOAD_NOT_LOGGED)
    assert response.content.decode() == message  # nothing of the file
    assert _logged(caplog)
    assert not AuditEvent.objects.filter(action="export.download").exists()
    # Once the log can be written again, the same download is delivered and logged.
    assert browser.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="export.download").count() == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's busy timeout")
def test_sqlite_writers_wait_half_a_minute_for_the_write_lock(db):
    """A long import holds the write lock; a download's event waits for it (30 s) rather than
    failing after Python's default of 5 s."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 30_000
