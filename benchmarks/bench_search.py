"""Benchmark: Dutch full-text search over 100,000 pages in one dossier.

Run with ``python -m benchmarks.bench_search``. Without ``DATABASE_URL`` it uses a throwaway
SQLite database in a temporary folder; with a ``postgres://`` URL it creates the throwaway
database ``kansenaudit_bench_search`` on that server and drops it afterwards (the database named
in the URL is only used to connect). Set ``BENCH_SEARCH_PAGES`` for a smaller run, and
``BENCH_SEARCH_KEEP=1`` to keep the SQLite database for inspection (its path is printed).
Each query runs ``BENCH_SEARCH_REPEATS`` times (3), in passes over all queries; a query's time is
the median of its runs, and the first pass is reported on its own as well.

The corpus: 2,000 documents of 50 pages, each page ~250 words of Dutch-looking text drawn from
a 20,000-word vocabulary with a Zipf distribution, Dutch stop words among the most frequent
words, sentences and punctuation, and the policy terms (gelijke kansen, kansengelijkheid,
onderwijsachterstanden, …) sprinkled in. Then ~200 varied queries (single words from rare to
common, two words, phrases, OR, prefixes, filters) through ``search()`` as the web page calls
it (20 hits with snippets); reported as p50/p95/max wall time per query.
"""

from __future__ import annotations

import os
import platform
import secrets
import shutil
import statistics
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit

import numpy as np

N_PAGES = int(os.environ.get("BENCH_SEARCH_PAGES", "100000"))
REPEATS = max(1, int(os.environ.get("BENCH_SEARCH_REPEATS", "3")))
PAGES_PER_DOCUMENT = 50
WORDS_PER_PAGE = 250
VOCABULARY = 20_000
BENCH_DB = "kansenaudit_bench_search"
SEED = 2019

POLICY_TERMS = [
    "gelijke kansen",
    "kansengelijkheid",
    "kansenongelijkheid",
    "onderwijsachterstanden",
    "achterstand",
    "achterstanden",
    "ongelijk investeren",
    "kansen",
    "kans",
    "segregatie",
    "vroegschoolse educatie",
    "armoede",
    "schoolkeuze",
    "leerlingen",
    "ouders",
    "kansrijk",
    "taalachterstand",
    "basisonderwijs",
    "brede brugklas",
    "gemengde scholen",
]
STOP = [
    "de",
    "en",
    "van",
    "het",
    "een",
    "in",
    "is",
    "dat",
    "op",
    "te",
    "voor",
    "met",
    "die",
    "niet",
    "aan",
    "er",
    "om",
    "ook",
    "als",
    "bij",
    "door",
    "naar",
    "dan",
    "of",
    "wordt",
    "zijn",
    "tot",
    "over",
    "uit",
    "nog",
    "meer",
    "worden",
    "deze",
    "hun",
    "kan",
]
ONSETS = [
    "b",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "z",
    "st",
    "sch",
    "br",
    "gr",
    "kl",
    "pr",
    "tr",
    "sp",
    "bl",
    "dr",
    "vr",
]
VOWELS = ["a", "e", "i", "o", "u", "aa", "ee", "oo", "uu", "ie", "oe", "ui", "ei", "ij", "eu", "ou"]
CODAS = ["", "n", "r", "l", "k", "t", "s", "m", "nd", "rk", "st", "ng", "ld", "rt", "cht"]
SUFFIXES = ["", "", "", "en", "ing", "heid", "lijk", "isch", "er", "te", "schap", "ig"]


def _vocabulary(rng: np.random.Generator) -> list[str]:
    words: list[str] = list(STOP)
    seen = set(words)
    while len(words) < VOCABULARY:
        syllables = rng.integers(1, 4)
        word = "".join(
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
        ) + rng.choice(SUFFIXES)
        if word not in seen and len(word) > 2:
            seen.add(word)
            words.append(word)
    return words


def _pages(rng: np.random.Generator, words: list[str], count: int) -> list[str]:
    ranks = np.arange(1, len(words) + 1)
    weights = 1 / (ranks + 2.7)  # Zipf–Mandelbrot: the stop words come first
    weights /= weights.sum()
    drawn = rng.choice(len(words), size=(count, WORDS_PER_PAGE), p=weights)
    vocabulary = np.array(words, dtype=object)
    pages = []
    for row in drawn:
        tokens = list(vocabulary[row])
        for _ in range(rng.poisson(1.5)):  # the policy terms, ~1.5 per page
            tokens.insert(int(rng.integers(0, len(tokens))), str(rng.choice(POLICY_TERMS)))
        for i in range(0, len(tokens), int(rng.integers(9, 20))):  # sentences
            tokens[i] = tokens[i].capitalize()
            if i:
                tokens[i - 1] += "."
        tokens[-1] += "."
        pages.append(" ".join(tokens))
    return pages


def _queries(rng: np.random.Generator, words: list[str], sample: list[str]) -> list[dict]:
    content = words[len(STOP) :]

    def word(low: int = 0, high: int = 15_000) -> str:
        # Log-uniform over the frequency ranks: from very common to rare words.
        rank = int(np.exp(rng.uniform(np.log(low + 1), np.log(high))))
        return content[min(rank, len(content) - 1)]

    def bigram() -> str:
        tokens = [t.strip(".").lower() for t in str(rng.choice(sample)).split()]
        i = int(rng.integers(0, len(tokens) - 1))
        return f'"{tokens[i]} {tokens[i + 1]}"'

    queries: list[dict] = []
    add = queries.append
    for term in POLICY_TERMS:
        add({"kind": "policy term", "q": term})
    for _ in range(40):
        add({"kind": "one word", "q": word()})
    for _ in range(30):
        add({"kind": "two words", "q": f"{word(0, 3000)} {word()}"})
    for _ in range(15):
        add({"kind": "phrase", "q": bigram()})
    for term in ["gelijke kansen", "ongelijk investeren", "vroegschoolse educatie"]:
        add({"kind": "phrase", "q": f'"{term}"'})
    for _ in range(20):
        add({"kind": "OR", "q": f"{word()} OR {word()}"})
    for _ in range(15):
        stem = word(100, 15_000)[:4]
        add({"kind": "prefix", "q": f"{stem}*"})
    for term in ["kans*", "achterst*", "onderwijs*"]:
        add({"kind": "prefix", "q": term})
    for _ in range(10):
        add({"kind": "NOT", "q": f"{rng.choice(POLICY_TERMS).split()[0]} -{word(0, 2000)}"})
    doc_types = ["beleidsnota", "raadsvoorstel", "begroting", "jaarverslag"]
    for i in range(40):
        filters: dict = {}
        if i % 4 == 0:
            filters["doc_types"] = [str(rng.choice(doc_types))]
        if i % 4 == 1:
            filters["years"] = range(int(rng.integers(2016, 2024)), 2025)
        if i % 4 == 2:
            filters["issuers"] = ["raad"]
        if i % 4 == 3:
            filters["statuses"] = ["vastgesteld"]
            filters["years"] = [2019, 2021, 2023]
        q = str(rng.choice(POLICY_TERMS)) if i % 2 else word()
        add({"kind": "with filters", "q": q, "filters": filters})
    return queries


def _database() -> tuple[str, str | None]:
    """The DATABASE_URL to use, and the server URL to drop the throwaway database with."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        server = urlunsplit(parts._replace(scheme="postgresql"))
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
        return urlunsplit(parts._replace(path=f"/{BENCH_DB}")), server
    return "", None


def _drop(server: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
        f"max {ordered[-1] * 1000:.1f} ms"
    )


def run() -> list[str]:
    folder = tempfile.mkdtemp(prefix="kansenaudit-bench-search-")
    url, server = _database()
    os.environ["KANSENAUDIT_DATA_DIR"] = folder
    os.environ["DATABASE_URL"] = url or f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("KANSENAUDIT_SECRET_KEY", secrets.token_urlsafe(50))
    keep = os.environ.get("BENCH_SEARCH_KEEP") == "1" and not server
    try:
        return _run()
    finally:
        from django.db import connections

        connections.close_all()
        if server:
            _drop(server)
        if keep:
            print(f"kept for inspection: {os.environ['DATABASE_URL']}", flush=True)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _run() -> list[str]:
    from kansenaudit.cli.runtime import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from kansenaudit.web.dossiers.services import dossier_create
    from kansenaudit.web.evidence import search
    from kansenaudit.web.evidence.models import Document, Page

    rng = np.random.default_rng(SEED)
    words = _vocabulary(rng)
    dossier = dossier_create(title="Benchmark", municipality_code="GM0363")
    n_documents = max(1, N_PAGES // PAGES_PER_DOCUMENT)
    types = ["beleidsnota", "raadsvoorstel", "begroting", "jaarverslag", "raadsbrief", "motie"]
    issuers = ["college", "raad", "directie", "partner"]
    statuses = ["concept", "vastgesteld", "onbekend"]
    documents = Document.objects.bulk_create(
        [
            Document(
                dossier=dossier,
                title=f"Document {i}",
                date=f"{2015 + i % 10}-{1 + i % 12:02d}-15",
                doc_type=types[i % len(types)],
                issuer=issuers[i % len(issuers)],
                status=statuses[i % len(statuses)],
                file_name=f"document-{i}.pdf",
                file_format="pdf",
                size=1,
                sha256=f"{i:064d}",
                page_count=PAGES_PER_DOCUMENT,
            )
            for i in range(n_documents)
        ]
    )
    print(f"{connection.vendor}: generating and storing {N_PAGES:,} pages …", flush=True)
    started = time.perf_counter()
    sample: list[str] = []
    batch_size = 5000
    for start in range(0, N_PAGES, batch_size):
        texts = _pages(rng, words, min(batch_size, N_PAGES - start))
        sample.extend(texts[:2])
        with transaction.atomic():
            pages = Page.objects.bulk_create(
                [
                    Page(
                        document=documents[(start + i) // PAGES_PER_DOCUMENT],
                        number=(start + i) % PAGES_PER_DOCUMENT + 1,
                        text=text,
                        text_sha256="",
                    )
                    for i, text in enumerate(texts)
                ],
                batch_size=1000,
            )
            search.index_pages(pages)
        done = start + len(texts)
        print(f"  {done:,} pages, {time.perf_counter() - started:.0f} s", flush=True)
    load_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What autovacuum would do after a big import; without statistics on the documents
            # the planner may walk the dossier's pages instead of using the index.
            cursor.execute("VACUUM ANALYZE evidence_page")
            cursor.execute("ANALYZE")
            from kansenaudit.web.evidence.search_index_pg import GIN_INDEX, RUM_INDEX

            kind, name = (
                ("RUM", RUM_INDEX) if search.has_rum_index(connection) else ("GIN", GIN_INDEX)
            )
            cursor.execute(
                "SELECT pg_size_pretty(pg_relation_size(%s)), "
                "pg_size_pretty(pg_total_relation_size('evidence_page'))",
                [name],
            )
            size = "{} index {}, pages with vectors {}".format(kind, *cursor.fetchone())
        else:
            cursor.execute("INSERT INTO evidence_page_fts(evidence_page_fts) VALUES('optimize')")
            cursor.execute("ANALYZE")
            # dbstat is not compiled into every SQLite (pysqlite3-binary lacks it): the FTS5
            # index is the blobs of its _data table, its copy of the text the _content table.
            cursor.execute(
                "SELECT (SELECT sum(length(block)) FROM evidence_page_fts_data), "
                "(SELECT sum(length(c2)) FROM evidence_page_fts_content)"
            )
            index_bytes, text_bytes = cursor.fetchone()
            size = (
                f"FTS5 index {index_bytes / 2**20:.0f} MiB, its text {text_bytes / 2**20:.0f} MiB"
            )

    queries = _queries(rng, words, sample)
    for query in queries[:10]:  # warm the caches and the connection
        search.search(dossier, query["q"], **query.get("filters", {}))
    # Every query REPEATS times, in passes over all queries (so a slow spell of this shared
    # machine hits one pass, not one query); a query's time is the median of its runs. The
    # first pass alone is reported too.
    runs: list[list[float]] = [[] for _ in queries]
    for _ in range(REPEATS):
        for index, query in enumerate(queries):
            begin = time.perf_counter()
            search.search(dossier, query["q"], **query.get("filters", {}))
            runs[index].append(time.perf_counter() - begin)
    everything = [statistics.median(times) for times in runs]
    first_pass = [times[0] for times in runs]
    timings: dict[str, list[float]] = {}
    for query, elapsed in zip(queries, everything, strict=True):
        timings.setdefault(query["kind"], []).append(elapsed)
    # The pages each query matches, counted without the cap (untimed): time follows this number.
    cap, search.COUNT_CAP = search.COUNT_CAP, N_PAGES
    totals = [search.search(dossier, q["q"], **q.get("filters", {})).total for q in queries]
    search.COUNT_CAP = cap

    begin = time.perf_counter()
    usage = search.term_usage(dossier, ["ongelijk investeren", "vroegschoolse educatie"])
    usage_s = time.perf_counter() - begin

    engine = connection.vendor
    if engine == "sqlite":
        engine += f" {connection.Database.sqlite_version}"
    lines = [
        f"engine: {engine}; {N_PAGES:,} pages × ~{WORDS_PER_PAGE} words in "
        f"{n_documents:,} documents, one dossier; {size}",
        f"storing + indexing: {load_s:.0f} s ({N_PAGES / load_s:,.0f} pages/s)",
        f"{len(queries)} queries, 20 hits with snippets each, median of {REPEATS} runs: "
        f"{_percentiles(everything)}; "
        f"median hits per query {statistics.median(totals):,.0f}, max {max(totals):,}",
        f"  the first run of each query alone: {_percentiles(first_pass)}",
    ]
    for kind, samples in timings.items():
        lines.append(f"  {kind} ({len(samples)}): {_percentiles(samples)}")
    # Ranking reads every match (in the index with RUM, from the pages with GIN).
    for low, high in [(0, 1000), (1000, 10_000), (10_000, 30_000), (30_000, N_PAGES + 1)]:
        samples = [t for t, n in zip(everything, totals, strict=True) if low <= n < high]
        if samples:
            lines.append(f"  {low:,}–{high - 1:,} hits ({len(samples)}): {_percentiles(samples)}")
    lines.append(
        f"term_usage of 2 terms over the dossier: {usage_s:.2f} s "
        f"({sum(row['count'] for row in usage):,} occurrences)"
    )
    lines.append(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
