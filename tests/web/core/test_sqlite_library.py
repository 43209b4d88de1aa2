"""The SQLite library: the bundled, current one where its wheel is installed, else the system's;
a switch keeps the system's. Checked in fresh processes, because the choice is made once."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

BUNDLED = platform.system() == "Linux" and platform.machine() == "x86_64"


def _python(code: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "KANSENAUDIT_SYSTEM_SQLITE"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**environment, **env},
    )
    return result.stdout.strip()


CHOOSE = (
    "from kansenaudit.web.sqlite_library import use_current_sqlite\n"
    "version = use_current_sqlite()\n"
    "import sqlite3\n"
    "print(version, sqlite3.__name__, sqlite3.sqlite_version)"
)


def test_the_switch_keeps_the_system_library():
    system = _python("import sqlite3; print(sqlite3.sqlite_version)")
    assert _python(CHOOSE, KANSENAUDIT_SYSTEM_SQLITE="1") == f"{system} sqlite3 {system}"


@pytest.mark.skipif(not BUNDLED, reason="pysqlite3-binary has wheels for Linux x86-64 only")
def test_django_runs_on_the_bundled_current_sqlite():
    version, module, imported = _python(CHOOSE).split()
    assert module == "pysqlite3"
    assert imported == version
    assert tuple(int(part) for part in version.split(".")) >= (3, 45)
    # Django's backend, loaded through the settings, uses the same module.
    code = (
        "import django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'kansenaudit.web.test_settings')\n"
        "os.environ['DATABASE_URL'] = 'sqlite:///:memory:'\n"
        "django.setup()\n"
        "from django.db import connection\n"
        "connection.ensure_connection()\n"
        "print(connection.Database.__name__, connection.Database.sqlite_version)"
    )
    assert _python(code) == f"pysqlite3.dbapi2 {version}"
