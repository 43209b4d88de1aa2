"""The failed look-ups of uitvraag links are limited per address, also under parallel
clients: each look-up takes a numbered place in one atomic UPDATE, so with a limit of 30 no
more than 30 invalid links are ever looked up, however many clients ask at once (before, the
cache counter read-then-wrote and let 85 of 96 through)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from kansenaudit.web.uitvraag.views import PUBLIC_FAILURES_MAX
from tests.security.limiter_race import CLIENTS, EACH, race

HERE = Path(__file__).resolve().parent


def _check(codes: dict[int, int]) -> None:
    assert PUBLIC_FAILURES_MAX == 30
    assert sum(codes.values()) == CLIENTS * EACH
    assert codes.get(404) == PUBLIC_FAILURES_MAX  # exactly the limit looked up, no more
    assert codes.get(429) == CLIENTS * EACH - PUBLIC_FAILURES_MAX


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite: see the next test")
@pytest.mark.django_db(transaction=True)
def test_parallel_clients_get_no_more_than_the_limit_through_on_postgresql():
    _check(race())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL: see the test before")
def test_parallel_clients_get_no_more_than_the_limit_through_on_sqlite(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KANSENAUDIT_") and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env["KANSENAUDIT_SECRET_KEY"] = "limiter-race-" + "0123456789abcdef" * 3
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    result = subprocess.run(
        [sys.executable, str(HERE / "limiter_race.py"), str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    _check({int(k): v for k, v in json.loads(result.stdout.splitlines()[-1]).items()})


@pytest.mark.django_db
def test_the_counter_counts_and_starts_again_after_its_window(monkeypatch):
    from kansenaudit.web.core import ratelimit

    assert [ratelimit.hit("k", 60) for _ in range(3)] == [1, 2, 3]
    ratelimit.forgive("k")
    assert ratelimit.hit("k", 60) == 3
    later = timezone.now() + dt.timedelta(seconds=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert ratelimit.hit("k", 60) == 1
    assert ratelimit.hit("other", 60) == 1
