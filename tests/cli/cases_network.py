"""The network commands in tests/cli/test_every_command.py (run against the loaded demo)."""

from __future__ import annotations

import sqlite3

from tests.cli.test_every_command import Case


def _measure_id(w: dict, name: str) -> str:
    database = w["tmp"] / "data" / "kansenaudit.sqlite3"
    with sqlite3.connect(database) as db:
        (measure,) = db.execute(
            "SELECT id FROM policy_measure WHERE dossier_id = ? AND name = ?", (w["dossier"], name)
        ).fetchone()
    return str(measure)


def cases(w: dict) -> dict[str, Case]:
    d, tmp = str(w["dossier"]), w["tmp"]
    smw = _measure_id(w, "Schoolmaatschappelijk werk")
    edges = tmp / "netwerk-relaties.csv"
    edges.write_text(
        "From;To;Type;Start\nDirectie Wonen;Directie Onderwijs;kennis;2024\n", encoding="utf-8"
    )
    return {
        "network import": Case(
            ("network", "import", str(edges), "--dossier", d, "--version", "2026", "--json"),
            expect='"ties": 1',
        ),
        "network export": Case(
            (
                "network",
                "export",
                "--dossier",
                d,
                "--measure",
                smw,
                "--out",
                str(tmp / "smw.gexf"),
                "--json",
            ),
            expect='"format": "gexf"',
        ),
        "network metrics": Case(
            ("network", "metrics", "--dossier", d, "--json"), expect='"density"'
        ),
        # The demo's story: a school board gets money without accounting for it (NW1).
        "network checks": Case(
            ("network", "checks", "--dossier", d, "--measure", smw, "--json"), expect="NW1"
        ),
    }
