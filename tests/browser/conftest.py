"""Shared fixtures of the browser tests: the real server and Debian's Chromium.

Every browser test module starts the server in the same way: `kansenaudit serve --demo` on a
free port with its own data folder and, when the suite runs on PostgreSQL, its own throwaway
database. Each module gets its own server.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed; `make test` installs it")
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KANSENAUDIT_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        {"KANSENAUDIT_DATA_DIR": str(tmp_path_factory.mktemp("demo-data")), "KANSENAUDIT_DEMO": "1"}
    )
    drop = None
    if env.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"], drop = _own_postgres_database(env["DATABASE_URL"])
    else:
        env.pop("DATABASE_URL", None)
    log = (tmp_path_factory.mktemp("log") / "server.log").open("w")
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
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health/", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("server did not start: " + Path(log.name).read_text()[-3000:])
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
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
