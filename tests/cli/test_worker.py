"""`kansenaudit worker` as a real process against a real database (a SQLite file, or a database
of its own on PostgreSQL): it runs what the web app queued, a job it was killed in the middle
of is taken up by the next worker, and `serve --demo` keeps one worker alive (ADR 0014)."""

from __future__ import annotations

import importlib.util
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

SECRET = "test-only-secret-key-not-for-production-0123456789-abcdefghij"
TEXT = b"Gelijke kansen voor ieder kind in de wijk.\n"
# Queues one upload the way the upload view does; "fifo" swaps the staged file for a named
# pipe, so the worker that claims the job blocks reading it until the test lets it go.
QUEUE = """
import os, sys
from kansenaudit.cli.runtime import setup_django
setup_django()
from kansenaudit.web.dossiers.services import dossier_create
from kansenaudit.web.evidence.services import job_queue
dossier = dossier_create(title="Werkproef", municipality_code="GM0363")
job = job_queue(dossier=dossier, file_name="notitie.txt", data=sys.stdin.buffer.read(), actor=None)
if sys.argv[1] == "fifo":
    os.unlink(job.staged_path)
    os.mkfifo(job.staged_path)
print(job.pk, job.staged_path)
"""


class World:
    """A migrated database and the environment the processes share."""

    def __init__(self, tmp: Path, database_url: str | None) -> None:
        self.data = tmp / "data"
        self.database_url = database_url
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("KANSENAUDIT_")
            and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
        }
        self.env.update({"KANSENAUDIT_DATA_DIR": str(self.data), "KANSENAUDIT_SECRET_KEY": SECRET})
        if database_url:
            self.env["DATABASE_URL"] = database_url

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "kansenaudit.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def queue(self, mode: str = "file") -> tuple[int, Path]:
        done = subprocess.run(
            [sys.executable, "-c", QUEUE, mode],
            env=self.env,
            input=TEXT,
            capture_output=True,
            timeout=60,
            check=True,
        )
        pk, path = done.stdout.decode().split()
        return int(pk), Path(path)

    def rows(self, sql: str, *params: object) -> list[tuple]:
        if self.database_url is None:
            with sqlite3.connect(self.data / "kansenaudit.sqlite3") as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.database_url) as db:
            return db.execute(sql, params).fetchall()

    def job(self, pk: int) -> tuple[str, int]:
        (row,) = self.rows("SELECT state, attempts FROM evidence_importjob WHERE id = %s", pk)
        return row

    def wait_for(self, pk: int, state: str, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while self.job(pk)[0] != state:
            if time.monotonic() > deadline:
                pytest.fail(f"job {pk} did not reach {state!r}: {self.job(pk)}")
            time.sleep(0.1)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    # The throwaway-database helper of tests/conftest.py ("conftest" may name another one here).
    spec = importlib.util.spec_from_file_location(
        "root_conftest", Path(__file__).resolve().parents[1] / "conftest.py"
    )
    root_conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(root_conftest)
    _own_postgres_database = root_conftest._own_postgres_database
    tmp = tmp_path_factory.mktemp("worker")
    url, drop = None, None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        # Created through the server's maintenance database: the one in the URL may not exist.
        server = os.environ["DATABASE_URL"].rpartition("/")[0]
        url, drop = _own_postgres_database(f"{server}/postgres")
    world = World(tmp, url)
    try:
        migrated = world.cli("migrate")
        assert migrated.returncode == 0, migrated.stderr
        yield world
    finally:
        if drop:
            drop()


def test_a_queued_upload_is_run_by_a_worker_process(world):
    pk, staged = world.queue()
    # The upload's commit enqueued a task in the database; no process has run it yet.
    assert world.job(pk) == ("wachtrij", 0)
    assert world.rows("SELECT status FROM django_tasks_database_dbtaskresult") == [("READY",)]
    worker = world.cli("worker", "--batch")
    assert worker.returncode == 0, worker.stderr
    assert world.job(pk) == ("klaar", 1)
    assert not staged.exists()
    assert ("SUCCESSFUL",) in world.rows("SELECT status FROM django_tasks_database_dbtaskresult")
    (title,) = world.rows(
        "SELECT d.title FROM evidence_document d JOIN evidence_importjob j "
        "ON j.document_id = d.id WHERE j.id = %s",
        pk,
    )
    assert "Gelijke kansen" in title[0]


def test_a_job_whose_worker_was_killed_is_done_by_the_next_worker(world):
    pk, staged = world.queue("fifo")
    worker = subprocess.Popen(
        [sys.executable, "-m", "kansenaudit.cli", "worker", "--interval", "0.1"],
        env=world.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        world.wait_for(pk, "bezig")  # claimed; the worker now waits on the named pipe
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    assert world.job(pk) == ("bezig", 1)
    staged.unlink()
    staged.write_bytes(TEXT + b"Tweede poging.\n")
    again = world.cli("worker", "--batch")
    assert again.returncode == 0, again.stderr
    assert world.job(pk) == ("klaar", 2)


def test_the_demo_server_keeps_one_worker_running(world, monkeypatch):
    from kansenaudit.cli.server import DemoWorker

    for key in ("KANSENAUDIT_DATA_DIR", "KANSENAUDIT_SECRET_KEY", "DATABASE_URL"):
        if key in world.env:
            monkeypatch.setenv(key, world.env[key])
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)  # the production settings
    monkeypatch.setattr(DemoWorker, "RESTART_DELAY_S", 0.1)
    with DemoWorker() as demo:
        first = demo.process
        first.kill()  # a worker that dies is started again
        deadline = time.monotonic() + 30
        while demo.process is first:
            assert time.monotonic() < deadline, "the worker was not started again"
            time.sleep(0.05)
        pk, _ = world.queue()
        world.wait_for(pk, "klaar")
        second = demo.process
    assert second.poll() is not None  # stopped with the server
    assert demo.process is second
