"""CLI cases of the coding commands (merged by test_every_command.py)."""

from tests.cli.test_every_command import Case


def cases(w: dict) -> dict[str, Case]:
    d, tmp = str(w["dossier"]), w["tmp"]
    return {
        "fieldwork agreement": Case(
            ("fieldwork", "agreement", "--dossier", d, "--n-boot", "20", "--unitised", "--json"),
            expect='"per_code"',
        ),
        "fieldwork export-segments": Case(
            (
                "fieldwork",
                "export-segments",
                "--dossier",
                d,
                "--out",
                str(tmp / "segmenten.xlsx"),
                "--json",
            ),
            expect="segmenten.xlsx",
        ),
        "fieldwork export-qdpx": Case(
            (
                "fieldwork",
                "export-qdpx",
                "--dossier",
                d,
                "--out",
                str(tmp / "codering.qdpx"),
                "--json",
            ),
            expect="codering.qdpx",
        ),
        "fieldwork export-qdc": Case(
            (
                "fieldwork",
                "export-qdc",
                "--dossier",
                d,
                "--out",
                str(tmp / "codeboek.qdc"),
                "--json",
            ),
            expect="codeboek.qdc",
        ),
        "fieldwork mirror": Case(
            (
                "fieldwork",
                "mirror",
                "--dossier",
                d,
                "--start",
                "--out",
                str(tmp / "spiegel.xlsx"),
                "--json",
            ),
            expect="spiegel.xlsx",
        ),
        # Phase 2: re-import the files phase 1 wrote; nothing is new.
        "fieldwork import-qdpx": Case(
            ("fieldwork", "import-qdpx", "--dossier", d, str(tmp / "codering.qdpx"), "--json"),
            expect='"created": 0',
            phase=2,
        ),
        "fieldwork import-qdc": Case(
            ("fieldwork", "import-qdc", "--dossier", d, str(tmp / "codeboek.qdc"), "--json"),
            expect='"created": 0',
            phase=2,
        ),
    }
