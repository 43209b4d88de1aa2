"""Benchmarks of the foundation, run by `make bench`; figures go into docs/benchmarks.md.

Measures what a user waits for: generating the demo city, loading it into the database, and
rendering the pages auditors open most. Uses a throwaway SQLite database (or DATABASE_URL).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    folder = tempfile.mkdtemp(prefix="kansenaudit-bench-")
    os.environ.setdefault("KANSENAUDIT_DATA_DIR", folder)
    os.environ["KANSENAUDIT_DEMO"] = "1"
    from kansenaudit.cli.runtime import setup_django
    from kansenaudit.demo.city import generate_demo_city

    median, _ = _time(generate_demo_city, 5)
    print(f"generate_demo_city: median {median * 1000:.0f} ms")

    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from kansenaudit.web.demo.services import demo_load

    start = time.perf_counter()
    result = demo_load()
    print(
        f"demo_load: {time.perf_counter() - start:.2f} s "
        f"({result.values} values, {result.areas} areas)"
    )

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="projectleider"))
    pages = {
        "dossier list": "/",
        "dossier overview": f"/dossiers/{result.dossier_id}/",
        "audit log": f"/dossiers/{result.dossier_id}/logboek/",
        "area map (90 buurten)": "/gebieden/?niveau=buurt&indicator=low_income_households_pct",
    }
    for label, url in pages.items():
        assert client.get(url).status_code == 200, url
        median, p95 = _time(lambda url=url: client.get(url), 30)
        print(f"GET {label}: median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")


def statistics_engine() -> None:
    """The statistics engine and the state-of-opportunity run (no database needed)."""
    from benchmarks import bench_inequality, bench_staat, bench_trends

    for module in (bench_inequality, bench_trends, bench_staat):
        for line in module.run():
            print(line)


if __name__ == "__main__":
    main()
    statistics_engine()
