"""`kansenaudit fieldwork pseudonymise FILE --json`: the same pseudonymisation, no originals out."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kansenaudit.cli.fieldwork_tools import pseudonymise_command

TRANSCRIPT = (
    "Interview (fictief)\n"
    "I: Dag Fatima, u woont in Oost?\n"
    "Fatima el Amrani: Ja, op de Kerkstraat 12, 1234 AB Voorbeeldstad. Bel 06-12345678 of\n"
    "mail fatima@voorbeeld.nl. Mijn zoon zit op basisschool De Klimop.\n"
    "I: Dank u.\n"
)
ORIGINALS = ("Fatima", "Amrani", "Kerkstraat", "1234 AB", "06-12345678", "fatima@", "Klimop")


def test_json_has_text_and_replacements_without_originals(tmp_path):
    path = tmp_path / "interview.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    allow = tmp_path / "allow.txt"
    allow.write_text("# gebieden\nOost\nVoorbeeldstad\n", encoding="utf-8")
    result = CliRunner().invoke(pseudonymise_command, [str(path), "--allow", str(allow), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"text", "replacements", "warnings"}
    for item in data["replacements"]:
        assert set(item) == {"start", "end", "kind", "pseudonym"}
    for original in ORIGINALS:
        assert original not in result.stdout
    assert "in Oost" in data["text"]
    assert "Voorbeeldstad" in data["text"]
    assert "[Telefoon 1]" in data["text"]
    # Offsets are into the canonical original: the spans' lengths match the originals.
    canonical = TRANSCRIPT.rstrip("\n")
    phone = next(item for item in data["replacements"] if item["kind"] == "phone")
    assert canonical[phone["start"] : phone["end"]] == "06-12345678"


def test_without_groups_people_get_neutral_pseudonyms(tmp_path):
    path = tmp_path / "interview.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    result = CliRunner().invoke(pseudonymise_command, [str(path)])
    assert result.exit_code == 0
    assert "[Bewoner" not in result.stdout  # no groups are known on the command line
    assert "[Persoon 1]" in result.stdout
    assert "Fatima" not in result.stdout


def test_bad_file_is_a_clear_error(tmp_path):
    path = tmp_path / "leeg.txt"
    path.write_bytes(b"")
    result = CliRunner().invoke(pseudonymise_command, [str(path), "--json"])
    assert result.exit_code == 1
    assert "'leeg.txt' is empty" in result.output
    assert "Traceback" not in result.output
