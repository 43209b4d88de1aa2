"""Shared fixtures: a member in each role of one dossier, an outsider with their own, the demo
once per module, and for the browser tests the real server (`kansenaudit serve --demo` on a free
port, per module its own copy of a data folder in which the demo was loaded once per run, or on
PostgreSQL its own throwaway database) and Debian's Chromium."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from kansenaudit.web.accounts.services import user_create
from kansenaudit.web.dossiers import services as dossier_services

PASSWORD = "correct-horse-battery-staple"
ROLES = ["projectleider", "onderzoeker", "reviewer", "meelezer"]


@pytest.fixture
def make_user(db):
    def make(username: str, *, admin: bool = False):
        return user_create(
            username=username,
            password=PASSWORD,
            actor=None,
            is_site_admin=admin,
            check_password=False,
            # Test accounts sign in with this password at once: no forced change.
            must_change_password=False,
        )

    return make


@pytest.fixture
def team(db, make_user):
    """One dossier with a member in every role, and a second dossier none of them can see."""
    users = {role: make_user(role) for role in ROLES}
    dossier = dossier_services.dossier_create(
        title="Onderzoek A",
        municipality_code="GM0363",
        municipality_name="Amsterdam",
        creator=users["projectleider"],
    )
    for role in ROLES[1:]:
        dossier_services.membership_set(
            dossier=dossier, user=users[role], role=role, actor=users["projectleider"]
        )
    dossier_services.sub_question_set(
        dossier=dossier, number=1, question="Wat is de staat?", actor=users["projectleider"]
    )
    milestone = dossier_services.milestone_create(
        dossier=dossier, title="Start", due_date="2026-01-01", actor=users["projectleider"]
    )
    outsider = make_user("buitenstaander")
    other = dossier_services.dossier_create(
        title="Geheim onderzoek B", municipality_code="GM0599", creator=outsider
    )
    admin = make_user("beheerder", admin=True)
    return {
        "dossier": dossier,
        "other": other,
        "users": users,
        "outsider": outsider,
        "admin": admin,
        "milestone": milestone,
    }


@pytest.fixture
def password():
    return PASSWORD


class HeldTasks:
    """Background tasks enqueued but not run yet: what a queue holds while no worker runs."""

    def __init__(self, settings) -> None:
        self.settings = settings
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    def run(self) -> list[int]:
        """Start a worker, in this process: take up cut-off jobs, run every queued task."""
        from kansenaudit.web.evidence.services import jobs_resume
        from kansenaudit.web.fieldwork.uploads import transcript_jobs_resume

        self.settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        return jobs_resume() + transcript_jobs_resume()


@pytest.fixture
def held_tasks(settings):
    """Jobs stay queued until the test calls ``held_tasks.run()`` (ADR 0015)."""
    return HeldTasks(settings)


def pytest_addoption(parser):
    parser.addoption(
        "--require-real-data",
        action="store_true",
        help="fail (instead of skip) the real_data tests when the real data folder is missing",
    )


def pytest_collection_modifyitems(config, items):
    """Every test that uses the real data (directly or through a fixture) is marked real_data."""
    for item in items:
        if "shared_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.real_data)
    _quarantine(items)


@pytest.fixture(scope="session")
def shared_data(pytestconfig):
    """The folder with the real published files (never committed); see KANSENAUDIT_TEST_DATA.

    A fresh clone has no such folder: its tests are skipped, saying why. CI passes
    ``--require-real-data`` (.ci/run), so there a missing folder fails them instead.
    """
    from kansenaudit.config import test_data_dir

    folder = test_data_dir()
    if folder is None or not folder.is_dir():
        message = (
            "the real data folder is missing: set KANSENAUDIT_TEST_DATA to the shared/data "
            "folder (the published source files and documents, never committed)"
        )
        if pytestconfig.getoption("--require-real-data"):
            pytest.fail(message)
        pytest.skip(message)
    return folder


@pytest.fixture(scope="module")
def demo_for_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (city and documents, no policy set) loaded once for a whole test module.

    It is loaded inside a transaction that is rolled back when the module is done. Each test's
    own transaction (pytest-django's ``db``) becomes a savepoint inside it, so whatever a test
    changes is undone before the next one, and the demo's load time is paid once per module
    instead of once per test. Use it only in modules whose every database test wants the demo:
    a ``team`` test beside it would meet the demo's users.
    """
    import os

    from django.db import transaction

    from kansenaudit.web.demo.services import demo_load

    old_data_dir = os.environ.get("KANSENAUDIT_DATA_DIR")
    os.environ["KANSENAUDIT_DATA_DIR"] = str(tmp_path_factory.mktemp("demo-data"))
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            yield demo_load(with_policy=False)
            transaction.set_rollback(True)
    finally:
        if old_data_dir is None:
            os.environ.pop("KANSENAUDIT_DATA_DIR", None)
        else:
            os.environ["KANSENAUDIT_DATA_DIR"] = old_data_dir


# --- The browser tests: the real server and Debian's Chromium --------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _own_postgres_database(url: str):
    """Create a throwaway database next to the one in ``url``; return (new url, drop)."""
    import psycopg

    name = f"kansenaudit_e2e_{uuid.uuid4().hex[:8]}"
    base, _, _db = url.rpartition("/")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{name}", drop


def _server_env(data_dir: Path) -> dict[str, str]:
    """The environment of a demo server: ours without the test settings, its own data folder."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KANSENAUDIT_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update({"KANSENAUDIT_DATA_DIR": str(data_dir), "KANSENAUDIT_DEMO": "1"})
    return env


@contextlib.contextmanager
def _demo_server(env: dict[str, str], log_path: Path, *, wait_s: float = 240):
    """`kansenaudit serve --demo` on a free port until the block ends; yields its address."""
    port = _free_port()
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kansenaudit.cli",
            "serve",
            "--demo",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its web server and worker with it: one group to stop
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health/", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("server did not start: " + log_path.read_text()[-3000:])
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a busy machine: the demo's data is thrown away
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _wait_for_the_tasks(database: Path, wait_s: float = 300) -> None:
    """Until no background task in the SQLite ``database`` is queued or running."""
    import sqlite3

    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            (waiting,) = db.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                " WHERE status IN ('READY', 'RUNNING')"
            ).fetchone()
        if not waiting:
            return
        time.sleep(0.5)


@pytest.fixture(scope="session")
def demo_data_folder(tmp_path_factory):
    """A data folder (SQLite database and files) in which the demo is loaded, made once per
    test run: each browser module's server starts from a copy of it, so that it migrates and
    loads the demo in seconds instead of half a minute. Under pytest-xdist the workers share
    one, made by whichever asks first while the other waits (a lock file), keyed by the run
    so that other runs on the machine never meet it. ``None`` on PostgreSQL: there every
    server loads the demo into its own database."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        yield None
        return
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    root = tmp_path_factory.getbasetemp().parent if run else tmp_path_factory.getbasetemp()
    folder = root / f"demo-data-{run or 'here'}"
    with (root / f"demo-data-{run or 'here'}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "ready").exists():
            shutil.rmtree(folder, ignore_errors=True)
            env = _server_env(folder)
            env.pop("DATABASE_URL", None)
            # Loading the demo is most of a start: give it longer on a busy machine.
            with _demo_server(env, root / f"demo-data-{run or 'here'}.log", wait_s=600):
                # Started: migrated and the demo loaded. Its worker runs the demo's background
                # tasks (the statistics); once they are done no copy runs them again.
                _wait_for_the_tasks(folder / "kansenaudit.sqlite3")
            (folder / "ready").touch()
        fcntl.flock(lock, fcntl.LOCK_UN)
    yield folder


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_data_folder):
    """A demo server of this test module's own (its walks may change what the next module
    sees): on SQLite a copy of the demo's data folder, on PostgreSQL a throwaway database."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed; `make test` installs it")
    data_dir = tmp_path_factory.mktemp("demo-data")
    env = _server_env(data_dir)
    drop = None
    if demo_data_folder is not None:
        shutil.copytree(demo_data_folder, data_dir, dirs_exist_ok=True)
        # The demo's fieldwork key lies beside the folder, not in it (fieldwork/crypto.py).
        key = demo_data_folder.with_name(f"{demo_data_folder.name}-fieldwork.key")
        if key.exists():
            shutil.copyfile(key, data_dir.with_name(f"{data_dir.name}-fieldwork.key"))
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"], drop = _own_postgres_database(env["DATABASE_URL"])
    try:
        with _demo_server(env, tmp_path_factory.mktemp("log") / "server.log") as url:
            yield url
    finally:
        if drop:
            drop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


# --- Transactional tests on PostgreSQL and the append-only tables ------------------------------


@pytest.fixture(scope="session", autouse=True)
def _flush_past_append_only_triggers():
    """After a transactional test pytest-django empties every table with one TRUNCATE, which the
    append-only tables refuse (core/append_only.py). The test database belongs to a superuser,
    who may switch ordinary triggers off for that one flush transaction
    (``session_replication_role``); the application's own role cannot."""
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no PostgreSQL driver: the suite runs on SQLite only
        yield
        return
    original = DatabaseOperations.execute_sql_flush

    def flush(self, sql_list):
        return original(self, ["SET LOCAL session_replication_role = replica", *sql_list])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "execute_sql_flush", flush)
        yield


# --- Quarantine ----------------------------------------------------------------------------------
# Tests skipped, each with its reason, when a merge broke them and they could not be repaired in
# the same session; the closing note lists them as the next session's first work. The 19 of
# 2026-12-07 all pass again (2026-12-08); the mechanism stays for the next time. Remove an entry
# as soon as its test passes again (KANSENAUDIT_RUN_QUARANTINED=1 runs them); never add one to
# hide a failure that was understood.
QUARANTINE: dict[str, str] = {}


def _quarantine(items):
    if os.environ.get("KANSENAUDIT_RUN_QUARANTINED") == "1":  # to see whether they pass again
        return
    for item in items:
        reason = QUARANTINE.get(item.nodeid)
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"quarantined 2026-12-07: {reason}"))
