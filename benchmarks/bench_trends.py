"""Benchmark: linear trends and projections for every buurt × indicator series at once.

Run with ``python -m benchmarks.bench_trends``. The size is the worst case the design names:
17,000 buurten × 100 indicators × 15 years (1.7 million series, 25.5 million cells, ~10 %
missing). Reports wall time (``time.perf_counter``) and the peak of memory allocated during each
call (``tracemalloc``, which numpy reports its arrays to), plus the process's peak resident size.
"""

from __future__ import annotations

import platform
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

N_AREAS = 17_000
N_INDICATORS = 100
YEARS = np.arange(2010, 2025)
HORIZON = 6  # 2025–2030
NAN_SHARE = 0.10


def _measure(call: Callable[[], object]) -> tuple[float, float, object]:
    """Seconds and peak MiB allocated during one call, and its result."""
    tracemalloc.start()
    start = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, result


def _data() -> np.ndarray:
    rng = np.random.default_rng(2019)
    shape = (N_AREAS, N_INDICATORS, YEARS.size)
    level = rng.uniform(5, 80, size=(N_AREAS, N_INDICATORS, 1))
    slope = rng.normal(0, 0.4, size=(N_AREAS, N_INDICATORS, 1))
    values = level + slope * (YEARS - YEARS[0]) + rng.normal(0, 2, size=shape)
    np.clip(values, 0, 100, out=values)  # shares in percent
    values[rng.random(shape) < NAN_SHARE] = np.nan
    return values


def run() -> list[str]:
    """Time linear_trend and project_linear on the full-size data; return result lines."""
    from scipy import stats

    from kansenaudit.stats.projection import project_linear
    from kansenaudit.stats.trends import linear_trend

    values = _data()
    # Same answers first: a fast wrong number is no use.
    sample = values[:3, :3].reshape(-1, YEARS.size)
    check = linear_trend(YEARS, sample)
    for i, row in enumerate(sample):
        keep = np.isfinite(row)
        ref = stats.linregress(YEARS[keep], row[keep])
        assert abs(check.slope[i] - ref.slope) < 1e-9 * max(1.0, abs(ref.slope))
        assert abs(check.p_value[i] - ref.pvalue) < 1e-7

    trend_s, trend_mb, trend = _measure(lambda: linear_trend(YEARS, values))
    proj_s, proj_mb, proj = _measure(lambda: project_linear(YEARS, values, HORIZON))
    n_series = N_AREAS * N_INDICATORS
    valid = int(np.isfinite(trend.slope).sum())  # type: ignore[attr-defined]
    clipped = int(proj.clipped.sum())  # type: ignore[attr-defined]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mb = rss / 2**20 if sys.platform == "darwin" else rss / 1024
    return [
        f"data: {N_AREAS:,} areas × {N_INDICATORS} indicators × {YEARS.size} years "
        f"= {n_series:,} series, {values.size:,} cells ({values.nbytes / 2**20:.0f} MiB), "
        f"{np.isnan(values).mean():.1%} missing",
        f"linear_trend: {trend_s:.2f} s, peak {trend_mb:.0f} MiB allocated during the call "
        f"({valid:,} series with a trend)",
        f"project_linear ({HORIZON} years ahead): {proj_s:.2f} s, peak {proj_mb:.0f} MiB "
        f"allocated during the call ({clipped:,} projected values clipped for display)",
        f"process peak resident memory: {rss_mb:.0f} MiB",
        f"machine: {platform.machine()}, Python {platform.python_version()}, "
        f"numpy {np.__version__}",
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
