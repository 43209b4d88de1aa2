"""CLI cases of the coding commands (merged by test_every_command.py)."""

from tests.cli.test_every_command import Case


def cases(w: dict) -> dict[str, Case]:
    d, tmp = str(w["dossier"]), w["tmp"]
    return {
        "fieldwork agreement": Case(
            ("fieldwork", "agreement", "--dossier", d, "--n-boot", "20", "--json"),
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
    }
