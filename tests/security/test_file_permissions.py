"""Files and folders the application creates are private to its user (0600 / 0700), and each
`kansenaudit serve` runs without gunicorn's per-user shared control socket."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from kansenaudit.web.evidence import services as evidence

STRONG_KEY = "permissions-" + "0123456789abcdef" * 3


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def loose_umask():
    """The umask a shell usually gives (022): the application must not depend on it."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.django_db
def test_stored_evidence_files_are_private(team, tmp_path, monkeypatch, loose_umask):
    from kansenaudit.web.core.startup import private_umask

    private_umask()  # what every process does when Django starts (CoreConfig.ready)
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))
    outcome = evidence.document_ingest(
        dossier=team["dossier"], data=b"Gelijke kansen.\n", file_name="a.txt", actor=None
    )
    assert outcome.created
    folder = evidence.storage_dir(team["dossier"].pk)
    files = list(folder.iterdir())
    assert files, "the original file is kept"
    for path in files:
        assert _mode(path) == 0o600, path
    for path in (tmp_path / "data", tmp_path / "data" / "evidence", folder):
        assert _mode(path) == 0o700, path


def test_django_start_makes_the_process_umask_private(loose_umask):
    from django.apps import apps

    apps.get_app_config("core").ready()
    current = os.umask(0o022)
    assert current == 0o077


def test_the_cli_creates_a_private_data_folder_and_database(tmp_path, loose_umask):
    data = tmp_path / "data"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KANSENAUDIT_") and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env.update({"KANSENAUDIT_DATA_DIR": str(data), "KANSENAUDIT_SECRET_KEY": STRONG_KEY})
    result = subprocess.run(
        [sys.executable, "-m", "kansenaudit.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    database = data / "kansenaudit.sqlite3"
    assert _mode(data) == 0o700
    assert _mode(database) == 0o600
    assert _mode(data / "tmp" / "uploads") == 0o700
    # SQLite gives the WAL and SHM files the database's mode, whatever the umask of the reader.
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (x)")
        for suffix in ("-wal", "-shm"):
            assert _mode(f"{database}{suffix}") == 0o600, suffix


def test_demo_key_is_private(tmp_path, monkeypatch, loose_umask):
    from kansenaudit.cli.runtime import ensure_demo_secret_key

    monkeypatch.delenv("KANSENAUDIT_SECRET_KEY", raising=False)
    monkeypatch.setenv("KANSENAUDIT_DEMO", "1")
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "demo"))
    ensure_demo_secret_key()
    assert _mode(tmp_path / "demo") == 0o700
    assert _mode(tmp_path / "demo" / "demo-secret-key") == 0o600


def test_each_server_runs_without_the_shared_control_socket(gunicorn_app):
    """gunicorn 25.1+ opens $XDG_RUNTIME_DIR/gunicorn.ctl (or ~/.gunicorn/gunicorn.ctl) for
    every instance of one OS user: a second `kansenaudit serve` would take over the first's."""
    cfg = gunicorn_app.cfg
    if "control_socket" in cfg.settings:
        assert cfg.control_socket_disable is True
    assert cfg.umask == 0o077
    assert cfg.logger_class.__name__ == "RedactingLogger"
