# SPDX-License-Identifier: EUPL-1.2
"""How often a bootstrap interval for the Gini between areas covers the true value.

A small simulation, run by ``python -m kansenaudit.stats.coverage`` (figures in
docs/methods/bootstrap.md): areas are drawn from a fixed "city" of many areas with lognormal
values and varied sizes; the Gini of the whole city is the truth; for each of many draws of n
areas, a 95 % bootstrap interval is computed from those n alone and checked for whether it
contains the truth. The share that does is the achieved coverage (nominal: 95 %).
"""

from __future__ import annotations

import sys

import numpy as np

from kansenaudit.stats.bootstrap import bootstrap_interval
from kansenaudit.stats.inequality import gini

__all__ = ["coverage"]


def coverage(
    n_areas: int,
    method: str,
    *,
    reps: int = 400,
    n_boot: int = 499,
    sigma: float = 0.35,
    seed: int = 1,
) -> float:
    """Achieved coverage of the ``method`` interval for the weighted Gini of ``n_areas`` areas.

    Examples
    --------
    >>> 0.5 < coverage(12, "percentile", reps=20, n_boot=99) <= 1.0
    True
    """
    rng = np.random.default_rng(seed)
    city_x = rng.lognormal(0.0, sigma, size=20_000)
    city_w = rng.integers(500, 20_000, size=20_000).astype(float)
    truth = gini(city_x, city_w)
    hits = done = 0
    for r in range(reps):
        pick = rng.choice(city_x.size, size=n_areas, replace=False)
        try:
            iv = bootstrap_interval(
                gini,
                city_x[pick],
                city_w[pick],
                n_boot=n_boot,
                seed=r,
                method=method,  # type: ignore[arg-type]
            )
        except ValueError:
            continue
        done += 1
        hits += int(iv.low <= truth <= iv.high)
    return hits / done if done else float("nan")


def main() -> None:  # pragma: no cover - prints the table for the methods page
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    print("| areas | percentile | BCa |")
    print("|---:|---:|---:|")
    for n in (6, 12, 22, 50):
        row = [coverage(n, m, reps=reps) for m in ("percentile", "bca")]
        print(f"| {n} | " + " | ".join(f"{100 * c:.1f} %" for c in row) + " |")


if __name__ == "__main__":  # pragma: no cover
    main()
