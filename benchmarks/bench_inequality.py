"""Benchmark: weighted Gini and Theil on a million values against PySAL's unweighted ones.

Run with ``python -m benchmarks.bench_inequality``. PySAL ``inequality`` has no weighted Gini or
Theil, so its unweighted versions on the same values are the yardstick: weighting must not make
ours slower than the reference without weights. Times are the median of a few repeats
(``time.perf_counter``); the calls are interleaved so that background load hits all alike.
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable

import numpy as np

N_VALUES = 1_000_000
REPEATS = 7


def _medians(calls: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for call in calls.values():  # warm-up: first-touch memory, BLAS threads, imports
        call()
    for _ in range(repeats):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def run() -> list[str]:
    """Time the measures and return printable result lines."""
    from inequality.gini import Gini
    from inequality.theil import Theil

    from kansenaudit.stats.inequality import gini, theil

    rng = np.random.default_rng(2016)
    values = rng.lognormal(mean=10.5, sigma=0.6, size=N_VALUES)
    weights = rng.uniform(100, 10_000, size=N_VALUES)

    # Same answers first: a fast wrong number is no use.
    assert abs(gini(values) - Gini(values).g) < 1e-12
    assert abs(theil(values) - float(Theil(values).T)) < 1e-10

    times = _medians(
        {
            "kansenaudit gini (weighted)": lambda: gini(values, weights),
            "PySAL Gini (unweighted)": lambda: Gini(values).g,
            "kansenaudit theil (weighted)": lambda: theil(values, weights),
            "PySAL Theil (unweighted)": lambda: Theil(values).T,
            "kansenaudit gini (unweighted)": lambda: gini(values),
            "kansenaudit theil (unweighted)": lambda: theil(values),
        },
        REPEATS,
    )
    lines = [
        f"inequality on {N_VALUES:,} lognormal values, median of {REPEATS} "
        f"(Python {platform.python_version()}, numpy {np.__version__})"
    ]
    lines += [f"  {name:32s} {seconds * 1000:8.1f} ms" for name, seconds in times.items()]
    for measure, ours, theirs in (
        ("gini", "kansenaudit gini (weighted)", "PySAL Gini (unweighted)"),
        ("theil", "kansenaudit theil (weighted)", "PySAL Theil (unweighted)"),
    ):
        ratio = times[ours] / times[theirs]
        lines.append(f"  {measure}: weighted / PySAL unweighted = {ratio:.2f}")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
