"""Arguments of the `kansenaudit findings …` commands for test_every_command.py."""

from tests.cli.test_every_command import Case


def cases(w: dict) -> dict[str, Case]:
    d, tmp = str(w["dossier"]), w["tmp"]
    return {
        "findings list": Case(("findings", "list", "--dossier", d, "--json"), expect='"findings"'),
        "findings check": Case(("findings", "check", "--dossier", d, "--json"), expect='"checks"'),
        "findings export": Case(
            ("findings", "export", "--dossier", d, "--out", str(tmp / "keten.xlsx")),
            expect="keten.xlsx",
        ),
        "findings wederhoor-status": Case(
            ("findings", "wederhoor-status", "--dossier", d, "--json"), expect='"versions"'
        ),
    }
