"""Load benchmark: logged-in users clicking through the main pages of the demo dossier.

Starts the demo server the way the browser tests do (``python -m kansenaudit.cli serve --demo``,
gunicorn) on a throwaway data folder and the database in ``DATABASE_URL`` (PostgreSQL is what
the figures in docs/benchmarks.md are for), logs in ``--users`` people spread over the four demo
roles, and lets each of them open a random main page, wait a moment, and open the next, for
``--duration`` seconds. Prints per page the number of requests, median, p95 and maximum time
and the errors, as a Markdown table. Run: ``python -m benchmarks.bench_load --duration 600``.

A load generator of our own rather than locust: twenty users on threads with httpx (already a
dependency) are plenty for a benchmark that must stay small on a shared 2-core machine, and
locust would bring gevent, Flask and its monkey-patching into the development environment for a
page of code. Bounded on purpose: loopback addresses only, at most 50 users and 30 minutes.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

ROLES = ("projectleider", "onderzoeker", "reviewer", "meelezer")
PASSWORD_ENV = "KANSENAUDIT_BENCH_PASSWORD"  # noqa: S105 - the name of a variable
MAX_USERS = 50
MAX_DURATION_S = 30 * 60
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TAB_NAV = re.compile(r'<nav class="ka-tabs".*?</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DOSSIER = re.compile(r'href="(/dossiers/\d+/)"')


@dataclass
class Results:
    """Response times per page, shared by the user threads."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[page].append(seconds)
            if error:
                self.errors[page].append(error)


def page_name(path: str) -> str:
    """The page a path is, with the dossier number taken out (``/dossiers/N/team/``)."""
    return re.sub(r"/\d+/", "/N/", path)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def demo_server(workers: int) -> Iterator[str]:
    """The demo behind gunicorn on a free loopback port, as tests/conftest.py's ``server``."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KANSENAUDIT_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["KANSENAUDIT_DATA_DIR"] = tempfile.mkdtemp(prefix="kansenaudit-load-")
    env["KANSENAUDIT_DEMO"] = "1"
    log = open(os.path.join(env["KANSENAUDIT_DATA_DIR"], "server.log"), "w")  # noqa: SIM115
    command = [sys.executable, "-m", "kansenaudit.cli", "serve", "--demo"]
    command += ["--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"{url}/health/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                with open(log.name) as f:
                    raise SystemExit("server did not start:\n" + f.read()[-3000:])
            time.sleep(0.5)
        print(f"server: {url}, {workers} gunicorn worker(s), log {log.name}", flush=True)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()


def login(client: httpx.Client, username: str, password: str) -> list[str]:
    """Log in and return the main pages this user sees: the dossier list and the tabs."""
    form = client.get("/accounts/inloggen/")
    token = CSRF.search(form.text)
    if form.status_code != 200 or not token:
        raise RuntimeError(f"login page: HTTP {form.status_code}")
    data = {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    response = client.post("/accounts/inloggen/", data=data, follow_redirects=True)
    dossier = DOSSIER.search(response.text)
    if response.status_code != 200 or not dossier:
        raise RuntimeError(f"login as {username} failed: HTTP {response.status_code}")
    overview = client.get(dossier.group(1))
    nav = TAB_NAV.search(overview.text)
    if not nav:
        raise RuntimeError(f"no dossier tabs for {username}")
    tabs = [urllib.parse.urlsplit(h).path for h in HREF.findall(nav.group(0))]
    return ["/", *dict.fromkeys(tabs)]


def user(
    url: str,
    username: str,
    password: str,
    results: Results,
    go: threading.Barrier,
    stop: threading.Event,
    think: float,
) -> None:
    """One person: logs in, waits until everyone has, then clicks until told to stop."""
    rng = random.Random(username + str(threading.get_ident()))  # noqa: S311 - not security
    # gunicorn closes an idle kept-alive connection after 2 s; a browser retries a request that
    # meets such a closing connection, httpx does not, so idle connections are dropped sooner.
    limits = httpx.Limits(keepalive_expiry=1.0)
    with httpx.Client(base_url=url, timeout=30, limits=limits) as client:
        pages = login(client, username, password)
        go.wait()
        # Spread the first clicks, as people do not all click in the same second.
        stop.wait(rng.uniform(0, think))
        while not stop.is_set():
            path = rng.choice(pages)
            start = time.perf_counter()
            error = None
            try:
                response = client.get(path)
                if response.status_code != 200:
                    error = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__} {exc}"
            results.add(page_name(path), time.perf_counter() - start, error)
            stop.wait(rng.uniform(0.5 * think, 1.5 * think))


def warm_up(url: str, password: str) -> dict[str, float]:
    """Open every main page once as the project leader; return the first-request times."""
    first = {}
    with httpx.Client(base_url=url, timeout=120) as client:
        for path in login(client, ROLES[0], password):
            start = time.perf_counter()
            client.get(path)
            first[page_name(path)] = time.perf_counter() - start
    return first


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(url: str, users: int, duration: float, think: float, password: str) -> None:
    first = warm_up(url, password)
    results = Results()
    stop = threading.Event()
    # Logging in costs a deliberately slow password hash: all users log in before the clock runs.
    go = threading.Barrier(users + 1, timeout=600)
    loads: list[float] = []
    threads = [
        threading.Thread(
            target=user,
            args=(url, ROLES[i % len(ROLES)], password, results, go, stop, think),
            daemon=True,
        )
        for i in range(users)
    ]
    for thread in threads:
        thread.start()
    go.wait()
    start = time.monotonic()
    while time.monotonic() - start < duration:
        time.sleep(min(10.0, duration))
        loads.append(os.getloadavg()[0])
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.monotonic() - start
    report(results, first, users=users, elapsed=elapsed, think=think, loads=loads)


def report(
    results: Results,
    first: dict[str, float],
    *,
    users: int,
    elapsed: float,
    think: float,
    loads: list[float],
) -> None:
    total = sum(len(v) for v in results.times.values())
    errors = sum(len(v) for v in results.errors.values())
    print(
        f"\n{users} users, {elapsed:.0f} s, think time {think:.1f} s on average: {total} requests "
        f"({total / elapsed:.1f}/s), {errors} errors; load average (1 min) during the run "
        f"mean {statistics.mean(loads):.1f}, max {max(loads):.1f}\n"
    )
    print("| page | requests | median ms | p95 ms | max ms | errors | first request ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for page in sorted(results.times, key=lambda p: -p95(results.times[p])):
        times = results.times[page]
        print(
            f"| `{page}` | {len(times)} | {statistics.median(times) * 1000:.0f} | "
            f"{p95(times) * 1000:.0f} | {max(times) * 1000:.0f} | "
            f"{len(results.errors.get(page, []))} | {first.get(page, 0) * 1000:.0f} |"
        )
    everything = [t for v in results.times.values() for t in v]
    print(
        f"\nall pages: median {statistics.median(everything) * 1000:.0f} ms, "
        f"p95 {p95(everything) * 1000:.0f} ms"
    )
    for page, messages in results.errors.items():
        print(f"errors on {page}: {sorted(set(messages))}")


def pages_in_process(repeat: int) -> None:
    """Per main page, in this process (Django's test client, no gunicorn): the queries and the
    median CPU time of this process, which other work on the machine hardly moves, and the
    median wall time, which it does. Uses the demo in the database of ``DATABASE_URL``."""
    os.environ.setdefault("KANSENAUDIT_DATA_DIR", tempfile.mkdtemp(prefix="kansenaudit-load-"))
    os.environ["KANSENAUDIT_DEMO"] = "1"
    from kansenaudit.cli.runtime import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kansenaudit.web.accounts.models import User
    from kansenaudit.web.demo.services import demo_load

    call_command("migrate", verbosity=0)
    demo_load()
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(username=ROLES[0]))
    overview = client.get("/").content.decode()
    dossier = DOSSIER.search(overview)
    nav = TAB_NAV.search(client.get(dossier.group(1)).content.decode()) if dossier else None
    if nav is None:
        raise SystemExit("the demo dossier was not found")
    paths = ["/", *dict.fromkeys(urllib.parse.urlsplit(h).path for h in HREF.findall(nav[0]))]
    print("| page | queries | CPU ms (median) | wall ms (median) |")
    print("|---|---:|---:|---:|")
    for path in paths:
        client.get(path)  # the first request fills caches; measured apart by the load run
        cpu, wall = [], []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                start_cpu, start = time.process_time(), time.perf_counter()
                response = client.get(path)
                cpu.append(time.process_time() - start_cpu)
                wall.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
        print(
            f"| `{page_name(path)}` | {len(queries.captured_queries)} | "
            f"{statistics.median(cpu) * 1000:.0f} | {statistics.median(wall) * 1000:.0f} |"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=600, help="seconds of measurement")
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between clicks")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--url", help="a running demo server on this machine instead")
    parser.add_argument(
        "--pages",
        type=int,
        metavar="N",
        help="no load: open each main page N times in this process; print queries and CPU time",
    )
    args = parser.parse_args(argv)
    if args.pages:
        pages_in_process(args.pages)
        return
    if not 1 <= args.users <= MAX_USERS or not 0 < args.duration <= MAX_DURATION_S:
        raise SystemExit(f"at most {MAX_USERS} users and {MAX_DURATION_S} s")
    from kansenaudit.web.demo.content import DEMO_PASSWORD

    password = os.environ.get(PASSWORD_ENV, DEMO_PASSWORD)
    if args.url:
        if urllib.parse.urlsplit(args.url).hostname not in LOOPBACK:
            raise SystemExit("only a server on this machine (loopback) may be loaded")
        run(args.url.rstrip("/"), args.users, args.duration, args.think, password)
        return
    with demo_server(args.workers) as url:
        run(url, args.users, args.duration, args.think, password)


if __name__ == "__main__":
    main()
