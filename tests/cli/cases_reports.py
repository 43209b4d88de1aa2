"""The `kansenaudit report …` rows of tests/cli/test_every_command.py (the demo has reports)."""

from tests.cli.test_every_command import Case


def cases(w: dict) -> dict[str, Case]:
    d = str(w["dossier"])
    out = w["tmp"] / "rapport"
    bundle = w["tmp"] / "publicatie.zip"
    return {
        # 2 is the bestuurlijk rapport; its version 2 is frozen for publication.
        "report bundle": Case(
            (
                "report",
                "bundle",
                "--dossier",
                d,
                "--report",
                "2",
                "--version",
                "2",
                "--out",
                str(bundle),
                "--json",
            ),
            expect='"version": 2',
        ),
        "report list": Case(
            ("report", "list", "--dossier", d, "--json"), expect="nota_van_bevindingen"
        ),
        # The demo's reports are made in order: 1 is the nota van bevindingen (a draft: one of its
        # findings was reopened by the wederhoor), 2 the bestuurlijk rapport (published).
        "report check": Case(
            ("report", "check", "--dossier", d, "--report", "2", "--json"), expect='"problems": []'
        ),
        "report build": Case(
            (
                "report",
                "build",
                "--dossier",
                d,
                "--report",
                "1",
                "--out",
                str(out),
                "--format",
                "html,docx",
                "--json",
            ),
            expect='"files"',
        ),
    }
