"""`kansenaudit fieldwork pseudonymise`: runs on a fictional transcript, prints no originals."""

from __future__ import annotations

from tests.cli.test_every_command import Case


def cases(w: dict) -> dict[str, Case]:
    transcript = w["tmp"] / "interview-fieldwork-tools.txt"
    transcript.write_text(
        "I: Goedemiddag, u woont in Oost?\n"
        "R: Ja, op de Kerkstraat 12, 1234 AB Voorbeeldstad. Bel me op 06-12345678.\n"
        "I: Dank u.\n",
        encoding="utf-8",
    )
    allow = w["tmp"] / "allow-fieldwork-tools.txt"
    allow.write_text("Oost\nVoorbeeldstad\n", encoding="utf-8")
    return {
        "fieldwork pseudonymise": Case(
            ("fieldwork", "pseudonymise", str(transcript), "--allow", str(allow), "--json"),
            expect='"pseudonym": "[Telefoon 1]"',
        ),
    }
