"""Fixtures of the security tests: the gunicorn application `kansenaudit serve` would run."""

from __future__ import annotations

import pytest


@pytest.fixture
def gunicorn_app(monkeypatch, tmp_path):
    """The configured gunicorn application of `kansenaudit serve`, stopped before it runs."""
    from gunicorn.app.base import BaseApplication

    from kansenaudit.cli import server

    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))
    captured = {}
    monkeypatch.setattr(BaseApplication, "run", lambda self: captured.setdefault("app", self))
    server._run_gunicorn(host="127.0.0.1", port=8123, workers=1)
    return captured["app"]
