"""Benchmark: the whole state-of-opportunity run, on the real BBGA files and at national scale.

Run with ``python -m benchmarks.bench_staat``.

1. *Real files*: pull the Amsterdam sources from the shared data folder (as a mirror), read
   them, compute every number for all catalogue indicators, all years and both BBGA levels with
   499 bootstrap replicates, and write the HTML report, the tables and ``numbers.json``.
2. *National scale* (synthetic): about 17,000 buurten in 340 municipalities × 15 years × 100
   indicators (25.5 million buurt values). The engine runs in batches of ten indicators, as a
   national run would, writing each batch's tables to disk, so memory stays bounded by a
   batch. Intervals by bootstrap are switched off here (``n_boot=0``): 499 resamples of 17,000
   areas for 3,000 indicator-years is a job for a night, not for a benchmark; the real-data run
   above measures the bootstrap.
Peak memory is the process's maximum resident set size (``resource.getrusage``).
"""

from __future__ import annotations

import itertools
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

BUURTEN = 17_000
MUNICIPALITIES = 340
YEARS = tuple(range(2011, 2026))
INDICATORS = 100
BATCH = 5


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_real() -> list[str]:
    from kansenaudit.config import test_data_dir
    from kansenaudit.data.pull import pull
    from kansenaudit.staat.compute import compute_state
    from kansenaudit.staat.inputs_city import inputs_from_sources
    from kansenaudit.staat.model import StaatParameters
    from kansenaudit.staat.report import write_report

    mirror = test_data_dir()
    if mirror is None:
        return ["staat (real BBGA): skipped, no KANSENAUDIT_TEST_DATA"]
    lines = []
    for attempt in range(3):
        with tempfile.TemporaryDirectory() as folder:
            start, cpu = time.perf_counter(), [time.process_time()]
            pulled = pull("amsterdam", cache_dir=Path(folder), mirror=mirror)
            t_pull = time.perf_counter()
            cpu.append(time.process_time())
            inputs = inputs_from_sources(pulled.files)
            t_read = time.perf_counter()
            cpu.append(time.process_time())
            result = compute_state(inputs, StaatParameters(n_boot=499))
            t_compute = time.perf_counter()
            cpu.append(time.process_time())
            written = write_report(result, Path(folder) / "out")
            end = time.perf_counter()
            cpu.append(time.process_time())
        if attempt == 2:
            # CPU time too: on a shared machine the wall clock mostly measures the neighbours.
            steps = [later - earlier for earlier, later in itertools.pairwise(cpu)]
            lines.append(
                f"staat (real BBGA + CBS, 499 bootstrap): total {end - start:.2f} s = pull "
                f"{t_pull - start:.2f} + read {t_read - t_pull:.2f} + compute "
                f"{t_compute - t_read:.2f} + write {end - t_compute:.2f}; CPU "
                f"{cpu[-1] - cpu[0]:.2f} s = " + " + ".join(f"{step:.2f}" for step in steps) + "; "
                f"{written['number_count']} numbers, {inputs.values.height} values"
            )
    return lines


def _national_batch(first: int, rng: np.random.Generator) -> tuple[pl.DataFrame, dict]:
    """Tidy values for indicators first..first+BATCH-1 at buurt, gemeente and land level."""
    from kansenaudit.staat.model import AreaInfo

    buurt_codes = np.array([f"BU{i:08d}" for i in range(BUURTEN)])
    gemeente_of = rng.integers(0, MUNICIPALITIES, BUURTEN)
    gemeente_codes = np.array([f"GM{i:04d}" for i in range(MUNICIPALITIES)])
    population = rng.integers(50, 5000, BUURTEN).astype(float)
    frames = []
    for k in range(first, first + BATCH):
        level = rng.normal(30, 8) + rng.normal(0, 6, BUURTEN)[:, None]
        trend = rng.normal(0, 0.2, BUURTEN)[:, None] * np.arange(len(YEARS))[None, :]
        share = np.clip(level + trend + rng.normal(0, 2, (BUURTEN, len(YEARS))), 0.5, 99.5)
        denominators = np.broadcast_to((population[:, None] * 0.6).round(), share.shape)
        numerators = (share / 100 * denominators).round()
        values = np.where(numerators > 0, numerators / np.maximum(denominators, 1) * 100, 0.5)
        missing = rng.random(values.shape) < 0.1
        values[missing] = np.nan
        key = f"ind{k:03d}"
        buurt = pl.DataFrame(
            {
                "indicator": key,
                "area_code": np.repeat(buurt_codes, len(YEARS)),
                "area_level": "buurt",
                "period": np.tile(np.array(YEARS, dtype=np.int32), BUURTEN),
                "value": values.ravel(),
                "numerator": numerators.ravel(),
                "denominator": denominators.ravel(),
                "gemeente": np.repeat(gemeente_codes[gemeente_of], len(YEARS)),
            }
        )
        up = (
            buurt.group_by("gemeente", "period")
            .agg(pl.col("numerator").sum(), pl.col("denominator").sum())
            .rename({"gemeente": "area_code"})
            .with_columns(pl.lit("stadsdeel").alias("area_level"))
        )
        land = (
            buurt.group_by("period")
            .agg(pl.col("numerator").sum(), pl.col("denominator").sum())
            .with_columns(pl.lit("NL00").alias("area_code"), pl.lit("stad").alias("area_level"))
        )
        for part in (buurt.drop("gemeente"), up, land):
            frames.append(
                part.with_columns(
                    pl.lit(key).alias("indicator"),
                    (pl.col("numerator") / pl.col("denominator") * 100).alias("value")
                    if "value" not in part.columns
                    else pl.col("value"),
                )
            )
    pop = pl.DataFrame(
        {
            "indicator": "inwoners",
            "area_code": np.repeat(buurt_codes, len(YEARS)),
            "area_level": "buurt",
            "period": np.tile(np.array(YEARS, dtype=np.int32), BUURTEN),
            "value": np.repeat(population, len(YEARS)),
        }
    )
    frames.append(pop)
    table = pl.concat(frames, how="diagonal_relaxed").with_columns(
        pl.lit("totaal").alias("group"),
        pl.col("period").cast(pl.Int32),
        pl.lit(None, dtype=pl.Float64).alias("n"),
        pl.lit("synthetisch").alias("source"),
        pl.lit("bench").alias("release"),
        pl.lit("bench").alias("source_file"),
        pl.lit(None, dtype=pl.Int64).alias("row"),
        pl.lit(False).alias("is_prognosis"),
        pl.lit([], dtype=pl.List(pl.Utf8)).alias("flags"),
    )
    from kansenaudit.data.tidy import TIDY_SCHEMA

    table = table.select([pl.col(c).cast(t) for c, t in TIDY_SCHEMA.items()])
    areas = {
        code: AreaInfo(code=code, name=code, level="buurt", parent_code=gemeente_codes[g])
        for code, g in zip(buurt_codes, gemeente_of, strict=True)
    }
    areas.update(
        {g: AreaInfo(code=g, name=g, level="stadsdeel", parent_code="NL00") for g in gemeente_codes}
    )
    areas["NL00"] = AreaInfo(code="NL00", name="Nederland", level="stad")
    return table, areas


def _national_catalogue(first: int, count: int) -> tuple:
    from kansenaudit.data.catalogue import CatalogueIndicator, SourceVariable

    return (
        *(
            CatalogueIndicator(
                key=f"ind{k:03d}",
                name=f"indicator {k}",
                domain="werk",
                definition="synthetisch",
                unit="%",
                polarity=-1 if k % 2 else 1,
                kind="share",
                sources=(SourceVariable("demo", f"ind{k:03d}"),),
            )
            for k in range(first, first + count)
        ),
        CatalogueIndicator(
            key="inwoners",
            name="inwoners",
            domain="bevolking",
            definition="",
            unit="aantal",
            polarity=0,
            kind="count",
            sources=(SourceVariable("demo", "inwoners"),),
            min_n=0,
        ),
    )


def _national_run_batch(first: int, folder: str) -> tuple[int, float, float]:
    """Generate, compute and write one batch; return (values, generate s, peak MB)."""
    from kansenaudit.staat.compute import compute_state
    from kansenaudit.staat.model import StaatInputs, StaatParameters

    rng = np.random.default_rng(2019 + first)
    t0 = time.perf_counter()
    table, areas = _national_batch(first, rng)
    generate = time.perf_counter() - t0
    inputs = StaatInputs(
        city_code="NL00",
        city_name="Nederland",
        catalogue=_national_catalogue(first, BATCH),
        values=table,
        prognoses=table.clear(),
        areas=areas,
    )
    values = table.filter(
        (pl.col("area_level") == "buurt") & (pl.col("indicator") != "inwoners")
    ).height
    result = compute_state(inputs, StaatParameters(n_boot=0))
    for name, frame in result.tables().items():
        if not frame.is_empty():
            flat = frame.select([c for c, t in frame.schema.items() if not isinstance(t, pl.List)])
            flat.write_parquet(Path(folder) / f"{name}-{first:03d}.parquet")
    return values, generate, _peak_mb()


def run_national(workers: int = 2) -> list[str]:
    """Batches of indicators in ``workers`` processes (the machine has two cores)."""
    import multiprocessing

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        context = multiprocessing.get_context("spawn")
        with context.Pool(workers, maxtasksperchild=1) as pool:
            outcomes = pool.starmap(
                _national_run_batch, [(first, folder) for first in range(0, INDICATORS, BATCH)]
            )
    total = time.perf_counter() - start
    values = sum(o[0] for o in outcomes)
    generate = sum(o[1] for o in outcomes)
    peak = max(o[2] for o in outcomes)
    return [
        f"staat (national synthetic): {BUURTEN} buurten x {len(YEARS)} years x {INDICATORS} "
        f"indicators ({values:,} buurt values) in {workers} processes, batches of {BATCH} "
        f"indicators: {total:.1f} s (generating data: {generate:.1f} s of worker time), peak "
        f"memory per process {peak:.0f} MB (at most {workers * peak:.0f} MB together), "
        "no bootstrap"
    ]


def run_demo() -> list[str]:
    """The engine alone on the demo (compute_state, 499 bootstrap replicates), CPU seconds."""
    import scipy.stats  # noqa: F401 - imported first: its import is not the engine's time

    from kansenaudit.staat.compute import compute_state
    from kansenaudit.staat.inputs_demo import inputs_from_demo
    from kansenaudit.staat.model import StaatParameters

    inputs = inputs_from_demo()
    samples = []
    for _ in range(3):
        start = time.process_time()
        compute_state(inputs, StaatParameters())
        samples.append(time.process_time() - start)
    return [f"staat engine on the demo (499 bootstrap, BCa): {min(samples):.2f} s CPU (best of 3)"]


def run() -> list[str]:
    return run_demo() + run_real() + run_national()


if __name__ == "__main__":
    for line in run():
        print(line)
