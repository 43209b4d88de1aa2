"""Benchmark: a network map of 2,000 actors and 10,000 ties (issue 16's performance targets).

Run with ``python -m benchmarks.bench_network``; figures go into docs/network.md.

1. The graph layer alone (no database): metrics and audit checks (< 2 s), the SVG (< 5 s),
   GEXF and GraphML.
2. The same map in a throwaway SQLite database (or DATABASE_URL): reading it and computing
   metrics and checks as the page does, the SVG export, the JSON of the interactive map and the
   map page itself through Django's test client.
3. First render in Debian's Chromium: the app's own map.js and the vendored Cytoscape.js draw the
   JSON of step 2 in a page with the same container and controls, served locally; the time runs
   from navigation start until map.js marks the map ready (< 2 s): on a big map the actors
   are drawn first and the ties follow in batches, whose end is reported too.
Times are medians of a few repeats (``time.perf_counter``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

N_ACTORS = 2_000
N_TIES = 10_000
KINDS = ("directie", "programma", "partner", "stadsdeel", "doelgroep")
TIE_KINDS = ("money", "mandate", "accountability", "information", "knowledge", "collaboration")
STATIC = Path(__file__).resolve().parents[1] / "src/kansenaudit/web/network/static/network"
STYLES = Path(__file__).resolve().parents[1] / "src/kansenaudit/web/core/static/kansenaudit"


def _median(fn: Callable[[], object], repeat: int = 3) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _random_ties(rng: random.Random) -> list[tuple[int, int, str]]:
    ties = []
    while len(ties) < N_TIES:
        a, b = rng.randrange(N_ACTORS), rng.randrange(N_ACTORS)
        if a != b:
            ties.append((a, b, rng.choice(TIE_KINDS)))
    return ties


def bench_graph_layer() -> list[str]:
    from kansenaudit.network.checks import run_checks
    from kansenaudit.network.exchange import write_graphml
    from kansenaudit.network.gexf import write_gexf
    from kansenaudit.network.graph import NetworkData, NodeData, TieData
    from kansenaudit.network.metrics import compute_metrics
    from kansenaudit.network.svg import render_svg

    rng = random.Random(16)  # noqa: S311 - reproducible test data
    data = NetworkData(
        "benchmark",
        [
            NodeData(str(i), f"Actor {i}", rng.choice(KINDS), influence=rng.randrange(11))
            for i in range(N_ACTORS)
        ],
        [
            TieData(
                f"t{i}",
                str(a),
                str(b),
                kind,
                start=dt.date(2020 + i % 6, 1, 1),
                amount=Decimal(1000 + i) if kind == "money" else None,
            )
            for i, (a, b, kind) in enumerate(_random_ties(rng))
        ],
    )
    both = _median(lambda: (compute_metrics(data), run_checks(data)))
    return [
        f"graph layer, {N_ACTORS:,} actors and {N_TIES:,} ties (median of 3):",
        f"  metrics + checks          {both:6.2f} s   (target < 2 s)",
        f"  SVG                       {_median(lambda: render_svg(data)):6.2f} s   (target < 5 s)",
        f"  GEXF 1.3                  {_median(lambda: write_gexf(data)):6.2f} s",
        f"  GraphML                   {_median(lambda: write_graphml(data)):6.2f} s",
    ]


def _build_map():
    from django.contrib.auth import get_user_model

    from kansenaudit.web.dossiers import services as dossiers
    from kansenaudit.web.network import services
    from kansenaudit.web.network.models import MapActor, Tie
    from kansenaudit.web.policy.models import Actor

    user = get_user_model().objects.create_user(username="bench-network")
    dossier = dossiers.dossier_create(
        title="Benchmark netwerk", municipality_code="GM0363", creator=user
    )
    rng = random.Random(16)  # noqa: S311 - reproducible test data
    actors = Actor.objects.bulk_create(
        [Actor(dossier=dossier, name=f"Actor {i}", kind=rng.choice(KINDS)) for i in range(N_ACTORS)]
    )
    item = services.map_create(dossier=dossier, version="bench", with_actors=False, actor=None)
    MapActor.objects.bulk_create([MapActor(network_map=item, actor=a) for a in actors])
    Tie.objects.bulk_create(
        [
            Tie(
                network_map=item,
                source=actors[a],
                target=actors[b],
                kind=kind,
                start=dt.date(2020 + i % 6, 1, 1),
            )
            for i, (a, b, kind) in enumerate(_random_ties(rng))
        ],
        batch_size=1000,
    )
    return user, dossier, item


def bench_database() -> tuple[list[str], dict]:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from kansenaudit.web.network import exports, selectors

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    user, dossier, item = _build_map()
    client = Client()
    client.force_login(user)
    page = reverse("network:map", args=[dossier.pk, item.pk])
    payload: dict = {}

    def json_once() -> None:
        payload.update(
            selectors.map_json(
                item,
                user,
                {
                    "kinds": {},
                    "noEvidence": "",
                    "evidence": "",
                    "inherited": "",
                    "saved": "",
                    "notSaved": "",
                },
            )
        )

    status = client.get(page).status_code
    if status != 200:
        raise SystemExit(f"the map page answered {status}")
    analysis = _median(lambda: selectors.analysis(item))
    svg = _median(lambda: exports.export_map(item, "svg"))
    lines = [
        "the same map in the database (median of 3):",
        f"  read + metrics + checks   {analysis:6.2f} s   (target < 2 s)",
        f"  SVG export                {svg:6.2f} s   (target < 5 s)",
        f"  JSON of the map           {_median(json_once):6.2f} s",
        f"  map page (HTML)           {_median(lambda: client.get(page)):6.2f} s",
    ]
    return lines, payload


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return

    @classmethod
    def bind(cls, directory: str):  # type: ignore[no-untyped-def]
        return partial(cls, directory=directory)


def bench_chromium(payload: dict) -> list[str]:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-network-"))
    (folder / "kaart.json").write_text(json.dumps(payload))
    for name in ("map.js", "vendor/cytoscape.min.js"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes((STATIC / name).read_bytes())
    (folder / "network.css").write_bytes((STYLES / "network.css").read_bytes())
    kinds = "".join(f'<input type="checkbox" name="soort" value="{k}" checked>' for k in TIE_KINDS)
    (folder / "index.html").write_text(
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="network.css"></head><body>'
        f'<div id="kaart-bediening">{kinds}</div><select id="kaart-jaar"></select>'
        '<select id="kaart-actor"></select><select id="kaart-relatie"></select>'
        '<button id="kaart-in"></button><button id="kaart-uit"></button>'
        '<button id="kaart-passend"></button>'
        '<div id="netwerkkaart" class="ka-network-canvas" data-url="kaart.json"></div>'
        '<div id="kaart-details"></div>'
        '<script src="vendor/cytoscape.min.js" defer></script>'
        '<script src="map.js" defer></script></body></html>'
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _QuietHandler.bind(str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    samples: list[float] = []
    complete: list[float] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            for _ in range(3):
                page = browser.new_page(viewport={"width": 1366, "height": 900})
                page.goto(url)
                page.wait_for_selector("#netwerkkaart[data-ready=true]", timeout=60000)
                samples.append(int(page.get_attribute("#netwerkkaart", "data-ready-at")) / 1000)
                page.wait_for_selector("#netwerkkaart[data-complete=true]", timeout=120000)
                complete.append(int(page.get_attribute("#netwerkkaart", "data-complete-at")) / 1000)
                page.close()
            browser.close()
    finally:
        httpd.shutdown()
    return [
        f"  first render in Chromium  {statistics.median(samples):6.2f} s   (target < 2 s)",
        f"  all ties drawn            {statistics.median(complete):6.2f} s",
    ]


def main() -> None:
    for line in bench_graph_layer():
        print(line)
    os.environ.setdefault("KANSENAUDIT_DATA_DIR", tempfile.mkdtemp(prefix="kansenaudit-bench-"))
    os.environ["KANSENAUDIT_DEMO"] = "1"
    from kansenaudit.cli.runtime import setup_django

    setup_django()
    lines, payload = bench_database()
    for line in lines:
        print(line)
    for line in bench_chromium(payload):
        print(line)


if __name__ == "__main__":
    main()
