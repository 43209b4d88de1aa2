"""Search never reports "0 found" when it failed, and keeps working while an import writes.

A failing query must come back as an error on every search surface (the search page, the term
page and its CSV, the CLI's ``evidence search`` and ``evidence terms``) and be logged with its
traceback. And on SQLite a search must not take the write lock: it used to begin an IMMEDIATE
transaction, wait 5 s for a running import and then show "0 pages found". The last test runs
an import and a search in two processes against one database, on SQLite (a file in WAL mode)
and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import select
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from kansenaudit.cli.main import cli
from kansenaudit.ingest.extract import extract
from kansenaudit.web.evidence import search
from kansenaudit.web.evidence import services as evidence
from kansenaudit.web.evidence.models import Document

TERM = "gelijke kansen"
TEXT = f"Het college wil {TERM} voor ieder kind.\fOok op pagina twee: {TERM} in de wijk."
CHILD = Path(__file__).with_name("search_concurrency_child.py")
ANSWER_WAIT = 120  # seconds a child may take to answer before the test gives up (no assertion)

# What the search queries send, and nothing else the pages run: the full-text index (SQLite),
# the text-search query (PostgreSQL) and the page text that the term functions read.
SEARCH_SQL = (search.FTS_TABLE, "tsquery", '"evidence_page"."text"', "p.text")


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))
    yield
    if connection.vendor == "postgresql":
        search.close_count_connections()  # or the test database cannot be dropped


def _store(dossier: object, text: str = TEXT, name: str = "nota.txt") -> Document:
    data = text.encode()
    document, _ = evidence.document_store(
        dossier=dossier,
        extracted=extract(data, name, ocr=False),
        data=data,
        actor=None,
        overrides={"date": dt.date(2024, 3, 1)},  # dated, so the term page has its year table
    )
    return document


@contextmanager
def _database_fails() -> Iterator[list[str]]:
    """Every search query fails as a locked database does; yields the failed statements."""
    failed: list[str] = []

    def fail(execute, sql, params, many, context):
        if any(fragment in sql for fragment in SEARCH_SQL):
            failed.append(sql)
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield failed


def _failure_message() -> str:
    with translation.override("nl"):
        return str(search.SearchFailed())


def _logged_failure(caplog) -> bool:
    return any(
        record.levelname == "ERROR"
        and record.exc_info
        and isinstance(record.exc_info[1], OperationalError)
        for record in caplog.records
    )


def _login(client, team) -> None:
    client.force_login(get_user_model().objects.get(username="onderzoeker"))


# --- a failed query is an error, never an empty result -------------------------------------------


def test_search_raises_and_logs_and_leaves_the_callers_transaction_usable(team, caplog):
    _store(team["dossier"])
    assert search.search(team["dossier"], TERM).total == 2
    with transaction.atomic():
        with _database_fails() as failed, pytest.raises(search.SearchFailed):
            search.search(team["dossier"], TERM)
        assert failed
        with _database_fails(), pytest.raises(search.SearchFailed):
            search.term_occurrences(team["dossier"], [TERM])
        # The failure was rolled back to a savepoint: the caller's transaction goes on.
        assert Document.objects.filter(dossier=team["dossier"]).count() == 1
    assert _logged_failure(caplog)


def test_search_page_shows_the_failure_and_no_count(client, team, caplog):
    _store(team["dossier"])
    _login(client, team)
    url = reverse("evidence:documents", args=[team["dossier"].pk]) + "?q=gelijke+kansen"
    with translation.override("nl"):
        found = ngettext("%(counter)s page found.", "%(counter)s pages found.", 2)
        zero = ngettext("%(counter)s page found.", "%(counter)s pages found.", 0)
    working = client.get(url)
    assert found % {"counter": 2} in working.content.decode()

    with _database_fails() as failed:
        response = client.get(url)
    html = response.content.decode()
    assert failed
    assert response.status_code == 503
    assert _failure_message() in html
    assert zero % {"counter": 0} not in html
    assert 'role="status"' not in html  # the line that would give the number of pages
    assert "total" not in response.context
    assert _logged_failure(caplog)


def test_term_pages_show_the_failure_not_zero_occurrences(client, team, caplog):
    _store(team["dossier"])
    evidence.term_add(dossier=team["dossier"], term=TERM, actor=None)
    _login(client, team)
    terms_url = reverse("evidence:terms", args=[team["dossier"].pk])
    with translation.override("nl"):
        absent = gettext("The followed terms do not occur in the documents.")
    working = client.get(terms_url).content.decode()
    assert 'id="kwic-tabel"' in working
    assert 'id="gebruik-per-jaar"' in working

    with _database_fails() as failed:
        response = client.get(terms_url)
        csv_response = client.get(reverse("evidence:terms_csv", args=[team["dossier"].pk]))
    html = response.content.decode()
    assert failed
    assert response.status_code == 503
    assert html.count(_failure_message()) == 2  # usage over time and keyword in context
    assert absent not in html
    assert 'id="kwic-tabel"' not in html
    assert 'id="gebruik-per-jaar"' not in html
    # No file of zeros: back to the term page with the message.
    assert csv_response.status_code == 302
    assert csv_response["Location"] == terms_url
    assert not csv_response.get("Content-Type", "").startswith("text/csv")
    messages = [str(m) for m in client.get(terms_url).context["messages"]]
    assert _failure_message() in messages
    assert _logged_failure(caplog)


def test_cli_search_and_terms_fail_on_stderr_with_exit_1(team, caplog):
    _store(team["dossier"])
    dossier = str(team["dossier"].pk)
    runner = CliRunner()
    working = runner.invoke(cli, ["evidence", "search", "--dossier", dossier, TERM])
    assert working.exit_code == 0
    assert "2 treffers" in working.stdout
    with _database_fails() as failed:
        searched = runner.invoke(
            cli, ["evidence", "search", "--dossier", dossier, TERM], catch_exceptions=False
        )
        message = str(search.SearchFailed())  # in the language the CLI runs in
        counted = runner.invoke(
            cli,
            ["evidence", "terms", "--dossier", dossier, "--term", TERM, "--kwic"],
            catch_exceptions=False,
        )
    assert failed
    assert searched.exit_code == 1
    assert message in searched.stderr
    assert "treffers" not in searched.stdout
    assert counted.exit_code == 1
    assert message in counted.stderr
    assert "keer" not in counted.stdout
    assert _logged_failure(caplog)


# --- an import and a search at the same time, in two processes ----------------------------------


@pytest.fixture
def shared_database(transactional_db, tmp_path) -> str:
    """A ``DATABASE_URL`` that other processes can write to and read from.

    PostgreSQL: the test database itself (``transactional_db`` empties it afterwards). SQLite:
    the test database lives in memory, so a copy of it (migrated and empty) in a file in WAL
    mode. The children create all data themselves: on SQLite this process commits nothing (its
    audit log could not be emptied afterwards; it is append-only).
    """
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(settings["USER"] or "")
        password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
        host = settings["HOST"] or "localhost"
        port = f":{settings['PORT']}" if settings["PORT"] else ""
        return f"postgres://{user}{password}@{host}{port}/{quote(settings['NAME'])}"
    path = tmp_path / "gedeeld.sqlite3"
    connection.ensure_connection()
    target = connection.Database.connect(str(path))
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
    return f"sqlite:///{path}"


def _start(role: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(CHILD), role],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _ask(process: subprocess.Popen, command: str | None = None) -> dict:
    """Send ``command`` (if any) and wait for the child's next JSON line."""
    if command is not None:
        process.stdin.write(command + "\n")
        process.stdin.flush()
    ready, _, _ = select.select([process.stdout], [], [], ANSWER_WAIT)
    line = process.stdout.readline() if ready else ""
    if not line:
        process.kill()
        pytest.fail(f"no answer from the child process: {process.stderr.read()}")
    return json.loads(line)


def test_search_during_an_import_in_another_process(shared_database, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": shared_database,
        "DJANGO_SETTINGS_MODULE": "kansenaudit.web.test_settings",
        "KANSENAUDIT_DATA_DIR": str(tmp_path / "data"),
    }
    writer = _start("writer", env)
    reader = _start("reader", env)
    try:
        stored = _ask(writer)
        holding = _ask(writer)  # the import's pages are written, not committed
        assert holding["state"] == "holding"
        during = _ask(reader, f"search {stored['dossier']}")
        assert _ask(writer, "commit") == {"state": "committed"}
        after = _ask(reader, f"search {stored['dossier']}")
    finally:
        for process in (writer, reader):
            process.stdin.close()
        reader_log = reader.stderr.read()
        for process in (writer, reader):
            process.wait(timeout=ANSWER_WAIT)
            process.stdout.close()
            process.stderr.close()
    committed, imported = stored["document"], holding["document"]
    # While the import writes: the committed pages, found at once (the reader does not wait for
    # a lock: waiting fails), and nothing of the import yet.
    assert during == {"total": 2, "pages": [[committed, 1], [committed, 2]], "occurrences": 2}
    # After its commit, a new search sees the imported pages too.
    assert after == {
        "total": 5,
        "pages": [[committed, 1], [committed, 2], [imported, 1], [imported, 2], [imported, 3]],
        "occurrences": 5,
    }
    assert "database is locked" not in reader_log
    assert writer.returncode == 0
    assert reader.returncode == 0
