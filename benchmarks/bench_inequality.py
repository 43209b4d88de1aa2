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
    return lines + run_decomposition(values)


def run_decomposition(values: np.ndarray) -> list[str]:
    """Theil between and within groups against PySAL's TheilD, integer and text labels.

    Nine groups (the stadsdelen of Amsterdam by name, or their numbers 0-8). Medians of three
    calls each, as process CPU time: TheilD takes seconds, and CPU time is what the shared
    machine's other load disturbs least.
    """
    from inequality.theil import TheilD

    from kansenaudit.stats.inequality import theil

    names = np.array(
        ["Centrum", "Westpoort", "West", "Nieuw-West", "Zuid", "Oost", "Noord", "Zuidoost",
         "Weesp"]
    )  # fmt: skip
    numbers = np.random.default_rng(7).integers(0, names.size, values.size)
    text = names[numbers]
    ours = theil(values, groups=text)
    theirs = TheilD(values, text)
    assert abs(ours.between - float(np.ravel(theirs.bg)[0])) < 1e-10

    def cpu(call: Callable[[], object]) -> float:
        call()
        samples = []
        for _ in range(3):
            start = time.process_time()
            call()
            samples.append(time.process_time() - start)
        return statistics.median(samples)

    lines = [f"Theil decomposition, {values.size:,} values in {names.size} groups (CPU time)"]
    for kind, labels in (("integer labels", numbers), ("text labels", text)):
        mine = cpu(lambda labels=labels: theil(values, groups=labels))
        pysal = cpu(lambda labels=labels: TheilD(values, labels))
        lines.append(
            f"  {kind:15s} kansenaudit {mine * 1000:7.1f} ms, PySAL TheilD {pysal * 1000:7.1f} ms"
            f" ({pysal / mine:.1f}x)"
        )
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
