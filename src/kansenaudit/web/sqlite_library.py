# SPDX-License-Identifier: EUPL-1.2
"""Which SQLite library the SQLite database runs on.

Python's ``sqlite3`` module uses the operating system's SQLite (3.40 on Debian 12). Where the
``pysqlite3-binary`` wheel is installed (Linux x86-64, a dependency there), this module makes
``import sqlite3`` give ``pysqlite3`` instead: the same DB-API module, built with a current SQLite
(3.51) whose full-text search ranks about one and a half times faster
(docs/adr/0013-current-sqlite-for-search.md). Django's SQLite backend then uses it like any
``sqlite3``.

It must run before anything opens a SQLite database, so that one process never has two SQLite
libraries on the same file (their POSIX locks would not see each other); the settings module
calls it first. ``KANSENAUDIT_SYSTEM_SQLITE=1`` keeps the system library.
"""

from __future__ import annotations

import importlib
import sys

from kansenaudit import config


def use_current_sqlite() -> str:
    """Put ``pysqlite3`` in the place of ``sqlite3`` when it is installed; return the SQLite
    version in use (``sqlite3.sqlite_version``)."""
    if not config.env_bool("KANSENAUDIT_SYSTEM_SQLITE"):
        try:
            bundled = importlib.import_module("pysqlite3")
            dbapi2 = importlib.import_module("pysqlite3.dbapi2")
        except ImportError:
            pass
        else:
            sys.modules["sqlite3"] = bundled
            sys.modules["sqlite3.dbapi2"] = dbapi2
    return importlib.import_module("sqlite3").sqlite_version
